package index

import (
	"sort"

	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search"
)

// highlighter marks the words of a hit that the query's words match by
// stem. The index keeps word positions only for the exact field (phrases,
// prefixes, typos); the stemmed fields are found by analysing the few
// hits shown, which costs less than storing positions for every word.
type highlighter struct {
	m     mapping.IndexMapping
	stems map[string]map[string]bool // analyzer → the query's terms under it
	lex   map[string]map[string]bool // analyzer → the terms of the words' translations (lexicon.go)
}

func newHighlighter(m mapping.IndexMapping, clauses []clause) *highlighter {
	hl := &highlighter{m: m, stems: map[string]map[string]bool{}, lex: map[string]map[string]bool{}}
	for _, name := range []string{analyzerES, analyzerEN, analyzerOther} {
		a := m.AnalyzerNamed(name)
		set := map[string]bool{}
		for _, c := range clauses {
			for _, t := range c.alts {
				if c.neg || t.field != "" || t.phrase || t.prefix || a == nil {
					continue
				}
				for _, tok := range a.Analyze([]byte(t.text)) {
					set[string(tok.Term)] = true
				}
			}
		}
		hl.stems[name] = set
		lex := map[string]bool{}
		for _, c := range clauses {
			for _, t := range c.alts {
				for _, tr := range t.trans {
					if analyzerFor(tr.lang) != name || a == nil {
						continue
					}
					for _, tok := range a.Analyze([]byte(tr.text)) {
						lex[string(tok.Term)] = true
					}
				}
			}
		}
		hl.lex[name] = lex
	}
	return hl
}

// lexRanges returns the byte ranges of text, in lang, that match the
// query's words only through the bilingual lexicon.
func (hl *highlighter) lexRanges(text, lang string) [][2]int {
	name := analyzerFor(lang)
	set, own := hl.lex[name], hl.stems[name]
	a := hl.m.AnalyzerNamed(name)
	if len(set) == 0 || a == nil {
		return nil
	}
	var out [][2]int
	for _, tok := range a.Analyze([]byte(text)) {
		if set[string(tok.Term)] && !own[string(tok.Term)] {
			out = append(out, [2]int{tok.Start, tok.End})
		}
	}
	return out
}

// ranges returns the byte ranges of text, in lang, whose stems the query has.
func (hl *highlighter) ranges(text, lang string) [][2]int {
	name := analyzerFor(lang)
	set := hl.stems[name]
	a := hl.m.AnalyzerNamed(name)
	if len(set) == 0 || a == nil {
		return nil
	}
	var out [][2]int
	for _, tok := range a.Analyze([]byte(text)) {
		if set[string(tok.Term)] {
			out = append(out, [2]int{tok.Start, tok.End})
		}
	}
	return out
}

// locations returns the byte ranges of text that the search matched in
// fields, as the index recorded them.
func locations(h *search.DocumentMatch, text string, fields ...string) [][2]int {
	var out [][2]int
	for _, field := range fields {
		for _, locs := range h.Locations[field] {
			for _, l := range locs {
				if int(l.End) <= len(text) {
					out = append(out, [2]int{int(l.Start), int(l.End)})
				}
			}
		}
	}
	return out
}

// mergeRanges sorts byte ranges and joins those that overlap (a stem and
// its exact word), never returning nil.
func mergeRanges(rs [][2]int) [][2]int {
	sort.Slice(rs, func(i, j int) bool { return rs[i][0] < rs[j][0] || rs[i][0] == rs[j][0] && rs[i][1] < rs[j][1] })
	out := [][2]int{}
	for _, r := range rs {
		if n := len(out); n > 0 && r[0] < out[n-1][1] {
			out[n-1][1] = max(out[n-1][1], r[1])
			continue
		}
		if n := len(out); n > 0 && r == out[n-1] {
			continue
		}
		out = append(out, r)
	}
	return out
}
