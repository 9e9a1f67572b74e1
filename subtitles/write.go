package subtitles

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"strings"
	"time"
)

// Write writes cues in a format with the default WriteOptions: UTF-8
// without a byte-order mark, "\n" line endings, times rounded (not
// truncated) to the format's precision and never negative. See WriteWith.
func Write(w io.Writer, format Format, cues []Cue) error {
	return WriteWith(w, format, cues, WriteOptions{})
}

// WriteOptions say how WriteWith encodes a file. The zero value writes
// UTF-8 without a byte-order mark, with "\n" line endings.
type WriteOptions struct {
	// Encoding is "utf-8" (or ""), "utf-16le", "utf-16be", "windows-1252"
	// or "iso-8859-1". A character the encoding cannot hold is an error
	// naming the cue, never a silent "?". EBU STL has its own character
	// set and takes none of Encoding, BOM or CRLF.
	Encoding string
	BOM      bool // start with a byte-order mark (UTF-8 and UTF-16 only)
	CRLF     bool // end lines with "\r\n"

	// FPS is EBU STL's frame rate, 25 (the default) or 30; times are
	// rounded to the nearest frame.
	FPS float64

	// SpeakerLabels writes a "SPEAKER:" label, in capitals, where the
	// speaker changes, in the formats with no place of their own for a
	// speaker (SRT, TTML, EBU STL): the way Read takes speakers from them.
	// WebVTT always writes a <v> voice and ASS the Name field.
	SpeakerLabels bool

	// Title names the file in formats that have a title (ASS, TTML).
	Title string

	// Styles are ASS styles; nil means one style, "Default". Events
	// name theirs in CueStyles, by cue index ("" or missing: the first).
	Styles    []Style
	CueStyles []string

	// Italic gives, by cue index, how many of a cue's last lines are
	// written in italics (SRT, WebVTT and ASS), as a translation under
	// its source commonly is. Nil or 0: none.
	Italic []int
}

// WriteWith writes cues as SRT, WebVTT, SSA/ASS (v4.00+), TTML or EBU STL.
// Times are rounded half away from zero to the format's precision (the
// millisecond, ASS's centisecond, STL's frame) and negative times are
// written as zero. Text is written so that Read gives it back: escaped
// where the format has escapes (&amp; and &lt; in WebVTT and TTML), as it
// is in SRT (which has none). Text an encoding or format cannot hold (a
// character missing from Windows-1252, a "{" in ASS) is an error naming
// the cue.
func WriteWith(w io.Writer, format Format, cues []Cue, opt WriteOptions) error {
	if format == FormatSTL {
		if opt.Encoding != "" && !strings.EqualFold(opt.Encoding, "utf-8") || opt.BOM || opt.CRLF {
			return fmt.Errorf("write %s: EBU STL has its own character set and binary layout: no encoding, byte-order mark or line-ending options", strings.ToUpper(string(format)))
		}
		return writeSTL(w, cues, opt)
	}
	enc, err := encodingFor(opt.Encoding, opt.BOM)
	if err != nil {
		return fmt.Errorf("write %s: %w", strings.ToUpper(string(format)), err)
	}
	if err := checkEncodable(cues, enc); err != nil {
		return fmt.Errorf("write %s: %w", strings.ToUpper(string(format)), err)
	}
	if err := checkText(format, cues); err != nil {
		return fmt.Errorf("write %s: %w", strings.ToUpper(string(format)), err)
	}
	var b bytes.Buffer
	switch format {
	case FormatSRT, FormatWebVTT:
		writeSRT(&b, format, cues, opt)
	case FormatSSA:
		err = writeASS(&b, cues, opt)
	case FormatTTML:
		writeTTML(&b, cues, opt)
	default:
		return fmt.Errorf("write subtitles: cannot write %s (SRT, WebVTT, ASS, TTML and EBU STL can be written)", strings.ToUpper(string(format)))
	}
	if err != nil {
		return fmt.Errorf("write %s: %w", strings.ToUpper(string(format)), err)
	}
	data := b.Bytes()
	if opt.CRLF {
		data = bytes.ReplaceAll(data, []byte("\n"), []byte("\r\n"))
	}
	out, err := enc.encode(data)
	if err != nil {
		return fmt.Errorf("write %s: %w", strings.ToUpper(string(format)), err)
	}
	_, err = w.Write(out)
	return err
}

