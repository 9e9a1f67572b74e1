// Package engine runs relevance-ranked searches straight on the segments
// of a bleve index (scorch, zap segments). bleve scores a match by
// walking a tree of searchers (filter, boolean, conjunction, disjunction,
// term) one document at a time, about 250 ns for each matching segment; a
// common word matches 60,000 of a million. The engine instead finds what
// matches with set operations on the postings' bitmaps, which also gives
// the exact total and the facet counts, and then reads frequencies only
// to score the documents that match, term by term.
//
// It reads bleve's internals: the scorch snapshot and its segments, the
// numbering of documents across segments, the postings' bitmaps, the
// norm's encoding and the stored fields' type codes. This package alone
// imports them (scorch, zapx, roaring, vellum), and Open refuses an index
// of another bleve or segment version than it was written for
// (BleveVersion, SegmentVersion) rather than reading it wrongly.
//
// Scoring is BM25 per term and field, idf × tf(k1+1)/(tf + k1(1-b+b·len/avg))
// with avg = the field's average length (Snapshot.AvgLen, else avgWords), times the leaf's boost, summed over the leaves and
// words that match: a word found in its exact form as well as by its stem
// counts twice. Equal scores keep the index's order.
package engine

import (
	"container/heap"
	"context"
	"errors"
	"fmt"
	"math"
	"runtime"
	"runtime/debug"
	"sort"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/RoaringBitmap/roaring/v2"
	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/numeric"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	segment "github.com/blevesearch/scorch_segment_api/v2"
	"github.com/blevesearch/vellum/levenshtein"
)

// The versions the engine was written and tested for. Another version
// of bleve may number documents, encode norms or hand out postings
// otherwise; engine_test.go fails when go.mod moves bleve away from
// BleveVersion, so that someone reads the engine again first.
const (
	BleveVersion   = "v2.6.3"
	SegmentType    = "zap"
	SegmentVersion = 17
)

// Format names the index format the engine reads, for the index's
// metadata: an index built with another is rebuilt.
func Format() string {
	return fmt.Sprintf("bleve %s, %s v%d", BleveVersion, SegmentType, SegmentVersion)
}

// Config is what bleve needs to write segments the engine reads, whatever
// its default segment version.
func Config() map[string]any {
	return map[string]any{"forceSegmentType": SegmentType, "forceSegmentVersion": SegmentVersion}
}

// LinkedBleve is the version of bleve in this build, "" when the build
// does not say.
func LinkedBleve() string {
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, d := range bi.Deps {
			if d.Path == "github.com/blevesearch/bleve/v2" {
				if d.Replace != nil {
					return d.Replace.Version
				}
				return d.Version
			}
		}
	}
	return ""
}

// ErrUnsupported means the index is not one the engine was written for.
var ErrUnsupported = errors.New("index format not supported by the search engine")

// avgWords is the length of a typical segment, in words, for BM25's
// length normalisation: a subtitle line or a transcript sentence.
const avgWords = 10

const (
	bm25K1 = 1.2
	bm25B  = 0.75
)

// Schema is what the engine knows of the documents: which fields play
// which part. Its zero value reads no pairs and finds no time order.
type Schema struct {
	Interview string // keyword, stored: whose matches are merged in a search by time
	TimeKey   string // keyword: the order of a search by time
	// Exact is the analyser of the exact fields, whose words phrases and
	// highlighting read again from the stored text.
	Exact string
	// Pairs maps an exact field to the field holding its pairs of
	// neighbouring words, each made by PairTerm.
	Pairs    map[string]string
	PairTerm func(a, b string) string
	// NeighbourBoost weighs, per exact field, two neighbouring words typed
	// together that a line holds together.
	NeighbourBoost map[string]float64
	// Stored maps an exact field to the stored fields holding its text.
	Stored map[string][]string
	// TimeKeyOf is a document's time key, from its stored fields (those
	// in TimeKeyFields).
	TimeKeyOf     func(id string, fields map[string]any) string
	TimeKeyFields []string
	// Texts are the texts whose words Matches locates, by exact field,
	// given a hit's stored fields.
	Texts func(fields map[string]any) map[string]string
	// MaxTerms bounds the index words a prefix or a typo stands for;
	// TooManyTerms is the error past it.
	MaxTerms     int
	TooManyTerms error
}

