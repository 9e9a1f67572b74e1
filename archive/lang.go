package archive

import "github.com/recuerdo-archive/recuerdo/subtitles"

// langFromName reads "es" or "en" from a file name such as "es.srt",
// "abuelo.en.vtt", "abuelo_es.srt" or "entrevista-spanish.srt"
// (subtitles.LanguageOfName); "" for any other language, whose track the
// archive's words tell instead.
func langFromName(name string) string {
	if l := subtitles.LanguageOfName(name); l == "es" || l == "en" {
		return l
	}
	return ""
}

// GuessLanguage tells Spanish from English by counting their most common
// words (subtitles.GuessLanguage). It returns "" when the text gives no
// clear answer.
func GuessLanguage(text string) string { return subtitles.GuessLanguage(text) }

// Mixed reports the share of cues, among those whose language is clear,
// that are in a language other than lang: code-switching, or a partly
// translated file.
func Mixed(lang string, texts []string) float64 {
	var clear, other int
	for _, t := range texts {
		switch g := subtitles.GuessLanguage(t); {
		case g == "":
		case g == lang:
			clear++
		default:
			clear++
			other++
		}
	}
	if clear == 0 {
		return 0
	}
	return float64(other) / float64(clear)
}
