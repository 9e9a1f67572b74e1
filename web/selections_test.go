package web

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/recuerdo-archive/recuerdo/archive"
)

// favourites is a selection across audiences: a public moment, one of a
// family interview inside a seal for staff, one of the same interview the
// family may see, and another public one.
var favourites = archive.Selection{ID: "favoritos", Title: "Nuestros favoritos", Note: "Para la reunión",
	Items: []archive.SelectionItem{
		{Interview: "radio-lupe", StartMS: 20000, EndMS: 23000, Note: "la tormenta"},
		{Interview: "casa-puerta-azul", StartMS: 172000, EndMS: 190000, Note: "lo del terreno"},
		{Interview: "casa-puerta-azul", StartMS: 3100, EndMS: 9278},
		{Interview: "abuelo-autobus", StartMS: 4200, EndMS: 9000},
	}}

// TestSelectionAudiences checks that a selection's page, print view and
// exports show each audience only the moments it may see: nothing of an
// interview above it, nothing of a sealed stretch.
func TestSelectionAudiences(t *testing.T) {
	f := newFixture(t, "radio-lupe", "casa-puerta-azul", "abuelo-autobus")
	sel := favourites
	if err := f.a.SaveSelection(context.Background(), &sel); err != nil {
		t.Fatal(err)
	}
	sealed := []string{"abogado", "Manuel decía que el terreno", "lawyer", "Asunto familiar", "lo del terreno"}
	tests := []struct {
		aud     archive.Access
		want    []string
		notWant []string
		moments int
	}{
		{archive.Public, []string{"Una tormenta tumbó la antena", "la tormenta", "Nuestros favoritos"}, append([]string{"La casa de la puerta azul", "hoy quiero que me cuente", "casa-puerta-azul"}, sealed...), 2},
		{archive.Family, []string{"Una tormenta tumbó la antena", "hoy quiero que me cuente"}, sealed, 3},
		{archive.Staff, []string{"Hasta hubo abogado", "lo del terreno"}, nil, 4},
	}
	for _, tt := range tests {
		srv := f.server(tt.aud)
		for _, target := range []string{"/s/favoritos", "/s/favoritos/print", "/s/favoritos/export/csv", "/s/favoritos/export/fcpxml", "/s/"} {
			w := get(t, srv, target, "Accept-Language: es")
			wantStatus(t, w, target, http.StatusOK)
			body := w.Body.String()
			for _, s := range tt.notWant {
				if strings.Contains(body, s) {
					t.Errorf("%s as %s: shows %q", target, tt.aud, s)
				}
			}
			if target == "/s/favoritos" {
				for _, s := range tt.want {
					if !strings.Contains(body, s) {
						t.Errorf("%s as %s: lacks %q", target, tt.aud, s)
					}
				}
				if n := strings.Count(body, `<li class="moment"`); n != tt.moments {
					t.Errorf("%s as %s: %d moments, want %d", target, tt.aud, n, tt.moments)
				}
				if hidden := strings.Contains(body, "reservados y no se muestran"); hidden != (tt.moments < 4) {
					t.Errorf("%s as %s: says some moments are reserved: %v", target, tt.aud, hidden)
				}
			}
			if strings.HasSuffix(target, "/print") && strings.Contains(body, `<video`) {
				t.Errorf("%s: the print view has a player", target)
			}
		}
	}
	// A selection with nothing the audience may see is not there for it.
	only := archive.Selection{ID: "solo-casa", Title: "Solo la casa", Items: []archive.SelectionItem{{Interview: "casa-puerta-azul", StartMS: 0, EndMS: 5000}}}
	if err := f.a.SaveSelection(context.Background(), &only); err != nil {
		t.Fatal(err)
	}
	w := get(t, f.server(archive.Public), "/s/solo-casa")
	wantStatus(t, w, "/s/solo-casa as public", http.StatusNotFound)
}

