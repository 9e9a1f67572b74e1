package web

import (
	"net/http"
	"strings"

	"golang.org/x/text/language"
)

// labels are the interface's words in each language it speaks.
var labels = map[string]map[string]string{
	"es": {
		"lang_name":           "Español",
		"site":                "Nuestras historias",
		"skip":                "Saltar al contenido",
		"search":              "Buscar",
		"search_label":        "Buscar en las entrevistas",
		"search_hint":         "Palabras en español o en inglés; los acentos y las erratas no importan. Entre comillas, la frase exacta.",
		"results":             "Resultados",
		"n_moment":            "momento",
		"n_moments":           "momentos",
		"partial":             "Ningún momento tiene todas sus palabras; estos tienen la mayoría.",
		"typos":               "Ningún momento tiene las palabras tal como se escribieron; estos se parecen, con alguna letra distinta.",
		"n_story":             "historia",
		"n_stories":           "historias",
		"in":                  "en",
		"no_matches":          "No encontramos nada para esta búsqueda. Pruebe con otras palabras.",
		"filters":             "Filtrar",
		"remove_filter":       "quitar filtro",
		"facet_narrator":      "Narrador",
		"facet_place":         "Lugar",
		"facet_decade":        "Década de la historia",
		"facet_recorded":      "Grabada en",
		"facet_lang":          "Idioma",
		"facet_collection":    "Colección",
		"lang_es":             "español",
		"lang_en":             "inglés",
		"prev":                "Anteriores",
		"next":                "Siguientes",
		"page":                "Página",
		"page_of":             "de",
		"prev_part":           "Parte anterior",
		"next_part":           "Parte siguiente",
		"print_part":          "Una transcripción larga se imprime por partes; esta es una de ellas:",
		"more_in_story":       "más en esta historia",
		"read_story":          "Leer la historia",
		"stories":             "Las historias",
		"narrators":           "Narración",
		"interviewers":        "Entrevista",
		"date":                "Fecha",
		"place":               "Lugar",
		"collection":          "Colección",
		"summary":             "Resumen",
		"transcript":          "Transcripción",
		"contents":            "Capítulos",
		"keywords":            "Palabras clave",
		"player":              "Grabación",
		"media_withheld":      "La grabación de esta entrevista no se muestra aquí, porque una parte está reservada.",
		"media_missing":       "La grabación no está en esta computadora.",
		"sealed_note":         "Algunas partes de esta entrevista están reservadas y no se muestran.",
		"print":               "Versión para imprimir",
		"back":                "Volver",
		"play_from":           "Reproducir desde",
		"link_moment":         "Enlace a este momento",
		"follow":              "Seguir la grabación",
		"moments_of":          "momentos de la búsqueda",
		"no_moments":          "Nada de esta búsqueda en esta historia.",
		"prev_moment":         "Momento anterior",
		"next_moment":         "Momento siguiente",
		"clear_search":        "Quitar la búsqueda",
		"time":                "Tiempo",
		"not_found":           "No encontrado",
		"not_found_long":      "Esta página no existe o no está disponible.",
		"error":               "Error",
		"query_error":         "No entendimos la búsqueda",
		"catching_up":         "El archivo acaba de cambiar y la búsqueda se está poniendo al día. Vuelva a intentarlo en un momento.",
		"audience_public":     "vista pública",
		"audience_family":     "vista de la familia",
		"audience_staff":      "vista del archivo",
		"home":                "Inicio",
		"selections":          "Selecciones",
		"selection":           "Selección",
		"no_selections":       "Todavía no hay selecciones.",
		"how_to_add":          "Para empezar una, pulse ☆ junto a un momento de una historia o de una búsqueda.",
		"selection_hidden":    "Algunos momentos de esta selección están reservados y no se muestran.",
		"share":               "Enlace para compartir",
		"play_all":            "Reproducir todo en orden",
		"export_for_editing":  "Exportar para edición",
		"note":                "Nota",
		"save":                "Guardar",
		"move_up":             "Subir",
		"remove":              "Quitar",
		"delete_selection":    "Borrar esta selección",
		"add_to_selection":    "Guardar en una selección",
		"new_selection":       "Una selección nueva",
		"new_selection_title": "Nombre de la selección nueva",
		"add":                 "Guardar",
		"bad_form":            "No se pudo guardar: revise el nombre y la nota.",
		"server_error":        "No pudimos leer el archivo para mostrar esta página. Vuelva a intentarlo; si sigue pasando, avise a quien cuida el archivo.",
		"export_failed":       "Esta selección no se puede exportar en ese formato (por ejemplo, un EDL tiene una sola velocidad de cuadro y sus grabaciones tienen varias): pruebe con FCPXML o CSV.",
	},
	"en": {
		"lang_name":           "English",
		"site":                "Our stories",
		"skip":                "Skip to content",
		"search":              "Search",
		"search_label":        "Search the interviews",
		"search_hint":         "Words in Spanish or English; accents and typos do not matter. Quotes for an exact phrase.",
		"results":             "Results",
		"n_moment":            "moment",
		"n_moments":           "moments",
		"partial":             "No moment has all your words; these have most of them.",
		"typos":               "No moment has the words exactly as typed; these come close, with a letter or two different.",
		"n_story":             "story",
		"n_stories":           "stories",
		"in":                  "in",
		"no_matches":          "Nothing found for this search. Try other words.",
		"filters":             "Filter",
		"remove_filter":       "remove filter",
		"facet_narrator":      "Narrator",
		"facet_place":         "Place",
		"facet_decade":        "Decade it happened",
		"facet_recorded":      "Recorded in",
		"facet_lang":          "Language",
		"facet_collection":    "Collection",
		"lang_es":             "Spanish",
		"lang_en":             "English",
		"prev":                "Previous",
		"next":                "Next",
		"page":                "Page",
		"page_of":             "of",
		"prev_part":           "Previous part",
		"next_part":           "Next part",
		"print_part":          "A long transcript prints in parts; this is one of them:",
		"more_in_story":       "more in this story",
		"read_story":          "Read the story",
		"stories":             "The stories",
		"narrators":           "Told by",
		"interviewers":        "Interviewed by",
		"date":                "Date",
		"place":               "Place",
		"collection":          "Collection",
		"summary":             "Summary",
		"transcript":          "Transcript",
		"contents":            "Chapters",
		"keywords":            "Keywords",
		"player":              "Recording",
		"media_withheld":      "This interview's recording is not shown here, because part of it is sealed.",
		"media_missing":       "The recording is not on this computer.",
		"sealed_note":         "Some passages of this interview are sealed and not shown.",
		"print":               "Printable version",
		"back":                "Back",
		"play_from":           "Play from",
		"link_moment":         "Link to this moment",
		"follow":              "Follow the recording",
		"moments_of":          "moments of the search",
		"no_moments":          "Nothing of this search in this story.",
		"prev_moment":         "Previous moment",
		"next_moment":         "Next moment",
		"clear_search":        "Clear the search",
		"time":                "Time",
		"not_found":           "Not found",
		"not_found_long":      "This page does not exist or is not available.",
		"error":               "Error",
		"query_error":         "We could not read the search",
		"catching_up":         "The archive has just changed and the search is catching up. Try again in a moment.",
		"audience_public":     "public view",
		"audience_family":     "family view",
		"audience_staff":      "archive view",
		"home":                "Home",
		"selections":          "Selections",
		"selection":           "Selection",
		"no_selections":       "There are no selections yet.",
		"how_to_add":          "To start one, press ☆ beside a moment of a story or a search.",
		"selection_hidden":    "Some moments of this selection are reserved and not shown.",
		"share":               "Link to share",
		"play_all":            "Play all in order",
		"export_for_editing":  "Export for editing",
		"note":                "Note",
		"save":                "Save",
		"move_up":             "Move up",
		"remove":              "Remove",
		"delete_selection":    "Delete this selection",
		"add_to_selection":    "Keep in a selection",
		"new_selection":       "A new selection",
		"new_selection_title": "Name of the new selection",
		"add":                 "Keep",
		"bad_form":            "Could not save: check the name and the note.",
		"server_error":        "We could not read the archive to show this page. Try again; if it keeps happening, tell whoever looks after the archive.",
		"export_failed":       "This selection cannot be exported in that format (an EDL, for one, has a single frame rate and its recordings have several): try FCPXML or CSV.",
	},
}

var langMatcher = language.NewMatcher([]language.Tag{language.Spanish, language.English})

// chooseLang picks the interface language: ?lang= (remembered in a
// cookie), then the cookie, then the browser's Accept-Language; Spanish
// when nothing says.
func chooseLang(w http.ResponseWriter, r *http.Request) string {
	if l := r.URL.Query().Get("lang"); labels[l] != nil {
		http.SetCookie(w, &http.Cookie{Name: "lang", Value: l, Path: "/", MaxAge: 365 * 24 * 3600, SameSite: http.SameSiteLaxMode, HttpOnly: true})
		return l
	}
	if c, err := r.Cookie("lang"); err == nil && labels[c.Value] != nil {
		return c.Value
	}
	if al := r.Header.Get("Accept-Language"); al != "" {
		tags, _, err := language.ParseAcceptLanguage(al)
		if err == nil && len(tags) > 0 {
			_, i, conf := langMatcher.Match(tags...)
			if conf != language.No {
				return []string{"es", "en"}[i]
			}
		}
	}
	return "es"
}

// langName is a language code's name in the interface language.
func langName(ui, code string) string {
	if n, ok := labels[ui]["lang_"+strings.ToLower(code)]; ok {
		return n
	}
	return code
}
