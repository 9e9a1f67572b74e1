package align

import (
	"fmt"
	"math"
	"sort"
	"strings"
	"time"

	"github.com/recuerdo-archive/recuerdo/subtitles"
)

// MinConfidence is the confidence below which a sync is refused unless forced.
const MinConfidence = 0.5

// SyncResult says how a track's timing was moved onto a reference.
type SyncResult struct {
	Mapping    Mapping
	Confidence float64 // in [0,1]; see Sync
	Matched    float64 // share of input cues starting within 0.3 s of a reference cue once mapped
	Chance     float64 // the same share with the mapping deliberately off, i.e. by chance
}

// Sync finds the mapping that puts input's cues on reference's timing,
// and how confident it is. Confidence compares the share of mapped input
// cues that start within 0.3 s of a reference cue with the share that do
// so by chance (the mapping moved by a few seconds either way): 1 when
// every cue lands, 0 when no better than chance. Two unrelated tracks
// overlap a lot, since speech fills most of the time; they do not share
// cue starts. Apply the mapping with Mapping.Apply.
func Sync(input, reference []subtitles.Cue, opt Options) SyncResult {
	m := Estimate(reference, input, opt)
	s, t := spans(reference), spans(input)
	res := SyncResult{Mapping: m}
	if len(s) == 0 || len(t) == 0 {
		return res
	}
	starts := make([]float64, len(s))
	for i, x := range s {
		starts[i] = x.start
	}
	mapped := mapSpans(t, m)
	res.Matched = startMatches(starts, mapped, 0)
	shifts := []float64{-9.7, -6.1, -3.3, 3.7, 7.3, 11.9}
	for _, d := range shifts {
		res.Chance += startMatches(starts, mapped, d) / float64(len(shifts))
	}
	if res.Chance < 1 {
		res.Confidence = math.Max(0, (res.Matched-res.Chance)/(1-res.Chance))
	}
	return res
}

// startMatches is the share of t's cues that, moved by shift seconds,
// start within 0.3 s of one of starts (sorted).
func startMatches(starts []float64, t []span, shift float64) float64 {
	n := 0
	for _, x := range t {
		p := x.start + shift
		i := sort.SearchFloat64s(starts, p-0.3)
		if i < len(starts) && starts[i] <= p+0.3 {
			n++
		}
	}
	return float64(n) / float64(len(t))
}

// Explain describes a mapping the way an editor would say it, e.g.
// "offset +2.350 s; speed 25→23.976 (×1.0427); cut of 42.0 s at 00:31:10".
func (m Mapping) Explain() string {
	if m.IsIdentity() {
		return "already in sync"
	}
	if m.PerCue {
		offs := make([]float64, len(m.Pieces))
		for k, p := range m.Pieces {
			offs[k] = p.Offset.Seconds()
		}
		sort.Float64s(offs)
		s := fmt.Sprintf("re-timed cue by cue; median shift %+.1f s (%+.1f to %+.1f s)", offs[len(offs)/2], offs[0], offs[len(offs)-1])
		if m.Scale != 1 {
			s += "; speed " + speedName(m.Scale)
		}
		return s
	}
	var parts []string
	parts = append(parts, fmt.Sprintf("offset %+.3f s", m.Pieces[0].Offset.Seconds()))
	if m.Scale != 1 {
		parts = append(parts, "speed "+speedName(m.Scale))
	}
	for k := 1; k < len(m.Pieces); k++ {
		d := m.Pieces[k].Offset - m.Pieces[k-1].Offset
		at := m.Apply(m.Pieces[k].From)
		kind := "cut"
		if d < 0 {
			kind = "insert" // the input has material the reference lacks
		}
		if d.Abs() < time.Second {
			parts = append(parts, fmt.Sprintf("timing %+.3f s from %s", d.Seconds(), clock(at)))
			continue
		}
		parts = append(parts, fmt.Sprintf("%s of %.1f s at %s", kind, math.Abs(d.Seconds()), clock(at)))
	}
	return strings.Join(parts, "; ")
}

var rateNames = []string{"23.976", "24", "25", "29.97", "30"}

// speedName names a speed factor by the frame rates it converts between
// when it is one of their ratios.
func speedName(scale float64) string {
	for i, a := range frameRates {
		for j, b := range frameRates {
			if i != j && math.Abs(a/b-scale) < 0.0002 {
				return fmt.Sprintf("%s→%s (×%.4f)", rateNames[i], rateNames[j], scale)
			}
		}
	}
	return fmt.Sprintf("×%.5f", scale)
}

func clock(d time.Duration) string {
	if d < 0 {
		d = 0
	}
	s := int(d.Round(time.Second) / time.Second)
	return fmt.Sprintf("%02d:%02d:%02d", s/3600, s/60%60, s%60)
}
