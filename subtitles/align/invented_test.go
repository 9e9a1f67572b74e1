package align

import (
	"bufio"
	"math"
	"math/rand"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/recuerdo-archive/recuerdo/subtitles"
	"github.com/recuerdo-archive/recuerdo/subtitles/lexicon"
)

// moment is one row of an invented interview: what was said and its
// translation, each side split into cues or lines; an empty side is a
// filler left untranslated or a translator's note.
type moment struct {
	speaker string
	es, en  []string
}

// readInterview reads testdata/interviews/NAME.tsv: speaker, Spanish,
// English, tab-separated; " | " splits a side into cues or lines.
func readInterview(t testing.TB, path string) []moment {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []moment
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if strings.HasPrefix(line, "#") || strings.TrimSpace(line) == "" {
			continue
		}
		cols := strings.Split(line, "\t")
		if len(cols) == 2 { // a trailing empty column
			cols = append(cols, "")
		}
		if len(cols) != 3 {
			t.Fatalf("%s: line %d: want 3 tab-separated columns, got %d", path, n, len(cols))
		}
		split := func(s string) []string {
			var parts []string
			for _, p := range strings.Split(s, " | ") {
				if p = strings.TrimSpace(p); p != "" {
					parts = append(parts, p)
				}
			}
			return parts
		}
		m := moment{speaker: cols[0], es: split(cols[1]), en: split(cols[2])}
		if len(m.es)+len(m.en) == 0 {
			t.Fatalf("%s: line %d: empty moment", path, n)
		}
		out = append(out, m)
	}
	return out
}

func interviews(t testing.TB) map[string][]moment {
	paths, _ := filepath.Glob("testdata/interviews/*.tsv")
	if len(paths) == 0 {
		t.Fatal("no invented interviews in testdata/interviews")
	}
	out := map[string][]moment{}
	for _, p := range paths {
		out[strings.TrimSuffix(filepath.Base(p), ".tsv")] = readInterview(t, p)
	}
	return out
}

// rendition is an invented interview made into tracks: Spanish cues timed
// at a speaking pace, the English as lines, as cues timed with the
// Spanish (jittered), and the true pairs.
type rendition struct {
	es    []subtitles.Cue
	lines []string
	en    []subtitles.Cue // timed like the Spanish, each cue with its moment
	gold  []Pair
}

func render(ms []moment, r *rand.Rand) rendition {
	var out rendition
	at := 1500 * time.Millisecond
	prev := ""
	dur := func(s string) time.Duration {
		return time.Duration(600+65*len([]rune(s))+r.Intn(400)) * time.Millisecond
	}
	for _, m := range ms {
		if m.speaker != prev && m.speaker != "" {
			at += time.Duration(300+r.Intn(900)) * time.Millisecond
			prev = m.speaker
		}
		p := Pair{Src: []int{}, Tgt: []int{}}
		start := at
		for _, s := range m.es {
			d := dur(s)
			p.Src = append(p.Src, len(out.es))
			out.es = append(out.es, subtitles.Cue{Start: at, End: at + d, Text: s})
			at += d + time.Duration(120+r.Intn(500))*time.Millisecond
		}
		end := at - 120*time.Millisecond
		if len(m.es) == 0 { // a note: shown in a short pause of its own
			end = at + dur(m.en[0])/2
			at = end + 200*time.Millisecond
		}
		total := 0
		for _, l := range m.en {
			total += len([]rune(l)) + 8
		}
		cur := start
		for k, l := range m.en {
			p.Tgt = append(p.Tgt, len(out.lines))
			out.lines = append(out.lines, l)
			e := cur + time.Duration(float64(end-start)*float64(len([]rune(l))+8)/float64(total))
			if k == len(m.en)-1 {
				e = end
			}
			j := func() time.Duration { return time.Duration(r.Intn(241)-120) * time.Millisecond }
			out.en = append(out.en, subtitles.Cue{Start: cur + j(), End: e - 60*time.Millisecond + j(), Text: l})
			cur = e
		}
		out.gold = append(out.gold, p)
	}
	for i := 1; i < len(out.en); i++ {
		if out.en[i].Start < out.en[i-1].End {
			out.en[i-1].End = out.en[i].Start - 40*time.Millisecond
		}
		if out.en[i-1].End < out.en[i-1].Start {
			out.en[i-1].End = out.en[i-1].Start
		}
	}
	return out
}

