package index

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/recuerdo-archive/recuerdo/archive"
)

// TestVerifyFindsFlippedBits: one flipped bit anywhere in a segment file
// of the index, even where bleve would read on without noticing, is
// reported; so are a damaged index_meta.json and root.bolt.
func TestVerifyFindsFlippedBits(t *testing.T) {
	dir := closedIndex(t)
	if probs, err := Verify(dir); err != nil || len(probs) != 0 {
		t.Fatalf("fresh index: %v %v", probs, err)
	}
	zaps, _ := filepath.Glob(filepath.Join(dir, "store", "*.zap"))
	if len(zaps) == 0 {
		t.Fatal("no segment files in the index")
	}
	size := func(p string) int {
		fi, _ := os.Stat(p)
		return int(fi.Size())
	}
	tests := []struct {
		name string
		file string
		at   func(n int) int // offset of the flipped bit, from the size
		want string
	}{
		{"start of a segment", zaps[0], func(n int) int { return 10 }, "CRC-32"},
		{"middle of a segment", zaps[0], func(n int) int { return n / 2 }, "CRC-32"},
		{"segment footer", zaps[0], func(n int) int { return n - 30 }, "CRC-32"},
		{"segment checksum", zaps[0], func(n int) int { return n - 1 }, "CRC-32"},
		{"index_meta.json", filepath.Join(dir, "index_meta.json"), func(n int) int { return 0 }, "not JSON"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			orig, err := os.ReadFile(tt.file)
			if err != nil {
				t.Fatal(err)
			}
			defer os.WriteFile(tt.file, orig, 0o600)
			data := append([]byte(nil), orig...)
			data[tt.at(size(tt.file))] ^= 0x04
			os.WriteFile(tt.file, data, 0o600)
			probs, err := Verify(dir)
			if err != nil {
				t.Fatal(err)
			}
			if len(probs) != 1 || !strings.Contains(probs[0].Msg, tt.want) || !strings.HasSuffix(tt.file, probs[0].Subject[strings.LastIndex(probs[0].Subject, "/")+1:]) {
				t.Errorf("got %v, want %s reported with %q", probs, filepath.Base(tt.file), tt.want)
			}
		})
	}
	t.Run("root.bolt truncated", func(t *testing.T) {
		root := filepath.Join(dir, "store", "root.bolt")
		orig, _ := os.ReadFile(root)
		defer os.WriteFile(root, orig, 0o600)
		os.WriteFile(root, orig[:100], 0o600)
		if probs, err := Verify(dir); err != nil || len(probs) != 1 || !strings.Contains(probs[0].Subject, "root.bolt") {
			t.Errorf("got %v %v, want root.bolt reported", probs, err)
		}
	})
	t.Run("segment file missing", func(t *testing.T) {
		orig, _ := os.ReadFile(zaps[0])
		defer os.WriteFile(zaps[0], orig, 0o600)
		os.Remove(zaps[0])
		if probs, err := Verify(dir); err != nil || len(probs) != 1 || !strings.Contains(probs[0].Msg, "is missing") {
			t.Errorf("got %v %v, want %s reported missing", probs, err, filepath.Base(zaps[0]))
		}
	})
	// A file the index does not list, as a killed writer leaves half
	// written, is not part of it.
	stray := filepath.Join(dir, "store", "ffffffffffff.zap")
	os.WriteFile(stray, []byte("half a segment"), 0o600)
	if probs, err := Verify(dir); err != nil || len(probs) != 0 {
		t.Errorf("restored index with a stray file: %v %v", probs, err)
	}
}

// closedIndex builds the index of a small archive and closes it.
func closedIndex(t *testing.T) string {
	t.Helper()
	a, err := archive.Create(filepath.Join(t.TempDir(), "arch"))
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	src := &archive.Source{
		Interview: archive.Interview{ID: "viajes", Title: "Los viajes", Language: "es", Narrators: []string{}, Interviewers: []string{}, Media: []archive.Media{}, Sealed: []archive.Seal{}},
		HasMeta:   true,
		Files:     []archive.File{{Name: "es.srt", Lang: "es", Data: []byte(esSRT)}, {Name: "en.srt", Lang: "en", Data: []byte(enSRT)}},
	}
	if _, err := a.Ingest(context.Background(), src); err != nil {
		t.Fatal(err)
	}
	ix, err := Open(a.IndexDir())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ix.sync(context.Background(), a); err != nil {
		t.Fatal(err)
	}
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}
	return a.IndexDir()
}

// TestVerifyBusy: an index open for writing elsewhere is not read under
// its writer.
func TestVerifyBusy(t *testing.T) {
	a, _ := setup(t, nil, archive.Public)
	if _, err := Verify(a.IndexDir()); !errors.Is(err, ErrBusy) {
		t.Errorf("got %v, want ErrBusy", err)
	}
	if probs, err := Verify(filepath.Join(t.TempDir(), "none")); err != nil || len(probs) != 0 {
		t.Errorf("missing index: got %v %v, want nothing", probs, err)
	}
}
