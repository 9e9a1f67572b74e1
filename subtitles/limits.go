package subtitles

import (
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// The limits every reader enforces, in one place. They are generous for
// real material (a week of recordings, a transcript with one paragraph a
// sentence) and stop crafted or broken files before they cost minutes and
// gigabytes; each refusal names the file and the line.
const (
	// MaxTime bounds every time in a file: timecodes must stay below
	// 100:00:00, which also keeps them far from overflowing a Duration.
	MaxTime = 100 * time.Hour
	// MaxCues bounds the cues (subtitles, segments, paragraphs) of one
	// file: a cue every 0.36 s for 100 hours.
	MaxCues = 1_000_000
	// MaxCueText bounds the text of one cue, segment or paragraph: a
	// transcript paragraph of 1 MiB is some 150,000 words, hours of speech.
	MaxCueText = 1 << 20
	// maxProblems is how many problems of a file an Error lists; the rest
	// are counted.
	maxProblems = 20
)

// limits are the limits in force: MaxCues and MaxCueText, lowered by
// tests.
var limits = struct{ cues, text int }{MaxCues, MaxCueText}

// errTimeRange says why a time was refused; it reads after the timecode.
var errTimeRange = fmt.Errorf("is past %d hours (the most a timecode may say)", int(MaxTime.Hours()))

// checkTime refuses a time at or beyond MaxTime, or below zero.
func checkTime(d time.Duration) error {
	if d < 0 {
		return fmt.Errorf("is negative")
	}
	if d >= MaxTime {
		return errTimeRange
	}
	return nil
}

// secondsTime turns float seconds (as JSON and XML formats write them)
// into a time rounded to the millisecond, refusing what no recording
// holds: NaN, infinities, negative times and times past MaxTime (1e13
// seconds would overflow a Duration).
func secondsTime(secs float64) (time.Duration, error) {
	switch {
	case math.IsNaN(secs) || math.IsInf(secs, 0):
		return 0, fmt.Errorf("is not a number")
	case secs < 0:
		return 0, fmt.Errorf("is negative")
	case secs >= MaxTime.Seconds():
		return 0, errTimeRange
	}
	d := time.Duration(math.Round(secs*1000)) * time.Millisecond
	return d, checkTime(d)
}

// clampEstimate keeps an estimated time (interpolated, or a duration
// guessed from the text) below MaxTime, where the file's own times are.
func clampEstimate(d time.Duration) time.Duration {
	return min(d, MaxTime-time.Millisecond)
}

// tooManyCues is the error for a file past MaxCues, at the line of the
// first cue over the limit.
func tooManyCues(name string, line int) *Error {
	return &Error{File: name, Line: line, Msg: fmt.Sprintf("more than %d cues", limits.cues), Hint: "split the file"}
}

// textTooLong is the error for a cue or paragraph past MaxCueText.
func textTooLong(name string, line int, what string) *Error {
	size := fmt.Sprintf("%d bytes", limits.text)
	if limits.text%(1<<20) == 0 {
		size = fmt.Sprintf("%d MiB", limits.text>>20)
	}
	return &Error{File: name, Line: line, Msg: what + " longer than " + size, Hint: "is this really a transcript? break it into paragraphs (a blank line between them)"}
}

var (
	ttmlTimeAttr = regexp.MustCompile(`\b(?:begin|end|dur)\s*=\s*["']([^"']*)["']`)
	ttmlClock    = regexp.MustCompile(`^\s*(\d+):\d+:\d+`)
	ttmlOffset   = regexp.MustCompile(`^\s*(\d+(?:\.\d+)?)(h|ms|m|s)\s*$`)
)

// checkTTMLTimes finds the times of a TTML file past MaxTime before
// go-astisub reads them, which would overflow a Duration without a word.
// Malformed times are left to go-astisub to report.
func checkTTMLTimes(name, text string) error {
	ps := problems{file: name}
	hint := "timecodes must stay below 100:00:00"
	n, at := 1, 0
	for _, loc := range ttmlTimeAttr.FindAllStringSubmatchIndex(text, -1) {
		n += strings.Count(text[at:loc[0]], "\n")
		at = loc[0]
		v := text[loc[2]:loc[3]]
		var past bool
		if m := ttmlClock.FindStringSubmatch(v); m != nil {
			past = len(strings.TrimLeft(m[1], "0")) >= 3 // 100 hours or more
		} else if m := ttmlOffset.FindStringSubmatch(v); m != nil {
			x, _ := strconv.ParseFloat(m[1], 64)
			unit := map[string]float64{"h": 3600, "m": 60, "s": 1, "ms": 0.001}[m[2]]
			past = x*unit >= MaxTime.Seconds()
		}
		if past {
			ps.add(n, fmt.Sprintf("time %q %v", v, errTimeRange), hint)
		}
	}
	return ps.err()
}

// timecodeOnly matches a whole timecode as timing lines write it.
var timecodeOnly = regexp.MustCompile(`^(?:\d+:)?\d+:\d+(?:[,.:]\d+)?$`)
