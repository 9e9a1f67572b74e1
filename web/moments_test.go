package web

import (
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/recuerdo-archive/recuerdo/archive"
)

// TestSearchMomentsInStory checks that '+N more' opens the story with the
// search: every hit marked and highlighted, the moments listed for the
// player, and that per_interview sets how many lines a card shows.
func TestSearchMomentsInStory(t *testing.T) {
	f := newFixture(t, "cocina-larga")
	srv := f.server(archive.Public)
	tests := []struct {
		target    string
		lines     int
		more      string
		wantLines int
	}{
		{"/?q=pan", 3, "+5 more in this story", 3},
		{"/?q=pan&per_interview=6", 6, "+2 more in this story", 6},
		{"/?q=pan&per_interview=20", 8, "", 8},
	}
	for _, tt := range tests {
		body := get(t, srv, tt.target, "Accept-Language: en").Body.String()
		if n := strings.Count(body, `<a class="time" href="/i/cocina-larga?q=pan&amp;t=`); n != tt.wantLines {
			t.Errorf("%s: card shows %d lines linking to their moment with the search, want %d", tt.target, n, tt.wantLines)
		}
		if tt.more != "" && !strings.Contains(body, `<p class="more"><a href="/i/cocina-larga?q=pan">`+tt.more+`</a></p>`) {
			t.Errorf("%s: lacks %q opening the story with the search", tt.target, tt.more)
		}
		if tt.more == "" && strings.Contains(body, `class="more"`) {
			t.Errorf("%s: shows more, with every line on the card", tt.target)
		}
	}
	body := get(t, srv, "/i/cocina-larga?q=pan", "Accept-Language: en").Body.String()
	if n := strings.Count(body, `<div class="row hit"`); n != 8 {
		t.Errorf("story with ?q=pan: %d rows marked as hits, want 8", n)
	}
	if n := strings.Count(body, `<mark>pan</mark>`); n != 8 {
		t.Errorf("story with ?q=pan: %d highlighted words, want 8", n)
	}
	var ms []string
	for i := 2; i < 40; i += 5 {
		ms = append(ms, strconv.FormatInt(kitchenStart(i), 10))
	}
	if !strings.Contains(body, `data-hits="`+strings.Join(ms, ",")+`"`) {
		t.Errorf("story with ?q=pan: the player's moments are not %v:\n%s", ms, regexp.MustCompile(`<nav class="moments"[^>]*>`).FindString(body))
	}
	// A search the page cannot read says so in the page's language.
	w := get(t, srv, "/i/cocina-larga?q="+url.QueryEscape(`"pan`), "Accept-Language: es")
	wantStatus(t, w, "bad query in a story", http.StatusOK)
	if !strings.Contains(w.Body.String(), "falta cerrar las comillas") || strings.Contains(w.Body.String(), "unbalanced") {
		t.Errorf("a story opened with a bad search does not say so in Spanish")
	}
}

// TestSearchErrorsInSpanish checks that the page words a malformed query or
// one past a limit in its own language, never the parser's English.
func TestSearchErrorsInSpanish(t *testing.T) {
	srv := shared(t).server(archive.Public)
	tests := []struct{ q, want string }{
		{`casa "puerta`, "falta cerrar las comillas: añada la &#34; final (en el carácter 6)."},
		{`casa OR`, "OR necesita una palabra a cada lado"},
		{`place: casa`, "al filtro place le falta el valor"},
		{`year:sesenta casa`, "el año no se entiende"},
		{strings.Repeat("casa ", 40), "La búsqueda es demasiado grande: las palabras de la búsqueda, 40, y el límite es 32."},
	}
	for _, tt := range tests {
		w := get(t, srv, "/?q="+url.QueryEscape(tt.q), "Accept-Language: es")
		wantStatus(t, w, tt.q, http.StatusBadRequest)
		body := w.Body.String()
		if !strings.Contains(body, tt.want) {
			t.Errorf("%q: page lacks %q:\n%s", tt.q, tt.want, regexp.MustCompile(`(?s)<p class="notice".*?</p>`).FindString(body))
		}
		for _, en := range []string{"unbalanced", "needs a word", "has no value", "want a year", "more than the limit", "query words"} {
			if strings.Contains(body, en) {
				t.Errorf("%q: the Spanish page shows the English %q", tt.q, en)
			}
		}
	}
}

// TestRowAtTime checks which line a link to a moment lands on: the line
// starting at or before it, or, for an older link in whole seconds, the
// first line starting within that second.
func TestRowAtTime(t *testing.T) {
	refs := []rowRef{{start: 27523}, {start: 30470}, {start: 33417}, {start: 33900}, {start: 36364}}
	tests := []struct {
		ms    int64
		whole bool
		want  int
	}{
		{33417, false, 2},
		{33416, false, 1},
		{33899, false, 2},
		{33000, true, 2}, // #t=33: the first line of that second
		{34000, true, 3}, // none starts in it: the line being spoken
		{0, false, 0},
		{99999, false, 4},
	}
	for _, tt := range tests {
		if got := rowAtTime(refs, tt.ms, tt.whole); got != tt.want {
			t.Errorf("rowAtTime(%d, whole %v) = %d, want %d", tt.ms, tt.whole, got, tt.want)
		}
	}
	if got := seconds(34947); got != "34.947" {
		t.Errorf("seconds(34947) = %q", got)
	}
}
