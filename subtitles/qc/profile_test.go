package qc

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestProfiles(t *testing.T) {
	var names []string
	for _, p := range Profiles() {
		names = append(names, p.Name)
		limits := map[string]bool{
			"max_line_chars": p.MaxLineChars > 0, "max_lines": p.MaxLines > 0, "max_cps": p.MaxCPS > 0,
			"max_wpm": p.MaxWPM > 0, "min_duration": p.MinDuration > 0, "max_duration": p.MaxDuration > 0,
			"min_gap_frames": p.MinGapFrames > 0, "close_gap_frames": p.CloseGapFrames > 0, "speaker_dash": p.SpeakerDash != "",
		}
		for k, set := range limits {
			if src := p.Sources[k]; set && !strings.Contains(src, "http") {
				t.Errorf("%s: %s has no cited source (got %q)", p.Name, k, src)
			}
		}
		if p.Title == "" || p.Language == "" {
			t.Errorf("%s: missing title or language", p.Name)
		}
	}
	for _, want := range []string{"netflix-en", "netflix-en-children", "netflix-es-419", "netflix-es-419-children", "netflix-es-es", "netflix-es-es-children", "bbc"} {
		if !slices.Contains(names, want) {
			t.Errorf("no profile %q (got %v)", want, names)
		}
	}
	again := Profiles()
	for i := range again {
		if again[i].Name != names[i] {
			t.Fatalf("Profiles order changed: got %s at %d, want %s", again[i].Name, i, names[i])
		}
	}
}

func TestProfileValues(t *testing.T) {
	tests := []struct {
		name       string
		chars      int
		cps, wpm   float64
		minD, maxD time.Duration
		gap        int
		dash       string
	}{
		{"netflix-en", 42, 20, 0, 833333333, 7 * time.Second, 2, "-"},
		{"netflix-en-children", 42, 17, 0, 833333333, 7 * time.Second, 2, "-"},
		{"netflix-es-419", 42, 17, 0, 833333333, 7 * time.Second, 2, "-"},
		{"netflix-es-es-children", 42, 13, 0, 833333333, 7 * time.Second, 2, "-"},
		{"bbc", 37, 0, 180, 0, 0, 0, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := Lookup(tt.name)
			if err != nil {
				t.Fatal(err)
			}
			got := []any{p.MaxLineChars, p.MaxCPS, p.MaxWPM, p.MinDuration, p.MaxDuration, p.MinGapFrames, p.SpeakerDash, p.MaxLines}
			want := []any{tt.chars, tt.cps, tt.wpm, tt.minD, tt.maxD, tt.gap, tt.dash, 2}
			if !slices.Equal(got, want) {
				t.Errorf("got %v, want %v", got, want)
			}
		})
	}
}

func TestLookupUnknown(t *testing.T) {
	_, err := Lookup("hbo")
	if !errors.Is(err, ErrUnknownProfile) || !strings.Contains(err.Error(), "netflix-es-419") {
		t.Errorf("got %v, want ErrUnknownProfile listing the known names", err)
	}
}

func TestParseProfilesErrors(t *testing.T) {
	tests := map[string]string{
		"no source":    "profiles:\n  - name: x\n    max_cps: {value: 20}\n",
		"bad duration": "profiles:\n  - name: x\n    min_duration: {value: 5/0, source: s}\n",
		"repeated":     "profiles:\n  - name: x\n  - name: x\n",
		"empty":        "profiles: []\n",
	}
	for name, doc := range tests {
		if _, err := parseProfiles([]byte(doc)); err == nil {
			t.Errorf("%s: got no error", name)
		}
	}
}

func TestForLanguage(t *testing.T) {
	tests := []struct{ lang, want string }{
		{"es", "netflix-es-419"},
		{"es-MX", "netflix-es-419"},
		{"es_419", "netflix-es-419"},
		{"es-ES", "netflix-es-es"},
		{"spa", "netflix-es-419"},
		{"en", "netflix-en"},
		{"en-GB", "netflix-en"},
		{"fr", ""},
		{"", ""},
	}
	for _, tt := range tests {
		p, ok := ForLanguage(tt.lang)
		if got := p.Name; got != tt.want || ok != (tt.want != "") {
			t.Errorf("ForLanguage(%q): got %q, %v; want %q", tt.lang, got, ok, tt.want)
		}
	}
}
