package index

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"runtime"
	"runtime/debug"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search/query"
	index "github.com/blevesearch/bleve_index_api"
	bolt "go.etcd.io/bbolt"

	"github.com/recuerdo-archive/recuerdo/archive"
)

// mappingVersion changes whenever the mapping, the analyzers or what a
// document holds change; an index built with another version is rebuilt.
const mappingVersion = "9" // 6: seals per moment; 7: word forms (forms.go); 8: story years (years.go); 9: term counts per field (lengths.go)

// Index is the search index of one archive.
type Index struct {
	bi  bleve.Index
	dir string
	// bleveOnly sends every search through bleve's searchers, not the
	// segment engine: for tests that compare the two.
	bleveOnly bool
	readOnly  bool // opened with OpenReadOnly: sync and Add refuse
	// noteDir is the archive folder where this process left its holder's
	// note (owner.go); Close removes it. "" when it left none.
	noteDir string
	// lens counts the terms of each field, for BM25's average length
	// (lengths.go); lenMu also orders the batches that change it.
	lenMu sync.Mutex
	lens  lengths
	// remote, when set, is the archive's index on an OpenSearch cluster
	// (opensearch.go): bi is nil, and Search, Counts, Check, Close, sync
	// and stale go to it.
	remote *osIndex
}

// Open opens the index in dir, creating it when it is missing. An index
// whose mapping is out of date, or that cannot be opened, is reported with
// ErrStale so the caller can rebuild it. An index another process has open
// is reported with ErrBusy after openTimeout: bleve allows one process per
// index, and the caller decides whether to wait longer. Open is the
// index's own door, for an index without an archive (the benchmark's)
// and for tests: an archive's index is opened through OpenArchive,
// CatchUp, Rebuild or Serve (owner.go), which take the locks it needs.
func Open(dir string) (*Index, error) {
	bi, err := bleve.OpenUsing(dir, boltConfig())
	if errors.Is(err, bleve.ErrorIndexPathDoesNotExist) {
		return create(dir)
	}
	if errors.Is(err, bolt.ErrTimeout) {
		return nil, fmt.Errorf("open index %s: %w", dir, ErrBusy)
	}
	if err != nil {
		return nil, fmt.Errorf("open index %s: %w", dir, err)
	}
	ix := &Index{bi: bi, dir: dir}
	if v, _ := bi.GetInternal([]byte("mapping_version")); string(v) != mappingVersion {
		bi.Close()
		return nil, fmt.Errorf("open index %s: %w: built by another version", dir, ErrStale)
	}
	if err := checkEngine(bi); err != nil {
		bi.Close()
		return nil, fmt.Errorf("open index %s: %w", dir, err)
	}
	return ix, nil
}

// ErrStale means the index does not match the catalogue.
var ErrStale = errors.New("index is out of date")

// ErrBusy means another process has the index open (a running
// recuerdo serve, or another command using it).
var ErrBusy = errors.New("index is open in another process")

// openTimeout is how long one Open waits for another process to close
// the index before it reports ErrBusy; the owner functions try again for
// as long as their OpenOptions.Wait.
const openTimeout = 1500 * time.Millisecond

func boltConfig() map[string]any {
	return engineConfig(map[string]any{"bolt_timeout": openTimeout.String()})
}

func create(dir string) (*Index, error) {
	m, err := newMapping()
	if err != nil {
		return nil, fmt.Errorf("index mapping: %w", err)
	}
	bi, err := bleve.NewUsing(dir, m, bleve.Config.DefaultIndexType, bleve.Config.DefaultKVStore, boltConfig())
	if err != nil {
		return nil, fmt.Errorf("create index %s: %w", dir, err)
	}
	if err := bi.SetInternal([]byte("mapping_version"), []byte(mappingVersion)); err != nil {
		bi.Close()
		return nil, err
	}
	if err := recordEngine(bi); err != nil {
		bi.Close()
		return nil, err
	}
	return &Index{bi: bi, dir: dir}, nil
}

