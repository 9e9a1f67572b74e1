package align

import (
	"math"
	"sort"
)

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

// estimate finds the scale and offset that map target times onto source
// times (source ≈ target·scale + offset). For each candidate scale, every
// pair of cue starts within maxOffset of each other votes for an offset;
// the scale whose offset gets the most votes wins, then a least-squares
// fit on the pairs that agree refines it. It returns (1, 0) when the votes
// show no clear mapping.
func estimate(s, t []span, maxOffset float64) (scale, offset float64) {
	starts := make([]float64, len(s))
	for i, x := range s {
		starts[i] = x.start
	}
	nb := int(2*maxOffset/binWidth) + 1
	bins := make([]int32, nb)
	type cand struct {
		scale, offset float64
		votes         int32
	}
	var best, identity cand
	for _, sc := range scales() {
		clear(bins)
		for _, x := range t {
			p := x.start * sc
			k := sort.SearchFloat64s(starts, p-maxOffset)
			for ; k < len(starts) && starts[k] <= p+maxOffset; k++ {
				bins[int((starts[k]-p+maxOffset)/binWidth)]++
			}
		}
		bi, bv := 0, int32(0)
		for i := range bins {
			v := bins[i]
			if i > 0 {
				v += bins[i-1]
			}
			if i+1 < nb {
				v += bins[i+1]
			}
			if v > bv {
				bi, bv = i, v
			}
		}
		c := cand{sc, float64(bi)*binWidth - maxOffset + binWidth/2, bv}
		if sc == 1 {
			identity = c
		}
		if c.votes > best.votes {
			best = c
		}
	}
	need := int32(max(3, min(len(s), len(t))/5))
	if best.votes < need {
		return 1, 0
	}
	if best.scale != 1 && float64(identity.votes) >= 0.8*float64(best.votes) {
		best = identity
	}
	return refine(s, t, best.scale, best.offset)
}

// refine fits source start = a·target start + b by least squares over the
// cue pairs within 0.3 s of the estimate, keeping the candidate scale when
// the fit strays from it (a fit should sharpen, not replace, the estimate).
func refine(s, t []span, scale, offset float64) (float64, float64) {
	var n, sx, sy, sxx, sxy float64
	j := 0
	for _, x := range t {
		p := x.start*scale + offset
		for j < len(s) && s[j].start < p-0.3 {
			j++
		}
		if j < len(s) && math.Abs(s[j].start-p) <= 0.3 {
			n++
			sx += x.start
			sy += s[j].start
			sxx += x.start * x.start
			sxy += x.start * s[j].start
		}
	}
	if n < 3 {
		return scale, offset
	}
	den := n*sxx - sx*sx
	if den == 0 {
		return scale, (sy - scale*sx) / n
	}
	a := (n*sxy - sx*sy) / den
	if math.Abs(a/scale-1) > 0.0005 {
		return scale, (sy - scale*sx) / n
	}
	return a, (sy - a*sx) / n
}
