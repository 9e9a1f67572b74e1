package index

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2"
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
}

// clause is a term or several joined by OR, possibly negated.
type clause struct {
	neg  bool
	alts []term
}

var filterFields = map[string]bool{"lang": true, "interview": true, "speaker": true, "narrator": true, "place": true, "collection": true, "year": true}

// parse reads the query language: words (all must match), "quoted
// phrases", prefix*, word~ (typo-tolerant), -exclude, OR, and filters
// such as lang:es, speaker:"Doña Socorro" and year:1960..1975.
func parse(q string) ([]clause, error) {
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
		if t.field == "year" {
			if _, _, err := yearRange(t.text); err != nil {
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

func termQuery(t term, typos bool) query.Query {
	switch t.field {
	case "":
	case "lang", "interview":
		q := bleve.NewTermQuery(strings.ToLower(t.text))
		if t.field == "interview" {
			q = bleve.NewTermQuery(t.text)
		}
		q.SetField(t.field)
		return q
	case "year":
		lo, hi, _ := yearRange(t.text)
		l, h := float64(lo), float64(hi)
		inc := true
		q := bleve.NewNumericRangeInclusiveQuery(&l, &h, &inc, &inc)
		q.SetField(fYear)
		return q
	default: // speaker, narrator, place, collection: all words, in order
		q := bleve.NewMatchPhraseQuery(t.text)
		q.SetField(t.field)
		return q
	}
	folded := Fold(t.text)
	switch {
	case t.phrase:
		return either(func(f string) query.Query {
			q := bleve.NewMatchPhraseQuery(t.text)
			q.SetField(f)
			return q
		}, fExact, fTwinExact)
	case t.prefix:
		return either(func(f string) query.Query {
			q := bleve.NewPrefixQuery(folded)
			q.SetField(f)
			return q
		}, fExact, fTwinExact)
	}
	var alts []query.Query
	for _, f := range []string{fTextES, fTextEN, fTextOther, fTwinES, fTwinEN} {
		q := bleve.NewMatchQuery(t.text)
		q.SetField(f)
		if isTwin(f) {
			q.SetBoost(twinBoost)
		}
		alts = append(alts, q)
	}
	for _, f := range []string{fExact, fTwinExact} {
		exact := bleve.NewTermQuery(folded)
		exact.SetField(f)
		if isTwin(f) {
			exact.SetBoost(twinBoost)
		}
		alts = append(alts, exact)
	}
	if n := utf8.RuneCountInString(folded); t.fuzzy || typos && n >= 4 {
		for _, f := range []string{fExact, fTwinExact} {
			fz := bleve.NewFuzzyQuery(folded)
			fz.SetField(f)
			fz.SetFuzziness(1)
			if n >= 8 || t.fuzzy && n >= 5 {
				fz.SetFuzziness(2)
			}
			fz.SetBoost(0.3)
			if isTwin(f) {
				fz.SetBoost(0.3 * twinBoost)
			}
			alts = append(alts, fz)
		}
	}
	return bleve.NewDisjunctionQuery(alts...)
}

// twinBoost weighs a match through a segment's aligned translation below
// a match in its own words.
const twinBoost = 0.6

func isTwin(f string) bool { return f == fTwinES || f == fTwinEN || f == fTwinExact }

// either matches q on a segment's own words or, less strongly, its twin's.
func either(q func(field string) query.Query, own, twin string) query.Query {
	o, t := q(own), q(twin)
	if b, ok := t.(query.BoostableQuery); ok {
		b.SetBoost(twinBoost)
	}
	return bleve.NewDisjunctionQuery(o, t)
}

// mayForgive reports whether some word of the query would be matched with
// typos forgiven when the exact words find nothing.
func mayForgive(clauses []clause) bool {
	for _, c := range clauses {
		for _, t := range c.alts {
			if t.field == "" && !t.phrase && !t.prefix && !t.fuzzy && utf8.RuneCountInString(t.text) >= 4 {
				return true
			}
		}
	}
	return false
}
