package resegment

import (
	"math"
	"time"

	"github.com/recuerdo-archive/recuerdo/subtitles/qc"
)

// ProfileLimits are the limits a QC profile sets, for subtitles of a video
// at fps frames a second (23.976 when fps is 0 or less): frame gaps become
// times rounded up to the millisecond, so a written file keeps them, and
// every gap that QC would round to CloseGapFrames or fewer is closed.
func ProfileLimits(p qc.Profile, fps float64) Limits {
	if fps <= 0 {
		fps = 24000.0 / 1001
	}
	frames := func(n float64) time.Duration {
		return time.Duration(math.Ceil(n/fps*1000)) * time.Millisecond
	}
	lim := Limits{
		MaxLineChars: p.MaxLineChars,
		MaxLines:     p.MaxLines,
		MaxCPS:       p.MaxCPS,
		MaxWPM:       p.MaxWPM,
		MinDuration:  p.MinDuration,
		MaxDuration:  p.MaxDuration,
		MinGap:       frames(float64(p.MinGapFrames)),
	}
	if p.CloseGapFrames > 0 {
		// QC rounds a gap to whole frames: half a frame more than CloseGapFrames.
		lim.CloseGap = frames(float64(p.CloseGapFrames) + 0.5)
	}
	return lim
}
