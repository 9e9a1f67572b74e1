package index

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/numeric"
	"github.com/blevesearch/bleve/v2/search"

	"github.com/recuerdo-archive/recuerdo/archive"
	eng "github.com/recuerdo-archive/recuerdo/index/internal/engine"
)

// Searches on the OpenSearch backend: the query is parsed, limited and
// expanded through the lexicon as for bleve (parse, limitQuery,
// expandLexicon), each clause's alts (altsOf, the same the segment engine
// reads) become query DSL, and the hits are finished by the searcher's
// own page, addGroup, hitOf and finish: the same translations, timecodes,
// context, highlights and access re-check against the catalogue.

// osSearchResp is the part of a search's answer read here.
type osSearchResp struct {
	Hits struct {
		Total struct {
			Value uint64 `json:"value"`
		} `json:"total"`
		Hits []osHit `json:"hits"`
	} `json:"hits"`
	Aggregations map[string]osAgg `json:"aggregations"`
}

type osHit struct {
	ID     string         `json:"_id"`
	Score  *float64       `json:"_score"`
	Source map[string]any `json:"_source"`
	Sort   []any          `json:"sort"`
}

type osAgg struct {
	AfterKey map[string]any `json:"after_key"` // of a composite aggregation
	Buckets  []struct {
		Key      any `json:"key"`
		DocCount int `json:"doc_count"`
	} `json:"buckets"`
}

// search is Index.Search on the cluster: the same steps (typos forgiven
// when nothing matches as typed, then a partial match).
func (ix *osIndex) search(ctx context.Context, owner *Index, a *archive.Archive, q string, opt Options) (*Results, error) {
	clauses, opt, err := prepare(ctx, a, q, opt)
	if err != nil {
		return nil, err
	}
	s := &searcher{ix: owner, a: a, q: q, opt: opt, clauses: clauses, hl: newHighlighter(ix.m, clauses),
		views: map[string]*archive.View{}, tracks: map[int64][]archive.Segment{}}
	o := &osSearch{ix: ix, s: s}
	run := o.flat
	if opt.Group {
		run = o.grouped
	}
	o.prepare(strict)
	res, err := run(ctx)
	if err != nil || res.Total > 0 {
		return res, err
	}
	if mayForgive(clauses) {
		o.prepare(forgiving)
		if res, err = run(ctx); err != nil || res.Total > 0 {
			if err == nil {
				markTypos(res)
			}
			return res, err
		}
	}
	if mayRelax(clauses) {
		o.prepare(partial)
		if res, err = run(ctx); err == nil {
			res.Partial = res.Total > 0
		}
	}
	return res, err
}

// osSearch is one search on the cluster.
type osSearch struct {
	ix     *osIndex
	s      *searcher
	query  map[string]any // the query DSL for s.mode
	leaves []osLeaf       // what locate marks in a hit's words
}

// prepare compiles the query for a matching mode.
func (o *osSearch) prepare(mode matching) {
	o.s.mode = mode
	o.query = osQuery(o.s.clauses, o.s.opt, mode)
	o.leaves = osLeaves(o.ix.m.AnalyzerNamed(analyzerExact), o.s.clauses, mode)
}

