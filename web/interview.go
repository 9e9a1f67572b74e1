package web

import (
	"bytes"
	"errors"
	"html/template"
	"math"
	"net/http"
	"net/url"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/recuerdo-archive/recuerdo/archive"
	"github.com/recuerdo-archive/recuerdo/subtitles"
)

// interviewPage is an interview's metadata, player and transcript.
type interviewPage struct {
	page
	Story        story
	Interviewers string
	Collection   string
	Summary      string
	SummaryAlt   string
	Print        bool
	PrintHref    string
	Media        *player
	Withheld     bool // a seal in force keeps the recording back
	Missing      bool // the catalogue names a recording this computer lacks
	Sealed       bool // some passages are left out
	Columns      []column
	Rows         []row
	Chapters     []chapter
	// A long transcript comes in pages (Options.InterviewPage segments
	// each); Pages is 1 for most interviews, and then none of this shows.
	Page, Pages        int
	PrevHref, NextHref string
	FromMS, ToMS       int64 // the stretch of time this page covers; ToMS -1 on the last page
	// Moments are a search's hits in this interview (?q=), in time order,
	// highlighted in the transcript and played in turn.
	Moments *moments
}

// moments is the search a transcript was opened from and its hits there.
type moments struct {
	Query     string
	Count     int
	MS        string // the hits' times, comma separated, for the player
	FirstHref string
	ClearHref string
	Error     string // the search failed (worded for the page)
}

// player is the recording and its subtitle tracks.
type player struct {
	Src    string
	Audio  bool
	Type   string
	Tracks []vttTrack
}

type vttTrack struct {
	Src, Lang, Label string
	Default          bool
}

type column struct{ Lang, Name string }

// row is one moment of the transcript: the source segments and their
// aligned translation.
type row struct {
	ID       string // the fragment a deep link without script scrolls to: t=SECONDS.MILLISECONDS
	Hit      bool   // holds a hit of the search the page was opened from
	AddHref  string // keeps the moment in a selection (with Options.Edit)
	StartMS  int64
	EndMS    int64
	Time     string
	Href     string
	Chapters []chapter // chapters that begin here
	Cells    []cell
}

// cell is one language's side of a row.
type cell struct {
	Lang  string
	Parts []part
}

// part is one segment of a cell; Mark is its text with a search's
// matches highlighted, when it is one of the search's hits.
type part struct {
	Speaker, Text string
	Mark          template.HTML
}

// chapter is a titled stretch from an OHMS index.
type chapter struct {
	ID, Href, Time        string
	TocHref               string // the contents' link: #ID, on this page or another
	StartMS               int64
	Title, TitleAlt       string
	Synopsis, SynopsisAlt string
	Keywords              string
}

// visibleInterview loads an interview the server's audience may see, as
// that audience sees it (archive.View decides; the copy it gives holds only
// what may be shown); it reports false when there is none.
func (s *Server) visibleInterview(w http.ResponseWriter, r *http.Request, segments bool) (*archive.View, *archive.Interview, bool) {
	v, err := s.a.View(r.Context(), r.PathValue("id"), s.opt.Audience, s.opt.Now(), segments)
	if errors.Is(err, archive.ErrNotFound) || err == nil && !v.Allowed() {
		s.notFound(w, r)
		return nil, nil, false
	}
	if err != nil {
		s.serverError(w, r, err)
		return nil, nil, false
	}
	return v, v.Interview(), true
}

func (s *Server) handleInterview(w http.ResponseWriter, r *http.Request) { s.interview(w, r, false) }
func (s *Server) handlePrint(w http.ResponseWriter, r *http.Request)     { s.interview(w, r, true) }

