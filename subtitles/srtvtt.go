package subtitles

import (
	"fmt"
	"strings"
	"time"
)

// readSRTVTT reads SRT or WebVTT in one pass over the text, without
// go-astisub: its SRT reader tokenizes every line as HTML (some 8 KB a
// cue, 96% of the allocations for a large file) and stops at the first
// bad line in its own words.
//
// A cue is its timing line and every line up to the next timing line,
// less blank lines, the next cue's number and WebVTT NOTE, STYLE and
// REGION blocks: text after a blank line inside a cue (a second language,
// say) and text after a blank line that follows the timing line are kept.
// Every bad timing line of the file is reported at once.
func readSRTVTT(name, text string, format Format) (*Track, error) {
	sep := ","
	if format == FormatWebVTT {
		sep = "."
	}
	example := "00:01:02" + sep + "500 --> 00:01:04" + sep + "000"
	ps := problems{file: name}
	t := &Track{Format: format}
	var (
		cur      Cue
		inCue    bool     // a timing line has been read
		bad      bool     // the current cue's timing line is bad
		lines    []string // the current cue's text lines, raw
		size     int      // their bytes
		tooLong  bool
		blank    = true // the line before was blank (or there was none)
		lastOpen bool   // the last line in lines opened a block (came after a blank line)
		lastNear bool   // no blank line since the last line in lines
		skip     bool   // inside a WebVTT NOTE, STYLE or REGION block, or its header
		timings  int
	)
	finish := func() {
		if inCue && !bad && !tooLong {
			cur.Speaker, cur.Text = blockText(lines)
			cur.Speaker, cur.Text = speakerLabel(cur.Speaker, cur.Text)
			t.Cues = append(t.Cues, cur)
		}
		lines, size, tooLong = lines[:0], 0, false
	}
	if format == FormatWebVTT && strings.HasPrefix(strings.TrimLeft(text, " \t\n\ufeff"), "WEBVTT") {
		skip = true // the header block, up to the first blank line
	}
	n := 0
	for rest := text; len(rest) > 0; {
		var line string
		if i := strings.IndexByte(rest, '\n'); i >= 0 {
			line, rest = rest[:i], rest[i+1:]
		} else {
			line, rest = rest, ""
		}
		n++
		if n == 1 {
			line = strings.TrimPrefix(line, "\ufeff")
		}
		trim := strings.TrimSpace(line)
		if trim == "" {
			blank, skip, lastNear = true, false, false
			continue
		}
		wasBlank := blank
		blank = false
		if format == FormatWebVTT && strings.HasPrefix(trim, "Region:") {
			continue // an old WebVTT region definition, whose id may contain "-->"
		}
		if strings.Contains(line, "-->") && (!skip || timecodeLine.MatchString(line)) {
			skip = false
			// The line just before, with no blank line between, is the
			// cue's number (SRT) or identifier (a WebVTT line of its own).
			if len(lines) > 0 && lastNear && (digits.MatchString(lines[len(lines)-1]) || format == FormatWebVTT && lastOpen) {
				lines = lines[:len(lines)-1]
			}
			finish()
			timings++
			if timings > limits.cues {
				ps.add(n, fmt.Sprintf("more than %d cues", limits.cues), "split the file")
				return nil, ps.err()
			}
			inCue, bad = true, false
			start, end, msg := parseTimingLine(line, format)
			if msg != "" {
				bad = true
				ps.add(n, msg, "a timing line looks like "+example)
			} else if end < start {
				bad = true
				ps.add(n, fmt.Sprintf("cue ends (%s) before it starts (%s)", FormatTime(end), FormatTime(start)), "fix the timing line; recuerdo does not guess which end is wrong")
			}
			cur = Cue{Start: start, End: end, Line: n}
			lastNear = false
			continue
		}
		if skip {
			continue
		}
		if format == FormatWebVTT && wasBlank && isVTTBlock(trim) {
			skip = true
			continue
		}
		if nearTiming.MatchString(line) {
			ps.add(n, fmt.Sprintf("bad timing line %q", trim), "the arrow is written -->")
			bad = true
			continue
		}
		if tooLong {
			continue
		}
		if !inCue {
			lines, size = lines[:0], 0 // before the first cue only its number matters
		}
		size += len(line) + 1
		if size > limits.text {
			e := textTooLong(name, cur.Line, "cue text")
			ps.add(cur.Line, e.Msg, e.Hint)
			tooLong = true
			continue
		}
		lines = append(lines, line)
		lastOpen, lastNear = wasBlank, true
	}
	finish()
	if timings == 0 && ps.count() == 0 {
		return nil, &Error{File: name, Msg: "no timing lines (such as 00:00:01" + sep + "000 --> 00:00:04" + sep + "000) found"}
	}
	if err := ps.err(); err != nil {
		return nil, err
	}
	return t, nil
}

