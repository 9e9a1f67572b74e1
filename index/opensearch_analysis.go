package index

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
	"unicode"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/lang/en"
	"github.com/blevesearch/bleve/v2/analysis/lang/es"
)

// The OpenSearch backend's analysers, built from the same tables as
// bleve's (analysis.go, forms.go) out of OpenSearch's own filters
// (analysis-common), so that a word is indexed under the same terms on
// both backends:
//
//   - Folding is Fold's own table as a mapping character filter
//     (osFoldMappings): a letter folded stays a letter, so folding before
//     the tokenizer finds the words foldTokens folds after it. The
//     Spanish field leaves á é í ó ú ü ñ to fold per token (esFold).
//   - Spanish (esStem): stop words are dropped first, in any of their
//     accented spellings; then a multiplexer emits, at the word's
//     position, (a) the folded word's Snowball stem, or the singular of a
//     gendered person noun (stemmer_override from esForms), (b) for a
//     plural in -ces, the singular in -z, and (c) the stem of the word as
//     written, folded afterwards (Snowball reads verb endings by their
//     accents); duplicates are removed as esStem never emits them.
//   - English: possessive, folding, stop words, the irregular forms of
//     forms.go (stemmer_override, each to what bleve's chain makes of its
//     lemma), -es after a sibilant (pattern_replace), the plural stemmer
//     bleve ported from OpenSearch, and Snowball's English (Porter2).
//   - exact: folded, unstemmed. The pairs fields are not indexed here:
//     phrases are match_phrase and neighbouring words span_near on the
//     exact fields' positions.
//
// The Snowball stemmers are Lucene's, generated from the same Snowball
// sources as bleve's Go ports; TestOpenSearchAnalysis compares the two
// over every word of the samples.

// osLetterClass returns, for each ASCII letter, a regular expression
// class of the lower-case letters that Fold turns into it (é, è, ê, ë →
// e), so a regular expression over folded words matches every accented
// spelling of them, as the stop list and the person nouns need before
// the stemmer of (c) sees the word unfolded.
func osLetterClass() map[byte]string {
	sets := map[byte][]rune{}
	add := func(r rune) {
		if !unicode.IsLower(r) {
			return
		}
		f := Fold(string(r))
		if len(f) == 1 && f[0] >= 'a' && f[0] <= 'z' && string(r) != f {
			sets[f[0]] = append(sets[f[0]], r)
		}
	}
	for r := rune(0x80); r < 0x250; r++ {
		add(r)
	}
	for r := rune(0x1E00); r < 0x1F00; r++ { // Latin Extended Additional (ạ, ẽ, ỳ)
		add(r)
	}
	out := map[byte]string{}
	for c := byte('a'); c <= 'z'; c++ {
		if len(sets[c]) == 0 {
			continue
		}
		out[c] = "[" + string(c) + string(sets[c]) + "]"
	}
	return out
}

// osSpellings is a regular expression matching, whole, any spelling of
// the folded words that folds to one of them.
func osSpellings(words []string) string {
	classes := osLetterClass()
	sort.Strings(words)
	parts := make([]string, 0, len(words))
	for _, w := range words {
		var b strings.Builder
		for i := 0; i < len(w); i++ {
			if c, ok := classes[w[i]]; ok {
				b.WriteString(c)
			} else {
				b.WriteString(regexp.QuoteMeta(w[i : i+1]))
			}
		}
		parts = append(parts, b.String())
	}
	return "^(?:" + strings.Join(parts, "|") + ")$"
}

// foldedStops returns a stop list folded, as strings.
func foldedStops(list []byte) []string {
	var out []string
	for _, w := range foldedStopWords(list) {
		out = append(out, w.(string))
	}
	sort.Strings(out)
	return out
}

