package web

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"sync"
	"testing"

	"github.com/recuerdo-archive/recuerdo/archive"
	"github.com/recuerdo-archive/recuerdo/index"
)

// counts is what must agree with the catalogue: totals and facets.
type counts struct {
	Total      uint64
	Interviews int
	Groups     map[string]int
	Facets     map[string][]index.Facet
}

func countsOf(t testing.TB, srv *Server, u string) counts {
	t.Helper()
	c, err := fetchCounts(srv, u)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// fetchCounts asks srv for u; it may run on any goroutine.
func fetchCounts(srv *Server, u string) (counts, error) {
	w := httptest.NewRecorder()
	srv.ServeHTTP(w, httptest.NewRequest("GET", u, nil))
	if w.Code != 200 {
		return counts{}, fmt.Errorf("GET %s: got status %d, want 200\n%.600s", u, w.Code, w.Body.String())
	}
	var res index.Results
	if err := json.Unmarshal(w.Body.Bytes(), &res); err != nil {
		return counts{}, fmt.Errorf("GET %s: %v", u, err)
	}
	c := counts{Total: res.Total, Interviews: res.Interviews, Groups: map[string]int{}, Facets: res.Facets}
	for _, g := range res.Groups {
		c.Groups[g.Interview] = g.Total
	}
	return c, nil
}

// TestFirstRequestAfterChange: the first request after a seal is added to
// the catalogue (with no Follow running to catch the index up) already
// leaves the sealed moments out of its totals and facets; so do concurrent
// requests after the seal is lifted, sharing one catch-up.
func TestFirstRequestAfterChange(t *testing.T) {
	f := newFixture(t, "radio-lupe", "abuelo-autobus")
	srv := f.server(archive.Public)
	urls := []string{"/api/search?q=radio", "/api/search?q=radio&flat=1", "/api/search?q=radio&lang=en"}
	meta := filepath.Join(f.src, "radio-lupe", "interview.yaml")
	open, err := os.ReadFile(meta)
	if err != nil {
		t.Fatal(err)
	}
	sealed := append(append([]byte{}, open...), "sealed:\n  - start: \"00:00:00.000\"\n    end: \"00:00:10.000\"\n    until: 2099-01-01\n    level: family\n"...)
	change := func(yaml []byte) {
		t.Helper()
		if err := os.WriteFile(meta, yaml, 0o644); err != nil {
			t.Fatal(err)
		}
		if err := f.ingest("radio-lupe"); err != nil {
			t.Fatal(err)
		}
	}
	// truth is what the index says once caught up by hand.
	truth := func(u string) counts {
		t.Helper()
		if _, err := f.live.Sync(context.Background()); err != nil {
			t.Fatal(err)
		}
		return countsOf(t, srv, u)
	}

	before := map[string]counts{}
	for _, u := range urls {
		before[u] = countsOf(t, srv, u)
		if before[u].Total == 0 {
			t.Fatalf("GET %s: no hits before the seal", u)
		}
	}
	for _, u := range urls {
		change(sealed)
		got := countsOf(t, srv, u) // the very next request
		want := truth(u)
		if !reflect.DeepEqual(got, want) {
			t.Errorf("GET %s right after the seal: got %+v, want %+v", u, got, want)
		}
		if got.Total >= before[u].Total {
			t.Errorf("GET %s: total %d after the seal, want fewer than %d", u, got.Total, before[u].Total)
		}
		change(open)
		var wg sync.WaitGroup
		res := make([]counts, 6)
		errs := make([]error, len(res))
		for i := range res {
			wg.Add(1)
			go func() {
				defer wg.Done()
				res[i], errs[i] = fetchCounts(srv, u)
			}()
		}
		wg.Wait()
		for i, got := range res {
			if errs[i] != nil {
				t.Error(errs[i])
			} else if !reflect.DeepEqual(got, before[u]) {
				t.Errorf("GET %s (request %d of %d at once) after the seal lifted: got %+v, want %+v", u, i+1, len(res), got, before[u])
			}
		}
	}
}

// BenchmarkSyncCurrent is what every search request adds when nothing
// changed: the catalogue's generation against the index's.
func BenchmarkSyncCurrent(b *testing.B) {
	f := newFixture(b, "radio-lupe")
	ctx := context.Background()
	for b.Loop() {
		if _, err := f.live.Sync(ctx); err != nil {
			b.Fatal(err)
		}
	}
}
