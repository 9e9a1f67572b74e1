package subtitles

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// render writes a track as readable text, one cue a line.
func render(t *Track) string {
	var b strings.Builder
	fmt.Fprintf(&b, "format %s, encoding %s\n", t.Format, t.Encoding)
	keys := make([]string, 0, len(t.Header))
	for k := range t.Header {
		keys = append(keys, k)
	}
	sortStrings(keys)
	for _, k := range keys {
		fmt.Fprintf(&b, "header %s: %s\n", k, t.Header[k])
	}
	for i, c := range t.Cues {
		est := ""
		if c.Estimated {
			est = " ~"
		}
		fmt.Fprintf(&b, "%d %s-%s%s [%s] %q\n", i+1, FormatTime(c.Start), FormatTime(c.End), est, c.Speaker, c.Text)
		if i < len(t.Words) {
			for _, w := range t.Words[i] {
				fmt.Fprintf(&b, "  word %s-%s %q\n", FormatTime(w.Start), FormatTime(w.End), w.Text)
			}
		}
	}
	return b.String()
}

func sortStrings(s []string) {
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && s[j] < s[j-1]; j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
}

// TestGolden reads each file in testdata/golden and compares the cues
// with its .golden file; -update rewrites them, and a second run checks
// that the result is stable.
func TestGolden(t *testing.T) {
	files, _ := filepath.Glob("testdata/golden/*")
	n := 0
	for _, f := range files {
		if strings.HasSuffix(f, ".golden") {
			continue
		}
		n++
		t.Run(filepath.Base(f), func(t *testing.T) {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			tr, err := Read(filepath.Base(f), data)
			if err != nil {
				t.Fatal(err)
			}
			got := render(tr)
			if *update {
				os.WriteFile(f+".golden", []byte(got), 0o644)
			}
			want, err := os.ReadFile(f + ".golden")
			if err != nil {
				t.Fatal(err)
			}
			if got != string(want) {
				t.Errorf("got:\n%s\nwant:\n%s", got, want)
			}
		})
	}
	if n < 5 {
		t.Errorf("only %d golden inputs", n)
	}
}

// TestSharedGolden reads every file under ../shared/testdata and compares
// what happens (the cue count, or the exact error) with
// testdata/shared.golden; -update rewrites it.
func TestSharedGolden(t *testing.T) {
	if _, err := os.Stat(sharedTestdata); err != nil {
		t.Skip("shared testdata not present")
	}
	var b strings.Builder
	filepath.Walk(sharedTestdata, func(p string, fi os.FileInfo, err error) error {
		if err != nil || fi.IsDir() {
			return nil
		}
		rel, _ := filepath.Rel(sharedTestdata, p)
		base := filepath.Base(p)
		if base == "LICENSE" || strings.HasSuffix(base, ".md") {
			return nil
		}
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		tr, err := Read(rel, data)
		if err != nil {
			fmt.Fprintf(&b, "%s: error: %v\n", rel, err)
			return nil
		}
		fmt.Fprintf(&b, "%s: %s, %s, %d cues\n", rel, tr.Format, tr.Encoding, len(tr.Cues))
		return nil
	})
	got := b.String()
	golden := "testdata/shared.golden"
	if *update {
		os.WriteFile(golden, []byte(got), 0o644)
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if got != string(want) {
		gl, wl := strings.Split(got, "\n"), strings.Split(string(want), "\n")
		for i := 0; i < len(gl) && i < len(wl); i++ {
			if gl[i] != wl[i] {
				t.Fatalf("first difference at line %d:\ngot  %s\nwant %s", i+1, gl[i], wl[i])
			}
		}
		t.Fatalf("got %d lines, want %d", len(gl), len(wl))
	}
}
