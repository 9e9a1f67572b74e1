package index

import (
	"context"
	"fmt"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search"

	"github.com/recuerdo-archive/recuerdo/archive"
	eng "github.com/recuerdo-archive/recuerdo/index/internal/engine"
)

// Searches run on the index's segments through the segment engine
// (internal/engine), the only package that reads bleve's internals. This
// file tells it what our documents hold (schema) and turns a parsed
// query's alts, the same alts the bleve queries of query.go are built
// from, into its clauses, so the two agree on what matches
// (engine_test.go checks this for totals, groups, facets and time order,
// and checks the engine's ranking against a plain reading of its
// scores). bleve's searchers serve those tests only: an index the engine
// cannot read is an error (eng.ErrUnsupported), never a silent fallback
// to bleve's other ranking.

// neighbourBoost weighs two words typed together that a line holds
// together, on top of each word's own weight.
const neighbourBoost = 0.5

// schema is what the engine knows of a segment document.
var schema = &eng.Schema{
	Interview: fInterview,
	TimeKey:   fTimeKey,
	Exact:     analyzerExact,
	Pairs:     map[string]string{fExact: fPairs, fTwinExact: fTwinPairs},
	PairTerm:  func(a, b string) string { return string(pairTerm([]byte(a), []byte(b))) },
	NeighbourBoost: map[string]float64{
		fExact:     boostOf(fExact, neighbourBoost),
		fTwinExact: boostOf(fTwinExact, neighbourBoost),
	},
	Stored: map[string][]string{fExact: {fTextES, fTextEN, fTextOther}, fTwinExact: {fTwinText}},
	TimeKeyOf: func(id string, f map[string]any) string {
		iv, _ := f[fInterview].(string)
		lang, _ := f[fLang].(string)
		start, _ := f[fStart].(float64)
		return timeKey(iv, int64(start), lang, id)
	},
	TimeKeyFields: []string{fInterview, fLang, fStart},
	Texts: func(f map[string]any) map[string]string {
		lang, _ := f[fLang].(string)
		text, _ := f[textField(lang)].(string)
		twin, _ := f[fTwinText].(string)
		return map[string]string{fExact: text, fTwinExact: twin}
	},
	MaxTerms:     MaxExpansions,
	TooManyTerms: &LimitError{Limit: "index words a prefix or typo stands for", Max: MaxExpansions, Hint: "type more letters"},
}

// engine is one search's snapshot of the index, with the typo automata
// it built.
type engine struct {
	*eng.Snapshot
	lev map[string]eng.Automaton
	// levStates counts the states of the automata in lev, within
	// MaxTypoStates (parse keeps a query within it; this holds every
	// search to it).
	levStates int
}

// openEngine takes a snapshot of the index for the segment engine. An
// index it cannot read is an error that says so (run recuerdo reindex).
func (ix *Index) openEngine() (*engine, error) {
	s, err := eng.Open(ix.bi, schema)
	if err != nil {
		return nil, fmt.Errorf("search index %s: %w (run recuerdo reindex)", ix.dir, err)
	}
	e := &engine{Snapshot: s}
	s.Typos = e.levenshtein
	s.AvgLen = ix.avgLengths()
	return e, nil
}

func (e *engine) close() error { return e.Close() }

// levenshtein is the automaton of the words within fuzziness edits of
// word, built once per search and within MaxTypoStates.
func (e *engine) levenshtein(word string, fuzziness int) (eng.Automaton, error) {
	key := fmt.Sprintf("%d:%s", fuzziness, word)
	if a, ok := e.lev[key]; ok {
		return a, nil
	}
	n := e.levStates + typoStates(utf8.RuneCountInString(word), fuzziness)
	if n > MaxTypoStates {
		return nil, &LimitError{Limit: "typo automaton states", Got: n, Max: MaxTypoStates}
	}
	a, err := eng.Levenshtein(word, fuzziness)
	if err != nil {
		return nil, err
	}
	e.levStates = n
	if e.lev == nil {
		e.lev = map[string]eng.Automaton{}
	}
	e.lev[key] = a
	return a, nil
}

