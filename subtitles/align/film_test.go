package align

import (
	"math"
	"math/rand"
	"strings"
	"testing"
	"time"

	"github.com/recuerdo-archive/recuerdo/subtitles"
)

// film strings the invented interviews together, again and again, into
// one long Spanish track of about n cues.
func film(t testing.TB, n int, r *rand.Rand) []subtitles.Cue {
	all := interviews(t)
	var out []subtitles.Cue
	at := time.Duration(0)
	for len(out) < n {
		for _, name := range []string{"frontera", "panaderia", "remedios", "temblor"} {
			rd := render(all[name], r)
			for _, c := range rd.es {
				c.Start += at
				c.End += at
				out = append(out, c)
			}
			at = out[len(out)-1].End + 2*time.Second
		}
	}
	return out[:n]
}

// editFilm makes a reference edit of a film: lateBy seconds later timing
// over its first minutes, a cut of cutLen at a third, an insert of insLen
// at two thirds. truth[i] is where input cue i belongs on the reference,
// -1 when the cut removed it.
func editFilm(in []subtitles.Cue, early, lateBy, cutLen, insLen time.Duration) (ref []subtitles.Cue, truth []time.Duration) {
	cutAt := in[len(in)/3].Start
	insAt := in[2*len(in)/3].Start
	for _, c := range in {
		d := time.Duration(0)
		if c.Start < early {
			d += lateBy
		}
		switch {
		case c.Start >= cutAt && c.Start < cutAt+cutLen:
			truth = append(truth, -1)
			continue
		case c.Start >= cutAt+cutLen:
			d -= cutLen
		}
		if c.Start >= insAt {
			d += insLen
		}
		c.Start += d
		c.End += d
		ref = append(ref, c)
		truth = append(truth, c.Start)
	}
	return ref, truth
}

// TestEvalFilmSync syncs a long film with a cut and an insert (and, in one
// case, reference timing 180 ms later over the first five minutes) and
// reports the share of cue starts within ±40 ms of where they belong.
func TestEvalFilmSync(t *testing.T) {
	for _, tc := range []struct {
		name          string
		lateBy        time.Duration
		offset, scale float64
	}{
		{"cut+insert", 0, 2.35, 1},
		{"cut+insert+early-late", 180 * time.Millisecond, -1.7, 1},
		{"cut+insert+fps", 0, 0.8, 25 / (24000.0 / 1001)},
	} {
		r := rand.New(rand.NewSource(7))
		orig := film(t, 1500, r)
		ref, truth := editFilm(orig, 5*time.Minute, tc.lateBy, 40*time.Second, 25*time.Second)
		in := make([]subtitles.Cue, len(orig))
		for i, c := range orig {
			c.Start = time.Duration((c.Start.Seconds() - tc.offset) / tc.scale * float64(time.Second))
			c.End = time.Duration((c.End.Seconds() - tc.offset) / tc.scale * float64(time.Second))
			in[i] = c
		}
		res := Sync(in, ref, Options{})
		within, total := 0, 0
		for i, c := range in {
			if truth[i] < 0 {
				continue
			}
			total++
			if d := res.Mapping.Apply(c.Start) - truth[i]; d.Abs() <= 40*time.Millisecond {
				within++
			}
		}
		share := float64(within) / float64(total)
		t.Logf("%-24s %4d/%4d (%.1f%%) within ±40 ms, confidence %.2f: %s", tc.name, within, total, 100*share, res.Confidence, res.Mapping.Explain())
		for _, rg := range res.Regions {
			t.Logf("    region %v–%v: %d cues, confidence %.2f, flagged %v (%s)", rg.From.Round(time.Second), rg.To.Round(time.Second), rg.Cues, rg.Confidence, rg.Flagged, rg.Why)
		}
		if share < 0.97 {
			t.Errorf("%s: %.1f%% within ±40 ms, want ≥ 97%%", tc.name, 100*share)
		}
	}
}

// filmPair is a long Spanish film and its English subtitles timed with it
// (jittered, split and merged as translators do), about n cues each.
func filmPair(tb testing.TB, n int) (es, en []subtitles.Cue) {
	all := interviews(tb)
	r := rand.New(rand.NewSource(3))
	at := time.Duration(0)
	for len(es) < n {
		for _, name := range []string{"frontera", "panaderia", "remedios", "temblor", "mina"} {
			rd := render(all[name], r)
			for _, c := range rd.es {
				c.Start += at
				c.End += at
				es = append(es, c)
			}
			for _, c := range rd.en {
				c.Start += at
				c.End += at
				en = append(en, c)
			}
			at = es[len(es)-1].End + 2*time.Second
		}
	}
	return es, en
}

// BenchmarkTime1500Text aligns 1,500 Spanish cues with their English
// subtitles, words and dictionary included (the dictionary's index is
// built once, before the clock starts, as a long-running caller would).
func BenchmarkTime1500Text(b *testing.B) {
	es, en := filmPair(b, 1500)
	opt := Options{Lexicon: dictionary()}
	Time(es[:10], en[:10], opt)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		Time(es, en, opt)
	}
}

// BenchmarkTime1500VoiceOver aligns 1,500 Spanish cues with English ones
// re-timed cue by cue: the voice-over mode.
func BenchmarkTime1500VoiceOver(b *testing.B) {
	es, en := filmPair(b, 1500)
	vo := voiceOver(en, -1.5, 3.5, rand.New(rand.NewSource(5)))
	opt := Options{Lexicon: dictionary()}
	Time(es[:10], en[:10], opt)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		Time(es, vo, opt)
	}
}

