package web

import (
	"net/http"
	"net/http/httptest"
	"net/url"
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
		{"/?q=" + url.QueryEscape(many), "query words: 40, more than the limit of 32"},
		{"/api/search?q=" + strings.Repeat("a", 2000), "query length in bytes: 2000, more than the limit of 1024"},
		{"/?q=" + strings.Repeat("a", 2000), "query length in bytes: 2000, more than the limit of 1024"},
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
	srv := New(f.a, f.ix, Options{AllowHosts: []string{"Archivo.Casa.lan", "192.168.1.5", "fd00::2"}})
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
