package align

import (
	"fmt"
	"math/rand"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/recuerdo-archive/recuerdo/subtitles"
)

func ms(n int) time.Duration { return time.Duration(n) * time.Millisecond }

func cue(start, end int) subtitles.Cue { return subtitles.Cue{Start: ms(start), End: ms(end)} }

// synth builds a source track of n cues and a target derived from it by
// splitting, merging, dropping and jittering cues, with the true pairs.
func synth(seed int64, n int) (src, tgt []subtitles.Cue, gold []Pair) {
	r := rand.New(rand.NewSource(seed))
	t := 2000
	for i := 0; i < n; i++ {
		d := 1200 + r.Intn(4800)
		src = append(src, cue(t, t+d))
		t += d + 80 + r.Intn(600)
		if r.Intn(15) == 0 {
			t += 3000 + r.Intn(5000)
		}
	}
	jit := func() int { return r.Intn(501) - 250 }
	for i := 0; i < len(src); i++ {
		s := src[i]
		a, b := int(s.Start/time.Millisecond), int(s.End/time.Millisecond)
		switch k := r.Intn(20); {
		case k < 2 && b-a > 2500: // split in two
			mid := (a + b) / 2
			tgt = append(tgt, cue(a+jit()/2, mid-60), cue(mid+60, b+jit()/2))
			gold = append(gold, Pair{Src: []int{i}, Tgt: []int{len(tgt) - 2, len(tgt) - 1}})
		case k < 4 && i+1 < len(src): // merge with the next
			e := int(src[i+1].End / time.Millisecond)
			tgt = append(tgt, cue(a+jit()/2, e+jit()/2))
			gold = append(gold, Pair{Src: []int{i, i + 1}, Tgt: []int{len(tgt) - 1}})
			i++
		case k == 4 && b-a < 2500: // left untranslated
			gold = append(gold, Pair{Src: []int{i}, Tgt: []int{}})
		default:
			na, nb := a+jit(), b+jit()
			if nb <= na {
				nb = na + 300
			}
			tgt = append(tgt, cue(na, nb))
			gold = append(gold, Pair{Src: []int{i}, Tgt: []int{len(tgt) - 1}})
		}
	}
	// Keep target cues from overlapping one another, as a real file would.
	for i := 1; i < len(tgt); i++ {
		if tgt[i].Start < tgt[i-1].End {
			tgt[i-1].End = tgt[i].Start - ms(40)
			if tgt[i-1].End < tgt[i-1].Start {
				tgt[i-1].End = tgt[i-1].Start
			}
		}
	}
	return src, tgt, gold
}

func distort(cues []subtitles.Cue, scale float64, offset time.Duration) []subtitles.Cue {
	out := make([]subtitles.Cue, len(cues))
	for i, c := range cues {
		// a target at time x is shown at x/scale - offset/scale, so that x ≈ t·scale + offset
		out[i] = subtitles.Cue{Start: time.Duration(float64(c.Start-offset) / scale), End: time.Duration(float64(c.End-offset) / scale)}
	}
	return out
}

// f1 is the strict F1 of pairs against gold.
func f1(got, gold []Pair) float64 { return Evaluate(got, gold).F1 }

func checkCover(t *testing.T, res Result, n, m int) {
	t.Helper()
	ns, nt := 0, 0
	for _, p := range res.Pairs {
		if len(p.Src) == 0 && len(p.Tgt) == 0 {
			t.Fatal("empty pair")
		}
		for _, i := range p.Src {
			if i != ns {
				t.Fatalf("source index %d out of order (want %d)", i, ns)
			}
			ns++
		}
		for _, j := range p.Tgt {
			if j != nt {
				t.Fatalf("target index %d out of order (want %d)", j, nt)
			}
			nt++
		}
	}
	if ns != n || nt != m {
		t.Fatalf("pairs cover %d/%d source and %d/%d target cues", ns, n, nt, m)
	}
}

