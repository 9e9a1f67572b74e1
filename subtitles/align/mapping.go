package align

import (
	"math"
	"sort"
	"time"

	"github.com/recuerdo-archive/recuerdo/subtitles"
)

// Mapping maps target times onto source times: target time t on or after
// Pieces[k].From maps to t·Scale + Pieces[k].Offset. More than one piece
// means the two tracks come from different edits: a cut.
type Mapping struct {
	Scale  float64
	Pieces []Piece
	PerCue bool // re-timed cue by cue (a voice-over), not cut: a piece per cue
}

// Piece is one stretch of a Mapping with a constant offset.
type Piece struct {
	From   time.Duration // target time where the piece starts
	Offset time.Duration
}

// Identity is the mapping that changes nothing.
func Identity() Mapping { return Mapping{Scale: 1, Pieces: []Piece{{}}} }

// Apply maps one target time.
func (m Mapping) Apply(t time.Duration) time.Duration {
	off := m.offsetAt(t)
	return time.Duration(math.Round(float64(t)*m.Scale)) + off
}

func (m Mapping) offsetAt(t time.Duration) time.Duration {
	if len(m.Pieces) == 0 {
		return 0
	}
	// the last piece starting at or before t; the first one before it
	k := sort.Search(len(m.Pieces), func(k int) bool { return m.Pieces[k].From > t })
	return m.Pieces[max(0, k-1)].Offset
}

// IsIdentity reports whether the mapping changes nothing.
func (m Mapping) IsIdentity() bool {
	return m.Scale == 1 && len(m.Pieces) == 1 && m.Pieces[0].Offset == 0
}

// frameRates are the rates subtitles are commonly timed at; a subtitle
// file converted between two of them runs faster or slower by their ratio.
var frameRates = []float64{24000.0 / 1001, 24, 25, 30000.0 / 1001, 30}

// scales lists 1 and every ratio between two common frame rates.
func scales() []float64 {
	out := []float64{1}
	for _, a := range frameRates {
		for _, b := range frameRates {
			r := a / b
			dup := false
			for _, x := range out {
				if math.Abs(x-r) < 1e-6 {
					dup = true
				}
			}
			if !dup {
				out = append(out, r)
			}
		}
	}
	return out
}

const binWidth = 0.1 // seconds

// votes returns, for one scale, the smoothed number of cue-start pairs
// voting for each offset bin.
func votes(starts []float64, t []span, sc, maxOffset float64, bins []int32) []int32 {
	clear(bins)
	nb := len(bins)
	for _, x := range t {
		p := x.start * sc
		k := sort.SearchFloat64s(starts, p-maxOffset)
		for ; k < len(starts) && starts[k] <= p+maxOffset; k++ {
			bins[int((starts[k]-p+maxOffset)/binWidth)]++
		}
	}
	sm := make([]int32, nb)
	for i := range bins {
		v := bins[i]
		if i > 0 {
			v += bins[i-1]
		}
		if i+1 < nb {
			v += bins[i+1]
		}
		sm[i] = v
	}
	return sm
}

