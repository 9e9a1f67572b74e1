package export

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"
)

// Clip is one moment to export: a timed segment of an interview's media.
type Clip struct {
	Interview string // interview id
	Title     string // interview title
	// Media is the media file name or reference ("" if none); reel and
	// clip names derive from it.
	Media         string
	FPS           float64 // media frame rate, 0 if unknown
	StartTimecode string  // media start timecode such as "01:00:00:00", "" for 00:00:00:00
	Lang          string
	Speaker       string
	Text          string
	Translation   string // the aligned text in another language, may be ""
	// TranslationLang is the language of Translation.
	TranslationLang string
	Start, End      time.Duration // media time of the segment, without handles
}

// Options control how clips are assembled. The zero value works.
type Options struct {
	// Handles is added before and after each clip, never before media
	// time 0.
	Handles time.Duration
	// FPS is the timeline frame rate; 0 takes the first known rate of the
	// clips, or 25. In the EDL formats, which have one frame rate, a rate
	// set here also times every source, whatever its own rate.
	FPS float64
	// Title is the EDL title and the FCPXML event and project name;
	// "" is "recuerdo selects".
	Title string
}

// Format names an export format.
type Format string

// The export formats.
const (
	FormatCSV        Format = "csv"         // one row per clip, with a header
	FormatJSON       Format = "json"        // an array of objects with the CSV's fields
	FormatEDL        Format = "edl"         // CMX3600 edit decision list of the assembled selects
	FormatResolveEDL Format = "resolve-edl" // DaVinci Resolve timeline markers at media timecodes
	FormatFCPXML     Format = "fcpxml"      // Final Cut Pro XML 1.9 project of the assembled selects
	FormatSRT        Format = "srt"         // the segments as subtitles on the selects timeline
	FormatWebVTT     Format = "vtt"         // the same as WebVTT, speakers as voices
)

var formats = []Format{FormatCSV, FormatJSON, FormatEDL, FormatResolveEDL, FormatFCPXML, FormatSRT, FormatWebVTT}

// ErrUnknownFormat is returned for a format name that is not one of Formats.
var ErrUnknownFormat = errors.New("unknown export format")

// Formats returns the export formats, in the order they are documented.
func Formats() []Format { return slices.Clone(formats) }

// ParseFormat returns the format named s, in any case.
func ParseFormat(s string) (Format, error) {
	f := Format(strings.ToLower(strings.TrimSpace(s)))
	if !slices.Contains(formats, f) {
		return "", unknownFormat(s)
	}
	return f, nil
}

func unknownFormat(s string) error {
	names := make([]string, len(formats))
	for i, f := range formats {
		names[i] = string(f)
	}
	return fmt.Errorf("%w %q (want one of %s)", ErrUnknownFormat, s, strings.Join(names, ", "))
}

// Ext returns the usual file name extension of the format, with its dot.
func (f Format) Ext() string {
	switch f {
	case FormatResolveEDL:
		return ".edl"
	case "":
		return ""
	}
	return "." + string(f)
}

// maxEvents is the most events a CMX3600 EDL numbers.
const maxEvents = 999

// Write writes clips to w in format f. Nothing is written when an error is
// returned.
func Write(w io.Writer, f Format, clips []Clip, opt Options) error {
	if !slices.Contains(formats, f) {
		return fmt.Errorf("export: %w", unknownFormat(string(f)))
	}
	var buf bytes.Buffer
	if err := write(&buf, f, clips, opt); err != nil {
		return fmt.Errorf("export %s: %w", f, err)
	}
	if _, err := w.Write(buf.Bytes()); err != nil {
		return fmt.Errorf("export %s: %w", f, err)
	}
	return nil
}

func write(w *bytes.Buffer, f Format, clips []Clip, opt Options) error {
	edl := f == FormatEDL || f == FormatResolveEDL
	if edl && len(clips) > maxEvents {
		return fmt.Errorf("%d clips: an EDL numbers at most %d events (export fewer, or use fcpxml)", len(clips), maxEvents)
	}
	tl, err := assemble(clips, opt, edl)
	if err != nil {
		return err
	}
	title := oneLine(opt.Title)
	if title == "" {
		title = "recuerdo selects"
	}
	switch f {
	case FormatCSV:
		return tl.writeCSV(w)
	case FormatJSON:
		return tl.writeJSON(w)
	case FormatEDL:
		_, err = tl.cmx(title).WriteTo(w)
	case FormatResolveEDL:
		_, err = tl.resolveMarkers(title).WriteTo(w)
	case FormatFCPXML:
		return tl.writeFCPXML(w, title)
	case FormatSRT, FormatWebVTT:
		return tl.writeSubtitles(w, f)
	}
	return err
}

// oneLine joins the lines and runs of spaces of s into single spaces.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// maxLabel is how many characters of a clip's text EDL comments and
// markers keep.
const maxLabel = 120

// label is a clip's speaker and text on one line, as markers show them.
func label(c *Clip) string {
	s := oneLine(c.Text)
	if sp := oneLine(c.Speaker); sp != "" {
		s = sp + ": " + s
	}
	return s
}

// shorten cuts s to at most n characters, ending it with "..." when cut.
func shorten(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return strings.TrimSpace(string(r[:n-3])) + "..."
}

// baseName is the last element of a path or URL, with / or \ separators.
func baseName(p string) string {
	p = strings.TrimRight(p, `/\`)
	if i := strings.LastIndexAny(p, `/\`); i >= 0 {
		p = p[i+1:]
	}
	return p
}
