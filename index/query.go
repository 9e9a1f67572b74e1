package index

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/numeric"
	"github.com/blevesearch/bleve/v2/search/query"
)

// QueryError is a malformed query, with the 1-based character position of
// the problem.
type QueryError struct {
	Query string
	Pos   int
	Msg   string
}

func (e *QueryError) Error() string {
	return fmt.Sprintf("query %q: position %d: %s", e.Query, e.Pos, e.Msg)
}

// term is one part of a parsed query.
type term struct {
	field  string // "" for text, else a filter such as "lang"
	text   string
	phrase bool // quoted
	prefix bool // ended with *
	fuzzy  bool // ended with ~
	// asTyped: a word beyond the typo budget (limitQuery), matched as
	// typed even where typos are forgiven unasked.
	asTyped bool
	// trans: what the bilingual lexicon says the word translates as
	// (lexicon.go), matched in the other language's own words.
	trans []lexWord
}

// clause is a term or several joined by OR, possibly negated.
type clause struct {
	neg  bool
	alts []term
}

var filterFields = map[string]bool{"lang": true, "interview": true, "speaker": true, "narrator": true, "place": true, "collection": true,
	"year": true, "decade": true, "recorded": true}

// parse reads the query language: words (all must match), "quoted
// phrases", prefix*, word~ (typo-tolerant), -exclude, OR, and filters
// such as lang:es, speaker:"Doña Socorro", year:1960..1975 (the years
// the story names), decade:1980s and recorded:2019 (when it was told).
func parse(q string) ([]clause, error) {
	if len(q) > MaxQueryBytes {
		return nil, &LimitError{Limit: "query length in bytes", Got: len(q), Max: MaxQueryBytes}
	}
	var out []clause
	pendingOr := false
	i := 0
	pos := func(byteOff int) int { return utf8.RuneCountInString(q[:byteOff]) + 1 }
	for i < len(q) {
		r, w := utf8.DecodeRuneInString(q[i:])
		if unicode.IsSpace(r) {
			i += w
			continue
		}
		start := i
		neg := false
		if r == '-' && i+1 < len(q) && !unicode.IsSpace(rune(q[i+1])) {
			neg = true
			i++
		}
		var t term
		// field:value
		if j := strings.IndexByte(q[i:], ':'); j > 0 {
			name := strings.ToLower(q[i : i+j])
			if filterFields[name] && !strings.ContainsAny(q[i:i+j], " \t\"") {
				t.field = name
				i += j + 1
				if i >= len(q) || q[i] == ' ' {
					return nil, &QueryError{q, pos(start), fmt.Sprintf("filter %s: has no value", name)}
				}
			}
		}
		if i < len(q) && q[i] == '"' {
			end := strings.IndexByte(q[i+1:], '"')
			if end < 0 {
				return nil, &QueryError{q, pos(i), "unbalanced quote: add the closing \""}
			}
			t.text, t.phrase = q[i+1:i+1+end], true
			i += end + 2
		} else {
			j := i
			for j < len(q) {
				r, w := utf8.DecodeRuneInString(q[j:])
				if unicode.IsSpace(r) || r == '"' {
					break
				}
				j += w
			}
			t.text = q[i:j]
			i = j
		}
		if t.field == "" && !t.phrase && t.text == "OR" && !neg {
			if len(out) == 0 || pendingOr {
				return nil, &QueryError{q, pos(start), "OR needs a word on each side"}
			}
			pendingOr = true
			continue
		}
		if !t.phrase {
			switch {
			case strings.HasSuffix(t.text, "*"):
				t.text, t.prefix = strings.TrimRight(t.text, "*"), true
			case strings.HasSuffix(t.text, "~"):
				t.text, t.fuzzy = strings.TrimRight(t.text, "~"), true
			}
		}
		if strings.TrimSpace(t.text) == "" {
			if t.phrase {
				continue // "" matches nothing in particular
			}
			return nil, &QueryError{q, pos(start), "empty word"}
		}
		switch t.field {
		case "year", "recorded":
			if _, _, err := yearRange(t.text); err != nil {
				msg := err.Error()
				if t.field == "recorded" {
					msg = "recorded: " + msg
				}
				return nil, &QueryError{q, pos(start), msg}
			}
		case "decade":
			if _, err := decadeOf(t.text); err != nil {
				return nil, &QueryError{q, pos(start), err.Error()}
			}
		}
		if pendingOr && !neg {
			last := &out[len(out)-1]
			last.alts = append(last.alts, t)
			pendingOr = false
			continue
		}
		out = append(out, clause{neg: neg, alts: []term{t}})
	}
	if pendingOr {
		return nil, &QueryError{q, utf8.RuneCountInString(q), "OR needs a word on each side"}
	}
	if err := limitQuery(out); err != nil {
		return nil, err
	}
	return out, nil
}

