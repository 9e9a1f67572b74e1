package align

import (
	"fmt"
	"math"
	"sort"
	"time"

	"github.com/recuerdo-archive/recuerdo/subtitles"
)

// Region is a stretch of the target (for Sync, the input) and how far its
// alignment is trusted: each piece of a mapping between cuts is one, and a
// voice-over re-timed cue by cue is cut into stretches of regionCues cues.
type Region struct {
	From, To   time.Duration // the stretch, in the target's own time
	Cues       int           // target cues starting in it
	Offset     time.Duration // the offset applied there (the median one, re-timed cue by cue)
	Confidence float64       // in [0,1]
	Flagged    bool          // the evidence disagrees: check this stretch by hand
	Why        string        // what the confidence rests on, and why a stretch is flagged
}

// regionCues is the length of a region of a mapping re-timed cue by cue.
const regionCues = 25

// stretches cuts target spans (sorted, in their own time) into regions:
// one per piece of m, or of regionCues cues when m is per cue. It returns
// the first span position of each.
func stretches(own []float64, m Mapping) []int {
	if len(own) == 0 {
		return nil
	}
	starts := []int{0}
	if m.PerCue {
		for k := regionCues; k+regionCues/2 < len(own); k += regionCues {
			starts = append(starts, k)
		}
		return starts
	}
	for _, p := range m.Pieces[1:] {
		k := sort.SearchFloat64s(own, p.From.Seconds())
		if k > starts[len(starts)-1] && k < len(own) {
			starts = append(starts, k)
		}
	}
	return starts
}

// alignRegions judges an alignment stretch by stretch: the share of target
// cues in a pair whose sides overlap in time, or, in a voice-over, whose
// words agree; a stretch where content evidence is available but says the
// pairs do not translate each other is flagged.
func alignRegions(s, t []span, tgt []subtitles.Cue, res Result, c *content) []Region {
	if len(t) == 0 {
		return nil
	}
	pairOf := make([]int, len(t)) // target position → pair position, -1 when alone
	for k := range pairOf {
		pairOf[k] = -1
	}
	pos := positions(s, t, res.Pairs)
	for q, r := range pos {
		for k := r[2]; k >= 0 && k < r[3]; k++ {
			pairOf[k] = q
		}
	}
	// t is sorted by mapped start; pieces hold the target's own times
	own := make([]float64, len(t))
	for k := range t {
		own[k] = tgt[t[k].idx].Start.Seconds()
	}
	starts := stretches(own, res.Mapping)
	var out []Region
	for a, k0 := range starts {
		k1 := len(t)
		if a+1 < len(starts) {
			k1 = starts[a+1]
		}
		rg := Region{From: secs(own[k0]), To: secs(own[k1-1]), Cues: k1 - k0, Offset: res.Mapping.offsetAt(secs(own[k0]))}
		good, withText, agree := 0, 0, 0.0
		for k := k0; k < k1; k++ {
			q := pairOf[k]
			if q < 0 {
				if t[k].u != nil && t[k].u.note {
					good++ // a note left alone is right
				}
				continue
			}
			r := pos[q]
			if r[0] < 0 {
				continue
			}
			ev := 0.0
			if c != nil && c.active && (c.us[r[0]].nWords > 0 || c.ut[k].nWords > 0) {
				ev = c.evidence(r[0], r[1], r[2], r[3])
				withText++
				if ev > 0 {
					agree++
				}
			}
			if res.Method == "voice-over" {
				if ev > 0 {
					good++
				}
			} else if res.Pairs[q].Score > 0.3 || ev > 0 {
				good++
			}
		}
		rg.Confidence = round3f(float64(good) / float64(max(1, rg.Cues)))
		rg.Why = fmt.Sprintf("%d of %d cues paired with overlapping time or agreeing words", good, rg.Cues)
		if res.Method == "voice-over" {
			rg.Why = fmt.Sprintf("%d of %d cues paired with agreeing words", good, rg.Cues)
		}
		if withText >= 3 && agree/float64(withText) < 0.3 {
			rg.Flagged = true
			rg.Why += fmt.Sprintf("; the words of only %.0f of %d pairs agree", agree, withText)
		}
		if rg.Confidence < MinConfidence {
			rg.Flagged = true
		}
		out = append(out, rg)
	}
	return out
}

// unmap is the target's own time of a mapped time (m applied to it).
func unmap(m Mapping, mapped float64) float64 {
	if len(m.Pieces) == 0 || m.Scale == 0 {
		return mapped
	}
	// offsets are constant between pieces: try each and keep the one whose
	// own time falls in its piece
	for k := len(m.Pieces) - 1; k >= 0; k-- {
		x := (mapped - m.Pieces[k].Offset.Seconds()) / m.Scale
		if x >= m.Pieces[k].From.Seconds()-1e-6 || k == 0 {
			return x
		}
	}
	return mapped
}

func round3f(f float64) float64 { return math.Round(f*1000) / 1000 }
