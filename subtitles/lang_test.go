package subtitles

import "testing"

func TestGuessLanguage(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Cada mes tomaba el autobús para ir a El Paso con los quesos.", "es"},
		{"Every month he took the bus to El Paso with the cheese.", "en"},
		{"El Paso", ""},
		{"1954, 1955, 1956.", ""},
		{"", ""},
		// "a", "no" and "me" count for both; the rest decides.
		{"No, no me a", ""},
		{"Yes, and I would like to say a great deal more about it than this.", "en"},
		{"¿Y qué llevaba? Quesos. Los vendía en la calle Stanton.", "es"},
		// Half and half is no answer.
		{"the cat and the dog y el gato y el perro", ""},
	}
	for _, tt := range tests {
		if got := GuessLanguage(tt.in); got != tt.want {
			t.Errorf("GuessLanguage(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestLanguageOfName(t *testing.T) {
	tests := []struct{ name, want string }{
		{"es.srt", "es"},
		{"EN.vtt", "en"},
		{"abuelo.en.vtt", "en"},
		{"abuelo_es.srt", "es"},
		{"abuelo_spanish.srt", "es"},
		{"entrevista-castellano.srt", "es"},
		{"samples/abuelo-autobus/es.srt", "es"},
		{"abuelo-autobus:es/es.srt", "es"},
		{"entrevista.es-ES.srt", "es"},
		{"es-en.srt", "en"}, // the last part that names a language
		{"abuelo.srt", ""},
		{"abuelo", ""},
		// Other languages only as the final dot-separated code.
		{"film.fr.srt", "fr"},
		{"fr.srt", "fr"},
		{"film.pt-BR.srt", "pt"},
		{"film.pt_br.srt", "pt"},
		{"film.fra.srt", ""},
		{"parte-ii.srt", ""},
		{"abuelo_01.srt", ""},
		{"film.xx.srt", ""},
		{"film.fr-1080p.srt", ""},
		// Spanish or English anywhere wins over another code at the end.
		{"es.fr.srt", "es"},
	}
	for _, tt := range tests {
		if got := LanguageOfName(tt.name); got != tt.want {
			t.Errorf("LanguageOfName(%q) = %q, want %q", tt.name, got, tt.want)
		}
	}
}

func TestLanguageCode(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Spanish", "es"},
		{" español ", "es"},
		{"Castellano", "es"},
		{"English", "en"},
		{"inglés", "en"},
		{"es-MX", "es-MX"},
		{" fr ", "fr"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := LanguageCode(tt.in); got != tt.want {
			t.Errorf("LanguageCode(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestDetectLanguage(t *testing.T) {
	const spanish = "1\n00:00:01,000 --> 00:00:03,000\nMi abuelo trabajaba en la mina de oro con los otros.\n"
	tests := []struct {
		name, data string
		want       string
		basis      LanguageBasis
	}{
		{"entrevista.srt", spanish, "es", LanguageFromText},
		{"abuela.es.srt", spanish, "es", LanguageFromName},
		// The name says English; the words are not asked.
		{"abuela.en.srt", spanish, "en", LanguageFromName},
		{"castellano.vtt", "WEBVTT\nLanguage: es-ES\n\n00:00:01.000 --> 00:00:03.000\nMi abuelo trabajaba en la mina.\n", "es-ES", LanguageDeclared},
		// A "Language:" line in a cue is text, not the header.
		{"x.vtt", "WEBVTT\n\n00:00:01.000 --> 00:00:03.000\nLanguage: fr\n", "", LanguageUnknown},
		// The declaration wins over the words.
		{"x.vtt", "WEBVTT\nLanguage: en\n\n00:00:01.000 --> 00:00:03.000\nMi abuelo trabajaba en la mina de oro con los otros.\n", "en", LanguageDeclared},
		{"x.json", `{"language": "en", "segments": [{"start": 1.0, "end": 2.0, "text": " Hola, ¿qué tal?"}]}`, "en", LanguageDeclared},
		{"x.ttml", `<?xml version="1.0" encoding="utf-8"?><tt xmlns="http://www.w3.org/ns/ttml" xml:lang="es"><body><div><p begin="00:00:01.000" end="00:00:02.000">Hello.</p></div></body></tt>`, "es", LanguageDeclared},
		{"x.txt", "LANGUAGE: Spanish\n\n[00:00:01] MARÍA: Hello there.\n", "es", LanguageDeclared},
		{"numeros.srt", "1\n00:00:01,000 --> 00:00:03,000\n1954, 1955, 1956.\n", "", LanguageUnknown},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tr, err := Read(tt.name, []byte(tt.data))
			if err != nil {
				t.Fatal(err)
			}
			got, basis := DetectLanguage(tt.name, []byte(tt.data), tr)
			if got != tt.want || basis != tt.basis {
				t.Errorf("DetectLanguage(%q) = %q, %v; want %q, %v", tt.name, got, basis, tt.want, tt.basis)
			}
		})
	}
	if got, basis := DetectLanguage("film.fr.srt", nil, nil); got != "fr" || basis != LanguageFromName {
		t.Errorf("DetectLanguage with no track = %q, %v; want fr, name", got, basis)
	}
	if got, basis := DetectLanguage("film.srt", nil, nil); got != "" || basis != LanguageUnknown {
		t.Errorf("DetectLanguage with no track and no name = %q, %v; want \"\", unknown", got, basis)
	}
}
