package subtitles

import (
	"fmt"
	"math"
	"time"
)

// FrameAt returns the frame on screen at media time d at fps: the one that
// started at or before it, counted from frame 0 at time 0, as SMPTE counts.
func FrameAt(d time.Duration, fps float64) int {
	return int(math.Floor(d.Seconds()*fps + 1e-6))
}

// TimecodeFrames counts the frames from 00:00:00:00 to an SMPTE timecode
// such as "01:00:00:00" at fps; at 29.97 and 59.94 the timecode is read as
// drop-frame, whichever separator it uses.
func TimecodeFrames(tc string, fps float64) (int, error) {
	if !(fps >= 1) || math.IsInf(fps, 0) {
		return 0, fmt.Errorf("timecode %q: frame rate %v", tc, fps)
	}
	return smpteFrames(tc, fps)
}

// FramesTimecode writes a frame count as an SMPTE timecode at fps, the
// inverse of TimecodeFrames: drop-frame with ';' before the frames at 29.97
// and 59.94. Negative counts are written as frame 0, hours wrap at 24, and
// a frame rate below 1 gives "".
func FramesTimecode(frames int, fps float64) string {
	if !(fps >= 1) || math.IsInf(fps, 0) {
		return ""
	}
	return formatFrames(max(frames, 0), fps)
}

// DropFrame reports whether timecode at fps is drop-frame (29.97 and 59.94).
func DropFrame(fps float64) bool { return dropFrames(fps) > 0 }
