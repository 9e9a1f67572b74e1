package index

import (
	"container/heap"
	"context"
	"fmt"
	"math"
	"runtime"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"unicode/utf8"

	"github.com/RoaringBitmap/roaring/v2"
	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/numeric"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	segment "github.com/blevesearch/scorch_segment_api/v2"
	"github.com/blevesearch/vellum/levenshtein"

	"github.com/recuerdo-archive/recuerdo/archive"
)

// The engine runs relevance-ranked searches straight on the index's
// segments. bleve scores a match by walking a tree of searchers (filter,
// boolean, conjunction, disjunction, term) one document at a time, about
// 250 ns for each matching segment; a common word matches 60,000 of a
// million. The engine instead finds what matches with set operations on
// the postings' bitmaps, which also gives the exact total and the facet
// counts, and then reads frequencies only to score the documents that
// match, term by term.
//
// It reads the same index and the same alts as the bleve queries built
// in query.go, so the two agree on what matches (engine_test.go checks
// this, for totals, groups, facets and time order); bleve's searchers
// remain for an index the engine cannot read and for those tests.
//
// Scoring is BM25 per term and field, idf × tf(k1+1)/(tf + k1(1-b+b·len/avg))
// with avg = engineWords, times the alt's boost, summed over the alts and
// words that match: a word found in its exact form as well as by its stem
// counts twice. Equal scores keep the index's order.

// engineWords is the length of a typical segment, in words, for BM25's
// length normalisation: a subtitle line or a transcript sentence.
const engineWords = 10

const (
	bm25K1 = 1.2
	bm25B  = 0.75
)

// engine is one snapshot of the index, searched segment by segment.
type engine struct {
	m    mapping.IndexMapping
	r    *scorch.IndexSnapshot
	segs []*scorch.SegmentSnapshot
	offs []uint64 // number of each segment's first document in the snapshot
	docs float64  // live documents
	lev  map[string]segment.Automaton
	// levStates counts the states of the automata in lev, within
	// MaxTypoStates (parse keeps a query within it; this holds every
	// search to it).
	levStates int
}

// openEngine takes a snapshot of the index. ok is false when the index
// is not one the engine can read (then search with bleve).
func (ix *Index) openEngine() (e *engine, ok bool, err error) {
	adv, err := ix.bi.Advanced()
	if err != nil {
		return nil, false, err
	}
	r, err := adv.Reader()
	if err != nil {
		return nil, false, err
	}
	snap, ok := r.(*scorch.IndexSnapshot)
	if !ok {
		r.Close()
		return nil, false, nil
	}
	n, err := snap.DocCount()
	if err != nil {
		r.Close()
		return nil, false, err
	}
	e = &engine{m: ix.bi.Mapping(), r: snap, segs: snap.Segments(), docs: float64(n)}
	var off uint64
	for _, s := range e.segs {
		e.offs = append(e.offs, off)
		off += s.Segment().Count()
	}
	return e, true, nil
}

func (e *engine) close() error { return e.r.Close() }

// ehit is a match: a document of a segment, and its score or, in a
// search by time, its time_key.
type ehit struct {
	seg   int
	doc   uint64
	score float64
	key   string
}

// eleaf is one alt, resolved against the index.
type eleaf struct {
	alt
	terms  []string                 // the index terms it reads: analysed, expanded
	pos    []int                    // altPhrase: each term's position in the phrase
	scored bool                     // its matches add to the score
	idf    []float64                // per term
	pls    [][]segment.PostingsList // per segment, per term
	ext    []*roaring.Bitmap        // altRange and outside filters: matches per segment
	phr    []*roaring.Bitmap        // altPhrase: matches per segment, once found
	pairs  *eleaf                   // altPhrase of two words or more: its pairs of neighbouring words
}

// eclause matches when any of its leaves does.
type eclause struct {
	leaves []*eleaf
	neg    bool
	phrase bool // has a phrase leaf: evaluated last, on what else matched
	// partial: one of the words of a partial match, of which at least
	// plan.min must match; sets holds what it matched in each segment.
	partial bool
	sets    []*roaring.Bitmap
	// bonus only adds to the score of what the other clauses match.
	bonus bool
}

// plan is a search for the engine: every positive clause must match and
// no negative one may.
type plan struct {
	clauses []*eclause
	partial int // clauses marked partial
	min     int // of which at least this many must match
}

// compile resolves a parsed query with opt's filters into a plan.
func (e *engine) compile(ctx context.Context, clauses []clause, opt Options, mode matching) (*plan, error) {
	p := &plan{}
	var words []*eclause // neighbouring plain words typed, nil between
	for _, c := range clauses {
		ec := &eclause{neg: c.neg}
		if t := c.alts[0]; !c.neg && len(c.alts) == 1 && t.field == "" && !t.phrase && !t.prefix {
			words = append(words, ec)
		} else {
			words = append(words, nil)
		}
		words := isWords(c)
		if mode == partial && words && !c.neg {
			ec.partial, ec.sets = true, make([]*roaring.Bitmap, len(e.segs))
			p.partial++
		}
		for _, t := range c.alts {
			for _, a := range altsOf(t, mode >= forgiving) {
				l := &eleaf{alt: a, scored: words && !c.neg}
				ec.leaves = append(ec.leaves, l)
				ec.phrase = ec.phrase || a.kind == altPhrase
			}
		}
		p.clauses = append(p.clauses, ec)
	}
	p.min = (p.partial + 1) / 2 // as buildClauses asks of bleve
	for a := opt.Audience + 1; a <= archive.Staff; a++ {
		p.clauses = append(p.clauses, &eclause{neg: true, leaves: []*eleaf{{alt: alt{kind: altTerm, field: fAccess, text: a.String()}}}})
	}
	seal := &eleaf{alt: alt{kind: altRange}}
	p.clauses = append(p.clauses, &eclause{neg: true, leaves: []*eleaf{seal}})
	switch {
	case opt.Lang != "":
		p.clauses = append(p.clauses, &eclause{leaves: []*eleaf{{alt: alt{kind: altTerm, field: fLang, text: opt.Lang}}}})
	case !choosesLang(clauses):
		p.clauses = append(p.clauses, &eclause{neg: true, leaves: []*eleaf{{alt: alt{kind: altTerm, field: fPrimary, text: "n"}}}})
	}
	for _, c := range p.clauses {
		for _, l := range c.leaves {
			var err error
			switch {
			case l == seal:
				l.ext, err = e.bitmaps(ctx, sealFilter(opt.Audience, opt.Now))
			case l.kind == altRange:
				l.ext, err = e.bitmaps(ctx, l.query())
			default:
				err = e.resolve(l)
			}
			if err != nil {
				return nil, err
			}
		}
	}
	for i := 1; i < len(words); i++ {
		if words[i-1] != nil && words[i] != nil {
			if err := e.addNeighbours(p, words[i-1], words[i]); err != nil {
				return nil, err
			}
		}
	}
	return p, nil
}