// writeSRT writes SRT or, with format WebVTT, WebVTT. In WebVTT the
// speaker becomes a <v> voice and < and > (and & where needed) are escaped; SRT has no
// escapes, so its text goes as it is.
func writeSRT(b *bytes.Buffer, format Format, cues []Cue, opt WriteOptions) {
	bw := bufio.NewWriter(b)
	sep := ","
	if format == FormatWebVTT {
		sep = "."
		bw.WriteString("WEBVTT\n\n")
	}
	last := ""
	for i, c := range cues {
		start, end := clampTimes(c)
		lines := textLines(c.Text)
		if format == FormatWebVTT {
			for k, l := range lines {
				lines[k] = vttEscape(l)
			}
		}
		italicize(lines, italicCount(opt.Italic, i), "<i>", "</i>")
		text := strings.Join(lines, "\n")
		switch {
		case format == FormatWebVTT && c.Speaker != "":
			text = "<v " + strings.NewReplacer(">", "", "\n", " ").Replace(c.Speaker) + ">" + text
		case opt.SpeakerLabels && c.Speaker != "" && c.Speaker != last:
			text = speakerPrefix(c.Speaker) + text
		}
		last = c.Speaker
		fmt.Fprintf(bw, "%d\n%s --> %s\n%s\n\n", i+1, stamp(start, sep), stamp(end, sep), text)
	}
	bw.Flush()
}

// checkText refuses text a format cannot hold as it is.
func checkText(format Format, cues []Cue) error {
	for i, c := range cues {
		switch format {
		case FormatSRT:
			if strings.Contains(c.Text, "-->") {
				return fmt.Errorf("cue %d: SRT text cannot hold \"-->\" (a reader would take the line for a timing line)", i+1)
			}
		case FormatTTML:
			for _, r := range c.Speaker + c.Text {
				if !xmlChar(r) {
					return fmt.Errorf("cue %d: %U cannot be written in XML", i+1, r)
				}
			}
		case FormatSSA:
			if k := strings.IndexAny(c.Text, "{}"); k >= 0 {
				return fmt.Errorf("cue %d: ASS text cannot hold %q (it opens and closes override tags)", i+1, c.Text[k:k+1])
			}
			for _, esc := range []string{`\N`, `\n`, `\h`} {
				if strings.Contains(c.Text, esc) {
					return fmt.Errorf("cue %d: ASS text cannot hold %q (it is a line break or a hard space there)", i+1, esc)
				}
			}
			if strings.Contains(c.Speaker, ",") {
				return fmt.Errorf("cue %d: ASS cannot hold a comma in a speaker's name (%q)", i+1, c.Speaker)
			}
		}
	}
	return nil
}

// vttEscape escapes < and > always, and & where a reader would take it
// for the start of a character reference (before a letter, digit or #);
// a lone "&" stays as it is, as WebVTT allows.
func vttEscape(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '<':
			b.WriteString("&lt;")
		case c == '>':
			b.WriteString("&gt;")
		case c == '&' && i+1 < len(s) && (isAlnum(s[i+1]) || s[i+1] == '#'):
			b.WriteString("&amp;")
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

func isAlnum(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// textLines splits a cue's text into its non-blank lines: a blank line
// would end the cue early in a reader.
func textLines(text string) []string {
	var lines []string
	for _, l := range strings.Split(strings.TrimSpace(text), "\n") {
		if l = strings.TrimSpace(l); l != "" {
			lines = append(lines, l)
		}
	}
	if lines == nil {
		lines = []string{""}
	}
	return lines
}

// italicize wraps the last n lines in open and close, line by line, so
// that every line stands on its own.
func italicize(lines []string, n int, open, close string) {
	for k := max(len(lines)-n, 0); k < len(lines) && n > 0; k++ {
		if lines[k] != "" {
			lines[k] = open + lines[k] + close
		}
	}
}

func italicCount(italic []int, i int) int {
	if i < len(italic) {
		return italic[i]
	}
	return 0
}

// speakerPrefix is the label Read takes a speaker from: "RAMÓN: ".
func speakerPrefix(speaker string) string {
	return strings.ToUpper(strings.ReplaceAll(speaker, "\n", " ")) + ": "
}

// clampTimes returns a cue's times, never negative and never ending
// before they start.
func clampTimes(c Cue) (start, end time.Duration) {
	start, end = max(c.Start, 0), max(c.End, 0)
	return start, max(end, start)
}

// roundTo rounds a non-negative d half up to a multiple of unit.
func roundTo(d, unit time.Duration) time.Duration {
	return (d + unit/2) / unit * unit
}