// Remove deletes the index in dir, so the next Open builds it anew. An
// index another process has open is left alone and reported with ErrBusy:
// deleting it would leave that process writing to files no one can see.
func Remove(dir string) error {
	if bi, err := bleve.OpenUsing(dir, boltConfig()); err == nil {
		bi.Close()
	} else if errors.Is(err, bolt.ErrTimeout) {
		return fmt.Errorf("remove index %s: %w", dir, ErrBusy)
	}
	return os.RemoveAll(dir)
}

// Close closes the index, removing this process's holder's note first (so
// the next holder's note is never the one removed).
func (ix *Index) Close() error {
	if ix.remote != nil { // OpenSearch: nothing held open
		return nil
	}
	if ix.noteDir != "" {
		removeHolder(ix.noteDir)
		ix.noteDir = ""
	}
	return ix.bi.Close()
}

// Field names of a segment document.
const (
	fInterview = "interview"
	fTrack     = "track"
	fSeq       = "seq"
	fLang      = "lang"
	fTextES    = "text_es"
	fTextEN    = "text_en"
	fTextOther = "text_other"
	fExact     = "exact"
	fSpeaker   = "speaker"
	fNarrator  = "narrator"
	fPlace     = "place"
	fColl      = "collection"
	// The year the interview was recorded; the years the segment's words
	// mention (years.go), several where it names a range or a decade.
	fRecorded  = "recorded"
	fStoryYear = "story_year"
	fStart     = "start_ms"
	// The order of a search by time, as one sortable keyword (timeKey):
	// interview, start, language, document. One term where an indexed
	// start time made seventeen (each precision step), a third of the
	// build time.
	fTimeKey   = "time_key"
	fEnd       = "end_ms"
	fAccess    = "access"
	fSealLevel = "seal_level"
	fSealUntil = "seal_until"
	fTwinLang  = "twin_lang"
	fTwinText  = "twin_text"
	fTwinStart = "twin_start_ms"
	fTwinEnd   = "twin_end_ms"
	// The twin's words, searchable from this segment (on the lead segment
	// of each side of an aligned pair only), so English words find Spanish
	// speech and the other way round.
	fTwinES    = "twin_es"
	fTwinEN    = "twin_en"
	fTwinExact = "twin_exact"
	// Pairs of neighbouring words of exact and twin_exact, for phrases.
	fPairs     = "pairs"
	fTwinPairs = "twin_pairs"
	// primary is "y" on every segment but the translation side of an
	// aligned pair: a search over all languages shows each moment once.
	fPrimary = "primary"
	// Keyword copies of the metadata, for facet counts.
	fNarratorKW   = "narrator_kw"
	fPlaceKW      = "place_kw"
	fCollectionKW = "collection_kw"
	// The decades of the story years (facet "decade") and of the
	// recording (facet "recorded").
	fStoryDecade    = "story_decade"
	fRecordedDecade = "recorded_decade"
)

