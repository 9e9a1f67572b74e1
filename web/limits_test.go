package web

import (
	"fmt"
	"math"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/recuerdo-archive/recuerdo/archive"
)

// TestSearchLimits checks that a search beyond the index's limits is
// refused with 400 and a message naming the limit, in the page and in
// the JSON API, not answered (at great cost) or failed with a 500.
func TestSearchLimits(t *testing.T) {
	srv := shared(t).server(archive.Staff)
	many := strings.TrimSpace(strings.Repeat("casa ", 40))
	tests := []struct {
		target string
		want   string // in the message
	}{
		{"/api/search?q=" + url.QueryEscape(many), "query words: 40, more than the limit of 32"},
		{"/?q=" + url.QueryEscape(many), "The search is too large: the search&#39;s words, 40, and the limit is 32."},
		{"/api/search?q=" + strings.Repeat("a", 2000), "query length in bytes: 2000, more than the limit of 1024"},
		{"/?q=" + strings.Repeat("a", 2000), "the search&#39;s length in bytes, 2000, and the limit is 1024"},
		{"/api/search?q=" + url.QueryEscape(strings.Repeat("casa~ ", 9)), "more than the limit of 8"},
		{"/api/search?q=casa&limit=1000&per_interview=1000", "more than the limit of 1000"},
		{"/api/search?q=casa&limit=1000&flat=1&context=50", "more than the limit of 20000"},
		{"/api/search?q=casa&context=51", "context: want a whole number from 0 to 50"},
		{"/api/search?q=casa&limit=1001", "limit: want a whole number from 1 to 1000"},
		{"/api/search?q=casa&offset=100001", "offset: want a whole number from 0 to 100000"},
	}
	for _, tt := range tests {
		t.Run(tt.target[:min(len(tt.target), 60)], func(t *testing.T) {
			w := get(t, srv, tt.target, "Accept-Language: en")
			wantStatus(t, w, tt.target, http.StatusBadRequest)
			if !strings.Contains(w.Body.String(), tt.want) {
				t.Errorf("answer does not say %q:\n%s", tt.want, w.Body.String())
			}
		})
	}
	// Within the limits all is as before.
	for _, target := range []string{"/api/search?q=casa&limit=100&per_interview=10&context=9", "/api/search?q=casa&flat=1&limit=1000", "/?q=" + url.QueryEscape(strings.Repeat("casa ", 32))} {
		wantStatus(t, get(t, srv, target), target, http.StatusOK)
	}
}

// TestAllowHosts checks the Host and Origin check of a server other
// devices reach: this computer's loopback names and the names it was
// given pass; any other name, and pages of other sites, are refused.
func TestAllowHosts(t *testing.T) {
	f := shared(t)
	srv := New(f.a, f.live, Options{AllowHosts: []string{"Archivo.Casa.lan", "192.168.1.5", "fd00::2"}})
	tests := []struct {
		host, origin string
		want         int
	}{
		{"127.0.0.1:8080", "", 200},
		{"localhost", "", 200},
		{"archivo.casa.lan:8080", "", 200},
		{"ARCHIVO.CASA.LAN.", "", 200},
		{"192.168.1.5:8080", "", 200},
		{"[fd00::2]:8080", "", 200},
		{"192.168.1.5:8080", "http://192.168.1.5:8080", 200},
		{"evil.example:8080", "", 403},
		{"192.168.1.6", "", 403},
		{"", "", 403},
		{"192.168.1.5:8080", "http://evil.example", 403},
		{"192.168.1.5:8080", "null", 403},
	}
	for _, tt := range tests {
		r := httptest.NewRequest("GET", "/", nil)
		r.Host = tt.host
		if tt.origin != "" {
			r.Header.Set("Origin", tt.origin)
		}
		w := httptest.NewRecorder()
		srv.ServeHTTP(w, r)
		if w.Code != tt.want {
			t.Errorf("Host %q, Origin %q: got %d, want %d", tt.host, tt.origin, w.Code, tt.want)
		}
	}
}

