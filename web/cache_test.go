package web

import (
	"bytes"
	"compress/gzip"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/recuerdo-archive/recuerdo/archive"
)

// TestPageCache checks that a kept page is the page rendered anew: in
// either language, gzipped or not, and never one from before the
// catalogue changed.
func TestPageCache(t *testing.T) {
	f := newFixture(t, "radio-lupe")
	cachedSrv := f.server(archive.Public)
	fresh := New(f.a, f.live, Options{Audience: archive.Public, MediaDirs: []string{f.src}, NoCache: true})
	targets := []string{"/?q=radio", "/?q=cocina", "/api/search?q=antena", "/i/radio-lupe", "/i/radio-lupe?q=radio", "/i/nada", "/?q=%22radio"}
	check := func(when string) {
		t.Helper()
		for _, target := range targets {
			for _, lang := range []string{"es", "en"} {
				want := get(t, fresh, target, "Accept-Language: "+lang)
				for range 2 { // rendered, then kept
					got := get(t, cachedSrv, target, "Accept-Language: "+lang)
					if got.Code != want.Code || got.Body.String() != want.Body.String() {
						t.Errorf("%s: %s in %s: the kept page (%d, %d bytes) differs from a new one (%d, %d bytes)",
							when, target, lang, got.Code, got.Body.Len(), want.Code, want.Body.Len())
					}
				}
				z := get(t, cachedSrv, target, "Accept-Language: "+lang, "Accept-Encoding: gzip, deflate")
				body := z.Body.Bytes()
				if z.Header().Get("Content-Encoding") == "gzip" {
					zr, err := gzip.NewReader(bytes.NewReader(body))
					if err != nil {
						t.Fatal(err)
					}
					body, _ = io.ReadAll(zr)
				} else if want.Body.Len() >= 1024 {
					t.Errorf("%s: %s is not gzipped for a browser that accepts it", when, target)
				}
				if string(body) != want.Body.String() {
					t.Errorf("%s: %s gzipped is not the page", when, target)
				}
			}
		}
	}
	check("before an ingest")
	if strings.Contains(get(t, cachedSrv, "/?q=cocina").Body.String(), "La cocina de la abuela") {
		t.Fatal("cocina-larga found before it was ingested")
	}
	if err := f.ingest("cocina-larga"); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(get(t, cachedSrv, "/?q=cocina").Body.String(), "La cocina de la abuela") {
		t.Error("after an ingest, the search page kept from before is served")
	}
	check("after an ingest")
}

// TestPageCacheBounds checks the cache's limits on size and age.
func TestPageCacheBounds(t *testing.T) {
	c := newPageCache(10_000, time.Minute)
	now := time.Now()
	for i := 0; i < 10; i++ {
		c.put(&cached{key: string(rune('a' + i)), gen: 1, made: now, body: make([]byte, 3000)})
	}
	if c.size > 10_000 || len(c.entries) != 3 {
		t.Errorf("holds %d bytes in %d entries, want at most 10000 bytes (3 entries)", c.size, len(c.entries))
	}
	if c.get("j", 1, now) == nil || c.get("a", 1, now) != nil {
		t.Error("the most recent entry went, or the oldest stayed")
	}
	if c.get("j", 2, now) != nil {
		t.Error("an entry of another generation was served")
	}
	c.put(&cached{key: "k", gen: 1, made: now})
	if c.get("k", 1, now.Add(2*time.Minute)) != nil {
		t.Error("an entry older than its time was served")
	}
}