func newMapping() (*mapping.IndexMappingImpl, error) {
	m := bleve.NewIndexMapping()
	if err := addAnalyzers(m); err != nil {
		return nil, err
	}
	m.ScoringModel = index.BM25Scoring
	// Each field keeps only what a search uses: term vectors where hits
	// are highlighted, doc values where results are sorted or counted,
	// stored values where hits are shown. Everything else costs indexing
	// time and disk.
	text := func(analyzer string, store, vectors bool) *mapping.FieldMapping {
		f := bleve.NewTextFieldMapping()
		f.Analyzer = analyzer
		f.Store = store
		f.IncludeTermVectors = vectors
		f.IncludeInAll = false
		f.DocValues = false
		return f
	}
	keyword := func(docValues bool) *mapping.FieldMapping {
		f := bleve.NewKeywordFieldMapping()
		f.Store = false
		f.IncludeInAll = false
		f.IncludeTermVectors = false
		f.DocValues = docValues
		return f
	}
	num := func(index, store, docValues bool) *mapping.FieldMapping {
		f := bleve.NewNumericFieldMapping()
		f.Index = index
		f.Store = store
		f.DocValues = docValues
		f.IncludeInAll = false
		return f
	}
	stored := func() *mapping.FieldMapping {
		f := bleve.NewTextFieldMapping()
		f.Index = false
		f.Store = true
		f.IncludeInAll = false
		f.IncludeTermVectors = false
		f.DocValues = false
		return f
	}
	d := bleve.NewDocumentStaticMapping()
	d.AddSubDocumentMapping("_all", bleve.NewDocumentDisabledMapping())
	interview := keyword(true)
	interview.Store = true
	d.AddFieldMappingsAt(fInterview, interview)
	d.AddFieldMappingsAt(fTrack, num(false, true, false))
	d.AddFieldMappingsAt(fSeq, num(false, true, false))
	lang := keyword(true)
	lang.Store = true
	d.AddFieldMappingsAt(fLang, lang)
	d.AddFieldMappingsAt(fTextES, text(analyzerES, true, false))
	d.AddFieldMappingsAt(fTextEN, text(analyzerEN, true, false))
	d.AddFieldMappingsAt(fTextOther, text(analyzerOther, true, false))
	d.AddFieldMappingsAt(fExact, text(analyzerExact, false, true))
	d.AddFieldMappingsAt(fSpeaker, text(analyzerExact, true, true))
	d.AddFieldMappingsAt(fNarrator, text(analyzerExact, false, true))
	d.AddFieldMappingsAt(fPlace, text(analyzerExact, false, true))
	d.AddFieldMappingsAt(fColl, text(analyzerExact, false, true))
	d.AddFieldMappingsAt(fRecorded, num(true, false, false))
	d.AddFieldMappingsAt(fStoryYear, num(true, false, false))
	d.AddFieldMappingsAt(fStart, num(false, true, false))
	d.AddFieldMappingsAt(fTimeKey, keyword(true))
	d.AddFieldMappingsAt(fEnd, num(false, true, false))
	d.AddFieldMappingsAt(fAccess, keyword(false))
	d.AddFieldMappingsAt(fSealLevel, num(true, false, false))
	d.AddFieldMappingsAt(fSealUntil, num(true, false, false))
	d.AddFieldMappingsAt(fTwinLang, stored())
	d.AddFieldMappingsAt(fTwinText, stored())
	d.AddFieldMappingsAt(fTwinStart, stored())
	d.AddFieldMappingsAt(fTwinEnd, stored())
	d.AddFieldMappingsAt(fTwinES, text(analyzerES, false, false))
	d.AddFieldMappingsAt(fTwinEN, text(analyzerEN, false, false))
	d.AddFieldMappingsAt(fTwinExact, text(analyzerExact, false, true))
	d.AddFieldMappingsAt(fPairs, text(analyzerPairs, false, true))
	d.AddFieldMappingsAt(fTwinPairs, text(analyzerPairs, false, true))
	d.AddFieldMappingsAt(fPrimary, keyword(false))
	d.AddFieldMappingsAt(fNarratorKW, keyword(true))
	d.AddFieldMappingsAt(fPlaceKW, keyword(true))
	d.AddFieldMappingsAt(fCollectionKW, keyword(true))
	d.AddFieldMappingsAt(fStoryDecade, keyword(true))
	d.AddFieldMappingsAt(fRecordedDecade, keyword(true))
	m.DefaultMapping = d
	m.DefaultAnalyzer = analyzerExact
	return m, nil
}

// textField is the analyzed field for text in a language.
func textField(lang string) string {
	switch lang {
	case "es":
		return fTextES
	case "en":
		return fTextEN
	}
	return fTextOther
}

// segmentDoc is what the index holds for one segment.
type segmentDoc map[string]any

// timeKey orders segments by interview, then start time, then language,
// then document id, as one string: the parts hold no NUL, and the start
// is zero-padded.
func timeKey(interview string, startMS int64, lang, id string) string {
	return fmt.Sprintf("%s\x00%015d\x00%s\x00%s", interview, max(startMS, 0), lang, id)
}

