package subtitles

import (
	"bytes"
	"errors"
	"fmt"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/asticode/go-astisub"
)

var (
	// timecodeLine matches a cue timing line of SRT or WebVTT.
	timecodeLine = regexp.MustCompile(`^\s*((?:\d+:)?\d+:\d+(?:[,.:]\d+)?)\s*-->\s*((?:\d+:)?\d+:\d+(?:[,.:]\d+)?)`)
	astisubLine  = regexp.MustCompile(`line (\d+)`)
	// nearTiming is a timing line with a mistyped arrow: "00:00:01,000 -> 00:00:02,000".
	nearTiming = regexp.MustCompile(`^\s*(?:\d+:)?\d+:\d+[,.:]\d+\s*(?:-+>|=+>|[–—]+>?|->)\s*(?:\d+:)?\d+:\d+`)
	// speakerLabel matches a leading speaker label written in capitals,
	// such as "RAMÓN:" or "DOÑA SOCORRO:".
	speakerLabelRe = regexp.MustCompile(`^\s*-?\s*((?:[\p{Lu}][\p{Lu}.'’-]*)(?:\s[\p{Lu}][\p{Lu}.'’-]*){0,3})\s*:\s+`)
)

// Read parses the bytes of a subtitle file, with its cues sorted by start
// time. The name is used in errors and, when the content leaves the format
// open, for its extension.
func Read(name string, data []byte) (*Track, error) {
	t, err := ReadOrdered(name, data)
	if err != nil {
		return nil, err
	}
	sort.SliceStable(t.Cues, func(i, j int) bool { return t.Cues[i].Start < t.Cues[j].Start })
	return t, nil
}

// ReadOrdered is Read keeping the cues in file order.
func ReadOrdered(name string, data []byte) (*Track, error) {
	if isSTL(data) {
		return readSTL(name, data)
	}
	if isDOCX(data) {
		t, err := readDOCX(name, data)
		if err == nil {
			inheritSpeakers(t.Cues)
		}
		return t, err
	}
	text, enc, err := Decode(data)
	if err != nil {
		return nil, &Error{File: name, Msg: err.Error(), Err: err}
	}
	if strings.TrimSpace(strings.TrimPrefix(text, "\ufeff")) == "" {
		return nil, &Error{File: name, Msg: "the file is empty"}
	}
	format := Detect(name, text)
	if format == "" {
		return nil, &Error{File: name, Msg: "not a subtitle or transcript file (expected SRT, WebVTT, SSA/ASS, TTML, EBU STL, Whisper JSON, CSV/TSV, or a text transcript with speaker turns or timestamps)", Err: ErrUnknownFormat}
	}
	if t, ok, err := readOwn(name, text, format); ok {
		if err != nil {
			return nil, err
		}
		t.Encoding = enc
		return t, nil
	}
	if format == FormatOHMS {
		t, err := readOHMS(name, text)
		if err != nil {
			return nil, err
		}
		t.Encoding = enc
		return t, nil
	}
	// What is left is TTML (readOwn takes every other format), read by
	// go-astisub after our own check of its times (it would overflow on a
	// huge one silently). A line break in TTML is <br/>; a newline in the
	// text is a space (XML's default whitespace), which go-astisub drops
	// with the indentation after it, gluing "text1.0" to a following <span>.
	if err := checkTTMLTimes(name, text); err != nil {
		return nil, err
	}
	ttml := ttmlNewlines.ReplaceAllString(text, " ")
	subs, err := guard(func() (*astisub.Subtitles, error) { return astisub.ReadFromTTML(strings.NewReader(ttml)) })
	if err != nil {
		var e *Error
		if errors.As(err, &e) {
			return nil, e
		}
		return nil, parserError(name, err)
	}
	if len(subs.Items) > limits.cues {
		return nil, tooManyCues(name, 0)
	}
	t := &Track{Format: FormatTTML, Encoding: enc}
	t.Cues = make([]Cue, 0, len(subs.Items))
	for i, it := range subs.Items {
		c := Cue{Start: it.StartAt, End: it.EndAt}
		c.Speaker, c.Text = itemText(it)
		if err := cueTimes(name, i, c); err != nil {
			return nil, err
		}
		t.Cues = append(t.Cues, c)
	}
	inheritSpeakers(t.Cues)
	return t, nil
}

var ttmlNewlines = regexp.MustCompile(`[ \t]*\r?\n[ \t]*`)

// cueTimes checks the times go-astisub read for cue i (0-based).
func cueTimes(name string, i int, c Cue) error {
	for _, d := range []time.Duration{c.Start, c.End} {
		if err := checkTime(d); err != nil {
			return &Error{File: name, Msg: fmt.Sprintf("cue %d: time %s %v", i+1, FormatTime(d), err)}
		}
	}
	if c.End < c.Start {
		return &Error{File: name, Msg: fmt.Sprintf("cue %d ends (%s) before it starts (%s)", i+1, FormatTime(c.End), FormatTime(c.Start)), Hint: "fix its times; recuerdo does not guess which end is wrong"}
	}
	if len(c.Text) > limits.text {
		return textTooLong(name, 0, fmt.Sprintf("cue %d text", i+1))
	}
	return nil
}

// guard runs a go-astisub parser, turning its panics on malformed input
// into errors.
func guard(parse func() (*astisub.Subtitles, error)) (subs *astisub.Subtitles, err error) {
	defer func() {
		if r := recover(); r != nil {
			subs, err = nil, fmt.Errorf("malformed file (the parser failed: %v)", r)
		}
	}()
	subs, err = parse()
	if err == nil && subs == nil {
		err = errors.New("malformed file")
	}
	return subs, err
}

