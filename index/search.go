package index

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/recuerdo-archive/recuerdo/archive"
	"github.com/recuerdo-archive/recuerdo/subtitles"
	"github.com/recuerdo-archive/recuerdo/subtitles/lexicon"
)

// Options shape a search. The zero value asks for the 10 best hits that a
// public audience may see, as a flat list.
type Options struct {
	Limit    int            // hits (or, with Group, interviews) to return; 0 means 10
	Offset   int            // hits (or interviews) to skip
	After    string         // a Results.Next cursor: the page after it (instead of Offset)
	Lang     string         // only segments in this language, "" for all
	Audience archive.Access // who is looking
	Now      time.Time      // when, for seals; zero means time.Now()
	ByTime   bool           // order by interview, then time, instead of relevance
	Context  int            // segments of context before and after each hit
	FPS      float64        // frame rate for SMPTE timecodes; 0 uses the interview's media
	Group    bool           // group hits by interview, best interviews first
	// NoLexicon searches the words as typed only, without their
	// translations from the archive's bilingual lexicon.
	NoLexicon bool
	// Lexicon, when set, is used instead of the archive's (an index
	// without a catalogue, as the benchmark's, has none of its own).
	Lexicon  *lexicon.Lexicon
	PerGroup int // hits shown per interview with Group; 0 means 3
	// GroupScan is, with Group, how many of the best hits decide the
	// order of interviews (those whose hits all rank below follow, most
	// hits first); 0 means 300, and more than 10,000 counts as 10,000.
	GroupScan int
	Facets    bool // count hits per narrator, place, story decade, recording decade, language and collection
}

// Results is one page of a search.
type Results struct {
	Query string `json:"-"`
	// Total counts the matching segments the audience may see. Without a
	// language filter a segment and its aligned translation count once.
	Total  uint64             `json:"total"`
	Hits   []Hit              `json:"hits,omitempty"`   // flat results
	Groups []Group            `json:"groups,omitempty"` // with Options.Group
	Facets map[string][]Facet `json:"facets,omitempty"`
	// Interviews counts the interviews with a hit, with Options.Group.
	Interviews int `json:"interviews,omitempty"`
	// Next is a cursor for the following page ("" on the last page).
	Next string `json:"next,omitempty"`
	// Partial is set when no segment holds every word of the query and
	// the hits are those holding at least half of them (typos forgiven),
	// those with most first.
	Partial bool `json:"partial,omitempty"`
	// Typos is set when no segment holds the words as typed and every hit
	// was found with a typo forgiven (each hit's Typo is set too).
	Typos bool `json:"typos,omitempty"`
}

// Group is the best hits of one interview.
type Group struct {
	Interview string `json:"interview"`
	Title     string `json:"title"`
	Total     int    `json:"total"` // hits in this interview
	Hits      []Hit  `json:"hits"`
}

// Facet is how many hits share one value of a field.
type Facet struct {
	Value string `json:"value"`
	Count int    `json:"count"`
}

// FacetNames are the facets Options.Facets counts, keyed as in Results.Facets.
// "decade" counts the decades the story happened in (its story years),
// "recorded" the decades the interviews were recorded in.
var FacetNames = []string{"narrator", "place", "decade", "recorded", "lang", "collection"}

// facetSize is how many values of each facet a search counts.
const facetSize = 20

var facetFields = map[string]string{"narrator": fNarratorKW, "place": fPlaceKW, "decade": fStoryDecade, "recorded": fRecordedDecade, "lang": fLang, "collection": fCollectionKW}