// yearRange reads "1968" or "1960..1975".
func yearRange(s string) (lo, hi int, err error) {
	a, b, ok := strings.Cut(s, "..")
	lo, err1 := strconv.Atoi(a)
	hi, err2 := lo, error(nil)
	if ok {
		hi, err2 = strconv.Atoi(b)
	}
	if err1 != nil || err2 != nil || lo < 0 || hi < lo || hi > 9999 {
		return 0, 0, fmt.Errorf("year %q: want a year such as 1968 or a range such as 1960..1975", s)
	}
	return lo, hi, nil
}

// decadeOf reads "1980s" or "1980" as the decade's facet value, "1980s".
func decadeOf(s string) (string, error) {
	y, err := strconv.Atoi(strings.TrimSuffix(strings.ToLower(s), "s"))
	if err != nil || y < 0 || y > 9999 || y%10 != 0 || len(strings.TrimSuffix(strings.ToLower(s), "s")) != 4 {
		return "", fmt.Errorf("decade %q: want a decade such as 1980s", s)
	}
	return strconv.Itoa(y) + "s", nil
}

// build turns parsed clauses into a bleve query.
//
// Typo tolerance is explicit (word~) or, with typos set, automatic for
// words of 4 letters or more.
func build(clauses []clause, mode matching) query.Query {
	must, mustNot := buildClauses(clauses, mode)
	b := bleve.NewBooleanQuery()
	b.AddMust(must...)
	if len(mustNot) > 0 {
		b.AddMustNot(mustNot...)
	}
	return b
}

// matching is how strictly a query's words must match.
type matching int

const (
	strict    matching = iota // every word, as typed (word~ forgives)
	forgiving                 // every word, a typo forgiven in words of 4 letters or more
	partial                   // at least half the words, typos forgiven
)

// buildClauses turns clauses into what must and must not match, so that
// a caller adding filters can keep the query one boolean deep (each level
// of nesting costs a little on every matching document).
func buildClauses(clauses []clause, mode matching) (must, mustNot []query.Query) {
	var words []query.Query
	for _, c := range clauses {
		var alts []query.Query
		for _, t := range c.alts {
			alts = append(alts, termQuery(t, mode >= forgiving))
		}
		q := alts[0]
		if len(alts) > 1 {
			q = bleve.NewDisjunctionQuery(alts...)
		}
		switch {
		case c.neg:
			mustNot = append(mustNot, q)
		case mode == partial && isWords(c):
			words = append(words, q)
		default:
			must = append(must, q)
		}
	}
	if len(words) > 0 {
		// A disjunction scores by how many of its parts match, so the
		// segments with most words come first.
		d := bleve.NewDisjunctionQuery(words...)
		d.SetMin(float64((len(words) + 1) / 2))
		must = append(must, d)
	}
	if len(must) == 0 {
		must = append(must, bleve.NewMatchAllQuery())
	}
	return must, mustNot
}

// isWords reports whether a clause searches the text (not a filter).
func isWords(c clause) bool {
	for _, t := range c.alts {
		if t.field != "" {
			return false
		}
	}
	return true
}

// mayRelax reports whether the query has two words or more that a
// partial match could do without.
func mayRelax(clauses []clause) bool {
	n := 0
	for _, c := range clauses {
		if !c.neg && isWords(c) {
			n++
		}
	}
	return n >= 2
}

// altKind is how one way of matching a term reads the index.
type altKind int

const (
	altMatch  altKind = iota // the text analysed as the field's analyser does: any of its words
	altTerm                  // one term as indexed
	altFuzzy                 // terms within an edit distance
	altPrefix                // terms starting with the text
	altPhrase                // the text analysed: all its words, in order
	altRange                 // a numeric range (years)
)

// alt is one way a query term can match: a field, what to look for in
// it, and how much a match there weighs. Both bleve's queries and the
// segment engine (engine.go) are built from alts, so the two agree on
// what matches.
type alt struct {
	kind      altKind
	field     string
	text      string
	boost     float64
	fuzziness int
	lo, hi    float64 // altRange, inclusive
}