func TestTimeSynthetic(t *testing.T) {
	tests := []struct {
		name   string
		scale  float64
		offset time.Duration
	}{
		{"in sync", 1, 0},
		{"offset +3.2s", 1, ms(3200)},
		{"offset -1.7s", 1, ms(-1700)},
		{"25 to 23.976 and offset", 25 / (24000.0 / 1001), ms(2350)},
		{"1000/1001", 1001.0 / 1000, 0},
		{"23.976 to 25", (24000.0 / 1001) / 25, ms(-800)},
	}
	for _, tt := range tests {
		for seed := int64(1); seed <= 3; seed++ {
			t.Run(fmt.Sprintf("%s/seed%d", tt.name, seed), func(t *testing.T) {
				src, tgt, gold := synth(seed, 300)
				tgt = distort(tgt, tt.scale, tt.offset)
				res := Time(src, tgt, Options{})
				checkCover(t, res, len(src), len(tgt))
				t.Logf("F1 %.4f scale %.5f offset %v", f1(res.Pairs, gold), res.Scale, res.Offset)
				if got := f1(res.Pairs, gold); got < 0.98 {
					t.Errorf("strict F1 %.3f, want ≥ 0.98 (scale %.5f offset %v found)", got, res.Scale, res.Offset)
				}
				if d := res.Scale - tt.scale; d > 0.0005 || d < -0.0005 {
					t.Errorf("scale: got %.5f, want %.5f", res.Scale, tt.scale)
				}
			})
		}
	}
}