// estimate finds the mapping of target times onto source times. For each
// candidate scale (1 and the ratios of common frame rates), every pair of
// cue starts within maxOffset votes for an offset; the scale whose best
// offset gets the most votes wins (1 unless another is clearly better).
// The strongest offsets then compete, cue by cue, in a Viterbi pass that
// charges for every switch, so that a different edit (a cut) shows as a
// change of offset. It returns the identity when the votes show no clear
// mapping.
func estimate(s, t []span, maxOffset float64) Mapping {
	starts := make([]float64, len(s))
	for i, x := range s {
		starts[i] = x.start
	}
	nb := int(2*maxOffset/binWidth) + 1
	bins := make([]int32, nb)
	type cand struct {
		scale  float64
		votes  int32
		smooth []int32
	}
	var best, identity cand
	for _, sc := range scales() {
		sm := votes(starts, t, sc, maxOffset, bins)
		var bv int32
		for _, v := range sm {
			bv = max(bv, v)
		}
		c := cand{sc, bv, sm}
		if sc == 1 {
			identity = c
		}
		if c.votes > best.votes {
			best = c
		}
	}
	need := int32(max(3, min(len(s), len(t))/5))
	if best.votes < need {
		return Identity()
	}
	if best.scale != 1 && float64(identity.votes) >= 0.8*float64(best.votes) {
		best = identity
	}
	// The strongest distinct offsets.
	var peaks []float64
	order := make([]int, nb)
	for i := range order {
		order[i] = i
	}
	sort.Slice(order, func(a, b int) bool { return best.smooth[order[a]] > best.smooth[order[b]] })
	for _, i := range order {
		if best.smooth[i] < max(need/2, best.votes/5) || len(peaks) == 6 {
			break
		}
		off := float64(i)*binWidth - maxOffset + binWidth/2
		far := true
		for _, p := range peaks {
			if math.Abs(p-off) < 1 {
				far = false
			}
		}
		if far {
			peaks = append(peaks, off)
		}
	}
	// The fitted scale must earn its place: keep whichever of the voted and
	// the fitted scale lands more target starts within 40 ms of a source start.
	m := pieces(starts, t, best.scale, peaks)
	if sc := refineScale(s, t, best.scale, peaks[0]); sc != best.scale {
		if m2 := pieces(starts, t, sc, peaks); landed(starts, t, m2) > landed(starts, t, m) {
			m = m2
		}
	}
	m = refine(starts, t, m)
	// Tracks timed by different people differ by some tens of
	// milliseconds at random; that is not an offset to report.
	if m.Scale == 1 && len(m.Pieces) == 1 && m.Pieces[0].Offset.Abs() < 40*time.Millisecond {
		return Identity()
	}
	return m
}

// landed counts the target cues that m maps within 40 ms of a source start.
func landed(starts []float64, t []span, m Mapping) int {
	n := 0
	for _, x := range mapSpans(t, m) {
		i := sort.SearchFloat64s(starts, x.start-0.04)
		if i < len(starts) && starts[i] <= x.start+0.04 {
			n++
		}
	}
	return n
}

// refineScale fits source start = a·target start + b by least squares over
// the cue pairs within 0.3 s of the main offset, then again over the pairs
// that fit the first line well (chance pairs from another part of the
// edit would bias it). It keeps the candidate scale when the fit strays
// from it: a fit should sharpen the estimate, not replace it.
func refineScale(s, t []span, scale, offset float64) float64 {
	type pt struct{ x, y float64 }
	var pts []pt
	j := 0
	for _, x := range t {
		p := x.start*scale + offset
		for j < len(s) && s[j].start < p-0.3 {
			j++
		}
		if j < len(s) && math.Abs(s[j].start-p) <= 0.3 {
			pts = append(pts, pt{x.start, s[j].start})
		}
	}
	fit := func(pts []pt) (a, b float64, ok bool) {
		var n, sx, sy, sxx, sxy float64
		for _, p := range pts {
			n++
			sx += p.x
			sy += p.y
			sxx += p.x * p.x
			sxy += p.x * p.y
		}
		den := n*sxx - sx*sx
		if n < 3 || den == 0 {
			return 0, 0, false
		}
		a = (n*sxy - sx*sy) / den
		return a, (sy - a*sx) / n, true
	}
	a, b, ok := fit(pts)
	if !ok {
		return scale
	}
	res := make([]float64, len(pts))
	for i, p := range pts {
		res[i] = math.Abs(p.y - (a*p.x + b))
	}
	sorted := append([]float64(nil), res...)
	sort.Float64s(sorted)
	tol := math.Max(0.02, 2.5*sorted[len(sorted)/2])
	var good []pt
	for i, p := range pts {
		if res[i] <= tol {
			good = append(good, p)
		}
	}
	if a2, _, ok := fit(good); ok {
		a = a2
	}
	// Frame-rate ratios are exact: when the fit agrees with one to within
	// what timing jitter explains, that ratio is the truth. (The votes may
	// have preferred a neighbour, 1 for 1000/1001 on a short file.)
	for _, r := range scales() {
		if math.Abs(a/r-1) < 0.0002 {
			return r
		}
	}
	if math.Abs(a/scale-1) > 0.0005 {
		return scale
	}
	return a
}

