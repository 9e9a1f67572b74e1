package main

import (
	"context"
	"fmt"
	"math"
	"regexp"
	"slices"
	"strings"

	"github.com/recuerdo-archive/recuerdo/archive"
	"github.com/recuerdo-archive/recuerdo/subtitles"
)

// videoRates are the frame rates video is made at.
var videoRates = []struct {
	fps  float64
	name string
}{
	{24000.0 / 1001, "23.976"}, {24, "24"}, {25, "25"}, {30000.0 / 1001, "29.97"}, {30, "30"},
	{48000.0 / 1001, "47.952"}, {48, "48"}, {50, "50"}, {60000.0 / 1001, "59.94"}, {60, "60"},
	{120000.0 / 1001, "119.88"}, {100, "100"}, {120, "120"},
}

// checkFPS vets a frame-rate flag: 0 is the default, a negative or absurd
// value is a usage error, and a rate no video uses (--fps 17) is taken as
// given, with a note saying so, rather than in silence.
func checkFPS(g *globals, flag string, fps float64) error {
	if fps == 0 {
		return nil
	}
	if !(fps > 0) || fps > 1000 || math.IsInf(fps, 0) {
		return usageError{fmt.Errorf("%s %v: want a frame rate such as 23.976, 25 or 29.97", flag, fps)}
	}
	best := videoRates[0]
	for _, r := range videoRates {
		// 23.976 and 23.98 both name 24000/1001.
		if math.Abs(fps-r.fps) < 0.005 {
			return nil
		}
		if math.Abs(fps-r.fps) < math.Abs(fps-best.fps) {
			best = r
		}
	}
	var names []string
	for _, r := range videoRates[:10] {
		names = append(names, r.name)
	}
	if math.Abs(fps-best.fps) < 0.05*best.fps {
		g.note("%s %v is not a video frame rate; counting %v frames a second (did you mean %s?)", flag, fps, fps, best.name)
	} else {
		g.note("%s %v is not a usual video frame rate (%s); counting %v frames a second", flag, fps, strings.Join(names, ", "), fps)
	}
	return nil
}

// queryLang finds the languages a query's lang: filters ask for (not the
// excluded ones, -lang:xx).
var queryLang = regexp.MustCompile(`(?i)(?:^|[\s(])lang:"?([\p{L}_-]+)`)

// checkSearchLanguage explains a search with no hits that asks for a
// language (--lang, or lang: in the query) no track of the archive is in:
// "no French tracks in this archive", rather than "no matches".
func checkSearchLanguage(ctx context.Context, a *archive.Archive, flagLang, query string) error {
	var asked []struct{ how, lang string }
	if flagLang != "" {
		asked = append(asked, struct{ how, lang string }{"--lang " + flagLang, flagLang})
	}
	for _, m := range queryLang.FindAllStringSubmatch(query, -1) {
		asked = append(asked, struct{ how, lang string }{"lang:" + m[1], m[1]})
	}
	if len(asked) == 0 {
		return nil
	}
	ivs, err := a.Interviews(ctx)
	if err != nil {
		return err
	}
	var have []string
	for _, iv := range ivs {
		for _, t := range iv.Tracks {
			if l := strings.ToLower(t.Lang); l != "" && !slices.Contains(have, l) {
				have = append(have, l)
			}
		}
	}
	slices.Sort(have)
	for _, q := range asked {
		code := strings.ToLower(subtitles.LanguageCode(q.lang))
		if slices.Contains(have, code) {
			continue
		}
		var names []string
		for _, h := range have {
			names = append(names, languageLabel(h))
		}
		has := "it has no tracks yet"
		if len(names) > 0 {
			has = "it has " + strings.Join(names, ", ")
		}
		return usageError{fmt.Errorf("%s: no %s tracks in this archive (%s)", q.how, languageLabel(code), has)}
	}
	return nil
}

// languageLabel names a language code for people: "French (fr)".
func languageLabel(code string) string {
	names := map[string]string{
		"es": "Spanish", "en": "English", "fr": "French", "pt": "Portuguese", "de": "German", "it": "Italian",
		"ca": "Catalan", "gl": "Galician", "eu": "Basque", "nah": "Nahuatl", "qu": "Quechua", "gn": "Guarani",
		"zh": "Chinese", "ja": "Japanese", "ko": "Korean", "ar": "Arabic", "ru": "Russian", "nl": "Dutch",
	}
	if n, ok := names[code]; ok {
		return n + " (" + code + ")"
	}
	return fmt.Sprintf("%q", code)
}