// enOverrides are the irregular English forms, each to the term bleve's
// English analyser indexes it as (its lemma through the plural and
// Snowball stemmers).
func enOverrides() []string {
	a := enAnalyzer()
	var rules []string
	forms := make([]string, 0, len(enLemmas))
	for f := range enLemmas {
		forms = append(forms, f)
	}
	sort.Strings(forms)
	for _, f := range forms {
		toks := a.Analyze([]byte(f))
		if len(toks) != 1 {
			continue // a stop word (had, did, do): dropped before
		}
		rules = append(rules, f+" => "+string(toks[0].Term))
	}
	return rules
}

// esOverrides are the gendered person nouns, each form to its singular.
func esOverrides() []string {
	forms := make([]string, 0, len(esForms))
	for f := range esForms {
		forms = append(forms, f)
	}
	sort.Strings(forms)
	rules := make([]string, 0, len(forms))
	for _, f := range forms {
		rules = append(rules, f+" => "+esForms[f])
	}
	return rules
}

// enAnalyzer is bleve's English analyser, from a fresh mapping.
func enAnalyzer() analysis.Analyzer {
	m, err := newMapping()
	if err != nil {
		panic(err) // the mapping is built from constants
	}
	return m.AnalyzerNamed(analyzerEN)
}

// osAnalysis is the "analysis" section of the segments index's settings.
func osAnalysis() map[string]any {
	esStops := foldedStops(es.SpanishStopWords)
	enStops := foldedStops(en.EnglishStopWords)
	people := make([]string, 0, len(esForms))
	for f := range esForms {
		people = append(people, f)
	}
	var otherStops []string // bleve's standard analyser: English stop words, as listed
	for w := range registryStopWords(en.EnglishStopWords) {
		otherStops = append(otherStops, w)
	}
	sort.Strings(otherStops)
	return map[string]any{
		"char_filter": map[string]any{
			"rc_fold":    map[string]any{"type": "mapping", "mappings": osFoldMappings(nil)},
			"rc_fold_es": map[string]any{"type": "mapping", "mappings": osFoldMappings(esKeeps)},
		},
		"filter": map[string]any{
			"rc_es_stop":     map[string]any{"type": "pattern_replace", "pattern": osSpellings(esStops), "replacement": ""},
			"rc_nonempty":    map[string]any{"type": "length", "min": 1},
			"rc_es_people":   map[string]any{"type": "stemmer_override", "rules": esOverrides()},
			"rc_es_snowball": map[string]any{"type": "snowball", "language": "Spanish"},
			// -ces → -z; anything else becomes "z" alone, which rc_ces_len drops.
			"rc_es_ces":       map[string]any{"type": "pattern_replace", "pattern": "^(?:(.{2,})ces|.*)$", "replacement": "$1z"},
			"rc_ces_len":      map[string]any{"type": "length", "min": 2},
			"rc_es_notpeople": map[string]any{"type": "pattern_replace", "pattern": osSpellings(people), "replacement": ""},
			"rc_es_multi": map[string]any{"type": "multiplexer", "preserve_original": false, "filters": []string{
				esFold + ", rc_es_people, rc_es_snowball",
				esFold + ", rc_es_ces, rc_ces_len",
				"rc_es_notpeople, rc_nonempty, rc_es_snowball, " + esFold,
			}},
			"rc_es_a":          map[string]any{"type": "pattern_replace", "pattern": "á", "replacement": "a"},
			"rc_es_e":          map[string]any{"type": "pattern_replace", "pattern": "é", "replacement": "e"},
			"rc_es_i":          map[string]any{"type": "pattern_replace", "pattern": "í", "replacement": "i"},
			"rc_es_o":          map[string]any{"type": "pattern_replace", "pattern": "ó", "replacement": "o"},
			"rc_es_u":          map[string]any{"type": "pattern_replace", "pattern": "[úü]", "replacement": "u"},
			"rc_es_n":          map[string]any{"type": "pattern_replace", "pattern": "ñ", "replacement": "n"},
			"rc_en_possessive": map[string]any{"type": "stemmer", "language": "possessive_english"},
			"rc_en_stop":       map[string]any{"type": "stop", "stopwords": enStops},
			"rc_en_forms":      map[string]any{"type": "stemmer_override", "rules": enOverrides()},
			"rc_en_es":         map[string]any{"type": "pattern_replace", "pattern": "^(?=.{5,}$)(.*(?:us|x|ch|sh|zz))es$", "replacement": "$1"},
			"rc_en_plural":     map[string]any{"type": "stemmer", "language": "plural_english"},
			"rc_en_snowball":   map[string]any{"type": "snowball", "language": "English"},
			"rc_other_stop":    map[string]any{"type": "stop", "stopwords": otherStops},
		},
		"analyzer": map[string]any{
			analyzerES: map[string]any{"type": "custom", "tokenizer": "standard", "char_filter": []string{"rc_fold_es"},
				"filter": []string{"lowercase", "rc_es_stop", "rc_nonempty", "rc_es_multi"}},
			analyzerEN: map[string]any{"type": "custom", "tokenizer": "standard", "char_filter": []string{"rc_fold"},
				"filter": []string{"lowercase", "rc_en_possessive", "rc_en_stop", "rc_en_forms", "rc_en_es", "rc_en_plural", "rc_en_snowball"}},
			analyzerExact: map[string]any{"type": "custom", "tokenizer": "standard", "char_filter": []string{"rc_fold"}, "filter": []string{"lowercase"}},
			osOther:       map[string]any{"type": "custom", "tokenizer": "standard", "filter": []string{"lowercase", "rc_other_stop"}},
		},
	}
}

