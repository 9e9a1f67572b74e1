package web

import (
	"bytes"
	"compress/gzip"
	"container/list"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// pageCache keeps rendered pages (search results, transcripts, subtitle
// tracks) for the catalogue's generation they were made from: many
// visitors asking for the same pages (a family reunion, a museum kiosk)
// are answered from memory until the catalogue changes. An entry lasts
// cacheTTL at most, so the passing of a seal's date shows soon; the cache
// holds at most cacheBytes, dropping the least recently used.
//
// One request renders a missing page while the others asking for it
// wait for it (a crowd arriving at once renders each page once), and a
// page past its time is still served while one request renders it anew.
type pageCache struct {
	mu      sync.Mutex
	entries map[string]*list.Element
	renders map[string]*render // pages being rendered, by key
	lru     list.List          // of *cached, most recent first
	size    int
	max     int
	ttl     time.Duration
}

// cached is one rendered answer.
type cached struct {
	key    string
	gen    int64
	made   time.Time
	status int
	ctype  string
	cc     string // its Cache-Control, for the browser
	body   []byte
	gzOnce sync.Once
	gz     []byte // body gzipped, made when first asked for (set under the cache's lock)
	redo   bool   // past its time: one request is rendering it anew
}

// render is a page being rendered, for the requests waiting for it.
type render struct {
	done chan struct{}
	e    *cached // nil when it could not be kept
}

const (
	cacheBytes    = 64 << 20
	cacheMaxEntry = 4 << 20
	cacheTTL      = 10 * time.Second
)

func newPageCache(max int, ttl time.Duration) *pageCache {
	return &pageCache{entries: map[string]*list.Element{}, renders: map[string]*render{}, max: max, ttl: ttl}
}

// get returns the kept page for key and gen, or nil when there is none
// fresh enough to serve.
func (c *pageCache) get(key string, gen int64, now time.Time) *cached {
	c.mu.Lock()
	defer c.mu.Unlock()
	el, ok := c.entries[key]
	if !ok {
		return nil
	}
	e := el.Value.(*cached)
	if e.gen != gen || now.Before(e.made) || now.Sub(e.made) > c.ttl {
		return nil
	}
	return e
}

// lookup returns the page to serve for key and gen, if any, and whether
// the caller is to render it (anew, when a page is returned too: then the
// caller renders and the others keep being served the old page). When
// another request is rendering a missing page, lookup waits for it. A
// caller told to render must call rendered.
func (c *pageCache) lookup(key string, gen int64, now time.Time) (e *cached, mustRender bool) {
	c.mu.Lock()
	if el, ok := c.entries[key]; ok {
		e = el.Value.(*cached)
		switch {
		case e.gen != gen || now.Before(e.made):
			c.remove(el)
		case now.Sub(e.made) > c.ttl:
			c.lru.MoveToFront(el)
			first := !e.redo
			e.redo = true
			c.mu.Unlock()
			return e, first
		default:
			c.lru.MoveToFront(el)
			c.mu.Unlock()
			return e, false
		}
	}
	if r, ok := c.renders[key]; ok {
		c.mu.Unlock()
		<-r.done
		if r.e != nil && r.e.gen == gen {
			return r.e, false
		}
		return nil, false // not kept: render it without the cache
	}
	c.renders[key] = &render{done: make(chan struct{})}
	c.mu.Unlock()
	return nil, true
}

// rendered ends a render of key (e nil when it is not to be kept) and
// hands it to the requests waiting for it.
func (c *pageCache) rendered(key string, e *cached) {
	c.mu.Lock()
	r := c.renders[key]
	delete(c.renders, key)
	if el, ok := c.entries[key]; ok && e == nil && el.Value.(*cached).redo {
		c.remove(el) // the page could not be made anew: the next request tries
	}
	c.mu.Unlock()
	if e != nil {
		c.put(e)
	}
	if r != nil {
		r.e = e
		close(r.done)
	}
}

// cost is what e holds in memory; under c.mu.
func (e *cached) cost() int { return len(e.key) + len(e.body) + len(e.gz) }

func (c *pageCache) put(e *cached) {
	if len(e.key)+len(e.body) > min(cacheMaxEntry, c.max) {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if el, ok := c.entries[e.key]; ok {
		c.remove(el)
	}
	c.entries[e.key] = c.lru.PushFront(e)
	c.size += e.cost()
	for c.size > c.max {
		c.remove(c.lru.Back())
	}
}

func (c *pageCache) remove(el *list.Element) {
	e := c.lru.Remove(el).(*cached)
	delete(c.entries, e.key)
	c.size -= e.cost()
}

// setGzip gives e its gzipped body, counting it when e is kept.
func (c *pageCache) setGzip(e *cached, gz []byte) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if el, ok := c.entries[e.key]; ok && el.Value.(*cached) == e {
		c.size += len(gz)
	}
	e.gz = gz
}

// recorder holds a handler's answer for the cache.
type recorder struct {
	h      http.Header
	status int
	buf    bytes.Buffer
}

func (r *recorder) Header() http.Header { return r.h }
func (r *recorder) WriteHeader(code int) {
	if r.status == 0 {
		r.status = code
	}
}
func (r *recorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	return r.buf.Write(b)
}

// cacheable statuses depend on the request and the catalogue alone.
var cacheable = map[int]bool{http.StatusOK: true, http.StatusBadRequest: true, http.StatusNotFound: true}

// cachedPage answers GET requests from the page cache, or renders them
// with h and keeps the answer. The key is the request's path and query
// and the interface language (from ?lang=, the cookie or the browser);
// the server's audience is fixed. Answers are gzipped for clients that
// accept it.
func (s *Server) cachedPage(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if s.cache == nil || r.Method != http.MethodGet {
			h(w, r)
			return
		}
		gen, err := s.a.Generation(r.Context())
		if err != nil {
			h(w, r)
			return
		}
		lang := chooseLang(w, r) // sets the cookie when ?lang= asks
		key := lang + " " + r.URL.RequestURI()
		old, mustRender := s.cache.lookup(key, gen, time.Now())
		if old != nil && !mustRender {
			s.writeCached(w, r, old)
			return
		}
		made := time.Now()
		rec := &recorder{h: http.Header{}}
		if mustRender {
			var keep *cached
			// Even if h panics, the requests waiting for it go on.
			defer func() { s.cache.rendered(key, keep) }()
			h(rec, r)
			if rec.status == 0 {
				rec.status = http.StatusOK
			}
			page := &cached{key: key, gen: gen, made: made, status: rec.status, ctype: rec.h.Get("Content-Type"),
				cc: rec.h.Get("Cache-Control"), body: rec.buf.Bytes()}
			if cacheable[rec.status] && r.Context().Err() == nil {
				keep = page
			}
			s.writeCached(w, r, page)
			return
		}
		h(w, r) // a page the cache could not keep
	}
}

