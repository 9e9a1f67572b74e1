package web

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/recuerdo-archive/recuerdo/archive"
	"github.com/recuerdo-archive/recuerdo/index"
)

//go:embed assets templates
var files embed.FS

// Options shape a Server. The zero value serves the public's view.
type Options struct {
	Audience archive.Access   // who is looking; fixed for the server's life
	Now      func() time.Time // the clock for seals; nil means time.Now
	// MediaDirs are folders where a media file the catalogue names by a
	// relative path is looked for, as DIR/INTERVIEW/FILE and DIR/FILE.
	// Absolute paths are used as recorded.
	MediaDirs []string
	// LocalOnly refuses requests whose Host is not a loopback name, so a
	// web site the family visits cannot reach the archive through DNS
	// rebinding. Set it when listening on a loopback address.
	LocalOnly bool
	// AllowHosts are the names and addresses, besides this computer's
	// loopback ones, that a request's Host may name: those of a server
	// that other devices reach (its host name, its network addresses).
	// When not empty, requests naming another host are refused too, as
	// are requests whose Origin names one.
	AllowHosts []string
	PerPage    int // stories on a page of results; 0 means 10
	// InterviewPage is the most segments a page of a transcript shows;
	// 0 means 500. A longer interview comes in pages.
	InterviewPage int
	// Edit lets the page add moments to selections and change them
	// (recuerdo serve --edit); without it selections are only shown.
	Edit bool
	// NoCache renders every page anew instead of keeping rendered pages
	// for the catalogue's generation (cache.go).
	NoCache bool
}

// Server is the web interface over one archive and its index.
type Server struct {
	a     *archive.Archive
	live  *index.Live // the index, kept fresh by its owner (fresh.go)
	ix    *index.Index
	opt   Options
	mux   *http.ServeMux
	pages map[string]*template.Template
	cache *pageCache // nil with Options.NoCache
}

// New returns the web interface over a and its index, held for a server
// by index.Serve. The index must stay open while the server runs; its
// Follow keeps it up to date between requests.
func New(a *archive.Archive, live *index.Live, opt Options) *Server {
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if opt.PerPage <= 0 {
		opt.PerPage = 10
	}
	s := &Server{a: a, live: live, ix: live.Index(), opt: opt, mux: http.NewServeMux(), pages: parsePages()}
	if !opt.NoCache {
		s.cache = newPageCache(cacheBytes, cacheTTL)
	}
	static, _ := fs.Sub(files, "assets")
	s.mux.Handle("GET /static/", http.StripPrefix("/static/", cacheFor(time.Hour, http.FileServerFS(static))))
	s.mux.HandleFunc("GET /{$}", s.fresh(s.cachedPage(s.handleSearch)))
	s.mux.HandleFunc("GET /api/search", s.fresh(s.cachedPage(s.handleAPISearch)))
	s.mux.HandleFunc("GET /i/{id}", s.cachedPage(s.handleInterview))
	s.mux.HandleFunc("GET /i/{id}/print", s.cachedPage(s.handlePrint))
	s.mux.HandleFunc("GET /i/{id}/vtt/{track}", s.cachedPage(s.handleVTT))
	s.mux.HandleFunc("GET /i/{id}/media/{n}", s.handleMedia)
	s.mux.HandleFunc("GET /s/{$}", s.handleSelections)
	s.mux.HandleFunc("GET /s/{id}", s.handleSelection)
	s.mux.HandleFunc("GET /s/{id}/print", s.handleSelectionPrint)
	s.mux.HandleFunc("GET /s/{id}/export/{format}", s.handleSelectionExport)
	if opt.Edit {
		s.mux.HandleFunc("GET /s/add", s.handleAddForm)
		s.mux.HandleFunc("POST /s/add", s.handleAdd)
		s.mux.HandleFunc("POST /s/{id}/edit", s.handleEdit)
	}
	s.mux.HandleFunc("/", s.handleNotFound)
	return s
}

// ServeHTTP serves the pages, with headers that keep other sites and
// injected markup from doing anything.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if s.opt.LocalOnly || len(s.opt.AllowHosts) > 0 {
		if !s.allowedHost(r.Host) {
			http.Error(w, "recuerdo serves this archive to this computer only, or under the names it was given (--allow-host)", http.StatusForbidden)
			return
		}
		if o := r.Header.Get("Origin"); o != "" && !s.allowedOrigin(o) {
			http.Error(w, "recuerdo does not answer other sites' pages", http.StatusForbidden)
			return
		}
	}
	h := w.Header()
	h.Set("Content-Security-Policy", "default-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'")
	h.Set("X-Content-Type-Options", "nosniff")
	// same-origin, not no-referrer: under no-referrer a browser names
	// the origin of the page's own forms (--edit) as "null".
	h.Set("Referrer-Policy", "same-origin")
	h.Set("X-Frame-Options", "DENY")
	s.mux.ServeHTTP(w, r)
}

