package web

import (
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/recuerdo-archive/recuerdo/archive"
	"github.com/recuerdo-archive/recuerdo/index"
)

// searchPage is the search box, and the story cards of a search or the
// list of stories.
type searchPage struct {
	page
	Total      uint64
	Partial    bool // no moment holds every word
	Typos      bool // the moments were found only with a typo forgiven
	Interviews int
	Cards      []card
	Facets     []facetGroup
	Stories    []story // with no query
	Error      string  // a malformed query
	PageNum    int
	Prev, Next string
}

// card is one interview's matches.
type card struct {
	story
	Total    int
	Lines    []line
	More     int
	MoreHref string // the story with every moment of the search highlighted
}

// story is an interview as the lists show it.
type story struct {
	ID, Title, TitleEN, Narrators, Place, Date, Href string
}

// line is a matching moment, highlighted, with its translation.
type line struct {
	Href, Time, Speaker, Lang, LangName string
	AddHref                             string // keeps the moment in a selection (with Options.Edit)
	Text                                template.HTML
	TLang, TLangName                    string
	Translation                         template.HTML
}

type facetGroup struct {
	Label  string
	Values []facetValue
}

type facetValue struct {
	Label  string
	Count  int
	Href   string
	Active bool
}

func (s *Server) handleSearch(w http.ResponseWriter, r *http.Request) {
	q := strings.TrimSpace(r.URL.Query().Get("q"))
	p := searchPage{page: s.newPage(w, r, "")}
	p.Query = q
	p.Title = p.T["site"]
	ctx := r.Context()
	if q == "" {
		ivs, err := s.a.Interviews(ctx)
		if err != nil {
			s.serverError(w, r, err)
			return
		}
		for _, iv := range ivs {
			if s.opt.Audience >= iv.Access {
				p.Stories = append(p.Stories, storyOf(iv, p.Lang))
			}
		}
		s.render(w, http.StatusOK, "search", p)
		return
	}
	p.Title = q + " — " + p.T["site"]
	p.PageNum = 1
	if n, err := strconv.Atoi(r.URL.Query().Get("p")); err == nil && n > 1 && n < 10000 {
		p.PageNum = n
	}
	perGroup := 3
	if n, err := strconv.Atoi(r.URL.Query().Get("per_interview")); err == nil && n > 0 {
		perGroup = min(n, index.MaxHits/s.opt.PerPage)
	}
	res, err := s.ix.Search(ctx, s.a, q, index.Options{
		Limit: s.opt.PerPage, Offset: (p.PageNum - 1) * s.opt.PerPage, Audience: s.opt.Audience, Now: s.opt.Now(),
		Group: true, PerGroup: perGroup, Facets: true,
	})
	switch searchStatus(err) {
	case http.StatusBadRequest:
		p.Error = searchMessage(err, p.Lang)
		s.render(w, http.StatusBadRequest, "search", p)
		return
	case http.StatusServiceUnavailable:
		p.Title = p.T["error"]
		s.render(w, http.StatusServiceUnavailable, "error", errorPage{page: p.page, Message: p.T["catching_up"]})
		return
	}
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	p.Total, p.Interviews, p.Partial, p.Typos = res.Total, res.Interviews, res.Partial, res.Typos
	for _, g := range res.Groups {
		iv, err := s.a.Interview(ctx, g.Interview, false)
		if err != nil {
			s.serverError(w, r, err)
			return
		}
		c := card{story: storyOf(iv, p.Lang), Total: g.Total, More: g.Total - len(g.Hits)}
		c.MoreHref = c.Href + "?" + url.Values{"q": {q}}.Encode()
		for _, h := range g.Hits {
			l := lineOf(h, p.Lang)
			l.Href = momentWithQuery(h.Interview, h.StartMS, q)
			if s.opt.Edit {
				l.AddHref = addHref(h.Interview, h.StartMS, h.EndMS)
			}
			c.Lines = append(c.Lines, l)
		}
		p.Cards = append(p.Cards, c)
	}
	p.Facets = facetsOf(res.Facets, q, p.Lang)
	page := func(n int) string {
		v := url.Values{"q": {q}}
		if perGroup != 3 {
			v.Set("per_interview", strconv.Itoa(perGroup))
		}
		if n > 1 {
			v.Set("p", strconv.Itoa(n))
		}
		return "/?" + v.Encode()
	}
	if p.PageNum > 1 {
		p.Prev = page(p.PageNum - 1)
	}
	if res.Next != "" {
		p.Next = page(p.PageNum + 1)
	}
	s.render(w, http.StatusOK, "search", p)
}