// Detect names the format of decoded text, from its content first and its
// file extension second. It returns "" when neither tells.
func Detect(name, text string) Format {
	head := strings.TrimLeft(text, " \t\n\ufeff")
	switch {
	case strings.HasPrefix(head, "WEBVTT"):
		return FormatWebVTT
	case strings.Contains(text, "[Script Info]") || strings.Contains(text, "[Events]") || strings.Contains(text, "[V4+ Styles]") || strings.Contains(text, "[V4 Styles]"):
		return FormatSSA
	case strings.HasPrefix(head, "<"):
		if isOHMS(text) {
			return FormatOHMS
		}
		if strings.Contains(text, "<tt") {
			return FormatTTML
		}
		return "" // other XML is not a format recuerdo reads
	case isWhisper(text):
		return FormatWhisper
	}
	if lay, _ := detectTextLayout(text); lay != nil {
		return FormatTranscript // a tool's layout, though it may hold "-->" lines
	}
	for _, line := range strings.SplitN(text, "\n", 200) {
		if m := timecodeLine.FindStringSubmatch(line); m != nil {
			switch ext := strings.ToLower(filepath.Ext(name)); {
			case ext == ".vtt":
				return FormatWebVTT
			case ext == ".srt":
				return FormatSRT
			case strings.Contains(m[1], "."):
				return FormatWebVTT
			}
			return FormatSRT
		}
	}
	// A file named as subtitles is read as such, so that its errors are
	// reported, not guessed away as a transcript.
	switch strings.ToLower(filepath.Ext(name)) {
	case ".srt":
		return FormatSRT
	case ".vtt", ".webvtt":
		return FormatWebVTT
	case ".ass", ".ssa", ".ttml", ".dfxp", ".stl":
		return ""
	}
	if _, _, ok := csvHeader(text); ok {
		return FormatCSV
	}
	if looksLikeTranscript(text) {
		return FormatTranscript
	}
	return ""
}

// parserError turns a go-astisub error into an Error, keeping its line.
func parserError(name string, err error) error {
	e := &Error{File: name, Msg: strings.TrimPrefix(err.Error(), "astisub: "), Err: err}
	if m := astisubLine.FindStringSubmatch(err.Error()); m != nil {
		e.Line, _ = strconv.Atoi(m[1])
		e.Msg = strings.TrimPrefix(e.Msg, "line "+m[1]+": ")
	}
	return e
}

// itemText returns an item's speaker and its plain text.
func itemText(it *astisub.Item) (speaker, text string) {
	lines := make([]string, 0, len(it.Lines))
	for _, l := range it.Lines {
		if speaker == "" && l.VoiceName != "" {
			speaker = l.VoiceName
		}
		s := strings.TrimSpace(l.String())
		if s != "" {
			lines = append(lines, s)
		}
	}
	return speakerLabel(speaker, strings.Join(lines, "\n"))
}

// speakerLabel takes a leading "RAMÓN:" label off text as the speaker,
// when no speaker is known yet.
func speakerLabel(speaker, text string) (string, string) {
	if speaker == "" {
		if m := speakerLabelRe.FindStringSubmatch(text); m != nil && hasLetters(m[1], 2) {
			return titleCase(m[1]), text[len(m[0]):]
		}
	}
	return speaker, text
}

// cleanSSA removes override blocks such as {\an8} and turns \N into a line break.
func cleanSSA(s string) string {
	var b strings.Builder
	depth := 0
	for _, r := range s {
		switch {
		case r == '{':
			depth++
		case r == '}' && depth > 0:
			depth--
		case depth == 0:
			b.WriteRune(r)
		}
	}
	s = strings.NewReplacer(`\N`, "\n", `\n`, "\n", `\h`, " ").Replace(b.String())
	return strings.TrimSpace(s)
}

// inheritSpeakers gives each cue without a speaker the speaker of the cue
// before it: subtitles and transcripts name a speaker when the turn changes.
func inheritSpeakers(cues []Cue) {
	last := ""
	for i := range cues {
		if cues[i].Speaker == "" {
			cues[i].Speaker = last
		}
		last = cues[i].Speaker
	}
}

func hasLetters(s string, n int) bool {
	for _, r := range s {
		if unicode.IsLetter(r) {
			n--
		}
	}
	return n <= 0
}

// titleCase turns "DOÑA SOCORRO" into "Doña Socorro".
func titleCase(s string) string {
	words := strings.Fields(s)
	for i, w := range words {
		rs := []rune(strings.ToLower(w))
		rs[0] = unicode.ToUpper(rs[0])
		words[i] = string(rs)
	}
	return strings.Join(words, " ")
}

func isSTL(data []byte) bool {
	return len(data) >= 1024 && bytes.HasPrefix(data[3:], []byte("STL"))
}

func readSTL(name string, data []byte) (*Track, error) {
	subs, err := guard(func() (*astisub.Subtitles, error) {
		return astisub.ReadFromSTL(bytes.NewReader(data), astisub.STLOptions{})
	})
	if err != nil {
		return nil, parserError(name, err)
	}
	t := &Track{Format: FormatSTL, Encoding: "stl"}
	for i, it := range subs.Items {
		c := Cue{Start: it.StartAt, End: it.EndAt}
		c.Speaker, c.Text = itemText(it)
		if err := cueTimes(name, i, c); err != nil {
			return nil, err
		}
		t.Cues = append(t.Cues, c)
	}
	inheritSpeakers(t.Cues)
	return t, nil
}