// neighbourBoost weighs two words typed together that a line holds
// together, on top of each word's own weight.
const neighbourBoost = 0.5

// maxForms bounds the forms of each word (as typed, typos forgiven)
// paired when two words are neighbours.
const maxForms = 16

// addNeighbours adds to p a clause that only scores: the lines holding
// a form of word a followed by a form of word b, read in the pairs
// fields, so that "puerta asul" ranks "la puerta azul" above a line with
// the two words apart.
func (e *engine) addNeighbours(p *plan, a, b *eclause) error {
	forms := func(c *eclause, field string) []string {
		var out []string
		for _, l := range c.leaves {
			if l.field == field && (l.kind == altTerm || l.kind == altFuzzy) {
				out = append(out, l.terms...)
			}
		}
		return out[:min(len(out), maxForms)]
	}
	bonus := &eclause{bonus: true}
	for _, f := range []string{fExact, fTwinExact} {
		l := &eleaf{alt: alt{kind: altTerm, field: pairsField(f), boost: boostOf(f, neighbourBoost)}, scored: true, terms: []string{}}
		for _, x := range forms(a, f) {
			for _, y := range forms(b, f) {
				l.terms = append(l.terms, string(pairTerm([]byte(x), []byte(y))))
			}
		}
		if len(l.terms) == 0 {
			continue
		}
		if err := e.resolve(l); err != nil {
			return err
		}
		bonus.leaves = append(bonus.leaves, l)
	}
	if len(bonus.leaves) > 0 {
		p.clauses = append(p.clauses, bonus)
	}
	return nil
}

// narrow returns p limited to the documents holding term in field, a
// filter checked first.
func (e *engine) narrow(p *plan, field, term string) (*plan, error) {
	l := &eleaf{alt: alt{kind: altTerm, field: field, text: term, boost: 1}}
	if err := e.resolve(l); err != nil {
		return nil, err
	}
	return &plan{clauses: append([]*eclause{{leaves: []*eleaf{l}}}, p.clauses...), partial: p.partial, min: p.min}, nil
}

// resolve finds the index terms of a leaf, their postings in each
// segment and, for scored leaves, their idf.
func (e *engine) resolve(l *eleaf) error {
	switch {
	case l.terms != nil: // already known
	case l.kind == altTerm:
		l.terms = []string{l.text}
	case l.kind == altMatch || l.kind == altPhrase:
		a := e.m.AnalyzerNamed(e.m.AnalyzerNameForPath(l.field))
		if a == nil {
			return fmt.Errorf("no analyser for field %s", l.field)
		}
		seen := map[string]bool{}
		for _, tok := range a.Analyze([]byte(l.text)) {
			if l.kind == altPhrase {
				l.terms = append(l.terms, string(tok.Term))
				l.pos = append(l.pos, tok.Position)
			} else if !seen[string(tok.Term)] {
				seen[string(tok.Term)] = true
				l.terms = append(l.terms, string(tok.Term))
			}
		}
	case l.kind == altFuzzy:
		a, err := e.levenshtein(l.text, l.fuzziness)
		if err != nil {
			return fmt.Errorf("expand %q in %s: %w", l.text, l.field, err)
		}
		if l.terms, err = e.expand(l.field, a, nil, nil); err != nil {
			return err
		}
	case l.kind == altPrefix:
		var err error
		if l.terms, err = e.expand(l.field, nil, []byte(l.text), prefixEnd(l.text)); err != nil {
			return err
		}
	}
	if pf := pairsField(l.field); l.kind == altPhrase && pf != "" && len(l.terms) >= 2 {
		pairs := &eleaf{alt: alt{kind: altTerm, field: pf, boost: l.boost}, scored: l.scored}
		for i := 1; i < len(l.terms); i++ {
			if l.pos[i] != l.pos[i-1]+1 {
				pairs = nil
				break
			}
			pairs.terms = append(pairs.terms, string(pairTerm([]byte(l.terms[i-1]), []byte(l.terms[i]))))
			pairs.pos = append(pairs.pos, l.pos[i-1]) // a pair stands where its first word does
		}
		if pairs != nil {
			if err := e.resolve(pairs); err != nil {
				return err
			}
			l.pairs = pairs
		}
	}
	if l.kind == altPhrase {
		l.phr = make([]*roaring.Bitmap, len(e.segs)) // filled segment by segment, in parallel
	}
	l.pls = make([][]segment.PostingsList, len(e.segs))
	df := make([]uint64, len(l.terms))
	for si, s := range e.segs {
		d, err := s.Segment().Dictionary(l.field)
		if err != nil {
			return fmt.Errorf("read field %s: %w", l.field, err)
		}
		l.pls[si] = make([]segment.PostingsList, len(l.terms))
		for ti, t := range l.terms {
			pl, err := d.PostingsList([]byte(t), s.Deleted(), nil)
			if err != nil {
				return fmt.Errorf("read %s:%s: %w", l.field, t, err)
			}
			l.pls[si][ti] = pl
			df[ti] += pl.Count()
		}
	}
	if l.scored {
		l.idf = make([]float64, len(l.terms))
		for ti, n := range df {
			l.idf[ti] = math.Log(1 + (e.docs-float64(n)+0.5)/(float64(n)+0.5))
		}
	}
	return nil
}