// TestInterviewPages checks that a long transcript comes in pages of at
// most Options.InterviewPage segments, which together hold every row of
// the whole transcript once and in order; that a link to a moment (?t=)
// lands on the page holding it; and that chapters, the print view and
// the links between pages follow.
func TestInterviewPages(t *testing.T) {
	f := shared(t)
	whole := f.server(archive.Staff)
	paged := New(f.a, f.live, Options{Audience: archive.Staff, MediaDirs: []string{f.src}, InterviewPage: 50})
	starts := regexp.MustCompile(`<div class="row"(?: id="[^"]*")? data-start="(\d+)"`)
	rowsOf := func(body string) []string {
		var out []string
		for _, m := range starts.FindAllStringSubmatch(body, -1) {
			out = append(out, m[1])
		}
		return out
	}
	segsOf := func(body string) int {
		_, tr, _ := strings.Cut(body, `<div class="transcript`)
		tr, _, _ = strings.Cut(tr, "</article>")
		return strings.Count(tr, "<p>")
	}
	w := get(t, whole, "/i/abuelo-autobus", "Accept-Language: en")
	all := rowsOf(w.Body.String())
	if len(all) < 50 || strings.Contains(w.Body.String(), `class="pager"`) || strings.Contains(w.Body.String(), "?page=") {
		t.Fatalf("the whole transcript: %d rows, or a pager where the default page holds it all", len(all))
	}
	var got []string
	pages := 0
	for n := 1; ; n++ {
		target := fmt.Sprintf("/i/abuelo-autobus?page=%d", n)
		w := get(t, paged, target, "Accept-Language: en")
		wantStatus(t, w, target, 200)
		body := w.Body.String()
		if segs := segsOf(body); segs > 50 || segs == 0 {
			t.Errorf("%s: %d segments, want 1 to 50", target, segs)
		}
		if !strings.Contains(body, fmt.Sprintf("Page %d of ", n)) || !strings.Contains(body, `data-page="`+strconv.Itoa(n)+`"`) {
			t.Errorf("%s does not say which page it is", target)
		}
		if n > 1 && !strings.Contains(body, fmt.Sprintf(`rel="prev" href="/i/abuelo-autobus?page=%d"`, n-1)) {
			t.Errorf("%s has no link to the page before", target)
		}
		if !strings.Contains(body, `<a class="time" href="/i/abuelo-autobus?t=`) {
			t.Errorf("%s: its lines do not link to their page", target)
		}
		got = append(got, rowsOf(body)...)
		pages = n
		if !strings.Contains(body, fmt.Sprintf(`rel="next" href="/i/abuelo-autobus?page=%d"`, n+1)) {
			break
		}
		if n > 100 {
			t.Fatal("no last page")
		}
	}
	if pages < 3 || strings.Join(got, ",") != strings.Join(all, ",") {
		t.Errorf("%d pages hold rows\n%v\nwant\n%v", pages, got, all)
	}
	// A link to a moment lands on the page holding it.
	for _, i := range []int{0, len(all) / 2, len(all) - 1} {
		ms, _ := strconv.ParseInt(all[i], 10, 64)
		target := "/i/abuelo-autobus?t=" + seconds(ms)
		body := get(t, paged, target).Body.String()
		if !strings.Contains(body, fmt.Sprintf(`id="t=%s" data-start="%d"`, seconds(ms), ms)) {
			t.Errorf("%s: the page does not hold the moment", target)
		}
	}
	// A search's links name the moment, time shown, and land on its page.
	sb := get(t, paged, "/?q=licuadora", "Accept-Language: en").Body.String()
	link := regexp.MustCompile(`<a class="time" href="(/i/abuelo-autobus\?q=licuadora&amp;t=([\d.]+)#t=[\d.]+)" aria-label="[^"]*">(\d+:\d\d)</a>`).FindStringSubmatch(sb)
	if link == nil {
		t.Fatalf("search page has no link to a moment with its time:\n%s", sb)
	}
	// The hit may be a translation's line, or the second of a row's lines:
	// the row that holds it starts at that second or is the last before.
	sec, _ := strconv.ParseFloat(link[2], 64)
	var holder string
	for _, st := range all {
		ms, _ := strconv.ParseInt(st, 10, 64)
		if ms <= int64(math.Round(sec*1000)) {
			holder = st
		}
	}
	target := strings.ReplaceAll(strings.Split(link[1], "#")[0], "&amp;", "&")
	if body := get(t, paged, target).Body.String(); !strings.Contains(body, `data-start="`+holder+`"`) {
		t.Errorf("%s: the page does not hold the moment (the row starting at %s ms)", link[1], holder)
	}
	for target, want := range map[string]string{"/i/abuelo-autobus?page=999": fmt.Sprintf("Page %d of %d", pages, pages), "/i/abuelo-autobus?page=x": "Page 1 of "} {
		if body := get(t, paged, target, "Accept-Language: en").Body.String(); !strings.Contains(body, want) {
			t.Errorf("%s: lacks %q", target, want)
		}
	}
	// The print view comes in the same pages, and says so.
	w = get(t, paged, "/i/abuelo-autobus/print?page=2", "Accept-Language: en")
	if b := w.Body.String(); !strings.Contains(b, "A long transcript prints in parts; this is one of them: Page 2 of") ||
		!strings.Contains(b, `href="/i/abuelo-autobus/print?page=3"`) || segsOf(b) > 50 {
		t.Errorf("print view, page 2:\n%s", b)
	}
	// Chapters: each before its line, on its page; the contents link to
	// every one, on whichever page.
	small := New(f.a, f.live, Options{Audience: archive.Staff, InterviewPage: 4})
	body := get(t, small, "/i/radio-lupe", "Accept-Language: en").Body.String()
	for _, want := range []string{`<a href="#ch-1">La radio de bulbos</a>`, `<a href="/i/radio-lupe?page=2#ch-2">La tormenta</a>`, `<section class="chapter" id="ch-1">`} {
		if !strings.Contains(body, want) {
			t.Errorf("radio-lupe, page 1, lacks %q", want)
		}
	}
	if strings.Contains(body, `id="ch-2"`) {
		t.Errorf("radio-lupe, page 1, holds chapter 2")
	}
	body = get(t, small, "/i/radio-lupe?t=19", "Accept-Language: en").Body.String()
	if !regexp.MustCompile(`(?s)id="ch-2">.*?</section>\s*<div class="row" id="t=20"`).MatchString(body) || !strings.Contains(body, "Page 2 of 3") {
		t.Errorf("radio-lupe?t=19: chapter 2 is not on page 2, before the line at 0:20")
	}
}
