package align

import (
	"math"
	"sort"
	"time"

	"github.com/recuerdo-archive/recuerdo/subtitles"
	"github.com/recuerdo-archive/recuerdo/subtitles/lexicon"
)

// Pair links consecutive source cues to consecutive target cues. Indexes
// are 0-based positions in the input slices.
type Pair struct {
	Src   []int   // source cue indexes, ascending; empty for a target-only cue
	Tgt   []int   // target cue indexes, ascending; empty for a source-only cue
	Score float64 // confidence in [0,1]: the time overlap of the two sides
}

// Result is an alignment of two tracks.
type Result struct {
	Method  string        // "time", "voice-over" (paired on content, re-timed cue by cue) or "text"
	Pairs   []Pair        // in time order; they cover every source and target index exactly once
	Offset  time.Duration // target time * Scale + Offset ≈ source time, before any cut
	Scale   float64       // speed factor between the tracks, 1 when none
	Mapping Mapping       // the full mapping applied to the target, cuts included
	Regions []Region      // stretches of the target and how far each is trusted
}

// Options tune Time. The zero value works.
type Options struct {
	MaxOffset     time.Duration // largest constant offset looked for; default 2 minutes
	DisableTiming bool          // pair the tracks as they are, without looking for offset and speed
	// Lexicon, when set, lets content evidence count words that translate
	// each other (a learned lexicon, a dictionary, a glossary).
	Lexicon *lexicon.Lexicon
	// SrcLang and TgtLang name the tracks' languages ("es", "en") for the
	// lexicon; guessed from the text when empty.
	SrcLang, TgtLang string
}

// bead is one allowed shape of pair: how many source and target cues it takes.
type bead struct{ s, t int }

var beads = []bead{{1, 1}, {1, 0}, {0, 1}, {1, 2}, {2, 1}, {2, 2}, {1, 3}, {3, 1}}

// mergePenalty is the cost, in seconds of mismatched time, of each cue a
// pair takes beyond one per side: merging must win clearly, not by jitter.
const mergePenalty = 0.5

// window is how far from a source cue, after mapping, target cues are considered.
const window = 10 * time.Second

type span struct {
	start, end float64 // seconds
	idx        int     // position in the caller's slice
	u          *unit   // the cue's text as content evidence sees it; nil until attached
}

// Time aligns target cues with source cues of the same speech by time
// overlap: first it finds the offset and speed factor (frame-rate change)
// that map the target's clock onto the source's, then it pairs cues by
// dynamic programming, allowing 1-1, 1-2, 2-1, 2-2, 1-3, 3-1 pairs and
// unmatched cues. Input need not be sorted; pairs follow time order.
func Time(src, tgt []subtitles.Cue, opt Options) Result {
	if opt.MaxOffset <= 0 {
		opt.MaxOffset = 2 * time.Minute
	}
	s, t := spans(src), spans(tgt)
	res := Result{Method: "time", Scale: 1, Mapping: Identity()}
	if !opt.DisableTiming && len(s) > 0 && len(t) > 0 {
		m := estimate(s, t, opt.MaxOffset.Seconds())
		mapped := mapSpans(t, m)
		if !m.IsIdentity() && overlapTotal(s, mapped) > 1.05*overlapTotal(s, t) {
			t = mapped
			res.Scale, res.Offset, res.Mapping = m.Scale, m.Pieces[0].Offset, m
		}
	}
	c := newContent(src, tgt, s, t, opt)
	res.Pairs = dp(s, t, c)
	if vo, ok := c.voiceOver(s, t, res.Pairs); ok {
		res.Method = "voice-over"
		res.Pairs = vo
		res.Mapping = retime(s, t, tgt, vo, res.Mapping)
	}
	res.Regions = alignRegions(s, t, tgt, res, c)
	return res
}

func spans(cues []subtitles.Cue) []span {
	out := make([]span, len(cues))
	for i, c := range cues {
		a, b := c.Start.Seconds(), c.End.Seconds()
		if b < a {
			b = a
		}
		out[i] = span{a, b, i, nil}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].start < out[j].start })
	return out
}

func overlap(a, b span) float64 {
	return math.Max(0, math.Min(a.end, b.end)-math.Max(a.start, b.start))
}

// overlapTotal sums the time overlap between two sorted tracks.
func overlapTotal(s, t []span) float64 {
	total := 0.0
	j := 0
	for _, a := range s {
		for j < len(t) && t[j].end <= a.start {
			j++
		}
		for k := j; k < len(t) && t[k].start < a.end; k++ {
			total += overlap(a, t[k])
		}
	}
	return total
}