// Automaton accepts the words within some edits of a word.
type Automaton = segment.Automaton

// Levenshtein builds the automaton of the words within fuzziness edits of
// word (a swap of two letters is one).
func Levenshtein(word string, fuzziness int) (Automaton, error) {
	b, err := levBuilders()
	if err != nil {
		return nil, err
	}
	if fuzziness < 1 || fuzziness > len(b) {
		return nil, fmt.Errorf("fuzziness %d: want 1 or 2", fuzziness)
	}
	return b[fuzziness-1].BuildDfa(word, uint8(fuzziness))
}

// Snapshot is one snapshot of the index, searched segment by segment.
type Snapshot struct {
	s    *Schema
	m    mapping.IndexMapping
	r    *scorch.IndexSnapshot
	segs []*scorch.SegmentSnapshot
	offs []uint64 // number of each segment's first document in the snapshot
	docs float64  // live documents
	// Typos builds the automata of a search's typos, holding it to a
	// budget (nil: Levenshtein, no budget).
	Typos func(word string, fuzziness int) (Automaton, error)
	// AvgLen is each field's average length in terms, for BM25; a field
	// not in it is taken to hold avgWords.
	AvgLen map[string]float64
}

// Open takes a snapshot of bi. It fails with ErrUnsupported when bi is
// not a scorch index of zap segments of SegmentVersion, or when this
// build links another bleve than BleveVersion.
func Open(bi bleve.Index, s *Schema) (*Snapshot, error) {
	if v := LinkedBleve(); v != "" && v != BleveVersion {
		return nil, fmt.Errorf("%w: built with bleve %s, written for %s", ErrUnsupported, v, BleveVersion)
	}
	adv, err := bi.Advanced()
	if err != nil {
		return nil, err
	}
	r, err := adv.Reader()
	if err != nil {
		return nil, err
	}
	snap, ok := r.(*scorch.IndexSnapshot)
	if !ok {
		r.Close()
		return nil, fmt.Errorf("%w: a %T, not a scorch snapshot", ErrUnsupported, r)
	}
	n, err := snap.DocCount()
	if err != nil {
		r.Close()
		return nil, err
	}
	e := &Snapshot{s: s, m: bi.Mapping(), r: snap, segs: snap.Segments(), docs: float64(n)}
	var off uint64
	for _, seg := range e.segs {
		v, ok := seg.Segment().(interface{ Version() uint32 })
		if !ok || v.Version() != SegmentVersion {
			r.Close()
			return nil, fmt.Errorf("%w: a segment of %T (want %s v%d)", ErrUnsupported, seg.Segment(), SegmentType, SegmentVersion)
		}
		e.offs = append(e.offs, off)
		off += seg.Segment().Count()
	}
	return e, nil
}

// ID is a hit's document id.
func (e *Snapshot) ID(h Hit) (string, error) {
	id, err := e.segs[h.seg].DocID(h.doc)
	if err != nil {
		return "", fmt.Errorf("read document %d: %w", h.doc, err)
	}
	return string(id), nil
}

// Close lets go of the snapshot.
func (e *Snapshot) Close() error { return e.r.Close() }

// Hit is a match: a document of a segment, and its score or, in a
// search by time, its time key.
type Hit struct {
	seg   int
	doc   uint64
	Score float64
	Key   string
}

// Kind is what a leaf matches.
type Kind int

// Kinds of leaves.
const (
	Match  Kind = iota // the text analysed as the field's analyser does: any of its words
	Term               // one term as indexed
	Fuzzy              // terms within Fuzziness edits of the text
	Prefix             // terms starting with the text
	Phrase             // the text analysed: all its words, in order
	Filter             // what a bleve query matches (numeric ranges), unscored
)

// Leaf is one way a clause matches, resolved against the index.
type Leaf struct {
	Kind      Kind
	Field     string
	Text      string
	Boost     float64
	Fuzziness int
	Scored    bool        // its matches add to the score
	Query     query.Query // Filter

	terms []string                 // the index terms it reads: analysed, expanded
	pos   []int                    // Phrase: each term's position in the phrase
	idf   []float64                // per term
	pls   [][]segment.PostingsList // per segment, per term
	ext   []*roaring.Bitmap        // Filter: matches per segment
	phr   []*roaring.Bitmap        // Phrase: matches per segment, once found
	pairs *Leaf                    // Phrase of two words or more: its pairs of neighbouring words
	avg   float64                  // its field's average length, in terms
	once  *[128]float64            // bm25 of a term found once in a field of n terms
}