// compile turns a parsed query, with opt's filters, into the engine's
// plan: the same alts as fullQuery gives bleve.
func (e *engine) compile(ctx context.Context, clauses []clause, opt Options, mode matching) (*eng.Plan, error) {
	var out []*eng.Clause
	for _, c := range clauses {
		t := c.alts[0]
		words := isWords(c)
		ec := &eng.Clause{
			Neg:     c.neg,
			Word:    !c.neg && len(c.alts) == 1 && t.field == "" && !t.phrase && !t.prefix,
			Partial: mode == partial && words && !c.neg,
		}
		for _, t := range c.alts {
			for _, a := range altsOf(t, mode >= forgiving) {
				ec.Leaves = append(ec.Leaves, leafOf(a, words && !c.neg))
			}
		}
		out = append(out, ec)
	}
	term := func(field, text string) []*eng.Leaf {
		return []*eng.Leaf{{Kind: eng.Term, Field: field, Text: text}}
	}
	for a := opt.Audience + 1; a <= archive.Staff; a++ {
		out = append(out, &eng.Clause{Neg: true, Leaves: term(fAccess, a.String())})
	}
	out = append(out, &eng.Clause{Neg: true, Leaves: []*eng.Leaf{{Kind: eng.Filter, Query: sealFilter(opt.Audience, opt.Now)}}})
	switch {
	case opt.Lang != "":
		out = append(out, &eng.Clause{Leaves: term(fLang, opt.Lang)})
	case !choosesLang(clauses):
		out = append(out, &eng.Clause{Neg: true, Leaves: term(fPrimary, "n")})
	}
	return e.Compile(ctx, out)
}

// leafOf is an alt as the engine reads it.
func leafOf(a alt, scored bool) *eng.Leaf {
	l := &eng.Leaf{Field: a.field, Text: a.text, Boost: a.boost, Fuzziness: a.fuzziness, Scored: scored}
	switch a.kind {
	case altMatch:
		l.Kind = eng.Match
	case altTerm:
		l.Kind = eng.Term
	case altFuzzy:
		l.Kind = eng.Fuzzy
	case altPrefix:
		l.Kind = eng.Prefix
	case altPhrase:
		l.Kind = eng.Phrase
	case altRange:
		l.Kind, l.Query = eng.Filter, a.query()
	}
	return l
}

// wanted is what run returns besides the total.
type wanted struct {
	keep  int      // hits to return
	count []string // fields whose values to count in the matches
	// byTime returns the first hits in time order (timeKey) instead of
	// the best: those after the key after, among keys starting with
	// prefix.
	byTime        bool
	after, prefix string
}

// ehit is a match: its score or, in a search by time, its time_key.
type ehit = eng.Hit

// eresult is what run found.
type eresult struct {
	total  uint64
	hits   []ehit                    // best first
	counts map[string]map[string]int // field → value → matches
}

// run counts the matches of p and returns the hits w asks for, with how
// many matches hold each value of the count fields.
func (e *engine) run(ctx context.Context, p *eng.Plan, w wanted) (*eresult, error) {
	r, err := e.Run(ctx, p, eng.Wanted{Keep: w.keep, Count: w.count, ByTime: w.byTime, After: w.after, Prefix: w.prefix})
	if err != nil {
		return nil, err
	}
	return &eresult{total: r.Total, hits: r.Hits, counts: r.Counts}, nil
}

func (e *engine) narrow(p *eng.Plan, field, term string) (*eng.Plan, error) {
	return e.Narrow(p, field, term)
}

func (e *engine) stored(h ehit, field string) (string, error) { return e.Stored(h, field) }

func (e *engine) matchesOf(p *eng.Plan, hits []ehit, fields []string) ([]*search.DocumentMatch, error) {
	return e.Matches(p, hits, fields)
}

// engineKey is the index's metadata entry naming the bleve and segment
// versions its segments were written with (eng.Format).
const engineKey = "engine_format"

// recordEngine notes in a new index the format the engine reads.
func recordEngine(bi bleve.Index) error {
	return bi.SetInternal([]byte(engineKey), []byte(eng.Format()))
}

// checkEngine refuses an index written for another engine format (or
// before the format was recorded) with ErrStale: it is rebuilt where it
// can be, rather than read by an engine not written for it.
func checkEngine(bi bleve.Index) error {
	v, _ := bi.GetInternal([]byte(engineKey))
	if string(v) == eng.Format() {
		return nil
	}
	if len(v) == 0 {
		v = []byte("an unrecorded format")
	}
	return fmt.Errorf("%w: its segments are %s, this recuerdo reads %s", ErrStale, v, eng.Format())
}

// engineConfig adds to a bleve configuration what makes it write the
// segments the engine reads.
func engineConfig(cfg map[string]any) map[string]any {
	for k, v := range eng.Config() {
		cfg[k] = v
	}
	return cfg
}