func docID(track int64, seq int) string {
	return strconv.FormatInt(track, 10) + "/" + strconv.Itoa(seq)
}

// eachDoc builds the documents of one interview (loaded with segments).
//
// Documents are made one at a time and handed to yield, so an interview of
// a million segments is never held in the index's form all at once.
func eachDoc(iv *archive.Interview, twins map[archive.SegmentKey]archive.Twin, moments *archive.Moments, yield func(id string, d segmentDoc) error) error {
	year := 0
	if len(iv.Date) >= 4 {
		year, _ = strconv.Atoi(iv.Date[:4])
	}
	// A two-digit year in the story is the latest not after the
	// recording; with no date known, not after today.
	told := year
	if told <= 0 {
		told = time.Now().Year()
	}
	for _, t := range iv.Tracks {
		for _, s := range t.Segments {
			d := segmentDoc{
				fInterview: iv.ID, fTrack: float64(t.ID), fSeq: float64(s.Seq), fLang: t.Lang,
				fExact: s.Text, fPairs: s.Text, fSpeaker: s.Speaker, fNarrator: iv.Narrators, fPlace: iv.Place, fColl: iv.Collection,
				fStart: float64(s.StartMS), fTimeKey: timeKey(iv.ID, s.StartMS, t.Lang, docID(t.ID, s.Seq)), fEnd: float64(s.EndMS), fAccess: iv.Access.String(),
			}
			if year > 0 {
				d[fRecorded] = float64(year)
				d[fRecordedDecade] = strconv.Itoa(year/10*10) + "s"
			}
			if len(iv.Narrators) > 0 {
				d[fNarratorKW] = iv.Narrators
			}
			if iv.Place != "" {
				d[fPlaceKW] = iv.Place
			}
			if iv.Collection != "" {
				d[fCollectionKW] = iv.Collection
			}
			d[fPrimary] = "y"
			d[textField(t.Lang)] = s.Text
			if level, until := archive.Strictest(moments.Seals(t.ID, s.Seq)); level > archive.Public {
				d[fSealLevel], d[fSealUntil] = float64(level), float64(until)
			}
			tw, hasTwin := twins[archive.SegmentKey{Track: t.ID, Seq: s.Seq}]
			if hasTwin && tw.Lead {
				// A moment's years are those either side names: a year
				// one language says in a way not read is found through
				// the other.
				addStoryYears(d, told, s.Text, tw.Text)
			} else {
				addStoryYears(d, told, s.Text)
			}
			if hasTwin {
				d[fTwinLang], d[fTwinText] = tw.Lang, tw.Text
				d[fTwinStart], d[fTwinEnd] = strconv.FormatInt(tw.StartMS, 10), strconv.FormatInt(tw.EndMS, 10)
				if tw.Translation {
					d[fPrimary] = "n"
				}
				if tw.Lead {
					d[fTwinExact], d[fTwinPairs] = tw.Text, tw.Text
					switch tw.Lang {
					case "es":
						d[fTwinES] = tw.Text
					case "en":
						d[fTwinEN] = tw.Text
					}
				}
			}
			if err := yield(docID(t.ID, s.Seq), d); err != nil {
				return err
			}
		}
	}
	return nil
}

// interviewQuery matches every document of one interview.
func interviewQuery(id string) query.Query {
	q := bleve.NewTermQuery(id)
	q.SetField(fInterview)
	return q
}