func (s *Server) interview(w http.ResponseWriter, r *http.Request, print bool) {
	v, iv, ok := s.visibleInterview(w, r, true)
	if !ok {
		return
	}
	all, err := s.a.Alignments(r.Context(), iv.ID)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	als := v.Alignments(all)
	p := interviewPage{page: s.newPage(w, r, "")}
	p.Story = storyOf(iv, p.Lang)
	p.Title = p.Story.Title + " — " + p.T["site"]
	p.Interviewers, p.Collection, p.Print = strings.Join(iv.Interviewers, ", "), iv.Collection, print
	p.PrintHref = "/i/" + url.PathEscape(iv.ID) + "/print"
	p.Summary, p.SummaryAlt = iv.Summary, iv.SummaryEN
	if p.Lang == "en" && iv.SummaryEN != "" {
		p.Summary, p.SummaryAlt = iv.SummaryEN, iv.Summary
	}
	if !print && len(iv.Media) > 0 {
		switch {
		case v.Withheld():
			p.Withheld = true
		default:
			p.Media = s.playerOf(iv, p.Lang)
			p.Missing = p.Media == nil
		}
	}
	p.Sealed = v.Partial()
	want := pageWanted(r)
	var hits *hitSet
	if q := strings.TrimSpace(r.URL.Query().Get("q")); q != "" && !print {
		hits = s.interviewHits(r, iv.ID, q, &p)
		want.query = q
		if want.ms < 0 && want.page == 0 && hits != nil && len(hits.times) > 0 {
			want.ms = hits.times[0]
		}
	}
	s.transcript(&p, iv, als, want, hits)
	s.render(w, http.StatusOK, "interview", p)
}

// pageWant is the page of a transcript a request asks for: a page
// number (?page=2) or the page holding a moment (?t=754, in seconds, as
// the #t= of a deep link).
type pageWant struct {
	page  int   // 1-based; 0 for none
	ms    int64 // -1 for none
	whole bool  // ms was asked in whole seconds (an older link: #t=34)
	query string
}

func pageWanted(r *http.Request) pageWant {
	want := pageWant{ms: -1}
	q := r.URL.Query()
	if t, err := strconv.ParseFloat(q.Get("t"), 64); err == nil && t >= 0 && t < 1e9 {
		want.ms = int64(math.Round(t * 1000))
		want.whole = !strings.Contains(q.Get("t"), ".")
	}
	if n, err := strconv.Atoi(q.Get("page")); err == nil && n > 0 {
		want.page = n
	}
	return want
}

// playerOf is the player for the first recording of iv found on this
// computer, with a subtitle track per language; nil when none is found.
func (s *Server) playerOf(iv *archive.Interview, ui string) *player {
	for i, m := range iv.Media {
		path, ok := s.mediaPath(iv, m)
		if !ok {
			continue
		}
		ext := strings.ToLower(filepath.Ext(path))
		pl := &player{Src: "/i/" + url.PathEscape(iv.ID) + "/media/" + strconv.Itoa(i), Audio: audioExts[ext], Type: mediaTypes[ext]}
		seen := map[string]bool{}
		for _, t := range iv.Tracks {
			if seen[t.Lang] || len(t.Segments) == 0 {
				continue
			}
			seen[t.Lang] = true
			pl.Tracks = append(pl.Tracks, vttTrack{Src: "/i/" + url.PathEscape(iv.ID) + "/vtt/" + strconv.FormatInt(t.ID, 10),
				Lang: t.Lang, Label: langName(ui, t.Lang), Default: t.Lang == ui})
		}
		return pl
	}
	return nil
}

var audioExts = map[string]bool{".wav": true, ".mp3": true, ".m4a": true, ".aac": true, ".ogg": true, ".oga": true, ".opus": true, ".flac": true}

var mediaTypes = map[string]string{
	".wav": "audio/wav", ".mp3": "audio/mpeg", ".m4a": "audio/mp4", ".aac": "audio/aac", ".ogg": "audio/ogg",
	".oga": "audio/ogg", ".opus": "audio/ogg", ".flac": "audio/flac",
	".mp4": "video/mp4", ".m4v": "video/mp4", ".webm": "video/webm", ".mov": "video/quicktime", ".ogv": "video/ogg",
}

