package web

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/recuerdo-archive/recuerdo/archive"
	"github.com/recuerdo-archive/recuerdo/subtitles/export"
)

// Selections are named lists of moments with notes (archive.Selection): a
// family's favourites, an editor's selects. Their pages show and play only
// the moments the server's audience may see (archive.View); with
// Options.Edit, moments can be added from the transcript and the search
// results, and notes changed or moments taken out on a selection's page.

// selectionPage is a selection: its moments in order, with a player that
// plays them one after the other.
type selectionPage struct {
	page
	ID, Name, Note string
	Moments        []selMoment
	Hidden         bool // some moments are not shown to this audience
	Print          bool
	Edit           bool
	PrintHref      string
	Exports        []exportLink
}

type exportLink struct{ Name, Href string }

// selMoment is one moment of a selection as the audience sees it.
type selMoment struct {
	N              int // 1-based position in the selection, for editing
	Story          story
	Time, Href     string
	StartMS, EndMS int64
	Src            string // the recording, "" when none may be played
	Audio          bool   // the recording has no picture
	Note           string
	Cells          []cell
}

// selectionsPage lists the selections.
type selectionsPage struct {
	page
	List []selectionLink
	Edit bool
}

type selectionLink struct {
	Name, Href string
	Count      int
}

// addPage is the form that adds a moment to a selection.
type addPage struct {
	page
	Interview      string
	StoryTitle     string
	StartMS, EndMS int64
	Time           string
	Text           string
	Choices        []selectionLink
}

func (s *Server) handleSelections(w http.ResponseWriter, r *http.Request) {
	list, err := s.a.Selections(r.Context())
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	p := selectionsPage{page: s.newPage(w, r, ""), Edit: s.opt.Edit}
	p.Title = p.T["selections"] + " — " + p.T["site"]
	for _, sel := range list {
		moments, _ := s.visibleMoments(r.Context(), &sel, p.Lang)
		p.List = append(p.List, selectionLink{Name: sel.Title, Href: "/s/" + url.PathEscape(sel.ID), Count: len(moments)})
	}
	s.render(w, http.StatusOK, "selections", p)
}

func (s *Server) handleSelection(w http.ResponseWriter, r *http.Request) { s.selection(w, r, false) }
func (s *Server) handleSelectionPrint(w http.ResponseWriter, r *http.Request) {
	s.selection(w, r, true)
}

func (s *Server) selection(w http.ResponseWriter, r *http.Request, print bool) {
	sel, err := s.a.Selection(r.Context(), r.PathValue("id"))
	if errors.Is(err, archive.ErrNotFound) {
		s.notFound(w, r)
		return
	}
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	p := selectionPage{page: s.newPage(w, r, ""), ID: sel.ID, Name: sel.Title, Note: sel.Note, Print: print, Edit: s.opt.Edit && !print}
	p.Title = sel.Title + " — " + p.T["site"]
	base := "/s/" + url.PathEscape(sel.ID)
	p.PrintHref = base + "/print"
	if p.Moments, p.Hidden = s.visibleMoments(r.Context(), sel, p.Lang); p.Moments == nil && p.Hidden && !s.opt.Edit {
		// Nothing this audience may see: as if there were no selection.
		s.notFound(w, r)
		return
	}
	for _, f := range export.Formats() {
		p.Exports = append(p.Exports, exportLink{Name: string(f), Href: base + "/export/" + string(f)})
	}
	if print {
		for i := range p.Moments {
			p.Moments[i].Src = ""
		}
	}
	s.render(w, http.StatusOK, "selection", p)
}