// osQuery is fullQuery in the query DSL: the user's clauses, the
// audience's and language's filters, and (scoring only) the pairs of
// neighbouring words the segment engine adds.
func osQuery(clauses []clause, opt Options, mode matching) map[string]any {
	var must, mustNot, should, filter, words []any
	for _, c := range clauses {
		var alts []any
		for _, t := range c.alts {
			for _, a := range altsOf(t, mode >= forgiving) {
				alts = append(alts, osAltQuery(a))
			}
		}
		q := alts[0]
		if len(alts) > 1 {
			q = map[string]any{"bool": map[string]any{"should": alts, "minimum_should_match": 1}}
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
		must = append(must, map[string]any{"bool": map[string]any{"should": words, "minimum_should_match": (len(words) + 1) / 2}})
	}
	if len(must) == 0 {
		must = append(must, map[string]any{"match_all": map[string]any{}})
	}
	for a := opt.Audience + 1; a <= archive.Staff; a++ {
		mustNot = append(mustNot, osTerm(fAccess, a.String()))
	}
	mustNot = append(mustNot, osSealed(opt.Audience, opt.Now))
	switch {
	case opt.Lang != "":
		filter = append(filter, osTerm(fLang, opt.Lang))
	case !choosesLang(clauses):
		mustNot = append(mustNot, osTerm(fPrimary, "n"))
	}
	for i := 1; i < len(clauses); i++ {
		a, b := neighbourWord(clauses[i-1], mode), neighbourWord(clauses[i], mode)
		if a == nil || b == nil {
			continue
		}
		for _, f := range []string{fExact, fTwinExact} {
			should = append(should, map[string]any{"span_near": map[string]any{
				"clauses": []any{a(f), b(f)}, "slop": 0, "in_order": true, "boost": schema.NeighbourBoost[f]}})
		}
	}
	b := map[string]any{"must": must}
	for k, v := range map[string][]any{"must_not": mustNot, "should": should, "filter": filter} {
		if len(v) > 0 {
			b[k] = v
		}
	}
	return map[string]any{"bool": b}
}

// neighbourWord is, for a clause that is a plain word (the engine's
// Clause.Word), the span query of its forms in an exact field: the word
// as typed and, where typos are forgiven, the words within its edits (at
// most the engine's 16 forms). Two neighbouring words score the lines
// holding them side by side, as the engine's pairs do. nil for another
// clause.
func neighbourWord(c clause, mode matching) func(field string) map[string]any {
	if c.neg || len(c.alts) != 1 {
		return nil
	}
	t := c.alts[0]
	if t.field != "" || t.phrase || t.prefix {
		return nil
	}
	return func(field string) map[string]any {
		var forms []any
		for _, a := range altsOf(t, mode >= forgiving) {
			switch {
			case a.field != field:
			case a.kind == altTerm:
				forms = append(forms, map[string]any{"span_term": map[string]any{field: a.text}})
			case a.kind == altFuzzy:
				forms = append(forms, map[string]any{"span_multi": map[string]any{"match": map[string]any{"fuzzy": map[string]any{field: map[string]any{
					"value": a.text, "fuzziness": a.fuzziness, "prefix_length": 0, "transpositions": true, "max_expansions": 16}}}}})
			}
		}
		if len(forms) == 1 {
			return forms[0].(map[string]any)
		}
		return map[string]any{"span_or": map[string]any{"clauses": forms}}
	}
}

func osTerm(field, value string) map[string]any {
	return map[string]any{"term": map[string]any{field: value}}
}

// osSealed matches segments under a seal the audience may not see yet,
// as sealFilter does.
func osSealed(aud archive.Access, now time.Time) map[string]any {
	lvl := int64(aud) + 1
	day := now.Unix()/86400 + 1
	return map[string]any{"bool": map[string]any{"filter": []any{
		map[string]any{"range": map[string]any{fSealLevel: map[string]any{"gte": lvl}}},
		map[string]any{"range": map[string]any{fSealUntil: map[string]any{"gte": day}}},
	}}}
}

// osAltQuery is one alt as query DSL.
func osAltQuery(a alt) map[string]any {
	with := func(kind string, body map[string]any) map[string]any {
		if a.boost != 1 && a.kind != altRange {
			body["boost"] = a.boost
		}
		return map[string]any{kind: map[string]any{a.field: body}}
	}
	switch a.kind {
	case altMatch:
		return with("match", map[string]any{"query": a.text})
	case altTerm:
		if a.field == fStoryYear {
			// bleve's term is the year coded as a number (yearTerm).
			if v, err := numeric.PrefixCoded(a.text).Int64(); err == nil {
				return with("term", map[string]any{"value": int64(numeric.Int64ToFloat64(v))})
			}
		}
		return with("term", map[string]any{"value": a.text})
	case altFuzzy:
		return with("fuzzy", map[string]any{"value": a.text, "fuzziness": a.fuzziness, "prefix_length": 0,
			"transpositions": true, "max_expansions": MaxExpansions})
	case altPrefix:
		return with("prefix", map[string]any{"value": a.text})
	case altPhrase:
		return with("match_phrase", map[string]any{"query": a.text})
	case altRange:
		return with("range", map[string]any{"gte": a.lo, "lte": a.hi})
	}
	return map[string]any{"match_none": map[string]any{}}
}

// osSort orders hits best first (equal scores in time order, so pages
// are stable), or in time order.
func (o *osSearch) sort() []any {
	if o.s.opt.ByTime {
		return []any{map[string]any{fTimeKey: "asc"}}
	}
	return []any{map[string]any{"_score": "desc"}, map[string]any{fTimeKey: "asc"}}
}

// facetAggs asks for Options.Facets, ordered as bleve and the engine
// order them: most hits first, then by value.
func (o *osSearch) facetAggs(aggs map[string]any) {
	if !o.s.opt.Facets {
		return
	}
	for _, name := range FacetNames {
		aggs["f_"+name] = map[string]any{"terms": map[string]any{"field": facetFields[name], "size": facetSize, "shard_size": 1000,
			"order": []any{map[string]any{"_count": "desc"}, map[string]any{"_key": "asc"}}}}
	}
}

func (o *osSearch) facetsOf(res *osSearchResp) map[string][]Facet {
	if !o.s.opt.Facets {
		return nil
	}
	out := map[string][]Facet{}
	for _, name := range FacetNames {
		list := []Facet{}
		for _, b := range res.Aggregations["f_"+name].Buckets {
			list = append(list, Facet{Value: fmt.Sprint(b.Key), Count: b.DocCount})
		}
		out[name] = list
	}
	return out
}

func (o *osSearch) run(ctx context.Context, body map[string]any) (*osSearchResp, error) {
	var res osSearchResp
	if _, err := o.ix.do(ctx, fmt.Sprintf("search %q", o.s.q), http.MethodPost, "/"+o.ix.segs+"/_search"+o.ix.searchType(), body, &res); err != nil {
		return nil, err
	}
	return &res, nil
}

// flat is searcher.flat on the cluster.
func (o *osSearch) flat(ctx context.Context) (*Results, error) {
	s := o.s
	from, next := s.opt.Offset, s.opt.Offset+s.opt.Limit
	body := map[string]any{"query": o.query, "size": s.opt.Limit, "track_total_hits": true, "_source": hitFields, "sort": o.sort()}
	if s.opt.After != "" {
		cur, err := decodeCursor(s.opt.After, s.opt.ByTime)
		if err != nil {
			return nil, err
		}
		if s.opt.ByTime {
			from = 0
			body["search_after"] = []any{cur.after[0]}
		} else {
			from, next = cur.offset, cur.offset+s.opt.Limit
			if from > MaxOffset {
				return nil, &LimitError{Limit: "offset", Got: from, Max: MaxOffset, Hint: "narrow the query instead"}
			}
		}
	}
	body["from"] = from
	aggs := map[string]any{}
	o.facetAggs(aggs)
	if len(aggs) > 0 {
		body["aggs"] = aggs
	}
	res, err := o.run(ctx, body)
	if err != nil {
		return nil, err
	}
	return s.page(ctx, o.matches(res.Hits.Hits), res.Hits.Total.Value, o.facetsOf(res), next)
}

// osInterviewPage is how many interviews' counts one request of a
// grouped search reads (a composite aggregation, page after page: the
// cluster's search.max_buckets, 65,535 by default, bounds one request).
const osInterviewPage = 10_000

// interviewsAgg counts the matches per interview, from after on.
func interviewsAgg(after map[string]any) map[string]any {
	comp := map[string]any{"size": osInterviewPage, "sources": []any{map[string]any{"iv": map[string]any{"terms": map[string]any{"field": fInterview}}}}}
	if after != nil {
		comp["after"] = after
	}
	return map[string]any{"composite": comp}
}

// grouped is searcher.grouped on the cluster: the best hits (GroupScan)
// order the interviews, the rest follow by count, and each interview on
// the page gets its best hits from a search within it.
func (o *osSearch) grouped(ctx context.Context) (*Results, error) {
	s := o.s
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
	scan := s.opt.groupScan()
	if s.opt.ByTime {
		scan = 0 // interviews in id order, each one's hits in time order
	}
	aggs := map[string]any{"interviews": interviewsAgg(nil)}
	o.facetAggs(aggs)
	res, err := o.run(ctx, map[string]any{"query": o.query, "size": scan, "track_total_hits": true,
		"_source": []string{fInterview}, "sort": o.sort(), "aggs": aggs})
	if err != nil {
		return nil, err
	}
	counts := map[string]int{}
	for agg := res.Aggregations["interviews"]; ; {
		for _, b := range agg.Buckets {
			key, _ := b.Key.(map[string]any)
			counts[fmt.Sprint(key["iv"])] = b.DocCount
		}
		if len(agg.Buckets) < osInterviewPage || agg.AfterKey == nil {
			break
		}
		more, err := o.run(ctx, map[string]any{"query": o.query, "size": 0, "aggs": map[string]any{"interviews": interviewsAgg(agg.AfterKey)}})
		if err != nil {
			return nil, err
		}
		agg = more.Aggregations["interviews"]
	}
	out := &Results{Query: s.q, Total: res.Hits.Total.Value, Groups: []Group{}, Facets: o.facetsOf(res)}
	var order []string
	seen := map[string]bool{}
	for _, h := range res.Hits.Hits {
		id, _ := h.Source[fInterview].(string)
		if id != "" && !seen[id] {
			seen[id] = true
			order = append(order, id)
		}
	}
	order = s.withRest(order, counts)
	out.Interviews = len(order)
	page := order[min(offset, len(order)):min(offset+s.opt.Limit, len(order))]
	best, err := o.bestOf(ctx, page)
	if err != nil {
		return nil, err
	}
	for i, id := range page {
		g := Group{Interview: id, Total: counts[id], Hits: []Hit{}}
		if err := s.addGroup(ctx, out, g, o.matches(best[i])); err != nil {
			return nil, err
		}
	}
	if offset+s.opt.Limit < len(order) {
		out.Next = "g" + strconv.Itoa(offset+s.opt.Limit)
	}
	return out, nil
}

// bestOf finds the best PerGroup hits (or the first in time) of each
// interview, in one multi-search. A filter does not change a score, so
// they are the hits the scan ranked first.
func (o *osSearch) bestOf(ctx context.Context, ids []string) ([][]osHit, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	var body bytes.Buffer
	// No partial answers (see osIndex.do).
	h := map[string]any{"index": o.ix.segs, "allow_partial_search_results": false}
	if o.ix.searchType() != "" {
		h["search_type"] = "dfs_query_then_fetch"
	}
	head, _ := json.Marshal(h)
	for _, id := range ids {
		q := map[string]any{"bool": map[string]any{"must": []any{o.query}, "filter": []any{osTerm(fInterview, id)}}}
		b, err := json.Marshal(map[string]any{"query": q, "size": o.s.opt.PerGroup, "_source": hitFields, "sort": o.sort(), "track_total_hits": false})
		if err != nil {
			return nil, err
		}
		body.Write(head)
		body.WriteByte('\n')
		body.Write(b)
		body.WriteByte('\n')
	}
	var res struct {
		Responses []struct {
			osSearchResp
			Status int `json:"status"`
			Error  *struct {
				Type   string `json:"type"`
				Reason string `json:"reason"`
			} `json:"error"`
		} `json:"responses"`
	}
	op := fmt.Sprintf("search %q", o.s.q)
	if _, err := o.ix.do(ctx, op, http.MethodPost, "/_msearch", body.Bytes(), &res); err != nil {
		return nil, err
	}
	if len(res.Responses) != len(ids) {
		return nil, fmt.Errorf("%s: %d answers to %d searches", op, len(res.Responses), len(ids))
	}
	out := make([][]osHit, len(ids))
	for i, r := range res.Responses {
		if r.Error != nil {
			return nil, &OpenSearchError{Op: op + " in " + ids[i], Status: r.Status, Type: r.Error.Type, Reason: r.Error.Reason}
		}
		out[i] = r.Hits.Hits
	}
	return out, nil
}

// matches turns the cluster's hits into bleve's document matches, as the
// segment engine hands them to hitOf: stored fields by name (numbers as
// float64) and the locations of the query's words in the exact fields.
func (o *osSearch) matches(hits []osHit) search.DocumentMatchCollection {
	out := make(search.DocumentMatchCollection, 0, len(hits))
	for _, h := range hits {
		dm := &search.DocumentMatch{ID: h.ID, Fields: h.Source, Locations: search.FieldTermLocationMap{}}
		if h.Score != nil {
			dm.Score = *h.Score
		}
		if dm.Fields == nil {
			dm.Fields = map[string]any{}
		}
		lang, _ := dm.Fields[fLang].(string)
		text, _ := dm.Fields[textField(lang)].(string)
		twin, _ := dm.Fields[fTwinText].(string)
		o.locate(dm, map[string]string{fExact: text, fTwinExact: twin})
		out = append(out, dm)
	}
	return out
}

// osLeaf is a scored alt on an exact field, as the engine's locate reads
// it.
type osLeaf struct {
	kind  altKind
	field string
	terms []string // altTerm: the word; altPhrase: its words
	pos   []int    // altPhrase: their positions
	text  string   // altPrefix
	auto  eng.Automaton
}

// osLeaves lists the alts locate marks: those of the wanted word clauses
// on the exact fields.
func osLeaves(exact analysis.Analyzer, clauses []clause, mode matching) []osLeaf {
	var out []osLeaf
	for _, c := range clauses {
		if c.neg || !isWords(c) {
			continue
		}
		for _, t := range c.alts {
			for _, a := range altsOf(t, mode >= forgiving) {
				if a.field != fExact && a.field != fTwinExact {
					continue
				}
				l := osLeaf{kind: a.kind, field: a.field}
				switch a.kind {
				case altTerm:
					l.terms = []string{a.text}
				case altPrefix:
					l.text = a.text
				case altFuzzy:
					auto, err := eng.Levenshtein(a.text, a.fuzziness)
					if err != nil {
						continue
					}
					l.auto = auto
				case altPhrase:
					if exact == nil {
						continue
					}
					for _, tok := range exact.Analyze([]byte(a.text)) {
						l.terms = append(l.terms, string(tok.Term))
						l.pos = append(l.pos, tok.Position)
					}
					if len(l.terms) == 0 {
						continue
					}
				default:
					continue
				}
				out = append(out, l)
			}
		}
	}
	return out
}

// locate records where the query's words are in a hit's texts, as the
// engine's locate does (index/internal/engine).
func (o *osSearch) locate(dm *search.DocumentMatch, texts map[string]string) {
	a := o.ix.m.AnalyzerNamed(analyzerExact)
	for field, text := range texts {
		if text == "" || a == nil {
			continue
		}
		toks := a.Analyze([]byte(text))
		add := func(i int) {
			t := toks[i]
			tl := dm.Locations[field]
			if tl == nil {
				tl = search.TermLocationMap{}
				dm.Locations[field] = tl
			}
			tl[string(t.Term)] = append(tl[string(t.Term)], &search.Location{Pos: uint64(t.Position), Start: uint64(t.Start), End: uint64(t.End)})
		}
		for _, l := range o.leaves {
			if l.field != field {
				continue
			}
			for i, t := range toks {
				term := string(t.Term)
				switch l.kind {
				case altTerm:
					if term == l.terms[0] {
						add(i)
					}
				case altPrefix:
					if strings.HasPrefix(term, l.text) {
						add(i)
					}
				case altFuzzy:
					if accepts(l.auto, term) {
						add(i)
					}
				case altPhrase:
					if osPhraseAt(toks, i, l.terms, l.pos) {
						for k := range l.terms {
							add(i + k)
						}
					}
				}
			}
		}
	}
}

// accepts runs an automaton over a word.
func accepts(a eng.Automaton, w string) bool {
	s := a.Start()
	for i := 0; i < len(w); i++ {
		s = a.Accept(s, w[i])
		if !a.CanMatch(s) {
			return false
		}
	}
	return a.IsMatch(s)
}

// osPhraseAt reports whether the phrase's terms, at their relative
// positions, start at token i (the engine's phraseAt).
func osPhraseAt(toks analysis.TokenStream, i int, terms []string, pos []int) bool {
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

// searchType is the search's query string: with several shards, the
// terms' statistics are gathered from all of them before scoring.
func (ix *osIndex) searchType() string {
	if ix.shards > 1 {
		return "?search_type=dfs_query_then_fetch"
	}
	return ""
}
