package qc

import (
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/recuerdo-archive/recuerdo/subtitles"
)

// Change is one edit made by Fix.
type Change struct {
	Cue     int    `json:"cue"` // 1-based position in file order
	Fix     string `json:"fix"` // the check it answers: "gap", "overlap", "close-gap", "min-duration", "cps", "wpm", "line-break"
	Message string `json:"message"`
}

// FixLineBreak names the Change that re-breaks a cue's lines.
const FixLineBreak = "line-break"

// Fix makes the safe automatic fixes to a copy of cues (in file order)
// and lists every change:
//
//   - a line too long, too many lines, or a line ending with an article
//     are broken again: the same words in the same order, only the line
//     breaks move (after punctuation, or before a conjunction or
//     preposition; never after an article). Lines within the rules keep
//     their breaks, balanced or not (Check warns about unbalanced ones),
//     and two-speaker cues are left as they are;
//   - an overlap, or a gap under MinGapFrames, is opened to MinGapFrames
//     by ending the earlier cue sooner, or, when that would leave it
//     shorter than MinDuration, by starting the later one later;
//   - a cue too short for MinDuration, MaxCPS or MaxWPM is extended into
//     the free time after it, up to MinGapFrames before the next cue and
//     MaxDuration;
//   - a gap of more than MinGapFrames and at most CloseGapFrames is
//     closed to MinGapFrames by ending the earlier cue later.
//
// Words are never changed, added or removed, and times are never moved
// across another cue; what cannot be fixed safely is left for Check to
// report. Fix is idempotent: fixing its result changes nothing.
func Fix(cues []subtitles.Cue, p Profile, opt Options) ([]subtitles.Cue, []Change) {
	out := append([]subtitles.Cue(nil), cues...)
	var changes []Change
	for i := range out {
		if ls := rebreak(lines(out[i].Text), p); ls != nil {
			old := strings.Join(lines(out[i].Text), " / ")
			out[i].Text = strings.Join(ls, "\n")
			changes = append(changes, Change{Cue: i + 1, Fix: FixLineBreak,
				Message: fmt.Sprintf("%q → %q", old, strings.Join(ls, " / "))})
		}
	}
	gap := time.Duration(0)
	if p.MinGapFrames > 0 {
		gap = opt.frameTime(p.MinGapFrames)
	}
	setEnd := func(i int, end time.Duration, fix, why string) {
		changes = append(changes, Change{Cue: i + 1, Fix: fix,
			Message: fmt.Sprintf("end %s → %s (%s)", stamp(out[i].End), stamp(end), why)})
		out[i].End = end
	}
	for i := range out {
		c := &out[i]
		if c.End <= c.Start {
			continue
		}
		hasNext := i+1 < len(out) && out[i+1].Start >= c.Start && out[i+1].End > out[i+1].Start
		// Too close to the next cue: open the gap.
		if hasNext {
			next := &out[i+1]
			d := next.Start - c.End
			if f := opt.frames(d); d < 0 || f < p.MinGapFrames {
				what, fix := frameCount(f)+" before it", CheckGap
				if d < 0 {
					what, fix = fmt.Sprintf("it ran %s into cue %d", secs(-d), i+2), CheckOverlap
				}
				switch end := next.Start - gap; {
				case end-c.Start+slack >= p.MinDuration && end > c.Start:
					setEnd(i, end, fix, fmt.Sprintf("%s; now %d frames before cue %d", what, p.MinGapFrames, i+2))
				case next.End-(c.End+gap)+slack >= p.MinDuration && next.End > c.End+gap:
					start := c.End + gap
					changes = append(changes, Change{Cue: i + 2, Fix: fix,
						Message: fmt.Sprintf("start %s → %s (cue %d ends at %s; %s)", stamp(next.Start), stamp(start), i+1, stamp(c.End), strings.Replace(what, "it ran", "it runs", 1))})
					next.Start = start
				}
			}
		}
		// Too short or too fast: extend into the free time after it.
		limit := time.Duration(math.MaxInt64)
		if p.MaxDuration > 0 {
			limit = c.Start + p.MaxDuration
		}
		if hasNext {
			limit = min(limit, out[i+1].Start-gap)
		} else if i+1 < len(out) {
			limit = c.End // the next cue is out of order: leave this one
		}
		need, fix := c.End, ""
		ls := lines(c.Text)
		if t := c.Start + p.MinDuration; p.MinDuration > 0 && c.End+slack < t && t > need {
			need, fix = ceilMS(t), CheckMinDuration
		}
		if p.MaxCPS > 0 {
			if t := c.Start + ceilMS(time.Duration(float64(chars(ls))/p.MaxCPS*float64(time.Second))); t > need {
				need, fix = t, CheckCPS
			}
		}
		if p.MaxWPM > 0 {
			if t := c.Start + ceilMS(time.Duration(float64(words(c.Text))/p.MaxWPM*float64(time.Minute))); t > need {
				need, fix = t, CheckWPM
			}
		}
		if end := min(need, limit); end > c.End {
			setEnd(i, end, fix, fmt.Sprintf("on screen %s → %s", secs(c.End-c.Start), secs(end-c.Start)))
		}
		// A small gap to the next cue: close it.
		if hasNext && p.CloseGapFrames > 0 {
			end := out[i+1].Start - gap
			if f := opt.frames(out[i+1].Start - c.End); f > p.MinGapFrames && f <= p.CloseGapFrames && end > c.End &&
				(p.MaxDuration == 0 || end-c.Start <= p.MaxDuration+slack) {
				setEnd(i, end, CheckCloseGap, fmt.Sprintf("closed %s to %d frames", frameCount(f), p.MinGapFrames))
			}
		}
	}
	return out, changes
}