// visibleMoments lays out the moments of sel the audience may see, in
// order, and reports whether any were left out: a moment of an interview
// the audience may not see, or whose every segment is sealed from it. A
// moment of an interview under a seal in force has no recording to play,
// as on the interview's page.
func (s *Server) visibleMoments(ctx context.Context, sel *archive.Selection, ui string) ([]selMoment, bool) {
	views := map[string]*archive.View{}
	var out []selMoment
	hidden := false
	for i, it := range sel.Items {
		v, ok := views[it.Interview]
		if !ok {
			var err error
			v, err = s.a.View(ctx, it.Interview, s.opt.Audience, s.opt.Now(), true)
			if err != nil || !v.Allowed() {
				v = nil
			}
			views[it.Interview] = v
		}
		if v == nil {
			hidden = true
			continue
		}
		iv := v.Interview()
		m := selMoment{N: i + 1, Story: storyOf(iv, ui), Time: clock(it.StartMS), StartMS: it.StartMS, EndMS: it.EndMS,
			Href: momentWithQuery(iv.ID, it.StartMS, ""), Note: it.Note}
		tracks := append([]archive.Track(nil), iv.Tracks...)
		sort.SliceStable(tracks, func(a, b int) bool { return tracks[a].Lang == iv.Language && tracks[b].Lang != iv.Language })
		seen := map[string]bool{}
		for _, t := range tracks {
			if seen[t.Lang] {
				continue
			}
			c := cell{Lang: t.Lang}
			for _, seg := range t.Segments {
				if seg.StartMS < it.EndMS && seg.EndMS > it.StartMS || it.StartMS == it.EndMS && seg.StartMS <= it.StartMS && seg.EndMS > it.StartMS {
					c.Parts = append(c.Parts, part{Speaker: seg.Speaker, Text: seg.Text})
				}
			}
			if len(c.Parts) > 0 {
				seen[t.Lang] = true
				m.Cells = append(m.Cells, c)
			}
		}
		if len(m.Cells) == 0 {
			hidden = true // sealed from this audience, or nothing said there
			continue
		}
		if !v.Withheld() {
			if pl := s.playerOf(iv, ui); pl != nil {
				m.Src, m.Audio = pl.Src, pl.Audio
			}
		}
		out = append(out, m)
	}
	return out, hidden
}

// handleSelectionExport writes a selection's visible moments for editing
// software, in one of the search's export formats.
func (s *Server) handleSelectionExport(w http.ResponseWriter, r *http.Request) {
	sel, err := s.a.Selection(r.Context(), r.PathValue("id"))
	if errors.Is(err, archive.ErrNotFound) {
		s.notFound(w, r)
		return
	}
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	f, err := export.ParseFormat(r.PathValue("format"))
	if err != nil {
		s.notFound(w, r)
		return
	}
	moments, _ := s.visibleMoments(r.Context(), sel, "es")
	if len(moments) == 0 {
		s.notFound(w, r)
		return
	}
	clips := make([]export.Clip, 0, len(moments))
	for _, m := range moments {
		iv, err := s.a.Interview(r.Context(), m.Story.ID, false)
		if err != nil {
			s.serverError(w, r, err)
			return
		}
		c := export.Clip{Interview: iv.ID, Title: iv.Title, Start: time.Duration(m.StartMS) * time.Millisecond, End: time.Duration(m.EndMS) * time.Millisecond}
		if len(iv.Media) > 0 {
			c.Media, c.FPS, c.StartTimecode = iv.Media[0].File, iv.Media[0].FPS, iv.Media[0].StartTimecode
		}
		c.Lang, c.Speaker, c.Text = m.Cells[0].Lang, m.Cells[0].Parts[0].Speaker, cellText(m.Cells[0])
		if len(m.Cells) > 1 {
			c.TranslationLang, c.Translation = m.Cells[1].Lang, cellText(m.Cells[1])
		}
		if m.Note != "" {
			c.Text += " [" + m.Note + "]"
		}
		clips = append(clips, c)
	}
	var b bytes.Buffer
	if err := export.Write(&b, f, clips, export.Options{Title: "recuerdo: " + sel.Title}); err != nil {
		// The moments cannot be written so (an EDL has one frame rate).
		p := s.newPage(w, r, "")
		p.Title = p.T["error"]
		s.render(w, http.StatusBadRequest, "error", errorPage{page: p, Message: p.T["export_failed"]})
		return
	}
	w.Header().Set("Content-Type", exportType(f))
	w.Header().Set("Content-Disposition", `attachment; filename="`+sel.ID+f.Ext()+`"`)
	w.Write(b.Bytes())
}