// altsOf lists the ways t can match, with typos forgiven in longer words
// when typos is set.
func altsOf(t term, typos bool) []alt {
	switch t.field {
	case "":
	case "lang":
		return []alt{{kind: altTerm, field: t.field, text: strings.ToLower(t.text), boost: 1}}
	case "interview":
		return []alt{{kind: altTerm, field: t.field, text: t.text, boost: 1}}
	case "year":
		lo, hi, _ := yearRange(t.text)
		return []alt{{kind: altRange, field: fStoryYear, lo: float64(lo), hi: float64(hi), boost: 1}}
	case "recorded":
		lo, hi, _ := yearRange(t.text)
		return []alt{{kind: altRange, field: fRecorded, lo: float64(lo), hi: float64(hi), boost: 1}}
	case "decade":
		d, _ := decadeOf(t.text)
		return []alt{{kind: altTerm, field: fStoryDecade, text: d, boost: 1}}
	default: // speaker, narrator, place, collection: all words, in order
		return []alt{{kind: altPhrase, field: t.field, text: t.text, boost: 1}}
	}
	folded := Fold(t.text)
	switch {
	case t.phrase:
		return []alt{{kind: altPhrase, field: fExact, text: t.text, boost: 1}, {kind: altPhrase, field: fTwinExact, text: t.text, boost: twinBoost}}
	case t.prefix:
		return []alt{{kind: altPrefix, field: fExact, text: folded, boost: 1}, {kind: altPrefix, field: fTwinExact, text: folded, boost: twinBoost}}
	}
	var alts []alt
	for _, f := range []string{fTextES, fTextEN, fTextOther, fTwinES, fTwinEN} {
		alts = append(alts, alt{kind: altMatch, field: f, text: t.text, boost: boostOf(f, 1)})
	}
	for _, f := range []string{fExact, fTwinExact} {
		alts = append(alts, alt{kind: altTerm, field: f, text: folded, boost: boostOf(f, exactBoost)})
	}
	if t.fuzzy || typos && mayTypo(t) && !t.asTyped {
		fuzziness := fuzzinessOf(t)
		for _, f := range []string{fExact, fTwinExact} {
			alts = append(alts, alt{kind: altFuzzy, field: f, text: folded, fuzziness: fuzziness, boost: boostOf(f, fuzzyBoost)})
		}
	}
	alts = append(alts, storyAlts(t)...)
	return append(alts, lexAlts(t)...)
}

// storyAlts lets a word that is a year (1982) or a decade (1980s) find
// the lines whose story years hold it, however they say it (en el
// ochenta y dos), weighed as the word found in a line's own words.
func storyAlts(t term) []alt {
	w := strings.ToLower(t.text)
	digits := func(s string) bool {
		for i := 0; i < len(s); i++ {
			if s[i] < '0' || s[i] > '9' {
				return false
			}
		}
		return len(s) == 4
	}
	switch {
	case digits(w):
		y, _ := strconv.Atoi(w)
		return []alt{{kind: altTerm, field: fStoryYear, text: yearTerm(y), boost: storyBoost}}
	case strings.HasSuffix(w, "s") && digits(w[:len(w)-1]) && w[3] == '0':
		return []alt{{kind: altTerm, field: fStoryDecade, text: w, boost: storyBoost}}
	}
	return nil
}

// storyBoost weighs a year found among a line's story years.
const storyBoost = 1.0

// yearTerm is the index term of year y in a numeric field: its value
// coded at full precision, as bleve indexes numbers.
func yearTerm(y int) string {
	return string(numeric.MustNewPrefixCodedInt64(numeric.Float64ToInt64(float64(y)), 0))
}

// fuzzyBoost weighs a match with a typo forgiven below an exact one.
const fuzzyBoost = 0.3

// exactBoost weighs the word as typed (accents aside) on top of its stem.
const exactBoost = 1.0

// boostOf is b for a segment's own words, less for its twin's.
func boostOf(field string, b float64) float64 {
	if isTwin(field) {
		return b * twinBoost
	}
	return b
}

// query is a as a bleve query.
func (a alt) query() query.Query {
	var q query.FieldableQuery
	switch a.kind {
	case altMatch:
		q = bleve.NewMatchQuery(a.text)
	case altTerm:
		q = bleve.NewTermQuery(a.text)
	case altFuzzy:
		f := bleve.NewFuzzyQuery(a.text)
		f.SetFuzziness(a.fuzziness)
		q = f
	case altPrefix:
		q = bleve.NewPrefixQuery(a.text)
	case altPhrase:
		q = bleve.NewMatchPhraseQuery(a.text)
	case altRange:
		inc := true
		q = bleve.NewNumericRangeInclusiveQuery(&a.lo, &a.hi, &inc, &inc)
	}
	q.SetField(a.field)
	if b, ok := q.(query.BoostableQuery); ok && a.boost != 1 && a.kind != altRange {
		b.SetBoost(a.boost) // a range is a filter: its score is the same for every match
	}
	return q
}

func termQuery(t term, typos bool) query.Query {
	alts := altsOf(t, typos)
	if len(alts) == 1 {
		return alts[0].query()
	}
	qs := make([]query.Query, len(alts))
	for i, a := range alts {
		qs[i] = a.query()
	}
	return bleve.NewDisjunctionQuery(qs...)
}

// twinBoost weighs a match through a segment's aligned translation below
// a match in its own words.
const twinBoost = 0.6

func isTwin(f string) bool { return f == fTwinES || f == fTwinEN || f == fTwinExact }

// mayForgive reports whether some word of the query would be matched with
// typos forgiven when the exact words find nothing.
func mayForgive(clauses []clause) bool {
	for _, c := range clauses {
		for _, t := range c.alts {
			if mayTypo(t) && !t.asTyped {
				return true
			}
		}
	}
	return false
}