// Clause matches when any of its leaves does.
type Clause struct {
	Leaves []*Leaf
	Neg    bool
	// Partial: one of the words of a partial match, of which at least
	// half must match.
	Partial bool
	// Word is a plain word as typed: two neighbouring Word clauses also
	// score the lines holding the two words together.
	Word bool

	phrase bool              // has a phrase leaf: evaluated last, on what else matched
	sets   []*roaring.Bitmap // Partial: what it matched in each segment
	bonus  bool              // only adds to the score of what the other clauses match
}

// Plan is a search for the engine: every positive clause must match and
// no negative one may.
type Plan struct {
	clauses []*Clause
	partial int // clauses marked partial
	min     int // of which at least this many must match
}

// Compile resolves clauses against the snapshot into a plan.
func (e *Snapshot) Compile(ctx context.Context, clauses []*Clause) (*Plan, error) {
	p := &Plan{clauses: clauses}
	for _, c := range clauses {
		if c.Partial {
			c.sets = make([]*roaring.Bitmap, len(e.segs))
			p.partial++
		}
		for _, l := range c.Leaves {
			c.phrase = c.phrase || l.Kind == Phrase
			var err error
			if l.Kind == Filter {
				l.ext, err = e.bitmaps(ctx, l.Query)
			} else {
				err = e.resolve(l)
			}
			if err != nil {
				return nil, err
			}
		}
	}
	p.min = (p.partial + 1) / 2
	for i := 1; i < len(clauses); i++ {
		if clauses[i-1].Word && clauses[i].Word {
			if err := e.addNeighbours(p, clauses[i-1], clauses[i]); err != nil {
				return nil, err
			}
		}
	}
	return p, nil
}

// maxForms bounds the forms of each word (as typed, typos forgiven)
// paired when two words are neighbours.
const maxForms = 16

// addNeighbours adds to p a clause that only scores: the lines holding
// a form of word a followed by a form of word b, read in the pairs
// fields, so that "puerta asul" ranks "la puerta azul" above a line with
// the two words apart.
func (e *Snapshot) addNeighbours(p *Plan, a, b *Clause) error {
	forms := func(c *Clause, field string) []string {
		var out []string
		for _, l := range c.Leaves {
			if l.Field == field && (l.Kind == Term || l.Kind == Fuzzy) {
				out = append(out, l.terms...)
			}
		}
		return out[:min(len(out), maxForms)]
	}
	bonus := &Clause{bonus: true}
	exact := make([]string, 0, len(e.s.Pairs))
	for f := range e.s.Pairs {
		exact = append(exact, f)
	}
	sort.Strings(exact)
	for _, f := range exact {
		l := &Leaf{Kind: Term, Field: e.s.Pairs[f], Boost: e.s.NeighbourBoost[f], Scored: true, terms: []string{}}
		for _, x := range forms(a, f) {
			for _, y := range forms(b, f) {
				l.terms = append(l.terms, e.s.PairTerm(x, y))
			}
		}
		if len(l.terms) == 0 {
			continue
		}
		if err := e.resolve(l); err != nil {
			return err
		}
		bonus.Leaves = append(bonus.Leaves, l)
	}
	if len(bonus.Leaves) > 0 {
		p.clauses = append(p.clauses, bonus)
	}
	return nil
}

// Narrow returns p limited to the documents holding term in field, a
// filter checked first.
func (e *Snapshot) Narrow(p *Plan, field, term string) (*Plan, error) {
	l := &Leaf{Kind: Term, Field: field, Text: term, Boost: 1}
	if err := e.resolve(l); err != nil {
		return nil, err
	}
	return &Plan{clauses: append([]*Clause{{Leaves: []*Leaf{l}}}, p.clauses...), partial: p.partial, min: p.min}, nil
}