// voiceOver re-times cues one by one, as an editor following a narrator
// would: each cue moves by its own shift, a random walk bounded to
// [lo, hi] seconds; it returns the moved cues.
func voiceOver(cues []subtitles.Cue, lo, hi float64, r *rand.Rand) []subtitles.Cue {
	out := make([]subtitles.Cue, len(cues))
	shift := lo + r.Float64()*(hi-lo)
	for i, c := range cues {
		shift += r.NormFloat64() * 0.7
		shift = math.Max(lo, math.Min(hi, shift))
		d := time.Duration(shift * float64(time.Second))
		c.Start += d
		c.End += d
		out[i] = c
	}
	for i := 1; i < len(out); i++ {
		if out[i].Start < out[i-1].Start+100*time.Millisecond {
			out[i].Start = out[i-1].Start + 100*time.Millisecond
		}
		if out[i].End < out[i].Start+300*time.Millisecond {
			out[i].End = out[i].Start + 300*time.Millisecond
		}
		if out[i-1].End > out[i].Start {
			out[i-1].End = out[i].Start
		}
	}
	return out
}

// dictionary is the installed FreeDict dictionaries as a lexicon, or nil.
var dictionary = sync.OnceValue(func() *lexicon.Lexicon {
	found := lexicon.FindDictionaries()
	if len(found) == 0 {
		return nil
	}
	lx := lexicon.New()
	for k, p := range found {
		from, to, _ := strings.Cut(k, "-")
		es, err := lexicon.ReadDictd(p, from, to, 0.5)
		if err == nil {
			lx.Add(es...)
		}
	}
	return lx
})

// learnedFrom learns a lexicon from the gold pairs of other interviews,
// on top of the dictionary when one is installed.
func learnedFrom(rs []rendition, withDictionary bool) *lexicon.Lexicon {
	var pairs []lexicon.Pair
	for _, r := range rs {
		for _, p := range r.gold {
			if len(p.Src) == 0 || len(p.Tgt) == 0 {
				continue
			}
			var a, b []string
			for _, i := range p.Src {
				a = append(a, r.es[i].Text)
			}
			for _, j := range p.Tgt {
				b = append(b, r.lines[j])
			}
			pairs = append(pairs, lexicon.Pair{A: strings.Join(a, " "), B: strings.Join(b, " ")})
		}
	}
	lx := lexicon.New()
	if d := dictionary(); d != nil && withDictionary {
		lx.Add(d.Entries()...)
	}
	lx.Add(lexicon.Learn(pairs, lexicon.Options{})...)
	return lx
}

type caseScore struct {
	name  string
	sc    Scores
	extra string
}

