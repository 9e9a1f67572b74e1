package main

import (
	"fmt"
	"strings"

	"github.com/recuerdo-archive/recuerdo/subtitles"
	"github.com/recuerdo-archive/recuerdo/subtitles/qc"
)

// inputLanguage says which language a subs input is in and how that is
// known: an archive track's language, or subtitles.DetectLanguage's (one
// the file declares, its name, its words).
func inputLanguage(in *subsInput) (lang, how string) {
	if in.Lang != "" {
		return in.Lang, "the archive track's language"
	}
	lang, basis := subtitles.DetectLanguage(in.Name, in.Data, in.Track)
	switch basis {
	case subtitles.LanguageDeclared:
		how = "declared in the file"
	case subtitles.LanguageFromName:
		how = "from the file name"
	case subtitles.LanguageFromText:
		how = "detected from the text"
	}
	return lang, how
}

// chooseProfile looks up the named QC profile or, with no name, picks the
// one for the input's language and says on stderr which and why, so that a
// Spanish file is never checked against English limits unannounced.
func chooseProfile(g *globals, name string, in *subsInput) (qc.Profile, error) {
	if name != "" {
		return lookupProfile(name)
	}
	lang, how := inputLanguage(in)
	p, err := profileFor(lang)
	if err != nil {
		return p, err
	}
	noteProfile(g, p, lang, how)
	return p, nil
}

// profileFor is the profile for a language: qc.ForLanguage's, or
// netflix-en for a language no profile is for.
func profileFor(lang string) (qc.Profile, error) {
	if p, ok := qc.ForLanguage(lang); ok {
		return p, nil
	}
	return lookupProfile("netflix-en")
}

// noteProfile says which profile was chosen for a language, and why.
func noteProfile(g *globals, p qc.Profile, lang, how string) {
	switch {
	case p.Language != "" && strings.HasPrefix(strings.ToLower(lang), p.Language):
		g.note("profile %s (%s, %s; choose another with --profile)", p.Name, languageName(lang), how)
	case lang == "":
		g.note("profile %s: the file's language is not clear; choose one with --profile (see --list-profiles)", p.Name)
	default:
		g.note("profile %s: no profile is for %q (%s); choose one with --profile (see --list-profiles)", p.Name, lang, how)
	}
}

// languageName names a language code for people.
func languageName(code string) string {
	base, _, _ := strings.Cut(strings.ToLower(strings.ReplaceAll(code, "_", "-")), "-")
	switch base {
	case "es", "spa":
		return "Spanish"
	case "en", "eng":
		return "English"
	}
	return fmt.Sprintf("%q", code)
}