// transcript lays out the interview's rows: the source track and its
// aligned translation side by side, or the source alone. iv and als hold
// only what the audience may see (archive.View): a track's segments may
// have gaps in Seq where moments are left out. A long transcript is cut
// into pages of at most Options.InterviewPage segments (a row holding
// more has a page of its own): only the wanted page's rows are built.
func (s *Server) transcript(p *interviewPage, iv *archive.Interview, als []archive.Alignment, want pageWant, hits *hitSet) {
	p.Page, p.Pages = 1, 1
	if len(iv.Tracks) == 0 {
		return
	}
	byID := map[int64]*archive.Track{}
	for i := range iv.Tracks {
		byID[iv.Tracks[i].ID] = &iv.Tracks[i]
	}
	// The source is the track in the interview's language that has a
	// translation aligned to it (an interview may hold a transcript and
	// subtitles in its language); else the one the archive would align.
	var al *archive.Alignment
	var src *archive.Track
	for i := range als {
		if s := byID[als[i].Src]; s != nil && s.Lang == iv.Language && byID[als[i].Tgt] != nil {
			src, al = s, &als[i]
			break
		}
	}
	if src == nil {
		src = iv.TrackFor(iv.Language)
	}
	if src == nil {
		src = &iv.Tracks[0]
	}
	var tgt *archive.Track
	p.Columns = []column{{src.Lang, langName(p.Lang, src.Lang)}}
	if al != nil {
		tgt = byID[al.Tgt]
		p.Columns = append(p.Columns, column{tgt.Lang, langName(p.Lang, tgt.Lang)})
	}
	refs := rowRefs(src, tgt, al)
	if len(refs) == 0 {
		return
	}
	starts := pageStarts(refs, s.opt.InterviewPage)
	p.Pages = len(starts)
	page := min(max(want.page, 1), p.Pages)
	if want.ms >= 0 {
		page = pageOf(starts, rowAtTime(refs, want.ms, want.whole))
	}
	p.Page = page
	from, to := starts[page-1], len(refs)
	if page < p.Pages {
		to = starts[page]
	}
	paged := p.Pages > 1
	href := func(ms int64) string {
		if paged {
			return pagedMomentHref(iv.ID, ms)
		}
		return momentHref(iv.ID, ms)
	}
	cellOf := func(t *archive.Track, i, j int) (cell, bool) {
		c := cell{Lang: t.Lang}
		hit := false
		for _, seg := range t.Segments[i:j] {
			pt := part{Speaker: seg.Speaker, Text: seg.Text}
			if m, ok := hits.find(t, seg); ok {
				pt.Mark, hit = highlight(seg.Text, m), true
			}
			c.Parts = append(c.Parts, pt)
		}
		return c, hit
	}
	for _, ref := range refs[from:to] {
		c, hit := cellOf(src, ref.src[0], ref.src[1])
		cells := []cell{c}
		if tgt != nil {
			c, h := cellOf(tgt, ref.tgt[0], ref.tgt[1])
			cells, hit = append(cells, c), hit || h
		}
		rw := row{StartMS: ref.start, EndMS: ref.end, Time: clock(ref.start), Href: href(ref.start), Cells: cells, Hit: hit}
		if s.opt.Edit && !p.Print {
			rw.AddHref = addHref(iv.ID, ref.start, ref.end)
		}
		p.Rows = append(p.Rows, rw)
	}
	dropRepeatedSpeakers(p.Rows)
	seen := map[string]bool{}
	for i := range p.Rows {
		id := "t=" + seconds(p.Rows[i].StartMS)
		if !seen[id] {
			seen[id] = true
			p.Rows[i].ID = id
		}
	}
	if paged {
		base := "/i/" + url.PathEscape(iv.ID)
		if p.Print {
			base += "/print"
		}
		pageHref := func(n int) string {
			v := url.Values{"page": {strconv.Itoa(n)}}
			if want.query != "" {
				v.Set("q", want.query)
			}
			return base + "?" + v.Encode()
		}
		if page > 1 {
			p.PrevHref = pageHref(page - 1)
			p.FromMS = refs[from].start
		}
		p.ToMS = -1
		if page < p.Pages {
			p.NextHref = pageHref(page + 1)
			p.ToMS = refs[to].start
		}
		s.chapters(p, iv, src, refs, func(at int) (bool, string) {
			n := pageOf(starts, at)
			return n == page, pageHref(n)
		}, href, from)
		return
	}
	s.chapters(p, iv, src, refs, func(int) (bool, string) { return true, "" }, href, 0)
}