func storyOf(iv *archive.Interview, lang string) story {
	st := story{ID: iv.ID, Title: iv.Title, TitleEN: iv.TitleEN, Narrators: strings.Join(iv.Narrators, ", "),
		Place: iv.Place, Date: iv.Date, Href: "/i/" + url.PathEscape(iv.ID)}
	if lang == "en" && iv.TitleEN != "" {
		st.Title, st.TitleEN = iv.TitleEN, iv.Title
	}
	if st.TitleEN == st.Title {
		st.TitleEN = ""
	}
	return st
}

func lineOf(h index.Hit, ui string) line {
	// The link names the moment to the server too (?t=), which shows the
	// page holding it when the transcript comes in pages.
	l := line{Href: pagedMomentHref(h.Interview, h.StartMS), Time: clock(h.StartMS), Speaker: h.Speaker,
		Lang: h.Lang, LangName: langName(ui, h.Lang), Text: highlight(h.Text, h.Matches)}
	if t := h.Translation; t != nil {
		l.TLang, l.TLangName, l.Translation = t.Lang, langName(ui, t.Lang), highlight(t.Text, t.Matches)
	}
	return l
}

// momentHref is the deep link to a moment of an interview.
func momentHref(id string, ms int64) string {
	return "/i/" + url.PathEscape(id) + "#t=" + seconds(ms)
}

// clock writes milliseconds as H:MM:SS, or M:SS under an hour.
func clock(ms int64) string {
	sec := ms / 1000
	if sec >= 3600 {
		return fmt.Sprintf("%d:%02d:%02d", sec/3600, sec/60%60, sec%60)
	}
	return fmt.Sprintf("%d:%02d", sec/60, sec%60)
}

// highlight escapes text and wraps the matched byte ranges in <mark>.
// Ranges that overlap, run past the text or split a character are
// skipped: the text is always escaped whole.
func highlight(text string, matches [][2]int) template.HTML {
	var b strings.Builder
	last := 0
	for _, m := range matches {
		if m[0] < last || m[1] <= m[0] || m[1] > len(text) || !utf8.RuneStart(text[m[0]]) ||
			m[1] < len(text) && !utf8.RuneStart(text[m[1]]) {
			continue
		}
		b.WriteString(template.HTMLEscapeString(text[last:m[0]]))
		b.WriteString("<mark>")
		b.WriteString(template.HTMLEscapeString(text[m[0]:m[1]]))
		b.WriteString("</mark>")
		last = m[1]
	}
	b.WriteString(template.HTMLEscapeString(text[last:]))
	return template.HTML(b.String())
}

// facetsOf turns the counts into links that add (or, when already in the
// query, remove) a filter.
func facetsOf(facets map[string][]index.Facet, q, ui string) []facetGroup {
	var out []facetGroup
	for _, name := range index.FacetNames {
		list := facets[name]
		if len(list) == 0 {
			continue
		}
		g := facetGroup{Label: labels[ui]["facet_"+name]}
		for _, f := range list {
			filter := facetFilter(name, f.Value)
			if filter == "" {
				continue
			}
			v := facetValue{Label: f.Value, Count: f.Count}
			if name == "lang" {
				v.Label = langName(ui, f.Value)
			}
			next := strings.TrimSpace(q + " " + filter)
			if strings.Contains(q, filter) {
				v.Active = true
				next = strings.Join(strings.Fields(strings.Replace(q, filter, "", 1)), " ")
			}
			if next == "" {
				v.Href = "/"
			} else {
				v.Href = "/?" + url.Values{"q": {next}}.Encode()
			}
			g.Values = append(g.Values, v)
		}
		if len(g.Values) > 0 {
			out = append(out, g)
		}
	}
	return out
}