// levBuilders make the automata of words within one or two edits (each
// takes milliseconds to build, so once).
var levBuilders = sync.OnceValues(func() ([2]*levenshtein.LevenshteinAutomatonBuilder, error) {
	var b [2]*levenshtein.LevenshteinAutomatonBuilder
	for i := range b {
		var err error
		if b[i], err = levenshtein.NewLevenshteinAutomatonBuilder(uint8(i+1), true); err != nil {
			return b, err
		}
	}
	return b, nil
})

// levenshtein is the automaton of the words within fuzziness edits of
// word (a swap of two letters is one), built once per search.
func (e *engine) levenshtein(word string, fuzziness int) (segment.Automaton, error) {
	key := fmt.Sprintf("%d:%s", fuzziness, word)
	if a, ok := e.lev[key]; ok {
		return a, nil
	}
	b, err := levBuilders()
	if err != nil {
		return nil, err
	}
	if fuzziness < 1 || fuzziness > len(b) {
		return nil, fmt.Errorf("fuzziness %d: want 1 or 2", fuzziness)
	}
	n := e.levStates + typoStates(utf8.RuneCountInString(word), fuzziness)
	if n > MaxTypoStates {
		return nil, &LimitError{Limit: "typo automaton states", Got: n, Max: MaxTypoStates}
	}
	e.levStates = n
	a, err := b[fuzziness-1].BuildDfa(word, uint8(fuzziness))
	if err != nil {
		return nil, err
	}
	if e.lev == nil {
		e.lev = map[string]segment.Automaton{}
	}
	e.lev[key] = a
	return a, nil
}

// expand lists the terms of field, in any segment, that a accepts (nil
// for all) between start and end (nil for no bound), in order.
func (e *engine) expand(field string, a segment.Automaton, start, end []byte) ([]string, error) {
	seen := map[string]bool{}
	var out []string
	for _, s := range e.segs {
		d, err := s.Segment().Dictionary(field)
		if err != nil {
			return nil, fmt.Errorf("read field %s: %w", field, err)
		}
		it := termsOf(d, a, start, end)
		for {
			de, err := it.Next()
			if err != nil {
				return nil, fmt.Errorf("read field %s: %w", field, err)
			}
			if de == nil {
				break
			}
			if !seen[de.Term] {
				if len(out) == MaxExpansions {
					return nil, &LimitError{Limit: "index words a prefix or typo stands for", Max: MaxExpansions, Hint: "type more letters"}
				}
				seen[de.Term] = true
				out = append(out, de.Term)
			}
		}
	}
	sort.Strings(out)
	return out, nil
}

// termsOf iterates the terms of a dictionary, without counting their
// postings where the segment can.
func termsOf(d segment.TermDictionary, a segment.Automaton, start, end []byte) segment.DictionaryIterator {
	if o, ok := d.(interface {
		AutomatonIteratorOmitCount(segment.Automaton, []byte, []byte) segment.DictionaryIterator
	}); ok {
		return o.AutomatonIteratorOmitCount(a, start, end)
	}
	return d.AutomatonIterator(a, start, end)
}

// prefixEnd is the first key after every key starting with prefix, nil
// when there is none.
func prefixEnd(prefix string) []byte {
	end := []byte(prefix)
	for i := len(end) - 1; i >= 0; i-- {
		end[i]++
		if end[i] != 0 {
			return end[:i+1]
		}
	}
	return nil
}

// bitmaps runs a bleve query unscored and returns its matches per segment:
// for the filters the engine does not read itself (numeric ranges).
func (e *engine) bitmaps(ctx context.Context, q query.Query) ([]*roaring.Bitmap, error) {
	out := make([]*roaring.Bitmap, len(e.segs))
	for i := range out {
		out[i] = roaring.New()
	}
	s, err := q.Searcher(ctx, e.r, e.m, search.SearcherOptions{Score: "none"})
	if err != nil {
		return nil, err
	}
	defer s.Close()
	sctx := &search.SearchContext{DocumentMatchPool: search.NewDocumentMatchPool(s.DocumentMatchPoolSize(), 0)}
	for {
		dm, err := s.Next(sctx)
		if err != nil {
			return nil, err
		}
		if dm == nil {
			return out, nil
		}
		n := dm.IndexInternalID.Value()
		si := sort.Search(len(e.offs), func(i int) bool { return e.offs[i] > n }) - 1
		if si >= 0 {
			out[si].Add(uint32(n - e.offs[si]))
		}
		sctx.DocumentMatchPool.Put(dm)
	}
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

// run counts the matches of p and returns the hits w asks for, with how
// many matches hold each value of the count fields. The index's segments
// are searched in parallel, one per core, the largest first.
func (e *engine) run(ctx context.Context, p *plan, w wanted) (*eresult, error) {
	order := make([]int, len(e.segs))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(i, j int) bool { return e.segs[order[i]].Count() > e.segs[order[j]].Count() })
	parts := make([]*eresult, min(runtime.GOMAXPROCS(0), len(e.segs)))
	ms := make([]*roaring.Bitmap, len(e.segs)) // each segment's matches, for a search by time
	var next atomic.Int64
	var wg sync.WaitGroup
	for i := range parts {
		part := newResult(w.count)
		parts[i] = part
		wg.Go(func() { part.err = e.runPart(ctx, p, w, order, &next, part, ms) })
	}
	wg.Wait()
	res := newResult(w.count)
	top := &ehits{}
	for _, part := range parts {
		if part.err != nil {
			return nil, part.err
		}
		res.total += part.total
		for f, vals := range part.counts {
			for v, n := range vals {
				res.counts[f][v] += n
			}
		}
		for _, h := range part.hits {
			keepBest(top, h, w.keep)
		}
	}
	if w.byTime && w.keep > 0 {
		var err error
		res.hits, err = e.firstInTime(ms, w)
		return res, err
	}
	res.hits = make([]ehit, top.Len())
	for i := len(res.hits) - 1; i >= 0; i-- {
		res.hits[i] = heap.Pop(top).(ehit)
	}
	return res, nil
}