// Hit is one matching segment.
type Hit struct {
	Interview   string       `json:"interview"`
	Title       string       `json:"title"`
	Lang        string       `json:"lang"`
	Track       int64        `json:"track"`
	Seq         int          `json:"seq"`
	StartMS     int64        `json:"start_ms"`
	EndMS       int64        `json:"end_ms"`
	Speaker     string       `json:"speaker"`
	Text        string       `json:"text"`
	Matches     [][2]int     `json:"matches"` // byte ranges of matched words in Text
	Score       float64      `json:"score"`
	Translation *Translation `json:"translation,omitempty"`
	// Via lists the hit's words that the query reached only through the
	// bilingual lexicon (a translation of a query word, where the line has
	// no translator's twin that matches): the hit was found through
	// translation.
	Via []string `json:"via,omitempty"`
	// Typo is set when the hit was found only by forgiving a typo in a
	// query word (mole finding mule): it holds the words as typed nowhere.
	Typo bool `json:"typo,omitempty"`
	// SMPTE timecodes of the hit in the interview's media (its frame rate
	// and start timecode), when a frame rate is known.
	TimecodeStart string    `json:"timecode_start,omitempty"`
	TimecodeEnd   string    `json:"timecode_end,omitempty"`
	Before        []Context `json:"before,omitempty"` // with Options.Context
	After         []Context `json:"after,omitempty"`

	id string // the index document, for cursors
}

// Context is a segment next to a hit.
type Context struct {
	Seq     int    `json:"seq"`
	StartMS int64  `json:"start_ms"`
	EndMS   int64  `json:"end_ms"`
	Speaker string `json:"speaker"`
	Text    string `json:"text"`
}

// Translation is a hit's aligned twin in another language.
type Translation struct {
	Lang    string   `json:"lang"`
	Text    string   `json:"text"`
	StartMS int64    `json:"start_ms"`
	EndMS   int64    `json:"end_ms"`
	Matches [][2]int `json:"matches,omitempty"` // byte ranges of matched words in Text
}

// groupScan is Options.GroupScan with its default and bound.
func (o Options) groupScan() int {
	switch {
	case o.GroupScan <= 0:
		return 300
	case o.GroupScan > 10_000:
		return 10_000
	}
	return o.GroupScan
}

// Search runs a query in recuerdo's query language over the index; a is
// the catalogue the index was built from, used to check access once more
// and to add titles and context. a is nil only for an index built with Add.
func (ix *Index) Search(ctx context.Context, a *archive.Archive, q string, opt Options) (*Results, error) {
	if ix.remote != nil { // OpenSearch (opensearch_search.go)
		return ix.remote.search(ctx, ix, a, q, opt)
	}
	clauses, opt, err := prepare(ctx, a, q, opt)
	if err != nil {
		return nil, err
	}
	s := &searcher{ix: ix, a: a, q: q, opt: opt, clauses: clauses, query: fullQuery(clauses, opt, strict), hl: newHighlighter(ix.bi.Mapping(), clauses),
		views: map[string]*archive.View{}, tracks: map[int64][]archive.Segment{}}
	run := s.flat
	if opt.Group {
		run = s.grouped
	}
	res, err := run(ctx)
	if err != nil || res.Total > 0 {
		return res, err
	}
	// Nothing matched as typed: forgive a typo in the longer words. Doing
	// this only when needed keeps common words fast and their hits exact.
	if mayForgive(clauses) {
		s.mode, s.query = forgiving, fullQuery(clauses, opt, forgiving)
		if res, err = run(ctx); err != nil || res.Total > 0 {
			if err == nil {
				markTypos(res)
			}
			return res, err
		}
	}
	// Still nothing: no one segment holds every word (a story is told over
	// several). Show the segments with most of them, and say so.
	if mayRelax(clauses) {
		s.mode, s.query = partial, fullQuery(clauses, opt, partial)
		if res, err = run(ctx); err == nil {
			res.Partial = res.Total > 0
		}
	}
	return res, err
}

// markTypos flags results found only with typos forgiven: nothing matched
// the words as typed, so each hit has a word it holds only with a typo.
func markTypos(res *Results) {
	res.Typos = true
	for i := range res.Hits {
		res.Hits[i].Typo = true
	}
	for g := range res.Groups {
		for i := range res.Groups[g].Hits {
			res.Groups[g].Hits[i].Typo = true
		}
	}
}

