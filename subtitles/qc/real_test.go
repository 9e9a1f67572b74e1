package qc

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/recuerdo-archive/recuerdo/subtitles"
)

// sharedDir holds third-party subtitle files, read in place (never copied).
const sharedDir = "../../../shared/testdata/parallel-subtitles"

// TestRealFiles runs Check and Fix on real subtitle files with every
// profile: nothing panics, Fix keeps every word and is idempotent.
func TestRealFiles(t *testing.T) {
	var files []string
	filepath.WalkDir(sharedDir, func(path string, d os.DirEntry, err error) error {
		if err == nil && (strings.HasSuffix(path, ".srt") || strings.HasSuffix(path, ".vtt")) {
			files = append(files, path)
		}
		return nil
	})
	if len(files) == 0 {
		t.Skip("no shared test data in " + sharedDir)
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		tr, err := subtitles.ReadOrdered(f, data)
		if err != nil {
			t.Logf("%s: %v (skipped)", f, err)
			continue
		}
		for _, p := range Profiles() {
			issues := Check(tr.Cues, p, Options{})
			fixed, changes := Fix(tr.Cues, p, Options{})
			if got, want := allWords(fixed), allWords(tr.Cues); got != want {
				t.Errorf("%s, %s: Fix changed the words", f, p.Name)
			}
			if _, again := Fix(fixed, p, Options{}); len(again) > 0 {
				t.Errorf("%s, %s: Fix is not idempotent: second run made %d changes, first %v", f, p.Name, len(again), again[0])
			}
			after := Check(fixed, p, Options{})
			if testing.Verbose() && (p.Name == "netflix-en" || p.Name == "netflix-es-419") {
				t.Logf("%s, %s: %d issues, %d changes, %d issues after", f, p.Name, len(issues), len(changes), len(after))
			}
		}
	}
}

// allWords is the sequence of words of all cues, the thing Fix must keep.
func allWords(cues []subtitles.Cue) string {
	var ws []string
	for _, c := range cues {
		ws = append(ws, strings.Fields(c.Text)...)
	}
	return strings.Join(ws, " ")
}
