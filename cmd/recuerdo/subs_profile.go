package main

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/recuerdo-archive/recuerdo/archive"
	"github.com/recuerdo-archive/recuerdo/subtitles"
	"github.com/recuerdo-archive/recuerdo/subtitles/qc"
)

// inputLanguage says which language a subs input is in and how that is
// known: an archive track's language, one the file declares (a WebVTT
// "Language:" header, TTML's xml:lang, Whisper's "language", a transcript's
// LANGUAGE, or the file name), or one detected from the words.
func inputLanguage(in *subsInput) (lang, how string) {
	if in.Lang != "" {
		return in.Lang, "the archive track's language"
	}
	if l := declaredLanguage(in); l != "" {
		return l, "declared in the file"
	}
	if l := archive.LanguageFromName(in.Name); l != "" {
		return l, "from the file name"
	}
	var b strings.Builder
	for _, c := range in.Track.Cues {
		b.WriteString(c.Text)
		b.WriteByte('\n')
	}
	if l := archive.GuessLanguage(b.String()); l != "" {
		return l, "detected from the text"
	}
	return "", ""
}

var (
	vttLanguage     = regexp.MustCompile(`(?im)^Language:\s*([A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})?)\s*$`)
	ttmlLanguage    = regexp.MustCompile(`<tt\b[^>]*\sxml:lang="([^"]+)"`)
	whisperLanguage = regexp.MustCompile(`"language"\s*:\s*"([^"]+)"`)
)

// declaredLanguage reads the language a file states about itself.
func declaredLanguage(in *subsInput) string {
	head := in.Data
	if len(head) > 4096 {
		head = head[:4096]
	}
	var m [][]byte
	switch in.Track.Format {
	case subtitles.FormatWebVTT:
		// Only the header, before the first cue's timing line.
		if i := strings.Index(string(head), "-->"); i >= 0 {
			head = head[:i]
		}
		m = vttLanguage.FindSubmatch(head)
	case subtitles.FormatTTML:
		m = ttmlLanguage.FindSubmatch(head)
	case subtitles.FormatWhisper:
		m = whisperLanguage.FindSubmatch(in.Data)
	default:
		if l := in.Track.Header["LANGUAGE"]; l != "" {
			return languageCode(l)
		}
	}
	if m == nil {
		return ""
	}
	return languageCode(string(m[1]))
}

// languageCode turns "Spanish", "español" or "es-MX" into a code
// qc.ForLanguage reads; other values are returned as they are.
func languageCode(s string) string {
	s = strings.TrimSpace(s)
	switch strings.ToLower(s) {
	case "spanish", "español", "espanol", "castellano":
		return "es"
	case "english", "inglés", "ingles":
		return "en"
	}
	return s
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
