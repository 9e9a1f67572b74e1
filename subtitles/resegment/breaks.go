package resegment

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Costs of cutting between two words, for subtitles and for lines. Lower
// is better; a subtitle break also earns a bonus for a pause in speech.
const (
	costSentence = 0  // after . ? ! …
	costClause   = 1  // after ; : — and closing brackets
	costComma    = 2  // after ,
	costConj     = 3  // before a conjunction or relative word
	costPlain    = 6  // between two words with nothing to mark a boundary
	costWeak     = 6  // extra: after an article, preposition or the like
	costName     = 3  // extra: between two capitalised words (El Paso)
	costPunct    = 20 // extra: before a token of punctuation alone
)

// conjunctions are words a clause starts with: a good place to cut before.
var conjunctions = set(`y e o u ni pero que porque cuando donde aunque pues entonces mientras si sino
	como quien quienes cual cuales luego después
	and but or nor because when that which who whom whose where while so if although though
	since until unless then after before`)

// weak are words that lean on the next: a bad place to cut after.
var weak = set(`el la los las lo un una unos unas de del al a en con por para sin sobre entre hasta desde hacia
	mi mis tu tus su sus nuestro nuestra nuestros nuestras le les me te se nos muy más tan no ya este esta
	estos estas ese esa esos esas aquel aquella qué cada every each
	the a an of to in on at for with from by into about my your his her our their its this these those
	i we they he she very not mr mrs ms dr`)

// abbreviations end in a full stop that does not end a sentence.
var abbreviations = set(`sr. sra. srta. dr. dra. d. dña. ud. uds. etc. mr. mrs. ms. st. vs. núm.`)

func set(words string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(words) {
		m[w] = true
	}
	return m
}

// breakCost is the cost of ending a subtitle after word p, before word q.
func breakCost(p, q string) float64 {
	base, extra := breakCosts(p, q)
	return base + extra
}

// lineBreakCost is the cost of ending a line after word p, before word
// q: the two lines are read together, so a cut with no boundary to mark
// it costs less than between subtitles, but a bad cut costs as much.
func lineBreakCost(p, q string) float64 {
	base, extra := breakCosts(p, q)
	return base/2 + extra
}

// breakCosts are the cost of the boundary found between p and q (base)
// and the cost of what it splits (extra).
func breakCosts(p, q string) (base, extra float64) {
	pw, qw := bare(p), bare(q)
	switch {
	case endsSentence(p):
		base = costSentence
	case endsClause(p):
		base = costClause
	case strings.HasSuffix(trimClosing(p), ","):
		base = costComma
	case conjunctions[qw] || startsQuote(q):
		base = costConj
	default:
		base = costPlain
		if weak[pw] || conjunctions[pw] {
			extra += costWeak
		}
		if capitalised(p) && capitalised(q) {
			extra += costName
		}
	}
	if !hasWordRune(q) {
		extra += costPunct
	}
	return base, extra
}

// bare is a word in lower case without the punctuation around it.
func bare(w string) string {
	return strings.ToLower(strings.TrimFunc(w, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '\'' }))
}

// trimClosing removes closing quotes and brackets from the end of w.
func trimClosing(w string) string { return strings.TrimRight(w, `"'”’»)]`) }

func endsSentence(w string) bool {
	t := trimClosing(w)
	if abbreviations[strings.ToLower(t)] {
		return false
	}
	r, _ := utf8.DecodeLastRuneInString(t)
	return strings.ContainsRune(".?!…", r)
}

func endsClause(w string) bool {
	t := trimClosing(w)
	if t != w && strings.ContainsAny(w[len(t):], ")]") {
		return true
	}
	r, _ := utf8.DecodeLastRuneInString(t)
	return strings.ContainsRune(";:—–", r) || strings.HasSuffix(t, "--")
}

func startsQuote(w string) bool {
	r, _ := utf8.DecodeRuneInString(w)
	return strings.ContainsRune(`"“«(¿¡`, r)
}

func capitalised(w string) bool {
	w = strings.TrimLeftFunc(w, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
	r, _ := utf8.DecodeRuneInString(w)
	return unicode.IsUpper(r)
}

// width is how many characters words take on one line.
func width(words []token) int {
	n := len(words) - 1
	for _, w := range words {
		n += utf8.RuneCountInString(w.text)
	}
	return max(n, 0)
}

// fitsLines reports whether words wrap into at most lines lines of at
// most chars characters (greedy filling uses the fewest lines).
func fitsLines(words []token, chars, lines int) bool {
	used, at := 1, -1
	for _, w := range words {
		n := utf8.RuneCountInString(w.text)
		switch {
		case at < 0:
			at = n
		case at+1+n <= chars:
			at += 1 + n
		default:
			used++
			at = n
		}
		if n > chars || used > lines {
			return false
		}
	}
	return true
}

// breakLines cuts the words of one subtitle into lines: one line when
// they fit, otherwise the fewest lines, each within chars, cut at the
// best linguistic point and balanced, a longer bottom line preferred to
// a longer top one. It returns the index of the first word of each line
// after the first, and the cost of the cut.
func breakLines(words []token, chars, lines int) ([]int, float64) {
	if width(words) <= chars || lines <= 1 {
		return nil, 0
	}
	// at[k] is the width of words[:k] on one line, plus one.
	at := make([]int, len(words)+1)
	for k, w := range words {
		at[k+1] = at[k] + utf8.RuneCountInString(w.text) + 1
	}
	for n := 2; n <= min(lines, 3); n++ {
		if cuts, cost, ok := bestCuts(words, at, 0, chars, n, -1); ok {
			return cuts, cost
		}
	}
	if cuts := greedyCuts(words, chars); len(cuts) < lines {
		return cuts, 10 // four lines or more: filled, not balanced
	}
	return greedyCuts(words, chars), 50
}

// bestCuts searches the cuts of words[from:] into n lines, the line
// before being prev characters wide (-1 for none).
func bestCuts(words []token, at []int, from, chars, n, prev int) ([]int, float64, bool) {
	end := len(words)
	if n == 1 {
		w := at[end] - at[from] - 1
		if w > chars {
			return nil, 0, false
		}
		return nil, shapeCost(prev, w, chars), true
	}
	var best []int
	bestCost, found := 0.0, false
	for k := from + 1; k < end; k++ {
		w := at[k] - at[from] - 1
		if w > chars {
			break
		}
		if at[end]-at[k]-1 > n*chars {
			continue // what is left cannot fit
		}
		cuts, c, ok := bestCuts(words, at, k, chars, n-1, w)
		if !ok {
			continue
		}
		c += shapeCost(prev, w, chars) + lineBreakCost(words[k-1].text, words[k].text)
		if !found || c < bestCost {
			best, bestCost, found = append([]int{k}, cuts...), c, true
		}
	}
	return best, bestCost, found
}

// shapeCost penalises a line of width below unlike the one above it,
// above all when the top line is the longer.
func shapeCost(above, below, chars int) float64 {
	if above < 0 {
		return 0
	}
	d := float64(above-below) / float64(chars)
	if d > 0 {
		return 0.5 + 3*d
	}
	return -2 * d
}

// greedyCuts wraps words that fit no better way, one over-long word per line.
func greedyCuts(words []token, chars int) []int {
	var cuts []int
	at := -1
	for k, w := range words {
		n := utf8.RuneCountInString(w.text)
		if at >= 0 && at+1+n > chars {
			cuts = append(cuts, k)
			at = -1
		}
		if at < 0 {
			at = n
		} else {
			at += 1 + n
		}
	}
	return cuts
}
