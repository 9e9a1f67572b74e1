package qc

import (
	_ "embed"
	"errors"
	"fmt"
	"maps"
	"strconv"
	"strings"
	"sync"
	"time"

	"gopkg.in/yaml.v3"
)

// Profile is one style guide's limits, each with its citation in Sources.
// A zero limit means the guide sets none and its check is skipped.
type Profile struct {
	Name, Title, Language    string // e.g. "netflix-en", "Netflix English (USA), adult", "en"
	MaxLineChars, MaxLines   int
	MaxCPS                   float64 // characters per second; 0 = no limit
	MaxWPM                   float64 // words per minute; 0 = no limit (the BBC's measure)
	MinDuration, MaxDuration time.Duration
	MinGapFrames             int
	// CloseGapFrames: a gap between events of more than MinGapFrames and
	// at most this many frames should be closed to MinGapFrames; 0 = no rule.
	CloseGapFrames int
	SpeakerDash    string            // how a second speaker's line starts: "-" (no space) or "- "; "" = no rule
	Sources        map[string]string // limit name (as in profiles.yaml, e.g. "max_cps") -> citation
}

// ErrUnknownProfile is returned by Lookup for a name no profile has.
var ErrUnknownProfile = errors.New("unknown QC profile")

//go:embed profiles.yaml
var profilesYAML []byte

var loadProfiles = sync.OnceValue(func() []Profile {
	ps, err := parseProfiles(profilesYAML)
	if err != nil {
		panic("qc: embedded profiles.yaml: " + err.Error()) // caught by the package tests
	}
	return ps
})

// Profiles returns every known profile, in the order of profiles.yaml.
func Profiles() []Profile {
	ps := loadProfiles()
	out := make([]Profile, len(ps))
	for i, p := range ps {
		p.Sources = maps.Clone(p.Sources)
		out[i] = p
	}
	return out
}

// Lookup returns the profile with the given name; its error lists the
// known names.
func Lookup(name string) (Profile, error) {
	var names []string
	for _, p := range Profiles() {
		if p.Name == name {
			return p, nil
		}
		names = append(names, p.Name)
	}
	return Profile{}, fmt.Errorf("%w %q (known: %s)", ErrUnknownProfile, name, strings.Join(names, ", "))
}

// limit is one value of profiles.yaml with its citation.
type limit struct {
	Value  string `yaml:"value"`
	Source string `yaml:"source"`
}

type profileYAML struct {
	Name           string `yaml:"name"`
	Title          string `yaml:"title"`
	Language       string `yaml:"language"`
	MaxLineChars   *limit `yaml:"max_line_chars"`
	MaxLines       *limit `yaml:"max_lines"`
	MaxCPS         *limit `yaml:"max_cps"`
	MaxWPM         *limit `yaml:"max_wpm"`
	MinDuration    *limit `yaml:"min_duration"`
	MaxDuration    *limit `yaml:"max_duration"`
	MinGapFrames   *limit `yaml:"min_gap_frames"`
	CloseGapFrames *limit `yaml:"close_gap_frames"`
	SpeakerDash    *limit `yaml:"speaker_dash"`
}

func parseProfiles(data []byte) ([]Profile, error) {
	var doc struct {
		Profiles []profileYAML `yaml:"profiles"`
	}
	dec := yaml.NewDecoder(strings.NewReader(string(data)))
	dec.KnownFields(false) // the "sources" list only holds anchors
	if err := dec.Decode(&doc); err != nil {
		return nil, err
	}
	var out []Profile
	seen := map[string]bool{}
	for _, y := range doc.Profiles {
		if y.Name == "" || seen[y.Name] {
			return nil, fmt.Errorf("profile %q: missing or repeated name", y.Name)
		}
		seen[y.Name] = true
		p := Profile{Name: y.Name, Title: y.Title, Language: y.Language, Sources: map[string]string{}}
		var err error
		set := func(key string, l *limit, parse func(string) error) {
			if l == nil || err != nil {
				return
			}
			if l.Source == "" {
				err = fmt.Errorf("profile %s: %s has no source", y.Name, key)
				return
			}
			if perr := parse(l.Value); perr != nil {
				err = fmt.Errorf("profile %s: %s: %v", y.Name, key, perr)
				return
			}
			p.Sources[key] = l.Source
		}
		set("max_line_chars", y.MaxLineChars, intInto(&p.MaxLineChars))
		set("max_lines", y.MaxLines, intInto(&p.MaxLines))
		set("max_cps", y.MaxCPS, floatInto(&p.MaxCPS))
		set("max_wpm", y.MaxWPM, floatInto(&p.MaxWPM))
		set("min_duration", y.MinDuration, secondsInto(&p.MinDuration))
		set("max_duration", y.MaxDuration, secondsInto(&p.MaxDuration))
		set("min_gap_frames", y.MinGapFrames, intInto(&p.MinGapFrames))
		set("close_gap_frames", y.CloseGapFrames, intInto(&p.CloseGapFrames))
		set("speaker_dash", y.SpeakerDash, func(s string) error { p.SpeakerDash = s; return nil })
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	if len(out) == 0 {
		return nil, errors.New("no profiles")
	}
	return out, nil
}

func intInto(dst *int) func(string) error {
	return func(s string) error {
		n, err := strconv.Atoi(s)
		if err == nil && n < 0 {
			err = fmt.Errorf("negative %d", n)
		}
		*dst = n
		return err
	}
}

func floatInto(dst *float64) func(string) error {
	return func(s string) error {
		f, err := strconv.ParseFloat(s, 64)
		if err == nil && !(f >= 0) {
			err = fmt.Errorf("bad value %v", f)
		}
		*dst = f
		return err
	}
}

// secondsInto reads seconds written as "7", "0.5" or "5/6".
func secondsInto(dst *time.Duration) func(string) error {
	return func(s string) error {
		num, den, frac := strings.Cut(s, "/")
		n, err := strconv.ParseFloat(num, 64)
		d := 1.0
		if err == nil && frac {
			d, err = strconv.ParseFloat(den, 64)
		}
		if err != nil || !(n >= 0) || !(d > 0) {
			return fmt.Errorf("bad duration %q (want seconds, e.g. 7 or 5/6)", s)
		}
		*dst = time.Duration(n / d * float64(time.Second))
		return nil
	}
}

// ForLanguage returns the profile to use when none is named: Netflix's
// adult profile for the language, given as a code such as "es", "es-ES",
// "es_419" or "en-US" (Castilian Spanish gets netflix-es-es, any other
// Spanish netflix-es-419). ok is false when no profile is for that language.
func ForLanguage(lang string) (p Profile, ok bool) {
	tag := strings.ToLower(strings.ReplaceAll(strings.TrimSpace(lang), "_", "-"))
	base, region, _ := strings.Cut(tag, "-")
	var name string
	switch base {
	case "es", "spa":
		name = "netflix-es-419"
		if region == "es" {
			name = "netflix-es-es"
		}
	case "en", "eng":
		name = "netflix-en"
	default:
		return Profile{}, false
	}
	p, err := Lookup(name)
	return p, err == nil
}