// exportType is the Content-Type of an export format.
func exportType(f export.Format) string {
	switch f {
	case export.FormatCSV:
		return "text/csv; charset=utf-8"
	case export.FormatJSON:
		return "application/json"
	case export.FormatFCPXML:
		return "application/xml"
	case export.FormatWebVTT:
		return "text/vtt; charset=utf-8"
	}
	return "text/plain; charset=utf-8"
}

func cellText(c cell) string {
	var parts []string
	for _, p := range c.Parts {
		parts = append(parts, p.Text)
	}
	return strings.Join(parts, " ")
}

// handleAddForm asks which selection a moment goes into (GET
// /s/add?i=ID&start=MS&end=MS), with --edit only.
func (s *Server) handleAddForm(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	start, err1 := strconv.ParseInt(q.Get("start"), 10, 64)
	end, err2 := strconv.ParseInt(q.Get("end"), 10, 64)
	if err1 != nil || err2 != nil || start < 0 || end < start {
		s.notFound(w, r)
		return
	}
	v, err := s.a.View(r.Context(), q.Get("i"), s.opt.Audience, s.opt.Now(), true)
	if err != nil || !v.Allowed() {
		s.notFound(w, r)
		return
	}
	iv := v.Interview()
	p := addPage{page: s.newPage(w, r, ""), Interview: iv.ID, StartMS: start, EndMS: end, Time: clock(start)}
	p.StoryTitle = storyOf(iv, p.Lang).Title
	p.Title = p.T["add_to_selection"] + " — " + p.T["site"]
	sel := &archive.Selection{Items: []archive.SelectionItem{{Interview: iv.ID, StartMS: start, EndMS: end}}}
	if ms, _ := s.visibleMoments(r.Context(), sel, p.Lang); len(ms) > 0 {
		p.Text = cellText(ms[0].Cells[0])
	} else {
		s.notFound(w, r)
		return
	}
	list, err := s.a.Selections(r.Context())
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	for _, sl := range list {
		p.Choices = append(p.Choices, selectionLink{Name: sl.Title, Href: sl.ID, Count: len(sl.Items)})
	}
	s.render(w, http.StatusOK, "add", p)
}

// handleAdd adds a moment to a selection (a new one when it names none),
// with --edit only.
func (s *Server) handleAdd(w http.ResponseWriter, r *http.Request) {
	if !s.sameOrigin(r) {
		http.Error(w, "recuerdo does not answer other sites' pages", http.StatusForbidden)
		return
	}
	start, err1 := strconv.ParseInt(r.PostFormValue("start"), 10, 64)
	end, err2 := strconv.ParseInt(r.PostFormValue("end"), 10, 64)
	id := r.PostFormValue("interview")
	v, err := s.a.View(r.Context(), id, s.opt.Audience, s.opt.Now(), false)
	if err1 != nil || err2 != nil || err != nil || !v.Allowed() {
		s.badForm(w, r)
		return
	}
	item := archive.SelectionItem{Interview: id, StartMS: start, EndMS: end, Note: strings.TrimSpace(r.PostFormValue("note"))}
	var sel *archive.Selection
	if to := r.PostFormValue("selection"); to != "" {
		if sel, err = s.a.Selection(r.Context(), to); err != nil {
			s.badForm(w, r)
			return
		}
	} else {
		title := strings.TrimSpace(r.PostFormValue("title"))
		sel = &archive.Selection{ID: s.newSelectionID(r.Context(), title), Title: title}
	}
	sel.Items = append(sel.Items, item)
	if err := s.a.SaveSelection(r.Context(), sel); err != nil {
		s.badForm(w, r)
		return
	}
	http.Redirect(w, r, "/s/"+url.PathEscape(sel.ID), http.StatusSeeOther)
}