func newResult(count []string) *eresult {
	r := &eresult{counts: map[string]map[string]int{}}
	for _, f := range count {
		r.counts[f] = map[string]int{}
	}
	return r
}

// runPart searches the segments it takes from order, by next, into part.
func (e *engine) runPart(ctx context.Context, p *plan, w wanted, order []int, next *atomic.Int64, part *eresult, ms []*roaring.Bitmap) error {
	top := &ehits{}
	defer func() { part.hits = *top }()
	for {
		i := int(next.Add(1) - 1)
		if i >= len(order) {
			return nil
		}
		si := order[i]
		if err := ctx.Err(); err != nil {
			return err
		}
		m, err := e.matches(p, si)
		if err != nil {
			return err
		}
		part.total += m.GetCardinality()
		if m.IsEmpty() {
			continue
		}
		for _, f := range w.count {
			if err := e.countValues(si, m, f, part.counts[f]); err != nil {
				return err
			}
		}
		switch {
		case w.keep == 0:
		case w.byTime:
			ms[si] = m // the first in time are found across segments, after
		default:
			if err := e.score(p, si, m, top, w.keep); err != nil {
				return err
			}
		}
	}
}

// Costs, in microseconds at a million segments, of the two ways to order
// an interview's matches in time; variables so that tests can take
// either way.
var (
	keyStep  = 3.0 // one key of the time_key field and its postings
	keyFetch = 4.0 // one document's stored fields
)

// firstInTime returns the first w.keep matches in time order, given each
// segment's matches (nil for none). Interviews come first in that order:
// it takes them in order of id, merged across segments, and orders each
// one's matches either by reading their keys from their stored fields
// (few matches) or by walking the interview's keys in order until it has
// enough (many), whichever costs less, until it has w.keep.
func (e *engine) firstInTime(ms []*roaring.Bitmap, w wanted) ([]ehit, error) {
	var start, end []byte
	switch {
	case w.prefix != "": // one interview
		iv, _, _ := strings.Cut(w.prefix, "\x00")
		start, end = []byte(iv), []byte(iv+"\x00")
	case w.after != "":
		iv, _, _ := strings.Cut(w.after, "\x00")
		start = []byte(iv)
	}
	ivs := &keyHeap{}
	for si, m := range ms {
		if m == nil || m.IsEmpty() {
			continue
		}
		d, err := e.segs[si].Segment().Dictionary(fInterview)
		if err != nil {
			return nil, fmt.Errorf("read field %s: %w", fInterview, err)
		}
		if err := ivs.next(si, d, termsOf(d, nil, start, end)); err != nil {
			return nil, err
		}
	}
	var out []ehit
	for ivs.Len() > 0 && len(out) < w.keep {
		iv := (*ivs)[0].key
		in := make([]*roaring.Bitmap, len(ms)) // the interview's matches, per segment
		var n, all float64
		for ivs.Len() > 0 && (*ivs)[0].key == iv {
			k := heap.Pop(ivs).(segKey)
			pl, err := k.dict.PostingsList([]byte(iv), e.segs[k.seg].Deleted(), nil)
			if err != nil {
				return nil, fmt.Errorf("read %s:%s: %w", fInterview, iv, err)
			}
			b := postingsSet(pl)
			in[k.seg] = roaring.And(ms[k.seg], b)
			n += float64(in[k.seg].GetCardinality())
			all += float64(b.GetCardinality())
			if err := ivs.next(k.seg, k.dict, k.it); err != nil {
				return nil, err
			}
		}
		if n == 0 {
			continue
		}
		need := w.keep - len(out)
		var hits []ehit
		var err error
		if n*keyFetch < float64(need)*all/n*keyStep { // keys passed before need matches
			hits, err = e.inTimeStored(in, w.after, need)
		} else {
			hits, err = e.inTimeWalk(in, iv, w.after, need)
		}
		if err != nil {
			return nil, err
		}
		out = append(out, hits...)
	}
	return out, nil
}

// inTimeStored returns the first need documents of in, after the key
// after, reading each one's key from its stored fields.
func (e *engine) inTimeStored(in []*roaring.Bitmap, after string, need int) ([]ehit, error) {
	var out []ehit
	for si, m := range in {
		if m == nil {
			continue
		}
		it := m.Iterator()
		for it.HasNext() {
			doc := uint64(it.Next())
			key, err := e.timeKeyOf(si, doc)
			if err != nil {
				return nil, err
			}
			if key > after {
				out = append(out, ehit{seg: si, doc: doc, key: key})
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].key < out[j].key })
	return out[:min(len(out), need)], nil
}

