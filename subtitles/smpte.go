package subtitles

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// dropFrames is how many frame numbers drop-frame timecode skips each
// minute (except every tenth) at a rate, 0 for non-drop rates.
func dropFrames(fps float64) int {
	switch {
	case math.Abs(fps-30000.0/1001) < 0.01:
		return 2
	case math.Abs(fps-60000.0/1001) < 0.01:
		return 4
	}
	return 0
}

// SMPTE writes media time d as an SMPTE timecode HH:MM:SS:FF at fps,
// counted from the media's start timecode (such as "01:00:00:00"; "" for
// zero). 29.97 and 59.94 use drop-frame timecode, written with ';' before
// the frames.
func SMPTE(d time.Duration, fps float64, start string) (string, error) {
	if fps <= 0 {
		return "", fmt.Errorf("frame rate %v", fps)
	}
	base := 0
	if start != "" {
		var err error
		if base, err = smpteFrames(start, fps); err != nil {
			return "", err
		}
	}
	// The frame on screen at d: the one that started at or before it.
	frames := base + int(math.Floor(d.Seconds()*fps+1e-6))
	return formatFrames(max(frames, 0), fps), nil
}

// smpteFrames counts the frames of a timecode.
func smpteFrames(tc string, fps float64) (int, error) {
	parts := strings.FieldsFunc(tc, func(r rune) bool { return r == ':' || r == ';' || r == '.' })
	if len(parts) != 4 {
		return 0, fmt.Errorf("timecode %q: want HH:MM:SS:FF", tc)
	}
	var v [4]int
	for i, p := range parts {
		n, err := strconv.Atoi(p)
		if err != nil || n < 0 {
			return 0, fmt.Errorf("timecode %q: want HH:MM:SS:FF", tc)
		}
		v[i] = n
	}
	nominal := int(math.Round(fps))
	if v[1] > 59 || v[2] > 59 || v[3] >= nominal {
		return 0, fmt.Errorf("timecode %q out of range at %v fps", tc, fps)
	}
	frames := ((v[0]*60+v[1])*60+v[2])*nominal + v[3]
	if df := dropFrames(fps); df > 0 {
		minutes := v[0]*60 + v[1]
		frames -= df * (minutes - minutes/10)
	}
	return frames, nil
}

// formatFrames writes a frame count as a timecode.
func formatFrames(frames int, fps float64) string {
	nominal := int(math.Round(fps))
	sep := ":"
	if df := dropFrames(fps); df > 0 {
		per10 := int(math.Round(fps * 600))
		perMin := nominal*60 - df
		d, m := frames/per10, frames%per10
		frames += df * 9 * d
		if m > df {
			frames += df * ((m - df) / perMin)
		}
		sep = ";"
	}
	ff := frames % nominal
	s := frames / nominal
	return fmt.Sprintf("%02d:%02d:%02d%s%02d", s/3600%24, s/60%60, s%60, sep, ff)
}
