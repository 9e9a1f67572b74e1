package subtitles

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

// whisperJSON covers the JSON that common transcription tools write:
// OpenAI's whisper and WhisperX ("segments", times in seconds, WhisperX
// adding "speaker") and whisper.cpp ("transcription", offsets in ms).
type whisperJSON struct {
	Segments []struct {
		Start   *float64 `json:"start"`
		End     *float64 `json:"end"`
		Text    string   `json:"text"`
		Speaker string   `json:"speaker"`
		Words   []struct {
			Word  string   `json:"word"`
			Start *float64 `json:"start"`
			End   *float64 `json:"end"`
		} `json:"words"`
	} `json:"segments"`
	Transcription []struct {
		Offsets *struct {
			From *int64 `json:"from"`
			To   *int64 `json:"to"`
		} `json:"offsets"`
		Text string `json:"text"`
	} `json:"transcription"`
}

func isWhisper(text string) bool {
	head := strings.TrimSpace(text)
	return strings.HasPrefix(head, "{") && (strings.Contains(head, `"segments"`) || strings.Contains(head, `"transcription"`))
}

func readWhisper(name, text string) (*Track, error) {
	var w whisperJSON
	dec := json.NewDecoder(strings.NewReader(text))
	if err := dec.Decode(&w); err != nil {
		e := &Error{File: name, Msg: "bad Whisper JSON: " + err.Error(), Err: err}
		if se, ok := err.(*json.SyntaxError); ok {
			e.Line = strings.Count(text[:min(int(se.Offset), len(text))], "\n") + 1
		}
		return nil, e
	}
	t := &Track{Format: FormatWhisper}
	sec := func(f float64) time.Duration { return time.Duration(f*1000+0.5) * time.Millisecond }
	for i, s := range w.Segments {
		if s.Start == nil || s.End == nil {
			return nil, &Error{File: name, Msg: fmt.Sprintf("segment %d has no start or end time", i+1)}
		}
		if *s.End < *s.Start || *s.Start < 0 {
			return nil, &Error{File: name, Msg: fmt.Sprintf("segment %d ends (%.3f s) before it starts (%.3f s)", i+1, *s.End, *s.Start)}
		}
		t.Cues = append(t.Cues, Cue{Start: sec(*s.Start), End: sec(*s.End), Speaker: s.Speaker, Text: strings.TrimSpace(s.Text)})
		var words []Word
		for _, w := range s.Words {
			if w.Start == nil || w.End == nil { // WhisperX leaves numbers and the like untimed
				continue
			}
			words = append(words, Word{Start: sec(*w.Start), End: sec(*w.End), Text: strings.TrimSpace(w.Word)})
		}
		if len(words) > 0 && t.Words == nil {
			t.Words = make([][]Word, i)
		}
		if t.Words != nil {
			t.Words = append(t.Words, words)
		}
	}
	for i, s := range w.Transcription {
		if s.Offsets == nil || s.Offsets.From == nil || s.Offsets.To == nil {
			return nil, &Error{File: name, Msg: fmt.Sprintf("transcription item %d has no offsets", i+1)}
		}
		a, b := time.Duration(*s.Offsets.From)*time.Millisecond, time.Duration(*s.Offsets.To)*time.Millisecond
		if b < a || a < 0 {
			return nil, &Error{File: name, Msg: fmt.Sprintf("transcription item %d ends before it starts", i+1)}
		}
		t.Cues = append(t.Cues, Cue{Start: a, End: b, Text: strings.TrimSpace(s.Text)})
	}
	return t, nil
}