// dp pairs the cues of two sorted tracks, maximising the total of
// 3·overlap − duration(source side) − duration(target side) − merge
// penalties over all pairs; an unmatched cue costs its duration.
func dp(s, t []span, c *content) []Pair {
	n, m := len(s), len(t)
	lo, hi := bands(s, t)
	c.useGrid(lo, hi)
	negInf := math.Inf(-1)
	score := make([][]float64, n+1)
	move := make([][]int8, n+1)
	for i := 0; i <= n; i++ {
		w := hi[i] - lo[i] + 1
		score[i] = make([]float64, w)
		move[i] = make([]int8, w)
		for k := range score[i] {
			score[i][k] = negInf
			move[i][k] = -1
		}
	}
	get := func(i, j int) float64 {
		if i < 0 || j < lo[i] || j > hi[i] {
			return negInf
		}
		return score[i][j-lo[i]]
	}
	score[0][0-lo[0]] = 0
	for i := 0; i <= n; i++ {
		for j := lo[i]; j <= hi[i]; j++ {
			if i == 0 && j == 0 {
				continue
			}
			best, bestMove := negInf, int8(-1)
			for mi, b := range beads {
				if b.s > i || b.t > j {
					continue
				}
				prev := get(i-b.s, j-b.t)
				if prev == negInf {
					continue
				}
				v, ok := beadScore(s[i-b.s:i], t[j-b.t:j], c, i-b.s, j-b.t)
				if !ok {
					continue
				}
				if prev+v > best {
					best, bestMove = prev+v, int8(mi)
				}
			}
			score[i][j-lo[i]] = best
			move[i][j-lo[i]] = bestMove
		}
	}
	var out []Pair
	i, j := n, m
	for i > 0 || j > 0 {
		mi := int8(-1)
		if j >= lo[i] && j <= hi[i] {
			mi = move[i][j-lo[i]]
		}
		if mi < 0 { // unreachable in a well-formed band; fall back to unmatched cues
			if i > 0 && j <= hi[i] {
				out = append(out, Pair{Src: []int{s[i-1].idx}, Tgt: []int{}})
				i--
			} else {
				out = append(out, Pair{Src: []int{}, Tgt: []int{t[j-1].idx}})
				j--
			}
			continue
		}
		b := beads[mi]
		p := Pair{Src: []int{}, Tgt: []int{}}
		for k := i - b.s; k < i; k++ {
			p.Src = append(p.Src, s[k].idx)
		}
		for k := j - b.t; k < j; k++ {
			p.Tgt = append(p.Tgt, t[k].idx)
		}
		if b.s > 0 && b.t > 0 {
			p.Score = iou(s[i-b.s:i], t[j-b.t:j])
		}
		sort.Ints(p.Src)
		sort.Ints(p.Tgt)
		out = append(out, p)
		i, j = i-b.s, j-b.t
	}
	for a, b := 0, len(out)-1; a < b; a, b = a+1, b-1 {
		out[a], out[b] = out[b], out[a]
	}
	return out
}

// beadScore scores a candidate pair; ok is false for a pair whose sides do
// not overlap at all (they are better left unmatched). Content evidence
// counts timeContent seconds per nat; a note left alone costs little.
func beadScore(s, t []span, c *content, i0, j0 int) (float64, bool) {
	ds, dt := duration(s), duration(t)
	if len(s) == 0 || len(t) == 0 {
		if len(t) == 1 && t[0].u != nil && t[0].u.note {
			dt *= 0.2
		}
		return -(ds + dt), true
	}
	ov := 0.0
	for _, a := range s {
		for _, b := range t {
			ov += overlap(a, b)
		}
	}
	if ov <= 0 {
		return 0, false
	}
	return 3*ov - ds - dt - mergePenalty*float64(len(s)+len(t)-2) + timeContent*c.evidence(i0, i0+len(s), j0, j0+len(t)), true
}

// timeContent is what one nat of content evidence is worth, in seconds of
// overlap: enough to decide where timing leaves the pairing open, not to
// overrule clear timing.
const timeContent = 0.08

func duration(x []span) float64 {
	d := 0.0
	for _, a := range x {
		d += a.end - a.start
	}
	return d
}

// iou is the overlap of the two sides over their union, in [0,1].
func iou(s, t []span) float64 {
	ov := 0.0
	for _, a := range s {
		for _, b := range t {
			ov += overlap(a, b)
		}
	}
	union := duration(s) + duration(t) - ov
	if union <= 0 {
		return 1 // two zero-length cues at the same moment
	}
	return math.Min(1, ov/union)
}

// bands returns, for each number i of source cues consumed, the range of
// target counts j the search considers: those whose cues lie near source
// cue i-1 in time. The bands are monotone and connected, so every path of
// unmatched cues stays possible.
func bands(s, t []span) (lo, hi []int) {
	n, m := len(s), len(t)
	lo, hi = make([]int, n+1), make([]int, n+1)
	w := window.Seconds()
	a, b := 0, 0
	for i := 1; i <= n; i++ {
		c := s[i-1]
		for a < m && t[a].end < c.start-w {
			a++
		}
		for b < m && t[b].start <= c.end+w {
			b++
		}
		lo[i], hi[i] = max(0, a-3), min(m, b+3)
	}
	return connect(lo, hi, n, m)
}
