package web

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/recuerdo-archive/recuerdo/archive"
	"github.com/recuerdo-archive/recuerdo/index"
)

// get asks h for target with optional header lines ("Name: value").
func get(t testing.TB, h http.Handler, target string, headers ...string) *httptest.ResponseRecorder {
	t.Helper()
	r := httptest.NewRequest("GET", target, nil)
	for _, hv := range headers {
		k, v, _ := strings.Cut(hv, ": ")
		r.Header.Set(k, v)
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

func wantStatus(t testing.TB, w *httptest.ResponseRecorder, target string, want int) {
	t.Helper()
	if w.Code != want {
		t.Fatalf("GET %s: got status %d, want %d\n%.600s", target, w.Code, want, w.Body.String())
	}
}

// content is what a page shows of the archive: its main part, without
// the header that echoes the query and the address.
func content(body string) string {
	if i := strings.Index(body, "<main"); i >= 0 {
		body = body[i:]
	}
	if i := strings.Index(body, "</main>"); i >= 0 {
		body = body[:i]
	}
	return body
}

func trackID(t testing.TB, f *fixture, id, lang string) int64 {
	t.Helper()
	iv, err := f.a.Interview(context.Background(), id, false)
	if err != nil {
		t.Fatal(err)
	}
	for _, tr := range iv.Tracks {
		if tr.Lang == lang {
			return tr.ID
		}
	}
	t.Fatalf("%s has no %s track", id, lang)
	return 0
}

func TestSearchShowsStoryCards(t *testing.T) {
	srv := shared(t).server(archive.Staff)
	for _, q := range []string{"autobus", "autobús", "Autobuses", "autobsu"} {
		t.Run(q, func(t *testing.T) {
			target := "/?" + url.Values{"q": {q}}.Encode()
			w := get(t, srv, target, "Accept-Language: en")
			wantStatus(t, w, target, 200)
			body := w.Body.String()
			for _, want := range []string{
				`<li class="card">`,
				`<a href="/i/abuelo-autobus">The trips to El Paso</a>`,
				`Ramón Herrera Soto · Santiago Papasquiaro, Durango, México · <time datetime="2019-03-14">`,
				`href="/i/abuelo-autobus?q=`,
			} {
				if !strings.Contains(body, want) {
					t.Errorf("page lacks %q", want)
				}
			}
			// The matching line and its translation, both highlighted.
			if !regexp.MustCompile(`<p lang="es">.*<mark>[Aa]utob[uú]s(es)?</mark>`).MatchString(body) {
				t.Errorf("no highlighted Spanish line")
			}
			if !regexp.MustCompile(`<p class="tr" lang="en"><span class="tag">English</span> .*\bbus\b`).MatchString(body) {
				t.Errorf("no English translation")
			}
		})
	}
	// Words found in both languages are highlighted on both sides.
	w := get(t, srv, "/?q=%22El+Paso%22", "Accept-Language: en")
	if !regexp.MustCompile(`<p class="tr" lang="en">.*<mark>El</mark> <mark>Paso</mark>`).MatchString(w.Body.String()) {
		t.Errorf("no highlighted English translation:\n%s", w.Body.String())
	}
}

// A grandchild's words spread over a story still find it, and the page
// says the moments hold most of the words, not all.
func TestSearchPartialWords(t *testing.T) {
	srv := shared(t).server(archive.Staff)
	for lang, want := range map[string]string{"en": "No moment has all your words", "es": "Ningún momento tiene todas sus palabras"} {
		w := get(t, srv, "/?q=abuelo+casa+puerta+asul", "Accept-Language: "+lang)
		wantStatus(t, w, "partial search", 200)
		body := w.Body.String()
		if !strings.Contains(body, want) || !strings.Contains(body, `<li class="card">`) {
			t.Errorf("%s: page lacks the partial note or a card:\n%s", lang, body)
		}
	}
	w := get(t, srv, "/?q=puerta+azul", "Accept-Language: en")
	if strings.Contains(w.Body.String(), "No moment has all your words") {
		t.Errorf("a search whose words are all found says they are not")
	}
}

func TestSearchFacetsAndPages(t *testing.T) {
	f := shared(t)
	srv := New(f.a, f.live, Options{Audience: archive.Staff, PerPage: 1})
	w := get(t, srv, "/?q=abuela", "Accept-Language: es")
	wantStatus(t, w, "/?q=abuela", 200)
	body := w.Body.String()
	for _, want := range []string{
		`<h3>Narrador</h3>`,
		`href="/?q=abuela&#43;narrator%3A%22Ram%C3%B3n&#43;Herrera&#43;Soto%22"`,
		`href="/?q=abuela&#43;recorded%3A2010..2019"`,
		`<h3>Grabada en</h3>`,
		`<a rel="next" href="/?p=2&amp;q=abuela">`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("page 1 lacks %q", want)
		}
	}
	if strings.Contains(body, `rel="prev"`) {
		t.Errorf("page 1 has a link to a previous page")
	}
	w = get(t, srv, "/?p=2&q=abuela")
	if !strings.Contains(w.Body.String(), `<a rel="prev" href="/?q=abuela">`) {
		t.Errorf("page 2 lacks a link back to page 1")
	}
	// A chosen facet shows as active, and its link takes the filter away.
	target := "/?" + url.Values{"q": {`abuela narrator:"Ramón Herrera Soto"`}}.Encode()
	w = get(t, srv, target)
	wantStatus(t, w, target, 200)
	if !strings.Contains(w.Body.String(), `<a href="/?q=abuela" class="active" aria-current="true">Ramón Herrera Soto`) {
		t.Errorf("active facet not shown with a link that removes it:\n%s", w.Body.String())
	}
}

func TestSearchBadQuery(t *testing.T) {
	srv := shared(t).server(archive.Staff)
	target := "/?q=" + url.QueryEscape(`casa "puerta`)
	w := get(t, srv, target, "Accept-Language: en")
	wantStatus(t, w, target, http.StatusBadRequest)
	if !strings.Contains(w.Body.String(), "a quote is not closed: add the closing &#34; (at character 6).") {
		t.Errorf("page does not say what is wrong:\n%s", w.Body.String())
	}
}

func TestStoriesList(t *testing.T) {
	srv := shared(t).server(archive.Public)
	w := get(t, srv, "/", "Accept-Language: en")
	wantStatus(t, w, "/", 200)
	body := w.Body.String()
	if !strings.Contains(body, `<a href="/i/abuelo-autobus">The trips to El Paso</a>`) || !strings.Contains(body, `<a href="/i/radio-lupe">`) {
		t.Errorf("home page does not list the public stories")
	}
	if strings.Contains(body, "casa-puerta-azul") {
		t.Errorf("home page lists a family interview to the public")
	}
}

func TestInterfaceLanguage(t *testing.T) {
	srv := shared(t).server(archive.Public)
	tests := []struct {
		name, target string
		headers      []string
		want         string
	}{
		{"default", "/", nil, "Buscar en las entrevistas"},
		{"browser en", "/", []string{"Accept-Language: en-US,en;q=0.9"}, "Search the interviews"},
		{"browser es", "/", []string{"Accept-Language: es-MX,es;q=0.9,en;q=0.5"}, "Buscar en las entrevistas"},
		{"browser other", "/", []string{"Accept-Language: fr-FR"}, "Buscar en las entrevistas"},
		{"switch", "/?lang=en", []string{"Accept-Language: es"}, "Search the interviews"},
		{"cookie", "/", []string{"Accept-Language: es", "Cookie: lang=en"}, "Search the interviews"},
		{"switch back", "/?lang=es", []string{"Cookie: lang=en"}, "Buscar en las entrevistas"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := get(t, srv, tt.target, tt.headers...)
			if !strings.Contains(w.Body.String(), tt.want) {
				t.Errorf("got a page without %q", tt.want)
			}
		})
	}
	w := get(t, srv, "/?lang=en")
	if c := w.Header().Get("Set-Cookie"); !strings.HasPrefix(c, "lang=en;") {
		t.Errorf("?lang=en: got Set-Cookie %q, want lang=en", c)
	}
}