// TestEvalInvented aligns the invented interviews of testdata/interviews
// as a translator would meet them: the English as untimed lines (fillers
// and notes included), as subtitles timed with the Spanish, and as
// subtitles re-timed cue by cue to a voice-over; each with no lexicon, the
// installed dictionary, and the dictionary plus a lexicon learned from the
// other interviews; and the other way round (English subtitles, Spanish
// lines). It reports strict and lax F1 per case, and how many voice-over
// cues sync puts back on their Spanish cue's start.
func TestEvalInvented(t *testing.T) {
	all := interviews(t)
	names := make([]string, 0, len(all))
	for n := range all {
		names = append(names, n)
	}
	sort.Strings(names)
	const seeds = 3
	rend := map[string][]rendition{}
	for _, n := range names {
		for seed := int64(1); seed <= seeds; seed++ {
			rend[n] = append(rend[n], render(all[n], rand.New(rand.NewSource(seed))))
		}
	}
	type agg struct{ strict, lax, n float64 }
	sums := map[string]*agg{}
	syncs := map[string]*agg{} // voice-over sync: share of pair starts within ±40 ms
	add := func(k string, sc Scores) {
		if sums[k] == nil {
			sums[k] = &agg{}
		}
		sums[k].strict += sc.F1
		sums[k].lax += sc.LaxF1
		sums[k].n++
	}
	for _, n := range names {
		var others []rendition
		for _, o := range names {
			if o != n {
				others = append(others, rend[o][0])
			}
		}
		if l := learnedFrom(others, false); true {
			t.Logf("%s: lexicon learned from the other %d interviews: %d entries", n, len(others), l.Len())
		}
		lexicons := []struct {
			name string
			lx   *lexicon.Lexicon
		}{{"none", nil}, {"learned", learnedFrom(others, false)}, {"dictionary", dictionary()}, {"dictionary+learned", learnedFrom(others, true)}}
		for _, lx := range lexicons {
			if lx.name != "none" && lx.lx == nil {
				continue
			}
			opt := Options{Lexicon: lx.lx}
			for seed, r := range rend[n] {
				res := TextWith(r.es, r.lines, opt)
				checkCover(t, res, len(r.es), len(r.lines))
				sc := Evaluate(res.Pairs, r.gold)
				add("untimed/"+lx.name, sc)
				// the other way round: English subtitles, Spanish lines
				var esLines []string
				for _, c := range r.es {
					esLines = append(esLines, c.Text)
				}
				var rgold []Pair
				for _, p := range r.gold {
					rgold = append(rgold, Pair{Src: p.Tgt, Tgt: p.Src})
				}
				res = TextWith(r.en, esLines, opt)
				checkCover(t, res, len(r.en), len(esLines))
				add("untimed-reversed/"+lx.name, Evaluate(res.Pairs, rgold))
				res = Time(r.es, r.en, opt)
				checkCover(t, res, len(r.es), len(r.en))
				sc2 := Evaluate(res.Pairs, r.gold)
				add("time/"+lx.name, sc2)
				vo := voiceOver(r.en, -1.5, 3.5, rand.New(rand.NewSource(int64(seed+100))))
				res = Time(r.es, vo, opt)
				checkCover(t, res, len(r.es), len(vo))
				sc3 := Evaluate(res.Pairs, r.gold)
				add("voice-over/"+lx.name, sc3)
				// sync the voice-over back onto the Spanish: each English
				// cue that opens a pair belongs at its Spanish cue's start
				sr := Sync(vo, r.es, opt)
				within, total := 0, 0
				for _, p := range r.gold {
					if len(p.Src) == 0 || len(p.Tgt) == 0 {
						continue
					}
					total++
					if d := sr.Mapping.Apply(vo[p.Tgt[0]].Start) - r.es[p.Src[0]].Start; d.Abs() <= 40*time.Millisecond {
						within++
					}
				}
				syncShare := float64(within) / float64(total)
				if syncs[lx.name] == nil {
					syncs[lx.name] = &agg{}
				}
				syncs[lx.name].strict += syncShare
				syncs[lx.name].n++
				t.Logf("%-10s seed %d %-18s untimed strict %.3f lax %.3f | time %.3f %.3f | voice-over %.3f %.3f (%s), sync %.1f%% within ±40 ms",
					n, seed+1, lx.name, sc.F1, sc.LaxF1, sc2.F1, sc2.LaxF1, sc3.F1, sc3.LaxF1, res.Method, 100*syncShare)
			}
		}
	}
	keys := make([]string, 0, len(sums))
	for k := range sums {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range []string{"none", "learned", "dictionary", "dictionary+learned"} {
		if a := syncs[k]; a != nil {
			t.Logf("voice-over sync/%-18s mean %.1f%% of pair starts within ±40 ms over %d", k, 100*a.strict/a.n, int(a.n))
		}
	}
	floors := map[string]float64{"untimed": 0.95, "untimed-reversed": 0.95, "voice-over": 0.90, "time": 0.99}
	for _, k := range keys {
		a := sums[k]
		t.Logf("%-32s mean strict F1 %.3f, lax F1 %.3f over %d", k, a.strict/a.n, a.lax/a.n, int(a.n))
		kind, _, _ := strings.Cut(k, "/")
		if f := a.strict / a.n; f < floors[kind] {
			t.Errorf("%s: mean strict F1 %.3f, want ≥ %.2f", k, f, floors[kind])
		}
	}
}