// switchCost is what a change of offset costs in the Viterbi pass, in
// seconds of distance: a cut must be supported by several cues.
const switchCost = 6.0

// pieces chooses, for each target cue in time order, one of the candidate
// offsets, minimising the distance from each mapped start to the nearest
// source start (capped at 2 s) plus switchCost per change; each piece's
// offset is then the median of its well-matched cues' differences.
func pieces(starts []float64, t []span, scale float64, offsets []float64) Mapping {
	n, k := len(t), len(offsets)
	nearest := func(p float64) float64 {
		i := sort.SearchFloat64s(starts, p)
		d := math.Inf(1)
		if i < len(starts) {
			d = starts[i] - p
		}
		if i > 0 && p-starts[i-1] < math.Abs(d) {
			d = starts[i-1] - p
		}
		return d
	}
	cost := make([][]float64, n)
	back := make([][]int8, n)
	for j := range t {
		cost[j] = make([]float64, k)
		back[j] = make([]int8, k)
		for a := 0; a < k; a++ {
			c := math.Min(2, math.Abs(nearest(t[j].start*scale+offsets[a])))
			if j == 0 {
				cost[j][a] = c
				continue
			}
			best, arg := math.Inf(1), 0
			for b := 0; b < k; b++ {
				v := cost[j-1][b]
				if b != a {
					v += switchCost
				}
				if v < best {
					best, arg = v, b
				}
			}
			cost[j][a], back[j][a] = best+c, int8(arg)
		}
	}
	choice := make([]int, n)
	bestEnd := 0
	for a := 1; a < k; a++ {
		if cost[n-1][a] < cost[n-1][bestEnd] {
			bestEnd = a
		}
	}
	choice[n-1] = bestEnd
	for j := n - 1; j > 0; j-- {
		choice[j-1] = int(back[j][choice[j]])
	}
	m := Mapping{Scale: scale}
	for j := 0; j < n; {
		e := j
		var diffs []float64
		for e < n && choice[e] == choice[j] {
			p := t[e].start*scale + offsets[choice[j]]
			if d := nearest(p); math.Abs(d) <= 0.3 {
				diffs = append(diffs, d+offsets[choice[j]])
			}
			e++
		}
		off := offsets[choice[j]]
		if len(diffs) > 0 {
			sort.Float64s(diffs)
			off = diffs[len(diffs)/2]
		}
		from := time.Duration(0)
		if j > 0 {
			// the cut lies between the two cues: start the piece midway
			from = boundary(t[j-1].end, t[j].start)
		}
		m.Pieces = append(m.Pieces, Piece{From: from, Offset: secs(off)})
		j = e
	}
	return m
}

func secs(s float64) time.Duration { return time.Duration(math.Round(s*1000)) * time.Millisecond }

// Estimate finds how target's clock maps onto source's: the speed factor
// (frame-rate change), the offset, and any cuts where the offset changes.
func Estimate(src, tgt []subtitles.Cue, opt Options) Mapping {
	if opt.MaxOffset <= 0 {
		opt.MaxOffset = 2 * time.Minute
	}
	s, t := spans(src), spans(tgt)
	if len(s) == 0 || len(t) == 0 {
		return Identity()
	}
	return estimate(s, t, opt.MaxOffset.Seconds())
}

// mapSpans applies m to target spans.
func mapSpans(t []span, m Mapping) []span {
	out := make([]span, len(t))
	for i, x := range t {
		off := m.offsetAt(secs(x.start)).Seconds()
		out[i] = span{x.start*m.Scale + off, x.end*m.Scale + off, x.idx, x.u}
	}
	return out
}