// allowedHost reports whether a request's Host names this computer: a
// loopback name or address, or one of Options.AllowHosts. A name that
// only resolves to this computer through some DNS server (rebinding) is
// not enough.
func (s *Server) allowedHost(host string) bool {
	host = hostOnly(host)
	if loopbackHost(host) {
		return true
	}
	ip := net.ParseIP(host)
	for _, h := range s.opt.AllowHosts {
		h = hostOnly(h)
		if strings.EqualFold(h, host) && host != "" {
			return true
		}
		if a := net.ParseIP(h); a != nil && ip != nil && a.Equal(ip) {
			return true
		}
	}
	return false
}

// allowedOrigin reports whether a request's Origin is a page of this
// server under a name it answers to.
func (s *Server) allowedOrigin(origin string) bool {
	u, err := url.Parse(origin)
	if err != nil || u.Host == "" || u.Scheme != "http" && u.Scheme != "https" {
		return false // "null" too: a sandboxed or opaque page
	}
	return s.allowedHost(u.Host)
}

// hostOnly is a Host header's or URL's host, without port, brackets or
// a final dot, in lower case.
func hostOnly(host string) string {
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	return strings.TrimSuffix(strings.ToLower(strings.Trim(host, "[]")), ".")
}

// loopbackHost reports whether host (without port) names this computer
// on its loopback interface.
func loopbackHost(host string) bool {
	if host == "localhost" || strings.HasSuffix(host, ".localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

func cacheFor(d time.Duration, h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", fmt.Sprintf("public, max-age=%d", int(d.Seconds())))
		h.ServeHTTP(w, r)
	})
}

// page is what every page's template gets.
type page struct {
	Lang       string            // the interface language, es or en
	T          map[string]string // its labels
	Title      string
	Query      string
	Switch     string // the same page in the other language
	SwitchTo   string // that language's name
	SwitchLang string // and its code
	Audience   string
}

func (s *Server) newPage(w http.ResponseWriter, r *http.Request, title string) page {
	lang := chooseLang(w, r)
	other := "en"
	if lang == "en" {
		other = "es"
	}
	q := r.URL.Query()
	q.Set("lang", other)
	u := url.URL{Path: r.URL.Path, RawQuery: q.Encode()}
	return page{Lang: lang, T: labels[lang], Title: title, Switch: u.String(), SwitchTo: labels[other]["lang_name"], SwitchLang: other,
		Audience: labels[lang]["audience_"+s.opt.Audience.String()]}
}

// render writes a page whole, or a plain error if its template fails.
func (s *Server) render(w http.ResponseWriter, status int, name string, data any) {
	var b bytes.Buffer
	if err := s.pages[name].ExecuteTemplate(&b, "layout", data); err != nil {
		http.Error(w, "page failed: "+err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	w.Write(b.Bytes())
}

func (s *Server) handleNotFound(w http.ResponseWriter, r *http.Request) {
	s.notFound(w, r)
}

// notFound answers for anything missing or not for this audience alike,
// so a page never tells that a hidden interview exists.
func (s *Server) notFound(w http.ResponseWriter, r *http.Request) {
	p := s.newPage(w, r, "")
	p.Title = p.T["not_found"]
	s.render(w, http.StatusNotFound, "error", errorPage{page: p, Message: p.T["not_found_long"]})
}

func (s *Server) serverError(w http.ResponseWriter, r *http.Request, err error) {
	p := s.newPage(w, r, "")
	p.Title = p.T["error"]
	// The error's own words are English and for whoever runs the server;
	// the page says what happened in its language.
	s.render(w, http.StatusInternalServerError, "error", errorPage{page: p, Message: p.T["server_error"]})
}

type errorPage struct {
	page
	Message string
}

// parsePages parses each page template with the shared layout.
func parsePages() map[string]*template.Template {
	out := map[string]*template.Template{}
	for _, name := range []string{"search", "interview", "error", "selections", "selection", "add"} {
		t := template.New(name).Funcs(funcs)
		out[name] = template.Must(t.ParseFS(files, "templates/layout.html", "templates/"+name+".html"))
	}
	return out
}

var funcs = template.FuncMap{}
