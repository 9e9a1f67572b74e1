package resegment

import (
	"bytes"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/recuerdo-archive/recuerdo/samples"
	"github.com/recuerdo-archive/recuerdo/subtitles"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// sharedTestdata holds third-party files, read where they are and never copied.
const sharedTestdata = "../../../shared/testdata"

// Limits as the Netflix profiles set them, at 23.976 fps (2 frames ≈ 84 ms).
var (
	netflixEN = Limits{MaxLineChars: 42, MaxLines: 2, MaxCPS: 20, MinDuration: 834 * time.Millisecond, MaxDuration: 7 * time.Second, MinGap: 84 * time.Millisecond}
	netflixES = Limits{MaxLineChars: 42, MaxLines: 2, MaxCPS: 17, MinDuration: 834 * time.Millisecond, MaxDuration: 7 * time.Second, MinGap: 84 * time.Millisecond}
	bbc       = Limits{MaxLineChars: 37, MaxLines: 2, MaxWPM: 180}
)

// problems checks cues against lim. Hard problems (lines, characters,
// duration cap, order, overlap) are never acceptable; soft ones (reading
// speed, minimum duration, gap) can be when the speech leaves no time.
func problems(cues []subtitles.Cue, lim Limits) (hard, soft []string) {
	lim, _ = lim.withDefaults()
	for i, c := range cues {
		at := fmt.Sprintf("cue %d %q", i+1, c.Text)
		lines := strings.Split(c.Text, "\n")
		if len(lines) > lim.MaxLines {
			hard = append(hard, fmt.Sprintf("%s: %d lines", at, len(lines)))
		}
		for _, l := range lines {
			if n := Chars(l); n > lim.MaxLineChars && len(strings.Fields(l)) > 1 {
				hard = append(hard, fmt.Sprintf("%s: line of %d chars", at, n))
			}
		}
		d := c.End - c.Start
		if d <= 0 || d > lim.MaxDuration {
			hard = append(hard, fmt.Sprintf("%s: duration %v", at, d))
		}
		if i > 0 && c.Start < cues[i-1].End {
			hard = append(hard, fmt.Sprintf("%s: starts at %v, before the previous ends at %v", at, c.Start, cues[i-1].End))
		}
		if i > 0 && c.Start-cues[i-1].End < lim.MinGap {
			soft = append(soft, fmt.Sprintf("%s: gap %v", at, c.Start-cues[i-1].End))
		}
		if need := lim.Need(c.Text); d < need {
			soft = append(soft, fmt.Sprintf("%s: %v on screen, needs %v", at, d, need))
		}
	}
	return hard, soft
}

// words is every word of cues, in order.
func words(cues []subtitles.Cue) []string {
	var out []string
	for _, c := range cues {
		out = append(out, strings.Fields(c.Text)...)
	}
	return out
}

// checkOutput fails on hard problems and lost or moved words, and
// returns the soft problems.
func checkOutput(t *testing.T, in []string, out []subtitles.Cue, lim Limits) []string {
	t.Helper()
	if got := words(out); !slices.Equal(got, in) {
		t.Errorf("words changed:\ngot  %q\nwant %q", got, in)
	}
	hard, soft := problems(out, lim)
	for _, p := range hard {
		t.Error(p)
	}
	return soft
}

func readFile(t *testing.T, name string) *subtitles.Track {
	t.Helper()
	data, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	tr, err := subtitles.Read(name, data)
	if err != nil {
		t.Fatal(err)
	}
	return tr
}

// golden compares got with testdata/golden/name; -update rewrites it.
func golden(t *testing.T, name string, cues []subtitles.Cue) {
	t.Helper()
	var b bytes.Buffer
	if err := subtitles.Write(&b, subtitles.FormatSRT, cues); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join("testdata", "golden", name)
	if *update {
		if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(file, b.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(file)
	if err != nil {
		t.Fatalf("%v (run go test -update)", err)
	}
	if !bytes.Equal(b.Bytes(), want) {
		t.Errorf("%s differs from its golden file (go test -update rewrites it):\n%s", name, firstDiff(b.String(), string(want)))
	}
}

func firstDiff(got, want string) string {
	g, w := strings.Split(got, "\n"), strings.Split(want, "\n")
	for i := range max(len(g), len(w)) {
		var a, b string
		if i < len(g) {
			a = g[i]
		}
		if i < len(w) {
			b = w[i]
		}
		if a != b {
			return fmt.Sprintf("line %d: got %q, want %q", i+1, a, b)
		}
	}
	return ""
}

// TestResegmentFixtures cuts the invented Whisper transcripts into
// subtitles, compares them with their golden files and checks that every
// subtitle keeps within the limits, allowing at most maxSoft subtitles
// that speech too fast leaves short of reading time.
func TestResegmentFixtures(t *testing.T) {
	for _, tc := range []struct {
		file    string
		name    string
		lim     Limits
		maxSoft int
	}{
		{"costura.es.json", "netflix-es", netflixES, 0},
		{"docks.en.json", "netflix-en", netflixEN, 0},
		{"docks.en.json", "bbc", bbc, 2}, // 260 words a minute in places, against 180
		{"docks-tokens.en.json", "netflix-en", netflixEN, 0},
	} {
		t.Run(tc.file+"/"+tc.name, func(t *testing.T) {
			tr := readFile(t, filepath.Join("testdata", tc.file))
			if tr.Words == nil {
				t.Fatal("no word timings read")
			}
			out, err := Resegment(tr.Cues, tr.Words, tc.lim)
			if err != nil {
				t.Fatal(err)
			}
			soft := checkOutput(t, words(tr.Cues), out, tc.lim)
			if len(soft) > tc.maxSoft {
				t.Errorf("got %d subtitles short of time or gap, want at most %d:\n%s", len(soft), tc.maxSoft, strings.Join(soft, "\n"))
			}
			golden(t, strings.TrimSuffix(tc.file, ".json")+"."+tc.name+".srt", out)
			// Cutting the output again, without word timings, keeps its words and limits.
			again, err := Resegment(out, nil, tc.lim)
			if err != nil {
				t.Fatal(err)
			}
			checkOutput(t, words(out), again, tc.lim)
		})
	}
}

// sentences joins cue texts and cuts them after . ? and !, as a
// translator's plain text would have them, one per line.
func sentences(cues []subtitles.Cue) []string {
	var out []string
	var cur []string
	for _, w := range words(cues) {
		cur = append(cur, w)
		if endsSentence(w) {
			out = append(out, strings.Join(cur, " "))
			cur = nil
		}
	}
	if len(cur) > 0 {
		out = append(out, strings.Join(cur, " "))
	}
	return out
}

func sampleTrack(t *testing.T, dir, lang string) []subtitles.Cue {
	t.Helper()
	for _, ext := range []string{"srt", "vtt"} {
		name := path.Join(dir, lang+"."+ext)
		data, err := fs.ReadFile(samples.FS, name)
		if err != nil {
			continue
		}
		tr, err := subtitles.Read(name, data)
		if err != nil {
			t.Fatal(err)
		}
		return tr.Cues
	}
	t.Fatalf("no %s track in %s", lang, dir)
	return nil
}

// TestSamples resegments each sample's Spanish subtitles and times its
// English translation, as sentences of plain text, after them.
func TestSamples(t *testing.T) {
	dirs, _ := fs.ReadDir(samples.FS, ".")
	for _, d := range dirs {
		if !d.IsDir() {
			continue
		}
		t.Run(d.Name(), func(t *testing.T) {
			es, en := sampleTrack(t, d.Name(), "es"), sampleTrack(t, d.Name(), "en")
			out, err := Resegment(es, nil, netflixES)
			if err != nil {
				t.Fatal(err)
			}
			if soft := checkOutput(t, words(es), out, netflixES); len(soft) > 0 {
				t.Errorf("resegment: %d problems:\n%s", len(soft), strings.Join(soft, "\n"))
			}
			golden(t, d.Name()+".es.resegment.srt", out)
			lines := sentences(en)
			tt, err := TranslateTiming(es, lines, netflixEN)
			if err != nil {
				t.Fatal(err)
			}
			if soft := checkOutput(t, words(en), tt, netflixEN); len(soft) > 0 {
				t.Errorf("translate timing: %d problems:\n%s", len(soft), strings.Join(soft, "\n"))
			}
			golden(t, d.Name()+".en.translate-timing.srt", tt)
		})
	}
}
