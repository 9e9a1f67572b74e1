package index

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// Limits on one search. Each bounds the memory and time a single request
// can ask of the index (a query of thousands of words once built one typo
// automaton each, gigabytes in all); Search refuses what goes beyond one
// with a *LimitError naming it.
const (
	// MaxQueryBytes is the longest query, in bytes.
	MaxQueryBytes = 1024
	// MaxQueryWords is the most words in a query: each word, each word
	// of a quoted phrase, each filter (OR between words is free).
	MaxQueryWords = 32
	// MaxTypoWords is the most words of a query matched with typos
	// forgiven. Explicit word~ beyond it is refused; the automatic
	// forgiveness of longer words stops there (the rest match as typed).
	MaxTypoWords = 8
	// MaxTypoStates bounds the states of the typo automata one search
	// builds, about a kilobyte each: a word of n letters costs about
	// 9(n+1) states with one typo forgiven and 70(n+1) with two.
	MaxTypoStates = 20_000
	// MaxExpansions is the most index words a prefix (constru*) or a
	// word with typos forgiven may stand for.
	MaxExpansions = 1000
	// MaxHits is the most hits on one page: Options.Limit, or with
	// Options.Group, Limit × PerGroup.
	MaxHits = 1000
	// MaxContext is the most segments of context before and after a hit.
	MaxContext = 50
	// MaxAnswerSegments bounds the segments one page returns, hits and
	// their context: hits × (1 + 2 × Context).
	MaxAnswerSegments = 20_000
	// MaxOffset is the most hits (or, with Group, interviews) a page may
	// skip.
	MaxOffset = 100_000
)

// LimitError is a search that asks for more than one of the limits
// above allows.
type LimitError struct {
	Limit string // what is limited, such as "query words"
	Got   int    // what the search asked for; 0 when only "more" is known
	Max   int
	Hint  string // what to do instead, or ""
}

func (e *LimitError) Error() string {
	var b strings.Builder
	if e.Got > 0 {
		fmt.Fprintf(&b, "%s: %d, more than the limit of %d", e.Limit, e.Got, e.Max)
	} else {
		fmt.Fprintf(&b, "%s: more than the limit of %d", e.Limit, e.Max)
	}
	if e.Hint != "" {
		b.WriteString(" (" + e.Hint + ")")
	}
	return b.String()
}

// checkOptions refuses options beyond the limits; opt has its defaults.
func checkOptions(opt Options) error {
	hits, what := opt.Limit, "hits on a page (limit)"
	if opt.Group {
		hits, what = opt.Limit*opt.PerGroup, "hits on a page (limit × per interview)"
		if opt.PerGroup > MaxHits { // and the product cannot overflow
			return &LimitError{Limit: "hits per interview", Got: opt.PerGroup, Max: MaxHits}
		}
	}
	switch {
	case opt.Limit > MaxHits:
		return &LimitError{Limit: "limit", Got: opt.Limit, Max: MaxHits}
	case hits > MaxHits:
		return &LimitError{Limit: what, Got: hits, Max: MaxHits}
	case opt.Context > MaxContext:
		return &LimitError{Limit: "context", Got: opt.Context, Max: MaxContext}
	case opt.Offset > MaxOffset:
		return &LimitError{Limit: "offset", Got: opt.Offset, Max: MaxOffset, Hint: "narrow the query instead"}
	case opt.Context > 0 && hits*(1+2*opt.Context) > MaxAnswerSegments:
		return &LimitError{Limit: "segments in an answer (hits × (1 + 2 × context))", Got: hits * (1 + 2*opt.Context), Max: MaxAnswerSegments,
			Hint: "ask for fewer hits or less context"}
	}
	return nil
}

// typoStates is about how many states the automaton of the words within
// fuzziness edits of a word of n letters has. vellum allocates a row of
// 256 transitions for each before building it (measured: 9 per letter
// for one edit, 70 for two).
func typoStates(n, fuzziness int) int {
	per := 9
	if fuzziness >= 2 {
		per = 70
	}
	return per * (n + 1)
}

// fuzzinessOf is how many typos are forgiven in t, when some are.
func fuzzinessOf(t term) int {
	if n := utf8.RuneCountInString(Fold(t.text)); n >= 8 || t.fuzzy && n >= 5 {
		return 2
	}
	return 1
}

// mayTypo reports whether t is a word whose typos a forgiving search
// forgives unasked.
func mayTypo(t term) bool {
	return t.field == "" && !t.phrase && !t.prefix && !t.fuzzy && utf8.RuneCountInString(Fold(t.text)) >= 4
}

// limitQuery checks a parsed query against the limits on words and
// typos. Words asked with word~ take the typo budget first; the words
// whose typos would be forgiven unasked take what is left, in order, and
// those beyond it are marked to match as typed.
func limitQuery(clauses []clause) error {
	words := 0
	for _, c := range clauses {
		for _, t := range c.alts {
			n := 1
			if t.phrase {
				n = max(1, len(strings.Fields(t.text)))
			}
			words += n
		}
	}
	if words > MaxQueryWords {
		return &LimitError{Limit: "query words", Got: words, Max: MaxQueryWords}
	}
	typoWords, states := 0, 0
	for i := range clauses {
		for j := range clauses[i].alts {
			t := &clauses[i].alts[j]
			if !t.fuzzy {
				continue
			}
			typoWords++
			states += typoStates(utf8.RuneCountInString(Fold(t.text)), fuzzinessOf(*t))
			if typoWords > MaxTypoWords {
				return &LimitError{Limit: "words with typos forgiven (word~)", Got: typoWords, Max: MaxTypoWords}
			}
			if states > MaxTypoStates {
				return &LimitError{Limit: "typo automaton states", Got: states, Max: MaxTypoStates, Hint: fmt.Sprintf("%q is too long to forgive typos in", t.text+"~")}
			}
		}
	}
	for i := range clauses {
		for j := range clauses[i].alts {
			t := &clauses[i].alts[j]
			if !mayTypo(*t) {
				continue
			}
			cost := typoStates(utf8.RuneCountInString(Fold(t.text)), fuzzinessOf(*t))
			if typoWords >= MaxTypoWords || states+cost > MaxTypoStates {
				t.asTyped = true
				continue
			}
			typoWords++
			states += cost
		}
	}
	return nil
}
