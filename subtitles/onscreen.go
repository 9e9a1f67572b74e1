package subtitles

import (
	"regexp"
	"strings"
)

// screenLabel is the reader's "RAMÓN: " speaker label at the start of a cue.
var screenLabel = regexp.MustCompile(`^\s*-?\s*((?:[\p{Lu}][\p{Lu}.'’-]*)(?:\s[\p{Lu}][\p{Lu}.'’-]*){0,3})\s*:\s+`)

// OnScreen returns the cues of an SRT or WebVTT file as they show on
// screen. Read takes a leading "LUCÍA: " label off a cue's text and keeps
// it as the cue's Speaker; OnScreen puts it back, so that a style check
// counts it and a writer writes it. A speaker the cue does not name (one
// inherited from an earlier cue) is dropped, so that writing adds no
// voice tag; a WebVTT voice (<v Lucía>) stays. data is the file as read
// and t what Read made of it; other formats' cues come back as they are.
// The cues are a copy: t is not changed.
func OnScreen(t *Track, data []byte) []Cue {
	cues := append([]Cue(nil), t.Cues...)
	if t.Format != FormatSRT && t.Format != FormatWebVTT {
		return cues
	}
	text, _, err := Decode(data)
	if err != nil {
		return cues
	}
	lines := strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n")
	for i := range cues {
		c := &cues[i]
		if c.Line <= 0 || c.Line >= len(lines) || c.Speaker == "" {
			continue
		}
		first := lines[c.Line]
		m := screenLabel.FindStringSubmatch(first)
		switch {
		case m != nil && strings.EqualFold(strings.Join(strings.Fields(m[1]), " "), c.Speaker):
			c.Text = strings.TrimSpace(m[0]) + " " + c.Text
			c.Speaker = ""
		case !strings.Contains(first, "<v"):
			c.Speaker = ""
		}
	}
	return cues
}