// isVTTBlock reports whether a line that follows a blank line opens a
// WebVTT comment, style or region block.
func isVTTBlock(trim string) bool {
	for _, w := range []string{"NOTE", "STYLE", "REGION"} {
		if trim == w || strings.HasPrefix(trim, w+" ") || strings.HasPrefix(trim, w+"\t") {
			return true
		}
	}
	return false
}

// parseTimingLine reads "start --> end" and whatever settings follow; msg
// says what is wrong with it, in words for the person fixing the file.
// WebVTT settings may follow the end time without a space, as its
// parsing rules allow; in SRT a character stuck to the end time is a typo.
func parseTimingLine(line string, format Format) (start, end time.Duration, msg string) {
	m := timecodeLine.FindStringSubmatch(line)
	if m == nil {
		return 0, 0, fmt.Sprintf("bad timing line %q", strings.TrimSpace(line))
	}
	if after := line[len(m[0]):]; format == FormatSRT && after != "" && after[0] != ' ' && after[0] != '\t' {
		word, _, _ := strings.Cut(after, " ")
		if strings.ContainsAny(word, "0123456789,.:") {
			return 0, 0, fmt.Sprintf("bad timecode %q", m[2]+word)
		}
		return 0, 0, fmt.Sprintf("timecode %q has %q stuck to its end", m[2], word)
	}
	var err error
	if start, err = parseCueTime(m[1]); err != nil {
		return 0, 0, fmt.Sprintf("timecode %q %v", m[1], err)
	}
	if end, err = parseCueTime(m[2]); err != nil {
		return 0, 0, fmt.Sprintf("timecode %q %v", m[2], err)
	}
	return start, end, ""
}

// parseCueTime reads a timecode of an SRT or WebVTT timing line, as
// matched by timecodeLine: [H:]M:S, then milliseconds after ",", "." or
// a third colon. Like go-astisub, which read these files before, it takes
// 1 to 3 digits of milliseconds ("5" is 500 ms) and minutes or seconds
// past 59 at their value.
func parseCueTime(tc string) (time.Duration, error) {
	hms, frac := tc, ""
	if i := strings.LastIndexAny(tc, ",."); i >= 0 {
		hms, frac = tc[:i], tc[i+1:]
	} else if strings.Count(tc, ":") == 3 {
		i := strings.LastIndexByte(tc, ':')
		hms, frac = tc[:i], tc[i+1:]
	}
	if len(frac) > 3 {
		return 0, fmt.Errorf("has more than 3 digits of milliseconds")
	}
	var ms int64
	for _, part := range strings.Split(hms, ":") {
		if len(part) > 9 {
			return 0, errTimeRange
		}
		v := int64(0)
		for i := 0; i < len(part); i++ {
			v = v*10 + int64(part[i]-'0')
		}
		ms = ms*60 + v
	}
	ms *= 1000
	if frac != "" {
		f := int64(0)
		for i := 0; i < 3; i++ {
			f *= 10
			if i < len(frac) {
				f += int64(frac[i] - '0')
			}
		}
		ms += f
	}
	if ms >= MaxTime.Milliseconds() {
		return 0, errTimeRange
	}
	return time.Duration(ms) * time.Millisecond, nil
}
