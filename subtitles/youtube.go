package subtitles

import (
	"fmt"
	"html"
	"regexp"
	"strings"
	"time"
)

var (
	// inlineTime is a word's start inside a cue line: <00:00:01.500>.
	inlineTime = regexp.MustCompile(`<((?:\d+:)?\d{2}:\d{2}\.\d{3})>`)
	vttTag     = regexp.MustCompile(`</?[a-zA-Z][^>]*>`)
)

// isYouTubeVTT reports whether a WebVTT file is YouTube's automatic
// captions: words timed inline (<00:00:01.500><c> word</c>) in many cues,
// or most cues repeating the previous cue's last line (rolling captions).
func isYouTubeVTT(text string) bool {
	cues := rawCues(text)
	if len(cues) < 2 {
		return false
	}
	timed, rolling := 0, 0
	prev := ""
	for _, c := range cues {
		lines := plainLines(c.lines)
		for _, l := range c.lines {
			if inlineTime.MatchString(l) {
				timed++
				break
			}
		}
		if prev != "" && len(lines) > 0 && lines[0] == prev {
			rolling++
		}
		if len(lines) > 0 {
			prev = lines[len(lines)-1]
		}
	}
	return timed*10 >= len(cues)*3 || rolling*10 >= len(cues)*6 && len(cues) >= 4
}

// rawCue is a WebVTT cue as written: its timing line and its lines,
// blank-looking ones included.
type rawCue struct {
	line       int
	start, end time.Duration
	lines      []string
}

// rawCues splits WebVTT text at its timing lines; a cue runs to the next
// empty line. Lines holding only spaces stay in the cue: YouTube writes
// " " as the first line of a cue whose second line carries the words.
func rawCues(text string) []rawCue {
	var out []rawCue
	lines := strings.Split(text, "\n")
	for n := 0; n < len(lines); n++ {
		m := timecodeLine.FindStringSubmatch(lines[n])
		if m == nil {
			continue
		}
		a, err1 := ParseTime(strings.Replace(m[1], ",", ".", 1))
		b, err2 := ParseTime(strings.Replace(m[2], ",", ".", 1))
		if err1 != nil || err2 != nil {
			continue
		}
		c := rawCue{line: n + 1, start: a, end: b}
		for n+1 < len(lines) && lines[n+1] != "" && !strings.Contains(lines[n+1], "-->") {
			n++
			c.lines = append(c.lines, lines[n])
		}
		out = append(out, c)
	}
	return out
}

// plainLines drops tags and blank lines.
func plainLines(lines []string) []string {
	var out []string
	for _, l := range lines {
		if p := plainText(l); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func plainText(l string) string {
	l = inlineTime.ReplaceAllString(l, "")
	l = vttTag.ReplaceAllString(l, "")
	return strings.Join(strings.Fields(html.UnescapeString(strings.ReplaceAll(l, "&nbsp;", " "))), " ")
}

// readYouTube reads YouTube's automatic captions: each caption line once
// (the rolling repeats and the 10 ms cues that only hold the finished
// line are merged away), with its words and their inline times.
func readYouTube(name, text string) (*Track, error) {
	t := &Track{Format: FormatWebVTT, Layout: LayoutYouTube}
	last := "" // the last line kept: a cue's first line repeats it
	for _, c := range rawCues(text) {
		if c.end < c.start {
			return nil, &Error{File: name, Line: c.line, Msg: fmt.Sprintf("cue ends (%s) before it starts (%s)", FormatTime(c.end), FormatTime(c.start))}
		}
		first := true
		for _, l := range c.lines {
			p := plainText(l)
			if p == "" {
				continue
			}
			timed := inlineTime.MatchString(l)
			if first && !timed && p == last {
				first = false
				continue // the line before, rolled up
			}
			first = false
			if len(t.Cues) >= limits.cues {
				return nil, tooManyCues(name, c.line)
			}
			cue := Cue{Start: c.start, End: c.end, Text: p, Line: c.line}
			var words []Word
			if timed {
				words = captionWords(l, c.start, c.end)
			}
			if n := len(t.Cues); n > 0 && t.Cues[n-1].End > cue.Start && t.Cues[n-1].Start <= cue.Start {
				t.Cues[n-1].End = cue.Start // the line rolls up as the next one starts
				if ws := t.Words[n-1]; len(ws) > 0 && ws[len(ws)-1].End > cue.Start {
					ws[len(ws)-1].End = max(ws[len(ws)-1].Start, cue.Start)
				}
			}
			t.Cues = append(t.Cues, cue)
			t.Words = append(t.Words, words)
			last = p
		}
	}
	if len(t.Cues) == 0 {
		return nil, &Error{File: name, Msg: "no captions with text found"}
	}
	return t, nil
}

// captionWords reads a line's words: the text before the first inline time
// starts with the cue, each later piece at its time; a word ends where
// the next begins, the last with the cue.
func captionWords(l string, start, end time.Duration) []Word {
	var words []Word
	at := start
	pos := 0
	add := func(piece string, from time.Duration) {
		for _, w := range strings.Fields(plainText(piece)) {
			words = append(words, Word{Start: from, Text: w})
		}
	}
	for _, loc := range inlineTime.FindAllStringSubmatchIndex(l, -1) {
		add(l[pos:loc[0]], at)
		if d, err := ParseTime(l[loc[2]:loc[3]]); err == nil && d >= at {
			at = d
		}
		pos = loc[1]
	}
	add(l[pos:], at)
	for i := range words {
		if i+1 < len(words) {
			words[i].End = words[i+1].Start
		} else {
			words[i].End = max(end, words[i].Start)
		}
	}
	return words
}
