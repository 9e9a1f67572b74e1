package subtitles

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
)

// whisperSegment is one segment as OpenAI's whisper, faster-whisper and
// WhisperX write it: times in seconds, WhisperX adding "speaker".
type whisperSegment struct {
	Start   *float64 `json:"start"`
	End     *float64 `json:"end"`
	Text    string   `json:"text"`
	Speaker string   `json:"speaker"`
	Words   []struct {
		Word  string   `json:"word"`
		Start *float64 `json:"start"`
		End   *float64 `json:"end"`
	} `json:"words"`
}

// whisperCppItem is one item of whisper.cpp's "transcription", offsets in ms.
type whisperCppItem struct {
	Offsets *struct {
		From *int64 `json:"from"`
		To   *int64 `json:"to"`
	} `json:"offsets"`
	Text string `json:"text"`
}

func isWhisper(text string) bool {
	head := strings.TrimSpace(text)
	if strings.HasPrefix(head, "[") {
		// A bare list of segments (faster-whisper scripts dump them so).
		rest := strings.TrimLeft(head[1:], " \t\n")
		first := head[:min(len(head), 2000)]
		return strings.HasPrefix(rest, "{") && strings.Contains(first, `"start"`) && strings.Contains(first, `"text"`)
	}
	return strings.HasPrefix(head, "{") && (strings.Contains(head, `"segments"`) || strings.Contains(head, `"transcription"`))
}

// readWhisper reads Whisper JSON one segment at a time, so a file of any
// length (the tools write it on a single line) is read without holding
// more than one segment's structure: the "segments" list of whisper,
// faster-whisper and WhisperX, whisper.cpp's "transcription", or a bare
// list of segments. Other fields ("text", "word_segments", …) are skipped.
func readWhisper(name, text string) (*Track, error) {
	dec := json.NewDecoder(strings.NewReader(text))
	bad := func(err error) error {
		if errors.Is(err, io.EOF) {
			err = io.ErrUnexpectedEOF
		}
		e := &Error{File: name, Msg: "bad Whisper JSON: " + err.Error(), Err: err}
		off := dec.InputOffset()
		var se *json.SyntaxError
		if errors.As(err, &se) {
			off = se.Offset
		}
		e.Line = strings.Count(text[:min(int(off), len(text))], "\n") + 1
		return e
	}
	t := &Track{Format: FormatWhisper}
	tok, err := dec.Token()
	if err != nil {
		return nil, bad(err)
	}
	switch tok {
	case json.Delim('['):
		for dec.More() {
			if err := whisperSegmentInto(name, dec, t); err != nil {
				return nil, whisperErr(bad, err)
			}
		}
		if _, err := dec.Token(); err != nil {
			return nil, bad(err)
		}
	case json.Delim('{'):
		for dec.More() {
			key, err := dec.Token()
			if err != nil {
				return nil, bad(err)
			}
			switch key {
			case "segments":
				err = eachElement(dec, func() error { return whisperSegmentInto(name, dec, t) })
			case "transcription":
				err = eachElement(dec, func() error { return whisperCppInto(name, dec, t) })
			default:
				var skip json.RawMessage
				err = dec.Decode(&skip)
			}
			if err != nil {
				return nil, whisperErr(bad, err)
			}
		}
		if _, err := dec.Token(); err != nil {
			return nil, bad(err)
		}
	default:
		return nil, &Error{File: name, Line: 1, Msg: "bad Whisper JSON: not an object or a list"}
	}
	return t, nil
}

// whisperErr passes our own errors through and wraps the decoder's.
func whisperErr(bad func(error) error, err error) error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return bad(err)
}

// eachElement calls f for each element of the JSON list that comes next
// (null counts as an empty list).
func eachElement(dec *json.Decoder, f func() error) error {
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	if tok == nil {
		return nil
	}
	if tok != json.Delim('[') {
		return fmt.Errorf("want a list, got %v", tok)
	}
	for dec.More() {
		if err := f(); err != nil {
			return err
		}
	}
	_, err = dec.Token()
	return err
}

func whisperSegmentInto(name string, dec *json.Decoder, t *Track) error {
	var s whisperSegment
	if err := dec.Decode(&s); err != nil {
		return err
	}
	i := len(t.Cues)
	if s.Start == nil || s.End == nil {
		return &Error{File: name, Msg: fmt.Sprintf("segment %d has no start or end time", i+1)}
	}
	if i >= limits.cues {
		return tooManyCues(name, 0)
	}
	start, err := secondsTime(*s.Start)
	if err != nil {
		return &Error{File: name, Msg: fmt.Sprintf("segment %d: start %v", i+1, err)}
	}
	end, err := secondsTime(*s.End)
	if err != nil {
		return &Error{File: name, Msg: fmt.Sprintf("segment %d: end %v", i+1, err)}
	}
	if end < start {
		return &Error{File: name, Msg: fmt.Sprintf("segment %d ends (%.3f s) before it starts (%.3f s)", i+1, *s.End, *s.Start)}
	}
	if len(s.Text) > limits.text {
		return textTooLong(name, 0, fmt.Sprintf("segment %d text", i+1))
	}
	t.Cues = append(t.Cues, Cue{Start: start, End: end, Speaker: strings.TrimSpace(s.Speaker), Text: strings.TrimSpace(s.Text)})
	var words []Word
	for _, w := range s.Words {
		if w.Start == nil || w.End == nil {
			continue // WhisperX leaves numbers and the like untimed
		}
		a, err1 := secondsTime(*w.Start)
		b, err2 := secondsTime(*w.End)
		if err1 != nil || err2 != nil || b < a {
			continue
		}
		words = append(words, Word{Start: a, End: b, Text: strings.TrimSpace(w.Word)})
	}
	if len(words) > 0 && t.Words == nil {
		t.Words = make([][]Word, i)
	}
	if t.Words != nil {
		t.Words = append(t.Words, words)
	}
	return nil
}

func whisperCppInto(name string, dec *json.Decoder, t *Track) error {
	var s whisperCppItem
	if err := dec.Decode(&s); err != nil {
		return err
	}
	i := len(t.Cues)
	if s.Offsets == nil || s.Offsets.From == nil || s.Offsets.To == nil {
		return &Error{File: name, Msg: fmt.Sprintf("transcription item %d has no offsets", i+1)}
	}
	if i >= limits.cues {
		return tooManyCues(name, 0)
	}
	a, err1 := secondsTime(float64(*s.Offsets.From) / 1000)
	b, err2 := secondsTime(float64(*s.Offsets.To) / 1000)
	if err := errors.Join(err1, err2); err != nil {
		return &Error{File: name, Msg: fmt.Sprintf("transcription item %d: offset %v", i+1, err)}
	}
	if b < a {
		return &Error{File: name, Msg: fmt.Sprintf("transcription item %d ends before it starts", i+1)}
	}
	if len(s.Text) > limits.text {
		return textTooLong(name, 0, fmt.Sprintf("transcription item %d text", i+1))
	}
	t.Cues = append(t.Cues, Cue{Start: a, End: b, Text: strings.TrimSpace(s.Text)})
	if t.Words != nil {
		t.Words = append(t.Words, nil)
	}
	return nil
}
