package qc

import (
	"fmt"
	"math"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/recuerdo-archive/recuerdo/subtitles"
)

// Options tune Check and Fix; the zero value works.
type Options struct {
	FPS float64 // frame rate for frame-based limits; 0 = 24000/1001
}

func (o Options) fps() float64 {
	if !(o.FPS >= 1) || math.IsInf(o.FPS, 0) {
		return 24000.0 / 1001
	}
	return o.FPS
}

// frames returns d as a number of frames, rounded to the nearest: file
// times are rounded to the millisecond, so exact counts would flicker.
func (o Options) frames(d time.Duration) int {
	return int(math.Round(d.Seconds() * o.fps()))
}

// frameTime returns how long n frames last, rounded up to the millisecond
// so that a gap written to a file is never shorter than n frames.
func (o Options) frameTime(n int) time.Duration {
	return ceilMS(time.Duration(float64(n) / o.fps() * float64(time.Second)))
}

// Severity says how bad an issue is: an error breaks one of the profile's
// limits, a warning is a matter of style.
type Severity string

// The severities.
const (
	Error   Severity = "error"
	Warning Severity = "warning"
)

// Issue is one problem found by Check.
type Issue struct {
	Cue      int      `json:"cue"` // 1-based position in file order
	Check    string   `json:"check"`
	Severity Severity `json:"severity"`
	Message  string   `json:"message"`
}

// The checks, by the name an Issue carries.
const (
	CheckBadTiming   = "bad-timing"          // error: the cue ends at or before its start
	CheckEmpty       = "empty"               // error: no text
	CheckLines       = "lines"               // error: more lines than MaxLines
	CheckLineLength  = "line-length"         // error: a line longer than MaxLineChars
	CheckUnbalanced  = "unbalanced"          // warning: two lines broken badly (see Fix)
	CheckSpeakerDash = "speaker-dash"        // warning: a speaker's dash not in the profile's style
	CheckMinDuration = "min-duration"        // error: on screen less than MinDuration
	CheckMaxDuration = "max-duration"        // error: on screen more than MaxDuration
	CheckCPS         = "cps"                 // error: faster than MaxCPS
	CheckWPM         = "wpm"                 // error: faster than MaxWPM
	CheckOverlap     = "overlap"             // error: the next cue starts before this one ends
	CheckGap         = "gap"                 // error: fewer than MinGapFrames before the next cue
	CheckCloseGap    = "close-gap"           // warning: a gap of CloseGapFrames or fewer that should be closed
	CheckSpanish     = "spanish-punctuation" // warning: ¿…? or ¡…! unpaired (Spanish profiles)
)

// slack absorbs the rounding of times to the millisecond in SRT and
// WebVTT: 20 frames at 24 fps are 833.33 ms but written as 833.
const slack = time.Millisecond