// TestSelectionEditing adds moments and changes a selection through the
// page's forms, which exist only with Options.Edit and answer only the
// server's own pages.
func TestSelectionEditing(t *testing.T) {
	f := newFixture(t, "radio-lupe")
	ro := f.server(archive.Public)
	post := func(h http.Handler, target string, form url.Values, origin string) *httptest.ResponseRecorder {
		r := httptest.NewRequest("POST", target, strings.NewReader(form.Encode()))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		if origin != "" {
			r.Header.Set("Origin", origin)
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		return w
	}
	add := url.Values{"interview": {"radio-lupe"}, "start": {"20000"}, "end": {"23000"}, "title": {"Lo de la antena"}, "note": {"¡qué tormenta!"}}
	if w := post(ro, "/s/add", add, ""); w.Code < 400 {
		t.Errorf("without Edit: adding answered %d", w.Code)
	}
	if body := get(t, ro, "/i/radio-lupe").Body.String(); strings.Contains(body, `class="keep"`) {
		t.Error("without Edit: the transcript offers to keep moments")
	}
	srv := New(f.a, f.live, Options{Audience: archive.Public, MediaDirs: []string{f.src}, Edit: true})
	if body := get(t, srv, "/i/radio-lupe").Body.String(); !strings.Contains(body, `<a class="keep" href="/s/add?end=23000&amp;i=radio-lupe&amp;start=20000"`) {
		t.Error("with Edit: the transcript does not offer to keep a moment")
	}
	if body := get(t, srv, "/s/add?i=radio-lupe&start=20000&end=23000", "Accept-Language: es").Body.String(); !strings.Contains(body, "Una tormenta tumbó la antena") {
		t.Error("the form does not show the moment")
	}
	if w := post(srv, "/s/add", add, "http://evil.example"); w.Code != http.StatusForbidden {
		t.Errorf("a form from another site: got %d, want 403", w.Code)
	}
	w := post(srv, "/s/add", add, "http://example.com")
	if w.Code != http.StatusSeeOther || w.Header().Get("Location") != "/s/lo-de-la-antena" {
		t.Fatalf("add: got %d to %q, want 303 to /s/lo-de-la-antena", w.Code, w.Header().Get("Location"))
	}
	add.Set("selection", "lo-de-la-antena")
	add.Set("start", "1000")
	add.Set("end", "4000")
	add.Set("note", "")
	if w := post(srv, "/s/add", add, ""); w.Code != http.StatusSeeOther {
		t.Fatalf("add to an existing selection: got %d", w.Code)
	}
	if w := post(srv, "/s/lo-de-la-antena/edit", url.Values{"n": {"2"}, "action": {"up"}}, ""); w.Code != http.StatusSeeOther {
		t.Fatalf("move up: got %d", w.Code)
	}
	if w := post(srv, "/s/lo-de-la-antena/edit", url.Values{"n": {"1"}, "action": {"note"}, "note": {"el principio"}}, ""); w.Code != http.StatusSeeOther {
		t.Fatalf("note: got %d", w.Code)
	}
	sel, err := f.a.Selection(context.Background(), "lo-de-la-antena")
	if err != nil {
		t.Fatal(err)
	}
	if sel.Title != "Lo de la antena" || len(sel.Items) != 2 || sel.Items[0].StartMS != 1000 || sel.Items[0].Note != "el principio" || sel.Items[1].Note != "¡qué tormenta!" {
		t.Errorf("got %+v", sel)
	}
	// A moment of an interview the audience may not see is refused.
	add.Set("interview", "casa-puerta-azul")
	if w := post(srv, "/s/add", add, ""); w.Code != http.StatusBadRequest {
		t.Errorf("adding a moment the audience may not see: got %d, want 400", w.Code)
	}
	if w := post(srv, "/s/lo-de-la-antena/edit", url.Values{"action": {"delete"}}, ""); w.Code != http.StatusSeeOther {
		t.Fatalf("delete: got %d", w.Code)
	}
	if w := get(t, srv, "/s/lo-de-la-antena"); w.Code != http.StatusNotFound {
		t.Errorf("after delete: got %d", w.Code)
	}
}