// facetFilter is the query filter for one facet value, "" when the value
// cannot be written as one.
func facetFilter(name, value string) string {
	if strings.Contains(value, `"`) || value == "" {
		return ""
	}
	switch name {
	case "decade": // the decade the story happened in
		if _, err := strconv.Atoi(strings.TrimSuffix(value, "s")); err != nil {
			return ""
		}
		return "decade:" + value
	case "recorded": // the decade the interview was recorded in
		y, err := strconv.Atoi(strings.TrimSuffix(value, "s"))
		if err != nil {
			return ""
		}
		return fmt.Sprintf("recorded:%d..%d", y, y+9)
	case "lang":
		return "lang:" + value
	}
	return name + `:"` + value + `"`
}

// handleAPISearch answers GET /api/search?q=... with what recuerdo search
// --json prints. Parameters mirror the command's flags: lang, limit,
// offset, after, flat, per_interview, sort (relevance or time), context,
// facets. The audience is the server's; the request cannot change it.
func (s *Server) handleAPISearch(w http.ResponseWriter, r *http.Request) {
	v := r.URL.Query()
	fail := func(status int, msg string) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		json.NewEncoder(w).Encode(map[string]string{"error": msg})
	}
	num := func(name string, def, lo, hi int) (int, bool) {
		if v.Get(name) == "" {
			return def, true
		}
		n, err := strconv.Atoi(v.Get(name))
		if err != nil || n < lo || n > hi {
			fail(http.StatusBadRequest, fmt.Sprintf("%s: want a whole number from %d to %d", name, lo, hi))
			return 0, false
		}
		return n, true
	}
	flag := func(name string, def bool) bool {
		switch v.Get(name) {
		case "1", "true", "yes":
			return true
		case "0", "false", "no":
			return false
		}
		return def
	}
	q := strings.TrimSpace(v.Get("q"))
	if q == "" {
		fail(http.StatusBadRequest, "q: the query is missing")
		return
	}
	opt := index.Options{Audience: s.opt.Audience, Now: s.opt.Now(), Lang: strings.ToLower(v.Get("lang")),
		After: v.Get("after"), Group: !flag("flat", false), Facets: flag("facets", true)}
	var ok bool
	if opt.Limit, ok = num("limit", 10, 1, index.MaxHits); !ok {
		return
	}
	if opt.Offset, ok = num("offset", 0, 0, index.MaxOffset); !ok {
		return
	}
	if opt.PerGroup, ok = num("per_interview", 3, 1, index.MaxHits); !ok {
		return
	}
	if opt.Context, ok = num("context", 0, 0, index.MaxContext); !ok {
		return
	}
	switch v.Get("sort") {
	case "", "relevance":
	case "time":
		opt.ByTime = true
	default:
		fail(http.StatusBadRequest, "sort: want relevance or time")
		return
	}
	res, err := s.ix.Search(r.Context(), s.a, q, opt)
	if err != nil {
		// The index's errors name no parameter; say which, in the API's words.
		msg := err.Error()
		var ce *index.CursorError
		switch {
		case errors.As(err, &ce):
			msg = fmt.Sprintf("after: %q is not a cursor of this kind of search (use the \"next\" of the previous page, with the same sort and flat)", ce.Cursor)
		case errors.Is(err, index.ErrBehind):
			msg = "the index is catching up with a change to the archive: try again"
		}
		fail(searchStatus(err), msg)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	json.NewEncoder(w).Encode(res)
}

// searchStatus is the HTTP status of a search's error: 400 for the
// request's fault (a malformed query, one beyond the index's limits, a
// cursor the search did not write), 503 while the index catches up with a
// change to the archive, 500 for anything else (an I/O error is never the
// request's fault), 200 for none.
func searchStatus(err error) int {
	var ce *index.CursorError
	switch {
	case err == nil:
		return http.StatusOK
	case badQuery(err), errors.As(err, &ce):
		return http.StatusBadRequest
	case errors.Is(err, index.ErrBehind):
		return http.StatusServiceUnavailable
	}
	return http.StatusInternalServerError
}

// badQuery reports whether err is the request's fault: a malformed query
// or one beyond the index's limits (a 400, not a 500).
func badQuery(err error) bool {
	var qe *index.QueryError
	var le *index.LimitError
	return errors.As(err, &qe) || errors.As(err, &le)
}
