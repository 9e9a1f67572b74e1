package index

import (
	"context"
	"regexp"
	"strings"
	"testing"
)

func TestWordForms(t *testing.T) {
	m, err := newMapping()
	if err != nil {
		t.Fatal(err)
	}
	terms := func(lang, text string) []string {
		var out []string
		for _, tok := range m.AnalyzerNamed(analyzerFor(lang)).Analyze([]byte(text)) {
			out = append(out, string(tok.Term))
		}
		return out
	}
	meets := func(lang, a, b string) bool {
		for _, x := range terms(lang, a) {
			for _, y := range terms(lang, b) {
				if x == y {
					return true
				}
			}
		}
		return false
	}
	tests := []struct {
		lang, a, b string
		want       bool
	}{
		{"es", "abuela", "abuelas", true},
		{"es", "abuela", "abuelita", true},
		{"es", "Abuela", "abuelo", false},
		{"es", "tía", "tío", false},
		{"es", "tía", "tias", true},
		{"es", "hija", "hijo", false},
		{"es", "señora", "señor", false},
		{"es", "señores", "señor", true},
		{"es", "autobús", "autobuses", true},
		{"es", "trabajaba", "trabajar", true},
		{"es", "vendía", "vender", true},
		{"es", "luz", "luces", true},
		{"es", "veces", "vez", true},
		{"en", "bus", "buses", true},
		{"en", "child", "children", true},
		{"en", "woman", "women", true},
		{"en", "grandchild", "grandchildren", true},
		{"en", "went", "go", true},
		{"en", "brought", "bring", true},
		{"en", "box", "boxes", true},
		{"en", "house", "houses", true},
		{"en", "church", "churches", true},
		{"en", "worked", "working", true},
		{"en", "rose", "rise", false}, // a flower, not a past
		{"en", "saw", "see", false},   // a tool, not a past
	}
	for _, tt := range tests {
		if got := meets(tt.lang, tt.a, tt.b); got != tt.want {
			t.Errorf("%s: %q and %q meet = %v, want %v (%v, %v)", tt.lang, tt.a, tt.b, got, tt.want, terms(tt.lang, tt.a), terms(tt.lang, tt.b))
		}
	}
}

// TestGenderKeptInSearch reads the hits' own words (not the index's terms):
// every Spanish line found for "abuela" names a grandmother, and every one
// found for "abuelo" a grandfather.
func TestGenderKeptInSearch(t *testing.T) {
	a, ix := sampleArchive(t)
	for q, re := range map[string]*regexp.Regexp{
		"abuela": regexp.MustCompile(`(?i)\babuel(a|as|ita|itas)\b`),
		"abuelo": regexp.MustCompile(`(?i)\babuel(o|os|ito|itos)\b`),
	} {
		res, err := ix.Search(context.Background(), a, q, Options{Lang: "es", Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Hits) == 0 {
			t.Fatalf("%s: no hits", q)
		}
		for _, h := range res.Hits {
			if !re.MatchString(h.Text) {
				t.Errorf("%s finds %q", q, strings.ReplaceAll(h.Text, "\n", " "))
			}
		}
	}
}