// inTimeWalk returns the first need documents of in, interview iv's
// matches, after the key after, walking the interview's keys in order,
// merged across segments.
func (e *engine) inTimeWalk(in []*roaring.Bitmap, iv, after string, need int) ([]ehit, error) {
	prefix := iv + "\x00"
	start := []byte(prefix)
	if after+"\x00" > prefix {
		start = []byte(after + "\x00") // the first key after it
	}
	keys := &keyHeap{}
	for si, m := range in {
		if m == nil || m.IsEmpty() {
			continue
		}
		d, err := e.segs[si].Segment().Dictionary(fTimeKey)
		if err != nil {
			return nil, fmt.Errorf("read field %s: %w", fTimeKey, err)
		}
		if err := keys.next(si, d, termsOf(d, nil, start, prefixEnd(prefix))); err != nil {
			return nil, err
		}
	}
	var out []ehit
	for keys.Len() > 0 && len(out) < need {
		k := heap.Pop(keys).(segKey)
		pl, err := k.dict.PostingsList([]byte(k.key), e.segs[k.seg].Deleted(), nil)
		if err != nil {
			return nil, fmt.Errorf("read %s:%s: %w", fTimeKey, k.key, err)
		}
		docs := postingsSet(pl).Iterator()
		for docs.HasNext() {
			if doc := docs.Next(); in[k.seg].Contains(doc) {
				out = append(out, ehit{seg: k.seg, doc: uint64(doc), key: k.key})
			}
		}
		if err := keys.next(k.seg, k.dict, k.it); err != nil {
			return nil, err
		}
	}
	return out[:min(len(out), need)], nil
}

// segKey is the next term of one segment's dictionary.
type segKey struct {
	key  string
	seg  int
	dict segment.TermDictionary
	it   segment.DictionaryIterator
}

// keyHeap merges segments' terms, smallest first.
type keyHeap []segKey

