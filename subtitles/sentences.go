package subtitles

import (
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

const (
	// momentRunes is how long a moment may grow: a turn longer than this
	// is cut into sentences, and short sentences are packed together up
	// to it (about ten seconds of speech).
	momentRunes = 160
	// sentenceRunes is how long a sentence may run before it is cut at a
	// comma or a space (unpunctuated speech recognition output).
	sentenceRunes = 240
)

// abbreviations end in a period without ending a sentence.
var abbreviations = map[string]bool{
	"sr": true, "sra": true, "srta": true, "dr": true, "dra": true, "lic": true, "ing": true, "prof": true, "profa": true,
	"mr": true, "mrs": true, "ms": true, "st": true, "jr": true, "sres": true, "ud": true, "uds": true, "vd": true,
	"etc": true, "vs": true, "núm": true, "pág": true, "p": true, "av": true, "gral": true, "cap": true, "dpto": true,
}

// splitMoments cuts each cue longer than a moment into sentences, packed
// into moments; each gets a start interpolated by characters between the
// cue's start and end, and is marked estimated (the first keeps the
// cue's own start). A search then lands within seconds of the words, not
// somewhere in a twenty-minute paragraph.
func splitMoments(cues []Cue) []Cue {
	first := -1
	for i, c := range cues {
		if len(c.Text) > momentRunes && utf8.RuneCountInString(c.Text) > momentRunes {
			first = i
			break
		}
	}
	if first < 0 {
		return cues // nothing to cut: no copy
	}
	out := append(make([]Cue, 0, len(cues)+len(cues)/4), cues[:first]...)
	for _, c := range cues[first:] {
		if utf8.RuneCountInString(c.Text) <= momentRunes {
			out = append(out, c)
			continue
		}
		pieces := moments(c.Text)
		if len(pieces) < 2 {
			out = append(out, c)
			continue
		}
		total := 0
		for _, p := range pieces {
			total += utf8.RuneCountInString(p) + 1
		}
		span := c.End - c.Start
		acc := 0
		for i, p := range pieces {
			m := Cue{Speaker: c.Speaker, Text: p, Line: c.Line, Start: c.Start + time.Duration(float64(span)*float64(acc)/float64(total)), Estimated: c.Estimated || i > 0}
			acc += utf8.RuneCountInString(p) + 1
			m.End = c.Start + time.Duration(float64(span)*float64(acc)/float64(total))
			if i == len(pieces)-1 {
				m.End = c.End
			}
			out = append(out, m)
		}
	}
	return out
}

// moments splits text into sentences and packs short neighbours
// together, up to momentRunes.
func moments(text string) []string {
	var out []string
	cur := ""
	for _, s := range sentences(text) {
		switch {
		case cur == "":
			cur = s
		case utf8.RuneCountInString(cur)+1+utf8.RuneCountInString(s) <= momentRunes:
			cur += " " + s
		default:
			out = append(out, cur)
			cur = s
		}
	}
	if cur != "" {
		out = append(out, cur)
	}
	return out
}

// sentences splits text after a full stop, question or exclamation mark
// or ellipsis (and any closing quote or bracket) that is followed by a
// space and a capital, a digit or an opening mark; not after an
// abbreviation or an initial. Sentences longer than sentenceRunes are cut
// at a comma, or a space.
func sentences(text string) []string {
	text = strings.Join(strings.Fields(text), " ")
	var out []string
	rs := []rune(text)
	start := 0
	for i := 0; i < len(rs); i++ {
		if !strings.ContainsRune(".!?…", rs[i]) {
			continue
		}
		j := i + 1
		for j < len(rs) && strings.ContainsRune(".!?…\"'”’»)]", rs[j]) {
			j++
		}
		if j >= len(rs) || rs[j] != ' ' || j+1 >= len(rs) {
			continue
		}
		next := rs[j+1]
		if !unicode.IsUpper(next) && !unicode.IsDigit(next) && !strings.ContainsRune("¿¡\"“«([-—", next) {
			continue
		}
		if rs[i] == '.' && isAbbreviation(rs[start:i]) {
			continue
		}
		out = append(out, string(rs[start:j]))
		start = j + 1
		i = j
	}
	if start < len(rs) {
		out = append(out, string(rs[start:]))
	}
	var cut []string
	for _, s := range out {
		cut = append(cut, cutLong(s)...)
	}
	return cut
}

// isAbbreviation reports whether the word before a period is an
// abbreviation or an initial.
func isAbbreviation(before []rune) bool {
	k := len(before)
	for k > 0 && before[k-1] != ' ' {
		k--
	}
	w := string(before[k:])
	if utf8.RuneCountInString(w) == 1 && unicode.IsUpper([]rune(w)[0]) {
		return true // an initial: "J. R. Jiménez"
	}
	return abbreviations[strings.ToLower(strings.TrimLeft(w, "(¿¡\"“«"))]
}

// cutLong cuts a sentence longer than sentenceRunes at the last comma
// (or, failing that, space) before the limit.
func cutLong(s string) []string {
	rs := []rune(s)
	if len(rs) <= sentenceRunes {
		return []string{s}
	}
	var out []string
	for len(rs) > sentenceRunes {
		at := -1
		for i := sentenceRunes; i > sentenceRunes/3; i-- {
			if rs[i] == ' ' && strings.ContainsRune(",;:", rs[i-1]) {
				at = i
				break
			}
		}
		if at < 0 {
			for i := sentenceRunes; i > 0; i-- {
				if rs[i] == ' ' {
					at = i
					break
				}
			}
		}
		if at <= 0 {
			break // one very long word
		}
		out = append(out, string(rs[:at]))
		rs = rs[at+1:]
	}
	return append(out, string(rs))
}
