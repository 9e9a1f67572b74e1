package index

import (
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/recuerdo-archive/recuerdo/archive"
)

// Years in the story: the years a line of speech mentions, in Spanish or
// English, written in digits or said in words, so that year:1982 finds
// "en el ochenta y dos" as well as "in 1982".
//
// A number is a year when its form says so (1982, '82, mil novecientos
// ochenta y dos, nineteen eighty-two) or when the words before it do (en
// el 82, del sesenta y ocho, in eighty-two, el año dos mil); never when a
// unit or a count follows it (1500 pesos, dos mil pesos, 82 años, el 15
// de mayo, el 80 por ciento), when it is part of a time or an amount
// (10:30, 1.500, $1982) or at a clock's "at"/"a las". A range (del 68 al
// 82, from 1968 to 1982) gives every year between its ends; a decade (los
// cincuenta, in the fifties, the 1950s, the '50s) gives its ten years.

// maxSpan is the longest range whose every year is kept; a longer one
// keeps its ends only.
const maxSpan = 100

// Years a story can name in four digits; those before minBareYear only
// after a word such as en or in.
const (
	minYear     = 1000
	maxYear     = 2099
	minBareYear = 1800
)

// storyYears returns the years text mentions, in order, each once, from
// minYear to maxYear.
// recorded is the year the interview was recorded: a two-digit year is
// the latest one not after it (fullYear).
func storyYears(text string, recorded int) []int {
	ms := yearMentions(text, recorded)
	if len(ms) == 0 {
		return nil
	}
	var out []int
	for _, m := range ms {
		for y := m.lo; y <= m.hi; y++ {
			out = append(out, y)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// yearMention is where text names a year, a range or a decade: its
// first and last years, and its byte range in the text.
type yearMention struct {
	lo, hi     int
	start, end int
}

// yearMentions returns the years text names, in the order it names them.
func yearMentions(text string, recorded int) []yearMention {
	if !mayHoldYear(text) {
		return nil
	}
	toks := yearTokens(text)
	var out []yearMention
	for i := 0; i < len(toks); {
		lo, hi, n := yearAt(toks, i, recorded)
		if n == 0 {
			i++
			continue
		}
		lo, hi = max(lo, minYear), min(hi, maxYear)
		if lo <= hi {
			out = append(out, yearMention{lo: lo, hi: hi, start: toks[i].start, end: toks[i+n-1].end})
		}
		i += n
	}
	return out
}

// fullYear is the year that a two-digit year yy names when said in the
// year recorded: the latest year ending in yy that is not after the
// recording (said in 2019, 82 is 1982 and 15 is 2015).
func fullYear(yy, recorded int) int {
	y := recorded - recorded%100 + yy
	if y > recorded {
		y -= 100
	}
	return y
}

// decades returns the decades of years, in order, each once, as the
// index's facet shows them: "1980s".
func decades(years []int) []string {
	var out []string
	last := -1
	for _, y := range years {
		if d := y / 10 * 10; d != last {
			out = append(out, strconv.Itoa(d)+"s")
			last = d
		}
	}
	return out
}

// mayHoldYear is a quick test that text has a digit or a word that can
// start a number, so most lines skip the tokenizer.
func mayHoldYear(text string) bool {
	for i := 0; i < len(text); i++ {
		if c := text[i]; c >= '0' && c <= '9' {
			return true
		}
	}
	lower := strings.ToLower(text)
	for _, w := range yearHints {
		if strings.Contains(lower, w) {
			return true
		}
	}
	return false
}

// yearHints are pieces of every spoken number word that can start a year
// or a decade (lower case, some accented forms folded by prefix).
var yearHints = []string{"mil", "veint", "treint", "cuarent", "cincuent", "sesent", "setent", "ochent", "novent",
	"twent", "thirt", "fort", "fift", "sixt", "sevent", "eight", "ninet", "thousand", "teen"}

// ytok is a word, a number or a mark of punctuation.
type ytok struct {
	w    string // a word, folded
	n    int    // a number in digits: its value
	nd   int    // a number in digits: how many (0: not a number)
	apos bool   // written with an apostrophe: '82
	dec  bool   // a decade: 1950s, '50s, 50s
	bad  bool   // digits in a time, an amount, an ordinal or a longer number
	p    rune   // punctuation
	// start and end are its byte range in the text.
	start, end int
}

func (t ytok) isNum() bool { return t.nd > 0 }

// yearTokens splits text into words, numbers and punctuation.
func yearTokens(s string) []ytok {
	out := make([]ytok, 0, len(s)/5+1)
	isDigit := func(i int) bool { return i < len(s) && s[i] >= '0' && s[i] <= '9' }
	letterAt := func(i int) bool {
		if i >= len(s) || i < 0 {
			return false
		}
		r, _ := utf8.DecodeRuneInString(s[i:])
		return unicode.IsLetter(r)
	}
	letterBefore := func(i int) bool {
		if i <= 0 {
			return false
		}
		r, _ := utf8.DecodeLastRuneInString(s[:i])
		return unicode.IsLetter(r)
	}
	// decadeS reports the length of an "s" or "'s" ending a decade at i.
	decadeS := func(i int) int {
		for _, suf := range []string{"s", "'s", "’s"} {
			if strings.HasPrefix(s[i:], suf) && !letterAt(i+len(suf)) && !isDigit(i+len(suf)) {
				return len(suf)
			}
		}
		return 0
	}
	for i := 0; i < len(s); {
		r, w := utf8.DecodeRuneInString(s[i:])
		switch {
		case unicode.IsSpace(r):
			i += w
		case unicode.IsLetter(r):
			j := i + w
			for j < len(s) {
				r, w := utf8.DecodeRuneInString(s[j:])
				if !unicode.IsLetter(r) {
					break
				}
				j += w
			}
			out = append(out, ytok{w: Fold(s[i:j]), start: i, end: j})
			i = j
		case isDigit(i):
			j := i
			for isDigit(j) {
				j++
			}
			t := ytok{nd: j - i}
			if t.nd <= 4 {
				for k := i; k < j; k++ {
					t.n = t.n*10 + int(s[k]-'0')
				}
			} else {
				t.bad = true
			}
			if letterBefore(i) {
				t.bad = true
			}
			if prev, _ := utf8.DecodeLastRuneInString(s[:i]); i > 0 && strings.ContainsRune("$€£#№", prev) {
				t.bad = true
			}
			switch {
			case j+1 < len(s) && strings.IndexByte(":.,", s[j]) >= 0 && isDigit(j+1):
				// 10:30, 1.500, 2,5: a time or an amount
				t.bad = true
				for j+1 < len(s) && strings.IndexByte(":.,", s[j]) >= 0 && isDigit(j+1) {
					j++
					for isDigit(j) {
						j++
					}
				}
			case j < len(s) && decadeS(j) > 0:
				t.dec = true
				j += decadeS(j)
			case letterAt(j):
				t.bad = true // 82nd, 3pm, 4x4
			}
			if j < len(s) && (s[j] == '%' || strings.HasPrefix(s[j:], "º") || strings.HasPrefix(s[j:], "ª")) {
				t.bad = true
			}
			t.start, t.end = i, j
			out = append(out, t)
			i = j
		case (r == '\'' || r == '’' || r == '‘') && isDigit(i+w) && isDigit(i+w+1) && !isDigit(i+w+2) && !letterBefore(i):
			j := i + w + 2
			t := ytok{nd: 2, apos: true, n: int(s[i+w]-'0')*10 + int(s[i+w+1]-'0')}
			if d := decadeS(j); d > 0 {
				t.dec = true
				j += d
			} else if letterAt(j) {
				t.bad = true
			}
			t.start, t.end = i, j
			out = append(out, t)
			i = j
		case r == '-' && letterBefore(i) && letterAt(i+w):
			i += w // eighty-two, nineteen-fifties
		default:
			out = append(out, ytok{p: r, start: i, end: i + w})
			i += w
		}
	}
	return out
}

// Number words, folded.
var (
	unitWords = map[string]int{"uno": 1, "un": 1, "dos": 2, "tres": 3, "cuatro": 4, "cinco": 5, "seis": 6, "siete": 7, "ocho": 8, "nueve": 9,
		"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9}
	// teenWords are the numbers from 10 to 29 said in one word.
	teenWords = map[string]int{"diez": 10, "once": 11, "doce": 12, "trece": 13, "catorce": 14, "quince": 15,
		"dieciseis": 16, "diecisiete": 17, "dieciocho": 18, "diecinueve": 19,
		"veintiuno": 21, "veintiun": 21, "veintidos": 22, "veintitres": 23, "veinticuatro": 24, "veinticinco": 25,
		"veintiseis": 26, "veintisiete": 27, "veintiocho": 28, "veintinueve": 29,
		"ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
		"sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19}
	tensWords = map[string]int{"veinte": 20, "treinta": 30, "cuarenta": 40, "cincuenta": 50, "sesenta": 60, "setenta": 70, "ochenta": 80, "noventa": 90,
		"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}
	hundredWords = map[string]int{"cien": 100, "ciento": 100, "doscientos": 200, "trescientos": 300, "cuatrocientos": 400, "quinientos": 500,
		"seiscientos": 600, "setecientos": 700, "ochocientos": 800, "novecientos": 900}
	// decadeWords name a decade: los cincuenta, los cincuentas, the fifties.
	decadeWords = map[string]int{"veintes": 20, "treintas": 30, "cuarentas": 40, "cincuentas": 50, "sesentas": 60, "setentas": 70, "ochentas": 80, "noventas": 90,
		"twenties": 20, "thirties": 30, "forties": 40, "fifties": 50, "sixties": 60, "seventies": 70, "eighties": 80, "nineties": 90}
)

// Words around a number that decide whether it is a year.
var (
	// cueWords before a number make it a year when its form alone does
	// not (dos mil, 1900, two thousand).
	cueWords = set("en", "el", "del", "al", "ano", "desde", "hasta", "de", "para", "entre", "hacia",
		"in", "since", "until", "till", "from", "by", "around", "year", "of", "before", "after", "during", "circa")
	// shortCues before a two-digit number make it a year (el 82, in
	// eighty-two).
	shortCues = set("el", "del", "al", "ano", "in", "since", "until", "till", "from", "by", "around", "circa", "year", "before", "after", "during")
	// clockCues before a number make it a time (at nineteen forty-five).
	clockCues = set("at", "las")
	// afterNumber: a unit, a count or a larger number follows, so the
	// number before is not a year (1500 pesos, dos mil pesos, 82 años).
	afterNumber = set("pesos", "peso", "dolares", "dolar", "dollars", "dollar", "bucks", "centavos", "cents", "centimos", "euros", "euro",
		"libras", "pounds", "metros", "metro", "meters", "metres", "km", "kilometros", "kilometers", "kilometres", "kilos", "kilo", "kg",
		"kilogramos", "gramos", "grams", "toneladas", "tons", "tonnes", "millas", "miles", "pies", "feet", "pulgadas", "inches",
		"litros", "liters", "litres", "galones", "gallons", "hectareas", "hectares", "acres", "leguas", "grados", "degrees",
		"horas", "hora", "hours", "hour", "minutos", "minutes", "segundos", "seconds", "dias", "days", "semanas", "weeks",
		"meses", "months", "anos", "years", "veces", "times", "personas", "people", "gente", "hombres", "men", "mujeres", "women",
		"ninos", "children", "kids", "familias", "families", "vacas", "cows", "cabras", "goats", "cabezas", "head", "animales", "animals",
		"gallinas", "chickens", "casas", "houses", "habitantes", "trabajadores", "workers", "alumnos", "students", "soldados", "soldiers",
		"piezas", "pieces", "cajas", "boxes", "votos", "votes", "puntos", "points", "paginas", "pages", "percent", "porciento",
		"mil", "thousand", "thousands", "millones", "millon", "million", "millions", "cientos", "hundred", "hundreds")
	// afterShort: what, besides afterNumber, keeps a two-digit number
	// from being a year: a date's month (el 15 de mayo, since 15 May).
	afterShort = set("de", "enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "setiembre", "octubre",
		"noviembre", "diciembre", "january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
		"november", "december")
	// rangeWords join the two ends of a range of years.
	rangeWords = set("a", "al", "hasta", "to", "until", "till", "through", "thru")
	// losCues before "los cincuenta" make it a decade rather than a
	// number of things or an age (a los cincuenta).
	losCues = set("en", "de", "desde", "durante", "entre")
)

func set(words ...string) map[string]bool {
	m := make(map[string]bool, len(words))
	for _, w := range words {
		m[w] = true
	}
	return m
}

// year strengths: what must stand before a number for it to be a year.
const (
	strong = iota // nothing: 1982, '82, mil novecientos ochenta y dos
	weak          // a cue word: en 1900, el dos mil
	short         // a two-digit year after a short cue: el 82
)

// yearRead is a year read at some token.
type yearRead struct {
	y        int // the year; for a short one, its two digits
	n        int // tokens read
	strength int
}

// word is the folded word at i, "" past the end or for a non-word.
func word(toks []ytok, i int) string {
	if i < 0 || i >= len(toks) {
		return ""
	}
	return toks[i].w
}

// isNumberAt reports whether toks[i] is a number, in digits or a word.
func isNumberAt(toks []ytok, i int) bool {
	if i < 0 || i >= len(toks) {
		return false
	}
	w := toks[i].w
	return toks[i].isNum() || unitWords[w] > 0 || teenWords[w] > 0 || tensWords[w] > 0 || hundredWords[w] > 0 || w == "mil" || w == "thousand" || w == "hundred"
}

// twoDigits reads a number from 1 to 99 said in words at i.
func twoDigits(toks []ytok, i int) (v, n int) {
	w := word(toks, i)
	if t := tensWords[w]; t > 0 {
		if word(toks, i+1) == "y" && unitWords[word(toks, i+2)] > 0 {
			return t + unitWords[word(toks, i+2)], 3
		}
		if u := unitWords[word(toks, i+1)]; u > 0 && t >= 20 && isEnglishTens(w) {
			return t + u, 2 // eighty-two
		}
		return t, 1
	}
	if v := teenWords[w]; v > 0 {
		return v, 1
	}
	if v := unitWords[w]; v > 0 {
		return v, 1
	}
	return 0, 0
}

func isEnglishTens(w string) bool { return strings.HasSuffix(w, "ty") }

// readYear reads a year written or said at i, with what must stand
// before it for it to count.
func readYear(toks []ytok, i int) (yearRead, bool) {
	t := toks[i]
	if t.isNum() {
		switch {
		case t.bad || t.dec:
			return yearRead{}, false
		case t.apos:
			return yearRead{y: t.n, n: 1, strength: strong}, true
		case t.nd == 4 && t.n >= minYear && t.n <= maxYear:
			if t.n%100 == 0 {
				return yearRead{y: t.n, n: 1, strength: weak}, true
			}
			return yearRead{y: t.n, n: 1, strength: strong}, true
		case t.nd == 2:
			return yearRead{y: t.n, n: 1, strength: short}, true
		}
		return yearRead{}, false
	}
	w := t.w
	switch {
	case w == "mil": // mil novecientos ochenta y dos
		h := hundredWords[word(toks, i+1)]
		if h == 0 {
			return yearRead{}, false
		}
		if v, n := twoDigits(toks, i+2); n > 0 {
			return yearRead{y: 1000 + h + v, n: 2 + n, strength: strong}, true
		}
		return yearRead{y: 1000 + h, n: 2, strength: weak}, true
	case w == "dos" && word(toks, i+1) == "mil": // dos mil cinco
		if hundredWords[word(toks, i+2)] > 0 {
			return yearRead{}, false
		}
		if v, n := twoDigits(toks, i+2); n > 0 {
			return yearRead{y: 2000 + v, n: 2 + n, strength: weak}, true
		}
		return yearRead{y: 2000, n: 2, strength: weak}, true
	case w == "two" && word(toks, i+1) == "thousand": // two thousand (and) five
		j := i + 2
		if word(toks, j) == "and" && twoDigitsOK(toks, j+1) {
			j++
		}
		if word(toks, j) == "hundred" || word(toks, j+1) == "hundred" {
			return yearRead{}, false
		}
		if v, n := twoDigits(toks, j); n > 0 {
			return yearRead{y: 2000 + v, n: j - i + n, strength: weak}, true
		}
		return yearRead{y: 2000, n: 2, strength: weak}, true
	case teenWords[w] >= 15 && teenWords[w] <= 19 && isEnglishTeen(w): // nineteen eighty-two
		c := teenWords[w] * 100
		next := word(toks, i+1)
		switch {
		case next == "hundred":
			if word(toks, i+2) == "and" {
				if v, n := twoDigits(toks, i+3); n > 0 {
					return yearRead{y: c + v, n: 3 + n, strength: strong}, true
				}
			}
			return yearRead{y: c, n: 2, strength: weak}, true
		case next == "oh" || next == "o":
			if u := unitWords[word(toks, i+2)]; u > 0 {
				return yearRead{y: c + u, n: 3, strength: strong}, true
			}
		default:
			if v, n := twoDigits(toks, i+1); n > 0 && v >= 10 {
				return yearRead{y: c + v, n: 1 + n, strength: strong}, true
			}
		}
	case w == "twenty": // twenty nineteen
		if v, n := twoDigits(toks, i+1); n > 0 && v >= 10 && (teenWords[word(toks, i+1)] > 0 || tensWords[word(toks, i+1)] > 0) && !isEnglishTensPair(toks, i) {
			return yearRead{y: 2000 + v, n: 1 + n, strength: weak}, true
		}
	}
	if v, n := twoDigits(toks, i); n > 0 && v >= 20 {
		return yearRead{y: v, n: n, strength: short}, true
	}
	return yearRead{}, false
}

func twoDigitsOK(toks []ytok, i int) bool { _, n := twoDigits(toks, i); return n > 0 }

func isEnglishTeen(w string) bool { return strings.HasSuffix(w, "teen") }

// isEnglishTensPair reports whether "twenty" at i begins "twenty-two"
// (a number, not "twenty twenty-two").
func isEnglishTensPair(toks []ytok, i int) bool { return unitWords[word(toks, i+1)] > 0 }

// accepted reports whether a year read at i, of tokens [i, i+r.n), is
// one by what stands around it.
func accepted(toks []ytok, i int, r yearRead) bool {
	prev := word(toks, i-1)
	if isNumberAt(toks, i-1) || isNumberAt(toks, i+r.n) || clockCues[prev] {
		return false
	}
	if i >= 2 && toks[i-1].p == '-' && isNumberAt(toks, i-2) {
		return false // 555-1982: a telephone number
	}
	switch r.strength {
	case weak:
		if !cueWords[prev] {
			return false
		}
	case short:
		if !shortCues[prev] || afterShort[word(toks, i+r.n)] || datePart(toks, i+r.n) {
			return false
		}
	}
	return !unitAfter(toks, i+r.n)
}

// datePart reports whether a date's separator stands at j: 1982-03-14
// is a day, not a range.
func datePart(toks []ytok, j int) bool {
	return j < len(toks) && (toks[j].p == '-' || toks[j].p == '/')
}

// unitAfter reports whether a unit or count stands at j (pesos, por
// ciento, %).
func unitAfter(toks []ytok, j int) bool {
	if j >= len(toks) {
		return false
	}
	w := toks[j].w
	return afterNumber[w] || toks[j].p == '%' || w == "por" && word(toks, j+1) == "ciento" || w == "per" && word(toks, j+1) == "cent"
}

// yearAt reads a year, a range of years or a decade starting at token i,
// and returns its first and last years and the tokens read (0: none).
func yearAt(toks []ytok, i, recorded int) (lo, hi, n int) {
	if d, n := decadeAt(toks, i, recorded); n > 0 {
		return d, d + 9, n
	}
	r, ok := readYear(toks, i)
	if ok && r.strength == strong && toks[i].nd == 4 && (r.y < minBareYear || r.y > recorded) {
		// Four digits far back or after the recording are more often a
		// page, a count or an address: a year only after a cue (en 1492).
		r.strength = weak
	}
	if !ok || !accepted(toks, i, r) {
		return 0, 0, 0
	}
	lo = r.y
	if r.strength == short || toks[i].apos {
		lo = fullYear(r.y, recorded)
	}
	n = r.n
	// A range: del 68 al 82, from 1968 to 1982, 1968-82.
	j := i + n
	switch {
	case j < len(toks) && strings.ContainsRune("-–—", toks[j].p):
		j++
	case rangeWords[word(toks, j)]:
		j++
		if w := word(toks, j); w == "el" || w == "the" {
			j++
		}
	case word(toks, j) == "y" && word(toks, i-1) == "entre", word(toks, j) == "and" && word(toks, i-1) == "between":
		j++
	default:
		return lo, lo, n
	}
	if j >= len(toks) {
		return lo, lo, n
	}
	r2, ok := readYear(toks, j)
	if !ok || isNumberAt(toks, j+r2.n) || unitAfter(toks, j+r2.n) || r2.strength == short && afterShort[word(toks, j+r2.n)] || datePart(toks, j+r2.n) {
		return lo, lo, n
	}
	hi = r2.y
	if r2.strength == short || toks[j].apos {
		hi = lo - lo%100 + r2.y // the century of the range's start
		if hi < lo {
			hi += 100
		}
	}
	n = j + r2.n - i
	if hi <= lo || hi-lo > maxSpan {
		// Not a range to fill: the second year stands on its own.
		return lo, lo, j - i
	}
	return lo, hi, n
}

// decadeAt reads a decade at i (los cincuenta, los años 50, la década de
// 1950, the fifties, the '50s, the 1950s) and returns its first year and
// the tokens read (0: none).
func decadeAt(toks []ytok, i, recorded int) (start, n int) {
	// item reads the decade itself at j: its first year or two digits,
	// whether its form alone says it is a decade, and its tokens.
	item := func(j int) (y int, full, plain bool, n int) {
		if j >= len(toks) {
			return 0, false, false, 0
		}
		t := toks[j]
		switch {
		case t.isNum() && !t.bad && t.n%10 == 0 && t.nd == 4 && t.n >= minYear && t.n <= maxYear:
			return t.n, true, !t.dec, 1
		case t.isNum() && !t.bad && t.n%10 == 0 && t.nd == 2:
			return t.n, false, !t.dec && !t.apos, 1
		case decadeWords[t.w] > 0:
			return decadeWords[t.w], false, false, 1
		case isEnglishTeen(t.w) && teenWords[t.w] >= 10 && decadeWords[word(toks, j+1)] > 0:
			return teenWords[t.w]*100 + decadeWords[word(toks, j+1)], true, false, 2 // nineteen fifties
		case tensWords[t.w] >= 20 && !isEnglishTens(t.w) && word(toks, j+1) != "y":
			return tensWords[t.w], false, true, 1 // cincuenta (after los)
		}
		return 0, false, false, 0
	}
	first := func(y int, full bool) int {
		if full {
			return y
		}
		return fullYear(y, recorded)
	}
	j := i
	switch word(toks, i) {
	case "the": // the (early) fifties, the 1950s, the '50s
		j++
		if w := word(toks, j); w == "early" || w == "late" || w == "mid" {
			j++
		}
		y, full, plain, m := item(j)
		if m == 0 || plain || tensWords[word(toks, j)] > 0 {
			return 0, 0
		}
		j += m
		if unitAfter(toks, j) {
			return 0, 0
		}
		return first(y, full), j - i
	case "los": // (en) los (años) cincuenta
		j++
		years := word(toks, j) == "anos"
		if years {
			j++
		}
		y, full, plain, m := item(j)
		if m == 0 || !years && plain && !losCues[word(toks, i-1)] {
			return 0, 0
		}
		j += m
		if unitAfter(toks, j) || isNumberAt(toks, j) || word(toks, j) == "y" {
			return 0, 0
		}
		return first(y, full), j - i
	case "decada": // la década de (los) cincuenta / de 1950
		j++
		if w := word(toks, j); w == "de" || w == "del" {
			j++
		}
		if word(toks, j) == "los" {
			j++
		}
		if word(toks, j) == "anos" {
			j++
		}
		y, full, _, m := item(j)
		if m == 0 {
			return 0, 0
		}
		j += m
		if unitAfter(toks, j) || isNumberAt(toks, j) || word(toks, j) == "y" {
			return 0, 0
		}
		return first(y, full), j - i
	}
	// A decade in its own form: 1950s, '50s.
	if t := toks[i]; t.isNum() && t.dec && !t.bad && t.n%10 == 0 && (t.nd == 4 && t.n >= minYear && t.n <= maxYear || t.apos) {
		if unitAfter(toks, i+1) {
			return 0, 0
		}
		if t.nd == 4 {
			return t.n, 1
		}
		return fullYear(t.n, recorded), 1
	}
	return 0, 0
}

// yearsAsked returns the ranges of story years the query's positive
// clauses ask for: year:, decade:, and words that are a year or a decade.
func yearsAsked(clauses []clause) [][2]int {
	var out [][2]int
	for _, c := range clauses {
		if c.neg {
			continue
		}
		for _, t := range c.alts {
			switch t.field {
			case "year":
				if lo, hi, err := yearRange(t.text); err == nil {
					out = append(out, [2]int{lo, hi})
				}
			case "decade":
				if d, err := decadeOf(t.text); err == nil {
					y, _ := strconv.Atoi(strings.TrimSuffix(d, "s"))
					out = append(out, [2]int{y, y + 9})
				}
			case "":
				if t.phrase || t.prefix {
					continue
				}
				for _, a := range storyAlts(t) {
					if a.field == fStoryDecade {
						y, _ := strconv.Atoi(strings.TrimSuffix(a.text, "s"))
						out = append(out, [2]int{y, y + 9})
					} else if y, err := strconv.Atoi(t.text); err == nil {
						out = append(out, [2]int{y, y})
					}
				}
			}
		}
	}
	return out
}

// markStoryYears adds to a hit's matches, and its translation's, the
// words that name a year the query asks for (en el ochenta y dos for
// year:1982), read as the index read them for the interview iv.
func markStoryYears(h *Hit, iv *archive.Interview, clauses []clause) {
	asked := yearsAsked(clauses)
	if len(asked) == 0 {
		return
	}
	told := 0
	if len(iv.Date) >= 4 {
		told, _ = strconv.Atoi(iv.Date[:4])
	}
	if told <= 0 {
		told = time.Now().Year()
	}
	mark := func(text string, matches [][2]int) [][2]int {
		n := len(matches)
		for _, m := range yearMentions(text, told) {
			for _, a := range asked {
				if m.lo <= a[1] && a[0] <= m.hi {
					matches = append(matches, [2]int{m.start, m.end})
					break
				}
			}
		}
		if len(matches) == n {
			return matches
		}
		return mergeRanges(matches)
	}
	h.Matches = mark(h.Text, h.Matches)
	if tr := h.Translation; tr != nil {
		tr.Matches = mark(tr.Text, tr.Matches)
	}
}
