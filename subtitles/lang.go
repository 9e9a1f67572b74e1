package subtitles

import (
	"bytes"
	"path/filepath"
	"regexp"
	"strings"
	"unicode"
)

// LanguageBasis says how a file's language was told.
type LanguageBasis int

// How DetectLanguage told a language, strongest first.
const (
	LanguageUnknown  LanguageBasis = iota // nothing told it
	LanguageDeclared                      // the file states it about itself
	LanguageFromName                      // the file's name
	LanguageFromText                      // the commonest words of its text
)

func (b LanguageBasis) String() string {
	switch b {
	case LanguageDeclared:
		return "declared"
	case LanguageFromName:
		return "name"
	case LanguageFromText:
		return "text"
	}
	return "unknown"
}

// DetectLanguage says which language a file is in and how that is known:
// the language it declares (DeclaredLanguage), else its name
// (LanguageOfName), else its words (GuessLanguage). data is the file as
// read and t what Read made of it; name is the file's name. It returns ""
// and LanguageUnknown when none of them tells.
func DetectLanguage(name string, data []byte, t *Track) (string, LanguageBasis) {
	if t != nil {
		if l := DeclaredLanguage(t, data); l != "" {
			return l, LanguageDeclared
		}
	}
	if l := LanguageOfName(name); l != "" {
		return l, LanguageFromName
	}
	if t == nil {
		return "", LanguageUnknown
	}
	var b strings.Builder
	for _, c := range t.Cues {
		b.WriteString(c.Text)
		b.WriteByte('\n')
	}
	if l := GuessLanguage(b.String()); l != "" {
		return l, LanguageFromText
	}
	return "", LanguageUnknown
}

var (
	vttLanguage     = regexp.MustCompile(`(?im)^Language:\s*([A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})?)\s*$`)
	ttmlLanguage    = regexp.MustCompile(`<tt\b[^>]*\sxml:lang="([^"]+)"`)
	whisperLanguage = regexp.MustCompile(`"language"\s*:\s*"([^"]+)"`)
)

// DeclaredLanguage reads the language a file states about itself: a
// WebVTT "Language:" header, TTML's xml:lang, Whisper's "language", or a
// transcript's LANGUAGE header. data is the file as read and t what Read
// made of it. Language names become codes (LanguageCode); "" when the file
// states none.
func DeclaredLanguage(t *Track, data []byte) string {
	head := data
	if len(head) > 4096 {
		head = head[:4096]
	}
	var m [][]byte
	switch t.Format {
	case FormatWebVTT:
		// Only the header, before the first cue's timing line.
		if i := bytes.Index(head, []byte("-->")); i >= 0 {
			head = head[:i]
		}
		m = vttLanguage.FindSubmatch(head)
	case FormatTTML:
		m = ttmlLanguage.FindSubmatch(head)
	case FormatWhisper:
		m = whisperLanguage.FindSubmatch(data)
	default:
		if l := t.Header["LANGUAGE"]; l != "" {
			return LanguageCode(l)
		}
	}
	if m == nil {
		return ""
	}
	return LanguageCode(string(m[1]))
}

// LanguageCode turns "Spanish", "español" or "English" into "es" or "en";
// other values, codes such as "es-MX" among them, come back trimmed.
func LanguageCode(s string) string {
	s = strings.TrimSpace(s)
	switch strings.ToLower(s) {
	case "spanish", "español", "espanol", "castellano":
		return "es"
	case "english", "inglés", "ingles":
		return "en"
	}
	return s
}

// LanguageOfName reads a language from a file name. Any part of the name
// (between dots, underscores, hyphens or spaces) that names Spanish or
// English tells it, the last such part first: "es.srt", "abuelo.en.vtt",
// "abuelo_es.srt", "entrevista-spanish.srt". Failing that, a final
// dot-separated part that is an ISO 639-1 code tells another language:
// "film.fr.srt" is "fr", "film.pt-BR.srt" is "pt". It returns "" when the
// name does not say.
func LanguageOfName(name string) string {
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
	last := base[strings.LastIndexByte(base, '.')+1:]
	code, region, _ := strings.Cut(strings.ReplaceAll(last, "_", "-"), "-")
	if isoCodes[code] && (region == "" || len(region) == 2 && isLetters(region)) {
		return code
	}
	return ""
}

func isLetters(s string) bool {
	for _, r := range s {
		if r < 'a' || r > 'z' {
			return false
		}
	}
	return true
}

// isoCodes are the ISO 639-1 language codes.
var isoCodes = wordSet(`aa ab ae af ak am an ar as av ay az ba be bg bi bm bn bo br bs ca ce ch co cr cs cu cv cy
	da de dv dz ee el en eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha he hi ho hr ht hu hy hz
	ia id ie ig ii ik io is it iu ja jv ka kg ki kj kk kl km kn ko kr ks ku kv kw ky la lb lg li ln lo lt lu lv
	mg mh mi mk ml mn mr ms mt my na nb nd ne ng nl nn no nr nv ny oc oj om or os pa pi pl ps pt qu
	rm rn ro ru rw sa sc sd se sg si sk sl sm sn so sq sr ss st su sv sw ta te tg th ti tk tl tn to tr ts tt tw ty
	ug uk ur uz ve vi vo wa wo xh yi yo za zh zu`)

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

// GuessLanguage tells Spanish from English by counting their commonest
// words: "es" or "en" when one has at least twice the other's count (and
// there are three or more), "" when the text gives no clear answer.
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