// fullQuery is the user's query with the audience's and language's filters.
// Filters are exclusions where they can be: what an audience may not see
// and the translation side of a pair are usually the smaller sets, and
// skipping a few documents costs less than confirming every match.
func fullQuery(clauses []clause, opt Options, mode matching) query.Query {
	must, mustNot := buildClauses(clauses, mode)
	full := bleve.NewBooleanQuery()
	full.AddMust(must...)
	full.AddMustNot(mustNot...)
	full.AddMustNot(hiddenFrom(opt.Audience, opt.Now)...)
	switch {
	case opt.Lang != "":
		// A filter is not scored: its postings are read without their
		// frequencies, and only for documents the words already match.
		l := bleve.NewTermQuery(opt.Lang)
		l.SetField(fLang)
		full.AddFilter(l)
	case !choosesLang(clauses):
		p := bleve.NewTermQuery("n")
		p.SetField(fPrimary)
		full.AddMustNot(p)
	}
	return full
}

// choosesLang reports whether the query asks for a language (lang:en):
// then translations are shown in their own right, as with Options.Lang.
func choosesLang(clauses []clause) bool {
	for _, c := range clauses {
		if !c.neg && len(c.alts) == 1 && c.alts[0].field == "lang" {
			return true
		}
	}
	return false
}

// prepare parses q, fills opt's defaults and checks them, and expands the
// query's words with the lexicon: the steps every backend's search takes
// first.
func prepare(ctx context.Context, a *archive.Archive, q string, opt Options) ([]clause, Options, error) {
	clauses, err := parse(q)
	if err != nil {
		return nil, opt, err
	}
	if len(clauses) == 0 {
		return nil, opt, &QueryError{Query: q, Pos: 1, Msg: "empty query"}
	}
	if opt.Limit <= 0 {
		opt.Limit = 10
	}
	if opt.PerGroup <= 0 {
		opt.PerGroup = 3
	}
	if opt.Now.IsZero() {
		opt.Now = time.Now()
	}
	if err := checkOptions(opt); err != nil {
		return nil, opt, err
	}
	switch {
	case opt.NoLexicon:
	case opt.Lexicon != nil:
		expandLexicon(clauses, opt.Lexicon)
	case a != nil:
		lx, err := a.Lexicon(ctx)
		if err != nil {
			return nil, opt, err
		}
		expandLexicon(clauses, lx)
	}
	return clauses, opt, nil
}

// searcher runs one search, caching what it reads from the catalogue.
type searcher struct {
	ix      *Index
	a       *archive.Archive
	q       string
	opt     Options
	clauses []clause
	mode    matching
	query   query.Query // the same search for bleve
	hl      *highlighter
	views   map[string]*archive.View
	tracks  map[int64][]archive.Segment
}

var hitFields = []string{fInterview, fTrack, fSeq, fLang, fTextES, fTextEN, fTextOther, fSpeaker, fStart, fEnd, fTwinLang, fTwinText, fTwinStart, fTwinEnd}

func (s *searcher) request(q query.Query, size, from int) *bleve.SearchRequest {
	req := bleve.NewSearchRequestOptions(q, size, from, false)
	req.Fields = hitFields
	req.IncludeLocations = true
	if s.opt.ByTime {
		req.SortByCustom(search.SortOrder{&search.SortField{Field: fTimeKey, Type: search.SortFieldAsString}})
	} else {
		// Equal scores keep the index's own order. A tie-break on _id
		// would read the stored id of every match, not just the top:
		// five times the cost of the search itself at a million segments.
		req.SortBy([]string{"-_score"})
	}
	return req
}

func (s *searcher) addFacets(req *bleve.SearchRequest) {
	if !s.opt.Facets {
		return
	}
	for _, name := range FacetNames {
		req.AddFacet(name, bleve.NewFacetRequest(facetFields[name], facetSize))
	}
}

