package web

import (
	"net/url"
	"strings"
	"testing"

	"github.com/recuerdo-archive/recuerdo/archive"
)

// TestStoryYearFacets checks that the decade facet is the decade the story
// happened in, linking to decade:, and that the recording's decade is its
// own facet, labelled so, linking to recorded:.
func TestStoryYearFacets(t *testing.T) {
	f := shared(t)
	srv := New(f.a, f.live, Options{Audience: archive.Staff})
	for _, tt := range []struct {
		lang string
		want []string
	}{
		{"en", []string{`<h3>Decade it happened</h3>`, `<h3>Recorded in</h3>`,
			`href="/?q=devaluaci%C3%B3n&#43;decade%3A1980s"`, `href="/?q=devaluaci%C3%B3n&#43;recorded%3A2010..2019"`}},
		{"es", []string{`<h3>Década de la historia</h3>`, `<h3>Grabada en</h3>`}},
	} {
		target := "/?" + url.Values{"q": {"devaluación"}}.Encode()
		w := get(t, srv, target, "Accept-Language: "+tt.lang)
		wantStatus(t, w, target, 200)
		for _, want := range tt.want {
			if !strings.Contains(w.Body.String(), want) {
				t.Errorf("%s: page lacks %q", tt.lang, want)
			}
		}
	}
	// The decade's link finds the story told in the 1980s.
	target := "/?" + url.Values{"q": {"decade:1980s"}}.Encode()
	w := get(t, srv, target, "Accept-Language: en")
	wantStatus(t, w, target, 200)
	if !strings.Contains(w.Body.String(), "abuelo-autobus") {
		t.Errorf("decade:1980s does not find the devaluation of '82:\n%.2000s", w.Body.String())
	}
}
