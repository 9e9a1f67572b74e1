package web

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/recuerdo-archive/recuerdo/archive"
	"github.com/recuerdo-archive/recuerdo/index"
	"github.com/recuerdo-archive/recuerdo/samples"
)

// shiftSRT moves every SRT time by d, on the text itself (not through the
// parser under test).
func shiftSRT(t *testing.T, src string, d time.Duration) string {
	re := regexp.MustCompile(`(\d\d):(\d\d):(\d\d),(\d\d\d)`)
	return re.ReplaceAllStringFunc(src, func(tc string) string {
		m := re.FindStringSubmatch(tc)
		var n [4]int
		for i := range n {
			n[i], _ = strconv.Atoi(m[i+1])
		}
		ms := time.Duration(((n[0]*60+n[1])*60+n[2])*1000+n[3])*time.Millisecond + d
		h, rest := ms/time.Hour, ms%time.Hour
		return fmt.Sprintf("%02d:%02d:%02d,%03d", h, rest/time.Minute, rest%time.Minute/time.Second, rest%time.Second/time.Millisecond)
	})
}

// TestSealedMomentsOnEveryReadPath: a public interview whose English track
// runs 20 s late, with a seal over the Spanish times of a land dispute.
// Each sealed moment must be hidden in both languages on every page, JSON
// answer, subtitle track and count the web gives the public.
func TestSealedMomentsOnEveryReadPath(t *testing.T) {
	f := newFixture(t, "abuelo-autobus")
	dir := filepath.Join(f.src, "casa-desfasada")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	es, _ := samples.FS.ReadFile("casa-puerta-azul/es.vtt")
	en, _ := samples.FS.ReadFile("casa-puerta-azul/en.srt")
	files := map[string]string{
		"es.vtt": string(es),
		"en.srt": shiftSRT(t, string(en), 20*time.Second),
		"interview.yaml": `id: casa-desfasada
title: "La casa (desfasada)"
language: es
access: public
collection: "Desfase"
media:
  - file: casa.mov
sealed:
  - start: "00:02:50.300"
    end: "00:03:15.250"
    until: 2045-01-01
    level: staff
    reason: "Asunto familiar privado"
tracks:
  - file: es.vtt
    lang: es
  - file: en.srt
    lang: en
`,
		"casa.mov": strings.Repeat("video ", 100),
	}
	for name, body := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.ingest("casa-desfasada"); err != nil {
		t.Fatal(err)
	}
	if _, err := f.live.Sync(context.Background()); err != nil {
		t.Fatal(err)
	}
	esID, enID := trackID(t, f, "casa-desfasada", "es"), trackID(t, f, "casa-desfasada", "en")
	sealed := []string{
		"abogado", "lawyer", "Manuel decía", "Manuel said the land", "piece of land", "pedazo de tierra",
		"housewarming", "inauguración", "Asunto familiar",
		// The Spanish line touches the seal by 2 ms; its English twin goes with it.
		"Luego lo", "seal it afterwards",
	}
	urls := []string{
		"/i/casa-desfasada", "/i/casa-desfasada/print",
		fmt.Sprintf("/i/casa-desfasada/vtt/%d", esID), fmt.Sprintf("/i/casa-desfasada/vtt/%d", enID),
		"/?q=abogado", "/?q=lawyer", "/?q=land", "/?q=Manuel", "/?q=housewarming&lang=en",
		"/api/search?q=abogado&lang=en", "/api/search?q=lawyer", "/api/search?q=land&flat=1&context=20",
		"/api/search?q=Manuel&lang=en&context=20", "/api/search?q=mole&flat=1", "/api/search?q=tierra+OR+land&flat=1&limit=100",
	}
	srv := f.server(archive.Public)
	for _, u := range urls {
		w := get(t, srv, u, "Accept-Language: en")
		if w.Code != 200 {
			t.Errorf("GET %s: status %d", u, w.Code)
			continue
		}
		body := w.Body.String()
		if !strings.HasPrefix(u, "/api/") && !strings.Contains(u, "/vtt/") {
			body = content(body)
		}
		for _, s := range sealed {
			if strings.Contains(body, s) {
				t.Errorf("GET %s shows %q to the public", u, s)
			}
		}
		if strings.HasPrefix(u, "/api/search") {
			var res index.Results
			if err := json.Unmarshal(w.Body.Bytes(), &res); err != nil {
				t.Fatalf("GET %s: %v", u, err)
			}
			shown := 0
			for _, h := range res.Hits {
				shown++
				_ = h
			}
			for _, g := range res.Groups {
				shown += len(g.Hits)
			}
			for _, fc := range res.Facets["collection"] {
				if fc.Value == "Desfase" && fc.Count > int(res.Total) {
					t.Errorf("GET %s: the collection counts %d of %d hits", u, fc.Count, res.Total)
				}
			}
			if int(res.Total) < shown {
				t.Errorf("GET %s: total %d below the %d hits shown", u, res.Total, shown)
			}
		}
	}
	// Counts agree with what is shown: "lawyer" is only said in the seal.
	w := get(t, srv, "/api/search?q=lawyer&flat=1")
	var res index.Results
	if err := json.Unmarshal(w.Body.Bytes(), &res); err != nil {
		t.Fatal(err)
	}
	if res.Total != 0 || len(res.Facets["collection"]) > 0 && res.Facets["collection"][0].Count > 0 {
		t.Errorf("lawyer: total %d, facets %v; want nothing", res.Total, res.Facets)
	}
	// The recording is kept back while the seal holds; the rest is shown.
	if w := get(t, srv, "/i/casa-desfasada/media/0"); w.Code != 404 {
		t.Errorf("media: status %d, want 404", w.Code)
	}
	page := get(t, srv, "/i/casa-desfasada", "Accept-Language: en").Body.String()
	for _, want := range []string{"norteño band", "Vino un conjunto norteño", "Some passages of this interview are sealed"} {
		if !strings.Contains(page, want) {
			t.Errorf("public page lacks %q", want)
		}
	}
	// Staff sees it all.
	staff := get(t, f.server(archive.Staff), "/i/casa-desfasada").Body.String()
	for _, want := range []string{"lawyer", "Hasta hubo abogado"} {
		if !strings.Contains(staff, want) {
			t.Errorf("staff page lacks %q", want)
		}
	}
}