func (s *searcher) flat(ctx context.Context) (*Results, error) {
	from, next := s.opt.Offset, s.opt.Offset+s.opt.Limit
	var cur cursor
	if s.opt.After != "" {
		var err error
		if cur, err = decodeCursor(s.opt.After, s.opt.ByTime); err != nil {
			return nil, err
		}
		if !s.opt.ByTime {
			// Relevance scores can shift by a rounding error when the
			// index merges its segments, so pages of a ranked list are
			// counted by position instead.
			from, next = cur.offset, cur.offset+s.opt.Limit
			if from > MaxOffset {
				return nil, &LimitError{Limit: "offset", Got: from, Max: MaxOffset, Hint: "narrow the query instead"}
			}
		}
	}
	if !s.ix.bleveOnly {
		w, skip := wanted{keep: next, count: s.facetFields(), byTime: s.opt.ByTime}, from
		if s.opt.ByTime && s.opt.After != "" {
			w.keep, w.after, skip = s.opt.Limit, cur.after[0], 0
		}
		if res, ok, err := s.flatEngine(ctx, w, skip, next); ok || err != nil {
			return res, err
		}
	}
	req := s.request(s.query, s.opt.Limit, from)
	if s.opt.After != "" && s.opt.ByTime {
		req.From = 0
		req.SetSearchAfter(cur.after)
	}
	s.addFacets(req)
	res, err := s.ix.bi.SearchInContext(ctx, req)
	if err != nil {
		return nil, fmt.Errorf("search %q: %w", s.q, err)
	}
	return s.page(ctx, res.Hits, res.Total, facetsOf(res), next)
}

// flatEngine runs a flat search with the segment engine (ok is true
// unless it fails).
func (s *searcher) flatEngine(ctx context.Context, w wanted, from, next int) (res *Results, ok bool, err error) {
	e, err := s.ix.openEngine()
	if err != nil {
		return nil, false, err
	}
	defer e.close()
	p, err := e.compile(ctx, s.clauses, s.opt, s.mode)
	if err != nil {
		return nil, false, fmt.Errorf("search %q: %w", s.q, err)
	}
	r, err := e.run(ctx, p, w)
	if err != nil {
		return nil, false, fmt.Errorf("search %q: %w", s.q, err)
	}
	hits, err := e.matchesOf(p, r.hits[min(from, len(r.hits)):], hitFields)
	if err != nil {
		return nil, false, fmt.Errorf("search %q: %w", s.q, err)
	}
	res, err = s.page(ctx, hits, r.total, s.facetsOf(r.counts), next)
	return res, true, err
}

// facetFields are the fields the engine counts for Options.Facets.
func (s *searcher) facetFields() []string {
	if !s.opt.Facets {
		return nil
	}
	var out []string
	for _, name := range FacetNames {
		out = append(out, facetFields[name])
	}
	return out
}

// facetsOf turns the engine's counts into facets, as bleve orders them:
// most hits first, then by value, the first facetSize of each.
func (s *searcher) facetsOf(counts map[string]map[string]int) map[string][]Facet {
	if !s.opt.Facets {
		return nil
	}
	out := map[string][]Facet{}
	for _, name := range FacetNames {
		list := []Facet{}
		for v, n := range counts[facetFields[name]] {
			list = append(list, Facet{Value: v, Count: n})
		}
		sort.Slice(list, func(i, j int) bool {
			if list[i].Count != list[j].Count {
				return list[i].Count > list[j].Count
			}
			return list[i].Value < list[j].Value
		})
		out[name] = list[:min(len(list), facetSize)]
	}
	return out
}

// page turns one page of index hits into results.
func (s *searcher) page(ctx context.Context, hits search.DocumentMatchCollection, total uint64, facets map[string][]Facet, next int) (*Results, error) {
	out := &Results{Query: s.q, Total: total, Hits: []Hit{}, Facets: facets}
	hidden := 0
	var last *Hit
	for _, h := range hits {
		hit := s.hitOf(h)
		last = &hit
		ok, err := s.finish(ctx, &hit)
		if err != nil {
			return nil, err
		}
		if !ok {
			hidden++
			continue
		}
		out.Hits = append(out.Hits, hit)
	}
	out.Total -= uint64(hidden)
	if last != nil && len(hits) == s.opt.Limit && (s.opt.ByTime && s.opt.After != "" || uint64(next) < total) {
		out.Next = encodeCursor(*last, next, s.opt.ByTime)
	}
	return out, nil
}