// sync brings the index up to date with the catalogue: interviews whose
// version changed are indexed again, and interviews no longer in the
// catalogue are removed. It returns how many interviews it updated. The
// caller holds the archive's lock (owner.go).
func (ix *Index) sync(ctx context.Context, a *archive.Archive) (int, error) {
	if ix.remote != nil { // OpenSearch
		return ix.remote.sync(ctx, a)
	}
	if ix.readOnly {
		return 0, fmt.Errorf("update index %s: %w", ix.dir, ErrReadOnly)
	}
	gen, known, todo, err := toIndex(ctx, a, func(id string) string {
		v, _ := ix.bi.GetInternal([]byte("v/" + id))
		return string(v)
	})
	if err != nil {
		return 0, err
	}
	updated, err := ix.indexAll(ctx, a, todo)
	if err != nil {
		return updated, err
	}
	indexed, err := ix.indexedInterviews()
	if err != nil {
		return updated, err
	}
	for _, id := range indexed {
		if !known[id] {
			if err := ix.deleteInterview(id); err != nil {
				return updated, err
			}
			updated++
		}
	}
	return updated, ix.bi.SetInternal([]byte("generation"), []byte(strconv.FormatInt(gen, 10)))
}

// toIndex reads the catalogue's generation and interviews and returns, for
// a backend's sync, the interviews it knows and those whose version
// differs from the one indexed (indexed gives it, "" when none).
func toIndex(ctx context.Context, a *archive.Archive, indexed func(id string) string) (gen int64, known map[string]bool, todo []string, err error) {
	if gen, err = a.Generation(ctx); err != nil {
		return 0, nil, nil, err
	}
	ivs, err := a.Interviews(ctx)
	if err != nil {
		return 0, nil, nil, err
	}
	known = map[string]bool{}
	for _, iv := range ivs {
		known[iv.ID] = true
		if indexed(iv.ID) != strconv.FormatInt(iv.Version, 10) {
			todo = append(todo, iv.ID)
		}
	}
	return gen, known, todo, nil
}

// indexAll indexes interviews two or more at a time: bleve analyses a
// batch's documents in parallel but builds its segment on the calling
// goroutine, so one interview at a time leaves cores idle.
func (ix *Index) indexAll(ctx context.Context, a *archive.Archive, ids []string) (int, error) {
	return eachParallel(ctx, ids, max(1, min(runtime.GOMAXPROCS(0), 4)), func(ctx context.Context, id string) error {
		return ix.indexInterview(ctx, a, id)
	})
}

// eachParallel calls f for each id on workers goroutines, stopping at the
// first error (which it returns, or ctx's); it returns how many calls
// succeeded.
func eachParallel(ctx context.Context, ids []string, workers int, f func(ctx context.Context, id string) error) (int, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var (
		wg       sync.WaitGroup
		mu       sync.Mutex
		done     int
		firstErr error
	)
	next := make(chan string)
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for id := range next {
				err := f(ctx, id)
				mu.Lock()
				if err == nil {
					done++
				} else if firstErr == nil {
					firstErr = err
					cancel()
				}
				mu.Unlock()
			}
		}()
	}
send:
	for _, id := range ids {
		select {
		case next <- id:
		case <-ctx.Done():
			break send
		}
	}
	close(next)
	wg.Wait()
	if firstErr == nil {
		firstErr = ctx.Err()
	}
	return done, firstErr
}

// stale reports whether the index was built from an older catalogue.
func (ix *Index) stale(ctx context.Context, a *archive.Archive) (bool, error) {
	if ix.remote != nil { // OpenSearch
		return ix.remote.stale(ctx, a)
	}
	gen, err := a.Generation(ctx)
	if err != nil {
		return false, err
	}
	v, err := ix.bi.GetInternal([]byte("generation"))
	if err != nil {
		return false, err
	}
	return string(v) != strconv.FormatInt(gen, 10), nil
}

