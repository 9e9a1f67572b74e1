package web

import (
	"bytes"
	"errors"
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
	ID       string // the fragment a deep link without script scrolls to
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

type part struct{ Speaker, Text string }

// chapter is a titled stretch from an OHMS index.
type chapter struct {
	ID, Href, Time        string
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
	s.transcript(&p, iv, als)
	s.render(w, http.StatusOK, "interview", p)
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
// have gaps in Seq where moments are left out.
func (s *Server) transcript(p *interviewPage, iv *archive.Interview, als []archive.Alignment) {
	if len(iv.Tracks) == 0 {
		return
	}
	byID := map[int64]*archive.Track{}
	for i := range iv.Tracks {
		byID[iv.Tracks[i].ID] = &iv.Tracks[i]
	}
	src := &iv.Tracks[0]
	for i := range iv.Tracks {
		if iv.Tracks[i].Lang == iv.Language {
			src = &iv.Tracks[i]
			break
		}
	}
	var al *archive.Alignment
	for i := range als {
		if als[i].Src == src.ID && byID[als[i].Tgt] != nil {
			al = &als[i]
			break
		}
	}
	side := func(t *archive.Track, from, to int) (cell, int64, int64) {
		c := cell{Lang: t.Lang}
		start, end := int64(-1), int64(0)
		first := sort.Search(len(t.Segments), func(i int) bool { return t.Segments[i].Seq >= from })
		for _, seg := range t.Segments[first:] {
			if seg.Seq > to {
				break
			}
			if start < 0 {
				start = seg.StartMS
			}
			end = seg.EndMS
			c.Parts = append(c.Parts, part{Speaker: seg.Speaker, Text: seg.Text})
		}
		return c, start, end
	}
	add := func(cells []cell, start, end int64) {
		p.Rows = append(p.Rows, row{StartMS: start, EndMS: end, Time: clock(start), Href: momentHref(iv.ID, start), Cells: cells})
	}
	p.Columns = []column{{src.Lang, langName(p.Lang, src.Lang)}}
	if al == nil {
		for _, seg := range src.Segments {
			if c, start, end := side(src, seg.Seq, seg.Seq); start >= 0 {
				add([]cell{c}, start, end)
			}
		}
	} else {
		tgt := byID[al.Tgt]
		p.Columns = append(p.Columns, column{tgt.Lang, langName(p.Lang, tgt.Lang)})
		for _, pr := range al.Pairs {
			l, ls, le := side(src, pr.SrcFrom, pr.SrcTo)
			r, rs, re := side(tgt, pr.TgtFrom, pr.TgtTo)
			switch {
			case ls >= 0 && rs >= 0:
				add([]cell{l, r}, ls, max(le, re))
			case ls >= 0:
				add([]cell{l, r}, ls, le)
			case rs >= 0:
				add([]cell{l, r}, rs, re)
			}
		}
	}
	dropRepeatedSpeakers(p.Rows)
	seen := map[string]bool{}
	for i := range p.Rows {
		id := "t=" + strconv.FormatInt(p.Rows[i].StartMS/1000, 10)
		if !seen[id] {
			seen[id] = true
			p.Rows[i].ID = id
		}
	}
	s.chapters(p, iv, src)
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
// first track's that has some) before the rows they begin at. A chapter
// that begins inside a hidden stretch is already left out of iv.
func (s *Server) chapters(p *interviewPage, iv *archive.Interview, src *archive.Track) {
	chs := src.Chapters
	for i := 0; len(chs) == 0 && i < len(iv.Tracks); i++ {
		chs = iv.Tracks[i].Chapters
	}
	if len(chs) == 0 || len(p.Rows) == 0 {
		return
	}
	for _, c := range chs {
		ch := chapter{StartMS: c.StartMS, Time: clock(c.StartMS), Href: momentHref(iv.ID, c.StartMS),
			Title: c.Title, TitleAlt: c.TitleAlt, Synopsis: c.Synopsis, SynopsisAlt: c.SynopsisAlt,
			Keywords: strings.Join(append(append([]string{}, c.Keywords...), c.KeywordsAlt...), ", ")}
		ch.ID = "ch-" + strconv.Itoa(len(p.Chapters)+1)
		at := len(p.Rows) - 1
		for i, r := range p.Rows {
			if r.EndMS > c.StartMS {
				at = i
				break
			}
		}
		p.Rows[at].Chapters = append(p.Rows[at].Chapters, ch)
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