// byScoreThenID sorts hits best first, equal scores by document id.
func byScoreThenID(hits search.DocumentMatchCollection) {
	sort.SliceStable(hits, func(i, j int) bool {
		if hits[i].Score != hits[j].Score {
			return hits[i].Score > hits[j].Score
		}
		return hits[i].ID < hits[j].ID
	})
}

// grouped ranks interviews by their best hit and shows the best few hits
// of each interview on the page.
func (s *searcher) grouped(ctx context.Context) (*Results, error) {
	offset := s.opt.Offset
	if s.opt.After != "" {
		n, err := strconv.Atoi(strings.TrimPrefix(s.opt.After, "g"))
		if err != nil || !strings.HasPrefix(s.opt.After, "g") || n < 0 {
			return nil, &CursorError{Cursor: s.opt.After}
		}
		if n > MaxOffset {
			return nil, &LimitError{Limit: "offset", Got: n, Max: MaxOffset, Hint: "narrow the query instead"}
		}
		offset = n
	}
	if !s.ix.bleveOnly {
		if res, ok, err := s.groupedEngine(ctx, offset); ok || err != nil {
			return res, err
		}
	}
	req := bleve.NewSearchRequestOptions(s.query, s.opt.groupScan(), 0, false)
	req.Fields = []string{fInterview}
	if s.opt.ByTime {
		req.Size = 0
	}
	req.AddFacet("interviews", bleve.NewFacetRequest(fInterview, 1<<20))
	s.addFacets(req)
	res, err := s.ix.bi.SearchInContext(ctx, req)
	if err != nil {
		return nil, fmt.Errorf("search %q: %w", s.q, err)
	}
	out := &Results{Query: s.q, Total: res.Total, Groups: []Group{}, Facets: facetsOf(res)}
	delete(out.Facets, "interviews")
	counts := map[string]int{}
	var order []string
	if f := res.Facets["interviews"]; f != nil && f.Terms != nil {
		for _, t := range f.Terms.Terms() {
			counts[t.Term] = t.Count
		}
	}
	byScoreThenID(res.Hits) // equal scores in id order, as in a flat search
	seen := map[string]bool{}
	scanned := map[string][]string{} // an interview's best hits in the scan, best first
	scores := map[string]float64{}
	for _, h := range res.Hits {
		id, _ := h.Fields[fInterview].(string)
		if id == "" {
			continue
		}
		if !seen[id] {
			seen[id] = true
			order = append(order, id)
		}
		scanned[id] = append(scanned[id], h.ID)
		scores[h.ID] = h.Score
	}
	order = s.withRest(order, counts)
	out.Interviews = len(order)
	// The scan already ranked the best hits of most interviews on the
	// page: fetch those together, and ask the index again only for an
	// interview whose best hits fell below the scan.
	page := order[min(offset, len(order)):min(offset+s.opt.Limit, len(order))]
	var ids []string
	for _, id := range page {
		if n := min(s.opt.PerGroup, counts[id]); len(scanned[id]) >= n {
			ids = append(ids, scanned[id][:n]...)
		}
	}
	fetched := map[string]*search.DocumentMatch{}
	if len(ids) > 0 {
		q := bleve.NewBooleanQuery()
		q.AddMust(s.query, bleve.NewDocIDQuery(ids))
		res, err := s.ix.bi.SearchInContext(ctx, s.request(q, len(ids), 0))
		if err != nil {
			return nil, fmt.Errorf("search %q: %w", s.q, err)
		}
		for _, h := range res.Hits {
			h.Score = scores[h.ID] // the query's own score, without the id filter's
			fetched[h.ID] = h
		}
	}
	for _, id := range page {
		g := Group{Interview: id, Total: counts[id], Hits: []Hit{}}
		var best []*search.DocumentMatch
		if n := min(s.opt.PerGroup, counts[id]); len(scanned[id]) >= n {
			for _, doc := range scanned[id][:n] {
				if h := fetched[doc]; h != nil {
					best = append(best, h)
				}
			}
		} else {
			q := bleve.NewBooleanQuery()
			q.AddMust(s.query, interviewQuery(id))
			res, err := s.ix.bi.SearchInContext(ctx, s.request(q, s.opt.PerGroup, 0))
			if err != nil {
				return nil, fmt.Errorf("search %q in %s: %w", s.q, id, err)
			}
			g.Total, best = int(res.Total), res.Hits
		}
		if err := s.addGroup(ctx, out, g, best); err != nil {
			return nil, err
		}
	}
	if offset+s.opt.Limit < len(order) {
		out.Next = "g" + strconv.Itoa(offset+s.opt.Limit)
	}
	return out, nil
}

