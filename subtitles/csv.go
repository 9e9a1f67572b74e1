package subtitles

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"
)

// csvColumns are the header names recognised for each field, in English
// and Spanish.
var csvColumns = map[string][]string{
	"start":   {"start", "start time", "start_time", "begin", "in", "timecode", "time", "inicio", "entrada", "tiempo"},
	"end":     {"end", "end time", "end_time", "stop", "out", "fin", "final", "salida"},
	"speaker": {"speaker", "name", "hablante", "orador", "persona", "voz"},
	"text":    {"text", "transcript", "transcription", "texto", "transcripción", "transcripcion", "dialogue", "diálogo"},
}

// csvHeader finds the delimiter and columns of a CSV or TSV transcript;
// ok is false when the first line is not such a header.
func csvHeader(text string) (delim rune, cols map[string]int, ok bool) {
	first, _, _ := strings.Cut(text, "\n")
	for _, d := range []rune{'\t', ';', ','} {
		if !strings.ContainsRune(first, d) {
			continue
		}
		cols = map[string]int{}
		for i, h := range strings.Split(first, string(d)) {
			h = strings.ToLower(strings.Trim(strings.TrimSpace(h), `"`))
			for field, names := range csvColumns {
				for _, n := range names {
					if h == n {
						if _, dup := cols[field]; !dup {
							cols[field] = i
						}
					}
				}
			}
		}
		if _, hasStart := cols["start"]; hasStart {
			if _, hasText := cols["text"]; hasText {
				return d, cols, true
			}
		}
	}
	return 0, nil, false
}

func readCSV(name, text string) (*Track, error) {
	delim, cols, ok := csvHeader(text)
	if !ok {
		return nil, &Error{File: name, Line: 1, Msg: "no header with start and text columns"}
	}
	r := csv.NewReader(strings.NewReader(text))
	r.Comma = delim
	r.FieldsPerRecord = -1
	r.LazyQuotes = true
	if _, err := r.Read(); err != nil { // the header
		return nil, &Error{File: name, Line: 1, Msg: err.Error()}
	}
	t := &Track{Format: FormatCSV}
	ps := problems{file: name}
	hint := "times look like 00:01:02.500, 01:02 or 62.5"
	var missingEnd []int
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			line := 0
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				line = pe.Line
			}
			ps.add(line, err.Error(), "")
			break // the rows after a broken quote cannot be told apart
		}
		line, _ := r.FieldPos(0)
		field := func(f string) string {
			if i, ok := cols[f]; ok && i < len(rec) {
				return strings.TrimSpace(rec[i])
			}
			return ""
		}
		if field("text") == "" && field("start") == "" {
			continue
		}
		start, err := parseStamp(field("start"))
		if err != nil {
			ps.add(line, fmt.Sprintf("start %q: %v", field("start"), err), hint)
			continue
		}
		c := Cue{Start: start, Speaker: field("speaker"), Text: field("text"), Line: line}
		if len(c.Text) > limits.text {
			e := textTooLong(name, line, "text")
			ps.add(line, e.Msg, "")
			continue
		}
		if e := field("end"); e != "" {
			if c.End, err = parseStamp(e); err != nil {
				ps.add(line, fmt.Sprintf("end %q: %v", e, err), hint)
				continue
			}
			if c.End < c.Start {
				ps.add(line, fmt.Sprintf("ends (%s) before it starts (%s)", e, field("start")), "fix its times; recuerdo does not guess which end is wrong")
				continue
			}
		} else {
			missingEnd = append(missingEnd, len(t.Cues))
		}
		if len(t.Cues) >= limits.cues {
			ps.add(line, fmt.Sprintf("more than %d rows", limits.cues), "split the file")
			break
		}
		t.Cues = append(t.Cues, c)
	}
	if err := ps.err(); err != nil {
		return nil, err
	}
	// A row without an end lasts until the next row starts.
	for _, i := range missingEnd {
		c := &t.Cues[i]
		c.End = clampEstimate(c.Start + estimateDuration(c.Text))
		if i+1 < len(t.Cues) && t.Cues[i+1].Start > c.Start {
			c.End = t.Cues[i+1].Start
		}
		c.Estimated = true
	}
	return t, nil
}

// parseStamp reads a timecode: HH:MM:SS[.,]mmm, MM:SS, seconds, or SMPTE
// HH:MM:SS:FF / HH;MM;SS;FF (frames counted at 30 per second).
func parseStamp(s string) (time.Duration, error) {
	s = strings.TrimSpace(strings.Trim(s, "[]()"))
	if strings.Count(s, ";") == 3 || strings.Count(s, ":") == 3 {
		parts := strings.FieldsFunc(s, func(r rune) bool { return r == ':' || r == ';' })
		if len(parts) == 4 {
			base, err := ParseTime(parts[0] + ":" + parts[1] + ":" + parts[2])
			if err != nil {
				return 0, err
			}
			f, err := parseInt(parts[3])
			if err != nil || f >= 60 {
				return 0, fmt.Errorf("bad frame count %q", parts[3])
			}
			return base + time.Duration(f)*time.Second/30, nil
		}
	}
	return ParseTime(s)
}

// estimateDuration guesses how long text takes to say: about 15
// characters a second, at least a second.
func estimateDuration(text string) time.Duration {
	return max(time.Second, time.Duration(len([]rune(text)))*time.Second/15)
}