func TestTimeSmall(t *testing.T) {
	tests := []struct {
		name     string
		src, tgt []subtitles.Cue
		want     []Pair
	}{
		{"1-1", []subtitles.Cue{cue(0, 2000), cue(2100, 4000)}, []subtitles.Cue{cue(100, 2000), cue(2100, 3900)},
			[]Pair{{Src: []int{0}, Tgt: []int{0}}, {Src: []int{1}, Tgt: []int{1}}}},
		{"1-2 split", []subtitles.Cue{cue(0, 4000)}, []subtitles.Cue{cue(0, 2000), cue(2050, 4000)},
			[]Pair{{Src: []int{0}, Tgt: []int{0, 1}}}},
		{"2-1 merge", []subtitles.Cue{cue(0, 1500), cue(1600, 4000)}, []subtitles.Cue{cue(0, 4000)},
			[]Pair{{Src: []int{0, 1}, Tgt: []int{0}}}},
		{"0-1 extra", []subtitles.Cue{cue(0, 2000)}, []subtitles.Cue{cue(0, 2000), cue(8000, 9000)},
			[]Pair{{Src: []int{0}, Tgt: []int{0}}, {Src: []int{}, Tgt: []int{1}}}},
		{"empty target", []subtitles.Cue{cue(0, 2000)}, nil, []Pair{{Src: []int{0}, Tgt: []int{}}}},
		{"empty source", nil, []subtitles.Cue{cue(0, 2000)}, []Pair{{Src: []int{}, Tgt: []int{0}}}},
		{"unsorted", []subtitles.Cue{cue(3000, 4000), cue(0, 2000)}, []subtitles.Cue{cue(0, 2000), cue(3000, 4000)},
			[]Pair{{Src: []int{1}, Tgt: []int{0}}, {Src: []int{0}, Tgt: []int{1}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := Time(tt.src, tt.tgt, Options{})
			got := res.Pairs
			for i := range got {
				got[i].Score = 0
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}

func TestIdenticalTracksScoreHigh(t *testing.T) {
	src, _, _ := synth(7, 100)
	res := Time(src, src, Options{})
	if len(res.Pairs) != len(src) {
		t.Fatalf("got %d pairs, want %d", len(res.Pairs), len(src))
	}
	for i, p := range res.Pairs {
		if len(p.Src) != 1 || len(p.Tgt) != 1 || p.Src[0] != i || p.Tgt[0] != i || p.Score < 0.9 {
			t.Fatalf("pair %d: got %+v, want 1-1 with score ≥ 0.9", i, p)
		}
	}
	if res.Scale != 1 || res.Offset != 0 {
		t.Errorf("identical tracks: got scale %v offset %v", res.Scale, res.Offset)
	}
}

func BenchmarkTime1500(b *testing.B) {
	src, tgt, _ := synth(1, 1500)
	tgt = distort(tgt, 25/(24000.0/1001), ms(2350))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		Time(src, tgt, Options{})
	}
}

func FuzzTime(f *testing.F) {
	f.Add([]byte{0, 10, 5, 20, 30, 40}, []byte{0, 12, 25, 45})
	f.Fuzz(func(t *testing.T, a, b []byte) {
		mk := func(d []byte) []subtitles.Cue {
			var cues []subtitles.Cue
			for i := 0; i+1 < len(d) && len(cues) < 200; i += 2 {
				s := int(d[i]) * 300
				cues = append(cues, cue(s, s+int(d[i+1])*40))
			}
			return cues
		}
		src, tgt := mk(a), mk(b)
		res := Time(src, tgt, Options{})
		seenS, seenT := map[int]bool{}, map[int]bool{}
		for _, p := range res.Pairs {
			for _, i := range p.Src {
				if seenS[i] || i < 0 || i >= len(src) {
					t.Fatalf("source %d repeated or out of range", i)
				}
				seenS[i] = true
			}
			for _, j := range p.Tgt {
				if seenT[j] || j < 0 || j >= len(tgt) {
					t.Fatalf("target %d repeated or out of range", j)
				}
				seenT[j] = true
			}
			if p.Score < 0 || p.Score > 1 {
				t.Fatalf("score %v", p.Score)
			}
		}
		if len(seenS) != len(src) || len(seenT) != len(tgt) {
			t.Fatalf("covered %d/%d and %d/%d", len(seenS), len(src), len(seenT), len(tgt))
		}
	})
}

func TestEvaluate(t *testing.T) {
	gold := []Pair{{Src: []int{0}, Tgt: []int{0, 1}}, {Src: []int{1}, Tgt: []int{2}}, {Src: []int{2}, Tgt: []int{}}}
	got := []Pair{{Src: []int{0}, Tgt: []int{0}}, {Src: []int{}, Tgt: []int{1}}, {Src: []int{1}, Tgt: []int{2}}, {Src: []int{2}, Tgt: []int{}}}
	s := Evaluate(got, gold)
	if s.Precision != 0.5 || s.Recall != 2.0/3 {
		t.Errorf("strict: got P %v R %v, want 0.5 and 0.667", s.Precision, s.Recall)
	}
	if s.LaxP != 1 || s.LaxR != 2.0/3 {
		t.Errorf("lax: got P %v R %v, want 1 and 0.667", s.LaxP, s.LaxR)
	}
	if _, err := ReadGold(strings.NewReader("es\ten\n1\tx\n")); err == nil || !strings.Contains(err.Error(), "line 2") {
		t.Errorf("bad gold: got %v, want an error on line 2", err)
	}
}

// cut moves every cue starting after at by d: the target comes from an
// edit with d more (or, negative, less) material at that point.
func cut(cues []subtitles.Cue, at, d time.Duration) []subtitles.Cue {
	out := make([]subtitles.Cue, len(cues))
	for i, c := range cues {
		if c.Start > at {
			c.Start += d
			c.End += d
		}
		out[i] = c
	}
	return out
}

func TestTimeWithCut(t *testing.T) {
	for seed := int64(1); seed <= 3; seed++ {
		src, tgt, gold := synth(seed, 400)
		mid := src[len(src)/2].Start
		tgt = distort(cut(tgt, mid, 42*time.Second), 25/(24000.0/1001), ms(2350))
		res := Time(src, tgt, Options{})
		checkCover(t, res, len(src), len(tgt))
		if got := f1(res.Pairs, gold); got < 0.98 {
			t.Errorf("seed %d: strict F1 %.3f, want ≥ 0.98 (%s)", seed, got, res.Mapping.Explain())
		}
		if len(res.Mapping.Pieces) != 2 {
			t.Errorf("seed %d: got %d pieces (%s), want 2", seed, len(res.Mapping.Pieces), res.Mapping.Explain())
		}
		t.Logf("seed %d: %s", seed, res.Mapping.Explain())
	}
}

func TestSyncExplains(t *testing.T) {
	src, _, _ := synth(4, 400)
	at := src[200].Start
	in := distort(cut(src, at, 42*time.Second), 25/(24000.0/1001), ms(2350))
	res := Sync(in, src, Options{})
	got := res.Mapping.Explain()
	t.Logf("%+v", res.Mapping)
	want := "offset +2.350 s; speed 25→23.976 (×1.0427); insert of 42.0 s at "
	if !strings.HasPrefix(got, want) || res.Confidence < 0.95 {
		t.Errorf("got %q (confidence %.2f), want it to start %q", got, res.Confidence, want)
	}
	within := 0
	for i, c := range in {
		if d := res.Mapping.Apply(c.Start) - src[i].Start; d <= 40*time.Millisecond && d >= -40*time.Millisecond {
			within++
		}
	}
	if share := float64(within) / float64(len(in)); share < 0.95 {
		t.Errorf("%.1f%% of cue starts within ±40 ms, want ≥ 95%%", 100*share)
	}
}

func BenchmarkSync1500(b *testing.B) {
	src, _, _ := synth(1, 1500)
	in := distort(cut(src, src[700].Start, 42*time.Second), 25/(24000.0/1001), ms(2350))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		Sync(in, src, Options{})
	}
}
