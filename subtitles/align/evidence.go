package align

import (
	"math"
	"sort"
	"time"

	"github.com/recuerdo-archive/recuerdo/subtitles"
)

// content is the content evidence of one alignment of timed tracks, with
// the units in the order of the spans (sorted by start).
type content struct {
	us, ut []unit
	prm    textParams
	p0     float64
	grid   *coverGrid
	active bool // both sides hold words to compare
}

func newContent(src, tgt []subtitles.Cue, s, t []span, opt Options) *content {
	st, tt := make([]string, len(s)), make([]string, len(t))
	for k, x := range s {
		st[k] = src[x.idx].Text
	}
	for k, x := range t {
		tt[k] = tgt[x.idx].Text
	}
	c := &content{us: make([]unit, len(s)), ut: make([]unit, len(t))}
	v := newVocab(opt.Lexicon, opt.SrcLang, opt.TgtLang, st, tt)
	var ws, wt int
	for k := range s {
		c.us[k] = v.newUnit(st[k], src[s[k].idx].Speaker, 0)
		s[k].u = &c.us[k]
		ws += c.us[k].nWords
	}
	for k := range t {
		c.ut[k] = v.newUnit(tt[k], tgt[t[k].idx].Speaker, 1)
		t[k].u = &c.ut[k]
		wt += c.ut[k].nWords
	}
	c.active = len(s) > 0 && len(t) > 0 && float64(ws) >= 0.5*float64(len(s)) && float64(wt) >= 0.5*float64(len(t))
	c.prm = defaultParams()
	c.prm.ratio = lengthRatio(c.us, c.ut)
	c.p0 = chanceCoverage(c.us, c.ut)
	c.prm.content = newContentModel(math.Max(0.2, 3*c.p0), c.p0)
	return c
}

// useGrid prepares the coverage counts of the cells a search visits.
func (c *content) useGrid(lo, hi []int) {
	if c.active {
		c.grid = newCoverGrid(c.us, c.ut, lo, hi)
	}
}

// evidence is the content evidence, in nats, that source units [i0,i1)
// and target units [j0,j1) translate each other.
func (c *content) evidence(i0, i1, j0, j1 int) float64 {
	if !c.active || c.grid == nil {
		return 0
	}
	ca, cb, na, nb := c.grid.sides(i0, i1, j0, j1)
	return contentWeight*c.prm.content.score(ca, cb, na, nb, i1-i0, j1-j0) + punctuation(c.us[i0:i1], c.ut[j0:j1])
}

// beadIndex is the index in textBeads of a pair's shape, -1 if none.
func beadIndex(ns, nt int) int {
	for bi, b := range textBeads {
		if b.s == ns && b.t == nt {
			return bi
		}
	}
	return -1
}

// positions turns pairs of caller indexes into pairs of span positions.
func positions(s, t []span, pairs []Pair) [][4]int {
	ps, pt := make([]int, len(s)), make([]int, len(t))
	for k, x := range s {
		ps[x.idx] = k
	}
	for k, x := range t {
		pt[x.idx] = k
	}
	out := make([][4]int, 0, len(pairs))
	for _, p := range pairs {
		var r [4]int
		switch {
		case len(p.Src) > 0 && len(p.Tgt) > 0:
			r = [4]int{ps[p.Src[0]], ps[p.Src[len(p.Src)-1]] + 1, pt[p.Tgt[0]], pt[p.Tgt[len(p.Tgt)-1]] + 1}
		case len(p.Src) > 0:
			r = [4]int{ps[p.Src[0]], ps[p.Src[len(p.Src)-1]] + 1, -1, -1}
		default:
			r = [4]int{-1, -1, pt[p.Tgt[0]], pt[p.Tgt[len(p.Tgt)-1]] + 1}
		}
		out = append(out, r)
	}
	return out
}

// totalCost is what the content and length model says of a whole
// alignment: the sum of its beads' costs (lower is likelier).
func (c *content) totalCost(s, t []span, pairs []Pair) float64 {
	total := 0.0
	for _, r := range positions(s, t, pairs) {
		i0, i1, j0, j1 := r[0], r[1], r[2], r[3]
		if i0 < 0 {
			i0, i1 = 0, 0
		}
		if j0 < 0 {
			j0, j1 = 0, 0
		}
		bi := beadIndex(i1-i0, j1-j0)
		if bi < 0 {
			total += 20
			continue
		}
		total += beadCost(c.us, c.ut, i0, i1, j0, j1, bi, &c.prm, c.grid)
	}
	return total
}