// rowRef is one row of a transcript before it is built: the segments
// it holds on each side (indexes into the track's segments, from and to
// the one after) and its times.
type rowRef struct {
	src, tgt   [2]int
	start, end int64
}

// rowRefs lists the rows of a transcript: one per source segment, or
// with an alignment one per aligned pair that shows anything.
func rowRefs(src, tgt *archive.Track, al *archive.Alignment) []rowRef {
	span := func(t *archive.Track, from, to int) (i, j int) {
		i = sort.Search(len(t.Segments), func(k int) bool { return t.Segments[k].Seq >= from })
		j = sort.Search(len(t.Segments), func(k int) bool { return t.Segments[k].Seq > to })
		return i, max(i, j)
	}
	var out []rowRef
	if al == nil {
		out = make([]rowRef, len(src.Segments))
		for i, seg := range src.Segments {
			out[i] = rowRef{src: [2]int{i, i + 1}, start: seg.StartMS, end: seg.EndMS}
		}
		return out
	}
	for _, pr := range al.Pairs {
		li, lj := span(src, pr.SrcFrom, pr.SrcTo)
		ri, rj := span(tgt, pr.TgtFrom, pr.TgtTo)
		ref := rowRef{src: [2]int{li, lj}, tgt: [2]int{ri, rj}}
		switch {
		case li < lj && ri < rj:
			ref.start, ref.end = src.Segments[li].StartMS, max(src.Segments[lj-1].EndMS, tgt.Segments[rj-1].EndMS)
		case li < lj:
			ref.start, ref.end = src.Segments[li].StartMS, src.Segments[lj-1].EndMS
		case ri < rj:
			ref.start, ref.end = tgt.Segments[ri].StartMS, tgt.Segments[rj-1].EndMS
		default:
			continue
		}
		out = append(out, ref)
	}
	return out
}

// pageStarts cuts rows into pages of at most perPage segments (0 means
// defaultInterviewPage) and returns the first row of each.
func pageStarts(refs []rowRef, perPage int) []int {
	if perPage <= 0 {
		perPage = defaultInterviewPage
	}
	starts := []int{0}
	n := 0
	for i, r := range refs {
		segs := r.src[1] - r.src[0] + r.tgt[1] - r.tgt[0]
		if n > 0 && n+segs > perPage {
			starts = append(starts, i)
			n = 0
		}
		n += segs
	}
	return starts
}

// defaultInterviewPage is how many segments a page of a transcript holds
// at most: a long interview's page (a million segments made 261 MB of
// HTML) stays a page a browser reads at once.
const defaultInterviewPage = 500

// pageOf is the page (1-based) holding row i.
func pageOf(starts []int, i int) int {
	return sort.Search(len(starts), func(k int) bool { return starts[k] > i })
}

// rowAtTime is the row a link to the moment ms lands on: the last row
// starting at or before it (the one being spoken), else the first. A
// moment asked in whole seconds (an older link, #t=34) lands on the first
// row starting within that second, if any: the line it was made for.
func rowAtTime(refs []rowRef, ms int64, whole bool) int {
	sec := ms / 1000
	at := 0
	for i, r := range refs {
		if whole && r.start/1000 == sec {
			return i
		}
		if r.start <= ms {
			at = i
		}
	}
	return at
}

// pagedMomentHref is the link to a moment of a transcript in pages: the
// server picks the page holding it (?t=) and the browser the row (#t=).
func pagedMomentHref(id string, ms int64) string {
	t := seconds(ms)
	return "/i/" + url.PathEscape(id) + "?t=" + t + "#t=" + t
}

