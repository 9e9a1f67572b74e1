package index

import (
	"strings"
	"sync"
	"unicode"

	"github.com/blevesearch/bleve/v2/analysis"
	_ "github.com/blevesearch/bleve/v2/analysis/analyzer/custom" // the "custom" analyzer type
	"github.com/blevesearch/bleve/v2/analysis/lang/en"
	"github.com/blevesearch/bleve/v2/analysis/lang/es"
	"github.com/blevesearch/bleve/v2/analysis/token/lowercase"
	"github.com/blevesearch/bleve/v2/analysis/token/stop"
	unitok "github.com/blevesearch/bleve/v2/analysis/tokenizer/unicode"
	_ "github.com/blevesearch/bleve/v2/analysis/tokenmap" // the "custom" token map type
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/registry"
	"github.com/blevesearch/snowballstem"
	"github.com/blevesearch/snowballstem/spanish"
	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// Analyzer names used in the mapping.
const (
	analyzerES    = "recuerdo_es"    // Spanish: fold accents and ñ, drop stop words, stem
	analyzerEN    = "recuerdo_en"    // English: the same with English rules
	analyzerExact = "recuerdo_exact" // every word, folded, unstemmed: phrases, prefixes, typos
	analyzerPairs = "recuerdo_pairs" // each two neighbouring words, folded: two-word phrases at the cost of one term
	analyzerOther = "standard"       // other languages
	foldFilter    = "recuerdo_fold"
	esStemFilter  = "recuerdo_es_stem"
	enFormsFilter = "recuerdo_en_forms"
	pairsFilter   = "recuerdo_pairs"
)

func init() {
	// bleve finds analysis components by name in a global registry.
	registry.RegisterTokenFilter(foldFilter, func(map[string]any, *registry.Cache) (analysis.TokenFilter, error) {
		return foldTokens{}, nil
	})
	registry.RegisterTokenFilter(pairsFilter, func(map[string]any, *registry.Cache) (analysis.TokenFilter, error) {
		return pairTokens{}, nil
	})
	registry.RegisterTokenFilter(enFormsFilter, func(map[string]any, *registry.Cache) (analysis.TokenFilter, error) {
		return enForms{}, nil
	})
	registry.RegisterTokenFilter(esStemFilter, func(map[string]any, *registry.Cache) (analysis.TokenFilter, error) {
		stops := map[string]bool{}
		for _, w := range foldedStopWords(es.SpanishStopWords) {
			stops[w.(string)] = true
		}
		return esStem{stop: stops}, nil
	})
}

// esStem folds, drops stop words and stems Spanish words; nouns of people
// keep their gender (forms.go). Snowball's
// Spanish rules know verb endings by their accents (vendía, comí), which
// folding first would hide, while a reader who types without accents
// (vendia) must still be found; so a word whose two stems differ, folded
// then stemmed and stemmed then folded, is indexed under both.
type esStem struct{ stop map[string]bool }

func (f esStem) Filter(in analysis.TokenStream) analysis.TokenStream {
	out := make(analysis.TokenStream, 0, len(in))
	for _, t := range in {
		word := string(t.Term)
		folded := Fold(word)
		if f.stop[folded] {
			continue
		}
		if lemma, ok := esForms[folded]; ok {
			// A person's noun keeps its gender (forms.go).
			t.Term = []byte(lemma)
			out = append(out, t)
			continue
		}
		a := stemES(folded)
		t.Term = []byte(a)
		out = append(out, t)
		if z, ok := strings.CutSuffix(folded, "ces"); ok && len(z) >= 2 {
			// luces, veces, voces: the plural of a word in -z (luz), which
			// Snowball leaves apart (luc); dulces keeps its own stem too.
			twin := *t
			twin.Term = []byte(z + "z")
			out = append(out, &twin)
		}
		if word == folded {
			continue
		}
		if b := Fold(stemES(word)); b != a {
			twin := *t
			twin.Term = []byte(b)
			out = append(out, &twin)
		}
	}
	return out
}

func stemES(w string) string {
	env := snowballstem.NewEnv(w)
	spanish.Stem(env)
	return env.Current()
}

// analyzerFor names the analyzer of text in lang.
func analyzerFor(lang string) string {
	switch lang {
	case "es":
		return analyzerES
	case "en":
		return analyzerEN
	}
	return analyzerOther
}

// pairTokens turns a stream of words into the pairs of neighbours,
// "a b c" into "a b" and "b c". A phrase's words are next to each other
// exactly when the index holds each of its pairs in order, so a two-word
// phrase is found by one term instead of by comparing word positions
// deep in the postings of two common words.
type pairTokens struct{}

func (pairTokens) Filter(in analysis.TokenStream) analysis.TokenStream {
	out := make(analysis.TokenStream, 0, len(in))
	for i := 1; i < len(in); i++ {
		a, b := in[i-1], in[i]
		if b.Position != a.Position+1 {
			continue
		}
		out = append(out, &analysis.Token{Term: pairTerm(a.Term, b.Term), Position: a.Position,
			Start: a.Start, End: b.End, Type: a.Type})
	}
	return out
}

// pairTerm is the index term of two neighbouring words.
func pairTerm(a, b []byte) []byte {
	t := make([]byte, 0, len(a)+1+len(b))
	t = append(t, a...)
	t = append(t, ' ')
	return append(t, b...)
}

// foldTokens removes diacritics from each token after tokenizing, so that
// highlight offsets still point into the original text.
type foldTokens struct{}

func (foldTokens) Filter(in analysis.TokenStream) analysis.TokenStream {
	for _, t := range in {
		t.Term = []byte(Fold(string(t.Term)))
	}
	return in
}

var folder = runes.Remove(runes.In(unicode.Mn))

// Fold lower-cases s and removes its accents: "Autobús" → "autobus", "Año" → "ano".
func Fold(s string) string {
	s = strings.ToLower(s)
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			ascii = false
			break
		}
	}
	if ascii {
		return s
	}
	// Folding is a tenth of indexing time when done by chaining Unicode
	// transforms for each word, so each letter is folded once, from a
	// table for the Latin letters and a cache for the rest.
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch {
		case r < 0x80:
			b.WriteByte(byte(r))
		case r < rune(len(latinFolds)):
			b.WriteString(latinFolds[r])
		case unicode.Is(unicode.Mn, r):
			// a combining accent on its own
		default:
			b.WriteString(foldRune(r))
		}
	}
	return b.String()
}