func (ix *Index) indexInterview(ctx context.Context, a *archive.Archive, id string) error {
	iv, err := a.Interview(ctx, id, true)
	if err != nil {
		return err
	}
	als, err := a.Alignments(ctx, id)
	if err != nil {
		return err
	}
	old, err := ix.docIDs(id)
	if err != nil {
		return err
	}
	keep := map[string]bool{}
	for _, t := range iv.Tracks {
		for _, s := range t.Segments {
			keep[docID(t.ID, s.Seq)] = true
		}
	}
	b := ix.bi.NewBatch()
	for _, d := range old {
		if !keep[d] {
			b.Delete(d)
		}
	}
	counted := lengths{}
	err = eachDoc(iv, archive.Twins(iv, als), archive.NewMoments(iv, als), func(d string, doc segmentDoc) error {
		countDoc(doc, counted)
		if err := b.Index(d, map[string]any(doc)); err != nil {
			return err
		}
		if b.Size() >= 2000 {
			if err := ix.bi.Batch(b); err != nil {
				return err
			}
			b.Reset()
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("index %s: %w", id, err)
	}
	b.SetInternal([]byte("v/"+id), []byte(strconv.FormatInt(iv.Version, 10)))
	if err := ix.batchLengths(b, id, counted); err != nil {
		return fmt.Errorf("index %s: %w", id, err)
	}
	return nil
}

// batchLengths runs b, the last batch of interview id's documents, with
// the index's term counts changed from id's old ones to counted (nil: the
// interview is gone).
func (ix *Index) batchLengths(b *bleve.Batch, id string, counted lengths) error {
	ix.lenMu.Lock()
	defer ix.lenMu.Unlock()
	key := []byte("len/" + id)
	old := lengths{}
	if v, err := ix.bi.GetInternal(key); err == nil && len(v) > 0 {
		json.Unmarshal(v, &old)
	}
	next := lengths{}
	next.add(ix.lengthsLocked(), 1)
	next.add(old, -1)
	if counted == nil {
		b.DeleteInternal(key)
	} else {
		next.add(counted, 1)
		v, _ := json.Marshal(counted)
		b.SetInternal(key, v)
	}
	all, _ := json.Marshal(next)
	b.SetInternal([]byte(lengthsKey), all)
	if err := ix.bi.Batch(b); err != nil {
		return err
	}
	ix.lens = next
	return nil
}

func (ix *Index) deleteInterview(id string) error {
	ids, err := ix.docIDs(id)
	if err != nil {
		return err
	}
	b := ix.bi.NewBatch()
	for _, d := range ids {
		b.Delete(d)
	}
	b.DeleteInternal([]byte("v/" + id))
	return ix.batchLengths(b, id, nil)
}

// docIDs lists the documents of one interview.
func (ix *Index) docIDs(id string) ([]string, error) {
	var out []string
	for from := 0; ; from += 10000 {
		req := bleve.NewSearchRequestOptions(interviewQuery(id), 10000, from, false)
		res, err := ix.bi.Search(req)
		if err != nil {
			return nil, fmt.Errorf("list documents of %s: %w", id, err)
		}
		for _, h := range res.Hits {
			out = append(out, h.ID)
		}
		if len(res.Hits) < 10000 {
			return out, nil
		}
	}
}

// Counts returns how many documents the index holds per interview.
func (ix *Index) Counts() (map[string]int, error) {
	if ix.remote != nil { // OpenSearch
		return ix.remote.counts(context.Background())
	}
	req := bleve.NewSearchRequestOptions(bleve.NewMatchAllQuery(), 0, 0, false)
	req.AddFacet("iv", bleve.NewFacetRequest(fInterview, 1<<20))
	res, err := ix.bi.Search(req)
	if err != nil {
		return nil, fmt.Errorf("count index documents: %w", err)
	}
	out := map[string]int{}
	if f := res.Facets["iv"]; f != nil && f.Terms != nil {
		for _, t := range f.Terms.Terms() {
			out[t.Term] = t.Count
		}
	}
	return out, nil
}

func (ix *Index) indexedInterviews() ([]string, error) {
	counts, err := ix.Counts()
	if err != nil {
		return nil, err
	}
	ids := make([]string, 0, len(counts))
	for id := range counts {
		ids = append(ids, id)
	}
	return ids, nil
}

// Check compares the index with the catalogue, interview by interview.
func (ix *Index) Check(ctx context.Context, a *archive.Archive) ([]archive.Problem, error) {
	if ix.remote != nil { // OpenSearch: counts and a sample of documents
		return ix.remote.check(ctx, a)
	}
	var probs []archive.Problem
	if stale, err := ix.stale(ctx, a); err != nil {
		return nil, err
	} else if stale {
		probs = append(probs, archive.Problem{What: "index", Subject: ix.dir, Msg: "built from an older catalogue (run recuerdo reindex)"})
	}
	want, err := a.SegmentCounts(ctx)
	if err != nil {
		return nil, err
	}
	got, err := ix.Counts()
	if err != nil {
		return nil, err
	}
	for id, n := range want {
		if got[id] != n {
			probs = append(probs, archive.Problem{What: "index", Subject: id, Msg: fmt.Sprintf("index has %d segments, catalogue %d (run recuerdo reindex)", got[id], n)})
		}
	}
	for id, n := range got {
		if _, ok := want[id]; !ok {
			probs = append(probs, archive.Problem{What: "index", Subject: id, Msg: fmt.Sprintf("index has %d segments of an interview the catalogue does not have", n)})
		}
	}
	return probs, nil
}

// Segment is a line to index that does not come from a catalogue, as in
// the benchmark corpus: public, unsealed, with no twin.
type Segment struct {
	ID        string `json:"id"`
	Interview string `json:"interview"`
	Lang      string `json:"lang"`
	StartMS   int64  `json:"start_ms"`
	EndMS     int64  `json:"end_ms"`
	Speaker   string `json:"speaker"`
	Text      string `json:"text"`
}

func segmentDocOf(s Segment) segmentDoc {
	d := segmentDoc{
		fInterview: s.Interview, fLang: s.Lang, fExact: s.Text, fPairs: s.Text, fSpeaker: s.Speaker,
		fStart: float64(s.StartMS), fTimeKey: timeKey(s.Interview, s.StartMS, s.Lang, s.ID), fEnd: float64(s.EndMS), fAccess: archive.Public.String(), fPrimary: "y",
	}
	d[textField(s.Lang)] = s.Text
	addStoryYears(d, time.Now().Year(), s.Text)
	return d
}

// addStoryYears adds to d the years the texts mention (years.go) and
// their decades, as said in the year told.
func addStoryYears(d segmentDoc, told int, texts ...string) {
	var ys []int
	for _, text := range texts {
		ys = append(ys, storyYears(text, told)...)
	}
	if len(ys) == 0 {
		return
	}
	slices.Sort(ys)
	ys = slices.Compact(ys)
	vals := make([]any, len(ys))
	for i, y := range ys {
		vals[i] = float64(y)
	}
	d[fStoryYear] = vals
	ds := decades(ys)
	dvals := make([]any, len(ds))
	for i, s := range ds {
		dvals[i] = s
	}
	d[fStoryDecade] = dvals
}

// Add indexes segments in one batch. Search such an index with a nil
// catalogue.
func (ix *Index) Add(segs []Segment) error {
	if ix.remote != nil { // OpenSearch
		return ix.remote.add(context.Background(), segs)
	}
	if ix.readOnly {
		return fmt.Errorf("index %d segments: %w", len(segs), ErrReadOnly)
	}
	b := ix.bi.NewBatch()
	counted := lengths{}
	for _, s := range segs {
		d := segmentDocOf(s)
		countDoc(d, counted)
		if err := b.Index(s.ID, map[string]any(d)); err != nil {
			return fmt.Errorf("index segment %s: %w", s.ID, err)
		}
	}
	ix.lenMu.Lock()
	defer ix.lenMu.Unlock()
	next := lengths{}
	next.add(ix.lengthsLocked(), 1)
	next.add(counted, 1)
	all, _ := json.Marshal(next)
	b.SetInternal([]byte(lengthsKey), all)
	if err := ix.bi.Batch(b); err != nil {
		return fmt.Errorf("index %d segments: %w", len(segs), err)
	}
	ix.lens = next
	return nil
}

// BleveVersion is the version of the search library in this build.
func BleveVersion() string {
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, d := range bi.Deps {
			if d.Path == "github.com/blevesearch/bleve/v2" {
				return d.Version
			}
		}
	}
	return "v2"
}