// groupedEngine runs a grouped search with the segment engine, as
// grouped does with bleve (ok is true unless it fails).
func (s *searcher) groupedEngine(ctx context.Context, offset int) (res *Results, ok bool, err error) {
	e, err := s.ix.openEngine()
	if err != nil {
		return nil, false, err
	}
	defer e.close()
	fail := func(err error) (*Results, bool, error) { return nil, true, fmt.Errorf("search %q: %w", s.q, err) }
	p, err := e.compile(ctx, s.clauses, s.opt, s.mode)
	if err != nil {
		return fail(err)
	}
	w := wanted{keep: s.opt.groupScan(), count: append(s.facetFields(), fInterview)}
	if s.opt.ByTime {
		w.keep = 0 // interviews in id order, each one's hits in time order
	}
	r, err := e.run(ctx, p, w)
	if err != nil {
		return fail(err)
	}
	counts := r.counts[fInterview]
	out := &Results{Query: s.q, Total: r.total, Groups: []Group{}, Facets: s.facetsOf(r.counts)}
	var order []string
	scanned := map[string][]ehit{} // an interview's best hits in the scan, best first
	for _, h := range r.hits {
		id, err := e.stored(h, fInterview)
		if err != nil {
			return fail(err)
		}
		if _, seen := scanned[id]; !seen {
			order = append(order, id)
		}
		scanned[id] = append(scanned[id], h)
	}
	order = s.withRest(order, counts)
	out.Interviews = len(order)
	for _, id := range order[min(offset, len(order)):min(offset+s.opt.Limit, len(order))] {
		g := Group{Interview: id, Total: counts[id], Hits: []Hit{}}
		best := scanned[id]
		if n := min(s.opt.PerGroup, counts[id]); len(best) >= n {
			best = best[:n]
		} else {
			// Its best hits fell below the scan (or, by time, were not
			// scanned): search this interview.
			within, err := e.narrow(p, fInterview, id)
			if err != nil {
				return fail(err)
			}
			r, err := e.run(ctx, within, wanted{keep: s.opt.PerGroup, byTime: s.opt.ByTime, prefix: id + "\x00"})
			if err != nil {
				return fail(err)
			}
			best = r.hits
		}
		dms, err := e.matchesOf(p, best, hitFields)
		if err != nil {
			return fail(err)
		}
		if err := s.addGroup(ctx, out, g, dms); err != nil {
			return nil, true, err
		}
	}
	if offset+s.opt.Limit < len(order) {
		out.Next = "g" + strconv.Itoa(offset+s.opt.Limit)
	}
	return out, true, nil
}

// withRest follows the interviews ordered by the scan with those whose
// hits all fell below it: most hits first (by id in a search by time).
func (s *searcher) withRest(order []string, counts map[string]int) []string {
	seen := make(map[string]bool, len(order))
	for _, id := range order {
		seen[id] = true
	}
	var rest []string
	for id := range counts {
		if !seen[id] {
			rest = append(rest, id)
		}
	}
	sort.Slice(rest, func(i, j int) bool {
		if !s.opt.ByTime && counts[rest[i]] != counts[rest[j]] {
			return counts[rest[i]] > counts[rest[j]]
		}
		return rest[i] < rest[j]
	})
	return append(order, rest...)
}