// handleEdit changes a selection from its page: a moment's note, a moment
// moved up or taken out, or the selection deleted. With --edit only.
func (s *Server) handleEdit(w http.ResponseWriter, r *http.Request) {
	if !s.sameOrigin(r) {
		http.Error(w, "recuerdo does not answer other sites' pages", http.StatusForbidden)
		return
	}
	sel, err := s.a.Selection(r.Context(), r.PathValue("id"))
	if err != nil {
		s.notFound(w, r)
		return
	}
	if r.PostFormValue("action") == "delete" {
		if err := s.a.DeleteSelection(r.Context(), sel.ID); err != nil {
			s.serverError(w, r, err)
			return
		}
		http.Redirect(w, r, "/s/", http.StatusSeeOther)
		return
	}
	n, err := strconv.Atoi(r.PostFormValue("n"))
	if err != nil || n < 1 || n > len(sel.Items) {
		s.badForm(w, r)
		return
	}
	i := n - 1
	switch r.PostFormValue("action") {
	case "note":
		sel.Items[i].Note = strings.TrimSpace(r.PostFormValue("note"))
	case "up":
		if i > 0 {
			sel.Items[i-1], sel.Items[i] = sel.Items[i], sel.Items[i-1]
		}
	case "remove":
		sel.Items = append(sel.Items[:i], sel.Items[i+1:]...)
	default:
		s.badForm(w, r)
		return
	}
	if err := s.a.SaveSelection(r.Context(), sel); err != nil {
		s.badForm(w, r)
		return
	}
	http.Redirect(w, r, "/s/"+url.PathEscape(sel.ID)+"#m-"+strconv.Itoa(min(n, len(sel.Items))), http.StatusSeeOther)
}

// newSelectionID makes an id from a title (lower case, ASCII letters and
// digits joined by hyphens) that no selection has yet.
func (s *Server) newSelectionID(ctx context.Context, title string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(foldAccents(title)) {
		switch {
		case r < 128 && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			b.WriteRune(r)
			dash = false
		case !dash && b.Len() > 0:
			b.WriteByte('-')
			dash = true
		}
		if b.Len() >= 48 {
			break
		}
	}
	base := strings.Trim(b.String(), "-")
	if base == "" {
		base = "seleccion"
	}
	id := base
	for n := 2; ; n++ {
		if _, err := s.a.Selection(ctx, id); errors.Is(err, archive.ErrNotFound) {
			return id
		}
		id = base + "-" + strconv.Itoa(n)
	}
}

// foldAccents drops the accents of Spanish letters (á → a, ñ → n).
func foldAccents(s string) string {
	return strings.NewReplacer("á", "a", "é", "e", "í", "i", "ó", "o", "ú", "u", "ü", "u", "ñ", "n",
		"Á", "a", "É", "e", "Í", "i", "Ó", "o", "Ú", "u", "Ü", "u", "Ñ", "n").Replace(s)
}

// sameOrigin reports whether a form was sent from this server's own page:
// a browser says where a request comes from (Sec-Fetch-Site, which no
// page can set) and names the page's origin on every POST; a request with
// neither comes from no browser, and so from no other site's page.
func (s *Server) sameOrigin(r *http.Request) bool {
	if site := r.Header.Get("Sec-Fetch-Site"); site != "" {
		return site == "same-origin" || site == "none"
	}
	o := r.Header.Get("Origin")
	if o == "" {
		return true
	}
	u, err := url.Parse(o)
	return err == nil && (hostOnly(u.Host) == hostOnly(r.Host) || s.allowedOrigin(o))
}

func (s *Server) badForm(w http.ResponseWriter, r *http.Request) {
	p := s.newPage(w, r, "")
	p.Title = p.T["error"]
	s.render(w, http.StatusBadRequest, "error", errorPage{page: p, Message: p.T["bad_form"]})
}

// addHref is the link that adds a moment to a selection, with --edit.
func addHref(id string, start, end int64) string {
	return "/s/add?" + url.Values{"i": {id}, "start": {strconv.FormatInt(start, 10)}, "end": {strconv.FormatInt(end, 10)}}.Encode()
}
