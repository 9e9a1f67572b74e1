package web

import (
	"errors"
	"fmt"
	"strings"

	"github.com/recuerdo-archive/recuerdo/index"
)

// searchMessage words a search's error for the page, in its language
// (es or en): what was wrong with the query and where, or which limit it
// went past. The index's own messages are English and meant for the
// command line; the page never shows them.
func searchMessage(err error, lang string) string {
	w := errorWords[lang]
	if w == nil {
		w = errorWords["en"]
	}
	var qe *index.QueryError
	var le *index.LimitError
	switch {
	case errors.As(err, &qe):
		what := w["q_other"]
		for _, m := range queryProblems {
			if strings.HasPrefix(qe.Msg, m.prefix) {
				what = w[m.key]
				if m.key == "q_no_value" {
					what = fmt.Sprintf(what, strings.TrimSuffix(strings.TrimPrefix(qe.Msg, "filter "), ": has no value"))
				}
				break
			}
		}
		if qe.Pos > 0 {
			return fmt.Sprintf(w["q_at"], what, qe.Pos)
		}
		return what
	case errors.As(err, &le):
		name, ok := w["limit_"+le.Limit]
		if !ok {
			name = w["limit_other"]
		}
		if le.Got > 0 {
			return fmt.Sprintf(w["limit_got"], name, le.Got, le.Max)
		}
		return fmt.Sprintf(w["limit_max"], name, le.Max)
	case errors.Is(err, index.ErrBehind):
		return labels[lang]["catching_up"]
	}
	return w["failed"]
}

// queryProblems are the kinds of malformed query the parser tells, by the
// start of its message, and their words below.
var queryProblems = []struct{ prefix, key string }{
	{"filter ", "q_no_value"},
	{"unbalanced quote", "q_quote"},
	{"OR needs", "q_or"},
	{"empty word", "q_empty_word"},
	{"empty query", "q_empty"},
	{"year ", "q_year"},
	{"decade ", "q_decade"},
}

// errorWords are the page's words for a search's errors.
var errorWords = map[string]map[string]string{
	"es": {
		"q_at":         "%s (en el carácter %d).",
		"q_no_value":   "al filtro %s le falta el valor, por ejemplo lugar:\"Durango\"",
		"q_quote":      "falta cerrar las comillas: añada la \" final",
		"q_or":         "OR necesita una palabra a cada lado",
		"q_empty_word": "hay una palabra vacía",
		"q_empty":      "la búsqueda está vacía",
		"q_year":       "el año no se entiende: escriba un año como 1968 o un intervalo como 1960..1975",
		"q_decade":     "la década no se entiende: escriba una como 1980s",
		"q_other":      "la búsqueda no se entiende",
		"limit_got":    "La búsqueda es demasiado grande: %s, %d, y el límite es %d. Pruebe con menos palabras.",
		"limit_max":    "La búsqueda es demasiado grande: %s pasa del límite de %d. Escriba más letras o menos palabras.",
		"limit_other":  "un límite de la búsqueda",
		"failed":       "La búsqueda falló. Vuelva a intentarlo.",
		// index.LimitError.Limit, as the page names it
		"limit_query length in bytes":                            "la longitud de la búsqueda en bytes",
		"limit_query words":                                      "las palabras de la búsqueda",
		"limit_words with typos forgiven (word~)":                "las palabras con erratas permitidas (palabra~)",
		"limit_typo automaton states":                            "el tamaño de las palabras con erratas permitidas",
		"limit_index words a prefix or typo stands for":          "las palabras que abarca un prefijo o una errata",
		"limit_hits per interview":                               "los momentos por historia",
		"limit_limit":                                            "los resultados por página",
		"limit_offset":                                           "los resultados saltados",
		"limit_context":                                          "las líneas de contexto",
		"limit_segments in an answer (hits × (1 + 2 × context))": "las líneas de una respuesta",
	},
	"en": {
		"q_at":                        "%s (at character %d).",
		"q_no_value":                  "the filter %s has no value, as in place:\"Durango\"",
		"q_quote":                     "a quote is not closed: add the closing \"",
		"q_or":                        "OR needs a word on each side",
		"q_empty_word":                "there is an empty word",
		"q_empty":                     "the search is empty",
		"q_year":                      "the year is unclear: write a year such as 1968 or a range such as 1960..1975",
		"q_decade":                    "the decade is unclear: write one such as 1980s",
		"q_other":                     "the search is unclear",
		"limit_got":                   "The search is too large: %s, %d, and the limit is %d. Try fewer words.",
		"limit_max":                   "The search is too large: %s goes past the limit of %d. Type more letters or fewer words.",
		"limit_other":                 "a limit of the search",
		"failed":                      "The search failed. Try again.",
		"limit_query length in bytes": "the search's length in bytes",
		"limit_query words":           "the search's words",
		"limit_words with typos forgiven (word~)":                "words with typos forgiven (word~)",
		"limit_typo automaton states":                            "the size of words with typos forgiven",
		"limit_index words a prefix or typo stands for":          "the words a prefix or typo stands for",
		"limit_hits per interview":                               "moments per story",
		"limit_limit":                                            "results per page",
		"limit_offset":                                           "results skipped",
		"limit_context":                                          "lines of context",
		"limit_segments in an answer (hits × (1 + 2 × context))": "lines in an answer",
	},
}
