package index

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
)

// words returns n distinct invented words of 8 letters.
func words(n int) []string {
	out := make([]string, n)
	for i := range out {
		b := []byte("qzxwvyka")
		for k, x := 0, i; k < 4; k, x = k+1, x/26 {
			b[k] = byte('a' + x%26)
		}
		out[i] = string(b)
	}
	return out
}

// TestQueryLimits checks that queries beyond a limit are refused with a
// LimitError naming it, before any work is done on the index.
func TestQueryLimits(t *testing.T) {
	tests := []struct {
		name, q string
		limit   string // "" when the query is within the limits
	}{
		{"10,000 words", strings.Join(words(10_000), " "), "query length in bytes"},
		{"long", strings.Repeat("a", MaxQueryBytes+1), "query length in bytes"},
		{"as long as allowed", strings.Repeat("a", MaxQueryBytes), ""},
		{"words", strings.Join(words(MaxQueryWords+1), " "), "query words"},
		{"as many words as allowed", strings.Join(words(MaxQueryWords), " "), ""},
		{"a phrase's words count", `"` + strings.Join(words(MaxQueryWords), " ") + `" casa`, "query words"},
		{"filters count", strings.Repeat("lang:es ", MaxQueryWords+1), "query words"},
		{"typo words asked", strings.Join(words(MaxTypoWords+1), "~ ") + "~", "words with typos forgiven (word~)"},
		{"as many typo words as allowed", strings.Join(words(MaxTypoWords), "~ ") + "~", ""},
		{"a long word with typos", strings.Repeat("abcdefghij", 30) + "~", "typo automaton states"},
		{"long words without typos", strings.Repeat("abcdefghij", 30), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := parse(tt.q)
			var le *LimitError
			switch {
			case tt.limit == "" && err != nil:
				t.Fatalf("got %v, want no error", err)
			case tt.limit == "":
			case !errors.As(err, &le):
				t.Fatalf("got %v, want a LimitError on %s", err, tt.limit)
			case le.Limit != tt.limit || !strings.Contains(err.Error(), fmt.Sprint(le.Max)):
				t.Fatalf("got %q (limit %q), want the limit %q and its maximum named", err, le.Limit, tt.limit)
			}
		})
	}
}

// TestTypoBudget checks that the words whose typos are forgiven unasked
// stop at the budget, after the words asked with ~, and that no search
// builds more automaton states than MaxTypoStates.
func TestTypoBudget(t *testing.T) {
	w := words(20)
	clauses, err := parse(strings.Join(w[:MaxTypoWords+4], " ") + " " + w[19] + "~")
	if err != nil {
		t.Fatal(err)
	}
	var forgiven []string
	e := &engine{}
	for _, c := range clauses {
		for _, a := range altsOf(c.alts[0], true) {
			if a.kind != altFuzzy || a.field != fExact {
				continue
			}
			forgiven = append(forgiven, a.text)
			if _, err := e.levenshtein(a.text, a.fuzziness); err != nil {
				t.Fatal(err)
			}
		}
	}
	want := append(append([]string{}, w[:MaxTypoWords-1]...), w[19])
	if fmt.Sprint(forgiven) != fmt.Sprint(want) {
		t.Errorf("typos forgiven in %v, want %v", forgiven, want)
	}
	if e.levStates > MaxTypoStates {
		t.Errorf("built %d automaton states, more than %d", e.levStates, MaxTypoStates)
	}
	// The engine holds a search to the budget whatever it is given.
	for _, x := range words(200) {
		if _, err = e.levenshtein(x, 2); err != nil {
			break
		}
	}
	var le *LimitError
	if !errors.As(err, &le) || le.Limit != "typo automaton states" {
		t.Errorf("200 automata: got %v, want a LimitError on typo automaton states", err)
	}
	if !mayForgive(clauses) {
		t.Errorf("mayForgive: got false for words within the budget")
	}
}

// TestOptionLimits checks the limits on what one page returns.
func TestOptionLimits(t *testing.T) {
	ix, err := Open(filepath.Join(t.TempDir(), "ix"))
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if err := ix.Add([]Segment{{ID: "s1", Interview: "iv", Lang: "es", Text: "la casa azul"}}); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		opt   Options
		limit string
	}{
		{"limit", Options{Limit: MaxHits + 1}, "limit"},
		{"limit allowed", Options{Limit: MaxHits}, ""},
		{"hits of groups", Options{Group: true, Limit: 1000, PerGroup: 1000}, "hits on a page (limit × per interview)"},
		{"hits of groups allowed", Options{Group: true, Limit: 100, PerGroup: 10}, ""},
		{"per group", Options{Group: true, Limit: 1, PerGroup: 1 << 62}, "hits per interview"},
		{"context", Options{Context: MaxContext + 1}, "context"},
		{"context allowed", Options{Context: MaxContext}, ""},
		{"segments", Options{Limit: 1000, Context: 50}, "segments in an answer (hits × (1 + 2 × context))"},
		{"offset", Options{Offset: MaxOffset + 1}, "offset"},
		{"grouped cursor", Options{Group: true, After: "g9223372036854775807"}, "offset"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ix.Search(context.Background(), nil, "casa", tt.opt)
			var le *LimitError
			switch {
			case tt.limit == "" && err != nil:
				t.Fatalf("got %v, want no error", err)
			case tt.limit == "":
			case !errors.As(err, &le) || le.Limit != tt.limit:
				t.Fatalf("got %v, want a LimitError on %s", err, tt.limit)
			}
		})
	}
}

// TestExpansionLimit checks that a prefix standing for more index words
// than MaxExpansions is refused, naming the limit.
func TestExpansionLimit(t *testing.T) {
	ix, err := Open(filepath.Join(t.TempDir(), "ix"))
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	w := words(MaxExpansions + 1)
	var segs []Segment
	for i := 0; i < len(w); i += 50 {
		segs = append(segs, Segment{ID: fmt.Sprint("s", i), Interview: "iv", Lang: "es", Text: "b" + strings.Join(w[i:min(i+50, len(w))], " b")})
	}
	if err := ix.Add(segs); err != nil {
		t.Fatal(err)
	}
	for q, wantErr := range map[string]bool{"b*": true, "ba*": false, "baaaqzxw~": false} {
		_, err = ix.Search(context.Background(), nil, q, Options{})
		var le *LimitError
		if got := errors.As(err, &le); got != wantErr {
			t.Errorf("%s: got %v, want a LimitError: %v", q, err, wantErr)
		} else if got && !strings.Contains(err.Error(), fmt.Sprint(MaxExpansions)) {
			t.Errorf("%s: %q does not name the limit", q, err)
		}
	}
}