// Check returns the issues of cues (in file order) against p, ordered by
// cue. Characters are counted as runes; spaces and punctuation count, line
// breaks do not, as in Netflix's reading-speed measure.
func Check(cues []subtitles.Cue, p Profile, opt Options) []Issue {
	var out []Issue
	add := func(i int, check string, sev Severity, format string, args ...any) {
		out = append(out, Issue{Cue: i + 1, Check: check, Severity: sev, Message: fmt.Sprintf(format, args...)})
	}
	for i, c := range cues {
		ls := lines(c.Text)
		d := c.End - c.Start
		if c.End <= c.Start {
			add(i, CheckBadTiming, Error, "ends at %s, not after its start at %s", stamp(c.End), stamp(c.Start))
		}
		if len(ls) == 0 {
			add(i, CheckEmpty, Error, "no text")
		}
		if p.MaxLines > 0 && len(ls) > p.MaxLines {
			add(i, CheckLines, Error, "%d lines (max %d)", len(ls), p.MaxLines)
		}
		for n, l := range ls {
			if k := utf8.RuneCountInString(l); p.MaxLineChars > 0 && k > p.MaxLineChars {
				add(i, CheckLineLength, Error, "line %d has %d characters (max %d)", n+1, k, p.MaxLineChars)
			}
		}
		if k := unbalanced(ls, p); k > 0 {
			ws := strings.Fields(strings.Join(ls, " "))
			add(i, CheckUnbalanced, Warning, "lines of %d and %d characters; better broken after %q",
				utf8.RuneCountInString(ls[0]), utf8.RuneCountInString(ls[1]), ws[k-1])
		}
		if p.SpeakerDash != "" {
			checkDashes(ls, p, func(format string, args ...any) { add(i, CheckSpeakerDash, Warning, format, args...) })
		}
		if c.End > c.Start {
			if p.MinDuration > 0 && d+slack < p.MinDuration {
				add(i, CheckMinDuration, Error, "on screen %s (min %s)", secs(d), secs(p.MinDuration))
			}
			if p.MaxDuration > 0 && d > p.MaxDuration+slack {
				add(i, CheckMaxDuration, Error, "on screen %s (max %s)", secs(d), secs(p.MaxDuration))
			}
			if cps := float64(chars(ls)) / d.Seconds(); p.MaxCPS > 0 && cps > p.MaxCPS+1e-9 {
				add(i, CheckCPS, Error, "%.1f characters per second (max %g)", cps, p.MaxCPS)
			}
			if wpm := float64(words(c.Text)) / d.Minutes(); p.MaxWPM > 0 && wpm > p.MaxWPM+1e-9 {
				add(i, CheckWPM, Error, "%.0f words per minute (max %g)", wpm, p.MaxWPM)
			}
		}
		if i+1 < len(cues) {
			next := cues[i+1]
			gap := next.Start - c.End
			f := opt.frames(gap)
			switch {
			case gap < 0 && next.Start < c.Start:
				add(i, CheckOverlap, Error, "cue %d starts at %s, before this one", i+2, stamp(next.Start))
			case gap < 0:
				add(i, CheckOverlap, Error, "runs %s into cue %d", secs(-gap), i+2)
			case f < p.MinGapFrames:
				add(i, CheckGap, Error, "%s before cue %d (min %d frames at %s fps)", frameCount(f), i+2, p.MinGapFrames, fpsString(opt.fps()))
			case f > p.MinGapFrames && f <= p.CloseGapFrames:
				add(i, CheckCloseGap, Warning, "%s before cue %d; gaps of %d frames or fewer should be closed to %d",
					frameCount(f), i+2, p.CloseGapFrames, p.MinGapFrames)
			}
		}
	}
	if strings.HasPrefix(p.Language, "es") {
		out = append(out, checkSpanish(cues)...)
	}
	sort.SliceStable(out, func(a, b int) bool { return out[a].Cue < out[b].Cue })
	return out
}

// checkDashes reports speaker dashes not written as the profile writes
// them, and a two-speaker cue with a dash on only some of its lines.
func checkDashes(ls []string, p Profile, report func(string, ...any)) {
	dashed := 0
	for n, l := range ls {
		d := speakerDash(l)
		if d == "" {
			continue
		}
		dashed++
		if d != p.SpeakerDash {
			report("line %d opens with %q; this profile writes a speaker's dash as %q%s", n+1, d, p.SpeakerDash, spaceNote(p.SpeakerDash))
		}
	}
	if dashed > 0 && dashed < len(ls) && speakerDash(ls[0]) == "" {
		report("a second speaker's line has a dash but line 1 has none; give each speaker's line a dash")
	}
}

func spaceNote(dash string) string {
	if strings.HasSuffix(dash, " ") {
		return " (with a space)"
	}
	return " (no space)"
}

// stamp writes d as an SRT timecode, HH:MM:SS,mmm.
func stamp(d time.Duration) string {
	return strings.Replace(subtitles.FormatTime(d), ".", ",", 1)
}

// secs writes d as seconds with milliseconds: "0.833 s".
func secs(d time.Duration) string { return fmt.Sprintf("%.3f s", d.Seconds()) }

func frameCount(n int) string {
	switch n {
	case 0:
		return "no gap"
	case 1:
		return "a 1-frame gap"
	}
	return fmt.Sprintf("a %d-frame gap", n)
}

func fpsString(f float64) string {
	if f == math.Trunc(f) {
		return fmt.Sprint(int(f))
	}
	return fmt.Sprintf("%.3f", f)
}

func ceilMS(d time.Duration) time.Duration {
	if r := d % time.Millisecond; r > 0 {
		d += time.Millisecond - r
	}
	return d
}
