package qc

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/recuerdo-archive/recuerdo/subtitles"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// planted lists, for each fixture, the violations written into it on
// purpose, as "cue check": Check must report exactly these, no more and
// no fewer.
var planted = map[string][]string{
	"socorro_es.netflix-es-419.srt": {
		"4 cps", "4 close-gap", "5 min-duration", "6 max-duration", "7 unbalanced",
		"8 spanish-punctuation", "9 speaker-dash", "9 speaker-dash", "9 gap", "10 overlap",
		"12 line-length", "13 bad-timing", "14 empty", "15 lines",
	},
	"ramon_en.netflix-en.srt": {
		"2 line-length", "2 cps", "3 line-length", "4 unbalanced", "6 min-duration", "7 max-duration",
		"8 speaker-dash", "8 overlap", "10 lines",
	},
	"lucia_en.bbc.srt": {
		"2 line-length", "2 wpm", "4 wpm", "5 line-length",
	},
}

// qcReport is what `recuerdo subs qc --json` prints.
type qcReport struct {
	Profile string  `json:"profile"`
	Issues  []Issue `json:"issues"`
}

// TestGolden checks each fixture in testdata, named NAME.PROFILE.srt:
// Check reports exactly the planted violations, with the messages of
// NAME.PROFILE.issues.json; Fix gives NAME.PROFILE.fix.golden (its
// changes, what remains, the fixed file), keeps the words, and is
// idempotent. -update rewrites the golden files.
func TestGolden(t *testing.T) {
	files, _ := filepath.Glob("testdata/*.srt")
	if len(files) != len(planted) {
		t.Errorf("got %d fixtures, want %d (one for each entry of planted)", len(files), len(planted))
	}
	for _, f := range files {
		base := filepath.Base(f)
		t.Run(base, func(t *testing.T) {
			parts := strings.Split(base, ".")
			p, err := Lookup(parts[len(parts)-2])
			if err != nil {
				t.Fatal(err)
			}
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			tr, err := subtitles.ReadOrdered(f, data)
			if err != nil {
				t.Fatal(err)
			}
			issues := Check(tr.Cues, p, Options{})
			var got []string
			for _, is := range issues {
				got = append(got, fmt.Sprintf("%d %s", is.Cue, is.Check))
			}
			want := slices.Clone(planted[base])
			slices.Sort(got)
			slices.Sort(want)
			if !slices.Equal(got, want) {
				t.Errorf("got issues %q, want the planted %q", got, want)
			}
			js, _ := json.MarshalIndent(qcReport{Profile: p.Name, Issues: issues}, "", "  ")
			golden(t, strings.TrimSuffix(f, ".srt")+".issues.json", append(js, '\n'))

			fixed, changes := Fix(tr.Cues, p, Options{})
			if allWords(fixed) != allWords(tr.Cues) {
				t.Errorf("Fix changed the words:\n got %s\nwant %s", allWords(fixed), allWords(tr.Cues))
			}
			if _, again := Fix(fixed, p, Options{}); len(again) > 0 {
				t.Errorf("Fix is not idempotent; a second run changed %v", again)
			}
			var b bytes.Buffer
			for _, c := range changes {
				fmt.Fprintf(&b, "cue %d  %s: %s\n", c.Cue, c.Fix, c.Message)
			}
			b.WriteString("--- remaining issues\n")
			for _, is := range Check(fixed, p, Options{}) {
				fmt.Fprintf(&b, "cue %d  %s  %s: %s\n", is.Cue, is.Severity, is.Check, is.Message)
			}
			b.WriteString("--- fixed file\n")
			if err := subtitles.Write(&b, subtitles.FormatSRT, fixed); err != nil {
				t.Fatal(err)
			}
			golden(t, strings.TrimSuffix(f, ".srt")+".fix.golden", b.Bytes())

			// What Fix wrote reads back as what it returned.
			var srt bytes.Buffer
			subtitles.Write(&srt, subtitles.FormatSRT, fixed)
			back, err := subtitles.ReadOrdered("fixed.srt", srt.Bytes())
			if err != nil {
				t.Fatal(err)
			}
			if _, again := Fix(back.Cues, p, Options{}); len(again) > 0 {
				t.Errorf("Fix is not idempotent through SRT; a second run changed %v", again)
			}
		})
	}
}

func golden(t *testing.T, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs:\n got:\n%s\nwant:\n%s", path, got, want)
	}
}
