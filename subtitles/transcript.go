package subtitles

import (
	"regexp"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

var (
	// stampRe finds timestamps as transcriptionists insert them:
	// [00:01:05], (1:32), [2:45], 0:02:10, 00;01;23;54 and 00:01:23:54.
	stampRe = regexp.MustCompile(`[\[(]\s*(\d{1,2}(?:[:;]\d{2}){1,3}(?:[.,]\d{1,3})?)\s*[\])]|\b(\d{1,2}(?:[:;]\d{2}){2,3}(?:[.,]\d{1,3})?)\b`)
	// turnRe finds a speaker turn at the start of a line: "NÚÑEZ:",
	// "DOÑA SOCORRO:", "Sra. Pérez:", "**Lucía:**" in Markdown.
	turnRe = regexp.MustCompile(`^\s*(?:[-*>]\s+)?\**((?:\p{Lu}[\p{L}'’.-]*)(?:\s+\p{Lu}[\p{L}'’.-]*){0,3})\**\s*:\**\s*`)
	// headerKeys are the labels of a transcript's header block.
	headerKeys = map[string]bool{
		"INTERVIEWEE": true, "INTERVIEWEES": true, "INTERVIEWER": true, "INTERVIEWERS": true, "NARRATOR": true,
		"DATE": true, "LOCATION": true, "PLACE": true, "TITLE": true, "TRANSCRIBER": true, "LANGUAGE": true, "DURATION": true,
		"ENTREVISTADO": true, "ENTREVISTADA": true, "ENTREVISTADOR": true, "ENTREVISTADORA": true, "ENTREVISTADORES": true,
		"NARRADOR": true, "NARRADORA": true, "FECHA": true, "LUGAR": true, "TÍTULO": true, "TITULO": true, "TRANSCRIPCIÓN": true,
		"IDIOMA": true, "DURACIÓN": true,
	}
)

// looksLikeTranscript reports whether text has a transcript's marks: a
// timestamp, or speaker turns on two lines.
func looksLikeTranscript(text string) bool {
	if stampRe.MatchString(text) {
		return true
	}
	turns := 0
	for _, line := range strings.Split(text, "\n") {
		if m := turnRe.FindStringSubmatch(line); m != nil && isSpeakerLabel(m[1]) {
			turns++
		}
	}
	return turns >= 2
}

// isSpeakerLabel accepts "NÚÑEZ", "DOÑA SOCORRO", "Sra. Pérez", "Lucía"
// but not words that merely start a sentence before a colon ("Mira").
func isSpeakerLabel(s string) bool {
	words := strings.Fields(s)
	if len(words) == 0 {
		return false
	}
	upper := true
	for _, r := range s {
		if unicode.IsLetter(r) && !unicode.IsUpper(r) {
			upper = false
		}
	}
	if upper {
		return len([]rune(s)) >= 2
	}
	// Title case: every word capitalised, and either an honorific
	// (ending in a period) or at most two words.
	return strings.HasSuffix(words[0], ".") || len(words) <= 2
}

type tpara struct {
	speaker string
	text    string
	stamp   time.Duration // the timestamp that opens it, if has
	has     bool
	line    int
}

// readTranscript reads a plain-text or Markdown transcript: an optional
// header block (INTERVIEWEE:, DATE:, …), then speaker turns and
// paragraphs with timestamps inserted here and there. Each paragraph or
// turn becomes a cue; a timestamp inside a paragraph starts a new cue.
// Cues without a timestamp of their own get times interpolated by
// characters between the stamps around them, and are marked Estimated.
// Editorial marks such as [inaudible] or [risas] stay in the text.
func readTranscript(name, text string) (*Track, error) {
	t := &Track{Format: FormatTranscript, Header: map[string]string{}}
	lines := strings.Split(strings.ReplaceAll(text, "\ufeff", ""), "\n")
	body := bodyStart(lines)
	if err := readHeader(name, t.Header, lines[:body]); err != nil {
		return nil, err
	}
	var paras []tpara
	cur := tpara{}
	speaker := ""
	// The paragraph's text is built once (a paragraph of a million lines
	// used to be copied at each line) and bounded by MaxCueText.
	var buf strings.Builder
	add := func(s string) error {
		if buf.Len()+1+len(s) > limits.text {
			return textTooLong(name, cur.line, "paragraph")
		}
		buf.WriteByte(' ')
		buf.WriteString(s)
		return nil
	}
	hasText := func() bool { return strings.TrimSpace(buf.String()) != "" }
	flush := func() error {
		cur.text = strings.Join(strings.Fields(buf.String()), " ")
		buf.Reset()
		if cur.text == "" {
			// A timestamp on a line of its own opens what follows.
			cur.speaker = speaker
			return nil
		}
		if len(paras) >= limits.cues {
			return tooManyCues(name, cur.line)
		}
		paras = append(paras, cur)
		cur = tpara{speaker: speaker}
		return nil
	}
	for n := body; n < len(lines); n++ {
		l := strings.TrimRight(lines[n], " \t")
		if len(l) > limits.text {
			// Refused before any pattern scans it: a line past the limit
			// cannot fit in a paragraph.
			return nil, textTooLong(name, n+1, "paragraph")
		}
		if strings.TrimSpace(l) == "" {
			if err := flush(); err != nil {
				return nil, err
			}
			continue
		}
		if strings.HasPrefix(strings.TrimSpace(l), "#") {
			if err := flush(); err != nil { // a Markdown heading: a section title, not speech
				return nil, err
			}
			continue
		}
		// A timestamp that opens the line opens a new paragraph, and a
		// speaker turn may follow it: "[2:45] LUCÍA: ¿Y luego?".
		if loc := stampRe.FindStringSubmatchIndex(l); loc != nil && strings.TrimSpace(l[:loc[0]]) == "" {
			g := loc[2:4]
			if g[0] < 0 {
				g = loc[4:6]
			}
			if d, err := parseStamp(l[g[0]:g[1]]); err == nil {
				if err := flush(); err != nil {
					return nil, err
				}
				cur.stamp, cur.has, cur.line = d, true, n+1
				l = l[loc[1]:]
			}
		}
		if m := turnRe.FindStringSubmatch(l); m != nil && isSpeakerLabel(m[1]) && !headerKeys[strings.ToUpper(m[1])] {
			if hasText() {
				if err := flush(); err != nil {
					return nil, err
				}
			}
			speaker = strings.TrimSpace(m[1])
			if isAllUpper(speaker) {
				speaker = titleCase(speaker)
			}
			cur.speaker = speaker
			l = l[len(m[0]):]
		}
		if cur.line == 0 {
			cur.line = n + 1
		}
		// Split the line at its timestamps.
		at := 0
		for _, loc := range stampRe.FindAllStringSubmatchIndex(l, -1) {
			g := loc[2:4]
			if g[0] < 0 {
				g = loc[4:6]
			}
			d, err := parseStamp(l[g[0]:g[1]])
			if err != nil {
				continue // not a time after all; leave it in the text
			}
			if err := add(l[at:loc[0]]); err != nil {
				return nil, err
			}
			if hasText() {
				if err := flush(); err != nil {
					return nil, err
				}
			}
			cur.stamp, cur.has, cur.line = d, true, n+1
			at = loc[1]
		}
		if err := add(l[at:]); err != nil {
			return nil, err
		}
	}
	if err := flush(); err != nil {
		return nil, err
	}
	t.Cues = timeParagraphs(paras)
	return t, nil
}

// readHeader reads a transcript's header block (INTERVIEWEE:, DATE:, a
// summary paragraph, Markdown headings) into h, each value built once and
// bounded by MaxCueText.
func readHeader(name string, h map[string]string, lines []string) error {
	vals := map[string]*strings.Builder{}
	val := func(k string) *strings.Builder {
		if vals[k] == nil {
			vals[k] = &strings.Builder{}
		}
		return vals[k]
	}
	lastKey := ""
	for n, raw := range lines {
		if strings.HasPrefix(strings.TrimSpace(raw), "#") {
			lastKey = "" // a Markdown heading ends a header field
			if val("TITLE").Len() == 0 {
				val("TITLE").WriteString(strings.TrimSpace(strings.Trim(strings.TrimSpace(raw), "#")))
			}
			continue
		}
		l := strings.TrimSpace(strings.Trim(strings.TrimSpace(raw), "*"))
		var b *strings.Builder
		if m := turnRe.FindStringSubmatch(l); m != nil && headerKeys[strings.ToUpper(m[1])] {
			lastKey = strings.ToUpper(m[1])
			b = val(lastKey)
			b.Reset()
			b.WriteString(strings.TrimSpace(l[len(m[0]):]))
		} else if l != "" && lastKey != "" && len(l) < 80 {
			b = val(lastKey)
			b.WriteString("; " + l) // "INTERVIEWERS: A" then "B" on the next line
		} else if l != "" {
			b = val("SUMMARY")
			if b.Len() > 0 {
				b.WriteByte(' ')
			}
			b.WriteString(l)
			lastKey = ""
		}
		if b != nil && b.Len() > limits.text {
			return textTooLong(name, n+1, "header")
		}
	}
	for k, b := range vals {
		h[k] = b.String()
	}
	return nil
}

// bodyStart finds where the header block ends: at the first timestamp or
// the first speaker turn that is not a header label.
func bodyStart(lines []string) int {
	for n, l := range lines {
		if len(l) > limits.text || stampRe.MatchString(l) {
			return n // a line past the limit is refused by the body's reader
		}
		if m := turnRe.FindStringSubmatch(strings.Trim(strings.TrimSpace(l), "#")); m != nil && isSpeakerLabel(m[1]) && !headerKeys[strings.ToUpper(m[1])] {
			return n
		}
	}
	return 0
}

// timeParagraphs gives every paragraph a start and an end: its own stamp,
// or a time interpolated by characters between the stamps around it
// (before the first or after the last, at the file's speaking rate or 15
// characters a second).
func timeParagraphs(ps []tpara) []Cue {
	cues := make([]Cue, len(ps))
	// Stamps must grow; one that goes back is ignored for timing.
	var last time.Duration = -1
	for i, p := range ps {
		cues[i] = Cue{Speaker: p.speaker, Text: p.text, Line: p.line}
		if p.has && p.stamp > last {
			cues[i].Start, last = p.stamp, p.stamp
		} else {
			ps[i].has = false
		}
	}
	chars := func(i int) float64 { return float64(utf8.RuneCountInString(ps[i].text)) + 1 }
	rate := 15.0 // characters a second
	first, lastI := -1, -1
	for i := range ps {
		if ps[i].has {
			if first < 0 {
				first = i
			}
			lastI = i
		}
	}
	if first >= 0 && lastI > first {
		var c float64
		for i := first; i < lastI; i++ {
			c += chars(i)
		}
		if secs := (cues[lastI].Start - cues[first].Start).Seconds(); secs > 0 {
			rate = c / secs
		}
	}
	perChar := func(c float64) time.Duration { return time.Duration(c / rate * float64(time.Second)) }
	// Before the first stamp: backwards from it, or from zero if none.
	if first < 0 {
		at := time.Duration(0)
		for i := range cues {
			cues[i].Start, cues[i].Estimated = at, true
			at += perChar(chars(i))
		}
	} else {
		at := cues[first].Start
		for i := first - 1; i >= 0; i-- {
			at = max(0, at-perChar(chars(i)))
			cues[i].Start, cues[i].Estimated = at, true
		}
		// Between stamps: share the time by characters.
		for i := first; i <= lastI; {
			j := i + 1
			for j <= lastI && !ps[j].has {
				j++
			}
			if j > lastI {
				break
			}
			var c float64
			for k := i; k < j; k++ {
				c += chars(k)
			}
			span := cues[j].Start - cues[i].Start
			acc := 0.0
			for k := i + 1; k < j; k++ {
				acc += chars(k - 1)
				cues[k].Start, cues[k].Estimated = cues[i].Start+time.Duration(float64(span)*acc/c), true
			}
			i = j
		}
		at = cues[lastI].Start
		for i := lastI + 1; i < len(cues); i++ {
			at += perChar(chars(i - 1))
			cues[i].Start, cues[i].Estimated = at, true
		}
	}
	for i := range cues {
		if i+1 < len(cues) {
			cues[i].End = cues[i+1].Start
		} else {
			cues[i].End = cues[i].Start + perChar(chars(i))
		}
		// Estimates past the last stamp, at a slow file's rate, stay
		// within the times a file may hold.
		cues[i].Start, cues[i].End = clampEstimate(cues[i].Start), clampEstimate(cues[i].End)
	}
	return cues
}

func isAllUpper(s string) bool {
	for _, r := range s {
		if unicode.IsLetter(r) && !unicode.IsUpper(r) {
			return false
		}
	}
	return true
}