// resolve finds the index terms of a leaf, their postings in each
// segment and, for scored leaves, their idf.
func (e *Snapshot) resolve(l *Leaf) error {
	switch {
	case l.terms != nil: // already known
	case l.Kind == Term:
		l.terms = []string{l.Text}
	case l.Kind == Match || l.Kind == Phrase:
		a := e.m.AnalyzerNamed(e.m.AnalyzerNameForPath(l.Field))
		if a == nil {
			return fmt.Errorf("no analyser for field %s", l.Field)
		}
		seen := map[string]bool{}
		for _, tok := range a.Analyze([]byte(l.Text)) {
			if l.Kind == Phrase {
				l.terms = append(l.terms, string(tok.Term))
				l.pos = append(l.pos, tok.Position)
			} else if !seen[string(tok.Term)] {
				seen[string(tok.Term)] = true
				l.terms = append(l.terms, string(tok.Term))
			}
		}
	case l.Kind == Fuzzy:
		typos := e.Typos
		if typos == nil {
			typos = Levenshtein
		}
		a, err := typos(l.Text, l.Fuzziness)
		if err != nil {
			return fmt.Errorf("expand %q in %s: %w", l.Text, l.Field, err)
		}
		if l.terms, err = e.expand(l.Field, a, nil, nil); err != nil {
			return err
		}
	case l.Kind == Prefix:
		var err error
		if l.terms, err = e.expand(l.Field, nil, []byte(l.Text), prefixEnd(l.Text)); err != nil {
			return err
		}
	}
	if pf := e.s.Pairs[l.Field]; l.Kind == Phrase && pf != "" && len(l.terms) >= 2 {
		pairs := &Leaf{Kind: Term, Field: pf, Boost: l.Boost, Scored: l.Scored}
		for i := 1; i < len(l.terms); i++ {
			if l.pos[i] != l.pos[i-1]+1 {
				pairs = nil
				break
			}
			pairs.terms = append(pairs.terms, e.s.PairTerm(l.terms[i-1], l.terms[i]))
			pairs.pos = append(pairs.pos, l.pos[i-1]) // a pair stands where its first word does
		}
		if pairs != nil {
			if err := e.resolve(pairs); err != nil {
				return err
			}
			l.pairs = pairs
		}
	}
	if l.Kind == Phrase {
		l.phr = make([]*roaring.Bitmap, len(e.segs)) // filled segment by segment, in parallel
	}
	l.pls = make([][]segment.PostingsList, len(e.segs))
	df := make([]uint64, len(l.terms))
	for si, s := range e.segs {
		d, err := s.Segment().Dictionary(l.Field)
		if err != nil {
			return fmt.Errorf("read field %s: %w", l.Field, err)
		}
		l.pls[si] = make([]segment.PostingsList, len(l.terms))
		for ti, t := range l.terms {
			pl, err := d.PostingsList([]byte(t), s.Deleted(), nil)
			if err != nil {
				return fmt.Errorf("read %s:%s: %w", l.Field, t, err)
			}
			l.pls[si][ti] = pl
			df[ti] += pl.Count()
		}
	}
	if l.Scored {
		l.avg = avgWords
		if a := e.AvgLen[l.Field]; a > 0 {
			l.avg = math.Round(a*100) / 100 // a few tables of weights, not one per count
		}
		l.once = onceTable(l.avg)
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

// expand lists the terms of field, in any segment, that a accepts (nil
// for all) between start and end (nil for no bound), in order.
func (e *Snapshot) expand(field string, a segment.Automaton, start, end []byte) ([]string, error) {
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
				if e.s.MaxTerms > 0 && len(out) == e.s.MaxTerms {
					return nil, e.s.TooManyTerms
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
func (e *Snapshot) bitmaps(ctx context.Context, q query.Query) ([]*roaring.Bitmap, error) {
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

// Wanted is what run returns besides the total.
type Wanted struct {
	Keep  int      // hits to return
	Count []string // fields whose values to count in the matches
	// ByTime returns the first hits in time order (the TimeKey field)
	// instead of the best: those after the key After, among keys
	// starting with Prefix.
	ByTime        bool
	After, Prefix string
}

// Run counts the matches of p and returns the hits w asks for, with how
// many matches hold each value of the count fields. The index's segments
// are searched in parallel, one per core, the largest first.
func (e *Snapshot) Run(ctx context.Context, p *Plan, w Wanted) (*Result, error) {
	order := make([]int, len(e.segs))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(i, j int) bool { return e.segs[order[i]].Count() > e.segs[order[j]].Count() })
	parts := make([]*Result, min(runtime.GOMAXPROCS(0), len(e.segs)))
	ms := make([]*roaring.Bitmap, len(e.segs)) // each segment's matches, for a search by time
	var next atomic.Int64
	var wg sync.WaitGroup
	for i := range parts {
		part := newResult(w.Count)
		parts[i] = part
		wg.Go(func() { part.err = e.runPart(ctx, p, w, order, &next, part, ms) })
	}
	wg.Wait()
	res := newResult(w.Count)
	top := &hitHeap{}
	for _, part := range parts {
		if part.err != nil {
			return nil, part.err
		}
		res.Total += part.Total
		for f, vals := range part.Counts {
			for v, n := range vals {
				res.Counts[f][v] += n
			}
		}
		for _, h := range part.Hits {
			keepBest(top, h, w.Keep)
		}
	}
	if w.ByTime && w.Keep > 0 {
		var err error
		res.Hits, err = e.firstInTime(ms, w)
		return res, err
	}
	res.Hits = make([]Hit, top.Len())
	for i := len(res.Hits) - 1; i >= 0; i-- {
		res.Hits[i] = heap.Pop(top).(Hit)
	}
	return res, nil
}

func newResult(count []string) *Result {
	r := &Result{Counts: map[string]map[string]int{}}
	for _, f := range count {
		r.Counts[f] = map[string]int{}
	}
	return r
}

// runPart searches the segments it takes from order, by next, into part.
func (e *Snapshot) runPart(ctx context.Context, p *Plan, w Wanted, order []int, next *atomic.Int64, part *Result, ms []*roaring.Bitmap) error {
	top := &hitHeap{}
	defer func() { part.Hits = *top }()
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
		part.Total += m.GetCardinality()
		if m.IsEmpty() {
			continue
		}
		for _, f := range w.Count {
			if err := e.countValues(si, m, f, part.Counts[f]); err != nil {
				return err
			}
		}
		switch {
		case w.Keep == 0:
		case w.ByTime:
			ms[si] = m // the first in time are found across segments, after
		default:
			if err := e.score(p, si, m, top, w.Keep); err != nil {
				return err
			}
		}
	}
}

// Costs, in microseconds at a million segments, of the two ways to order
// an interview's matches in time; variables so that tests can take
// either way.
var (
	KeyStep  = 3.0 // one key of the time_key field and its postings
	KeyFetch = 4.0 // one document's stored fields
)

// firstInTime returns the first w.Keep matches in time order, given each
// segment's matches (nil for none). Interviews come first in that order:
// it takes them in order of id, merged across segments, and orders each
// one's matches either by reading their keys from their stored fields
// (few matches) or by walking the interview's keys in order until it has
// enough (many), whichever costs less, until it has w.Keep.
func (e *Snapshot) firstInTime(ms []*roaring.Bitmap, w Wanted) ([]Hit, error) {
	var start, end []byte
	switch {
	case w.Prefix != "": // one interview
		iv, _, _ := strings.Cut(w.Prefix, "\x00")
		start, end = []byte(iv), []byte(iv+"\x00")
	case w.After != "":
		iv, _, _ := strings.Cut(w.After, "\x00")
		start = []byte(iv)
	}
	ivs := &keyHeap{}
	for si, m := range ms {
		if m == nil || m.IsEmpty() {
			continue
		}
		d, err := e.segs[si].Segment().Dictionary(e.s.Interview)
		if err != nil {
			return nil, fmt.Errorf("read field %s: %w", e.s.Interview, err)
		}
		if err := ivs.next(si, d, termsOf(d, nil, start, end)); err != nil {
			return nil, err
		}
	}
	var out []Hit
	for ivs.Len() > 0 && len(out) < w.Keep {
		iv := (*ivs)[0].key
		in := make([]*roaring.Bitmap, len(ms)) // the interview's matches, per segment
		var n, all float64
		for ivs.Len() > 0 && (*ivs)[0].key == iv {
			k := heap.Pop(ivs).(segKey)
			pl, err := k.dict.PostingsList([]byte(iv), e.segs[k.seg].Deleted(), nil)
			if err != nil {
				return nil, fmt.Errorf("read %s:%s: %w", e.s.Interview, iv, err)
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
		need := w.Keep - len(out)
		var hits []Hit
		var err error
		if n*KeyFetch < float64(need)*all/n*KeyStep { // keys passed before need matches
			hits, err = e.inTimeStored(in, w.After, need)
		} else {
			hits, err = e.inTimeWalk(in, iv, w.After, need)
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
func (e *Snapshot) inTimeStored(in []*roaring.Bitmap, after string, need int) ([]Hit, error) {
	var out []Hit
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
				out = append(out, Hit{seg: si, doc: doc, Key: key})
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Key < out[j].Key })
	return out[:min(len(out), need)], nil
}

// inTimeWalk returns the first need documents of in, interview iv's
// matches, after the key after, walking the interview's keys in order,
// merged across segments.
func (e *Snapshot) inTimeWalk(in []*roaring.Bitmap, iv, after string, need int) ([]Hit, error) {
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
		d, err := e.segs[si].Segment().Dictionary(e.s.TimeKey)
		if err != nil {
			return nil, fmt.Errorf("read field %s: %w", e.s.TimeKey, err)
		}
		if err := keys.next(si, d, termsOf(d, nil, start, prefixEnd(prefix))); err != nil {
			return nil, err
		}
	}
	var out []Hit
	for keys.Len() > 0 && len(out) < need {
		k := heap.Pop(keys).(segKey)
		pl, err := k.dict.PostingsList([]byte(k.key), e.segs[k.seg].Deleted(), nil)
		if err != nil {
			return nil, fmt.Errorf("read %s:%s: %w", e.s.TimeKey, k.key, err)
		}
		docs := postingsSet(pl).Iterator()
		for docs.HasNext() {
			if doc := docs.Next(); in[k.seg].Contains(doc) {
				out = append(out, Hit{seg: k.seg, doc: uint64(doc), Key: k.key})
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

// timeKeyOf is a document's time key, from its stored fields.
func (e *Snapshot) timeKeyOf(si int, doc uint64) (string, error) {
	want := make(map[string]bool, len(e.s.TimeKeyFields))
	for _, f := range e.s.TimeKeyFields {
		want[f] = true
	}
	id, fields, err := e.document(si, doc, want)
	if err != nil {
		return "", err
	}
	return e.s.TimeKeyOf(id, fields), nil
}

// document reads a document's id and its stored fields (those in want;
// all for nil): text as strings, numbers as float64.
func (e *Snapshot) document(si int, doc uint64, want map[string]bool) (string, map[string]any, error) {
	id, err := e.segs[si].DocID(doc)
	if err != nil {
		return "", nil, fmt.Errorf("read document %d: %w", doc, err)
	}
	fields := map[string]any{}
	err = e.segs[si].VisitDocument(doc, func(field string, typ byte, value []byte, _ []uint64) bool {
		if want != nil && !want[field] {
			return true
		}
		switch typ {
		case 't':
			fields[field] = string(value)
		case 'n':
			if n, err := numeric.PrefixCoded(value).Int64(); err == nil {
				fields[field] = numeric.Int64ToFloat64(n)
			}
		}
		return true
	})
	if err != nil {
		return "", nil, fmt.Errorf("read document %s: %w", id, err)
	}
	return string(id), fields, nil
}

// keepBest adds h to top if it is among the best keep.
func keepBest(top *hitHeap, h Hit, keep int) {
	switch {
	case top.Len() < keep:
		heap.Push(top, h)
	case better(h, (*top)[0]):
		(*top)[0] = h
		heap.Fix(top, 0)
	}
}

// Result is what Run found.
type Result struct {
	Total  uint64
	Hits   []Hit                     // best first, or first in time
	Counts map[string]map[string]int // field → value → matches
	err    error                     // of a part
}

// countValues adds to counts how many documents of m, in segment si,
// hold each term of field: a facet counted on the postings' bitmaps,
// without reading any document.
func (e *Snapshot) countValues(si int, m *roaring.Bitmap, field string, counts map[string]int) error {
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

// Stored returns the stored text of a hit's field.
func (e *Snapshot) Stored(h Hit, field string) (string, error) {
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
func (e *Snapshot) matches(p *Plan, si int) (*roaring.Bitmap, error) {
	var m *roaring.Bitmap
	// Phrases are checked word position by word position: do them last,
	// on what the other clauses left.
	for _, phrases := range []bool{false, true} {
		for _, c := range p.clauses {
			if c.Neg || c.Partial || c.bonus || c.phrase != phrases {
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
		if !c.Neg {
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
func (e *Snapshot) atLeast(p *Plan, si int, within *roaring.Bitmap) (*roaring.Bitmap, error) {
	reached := make([]*roaring.Bitmap, p.min)
	for i := range reached {
		reached[i] = roaring.New()
	}
	for _, c := range p.clauses {
		if !c.Partial {
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
func (e *Snapshot) clauseSet(c *Clause, si int, within *roaring.Bitmap) (*roaring.Bitmap, error) {
	out := roaring.New()
	for _, l := range c.Leaves {
		switch {
		case l.ext != nil:
			out.Or(l.ext[si])
		case l.Kind == Phrase:
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
func (e *Snapshot) phraseSet(l *Leaf, si int, within *roaring.Bitmap) (*roaring.Bitmap, error) {
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

// StoredCost is how many postings the index walks in the time it takes
// to read one document's stored text and analyse it (measured at a
// million segments: about 4.4 µs against 15 ns); a variable so that
// tests can take either way.
var StoredCost uint64 = 300

// readsFewer reports whether checking a phrase's candidates in their
// stored text costs less than walking its words' postings to their
// positions: for few candidates among common words.
func (e *Snapshot) readsFewer(l *Leaf, si int, cand *roaring.Bitmap) bool {
	if len(e.s.Stored[l.Field]) == 0 {
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
	return cand.GetCardinality()*StoredCost < walk
}

// phraseInText adds to out the documents of cand, in segment si, whose
// stored text holds the phrase, read as the exact field's analyser does:
// the words and positions the index has.
func (e *Snapshot) phraseInText(l *Leaf, si int, cand, out *roaring.Bitmap) error {
	a := e.m.AnalyzerNamed(e.s.Exact)
	if a == nil {
		return fmt.Errorf("no analyser %s", e.s.Exact)
	}
	want := func(field string) bool {
		for _, f := range e.s.Stored[l.Field] {
			if f == field {
				return true
			}
		}
		return false
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
func (e *Snapshot) phraseWalk(l *Leaf, si int, cand *roaring.Bitmap, found func(doc uint64, locs []segment.Location)) error {
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
				return fmt.Errorf("phrase %q: postings of %q out of step", l.Text, l.terms[i])
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
func (e *Snapshot) score(p *Plan, si int, m *roaring.Bitmap, top *hitHeap, keep int) (err error) {
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
		if c.Neg {
			continue
		}
		for _, l := range c.Leaves {
			if !l.Scored || len(l.terms) == 0 {
				continue
			}
			within := m
			if l.Kind == Phrase {
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
				w := l.idf[ti] * l.Boost
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
					acc[d] += w * l.bm25(post.Frequency(), post.Norm())
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
				heap.Push(top, Hit{seg: si, doc: uint64(d), Score: score})
			case score > (*top)[0].Score || score == (*top)[0].Score && si < (*top)[0].seg:
				(*top)[0] = Hit{seg: si, doc: uint64(d), Score: score}
				heap.Fix(top, 0)
			}
		}
	}
	return nil
}

// coord is the share of a partial match's words that document d of
// segment si holds.
func coord(p *Plan, si int, d uint32) float64 {
	n := 0
	for _, c := range p.clauses {
		if c.Partial && c.sets[si] != nil && c.sets[si].Contains(d) {
			n++
		}
	}
	return float64(n) / float64(p.partial)
}

// bm25 is a term's weight in a document where it appears tf times, in l's
// field whose norm there is 1/√length.
func (l *Leaf) bm25(tf uint64, norm float64) float64 {
	length := int(l.avg + 0.5)
	if norm > 0 {
		length = int(1/(norm*norm) + 0.5)
	}
	if tf == 1 && length < len(l.once) {
		return l.once[length]
	}
	return bm25Of(float64(tf), float64(length), l.avg)
}

func bm25Of(tf, length, avg float64) float64 {
	return tf * (bm25K1 + 1) / (tf + bm25K1*(1-bm25B+bm25B*length/avg))
}

// onceTables hold the weight of a word found once in a field of n terms,
// the common case in lines of speech, for each average length met.
var onceTables sync.Map // float64 → *[128]float64

func onceTable(avg float64) *[128]float64 {
	if t, ok := onceTables.Load(avg); ok {
		return t.(*[128]float64)
	}
	t := new([128]float64)
	for n := range t {
		t[n] = bm25Of(1, float64(n), avg)
	}
	onceTables.Store(avg, t)
	return t
}

// better orders hits: higher score, then earlier in the index.
func better(a, b Hit) bool {
	if a.Score != b.Score {
		return a.Score > b.Score
	}
	return a.seg < b.seg || a.seg == b.seg && a.doc < b.doc
}

// hitHeap is a heap with the worst hit on top.
type hitHeap []Hit

func (h hitHeap) Len() int           { return len(h) }
func (h hitHeap) Less(i, j int) bool { return better(h[j], h[i]) }
func (h hitHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *hitHeap) Push(x any)        { *h = append(*h, x.(Hit)) }
func (h *hitHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

// Matches returns the document matches of hits with their stored fields
// and where p's words are in their text, read straight from the segments.
func (e *Snapshot) Matches(p *Plan, hits []Hit, fields []string) ([]*search.DocumentMatch, error) {
	want := make(map[string]bool, len(fields))
	for _, f := range fields {
		want[f] = true
	}
	out := make([]*search.DocumentMatch, 0, len(hits))
	for _, h := range hits {
		id, fs, err := e.document(h.seg, h.doc, want)
		if err != nil {
			return nil, err
		}
		dm := &search.DocumentMatch{ID: id, Score: h.Score, Fields: fs, Locations: search.FieldTermLocationMap{}}
		if e.s.Texts != nil {
			e.locate(p, dm, e.s.Texts(fs))
		}
		out = append(out, dm)
	}
	return out, nil
}

// locate records where the words of p's positive clauses are in a hit's
// texts (by exact field), reading them as the exact field's analyser
// does: for the few hits shown this costs less than reading the index's
// word positions, which lie deep in the postings of common words.
func (e *Snapshot) locate(p *Plan, dm *search.DocumentMatch, texts map[string]string) {
	a := e.m.AnalyzerNamed(e.s.Exact)
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
			if c.Neg {
				continue
			}
			for _, l := range c.Leaves {
				if !l.Scored || l.Field != field || len(l.terms) == 0 {
					continue
				}
				if l.Kind == Phrase {
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

// Reference is the score of hit h by a plain reading of the index, for
// tests of Run's ranking: each scored term's postings walked one by one
// to the document, without the bitmaps' shortcuts, its phrases checked
// anew, its weight computed afresh.
func (e *Snapshot) Reference(p *Plan, h Hit) (float64, error) {
	si, d := h.seg, h.doc
	one := roaring.New()
	one.Add(uint32(d))
	var score float64
	for _, c := range p.clauses {
		if c.Neg {
			continue
		}
		for _, l := range c.Leaves {
			if !l.Scored || len(l.terms) == 0 {
				continue
			}
			if l.Kind == Phrase {
				holds, err := e.holdsPhrase(l, si, one)
				if err != nil {
					return 0, err
				}
				if !holds {
					continue
				}
				if l.pairs != nil {
					l = l.pairs
				}
			}
			for ti, pl := range l.pls[si] {
				it := pl.Iterator(true, true, false, nil)
				for {
					post, err := it.Next()
					if err != nil {
						return 0, err
					}
					if post == nil || post.Number() > d {
						break
					}
					if post.Number() == d {
						avg := l.avg
						if avg == 0 {
							avg = avgWords
						}
						length := math.Round(avg)
						if n := post.Norm(); n > 0 {
							length = math.Round(1 / (n * n))
						}
						tf := float64(post.Frequency())
						score += l.idf[ti] * l.Boost * tf * (bm25K1 + 1) / (tf + bm25K1*(1-bm25B+bm25B*length/avg))
						break
					}
				}
			}
		}
	}
	if p.partial > 0 {
		n := 0
		for _, c := range p.clauses {
			if !c.Partial {
				continue
			}
			b, err := e.clauseSet(c, si, nil)
			if err != nil {
				return 0, err
			}
			if b.Contains(uint32(d)) {
				n++
			}
		}
		score *= float64(n) / float64(p.partial)
	}
	return score, nil
}

// holdsPhrase reports whether the one document of one holds phrase l, by
// walking its words' positions.
func (e *Snapshot) holdsPhrase(l *Leaf, si int, one *roaring.Bitmap) (bool, error) {
	for _, pl := range l.pls[si] {
		if !postingsSet(pl).Contains(one.Minimum()) {
			return false, nil
		}
	}
	found := false
	err := e.phraseWalk(l, si, one, func(uint64, []segment.Location) { found = true })
	return found, err
}
