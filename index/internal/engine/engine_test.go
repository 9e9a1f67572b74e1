package engine

import (
	"errors"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/index/upsidedown"
	"github.com/blevesearch/bleve/v2/index/upsidedown/store/gtreap"
)

// TestBleveVersion fails when go.mod moves bleve away from the version
// the engine was written for: read the engine against the new bleve
// (document numbering, postings, norms, stored fields), then move
// BleveVersion, which also rebuilds every index (Format).
func TestBleveVersion(t *testing.T) {
	mod, err := os.ReadFile(filepath.Join("..", "..", "..", "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	var got string
	for _, line := range strings.Split(string(mod), "\n") {
		if f := strings.Fields(line); len(f) >= 2 && f[0] == "github.com/blevesearch/bleve/v2" {
			got = f[1]
		}
	}
	if got != BleveVersion {
		t.Errorf("go.mod requires bleve %q, the engine was written for %s", got, BleveVersion)
	}
	if v := LinkedBleve(); v != "" && v != BleveVersion {
		t.Errorf("linked bleve %s, the engine was written for %s", v, BleveVersion)
	}
}

// TestOpenRefuses checks that Open reads only the index format it was
// written for and says so otherwise, instead of reading it wrongly.
func TestOpenRefuses(t *testing.T) {
	tests := []struct {
		name      string
		indexType string
		kvStore   string
		config    map[string]any
		ok        bool
	}{
		{"zap v17", scorch.Name, scorch.Name, Config(), true},
		{"zap v16", scorch.Name, scorch.Name, map[string]any{"forceSegmentType": "zap", "forceSegmentVersion": 16}, false},
		{"upside_down", upsidedown.Name, gtreap.Name, nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "ix")
			if tt.kvStore == gtreap.Name {
				dir = "" // in memory only
			}
			bi, err := bleve.NewUsing(dir, bleve.NewIndexMapping(), tt.indexType, tt.kvStore, tt.config)
			if err != nil {
				t.Fatal(err)
			}
			defer bi.Close()
			if err := bi.Index("a", map[string]any{"text": "la puerta azul"}); err != nil {
				t.Fatal(err)
			}
			s, err := Open(bi, &Schema{})
			switch {
			case tt.ok && err != nil:
				t.Fatalf("got %v, want the index opened", err)
			case tt.ok:
				s.Close()
			case !errors.Is(err, ErrUnsupported):
				t.Fatalf("got %v, want ErrUnsupported", err)
			}
		})
	}
}

// TestBoundary checks that no other package of the module reads bleve's
// internals: they go through this one, whose Open checks their versions.
func TestBoundary(t *testing.T) {
	internals := []string{
		"github.com/blevesearch/bleve/v2/index/scorch",
		"github.com/blevesearch/zapx/",
		"github.com/blevesearch/scorch_segment_api/",
		"github.com/RoaringBitmap/roaring",
		"github.com/blevesearch/vellum",
	}
	here, err := filepath.Abs(".")
	if err != nil {
		t.Fatal(err)
	}
	root := filepath.Join(here, "..", "..", "..")
	fset := token.NewFileSet()
	err = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		switch {
		case err != nil:
			return err
		case d.IsDir() && (p == here || strings.HasPrefix(d.Name(), ".") || d.Name() == "testdata"):
			return filepath.SkipDir
		case d.IsDir() || !strings.HasSuffix(p, ".go"):
			return nil
		}
		f, err := parser.ParseFile(fset, p, nil, parser.ImportsOnly)
		if err != nil {
			return nil // not ours to judge: a file another change is writing
		}
		for _, imp := range f.Imports {
			path, _ := strconv.Unquote(imp.Path.Value)
			for _, in := range internals {
				if strings.HasPrefix(path, in) {
					rel, _ := filepath.Rel(root, p)
					t.Errorf("%s imports %s: only index/internal/engine may", rel, path)
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