// writeCached writes an answer, gzipped when the client accepts it and it
// is worth it.
func (s *Server) writeCached(w http.ResponseWriter, r *http.Request, e *cached) {
	hd := w.Header()
	if e.ctype != "" {
		hd.Set("Content-Type", e.ctype)
	}
	if e.cc != "" {
		hd.Set("Cache-Control", e.cc)
	}
	hd.Add("Vary", "Accept-Encoding")
	body := e.body
	if len(body) >= 1024 && acceptsGzip(r) {
		e.gzOnce.Do(func() {
			var b bytes.Buffer
			zw, _ := gzip.NewWriterLevel(&b, gzip.BestSpeed)
			zw.Write(e.body)
			zw.Close()
			s.cache.setGzip(e, b.Bytes())
		})
		body = e.gz
		hd.Set("Content-Encoding", "gzip")
	}
	hd.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(e.status)
	w.Write(body)
}

func acceptsGzip(r *http.Request) bool {
	for _, part := range strings.Split(r.Header.Get("Accept-Encoding"), ",") {
		name, q, _ := strings.Cut(strings.TrimSpace(part), ";")
		if strings.EqualFold(strings.TrimSpace(name), "gzip") && strings.ReplaceAll(strings.TrimSpace(q), " ", "") != "q=0" {
			return true
		}
	}
	return false
}
