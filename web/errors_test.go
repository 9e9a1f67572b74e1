package web

import (
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"strings"
	"testing"

	"github.com/recuerdo-archive/recuerdo/archive"
	"github.com/recuerdo-archive/recuerdo/index"
)

// TestSearchErrorsInTheAPIsWords checks that the index's errors reach an
// API client in the API's words (its parameters, not the command line's
// flags or commands).
func TestSearchErrorsInTheAPIsWords(t *testing.T) {
	srv := shared(t).server(archive.Staff)
	for _, target := range []string{"/api/search?q=casa&flat=1&after=nonsense", "/api/search?q=casa&after=nonsense", "/api/search?q=casa&sort=time&flat=1&after=WyJyIiwiMSJd"} {
		w := get(t, srv, target)
		body := w.Body.String()
		if w.Code != http.StatusBadRequest || !strings.Contains(body, `"error":"after: `) {
			t.Errorf("GET %s: got %d %s, want 400 naming the after parameter", target, w.Code, body)
		}
		if strings.Contains(body, "--") || strings.Contains(body, "recuerdo ") {
			t.Errorf("GET %s: got %s, want no flag or command", target, body)
		}
	}
}

// TestSearchStatus checks that only the request's own mistakes are 400s:
// an I/O error with a cursor is the server's, and an index catching up
// with the archive is worth trying again.
func TestSearchStatus(t *testing.T) {
	tests := []struct {
		err  error
		want int
	}{
		{nil, http.StatusOK},
		{&index.QueryError{Query: `"casa`, Pos: 1, Msg: "unbalanced quote"}, http.StatusBadRequest},
		{&index.LimitError{Limit: "query words", Got: 40, Max: 32}, http.StatusBadRequest},
		{fmt.Errorf("x: %w", &index.CursorError{Cursor: "zz"}), http.StatusBadRequest},
		{fmt.Errorf("search: %w: %w", index.ErrBehind, archive.ErrNotFound), http.StatusServiceUnavailable},
		{fmt.Errorf("search: %w", fs.ErrPermission), http.StatusInternalServerError},
		{errors.New("disk on fire"), http.StatusInternalServerError},
	}
	for _, tt := range tests {
		if got := searchStatus(tt.err); got != tt.want {
			t.Errorf("searchStatus(%v): got %d, want %d", tt.err, got, tt.want)
		}
	}
}

// TestSearchTypoNote checks that moments found only with a typo forgiven
// say so on the page, as a partial match does.
func TestSearchTypoNote(t *testing.T) {
	srv := shared(t).server(archive.Staff)
	for _, lang := range []string{"es", "en"} {
		if labels[lang]["typos"] == "" {
			t.Fatalf("no %s label for the typo note", lang)
		}
		w := get(t, srv, "/?q=licuadra&lang="+lang, "Accept-Language: "+lang)
		if body := w.Body.String(); w.Code != http.StatusOK || !strings.Contains(body, labels[lang]["typos"]) && !strings.Contains(body, template.HTMLEscapeString(labels[lang]["typos"])) {
			t.Errorf("GET /?q=licuadra (%s): got %d, want the typo note %q", lang, w.Code, labels[lang]["typos"])
		}
	}
	if w := get(t, srv, "/?q=licuadora"); strings.Contains(w.Body.String(), template.HTMLEscapeString(labels["es"]["typos"])) || strings.Contains(w.Body.String(), template.HTMLEscapeString(labels["en"]["typos"])) {
		t.Errorf("GET /?q=licuadora: got the typo note, want none")
	}
}