func (h keyHeap) Len() int           { return len(h) }
func (h keyHeap) Less(i, j int) bool { return h[i].key < h[j].key }
func (h keyHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *keyHeap) Push(x any)        { *h = append(*h, x.(segKey)) }
func (h *keyHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

// next pushes the next term of segment si's iterator over d, if any.
func (h *keyHeap) next(si int, d segment.TermDictionary, it segment.DictionaryIterator) error {
	de, err := it.Next()
	if err != nil {
		return fmt.Errorf("read a dictionary: %w", err)
	}
	if de != nil {
		heap.Push(h, segKey{key: de.Term, seg: si, dict: d, it: it})
	}
	return nil
}

// timeKeyOf is a document's time_key, from its stored fields.
func (e *engine) timeKeyOf(si int, doc uint64) (string, error) {
	id, err := e.segs[si].DocID(doc)
	if err != nil {
		return "", fmt.Errorf("read document %d: %w", doc, err)
	}
	var iv, lang string
	var start float64
	err = e.segs[si].VisitDocument(doc, func(field string, _ byte, value []byte, _ []uint64) bool {
		switch field {
		case fInterview:
			iv = string(value)
		case fLang:
			lang = string(value)
		case fStart:
			if n, err := numeric.PrefixCoded(value).Int64(); err == nil {
				start = numeric.Int64ToFloat64(n)
			}
		}
		return true
	})
	if err != nil {
		return "", fmt.Errorf("read document %s: %w", id, err)
	}
	return timeKey(iv, int64(start), lang, string(id)), nil
}

// keepBest adds h to top if it is among the best keep.
func keepBest(top *ehits, h ehit, keep int) {
	switch {
	case top.Len() < keep:
		heap.Push(top, h)
	case better(h, (*top)[0]):
		(*top)[0] = h
		heap.Fix(top, 0)
	}
}

// eresult is what run found.
type eresult struct {
	total  uint64
	hits   []ehit                    // best first
	counts map[string]map[string]int // field → value → matches
	err    error                     // of a part
}

// countValues adds to counts how many documents of m, in segment si,
// hold each term of field: a facet counted on the postings' bitmaps,
// without reading any document.
func (e *engine) countValues(si int, m *roaring.Bitmap, field string, counts map[string]int) error {
	s := e.segs[si]
	d, err := s.Segment().Dictionary(field)
	if err != nil {
		return fmt.Errorf("read field %s: %w", field, err)
	}
	it := termsOf(d, nil, nil, nil)
	for {
		de, err := it.Next()
		if err != nil {
			return fmt.Errorf("read field %s: %w", field, err)
		}
		if de == nil {
			return nil
		}
		pl, err := d.PostingsList([]byte(de.Term), s.Deleted(), nil)
		if err != nil {
			return fmt.Errorf("read %s:%s: %w", field, de.Term, err)
		}
		if n := int(m.AndCardinality(postingsSet(pl))); n > 0 {
			counts[de.Term] += n
		}
	}
}

// stored returns the stored text of a document's field.
func (e *engine) stored(h ehit, field string) (string, error) {
	var v string
	err := e.segs[h.seg].VisitDocument(h.doc, func(f string, _ byte, value []byte, _ []uint64) bool {
		if f == field {
			v = string(value)
			return false
		}
		return true
	})
	return v, err
}

// matches is the set of documents of segment si that p matches.
func (e *engine) matches(p *plan, si int) (*roaring.Bitmap, error) {
	var m *roaring.Bitmap
	// Phrases are checked word position by word position: do them last,
	// on what the other clauses left.
	for _, phrases := range []bool{false, true} {
		for _, c := range p.clauses {
			if c.neg || c.partial || c.bonus || c.phrase != phrases {
				continue
			}
			b, err := e.clauseSet(c, si, m)
			if err != nil {
				return nil, err
			}
			if m == nil {
				m = b
			} else {
				m.And(b)
			}
			if m.IsEmpty() {
				return m, nil
			}
		}
	}
	if m == nil {
		s := e.segs[si]
		m = roaring.New()
		m.AddRange(0, s.Segment().Count())
		if d := s.Deleted(); d != nil {
			m.AndNot(d)
		}
	}
	if p.partial > 0 {
		b, err := e.atLeast(p, si, m)
		if err != nil {
			return nil, err
		}
		m.And(b)
	}
	for _, c := range p.clauses {
		if !c.neg {
			continue
		}
		b, err := e.clauseSet(c, si, m)
		if err != nil {
			return nil, err
		}
		m.AndNot(b)
		if m.IsEmpty() {
			break
		}
	}
	return m, nil
}

// atLeast is the documents of segment si, within within, that at least
// p.min of the partial clauses match. It counts in bitmaps: after each
// clause, reached[k] holds the documents matched by k+1 clauses so far.
func (e *engine) atLeast(p *plan, si int, within *roaring.Bitmap) (*roaring.Bitmap, error) {
	reached := make([]*roaring.Bitmap, p.min)
	for i := range reached {
		reached[i] = roaring.New()
	}
	for _, c := range p.clauses {
		if !c.partial {
			continue
		}
		b, err := e.clauseSet(c, si, within)
		if err != nil {
			return nil, err
		}
		b.And(within)
		c.sets[si] = b
		for k := p.min - 1; k > 0; k-- {
			reached[k].Or(roaring.And(reached[k-1], b))
		}
		reached[0].Or(b)
	}
	return reached[p.min-1], nil
}

// clauseSet is what clause c matches in segment si. Phrases are checked
// only within within (nil for everything).
func (e *engine) clauseSet(c *eclause, si int, within *roaring.Bitmap) (*roaring.Bitmap, error) {
	out := roaring.New()
	for _, l := range c.leaves {
		switch {
		case l.ext != nil:
			out.Or(l.ext[si])
		case l.kind == altPhrase:
			b, err := e.phraseSet(l, si, within)
			if err != nil {
				return nil, err
			}
			out.Or(b)
		default:
			for _, pl := range l.pls[si] {
				orPostings(out, pl)
			}
		}
	}
	return out, nil
}

// orPostings adds a postings list's documents to b.
func orPostings(b *roaring.Bitmap, pl segment.PostingsList) {
	it := pl.Iterator(false, false, false, nil)
	o, ok := it.(segment.OptimizablePostingsIterator)
	if !ok {
		for p, err := it.Next(); err == nil && p != nil; p, err = it.Next() {
			b.Add(uint32(p.Number()))
		}
		return
	}
	if a := o.ActualBitmap(); a != nil {
		b.Or(a)
	} else if n, ok := o.DocNum1Hit(); ok {
		b.Add(uint32(n))
	}
}

// postingsSet is a postings list's documents, not to be changed.
func postingsSet(pl segment.PostingsList) *roaring.Bitmap {
	it := pl.Iterator(false, false, false, nil)
	if o, ok := it.(segment.OptimizablePostingsIterator); ok {
		if a := o.ActualBitmap(); a != nil {
			return a
		}
	}
	b := roaring.New()
	orPostings(b, pl)
	return b
}

// phraseSet is the documents of segment si, within within, that hold the
// phrase's words at their positions.
func (e *engine) phraseSet(l *eleaf, si int, within *roaring.Bitmap) (*roaring.Bitmap, error) {
	if len(l.terms) == 0 {
		return roaring.New(), nil
	}
	words := l.pls[si]
	if l.pairs != nil {
		// Where every pair of neighbours is, the words are; with two
		// words, that is the phrase.
		words = l.pairs.pls[si]
	}
	cand := within
	for _, pl := range words {
		b := postingsSet(pl)
		if cand == nil {
			cand = b.Clone()
		} else {
			cand = roaring.And(cand, b)
		}
		if cand.IsEmpty() {
			return cand, nil
		}
	}
	out := roaring.New()
	var err error
	switch {
	case l.pairs != nil && len(l.terms) == 2:
		out = cand.Clone()
	case e.readsFewer(l, si, cand):
		err = e.phraseInText(l, si, cand, out)
	case l.pairs != nil:
		// Pairs at neighbouring positions: their postings are far
		// shorter than those of common words.
		err = e.phraseWalk(l.pairs, si, cand, func(doc uint64, _ []segment.Location) {
			out.Add(uint32(doc))
		})
	default:
		err = e.phraseWalk(l, si, cand, func(doc uint64, _ []segment.Location) {
			out.Add(uint32(doc))
		})
	}
	l.phr[si] = out
	return out, err
}

// storedCost is how many postings the index walks in the time it takes
// to read one document's stored text and analyse it (measured at a
// million segments: about 4.4 µs against 15 ns); a variable so that
// tests can take either way.
var storedCost uint64 = 300

// readsFewer reports whether checking a phrase's candidates in their
// stored text costs less than walking its words' postings to their
// positions: for few candidates among common words.
func (e *engine) readsFewer(l *eleaf, si int, cand *roaring.Bitmap) bool {
	if l.field != fExact && l.field != fTwinExact {
		return false
	}
	w := l
	if l.pairs != nil {
		w = l.pairs
	}
	var walk uint64
	for _, pl := range w.pls[si] {
		walk += pl.Count()
	}
	return cand.GetCardinality()*storedCost < walk
}

// phraseInText adds to out the documents of cand, in segment si, whose
// stored text holds the phrase, read as the exact field's analyser does:
// the words and positions the index has.
func (e *engine) phraseInText(l *eleaf, si int, cand, out *roaring.Bitmap) error {
	a := e.m.AnalyzerNamed(analyzerExact)
	if a == nil {
		return fmt.Errorf("no analyser %s", analyzerExact)
	}
	want := func(field string) bool {
		if l.field == fTwinExact {
			return field == fTwinText
		}
		return field == fTextES || field == fTextEN || field == fTextOther
	}
	it := cand.Iterator()
	for it.HasNext() {
		doc := it.Next()
		var text []byte
		err := e.segs[si].VisitDocument(uint64(doc), func(field string, _ byte, value []byte, _ []uint64) bool {
			if want(field) {
				text = append(text[:0], value...)
				return false
			}
			return true
		})
		if err != nil {
			return fmt.Errorf("read document %d: %w", doc, err)
		}
		toks := a.Analyze(text)
		for i := range toks {
			if phraseAt(toks, i, l.terms, l.pos) {
				out.Add(doc)
				break
			}
		}
	}
	return nil
}

// phraseWalk calls found for each document of cand that holds the
// phrase, with the locations of its words in every occurrence, word by
// word. cand must lie within every word's postings.
func (e *engine) phraseWalk(l *eleaf, si int, cand *roaring.Bitmap, found func(doc uint64, locs []segment.Location)) error {
	its := make([]segment.PostingsIterator, len(l.terms))
	for i, pl := range l.pls[si] {
		its[i] = restricted(pl.Iterator(true, true, true, nil), cand)
	}
	locs := make([][]segment.Location, len(its))
	var hits []segment.Location
	ci := cand.Iterator()
	for ci.HasNext() {
		doc := uint64(ci.Next())
		for i, it := range its {
			p, err := it.Advance(doc)
			if err != nil {
				return err
			}
			if p == nil || p.Number() != doc {
				return fmt.Errorf("phrase %q: postings of %q out of step", l.text, l.terms[i])
			}
			locs[i] = p.Locations()
		}
		hits = hits[:0]
		for _, first := range locs[0] {
			match := []segment.Location{first}
			for i := 1; i < len(locs) && match != nil; i++ {
				want := int(first.Pos()) + l.pos[i] - l.pos[0]
				var at segment.Location
				for _, loc := range locs[i] {
					if int(loc.Pos()) == want && sameArray(loc.ArrayPositions(), first.ArrayPositions()) {
						at = loc
						break
					}
				}
				if at == nil {
					match = nil
				} else {
					match = append(match, at)
				}
			}
			hits = append(hits, match...)
		}
		if len(hits) > 0 {
			found(doc, hits)
		}
	}
	return nil
}

func sameArray(a, b []uint64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// restricted makes a postings iterator skip documents outside within.
func restricted(it segment.PostingsIterator, within *roaring.Bitmap) segment.PostingsIterator {
	if o, ok := it.(segment.OptimizablePostingsIterator); ok && within != nil {
		if a := o.ActualBitmap(); a != nil {
			o.ReplaceActual(roaring.And(a, within))
		}
	}
	return it
}

var scorePool = sync.Pool{New: func() any { return new([]float64) }}

// score adds the documents of m, in segment si, to top, keeping the best
// keep. Each scored term adds its BM25 weight to the documents it is in.
func (e *engine) score(p *plan, si int, m *roaring.Bitmap, top *ehits, keep int) (err error) {
	n := e.segs[si].Segment().Count()
	accp := scorePool.Get().(*[]float64)
	defer func() {
		if err == nil { // an error leaves scores behind: drop the array
			scorePool.Put(accp)
		}
	}()
	if uint64(cap(*accp)) < n {
		*accp = make([]float64, n)
	}
	acc := (*accp)[:n]
	for _, c := range p.clauses {
		if c.neg {
			continue
		}
		for _, l := range c.leaves {
			if !l.scored || len(l.terms) == 0 {
				continue
			}
			within := m
			if l.kind == altPhrase {
				if l.phr == nil || l.phr[si] == nil {
					continue // matches stopped before this phrase: nothing left
				}
				within = roaring.And(l.phr[si], m)
				if l.pairs != nil {
					l = l.pairs // a phrase weighs as its pairs of words
				}
			}
			for ti, pl := range l.pls[si] {
				if pl.Count() == 0 {
					continue
				}
				w := l.idf[ti] * l.boost
				it := pl.Iterator(true, true, false, nil)
				// Only documents within count: the iterator skips the
				// others where it can, and they are checked below where
				// it cannot (a postings list of one document).
				check := true
				if o, ok := it.(segment.OptimizablePostingsIterator); ok {
					if a := o.ActualBitmap(); a != nil {
						o.ReplaceActual(roaring.And(a, within))
						check = false
					}
				}
				for {
					post, err := it.Next()
					if err != nil {
						return err
					}
					if post == nil {
						break
					}
					d := post.Number()
					if check && !within.Contains(uint32(d)) {
						continue
					}
					acc[d] += w * bm25(post.Frequency(), post.Norm())
				}
			}
		}
	}
	// A segment's documents come in index order, so one that only ties
	// the worst hit kept from this segment or an earlier one ranks below
	// it; against a later segment's, better decides.
	it := m.ManyIterator()
	buf := make([]uint32, 256)
	for n := it.NextMany(buf); n > 0; n = it.NextMany(buf) {
		for _, d := range buf[:n] {
			score := acc[d]
			acc[d] = 0
			if p.partial > 0 {
				score *= coord(p, si, d) // those with most words first
			}
			switch {
			case top.Len() < keep:
				heap.Push(top, ehit{seg: si, doc: uint64(d), score: score})
			case score > (*top)[0].score || score == (*top)[0].score && si < (*top)[0].seg:
				(*top)[0] = ehit{seg: si, doc: uint64(d), score: score}
				heap.Fix(top, 0)
			}
		}
	}
	return nil
}

// pairsField is the field with the word pairs of an exact field, or "".
func pairsField(exact string) string {
	switch exact {
	case fExact:
		return fPairs
	case fTwinExact:
		return fTwinPairs
	}
	return ""
}

// coord is the share of a partial match's words that document d of
// segment si holds.
func coord(p *plan, si int, d uint32) float64 {
	n := 0
	for _, c := range p.clauses {
		if c.partial && c.sets[si] != nil && c.sets[si].Contains(d) {
			n++
		}
	}
	return float64(n) / float64(p.partial)
}

// bm25 is a term's weight in a document where it appears tf times, in a
// field whose norm is 1/√length.
func bm25(tf uint64, norm float64) float64 {
	length := engineWords
	if norm > 0 {
		length = int(1/(norm*norm) + 0.5)
	}
	if tf == 1 && length < len(bm25Once) {
		return bm25Once[length]
	}
	return bm25Of(float64(tf), float64(length))
}

func bm25Of(tf, length float64) float64 {
	return tf * (bm25K1 + 1) / (tf + bm25K1*(1-bm25B+bm25B*length/engineWords))
}

// bm25Once is the weight of a word found once in a field of n words: the
// common case in lines of speech.
var bm25Once = func() (t [128]float64) {
	for n := range t {
		t[n] = bm25Of(1, float64(n))
	}
	return t
}()

// better orders hits: higher score, then earlier in the index.
func better(a, b ehit) bool {
	if a.score != b.score {
		return a.score > b.score
	}
	return a.seg < b.seg || a.seg == b.seg && a.doc < b.doc
}

// ehits is a heap with the worst hit on top.
type ehits []ehit

func (h ehits) Len() int           { return len(h) }
func (h ehits) Less(i, j int) bool { return better(h[j], h[i]) }
func (h ehits) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *ehits) Push(x any)        { *h = append(*h, x.(ehit)) }
func (h *ehits) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

// matchesOf returns the document matches of hits with their stored
// fields and where p's words are in their text, read straight from the
// segments.
func (e *engine) matchesOf(p *plan, hits []ehit, fields []string) ([]*search.DocumentMatch, error) {
	want := make(map[string]bool, len(fields))
	for _, f := range fields {
		want[f] = true
	}
	out := make([]*search.DocumentMatch, 0, len(hits))
	for _, h := range hits {
		id, err := e.segs[h.seg].DocID(h.doc)
		if err != nil {
			return nil, fmt.Errorf("read document %d: %w", h.doc, err)
		}
		dm := &search.DocumentMatch{ID: string(id), Score: h.score, Fields: map[string]any{}, Locations: search.FieldTermLocationMap{}}
		err = e.segs[h.seg].VisitDocument(h.doc, func(field string, typ byte, value []byte, _ []uint64) bool {
			if !want[field] {
				return true
			}
			switch typ {
			case 't':
				dm.Fields[field] = string(value)
			case 'n':
				if n, err := numeric.PrefixCoded(value).Int64(); err == nil {
					dm.Fields[field] = numeric.Int64ToFloat64(n)
				}
			}
			return true
		})
		if err != nil {
			return nil, fmt.Errorf("read document %s: %w", id, err)
		}
		e.locate(p, dm)
		out = append(out, dm)
	}
	return out, nil
}

// locate records where the words of p's positive clauses are in a hit's
// own text and its twin's, reading them as the exact field's analyser
// does: for the few hits shown this costs less than reading the index's
// word positions, which lie deep in the postings of common words.
func (e *engine) locate(p *plan, dm *search.DocumentMatch) {
	str := func(f string) string { s, _ := dm.Fields[f].(string); return s }
	lang := str(fLang)
	texts := map[string]string{fExact: str(textField(lang)), fTwinExact: str(fTwinText)}
	a := e.m.AnalyzerNamed(analyzerExact)
	for field, text := range texts {
		if text == "" || a == nil {
			continue
		}
		toks := a.Analyze([]byte(text))
		add := func(t *analysis.Token) {
			tl := dm.Locations[field]
			if tl == nil {
				tl = search.TermLocationMap{}
				dm.Locations[field] = tl
			}
			tl[string(t.Term)] = append(tl[string(t.Term)], &search.Location{Pos: uint64(t.Position), Start: uint64(t.Start), End: uint64(t.End)})
		}
		for _, c := range p.clauses {
			if c.neg {
				continue
			}
			for _, l := range c.leaves {
				if !l.scored || l.field != field || len(l.terms) == 0 {
					continue
				}
				if l.kind == altPhrase {
					for i := range toks {
						if phraseAt(toks, i, l.terms, l.pos) {
							for k := range l.terms {
								add(toks[i+k])
							}
						}
					}
					continue
				}
				set := make(map[string]bool, len(l.terms))
				for _, t := range l.terms {
					set[t] = true
				}
				for _, t := range toks {
					if set[string(t.Term)] {
						add(t)
					}
				}
			}
		}
	}
}

// phraseAt reports whether the phrase's terms, at their relative
// positions, start at token i.
func phraseAt(toks analysis.TokenStream, i int, terms []string, pos []int) bool {
	if i+len(terms) > len(toks) {
		return false
	}
	for k, t := range terms {
		tok := toks[i+k]
		if string(tok.Term) != t || tok.Position-toks[i].Position != pos[k]-pos[0] {
			return false
		}
	}
	return true
}