// landedShare is the share of paired cues whose starts lie within 0.3 s.
func landedShare(s, t []span, pairs []Pair) float64 {
	n, hit := 0, 0
	for _, r := range positions(s, t, pairs) {
		if r[0] < 0 || r[2] < 0 {
			continue
		}
		n++
		if math.Abs(s[r[0]].start-t[r[2]].start) <= 0.3 {
			hit++
		}
	}
	if n == 0 {
		return 0
	}
	return float64(hit) / float64(n)
}

// voiceOver aligns on content when timing alone is in doubt: when few
// paired cues start together (a translation re-timed cue by cue to a
// narrator), it pairs the cues again by content within a time window
// around the local shift (a monotonic search over cues with a prior on the
// time distance, widened once the shift is known), and keeps that pairing
// when the content and length evidence prefers it.
func (c *content) voiceOver(s, t []span, pairs []Pair) ([]Pair, bool) {
	if !c.active || len(s) < 3 || len(t) < 3 || landedShare(s, t, pairs) >= voiceOverLanded {
		return nil, false
	}
	shift := make([]float64, len(s))
	var got []Pair
	for pass, w := range []struct{ window, sigma float64 }{{8, 1.5}, {5, 0.6}} {
		lo, hi := bandsW(s, t, w.window, shift)
		g := newCoverGrid(c.us, c.ut, lo, hi)
		prm := c.prm
		if got != nil {
			// the content model, length spread and unpaired shares from the
			// first pass; not the pair shapes, which a short file would
			// learn from its own mistakes
			est := estimateParams(c.us, c.ut, toPositions(s, t, got), prm.ratio, c.p0, g)
			est.prior = prm.prior
			prm = est
		}
		sigma := w.sigma
		extra := func(i0, i1, j0, j1 int) float64 {
			if i1 == i0 || j1 == j0 {
				return 0
			}
			// charged per cue, so that a merge does not halve it
			return float64(i1-i0+j1-j0) / 2 * math.Abs(t[j0].start-s[i0].start-shift[i0]) / sigma
		}
		pp := contentDP(c.us, c.ut, prm, g, lo, hi, extra)
		got = fromPositions(s, t, pp)
		if pass == 0 {
			localShift(s, t, pp, shift)
		}
	}
	lo, hi := bandsW(s, t, 8, shift)
	c.grid = newCoverGrid(c.us, c.ut, lo, hi)
	if c.totalCost(s, t, got) >= c.totalCost(s, t, pairs) {
		return nil, false
	}
	return got, true
}

// toPositions and fromPositions convert pairs between caller indexes and
// span positions (the DP works on positions).
func toPositions(s, t []span, pairs []Pair) []Pair {
	out := make([]Pair, 0, len(pairs))
	for _, r := range positions(s, t, pairs) {
		p := Pair{Src: []int{}, Tgt: []int{}}
		for k := r[0]; k >= 0 && k < r[1]; k++ {
			p.Src = append(p.Src, k)
		}
		for k := r[2]; k >= 0 && k < r[3]; k++ {
			p.Tgt = append(p.Tgt, k)
		}
		out = append(out, p)
	}
	return out
}

func fromPositions(s, t []span, pairs []Pair) []Pair {
	out := make([]Pair, len(pairs))
	for k, p := range pairs {
		q := Pair{Src: make([]int, len(p.Src)), Tgt: make([]int, len(p.Tgt)), Score: p.Score}
		for a, i := range p.Src {
			q.Src[a] = s[i].idx
		}
		for a, j := range p.Tgt {
			q.Tgt[a] = t[j].idx
		}
		sort.Ints(q.Src)
		sort.Ints(q.Tgt)
		out[k] = q
	}
	return out
}