// seconds writes milliseconds as seconds with as many decimals as they
// need (34.947, 12.5, 20): the t= of a link to a moment.
func seconds(ms int64) string {
	return strconv.FormatFloat(float64(ms)/1000, 'f', -1, 64)
}

// dropRepeatedSpeakers names a speaker only where the speaker changes,
// column by column, as a transcript reads.
func dropRepeatedSpeakers(rows []row) {
	last := map[int]string{}
	for i := range rows {
		for c := range rows[i].Cells {
			parts := rows[i].Cells[c].Parts
			for k := range parts {
				if parts[k].Speaker == last[c] {
					parts[k].Speaker = ""
				} else {
					last[c] = parts[k].Speaker
				}
			}
		}
	}
}

// chapters places the source track's OHMS chapters (or, without any, the
// first track's that has some) before the rows they begin at, and lists
// them all in the contents. onPage tells whether row at (of all the
// transcript's rows) is on this page, whose first row is from, or which
// page holds it.
func (s *Server) chapters(p *interviewPage, iv *archive.Interview, src *archive.Track, refs []rowRef,
	onPage func(at int) (bool, string), href func(ms int64) string, from int) {
	chs := src.Chapters
	for i := 0; len(chs) == 0 && i < len(iv.Tracks); i++ {
		chs = iv.Tracks[i].Chapters
	}
	if len(chs) == 0 || len(refs) == 0 {
		return
	}
	for _, c := range chs {
		ch := chapter{StartMS: c.StartMS, Time: clock(c.StartMS), Href: href(c.StartMS),
			Title: c.Title, TitleAlt: c.TitleAlt, Synopsis: c.Synopsis, SynopsisAlt: c.SynopsisAlt,
			Keywords: strings.Join(append(append([]string{}, c.Keywords...), c.KeywordsAlt...), ", ")}
		ch.ID = "ch-" + strconv.Itoa(len(p.Chapters)+1)
		at := len(refs) - 1
		for i, r := range refs {
			if r.end > c.StartMS {
				at = i
				break
			}
		}
		here, other := onPage(at)
		ch.TocHref = other + "#" + ch.ID
		if here {
			ch.TocHref = "#" + ch.ID
			p.Rows[at-from].Chapters = append(p.Rows[at-from].Chapters, ch)
		}
		p.Chapters = append(p.Chapters, ch)
	}
}

// handleVTT serves one track as WebVTT for the player, without the
// segments the audience may not see.
func (s *Server) handleVTT(w http.ResponseWriter, r *http.Request) {
	_, iv, ok := s.visibleInterview(w, r, true)
	if !ok {
		return
	}
	id, err := strconv.ParseInt(r.PathValue("track"), 10, 64)
	var t *archive.Track
	for i := range iv.Tracks {
		if err == nil && iv.Tracks[i].ID == id {
			t = &iv.Tracks[i]
		}
	}
	if t == nil {
		s.notFound(w, r)
		return
	}
	var cues []subtitles.Cue
	for _, seg := range t.Segments {
		cues = append(cues, subtitles.Cue{Start: time.Duration(seg.StartMS) * time.Millisecond,
			End: time.Duration(seg.EndMS) * time.Millisecond, Speaker: seg.Speaker, Text: seg.Text})
	}
	var b bytes.Buffer
	if err := subtitles.Write(&b, subtitles.FormatWebVTT, cues); err != nil {
		s.serverError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/vtt; charset=utf-8")
	w.Write(b.Bytes())
}

// handleMedia serves a recording the catalogue names, with range
// requests, unless a seal in force keeps it back from the audience.
func (s *Server) handleMedia(w http.ResponseWriter, r *http.Request) {
	v, iv, ok := s.visibleInterview(w, r, false)
	if !ok {
		return
	}
	n, err := strconv.Atoi(r.PathValue("n"))
	if err != nil || n < 0 || n >= len(iv.Media) || v.Withheld() {
		s.notFound(w, r)
		return
	}
	path, ok := s.mediaPath(iv, iv.Media[n])
	if !ok {
		s.notFound(w, r)
		return
	}
	s.serveMedia(w, r, path)
}
