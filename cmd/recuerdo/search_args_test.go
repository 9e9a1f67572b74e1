package main

import (
	"io"
	"slices"
	"strings"
	"testing"
)

func TestSearchQueryArgs(t *testing.T) {
	tests := []struct{ in, want string }{
		{"search autobus -juarez", "search -- autobus -juarez"},
		{"search -juarez autobus --flat", "search --flat -- -juarez autobus"},
		{"--archive /tmp/a search autobus -garcía-lópez --limit 5", "--archive /tmp/a search --limit 5 -- autobus -garcía-lópez"},
		{"search autobus -lang:en -year:1960..1975", "search -- autobus -lang:en -year:1960..1975"},
		{`search abuela -"El Paso" -constru*`, `search -- abuela -"El Paso" -constru*`},
		{"search licuadora --export edl -o selects.edl", "search --export edl -o selects.edl -- licuadora"},
		{"search licuadora --export edl -oselects.edl", "search --export edl -oselects.edl -- licuadora"},
		{"search -q autobus -j", "search -q -- autobus -j"},
		{"search --lang=en autobus", "search --lang=en -- autobus"},
		{"search autobus -- -juarez", "search -- autobus -juarez"},
		{"search --help", "search --help"},
		// Other commands are left alone.
		{"subs shift es.srt --by -2s -o out.srt", "subs shift es.srt --by -2s -o out.srt"},
		{"show abuelo-autobus", "show abuelo-autobus"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			root := newRootCmd(&globals{stdout: io.Discard, stderr: io.Discard})
			got := searchQueryArgs(root, splitArgs(tt.in))
			if want := splitArgs(tt.want); !slices.Equal(got, want) {
				t.Errorf("got %q, want %q", got, want)
			}
		})
	}
}

// splitArgs splits on spaces, keeping a "double-quoted phrase" whole.
func splitArgs(s string) []string {
	var out []string
	for _, f := range strings.SplitAfter(s, " ") {
		f = strings.TrimSuffix(f, " ")
		if n := len(out); n > 0 && strings.Count(out[n-1], `"`)%2 == 1 {
			out[n-1] += " " + f
			continue
		}
		out = append(out, f)
	}
	return out
}