// addGroup adds to g the hits the audience may see, and g to out when
// it has any; hidden hits leave the counts.
func (s *searcher) addGroup(ctx context.Context, out *Results, g Group, hits []*search.DocumentMatch) error {
	for _, h := range hits {
		hit := s.hitOf(h)
		ok, err := s.finish(ctx, &hit)
		if err != nil {
			return err
		}
		if !ok {
			g.Total--
			out.Total--
			continue
		}
		g.Title = hit.Title
		g.Hits = append(g.Hits, hit)
	}
	if len(g.Hits) > 0 {
		out.Groups = append(out.Groups, g)
	}
	return nil
}

// finish checks a hit against the catalogue and fills in what the index
// does not hold. It reports false for a hit the audience may not see.
func (s *searcher) finish(ctx context.Context, hit *Hit) (bool, error) {
	if s.a == nil {
		return true, nil
	}
	opt := s.opt
	v, ok := s.views[hit.Interview]
	if !ok {
		var err error
		v, err = s.a.View(ctx, hit.Interview, opt.Audience, opt.Now, false)
		if err != nil {
			return false, fmt.Errorf("search %q: %w", s.q, behind(hit.Interview, err))
		}
		s.views[hit.Interview] = v
	}
	if !v.Segment(hit.Track, hit.Seq) {
		// The index filter should have kept this out; the catalogue decides.
		return false, nil
	}
	iv := v.Interview()
	hit.Title = iv.Title
	timecodes(hit, iv, opt.FPS)
	markStoryYears(hit, iv, s.clauses)
	if opt.Context > 0 {
		segs, ok := s.tracks[hit.Track]
		if !ok {
			var err error
			if segs, err = s.a.Segments(ctx, hit.Track); err != nil {
				return false, err
			}
			s.tracks[hit.Track] = segs
		}
		hit.Before, hit.After = around(segs, hit.Track, hit.Seq, opt.Context, v)
	}
	return true, nil
}

func facetsOf(res *bleve.SearchResult) map[string][]Facet {
	if len(res.Facets) == 0 {
		return nil
	}
	out := map[string][]Facet{}
	for name, f := range res.Facets {
		list := []Facet{}
		if f.Terms != nil {
			for _, t := range f.Terms.Terms() {
				list = append(list, Facet{Value: t.Term, Count: t.Count})
			}
		}
		out[name] = list
	}
	return out
}

// cursor is where a page ended: the sort values of its last hit (by
// time) or the position after it (by relevance).
type cursor struct {
	after  []string
	offset int
}

func encodeCursor(h Hit, next int, byTime bool) string {
	var vals []string
	if byTime {
		vals = []string{"t", h.Interview, strconv.FormatInt(h.StartMS, 10), h.Lang, h.id}
	} else {
		vals = []string{"r", strconv.Itoa(next)}
	}
	b, _ := json.Marshal(vals)
	return base64.RawURLEncoding.EncodeToString(b)
}

func decodeCursor(c string, byTime bool) (cursor, error) {
	bad := &CursorError{Cursor: c}
	var vals []string
	b, err := base64.RawURLEncoding.DecodeString(c)
	if err == nil {
		err = json.Unmarshal(b, &vals)
	}
	if err != nil || len(vals) == 0 {
		return cursor{}, bad
	}
	switch {
	case byTime && vals[0] == "t" && len(vals) == 5:
		ms, err := strconv.ParseInt(vals[2], 10, 64)
		if err != nil {
			return cursor{}, bad
		}
		return cursor{after: []string{timeKey(vals[1], ms, vals[3], vals[4])}}, nil
	case !byTime && vals[0] == "r" && len(vals) == 2:
		n, err := strconv.Atoi(vals[1])
		if err != nil || n < 0 {
			return cursor{}, bad
		}
		return cursor{offset: n}, nil
	}
	return cursor{}, bad
}

