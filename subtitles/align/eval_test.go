package align

import (
	"errors"
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/recuerdo-archive/recuerdo/subtitles"
)

const sharedTestdata = "../../../shared/testdata"

// realFiles are third-party subtitle files (../shared/testdata, see its
// PROVENANCE.md), read in place.
var realFiles = []string{
	"parallel-subtitles/tor-animation/Tor_animation.en.srt",
	"parallel-subtitles/tor-animation/Tor_animation.es.srt",
	"parallel-subtitles/tor-animation/Tor_animation.de.srt",
	"parallel-subtitles/tor-animation/Tor_animation.fr.srt",
	"parallel-subtitles/tor-animation-transifex/tor_animation.es_AR.srt",
	"parallel-subtitles/sintel-shifted-meyer1994/sintel_en.srt",
	"messy-subtitles/vtt.js/tests/integration/cycle-collector-talk.vtt",
}

type distortion struct {
	name   string
	scale  float64
	offset time.Duration
	cut    time.Duration // material inserted after the middle cue; 0 for none
	edit   bool          // drop one cue and merge one pair
}

var distortions = []distortion{
	{"offset", 1, 2350 * time.Millisecond, 0, false},
	{"offset+fps", 25 / (24000.0 / 1001), -1700 * time.Millisecond, 0, false},
	{"offset+fps+cut", 25 / (24000.0 / 1001), 2350 * time.Millisecond, 20 * time.Second, false},
	{"1000/1001+cut+edits", 1001.0 / 1000, 800 * time.Millisecond, 35 * time.Second, true},
}

// distortReal makes a distorted copy of cues whose true pairing with the
// original, and true times, are known.
func distortReal(cues []subtitles.Cue, d distortion, r *rand.Rand) (out []subtitles.Cue, truth []time.Duration, gold []Pair) {
	mid := cues[len(cues)/2].Start
	drop, merge := -1, -1
	if d.edit {
		drop = 2 + r.Intn(len(cues)/3)
		merge = len(cues)/2 + 2 + r.Intn(len(cues)/4)
	}
	for i := 0; i < len(cues); i++ {
		c := cues[i]
		switch {
		case i == drop:
			gold = append(gold, Pair{Src: []int{i}, Tgt: []int{}})
			continue
		case i == merge && i+1 < len(cues):
			c.End = cues[i+1].End
			gold = append(gold, Pair{Src: []int{i, i + 1}, Tgt: []int{len(out)}})
			i++
		default:
			gold = append(gold, Pair{Src: []int{i}, Tgt: []int{len(out)}})
		}
		truth = append(truth, c.Start)
		if c.Start > mid {
			c.Start += d.cut
			c.End += d.cut
		}
		c.Start = time.Duration(float64(c.Start-d.offset) / d.scale)
		c.End = time.Duration(float64(c.End-d.offset) / d.scale)
		out = append(out, c)
	}
	return out, truth, gold
}

// TestEvalReal distorts real subtitle files (offsets, frame-rate changes,
// a cut, a dropped and a merged cue) and checks that sync puts ≥ 95% of
// cue starts within ±40 ms of the truth and alignment finds the true
// pairs (strict F1 ≥ 0.98 over all files).
func TestEvalReal(t *testing.T) {
	r := rand.New(rand.NewSource(1))
	var hits, total int
	var f1sum float64
	var runs int
	for _, p := range realFiles {
		data, err := os.ReadFile(filepath.Join(sharedTestdata, p))
		if errors.Is(err, os.ErrNotExist) {
			t.Skip("shared testdata not present")
		}
		if err != nil {
			t.Fatal(err)
		}
		tr, err := subtitles.ReadOrdered(p, data)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range distortions {
			in, truth, gold := distortReal(tr.Cues, d, r)
			res := Sync(in, tr.Cues, Options{})
			within := 0
			for i, c := range in {
				if diff := res.Mapping.Apply(c.Start) - truth[i]; diff.Abs() <= 40*time.Millisecond {
					within++
				}
			}
			al := Time(tr.Cues, in, Options{})
			f := Evaluate(al.Pairs, gold).F1
			t.Logf("%-60s %-20s sync %3d/%3d within ±40 ms, align F1 %.3f, confidence %.2f: %s",
				filepath.Base(p), d.name, within, len(in), f, res.Confidence, res.Mapping.Explain())
			hits += within
			total += len(in)
			f1sum += f
			runs++
		}
	}
	share := float64(hits) / float64(total)
	meanF1 := f1sum / float64(runs)
	t.Logf("overall: %.1f%% of cue starts within ±40 ms; mean strict F1 %.3f over %d runs", 100*share, meanF1, runs)
	if share < 0.95 {
		t.Errorf("sync: %.1f%% within ±40 ms, want ≥ 95%%", 100*share)
	}
	if meanF1 < 0.98 {
		t.Errorf("alignment: mean strict F1 %.3f, want ≥ 0.98", meanF1)
	}
	_ = fmt.Sprint
}

// TestEvalVoiceOver aligns the Tor animation's Spanish subtitles with its
// English ones, which were re-timed to a recorded voice-over (shifts
// growing from 0 to 2 s): same text order, 35 cues each, so the truth is
// cue i with cue i. Shifts that large against cues 2-5 s long defeat
// time overlap: the voice-over mode pairs them on content.
func TestEvalVoiceOver(t *testing.T) {
	read := func(p string) []subtitles.Cue {
		data, err := os.ReadFile(filepath.Join(sharedTestdata, p))
		if errors.Is(err, os.ErrNotExist) {
			t.Skip("shared testdata not present")
		}
		tr, err := subtitles.ReadOrdered(p, data)
		if err != nil {
			t.Fatal(err)
		}
		return tr.Cues
	}
	es := read("parallel-subtitles/tor-animation/Tor_animation.es.srt")
	en := read("parallel-subtitles/tor-animation/Tor_animation.en.srt")
	var gold []Pair
	for i := range es {
		gold = append(gold, Pair{Src: []int{i}, Tgt: []int{i}})
	}
	for _, lx := range []struct {
		name string
		opt  Options
		want float64
	}{{"no lexicon", Options{}, 0.70}, {"dictionary", Options{Lexicon: dictionary()}, 0.80}} {
		if lx.name == "dictionary" && lx.opt.Lexicon == nil {
			continue
		}
		res := Time(es, en, lx.opt)
		sc := Evaluate(res.Pairs, gold)
		t.Logf("%s: strict F1 %.3f, lax F1 %.3f (%s: %s)", lx.name, sc.F1, sc.LaxF1, res.Method, res.Mapping.Explain())
		if sc.F1 < lx.want {
			t.Errorf("%s: strict F1 %.3f, want ≥ %.2f", lx.name, sc.F1, lx.want)
		}
	}
}