func TestLabelsInBothLanguages(t *testing.T) {
	for k := range labels["es"] {
		if labels["en"][k] == "" {
			t.Errorf("label %q has no English", k)
		}
	}
	for k := range labels["en"] {
		if labels["es"][k] == "" {
			t.Errorf("label %q has no Spanish", k)
		}
	}
}

func TestInterviewPage(t *testing.T) {
	f := shared(t)
	srv := f.server(archive.Staff)
	w := get(t, srv, "/i/abuelo-autobus", "Accept-Language: es")
	wantStatus(t, w, "/i/abuelo-autobus", 200)
	body := w.Body.String()
	for _, want := range []string{
		"<h1>Los viajes a El Paso</h1>",
		`<dt>Narración</dt><dd>Ramón Herrera Soto</dd>`,
		`<span class="cell" lang="es">español</span><span class="cell" lang="en">inglés</span>`,
		`<div class="cell" lang="es"><p><span class="speaker">Lucía:</span> Abuelo, ¿ya está grabando? Sí, ya.</p>`,
		`<div class="cell" lang="en"><p><span class="speaker">Lucía:</span> Grandpa, is it recording? Yes, it is.</p>`,
		`<div class="row" id="t=4.2" data-start="4200"`,
		`<a class="time" href="/i/abuelo-autobus#t=4.2"`,
		"La grabación no está en esta computadora.", // the sample names a video it does not ship
		`<a href="/i/abuelo-autobus/print">`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	w = get(t, srv, "/i/abuelo-autobus/print", "Accept-Language: en")
	wantStatus(t, w, "/i/abuelo-autobus/print", 200)
	if b := w.Body.String(); !strings.Contains(b, `class="interview printable"`) || !strings.Contains(b, "Grandpa, is it recording?") || strings.Contains(b, "<audio") {
		t.Errorf("print view is not the transcript without a player")
	}
}

func TestInterviewPlayerAndChapters(t *testing.T) {
	f := shared(t)
	srv := f.server(archive.Public)
	w := get(t, srv, "/i/radio-lupe", "Accept-Language: en")
	wantStatus(t, w, "/i/radio-lupe", 200)
	body := w.Body.String()
	es, en := trackID(t, f, "radio-lupe", "es"), trackID(t, f, "radio-lupe", "en")
	for _, want := range []string{
		`<audio id="media" controls preload="metadata">`,
		`<source src="/i/radio-lupe/media/0" type="audio/wav">`,
		fmt.Sprintf(`<track kind="subtitles" src="/i/radio-lupe/vtt/%d" srclang="es" label="Spanish">`, es),
		fmt.Sprintf(`<track kind="subtitles" src="/i/radio-lupe/vtt/%d" srclang="en" label="English" default>`, en),
		`<h2 id="toc">Chapters</h2>`,
		`La radio de bulbos <span class="alt">/ The tube radio</span>`,
		`<span>Keywords:</span> radio, cocina`,
		`<section class="chapter" id="ch-2">`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	// The storm chapter (19 s) comes right before the line at 20 s.
	if !regexp.MustCompile(`(?s)id="ch-2">.*?</section>\s*<div class="row" id="t=20"`).MatchString(body) {
		t.Errorf("chapter 2 is not placed before the line at 0:20")
	}
	target := fmt.Sprintf("/i/radio-lupe/vtt/%d", es)
	w = get(t, srv, target)
	wantStatus(t, w, target, 200)
	if ct := w.Header().Get("Content-Type"); ct != "text/vtt; charset=utf-8" {
		t.Errorf("WebVTT served as %q", ct)
	}
	if b := w.Body.String(); !strings.HasPrefix(b, "WEBVTT\n") || !strings.Contains(b, "00:00:20.000 --> 00:00:23.000\n<v Lupe>Una tormenta") {
		t.Errorf("WebVTT track:\n%s", b)
	}
}

func TestMediaRanges(t *testing.T) {
	srv := shared(t).server(archive.Public)
	w := get(t, srv, "/i/radio-lupe/media/0", "Range: bytes=0-99")
	wantStatus(t, w, "/i/radio-lupe/media/0", http.StatusPartialContent)
	if w.Body.Len() != 100 || !bytes.HasPrefix(w.Body.Bytes(), []byte("RIFF")) {
		t.Errorf("got %d bytes starting %q, want the first 100 of the WAV", w.Body.Len(), w.Body.Bytes()[:4])
	}
	if cr := w.Header().Get("Content-Range"); cr != fmt.Sprintf("bytes 0-99/%d", len(wav(30*time.Second))) {
		t.Errorf("got Content-Range %q", cr)
	}
	if ct := w.Header().Get("Content-Type"); ct != "audio/wav" {
		t.Errorf("got Content-Type %q, want audio/wav", ct)
	}
	w = get(t, srv, "/i/radio-lupe/media/0", "Range: bytes=239000-")
	wantStatus(t, w, "/i/radio-lupe/media/0", http.StatusPartialContent)
}

// TestAccess checks that what is above the audience never reaches the
// browser: interviews above it, sealed stretches (and their reasons),
// and the recording of an interview with a seal in force.
func TestAccess(t *testing.T) {
	f := shared(t)
	esCasa, enCasa := trackID(t, f, "casa-puerta-azul", "es"), trackID(t, f, "casa-puerta-azul", "en")
	// The family interview; its sealed stretch (00:02:50.3-00:03:15.25)
	// speaks of a lawyer and a land dispute.
	sealed := []string{"abogado", "lawyer", "Manuel decía que el terreno", "Asunto familiar privado", "disputa"}
	casa := []string{"casa-puerta-azul", "La casa de la puerta azul", "The house with the blue door"}
	urls := []string{
		"/", "/?q=puerta+azul", "/?q=abogado", "/?q=lawyer", "/?q=terreno", "/?q=Manuel",
		"/api/search?q=puerta+azul", "/api/search?q=abogado&flat=1&context=50", "/api/search?q=terreno&lang=en",
		"/api/search?q=casa&audience=staff", "/api/search?q=Manuel&context=5",
		"/i/casa-puerta-azul", "/i/casa-puerta-azul/print",
		fmt.Sprintf("/i/casa-puerta-azul/vtt/%d", esCasa), fmt.Sprintf("/i/casa-puerta-azul/vtt/%d", enCasa),
		"/i/casa-puerta-azul/media/0",
	}
	tests := []struct {
		aud       archive.Access
		forbidden []string
		status    map[string]int
	}{
		{archive.Public, append(append([]string{}, sealed...), casa...), map[string]int{
			"/i/casa-puerta-azul": 404, "/i/casa-puerta-azul/print": 404, "/i/casa-puerta-azul/media/0": 404,
			fmt.Sprintf("/i/casa-puerta-azul/vtt/%d", esCasa): 404,
		}},
		{archive.Family, sealed, map[string]int{
			"/i/casa-puerta-azul": 200, "/i/casa-puerta-azul/media/0": 404,
			fmt.Sprintf("/i/casa-puerta-azul/vtt/%d", esCasa): 200,
		}},
	}
	for _, tt := range tests {
		t.Run(tt.aud.String(), func(t *testing.T) {
			srv := f.server(tt.aud)
			for _, u := range urls {
				w := get(t, srv, u, "Accept-Language: en")
				if want, ok := tt.status[u]; ok && w.Code != want {
					t.Errorf("GET %s: got status %d, want %d", u, w.Code, want)
				}
				for _, s := range tt.forbidden {
					if strings.Contains(content(w.Body.String()), s) {
						t.Errorf("GET %s shows %q to the %s audience", u, s, tt.aud)
					}
				}
				if strings.HasPrefix(u, "/api/search") && w.Code == 200 {
					var res index.Results
					if err := json.Unmarshal(w.Body.Bytes(), &res); err != nil {
						t.Errorf("GET %s: %v", u, err)
					}
					for name, list := range res.Facets {
						for _, fc := range list {
							if name == "collection" && fc.Value == "Familia Herrera" && tt.aud == archive.Public && res.Total > 0 {
								continue // the public samples share the collection
							}
							if fc.Count > int(res.Total) {
								t.Errorf("GET %s: facet %s=%s counts %d of %d visible hits", u, name, fc.Value, fc.Count, res.Total)
							}
						}
					}
				}
			}
		})
	}
	t.Run("family sees the rest", func(t *testing.T) {
		srv := f.server(archive.Family)
		w := get(t, srv, "/i/casa-puerta-azul", "Accept-Language: en")
		body := w.Body.String()
		for _, want := range []string{"This interview&#39;s recording is not shown here", "Some passages of this interview are sealed", "¿Y la puerta azul?"} {
			if !strings.Contains(body, want) {
				t.Errorf("page lacks %q", want)
			}
		}
		if strings.Contains(body, "<video") || strings.Contains(body, "/media/") {
			t.Errorf("page offers the recording of an interview with a seal in force")
		}
	})
	t.Run("staff sees everything", func(t *testing.T) {
		srv := f.server(archive.Staff)
		w := get(t, srv, "/i/casa-puerta-azul")
		if body := w.Body.String(); !strings.Contains(body, "Hasta hubo abogado.") || !strings.Contains(body, `<video id="media"`) {
			t.Errorf("staff page lacks the sealed stretch or the player")
		}
		w = get(t, srv, "/i/casa-puerta-azul/media/0", "Range: bytes=0-9")
		wantStatus(t, w, "media", http.StatusPartialContent)
		if w.Body.String() != "casa-video" {
			t.Errorf("got %q", w.Body.String())
		}
	})
}

// TestEscaping checks that markup in a subtitle or transcript file, or
// in the metadata, is shown as text and never runs.
func TestEscaping(t *testing.T) {
	srv := shared(t).server(archive.Public)
	for _, u := range []string{"/", "/?q=pan+dulce", "/?q=panaderia", "/i/notas-raras", "/i/notas-raras/print"} {
		w := get(t, srv, u)
		wantStatus(t, w, u, 200)
		body := w.Body.String()
		for _, bad := range []string{"<script>alert", "<img src=x", "<b>Notas</b>"} {
			if strings.Contains(body, bad) {
				t.Errorf("GET %s: markup from the archive reached the page unescaped: %q", u, bad)
			}
		}
		if u != "/" && !strings.Contains(body, "&lt;script&gt;alert(") && !strings.Contains(body, "&lt;img src=x") {
			t.Errorf("GET %s: the text is not shown escaped:\n%s", u, body)
		}
	}
	w := get(t, srv, "/api/search?q=pan+dulce")
	if strings.Contains(w.Body.String(), "<script>") || w.Header().Get("Content-Type") != "application/json" {
		t.Errorf("JSON carries raw markup or the wrong type")
	}
	if csp := w.Header().Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'self'") {
		t.Errorf("got Content-Security-Policy %q", csp)
	}
}

func TestHighlight(t *testing.T) {
	tests := []struct {
		text    string
		matches [][2]int
		want    string
	}{
		{"el autobús azul", [][2]int{{3, 11}}, "el <mark>autobús</mark> azul"},
		{"a <b> & c", [][2]int{{6, 7}}, "a &lt;b&gt; <mark>&amp;</mark> c"},
		{"<script>x</script>", nil, "&lt;script&gt;x&lt;/script&gt;"},
		{"uno dos", [][2]int{{0, 3}, {1, 2}, {4, 99}}, "<mark>uno</mark> dos"}, // overlap and overrun skipped
		{"año", [][2]int{{0, 2}}, "año"},                                       // ends inside ñ: skipped
		{"año", [][2]int{{2, 3}}, "año"},                                       // starts inside ñ: skipped
	}
	for _, tt := range tests {
		if got := string(highlight(tt.text, tt.matches)); got != tt.want {
			t.Errorf("highlight(%q, %v): got %q, want %q", tt.text, tt.matches, got, tt.want)
		}
	}
}

// TestNoPathFromRequest checks that only files the catalogue names are
// served, and those only through their interview.
func TestNoPathFromRequest(t *testing.T) {
	srv := shared(t).server(archive.Staff)
	for _, u := range []string{
		"/static/../catalogue.db", "/static/..%2fcatalogue.db", "/static/%2e%2e/%2e%2e/etc/passwd",
		"/i/..%2f..%2fetc%2fpasswd/media/0", "/i/radio-lupe/media/1", "/i/radio-lupe/media/-1", "/i/radio-lupe/media/..%2f..%2foutside.wav",
		"/i/notas-raras/media/0", // names a recording this computer does not have
		"/i/radio-lupe/vtt/999999", "/i/nadie", "/catalogue.db", "/objects/",
	} {
		w := get(t, srv, u)
		if w.Code == 200 || w.Code == http.StatusPartialContent {
			t.Errorf("GET %s: got %d, want a refusal\n%.200s", u, w.Code, w.Body.String())
		}
		if bytes.Contains(w.Body.Bytes(), []byte("SQLite format")) || bytes.Contains(w.Body.Bytes(), []byte("RIFF")) {
			t.Errorf("GET %s served a file", u)
		}
	}
	w := get(t, srv, "/static/style.css")
	wantStatus(t, w, "/static/style.css", 200)
}

func TestLocalOnly(t *testing.T) {
	f := shared(t)
	srv := New(f.a, f.live, Options{LocalOnly: true})
	for host, want := range map[string]int{"127.0.0.1:8080": 200, "localhost:8080": 200, "[::1]:8080": 200, "evil.example:8080": 403, "192.168.1.5": 403} {
		r := httptest.NewRequest("GET", "/", nil)
		r.Host = host
		w := httptest.NewRecorder()
		srv.ServeHTTP(w, r)
		if w.Code != want {
			t.Errorf("Host %s: got %d, want %d", host, w.Code, want)
		}
	}
}

// TestAPIMirrorsSearch checks that GET /api/search answers what
// index.Search gives recuerdo search --json.
func TestAPIMirrorsSearch(t *testing.T) {
	f := shared(t)
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	srv := New(f.a, f.live, Options{Audience: archive.Family, Now: func() time.Time { return now }})
	tests := []struct {
		query string
		opt   index.Options
	}{
		{"q=abuela", index.Options{Group: true, Facets: true}},
		{"q=abuela&flat=1&limit=2", index.Options{Limit: 2, Facets: true}},
		{"q=abuela&flat=1&limit=2&offset=2&facets=0&context=1", index.Options{Limit: 2, Offset: 2, Context: 1}},
		{"q=bus&lang=en&sort=time&flat=true", index.Options{Lang: "en", ByTime: true, Facets: true}},
		{"q=casa&per_interview=1", index.Options{Group: true, PerGroup: 1, Facets: true}},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			w := get(t, srv, "/api/search?"+tt.query)
			wantStatus(t, w, tt.query, 200)
			q, _ := url.ParseQuery(tt.query)
			opt := tt.opt
			opt.Audience, opt.Now = archive.Family, now
			res, err := f.ix.Search(context.Background(), f.a, q.Get("q"), opt)
			if err != nil {
				t.Fatal(err)
			}
			var want bytes.Buffer
			json.NewEncoder(&want).Encode(res)
			if got := w.Body.String(); got != want.String() {
				t.Errorf("got\n%s\nwant\n%s", got, want.String())
			}
		})
	}
	for _, bad := range []string{"", "q=", "q=%22casa", "q=casa&limit=0", "q=casa&sort=sideways", "q=casa&flat=1&after=nonsense"} {
		w := get(t, srv, "/api/search?"+bad)
		if w.Code != http.StatusBadRequest || !strings.Contains(w.Body.String(), `"error":`) {
			t.Errorf("GET /api/search?%s: got %d %s, want 400 with an error", bad, w.Code, w.Body.String())
		}
	}
}

