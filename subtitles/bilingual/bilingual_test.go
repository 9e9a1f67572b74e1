package bilingual

import (
	"bytes"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/recuerdo-archive/recuerdo/samples"
	"github.com/recuerdo-archive/recuerdo/subtitles"
)

var update = flag.Bool("update", false, "rewrite the golden files")

const shared = "../../../shared/testdata/parallel-subtitles"

func readFS(t *testing.T, fsys fs.FS, name string) []subtitles.Cue {
	t.Helper()
	data, err := fs.ReadFile(fsys, name)
	if err != nil {
		t.Fatal(err)
	}
	tr, err := subtitles.ReadOrdered(name, data)
	if err != nil {
		t.Fatal(err)
	}
	return tr.Cues
}

// render writes events and the three files made of them, for a golden file.
func render(t *testing.T, events []Event, srcLang, tgtLang string) string {
	var b strings.Builder
	for _, e := range events {
		fmt.Fprintf(&b, "%s-%s src %v tgt %v %.2f [%s] %q | %q\n", subtitles.FormatTime(e.Start), subtitles.FormatTime(e.End), e.Src, e.Tgt, e.Score, e.Speaker, e.Source, e.Target)
	}
	cues, italic := Stacked(events, false)
	for _, f := range []subtitles.Format{subtitles.FormatSRT, subtitles.FormatWebVTT} {
		fmt.Fprintf(&b, "\n-- stacked %s --\n", f)
		if err := subtitles.WriteWith(&b, f, cues, subtitles.WriteOptions{Italic: italic, SpeakerLabels: true}); err != nil {
			t.Fatal(err)
		}
	}
	src, tgt := Styles(srcLang, tgtLang, false)
	split, styles := Split(events, src, tgt)
	b.WriteString("\n-- split ass --\n")
	if err := subtitles.WriteWith(&b, subtitles.FormatSSA, split, subtitles.WriteOptions{Styles: []subtitles.Style{src, tgt}, CueStyles: styles}); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func TestGolden(t *testing.T) {
	tests := []struct {
		name     string
		fsys     fs.FS
		src, tgt string
	}{
		{"abuelo-autobus", samples.FS, "abuelo-autobus/es.srt", "abuelo-autobus/en.vtt"},
		{"tor-animation", os.DirFS(shared), "tor-animation/Tor_animation.es.srt", "tor-animation/Tor_animation.en.srt"},
		{"sintel-durian", os.DirFS(shared), "sintel-durian-srt/sintel_es.srt", "sintel-durian-srt/sintel_en.srt"},
		{"sintel-shifted", os.DirFS(shared), "sintel-durian-srt/sintel_es.srt", "sintel-shifted-meyer1994/sintel_en.srt"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := fs.Stat(tt.fsys, tt.src); err != nil && tt.fsys != samples.FS {
				t.Skip("shared test data not present")
			}
			src, tgt := readFS(t, tt.fsys, tt.src), readFS(t, tt.fsys, tt.tgt)
			events := Pair(src, tgt, Options{})
			checkCover(t, events, len(src), len(tgt))
			got := render(t, events, "es", "en")
			golden := filepath.Join("testdata", tt.name+".golden")
			if *update {
				os.MkdirAll("testdata", 0o755)
				os.WriteFile(golden, []byte(got), 0o644)
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatal(err)
			}
			if got != string(want) {
				t.Errorf("got:\n%s\nwant:\n%s", got, want)
			}
			if again := render(t, Pair(src, tgt, Options{}), "es", "en"); again != got {
				t.Error("not stable on a second run")
			}
		})
	}
}

// checkCover checks that every cue is in exactly one event, in time order.
func checkCover(t *testing.T, events []Event, ns, nt int) {
	t.Helper()
	seenS, seenT := make([]int, ns), make([]int, nt)
	for i, e := range events {
		for _, k := range e.Src {
			seenS[k]++
		}
		for _, k := range e.Tgt {
			seenT[k]++
		}
		if e.End < e.Start {
			t.Errorf("event %d ends before it starts", i+1)
		}
	}
	for k, n := range seenS {
		if n != 1 {
			t.Errorf("source cue %d is in %d events", k+1, n)
		}
	}
	for k, n := range seenT {
		if n != 1 {
			t.Errorf("target cue %d is in %d events", k+1, n)
		}
	}
}

// TestPairNotInterleaved: a translation split into more cues, offset by
// 30 s, is still paired by time, not by cue number.
func TestPairNotInterleaved(t *testing.T) {
	s := func(a, b int, text string) subtitles.Cue {
		return subtitles.Cue{Start: time.Duration(a) * time.Second, End: time.Duration(b) * time.Second, Text: text}
	}
	src := []subtitles.Cue{s(1, 4, "Uno y dos."), s(5, 7, "Tres."), s(9, 11, "Cuatro."), s(13, 15, "Cinco."), s(17, 19, "Seis.")}
	tgt := []subtitles.Cue{s(31, 32, "One"), s(33, 34, "and two."), s(35, 37, "Three."), s(39, 41, "Four."), s(43, 45, "Five."), s(47, 49, "Six.")}
	events := Pair(src, tgt, Options{})
	checkCover(t, events, len(src), len(tgt))
	if len(events) != 5 || events[0].Target != "One\nand two." || events[4].Target != "Six." || events[0].Start != time.Second {
		for _, e := range events {
			t.Logf("%v %v %q %q", e.Src, e.Tgt, e.Source, e.Target)
		}
		t.Fatalf("got %d events, want 5 with the first two English cues together", len(events))
	}
	cues, italic := Stacked(events, false)
	if cues[0].Text != "Uno y dos.\nOne\nand two." || italic[0] != 2 {
		t.Errorf("stacked: got %q with %d italic lines", cues[0].Text, italic[0])
	}
	cues, italic = Stacked(events, true)
	if cues[1].Text != "Three.\nTres." || italic[1] != 1 {
		t.Errorf("target first: got %q with %d italic lines", cues[1].Text, italic[1])
	}
}

func ExamplePair() {
	es := []subtitles.Cue{{Start: time.Second, End: 3 * time.Second, Text: "Cada mes tomaba el autobús."}}
	en := []subtitles.Cue{{Start: time.Second, End: 2 * time.Second, Text: "Every month"}, {Start: 2 * time.Second, End: 3 * time.Second, Text: "I took the bus."}}
	cues, italic := Stacked(Pair(es, en, Options{}), false)
	var b bytes.Buffer
	subtitles.WriteWith(&b, subtitles.FormatSRT, cues, subtitles.WriteOptions{Italic: italic})
	fmt.Print(b.String())
	// Output:
	// 1
	// 00:00:01,000 --> 00:00:03,000
	// Cada mes tomaba el autobús.
	// <i>Every month</i>
	// <i>I took the bus.</i>
}