// osOther is the analyser of text in other languages, as bleve's
// "standard" (which OpenSearch's own "standard" is not: it keeps stop words).
const osOther = "recuerdo_other"

// registryStopWords reads a bleve stop list as bleve does.
func registryStopWords(list []byte) map[string]bool {
	tm := analysis.NewTokenMap()
	tm.LoadBytes(list)
	out := map[string]bool{}
	for w := range tm {
		out[w] = true
	}
	return out
}

// esKeeps are the letters the Spanish field's character filter leaves for
// its branches: Snowball's Spanish rules read them (vowels with an acute
// accent, ü, ñ), so one branch stems the word with them before folding
// them (esFold); every other letter is folded before the tokenizer, as
// Fold folds it.
func esKeeps(r rune) bool { return strings.ContainsRune("áéíóúüñ", unicode.ToLower(r)) }

// esFold folds the letters esKeeps keeps, per token.
const esFold = "rc_es_a, rc_es_e, rc_es_i, rc_es_o, rc_es_u, rc_es_n"

// osFoldMappings are Fold's foldings as the rules of a mapping character
// filter: each letter (below U+3000) that Fold changes beyond lower-casing,
// to its folded form, and each combining mark to nothing. Folding a letter
// leaves it a letter, so folding before the tokenizer finds the same
// words as folding each token after it, and the exact and English
// fields fold as Fold does, where asciifolding folds more (ß → ss, æ →
// ae, ø → o) and less (Greek and Cyrillic accents). The Spanish field
// folds all but the letters esKeeps keeps.
func osFoldMappings(except func(rune) bool) []string {
	esc := func(s string) string {
		var b strings.Builder
		for _, r := range s {
			fmt.Fprintf(&b, "\\u%04X", r)
		}
		return b.String()
	}
	var rules []string
	for r := rune(0x80); r < 0x3000; r++ {
		if r >= 0xD800 && r < 0xE000 {
			continue
		}
		in := string(r)
		if except != nil && except(r) {
			continue
		}
		if unicode.Is(unicode.Mn, r) {
			rules = append(rules, esc(in)+" => ")
			continue
		}
		if !unicode.IsLetter(r) {
			continue
		}
		if f := Fold(in); f != strings.ToLower(in) {
			rules = append(rules, esc(in)+" => "+esc(f))
		}
	}
	return rules
}
