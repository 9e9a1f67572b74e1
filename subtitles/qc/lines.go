package qc

import (
	"slices"
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

// articles never end a line: the guides do not part an article from its
// noun ("al" and "del" hold one).
var articles = wordSet(`a an the el la los las un una unos unas al del`)

// conjunctions and prepositions are where a line is best broken before,
// after punctuation. English words that are as often a verb's particle
// ("bring in", "give up") are left out: breaking before them may part a
// verb from its preposition.
var (
	conjunctions = wordSet(`and or but nor because although though while whereas unless until since
		y e o u ni pero sino aunque porque mientras pues cuando donde como que si`)
	prepositions = wordSet(`of to for with from into onto about at during without between through against towards toward
		de en con por para sin sobre entre hasta desde hacia tras ante bajo según durante`)
)

// verbCling are auxiliaries, modals and negations, which the guides keep
// on the line of their verb.
var verbCling = wordSet(`not never can't couldn't won't wouldn't don't doesn't didn't isn't aren't wasn't weren't
	haven't hasn't hadn't shouldn't mustn't will would could should can may might must shall
	no nunca ha han hemos habéis`)

func wordSet(s string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(s) {
		m[w] = true
	}
	return m
}

// bare is a word as the word lists hold it: lower case, without quotes,
// brackets or opening marks, and with a typographic apostrophe made plain.
func bare(w string) string {
	w = strings.ToLower(strings.ReplaceAll(w, "’", "'"))
	return strings.Trim(w, "¿¡\"'«»“”‘()[]")
}

// endsWithPunct reports whether a line ends a clause: after punctuation is
// where the guides want a line broken.
func endsWithPunct(l string) bool {
	r, _ := utf8.DecodeLastRuneInString(l)
	return strings.ContainsRune(".,;:?!…»\")", r)
}

// endsWithArticle reports whether a line ends with an article, parted
// from its noun on the next line.
func endsWithArticle(l string) bool {
	ws := strings.Fields(l)
	return len(ws) > 0 && !endsWithPunct(l) && articles[bare(ws[len(ws)-1])]
}

// breakCost scores putting the line break after words[:k] (lower is
// better): the difference in length, less for a break after punctuation
// or before a conjunction or preposition, more for a line ending with a
// small word or an auxiliary. forbidden is set for a break after an
// article, which is never made.
func breakCost(ws []string, k int) (cost, l1, l2 int, forbidden bool) {
	l1 = len(ws[:k]) - 1
	for _, w := range ws[:k] {
		l1 += utf8.RuneCountInString(w)
	}
	l2 = len(ws[k:]) - 1
	for _, w := range ws[k:] {
		l2 += utf8.RuneCountInString(w)
	}
	cost = abs(l1 - l2)
	last, next := ws[k-1], bare(ws[k])
	switch {
	case endsWithPunct(last):
		cost -= 15
		if r, _ := utf8.DecodeLastRuneInString(last); r != ',' {
			cost -= 5
		}
	case articles[bare(last)]:
		forbidden = true
	case smallWords[bare(last)]:
		cost += 25
	case verbCling[bare(last)]:
		cost += 15
	default:
		if conjunctions[next] {
			cost -= 6
		} else if prepositions[next] {
			cost -= 3
		}
	}
	if l1 > l2 {
		cost++ // a tie goes to the shorter top line
	}
	return cost, l1, l2, forbidden
}

// bestBreak returns where to break words into two lines that both fit in
// maxChars (0 = no limit): k words on the first line, or k = 0 when no
// break fits (a break after an article never does).
func bestBreak(ws []string, maxChars int) (k, cost int) {
	for i := 1; i < len(ws); i++ {
		c, l1, l2, forbidden := breakCost(ws, i)
		if forbidden || maxChars > 0 && (l1 > maxChars || l2 > maxChars) {
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

// rebreak returns new line breaks for a cue whose lines break a rule, or
// nil when they keep the rules (however a translator chose to balance
// them) or cannot be mended without changing words. The rules: no line
// longer than the profile allows, no more lines than it allows, no article
// at the end of a line. Speaker-dash cues are left alone.
func rebreak(ls []string, p Profile) []string {
	if len(ls) == 0 || isDialogue(ls) {
		return nil
	}
	maxLines := p.MaxLines
	if maxLines == 0 {
		maxLines = 2
	}
	tooLong, article := false, false
	for i, l := range ls {
		if p.MaxLineChars > 0 && utf8.RuneCountInString(l) > p.MaxLineChars {
			tooLong = true
		}
		if i < len(ls)-1 && endsWithArticle(l) {
			article = true
		}
	}
	if !tooLong && !article && len(ls) <= maxLines {
		return nil
	}
	ws := strings.Fields(strings.Join(ls, " "))
	one := strings.Join(ws, " ")
	if tooLong || len(ls) > maxLines {
		if p.MaxLineChars == 0 || utf8.RuneCountInString(one) <= p.MaxLineChars {
			if len(ls) > 1 {
				return []string{one}
			}
			return nil
		}
	}
	if maxLines < 2 {
		return nil
	}
	k, _ := bestBreak(ws, p.MaxLineChars)
	if k == 0 {
		return nil
	}
	out := []string{strings.Join(ws[:k], " "), strings.Join(ws[k:], " ")}
	if slices.Equal(out, ls) {
		return nil
	}
	return out
}

// unbalanced returns, for two lines that fit but are badly broken (the
// first ends with a small word, or one is less than half the other), where
// a clearly better break would go (words on the first line), or 0 when
// they are fine: a break after punctuation always is. Check warns about
// them; Fix leaves them to the translator unless the break parts an
// article from its noun.
func unbalanced(ls []string, p Profile) int {
	if len(ls) != 2 || isDialogue(ls) || endsWithPunct(ls[0]) {
		return 0
	}
	first := strings.Fields(ls[0])
	ws := append(first, strings.Fields(ls[1])...)
	cur, l1, l2, _ := breakCost(ws, len(first))
	if !smallWords[bare(first[len(first)-1])] && 2*min(l1, l2) >= max(l1, l2) {
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
