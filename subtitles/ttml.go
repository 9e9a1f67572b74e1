package subtitles

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"strings"
)

// writeTTML writes a TTML document by hand: plain text escaped for XML,
// lines joined with <br/>, times as HH:MM:SS.mmm rounded to the
// millisecond (go-astisub's writer truncates them).
func writeTTML(b *bytes.Buffer, cues []Cue, opt WriteOptions) {
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n")
	b.WriteString(`<tt xmlns="http://www.w3.org/ns/ttml" xmlns:tts="http://www.w3.org/ns/ttml#styling" xmlns:ttm="http://www.w3.org/ns/ttml#metadata">` + "\n")
	if opt.Title != "" {
		b.WriteString("  <head>\n    <metadata>\n      <ttm:title>" + xmlEscape(opt.Title) + "</ttm:title>\n    </metadata>\n  </head>\n")
	}
	b.WriteString("  <body>\n    <div>\n")
	last := ""
	for _, c := range cues {
		start, end := clampTimes(c)
		lines := textLines(c.Text)
		if opt.SpeakerLabels && c.Speaker != "" && c.Speaker != last {
			lines[0] = speakerPrefix(c.Speaker) + lines[0]
		}
		last = c.Speaker
		for k, l := range lines {
			lines[k] = xmlEscape(l)
		}
		fmt.Fprintf(b, "      <p begin=\"%s\" end=\"%s\">%s</p>\n", stamp(start, "."), stamp(end, "."), strings.Join(lines, "<br/>"))
	}
	b.WriteString("    </div>\n  </body>\n</tt>\n")
}

func xmlEscape(s string) string {
	var b strings.Builder
	xml.EscapeText(&b, []byte(s))
	return b.String()
}

// xmlChar reports whether XML 1.0 allows r in text.
func xmlChar(r rune) bool {
	return r == '\t' || r == '\n' || r == '\r' || r >= 0x20 && r <= 0xD7FF || r >= 0xE000 && r <= 0xFFFD || r >= 0x10000 && r <= 0x10FFFF
}