// timecodes sets a hit's SMPTE timecodes from the interview's first media
// reference, or fps when given.
func timecodes(h *Hit, iv *archive.Interview, fps float64) {
	start := ""
	if len(iv.Media) > 0 {
		start = iv.Media[0].StartTimecode
		if fps == 0 {
			fps = iv.Media[0].FPS
		}
	}
	if fps <= 0 {
		return
	}
	a, err1 := subtitles.SMPTE(time.Duration(h.StartMS)*time.Millisecond, fps, start)
	b, err2 := subtitles.SMPTE(time.Duration(h.EndMS)*time.Millisecond, fps, start)
	if err1 == nil && err2 == nil {
		h.TimecodeStart, h.TimecodeEnd = a, b
	}
}

// around returns up to n visible segments before and after seq.
func around(segs []archive.Segment, track int64, seq, n int, v *archive.View) (before, after []Context) {
	ctxOf := func(s archive.Segment) Context {
		return Context{Seq: s.Seq, StartMS: s.StartMS, EndMS: s.EndMS, Speaker: s.Speaker, Text: s.Text}
	}
	for i := range segs {
		if segs[i].Seq != seq {
			continue
		}
		for k := max(0, i-n); k < i; k++ {
			if v.Segment(track, segs[k].Seq) {
				before = append(before, ctxOf(segs[k]))
			}
		}
		for k := i + 1; k <= min(len(segs)-1, i+n); k++ {
			if v.Segment(track, segs[k].Seq) {
				after = append(after, ctxOf(segs[k]))
			}
		}
		break
	}
	return before, after
}

// hiddenFrom matches what the audience may not see: interviews above
// its access level and segments under a seal still in force for it.
func hiddenFrom(aud archive.Access, now time.Time) []query.Query {
	hidden := []query.Query{sealFilter(aud, now)}
	for a := aud + 1; a <= archive.Staff; a++ {
		t := bleve.NewTermQuery(a.String())
		t.SetField(fAccess)
		hidden = append(hidden, t)
	}
	return hidden
}

// sealFilter matches segments under a seal the audience may not see yet.
func sealFilter(aud archive.Access, now time.Time) query.Query {
	lvl := float64(aud) + 1
	day := float64(now.Unix()/86400) + 1
	inc := true
	l := bleve.NewNumericRangeInclusiveQuery(&lvl, nil, &inc, nil)
	l.SetField(fSealLevel)
	u := bleve.NewNumericRangeInclusiveQuery(&day, nil, &inc, nil)
	u.SetField(fSealUntil)
	return bleve.NewConjunctionQuery(l, u)
}

func (s *searcher) hitOf(h *search.DocumentMatch) Hit {
	str := func(f string) string { s, _ := h.Fields[f].(string); return s }
	num := func(f string) float64 { n, _ := h.Fields[f].(float64); return n }
	hit := Hit{
		Interview: str(fInterview), Lang: str(fLang), Track: int64(num(fTrack)), Seq: int(num(fSeq)),
		StartMS: int64(num(fStart)), EndMS: int64(num(fEnd)), Speaker: str(fSpeaker), Score: h.Score,
		Matches: [][2]int{}, id: h.ID,
	}
	hit.Text = str(textField(hit.Lang))
	hit.Matches = mergeRanges(append(locations(h, hit.Text, fExact), s.hl.ranges(hit.Text, hit.Lang)...))
	if tl := str(fTwinLang); tl != "" {
		start, _ := strconv.ParseInt(str(fTwinStart), 10, 64)
		end, _ := strconv.ParseInt(str(fTwinEnd), 10, 64)
		hit.Translation = &Translation{Lang: tl, Text: str(fTwinText), StartMS: start, EndMS: end}
		if m := mergeRanges(append(locations(h, hit.Translation.Text, fTwinExact), s.hl.ranges(hit.Translation.Text, tl)...)); len(m) > 0 {
			hit.Translation.Matches = m
		}
	}
	if via := s.hl.lexRanges(hit.Text, hit.Lang); len(via) > 0 {
		hit.Matches = mergeRanges(append(hit.Matches, via...))
		if hit.Translation == nil || len(hit.Translation.Matches) == 0 {
			for _, r := range via {
				hit.Via = append(hit.Via, hit.Text[r[0]:r[1]])
			}
		}
	}
	return hit
}
