package qc

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// lines returns a cue's text as it is shown: one string a line, each
// trimmed, blank lines dropped (writers drop them too).
func lines(text string) []string {
	var out []string
	for _, l := range strings.Split(text, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

// chars counts characters as the style guides do: runes, not bytes, with
// spaces and punctuation included (Netflix counts both towards the limits)
// and line breaks not counted.
func chars(ls []string) int {
	n := 0
	for _, l := range ls {
		n += utf8.RuneCountInString(l)
	}
	return n
}

// words counts the words of a text: the space-separated tokens holding a
// letter or a digit, so that a lone dash or "..." is not a word.
func words(text string) int {
	n := 0
	for _, f := range strings.Fields(text) {
		if strings.IndexFunc(f, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }) >= 0 {
			n++
		}
	}
	return n
}

// isDash reports whether r is a hyphen or dash that can open a speaker's line.
func isDash(r rune) bool {
	return r == '-' || r == '‐' || r == '‑' || r == '–' || r == '—'
}

// speakerDash returns the dash (with its space, if any) that opens line l
// as a speaker's line, or "" when the line does not open with one: a dash
// followed by a letter, an opening mark or a space, not "--" or "-5".
func speakerDash(l string) string {
	r, n := utf8.DecodeRuneInString(l)
	if !isDash(r) {
		return ""
	}
	rest := l[n:]
	space := strings.TrimLeft(rest, " ")
	next, _ := utf8.DecodeRuneInString(space)
	if space == "" || isDash(next) || unicode.IsDigit(next) && len(space) == len(rest) {
		return ""
	}
	return l[:n+len(rest)-len(space)]
}

// isDialogue reports whether a cue's lines are two speakers' (a line after
// the first, or the first of several, opens with a dash). Fix leaves their
// line breaks alone.
func isDialogue(ls []string) bool {
	for i, l := range ls {
		if speakerDash(l) != "" && (i > 0 || len(ls) > 1) {
			return true
		}
	}
	return false
}

// smallWords are the words a line should not end with: articles,
// prepositions, conjunctions, possessives and clitic pronouns of English
// and Spanish, which belong with the word after them.
var smallWords = wordSet(`
	a an the of to in on at by for with from into onto about as than and or but nor so if that
	my your his her its our their this these those i we you he she they not
	el la los las lo un una unos unas al del de en con por para sin sobre entre hasta desde hacia
	tras ante bajo según y e o u ni pero sino que si como cuando porque donde mientras pues
	every each some any all another other such what which whose
	mi mis tu tus su sus nuestro nuestra nuestros nuestras me te se nos os le les no muy más
	cada algún alguna ningún ninguna otro otra otros otras todo toda todos todas
	este esta estos estas ese esa esos esas aquel aquella aquellos aquellas`)

func wordSet(s string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(s) {
		m[w] = true
	}
	return m
}

// endsWithPunct reports whether a line ends a clause: after punctuation is
// where the guides want a line broken.
func endsWithPunct(l string) bool {
	r, _ := utf8.DecodeLastRuneInString(l)
	return strings.ContainsRune(".,;:?!…»\")", r)
}

// breakCost scores putting the line break after words[:k] (lower is
// better): the difference in length, less for a break after punctuation,
// more for a line ending with a small word.
func breakCost(ws []string, k int) (cost, l1, l2 int) {
	l1 = len(ws[:k]) - 1
	for _, w := range ws[:k] {
		l1 += utf8.RuneCountInString(w)
	}
	l2 = len(ws[k:]) - 1
	for _, w := range ws[k:] {
		l2 += utf8.RuneCountInString(w)
	}
	cost = abs(l1 - l2)
	last := ws[k-1]
	switch {
	case endsWithPunct(last):
		cost -= 15
		if r, _ := utf8.DecodeLastRuneInString(last); r != ',' {
			cost -= 5
		}
	case smallWords[strings.ToLower(last)]:
		cost += 25
	}
	if smallWords[strings.ToLower(ws[k])] {
		cost -= 3 // before a conjunction or preposition
	}
	if l1 > l2 {
		cost++ // a tie goes to the shorter top line
	}
	return cost, l1, l2
}

// bestBreak returns where to break words into two lines that both fit in
// maxChars (0 = no limit): k words on the first line, or k = 0 when no
// break fits.
func bestBreak(ws []string, maxChars int) (k, cost int) {
	for i := 1; i < len(ws); i++ {
		c, l1, l2 := breakCost(ws, i)
		if maxChars > 0 && (l1 > maxChars || l2 > maxChars) {
			continue
		}
		if k == 0 || c < cost || c == cost && endsWithPunct(ws[i-1]) && !endsWithPunct(ws[k-1]) {
			k, cost = i, c
		}
	}
	return k, cost
}

// minBetter is how much lower a break's cost must be than the current
// one's for the current one to count as unbalanced: small differences are
// taste, not a fault.
const minBetter = 10

// rebreak returns a better layout for a cue's lines, or nil when they are
// fine as they are or cannot be improved without changing words: a line
// too long for the profile, too many lines, or two unbalanced lines.
// Speaker-dash cues are left alone.
func rebreak(ls []string, p Profile) []string {
	if len(ls) == 0 || isDialogue(ls) {
		return nil
	}
	maxLines := p.MaxLines
	if maxLines == 0 {
		maxLines = 2
	}
	tooLong := false
	for _, l := range ls {
		if p.MaxLineChars > 0 && utf8.RuneCountInString(l) > p.MaxLineChars {
			tooLong = true
		}
	}
	ws := strings.Fields(strings.Join(ls, " "))
	if tooLong || len(ls) > maxLines {
		one := strings.Join(ws, " ")
		if p.MaxLineChars == 0 || utf8.RuneCountInString(one) <= p.MaxLineChars {
			if len(ls) > 1 {
				return []string{one}
			}
			return nil
		}
		if maxLines < 2 {
			return nil
		}
		if k, _ := bestBreak(ws, p.MaxLineChars); k > 0 {
			return []string{strings.Join(ws[:k], " "), strings.Join(ws[k:], " ")}
		}
		return nil
	}
	if k := unbalanced(ls, p); k > 0 {
		return []string{strings.Join(ws[:k], " "), strings.Join(ws[k:], " ")}
	}
	return nil
}

// unbalanced returns, for two lines that fit but are badly broken (the
// first ends with a small word, or one is less than half the other), where
// a clearly better break would go (words on the first line), or 0 when
// they are fine: a break after punctuation always is.
func unbalanced(ls []string, p Profile) int {
	if len(ls) != 2 || isDialogue(ls) || endsWithPunct(ls[0]) {
		return 0
	}
	first := strings.Fields(ls[0])
	ws := append(first, strings.Fields(ls[1])...)
	cur, l1, l2 := breakCost(ws, len(first))
	if !smallWords[strings.ToLower(first[len(first)-1])] && 2*min(l1, l2) >= max(l1, l2) {
		return 0
	}
	k, best := bestBreak(ws, p.MaxLineChars)
	if k == 0 || k == len(first) || best > cur-minBetter {
		return 0
	}
	return k
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}
