package archive

import (
	"path/filepath"
	"strings"
	"unicode"
)

// LanguageFromName reads "es" or "en" from a file name such as "es.srt",
// "abuelo.en.vtt" or "abuelo_es.srt"; "" when the name does not say.
func LanguageFromName(name string) string { return langFromName(name) }

// langFromName reads a language from a file name such as "es.srt",
// "abuelo.en.vtt", "abuelo_es.srt" or "entrevista-spanish.srt".
func langFromName(name string) string {
	base := strings.ToLower(strings.TrimSuffix(filepath.Base(name), filepath.Ext(name)))
	parts := strings.FieldsFunc(base, func(r rune) bool { return r == '.' || r == '_' || r == '-' || r == ' ' })
	for i := len(parts) - 1; i >= 0; i-- {
		switch parts[i] {
		case "es", "spa", "esp", "spanish", "español", "espanol", "castellano":
			return "es"
		case "en", "eng", "english", "ingles", "inglés":
			return "en"
		}
	}
	return ""
}

var (
	esWords = wordSet("de la que el en y a los se del las un por con no una su para es al lo como más pero sus le ya o fue este ha sí porque esta son entre cuando muy sin sobre también me hasta hay donde quien desde todo nos durante todos uno les ni contra otros ese eso había ante ellos e esto mí antes algunos qué unos yo otro otras otra él tanto esa estos mucho quienes nada muchos cual poco ella estar estas algunas algo nosotros mi mis tú te ti tu tus ellas nosotras vosotros os mío mía tuyo suyo nuestro era eran estaba estaban pues entonces")
	enWords = wordSet("the of and to in a is that for it as was with be by on not he i this are or his from at which but have an they you were her she there had their one we all would been will so if when what my no them me our your could did do then him about into than out up who these those because just")
)

func wordSet(s string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(s) {
		m[w] = true
	}
	return m
}

// GuessLanguage tells Spanish from English by counting their most common
// words. It returns "" when the text gives no clear answer.
func GuessLanguage(text string) string {
	var es, en int
	for _, w := range strings.FieldsFunc(strings.ToLower(text), func(r rune) bool { return !unicode.IsLetter(r) && r != '\'' }) {
		if esWords[w] {
			es++
		}
		if enWords[w] {
			en++
		}
	}
	switch {
	case es+en < 3:
		return ""
	case es >= 2*en:
		return "es"
	case en >= 2*es:
		return "en"
	}
	return ""
}

// Mixed reports the share of cues, among those whose language is clear,
// that are in a language other than lang: code-switching, or a partly
// translated file.
func Mixed(lang string, texts []string) float64 {
	var clear, other int
	for _, t := range texts {
		switch g := GuessLanguage(t); {
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
