package align

import (
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/recuerdo-archive/recuerdo/subtitles"
)

// MinConfidence is the confidence below which a sync is refused unless forced.
const MinConfidence = 0.6

// SyncResult says how a track's timing was moved onto a reference.
type SyncResult struct {
	Mapping    Mapping
	Confidence float64 // share of the input's cue time that overlaps reference cues once mapped, in [0,1]
}

// Sync finds the mapping that puts input's cues on reference's timing,
// and how confident it is: the share of the input's cue time that falls
// on reference cues once mapped. Apply the mapping with Mapping.Apply.
func Sync(input, reference []subtitles.Cue, opt Options) SyncResult {
	m := Estimate(reference, input, opt)
	s, t := spans(reference), spans(input)
	total := duration(t)
	res := SyncResult{Mapping: m}
	if total > 0 {
		res.Confidence = math.Min(1, overlapUnion(s, mapSpans(t, m))/total)
	}
	return res
}

// overlapUnion is how much of t's time is covered by s (each moment of t
// counted once even where s's cues overlap).
func overlapUnion(s, t []span) float64 {
	total := 0.0
	j := 0
	for _, b := range t {
		for j < len(s) && s[j].end <= b.start {
			j++
		}
		covered := b.start
		for k := j; k < len(s) && s[k].start < b.end; k++ {
			lo := math.Max(covered, s[k].start)
			hi := math.Min(b.end, s[k].end)
			if hi > lo {
				total += hi - lo
				covered = hi
			}
		}
	}
	return total
}

// Explain describes a mapping the way an editor would say it, e.g.
// "offset +2.350 s; speed 25→23.976 (×1.0427); cut of 42.0 s at 00:31:10".
func (m Mapping) Explain() string {
	if m.IsIdentity() {
		return "already in sync"
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
		parts = append(parts, fmt.Sprintf("%s of %.1f s at %s", kind, math.Abs(d.Seconds()), clock(at)))
	}
	return strings.Join(parts, "; ")
}

var rateNames = map[float64]string{24000.0 / 1001: "23.976", 24: "24", 25: "25", 30000.0 / 1001: "29.97", 30: "30"}

// speedName names a speed factor by the frame rates it converts between
// when it is one of their ratios.
func speedName(scale float64) string {
	for a, an := range rateNames {
		for b, bn := range rateNames {
			if a != b && math.Abs(a/b-scale) < 0.0002 {
				return fmt.Sprintf("%s→%s (×%.4f)", an, bn, scale)
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
