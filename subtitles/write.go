package subtitles

import (
	"bufio"
	"fmt"
	"io"
	"strings"
)

// Write writes cues as SRT or WebVTT: UTF-8 without a byte-order mark,
// "\n" line endings, times rounded (not truncated) to the millisecond and
// never negative, text as it is (no escaping of & or <). In WebVTT the
// speaker becomes a <v> voice.
func Write(w io.Writer, format Format, cues []Cue) error {
	bw := bufio.NewWriter(w)
	sep := ","
	switch format {
	case FormatSRT:
	case FormatWebVTT:
		sep = "."
		bw.WriteString("WEBVTT\n\n")
	default:
		return fmt.Errorf("write subtitles: writing %s is not supported yet (SRT and WebVTT are)", strings.ToUpper(string(format)))
	}
	for i, c := range cues {
		start, end := max(c.Start, 0), max(c.End, 0)
		if end < start {
			end = start
		}
		text := strings.TrimSpace(c.Text)
		if format == FormatWebVTT {
			// A blank line or "-->" would end the cue early in a reader.
			text = strings.ReplaceAll(text, "-->", "->")
			if c.Speaker != "" {
				text = "<v " + c.Speaker + ">" + text
			}
		}
		for strings.Contains(text, "\n\n") {
			text = strings.ReplaceAll(text, "\n\n", "\n")
		}
		fmt.Fprintf(bw, "%d\n%s --> %s\n%s\n\n", i+1, stamp(start, sep), stamp(end, sep), text)
	}
	return bw.Flush()
}
