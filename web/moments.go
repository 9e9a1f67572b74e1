package web

import (
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"

	"github.com/recuerdo-archive/recuerdo/archive"
	"github.com/recuerdo-archive/recuerdo/index"
)

// hitSet is a search's hits in one interview, found by segment: the
// matched segment itself (track and sequence) and its translation
// (language and start).
type hitSet struct {
	seg   map[segKey][][2]int
	tr    map[trKey][][2]int
	times []int64 // the hits' starts, in time order, without repeats
}

type segKey struct {
	track int64
	seq   int
}

type trKey struct {
	lang  string
	start int64
}

// find reports the matches to highlight in seg of track t, if it is a hit
// or a hit's translation. A nil set finds nothing.
func (h *hitSet) find(t *archive.Track, seg archive.Segment) ([][2]int, bool) {
	if h == nil {
		return nil, false
	}
	if m, ok := h.seg[segKey{t.ID, seg.Seq}]; ok {
		return m, true
	}
	m, ok := h.tr[trKey{t.Lang, seg.StartMS}]
	return m, ok
}

// interviewHits runs the search q within interview id, as the server's
// audience, and notes its hits on p (Moments). A query the index refuses
// is told on the page, in its language, and highlights nothing.
func (s *Server) interviewHits(r *http.Request, id, q string, p *interviewPage) *hitSet {
	base := "/i/" + url.PathEscape(id)
	p.Moments = &moments{Query: q, ClearHref: base}
	res, err := s.ix.Search(r.Context(), s.a, q+" interview:"+quoteFilter(id), index.Options{
		Limit: index.MaxHits, Audience: s.opt.Audience, Now: s.opt.Now(), ByTime: true,
	})
	if err != nil {
		p.Moments.Error = searchMessage(err, p.Lang)
		return nil
	}
	h := &hitSet{seg: map[segKey][][2]int{}, tr: map[trKey][][2]int{}}
	seen := map[int64]bool{}
	for _, hit := range res.Hits {
		if hit.Interview != id {
			continue
		}
		h.seg[segKey{hit.Track, hit.Seq}] = hit.Matches
		if t := hit.Translation; t != nil {
			if _, ok := h.tr[trKey{t.Lang, t.StartMS}]; !ok || len(t.Matches) > 0 {
				h.tr[trKey{t.Lang, t.StartMS}] = t.Matches
			}
		}
		if !seen[hit.StartMS] {
			seen[hit.StartMS] = true
			h.times = append(h.times, hit.StartMS)
		}
	}
	sort.Slice(h.times, func(i, j int) bool { return h.times[i] < h.times[j] })
	ms := make([]string, len(h.times))
	for i, t := range h.times {
		ms[i] = strconv.FormatInt(t, 10)
	}
	p.Moments.Count, p.Moments.MS = len(h.times), strings.Join(ms, ",")
	if len(h.times) > 0 {
		p.Moments.FirstHref = momentWithQuery(id, h.times[0], q)
	}
	return h
}

// quoteFilter writes a filter's value so the query parser reads it whole.
func quoteFilter(v string) string {
	return `"` + strings.ReplaceAll(v, `"`, "") + `"`
}

// momentWithQuery is the link to a moment of an interview opened from a
// search: the page holding it, the search's hits highlighted.
func momentWithQuery(id string, ms int64, q string) string {
	t := seconds(ms)
	v := url.Values{"t": {t}}
	if q != "" {
		v.Set("q", q)
	}
	return "/i/" + url.PathEscape(id) + "?" + v.Encode() + "#t=" + t
}