// localShift sets shift[i] to the running median, over nine pairs, of how
// much later the target starts than the source, for every source cue.
func localShift(s, t []span, pairs []Pair, shift []float64) {
	type pt struct {
		i int
		d float64
	}
	var pts []pt
	for _, p := range pairs {
		if len(p.Src) > 0 && len(p.Tgt) > 0 {
			pts = append(pts, pt{p.Src[0], t[p.Tgt[0]].start - s[p.Src[0]].start})
		}
	}
	if len(pts) == 0 {
		return
	}
	med := make([]float64, len(pts))
	buf := make([]float64, 0, 9)
	for k := range pts {
		buf = buf[:0]
		for q := max(0, k-4); q <= min(len(pts)-1, k+4); q++ {
			buf = append(buf, pts[q].d)
		}
		sort.Float64s(buf)
		med[k] = buf[len(buf)/2]
	}
	k := 0
	for i := range shift {
		for k+1 < len(pts) && pts[k+1].i <= i {
			k++
		}
		shift[i] = med[k]
	}
}

// bandsW is bands with a window of w seconds around each source cue moved
// by shift.
func bandsW(s, t []span, w float64, shift []float64) (lo, hi []int) {
	n, m := len(s), len(t)
	lo, hi = make([]int, n+1), make([]int, n+1)
	for i := 1; i <= n; i++ {
		c := s[i-1]
		d := shift[i-1]
		a := sort.Search(m, func(j int) bool { return t[j].start >= c.start+d-w })
		b := sort.Search(m, func(j int) bool { return t[j].start > c.start+d+w })
		lo[i], hi[i] = max(0, a-3), min(m, b+3)
	}
	return connect(lo, hi, n, m)
}

// connect makes bands monotone and connected: a source-only pair (1-0)
// must always lead from one row into the next, so every cell on a path
// stays reachable.
func connect(lo, hi []int, n, m int) ([]int, []int) {
	lo[0], hi[0] = 0, 0
	hi[n] = m
	for i := n - 1; i >= 0; i-- {
		lo[i] = min(lo[i], lo[i+1])
	}
	for i := 1; i <= n; i++ {
		hi[i] = max(hi[i], hi[i-1])
		lo[i] = max(lo[i], lo[i-1])
		if lo[i] > hi[i-1] {
			hi[i-1] = lo[i]
		}
	}
	for i := 0; i < n; i++ {
		if hi[i] < lo[i+1] {
			hi[i] = lo[i+1]
		}
		if hi[i] < lo[i] {
			hi[i] = lo[i]
		}
	}
	return lo, hi
}

// retime builds the mapping that moves each target cue onto the start of
// the source cues it is paired with (several target cues of one pair share
// its time by length); unpaired cues keep the shift of the cue before.
func retime(s, t []span, tgt []subtitles.Cue, pairs []Pair, base Mapping) Mapping {
	scale := base.Scale
	if scale == 0 {
		scale = 1
	}
	newStart := make([]float64, len(t))
	set := make([]bool, len(t))
	for _, r := range positions(s, t, pairs) {
		if r[0] < 0 || r[2] < 0 {
			continue
		}
		a, b := s[r[0]].start, s[r[1]-1].end
		total := 0.0
		for k := r[2]; k < r[3]; k++ {
			total += t[k].u.chars + 1
		}
		at := a
		for k := r[2]; k < r[3]; k++ {
			newStart[k], set[k] = at, true
			at += (b - a) * (t[k].u.chars + 1) / total
		}
	}
	orig := func(k int) float64 { return tgt[t[k].idx].Start.Seconds() } // the target's own time
	m := Mapping{Scale: scale, PerCue: true}
	last := math.NaN()
	for k := range t {
		if !set[k] {
			continue
		}
		off := newStart[k] - orig(k)*scale
		if !math.IsNaN(last) && math.Abs(off-last) < 0.0005 {
			continue
		}
		from := time.Duration(0)
		if len(m.Pieces) > 0 {
			prevEnd := orig(k)
			if k > 0 {
				prevEnd = tgt[t[k-1].idx].End.Seconds()
			}
			// rounded down: a piece must not start after its own cue
			from = time.Duration(math.Floor((math.Min(prevEnd, orig(k))+math.Max(0, orig(k)-prevEnd)/2)*1000)) * time.Millisecond
			if from <= m.Pieces[len(m.Pieces)-1].From {
				from = m.Pieces[len(m.Pieces)-1].From + time.Millisecond
			}
		}
		m.Pieces = append(m.Pieces, Piece{From: from, Offset: secs(off)})
		last = off
	}
	if len(m.Pieces) == 0 {
		return base
	}
	return m
}

// voiceOverLanded is the share of paired cues starting together (within
// 0.3 s) at or above which timing is trusted and the voice-over mode is
// not tried.
const voiceOverLanded = 0.8
