package subtitles

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/asticode/go-astisub"
	"golang.org/x/text/unicode/norm"
)

// stlTextBytes is the size of an EBU STL TTI block's text field; go-astisub
// writes one block per cue and cuts longer text without a word.
const stlTextBytes = 112

// writeSTL writes EBU STL (Tech 3264) through go-astisub, guarding its
// writer: times are rounded to the nearest frame (it truncates), negative
// times become zero (it would wrap), and the result is read back so that
// a character outside STL's Latin set (which it writes as a wrong byte)
// or text longer than one block (which it cuts) is an error naming the cue.
func writeSTL(w io.Writer, cues []Cue, opt WriteOptions) error {
	fps := 25
	switch opt.FPS {
	case 0, 25:
	case 30:
		fps = 30
	default:
		return fmt.Errorf("write STL: frame rate %v: EBU STL is written at 25 or 30 frames a second", opt.FPS)
	}
	subs := astisub.NewSubtitles()
	now := time.Now()
	subs.Metadata = &astisub.Metadata{Framerate: fps, Title: opt.Title, STLCreationDate: &now, STLRevisionDate: &now, STLDisplayStandardCode: "0"}
	want := make([]string, len(cues))
	last := ""
	for i, c := range cues {
		start, end := clampTimes(c)
		if end >= 24*time.Hour {
			return fmt.Errorf("write STL: cue %d ends at %s: EBU STL timecodes stop at 23:59:59", i+1, FormatTime(end))
		}
		lines := textLines(c.Text)
		if opt.SpeakerLabels && c.Speaker != "" && c.Speaker != last {
			lines[0] = speakerPrefix(c.Speaker) + lines[0]
		}
		last = c.Speaker
		want[i] = norm.NFC.String(strings.Join(lines, "\n"))
		if n := len(norm.NFD.String(want[i])); n > stlTextBytes {
			return fmt.Errorf("write STL: cue %d (%s): text is %d bytes long, more than one EBU STL block holds (%d)", i+1, FormatTime(start), n, stlTextBytes)
		}
		it := &astisub.Item{}
		for k, d := range []time.Duration{start, end} {
			f := (int64(d)*int64(fps) + 5e8) / 1e9 // the nearest frame
			// The frame's time rounded up to the nanosecond, which
			// go-astisub's truncation turns back into the same frame.
			ns := time.Duration((f*1e9 + int64(fps) - 1) / int64(fps))
			if k == 0 {
				it.StartAt = ns
			} else {
				it.EndAt = ns
			}
		}
		for _, l := range lines {
			it.Lines = append(it.Lines, astisub.Line{Items: []astisub.LineItem{{Text: l}}})
		}
		subs.Items = append(subs.Items, it)
	}
	if len(subs.Items) == 0 {
		return fmt.Errorf("write STL: no cues to write")
	}
	var b bytes.Buffer
	if err := subs.WriteToSTL(&b); err != nil {
		return fmt.Errorf("write STL: %w", err)
	}
	back, err := guard(func() (*astisub.Subtitles, error) {
		return astisub.ReadFromSTL(bytes.NewReader(b.Bytes()), astisub.STLOptions{})
	})
	if err == nil && len(back.Items) != len(cues) {
		err = fmt.Errorf("%d cues instead of %d", len(back.Items), len(cues))
	}
	for i := range cues {
		if err != nil || stlText(back.Items[i]) != want[i] {
			// Find the cue, and in it the character, that does not survive.
			if !stlSurvives(want[i]) {
				return fmt.Errorf("write STL: cue %d (%s): %s", i+1, FormatTime(max(cues[i].Start, 0)), stlMismatch(want[i]))
			}
		}
	}
	if err != nil {
		return fmt.Errorf("write STL: the written file does not read back (%v)", err)
	}
	_, err = w.Write(b.Bytes())
	return err
}

// stlMismatch explains why text did not survive EBU STL: it names the
// first character that does not survive on its own.
func stlMismatch(text string) string {
	for _, r := range text {
		if r != '\n' && r != ' ' && !stlSurvives("a"+string(r)+"a") {
			return fmt.Sprintf("%q (%U) cannot be written in EBU STL's Latin character set", r, r)
		}
	}
	return "the text does not survive EBU STL"
}

// stlSurvives reports whether text (NFC, lines joined with "\n") reads
// back the same from a one-cue EBU STL file.
func stlSurvives(text string) bool {
	s := astisub.NewSubtitles()
	s.Metadata = &astisub.Metadata{STLDisplayStandardCode: "0"}
	it := &astisub.Item{EndAt: time.Second}
	for _, l := range strings.Split(text, "\n") {
		it.Lines = append(it.Lines, astisub.Line{Items: []astisub.LineItem{{Text: l}}})
	}
	s.Items = []*astisub.Item{it}
	var b bytes.Buffer
	if s.WriteToSTL(&b) != nil {
		return false
	}
	back, err := guard(func() (*astisub.Subtitles, error) {
		return astisub.ReadFromSTL(bytes.NewReader(b.Bytes()), astisub.STLOptions{})
	})
	return err == nil && len(back.Items) == 1 && stlText(back.Items[0]) == text
}

// stlText is an item's text as written, speaker label and all.
func stlText(it *astisub.Item) string {
	var lines []string
	for _, l := range it.Lines {
		if s := strings.TrimSpace(l.String()); s != "" {
			lines = append(lines, s)
		}
	}
	return strings.Join(lines, "\n")
}