// TestSyncFollowsCatalogue checks that an interview added to the
// catalogue by another writer becomes searchable without a restart.
func TestSyncFollowsCatalogue(t *testing.T) {
	f := newFixture(t, "abuelo-autobus")
	srv := f.server(archive.Staff)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	synced := make(chan int, 10)
	go f.live.Follow(ctx, 50*time.Millisecond, func(n int, err error) {
		if err != nil {
			t.Error(err)
		}
		synced <- n
	})
	if w := get(t, srv, "/api/search?q=gorditas"); strings.Contains(w.Body.String(), "cocina-y-trabajo") {
		t.Fatal("found before it was ingested")
	}
	if err := f.ingest("cocina-y-trabajo"); err != nil {
		t.Fatal(err)
	}
	// No request until Follow reports: a search request would catch the
	// index up itself (TestFirstRequestAfterChange).
	select {
	case n := <-synced:
		if n != 1 {
			t.Errorf("got a sync of %d interviews, want 1", n)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Follow did not sync 5 s after ingest")
	}
	if w := get(t, srv, "/api/search?q=gorditas"); !strings.Contains(w.Body.String(), `"interview":"cocina-y-trabajo"`) {
		t.Fatalf("not searchable after Follow's sync: %s", w.Body.String())
	}
}
