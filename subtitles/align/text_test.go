package align

import (
	"bufio"
	"errors"
	"io/fs"
	"math/rand"
	"os"
	"path"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/recuerdo-archive/recuerdo/samples"
	"github.com/recuerdo-archive/recuerdo/subtitles"
)

// TestTextSamples aligns each sample's English cue texts, as untimed
// lines, with its timed Spanish cues, against gold.tsv.
func TestTextSamples(t *testing.T) {
	dirs, _ := fs.ReadDir(samples.FS, ".")
	for _, d := range dirs {
		data, err := fs.ReadFile(samples.FS, path.Join(d.Name(), "gold.tsv"))
		if err != nil {
			continue
		}
		gold, err := ReadGold(strings.NewReader(string(data)))
		if err != nil {
			t.Fatal(err)
		}
		src, tgt := readTrack(t, d.Name(), "es"), readTrack(t, d.Name(), "en")
		lines := make([]string, len(tgt))
		for i, c := range tgt {
			lines[i] = strings.ReplaceAll(c.Text, "\n", " ")
		}
		res := Text(src, lines)
		checkCover(t, res, len(src), len(lines))
		sc := Evaluate(res.Pairs, gold)
		t.Logf("%s: strict F1 %.3f, lax F1 %.3f", d.Name(), sc.F1, sc.LaxF1)
		if sc.F1 < 0.92 || sc.LaxF1 < 0.98 {
			t.Errorf("%s: strict F1 %.3f (want ≥ 0.92), lax F1 %.3f (want ≥ 0.98)", d.Name(), sc.F1, sc.LaxF1)
		}
		timed := TransferTiming(src, lines, res.Pairs)
		for i, c := range timed {
			if c.End < c.Start || i > 0 && c.Start < timed[i-1].Start {
				t.Fatalf("%s: line %d timed %v-%v out of order", d.Name(), i+1, c.Start, c.End)
			}
		}
	}
}

// perturb turns 1-1 sentence pairs into a timed source and an untimed
// target with merged, split and missing lines, and the true pairs.
func perturb(es, en []string, r *rand.Rand) ([]subtitles.Cue, []string, []Pair) {
	var src []subtitles.Cue
	var lines []string
	var gold []Pair
	at := time.Second
	for i := 0; i < len(es); i++ {
		d := time.Duration(400+60*len([]rune(es[i]))) * time.Millisecond
		src = append(src, subtitles.Cue{Start: at, End: at + d, Text: es[i]})
		at += d + 300*time.Millisecond
		switch k := r.Intn(100); {
		case k < 8 && i+1 < len(es): // two sentences on one target line
			d2 := time.Duration(400+60*len([]rune(es[i+1]))) * time.Millisecond
			src = append(src, subtitles.Cue{Start: at, End: at + d2, Text: es[i+1]})
			at += d2 + 300*time.Millisecond
			lines = append(lines, en[i]+" "+en[i+1])
			gold = append(gold, Pair{Src: []int{len(src) - 2, len(src) - 1}, Tgt: []int{len(lines) - 1}})
			i++
		case k < 14 && strings.Count(en[i], " ") > 6: // a target sentence split in two lines
			w := strings.Fields(en[i])
			h := len(w) / 2
			lines = append(lines, strings.Join(w[:h], " "), strings.Join(w[h:], " "))
			gold = append(gold, Pair{Src: []int{len(src) - 1}, Tgt: []int{len(lines) - 2, len(lines) - 1}})
		case k < 16: // left untranslated
			gold = append(gold, Pair{Src: []int{len(src) - 1}, Tgt: []int{}})
		default:
			lines = append(lines, en[i])
			gold = append(gold, Pair{Src: []int{len(src) - 1}, Tgt: []int{len(lines) - 1}})
		}
	}
	return src, lines, gold
}

func readLines(t *testing.T, p string) []string {
	f, err := os.Open(filepath.Join(sharedTestdata, p))
	if errors.Is(err, os.ErrNotExist) {
		t.Skip("shared testdata not present")
	}
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		out = append(out, sc.Text())
	}
	return out
}

// TestTextReal aligns real Spanish-English sentence pairs (Europarl and
// Tatoeba, from ../shared/testdata) after merging, splitting and dropping
// target lines.
func TestTextReal(t *testing.T) {
	europarl := readLines(t, "parallel-text/yalign-europarl/parallel-en-es.txt")
	var epES, epEN []string
	for i := 0; i+1 < len(europarl); i += 2 {
		epEN = append(epEN, europarl[i])
		epES = append(epES, europarl[i+1])
	}
	// Europarl is running text; Tatoeba is a list of unrelated short
	// sentences, where length says little: its floor only guards against
	// regressions.
	tests := []struct {
		name        string
		es, en      []string
		strict, lax float64
	}{
		{"europarl", epES, epEN, 0.96, 0.977},
		{"tatoeba", readLines(t, "parallel-text/laser-tatoeba/tatoeba.spa-eng.spa"), readLines(t, "parallel-text/laser-tatoeba/tatoeba.spa-eng.eng"), 0.795, 0.87},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src, lines, gold := perturb(tt.es, tt.en, rand.New(rand.NewSource(1)))
			for _, lx := range []struct {
				name string
				opt  Options
			}{{"no lexicon", Options{}}, {"dictionary", Options{Lexicon: dictionary()}}} {
				if lx.name == "dictionary" && lx.opt.Lexicon == nil {
					continue
				}
				res := TextWith(src, lines, lx.opt)
				checkCover(t, res, len(src), len(lines))
				sc := Evaluate(res.Pairs, gold)
				t.Logf("%s: %d source, %d target lines: strict P %.3f R %.3f F1 %.3f; lax F1 %.3f", lx.name, len(src), len(lines), sc.Precision, sc.Recall, sc.F1, sc.LaxF1)
				if sc.F1 < tt.strict || sc.LaxF1 < tt.lax {
					t.Errorf("%s: strict F1 %.3f (want ≥ %.2f), lax F1 %.3f (want ≥ %.2f)", lx.name, sc.F1, tt.strict, sc.LaxF1, tt.lax)
				}
			}
		})
	}
}

func FuzzText(f *testing.F) {
	f.Add("Hola.\n¿Cómo estás? En 1968.", "Hello.\nHow are you?\nIn 1968.")
	f.Fuzz(func(t *testing.T, a, b string) {
		var src []subtitles.Cue
		for i, l := range strings.Split(a, "\n") {
			if len(src) < 100 {
				src = append(src, subtitles.Cue{Start: time.Duration(i) * time.Second, End: time.Duration(i+1) * time.Second, Text: l})
			}
		}
		var lines []string
		for _, l := range strings.Split(b, "\n") {
			if len(lines) < 100 {
				lines = append(lines, l)
			}
		}
		res := Text(src, lines)
		checkCover(t, res, len(src), len(lines))
		TransferTiming(src, lines, res.Pairs)
	})
}

func FuzzReadGold(f *testing.F) {
	f.Add("es\ten\n1\t1\n2,3\t2\n4\t\n")
	f.Fuzz(func(t *testing.T, data string) {
		gold, err := ReadGold(strings.NewReader(data))
		if err != nil {
			return
		}
		for _, p := range gold {
			if len(p.Src)+len(p.Tgt) == 0 {
				t.Fatal("empty pair accepted")
			}
			for _, i := range append(p.Src, p.Tgt...) {
				if i < 0 {
					t.Fatalf("negative index %d", i)
				}
			}
		}
	})
}