// refine splits pieces where the timing moves by a small, steady amount
// (a reference timed a little later over its first minutes): within each
// piece, the residuals of the cues that land within 0.3 s of a source
// start are cut in two where that explains them best, again and again,
// while both halves hold at least refineMin cues, their medians differ by
// 60 ms or more and each half is tight (median deviation under 30 ms:
// cues timed from the same source, not a translation's jitter).
func refine(starts []float64, t []span, m Mapping) Mapping {
	if len(t) == 0 {
		return m
	}
	type res struct {
		k int     // target position
		d float64 // nearest source start minus mapped start
	}
	mapped := mapSpans(t, m)
	var all []res
	for k, x := range mapped {
		i := sort.SearchFloat64s(starts, x.start)
		d := math.Inf(1)
		if i < len(starts) {
			d = starts[i] - x.start
		}
		if i > 0 && x.start-starts[i-1] < math.Abs(d) {
			d = starts[i-1] - x.start
		}
		if math.Abs(d) <= 0.3 {
			all = append(all, res{k, d})
		}
	}
	median := func(rs []res) float64 {
		v := make([]float64, len(rs))
		for i, r := range rs {
			v[i] = r.d
		}
		sort.Float64s(v)
		return v[len(v)/2]
	}
	mad := func(rs []res, c float64) float64 {
		v := make([]float64, len(rs))
		for i, r := range rs {
			v[i] = math.Abs(r.d - c)
		}
		sort.Float64s(v)
		return v[len(v)/2]
	}
	// segments cuts rs into runs of steady residual: the first position
	// and median residual of each
	var segments func(rs []res) []res
	segments = func(rs []res) []res {
		whole := []res{{rs[0].k, median(rs)}}
		n := len(rs)
		if n < 2*refineMin {
			return whole
		}
		// best cut by squared error, from prefix sums
		ps, pq := make([]float64, n+1), make([]float64, n+1)
		for i, r := range rs {
			ps[i+1] = ps[i] + r.d
			pq[i+1] = pq[i] + r.d*r.d
		}
		sse := func(a, b int) float64 {
			s := ps[b] - ps[a]
			return pq[b] - pq[a] - s*s/float64(b-a)
		}
		best, arg := sse(0, n), -1
		for c := refineMin; c <= n-refineMin; c++ {
			if v := sse(0, c) + sse(c, n); v < best {
				best, arg = v, c
			}
		}
		if arg < 0 {
			return whole
		}
		a, b := rs[:arg], rs[arg:]
		ma, mb := median(a), median(b)
		if math.Abs(ma-mb) < 0.06 || mad(a, ma) > 0.03 || mad(b, mb) > 0.03 {
			return whole
		}
		return append(segments(a), segments(b)...)
	}
	// refine each piece apart: a cut's own change of offset stays as it is
	pieceOf := func(k int) int {
		own := secs(t[k].start)
		p := sort.Search(len(m.Pieces), func(q int) bool { return m.Pieces[q].From > own })
		return max(0, p-1)
	}
	segs := map[int][]res{}
	changed := false
	for a := 0; a < len(all); {
		b := a
		for b < len(all) && pieceOf(all[b].k) == pieceOf(all[a].k) {
			b++
		}
		s := segments(all[a:b])
		segs[pieceOf(all[a].k)] = s
		changed = changed || len(s) > 1 || math.Abs(s[0].d) >= 0.001
		a = b
	}
	if !changed {
		return m
	}
	out := Mapping{Scale: m.Scale, PerCue: m.PerCue}
	for q, p := range m.Pieces {
		s := segs[q]
		if len(s) == 0 {
			out.Pieces = append(out.Pieces, p)
			continue
		}
		out.Pieces = append(out.Pieces, Piece{From: p.From, Offset: p.Offset + secs(s[0].d)})
		for _, r := range s[1:] {
			k := r.k
			from := boundary(t[k-1].end, t[k].start)
			if from > out.Pieces[len(out.Pieces)-1].From {
				out.Pieces = append(out.Pieces, Piece{From: from, Offset: p.Offset + secs(r.d)})
			}
		}
	}
	return out
}

// refineMin is the fewest cues a refined piece holds.
const refineMin = 8

// boundary is where a piece starting with a cue at start begins: midway
// from the cue before it, never after its own start (overlapping cues),
// rounded down to the millisecond.
func boundary(prevEnd, start float64) time.Duration {
	b := math.Min(start, (prevEnd+start)/2)
	return time.Duration(math.Floor(b*1000)) * time.Millisecond
}