// BenchmarkSync1500Text syncs 1,500 English cues, moved by an offset, a
// cut and an insert, onto their Spanish reference.
func BenchmarkSync1500Text(b *testing.B) {
	es, en := filmPair(b, 1500)
	ref, _ := editFilm(es, 0, 0, 40*time.Second, 25*time.Second)
	in := distort(en, 1, 2350*time.Millisecond)
	for i := range in {
		in[i].Text = en[i].Text
	}
	opt := Options{Lexicon: dictionary()}
	Time(es[:10], en[:10], opt)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		Sync(in, ref, opt)
	}
}

// TestSyncMisplacedCut moves a cut found by Sync 25 cues too late, as
// when the cues after a cut keep the old offset because it finds a start
// nearby by chance: the regions must flag those cues (their words do not
// match where they landed), and adjustCuts must put the cut back. With
// the right mapping, only the cues the reference lacks may be flagged.
func TestSyncMisplacedCut(t *testing.T) {
	orig := film(t, 600, rand.New(rand.NewSource(11)))
	ref, truth := editFilm(orig, 0, 0, 40*time.Second, 25*time.Second)
	res := Sync(orig, ref, Options{})
	if len(res.Mapping.Pieces) != 3 {
		t.Fatalf("got %s, want a cut and an insert", res.Mapping.Explain())
	}
	s, sp := spans(ref), spans(orig)
	starts := make([]float64, len(s))
	for i, x := range s {
		starts[i] = x.start
	}
	// flaggedPresent counts flagged cues the reference does have
	flaggedPresent := func(regions []Region) int {
		n := 0
		for _, rg := range regions {
			if !rg.Flagged {
				continue
			}
			for i, c := range orig {
				if c.Start >= rg.From && c.Start <= rg.To && truth[i] >= 0 {
					n++
				}
			}
		}
		return n
	}
	if n := flaggedPresent(res.Regions); n > 2 {
		t.Errorf("right mapping: %d cues present in the reference flagged, want none", n)
	}
	bad := res.Mapping
	bad.Pieces = append([]Piece(nil), bad.Pieces...)
	k := sortSearch(sp, bad.Pieces[1].From.Seconds()) + 25
	bad.Pieces[1].From = secs((sp[k-1].end + sp[k].start) / 2)
	c := newContent(ref, orig, s, sp, Options{})
	regions := syncRegions(starts, s, sp, mapSpans(sp, bad), bad, c)
	for _, rg := range regions {
		t.Logf("region %v–%v: %d cues, confidence %.2f, flagged %v (%s)", rg.From.Round(time.Second), rg.To.Round(time.Second), rg.Cues, rg.Confidence, rg.Flagged, rg.Why)
	}
	if n := flaggedPresent(regions); n < 10 {
		t.Errorf("misplaced cut: %d cues on its wrong side flagged, want ten or more", n)
	}
	fixed := adjustCuts(bad, starts, sp, c)
	within, total := 0, 0
	for i, cu := range orig {
		if truth[i] < 0 {
			continue
		}
		total++
		if d := fixed.Apply(cu.Start) - truth[i]; d.Abs() <= 40*time.Millisecond {
			within++
		}
	}
	if within != total {
		t.Errorf("adjustCuts: %d/%d within ±40 ms (%s), want all", within, total, fixed.Explain())
	}
}

func sortSearch(t []span, x float64) int {
	for k := range t {
		if t[k].start >= x {
			return k
		}
	}
	return len(t)
}

// FuzzTimeText aligns and syncs short tracks with words, so that the
// voice-over mode, the regions and the cut adjustment run on odd input.
func FuzzTimeText(f *testing.F) {
	f.Add("Hola, ¿cómo estás?\nMmm.\nEn 1968 fuimos a Chicago.\nSí, sí.", "Hello, how are you?\nIn 1968 we went to Chicago.\n[Note: a city.]", []byte{3, 9, 1, 200, 7})
	f.Fuzz(func(t *testing.T, a, b string, times []byte) {
		mk := func(text string, off int) []subtitles.Cue {
			var cues []subtitles.Cue
			at := 0
			for i, l := range strings.Split(text, "\n") {
				if len(cues) >= 60 {
					break
				}
				d := 300
				if len(times) > 0 {
					d += int(times[(i+off)%len(times)]) * 20
					at += int(times[(i*7+off)%len(times)]) * 10
				}
				cues = append(cues, subtitles.Cue{Start: ms(at), End: ms(at + d), Text: l})
				at += d
			}
			return cues
		}
		src, tgt := mk(a, 0), mk(b, 3)
		res := Time(src, tgt, Options{Lexicon: dictionary()})
		checkCover(t, res, len(src), len(tgt))
		for _, p := range res.Pairs {
			if p.Score < 0 || p.Score > 1 || math.IsNaN(p.Score) {
				t.Fatalf("score %v", p.Score)
			}
		}
		sr := Sync(tgt, src, Options{})
		if math.IsNaN(sr.Confidence) || sr.Confidence < 0 || sr.Confidence > 1 {
			t.Fatalf("confidence %v", sr.Confidence)
		}
		for _, c := range tgt {
			sr.Mapping.Apply(c.Start)
		}
		sr.Mapping.Explain()
	})
}