// latinFolds holds the folded form of each letter below U+0250 (Latin-1,
// Latin Extended-A and -B).
var latinFolds = func() (t [0x250]string) {
	for r := range t {
		t[r] = foldSlow(string(rune(r)))
	}
	return t
}()

var foldCache sync.Map // rune → string, for letters beyond latinFolds

func foldRune(r rune) string {
	if f, ok := foldCache.Load(r); ok {
		return f.(string)
	}
	f := foldSlow(string(r))
	foldCache.Store(r, f)
	return f
}

// foldSlow removes the accents of s through Unicode decomposition.
func foldSlow(s string) string {
	out, _, err := transform.String(transform.Chain(norm.NFD, folder, norm.NFC), s)
	if err != nil {
		return s
	}
	return out
}

// foldedStopWords returns a stop list with its words folded like the text.
func foldedStopWords(list []byte) []any {
	tm := analysis.NewTokenMap()
	tm.LoadBytes(list)
	seen := map[string]bool{}
	var out []any
	for w := range tm {
		f := Fold(w)
		if !seen[f] {
			seen[f] = true
			out = append(out, f)
		}
	}
	return out
}

// addAnalyzers defines recuerdo's analyzers in m.
func addAnalyzers(m *mapping.IndexMappingImpl) error {
	steps := []struct {
		name string
		add  func() error
	}{
		{"en stop words", func() error {
			return m.AddCustomTokenMap("stop_en_folded", map[string]any{"type": "custom", "tokens": foldedStopWords(en.EnglishStopWords)})
		}},
		{"en stop filter", func() error {
			return m.AddCustomTokenFilter("stop_en_f", map[string]any{"type": stop.Name, "stop_token_map": "stop_en_folded"})
		}},
		{"es analyzer", func() error {
			return m.AddCustomAnalyzer(analyzerES, map[string]any{"type": "custom", "tokenizer": unitok.Name,
				"token_filters": []any{lowercase.Name, esStemFilter}})
		}},
		{"en analyzer", func() error {
			return m.AddCustomAnalyzer(analyzerEN, map[string]any{"type": "custom", "tokenizer": unitok.Name,
				"token_filters": []any{lowercase.Name, en.PossessiveName, foldFilter, "stop_en_f", enFormsFilter, en.PluralStemmerName, en.SnowballStemmerName}})
		}},
		{"exact analyzer", func() error {
			return m.AddCustomAnalyzer(analyzerExact, map[string]any{"type": "custom", "tokenizer": unitok.Name,
				"token_filters": []any{lowercase.Name, foldFilter}})
		}},
		{"pairs analyzer", func() error {
			return m.AddCustomAnalyzer(analyzerPairs, map[string]any{"type": "custom", "tokenizer": unitok.Name,
				"token_filters": []any{lowercase.Name, foldFilter, pairsFilter}})
		}},
	}
	for _, s := range steps {
		if err := s.add(); err != nil {
			return err
		}
	}
	return nil
}
