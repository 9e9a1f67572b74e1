package index

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/recuerdo-archive/recuerdo/archive"
	"github.com/recuerdo-archive/recuerdo/subtitles"
)

// Options shape a search. The zero value asks for the 10 best hits that a
// public audience may see.
type Options struct {
	Limit    int            // hits to return; 0 means 10
	Offset   int            // hits to skip
	Lang     string         // only segments in this language, "" for all
	Audience archive.Access // who is looking
	Now      time.Time      // when, for seals; zero means time.Now()
	ByTime   bool           // order by interview, then time, instead of relevance
	Context  int            // segments of context before and after each hit
	FPS      float64        // frame rate for SMPTE timecodes; 0 uses the interview's media
}

// Results is one page of a search.
type Results struct {
	Query string `json:"-"`
	Total uint64 `json:"total"`
	Hits  []Hit  `json:"hits"`
}

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
	// SMPTE timecodes of the hit in the interview's media (its frame rate
	// and start timecode), when a frame rate is known.
	TimecodeStart string    `json:"timecode_start,omitempty"`
	TimecodeEnd   string    `json:"timecode_end,omitempty"`
	Before        []Context `json:"before,omitempty"` // with Options.Context
	After         []Context `json:"after,omitempty"`
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
	Lang    string `json:"lang"`
	Text    string `json:"text"`
	StartMS int64  `json:"start_ms"`
	EndMS   int64  `json:"end_ms"`
}

// Search runs a query in recuerdo's query language over the index; a is
// the catalogue the index was built from, used to check access once more.
func (ix *Index) Search(ctx context.Context, a *archive.Archive, q string, opt Options) (*Results, error) {
	clauses, err := parse(q)
	if err != nil {
		return nil, err
	}
	if len(clauses) == 0 {
		return nil, &QueryError{Query: q, Pos: 1, Msg: "empty query"}
	}
	if opt.Limit <= 0 {
		opt.Limit = 10
	}
	if opt.Now.IsZero() {
		opt.Now = time.Now()
	}
	uq := build(clauses)
	filters := []query.Query{uq, accessFilter(opt.Audience)}
	if opt.Lang != "" {
		l := bleve.NewTermQuery(opt.Lang)
		l.SetField(fLang)
		filters = append(filters, l)
	}
	full := bleve.NewBooleanQuery()
	full.AddMust(filters...)
	full.AddMustNot(sealFilter(opt.Audience, opt.Now))

	req := bleve.NewSearchRequestOptions(full, opt.Limit, opt.Offset, false)
	req.Fields = []string{fInterview, fTrack, fSeq, fLang, fTextES, fTextEN, fTextOther, fSpeaker, fStart, fEnd, fTwinLang, fTwinText, fTwinStart, fTwinEnd}
	req.IncludeLocations = true
	if opt.ByTime {
		req.SortBy([]string{fInterview, fStart, fLang})
	}
	res, err := ix.bi.SearchInContext(ctx, req)
	if err != nil {
		return nil, fmt.Errorf("search %q: %w", q, err)
	}
	out := &Results{Query: q, Total: res.Total, Hits: []Hit{}}
	ivs := map[string]*archive.Interview{}
	tracks := map[int64][]archive.Segment{}
	for _, h := range res.Hits {
		hit := hitOf(h)
		iv, ok := ivs[hit.Interview]
		if !ok {
			iv, err = a.Interview(ctx, hit.Interview, false)
			if err != nil {
				return nil, fmt.Errorf("search %q: %w (the index may be stale: run recuerdo reindex)", q, err)
			}
			ivs[hit.Interview] = iv
		}
		if !iv.Visible(opt.Audience, opt.Now, hit.StartMS, hit.EndMS) {
			// The index filter should have kept this out; the catalogue decides.
			out.Total--
			continue
		}
		hit.Title = iv.Title
		if hit.Translation != nil && !iv.Visible(opt.Audience, opt.Now, hit.Translation.StartMS, hit.Translation.EndMS) {
			hit.Translation = nil
		}
		timecodes(&hit, iv, opt.FPS)
		if opt.Context > 0 {
			segs, ok := tracks[hit.Track]
			if !ok {
				if segs, err = a.Segments(ctx, hit.Track); err != nil {
					return nil, err
				}
				tracks[hit.Track] = segs
			}
			hit.Before, hit.After = around(segs, hit.Seq, opt.Context, iv, opt)
		}
		out.Hits = append(out.Hits, hit)
	}
	return out, nil
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
func around(segs []archive.Segment, seq, n int, iv *archive.Interview, opt Options) (before, after []Context) {
	ctxOf := func(s archive.Segment) Context {
		return Context{Seq: s.Seq, StartMS: s.StartMS, EndMS: s.EndMS, Speaker: s.Speaker, Text: s.Text}
	}
	for i := range segs {
		if segs[i].Seq != seq {
			continue
		}
		for k := max(0, i-n); k < i; k++ {
			if iv.Visible(opt.Audience, opt.Now, segs[k].StartMS, segs[k].EndMS) {
				before = append(before, ctxOf(segs[k]))
			}
		}
		for k := i + 1; k <= min(len(segs)-1, i+n); k++ {
			if iv.Visible(opt.Audience, opt.Now, segs[k].StartMS, segs[k].EndMS) {
				after = append(after, ctxOf(segs[k]))
			}
		}
		break
	}
	return before, after
}

// accessFilter keeps interviews open to the audience.
func accessFilter(aud archive.Access) query.Query {
	hi := float64(aud)
	inc := true
	q := bleve.NewNumericRangeInclusiveQuery(nil, &hi, nil, &inc)
	q.SetField(fAccess)
	return q
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

func hitOf(h *search.DocumentMatch) Hit {
	str := func(f string) string { s, _ := h.Fields[f].(string); return s }
	num := func(f string) float64 { n, _ := h.Fields[f].(float64); return n }
	hit := Hit{
		Interview: str(fInterview), Lang: str(fLang), Track: int64(num(fTrack)), Seq: int(num(fSeq)),
		StartMS: int64(num(fStart)), EndMS: int64(num(fEnd)), Speaker: str(fSpeaker), Score: h.Score,
		Matches: [][2]int{},
	}
	textField := fTextOther
	switch hit.Lang {
	case "es":
		textField = fTextES
	case "en":
		textField = fTextEN
	}
	hit.Text = str(textField)
	seen := map[[2]int]bool{}
	for field, terms := range h.Locations {
		if field != textField && field != fExact {
			continue
		}
		for _, locs := range terms {
			for _, l := range locs {
				r := [2]int{int(l.Start), int(l.End)}
				if r[1] <= len(hit.Text) && !seen[r] {
					seen[r] = true
					hit.Matches = append(hit.Matches, r)
				}
			}
		}
	}
	sort.Slice(hit.Matches, func(i, j int) bool { return hit.Matches[i][0] < hit.Matches[j][0] })
	if tl := str(fTwinLang); tl != "" {
		s, _ := strconv.ParseInt(str(fTwinStart), 10, 64)
		e, _ := strconv.ParseInt(str(fTwinEnd), 10, 64)
		hit.Translation = &Translation{Lang: tl, Text: str(fTwinText), StartMS: s, EndMS: e}
	}
	return hit
}
