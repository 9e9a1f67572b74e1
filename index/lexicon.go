package index

import (
	"sort"
	"strings"

	"github.com/recuerdo-archive/recuerdo/subtitles/lexicon"
)

// Cross-language search without a translation (issue 16): a plain query
// word also matches, in the other language's own words, what the archive's
// bilingual lexicon says it translates as, so an English question reaches
// a Spanish interview nobody has subtitled. Such a match weighs less than
// the word itself and than a translator's aligned twin, and a hit found
// only so says which of its words carried it (Hit.Via).

// lexWord is a word of another language that a query word translates as.
type lexWord struct {
	lang, text string
	weight     float64
}

const (
	// lexiconBoost weighs a match through the lexicon, times the entry's
	// weight: below the word as typed (1) and its aligned twin (twinBoost).
	lexiconBoost = 0.35
	// maxLexWords is how many translations of one query word are searched.
	maxLexWords = 4
	// minLexWeight leaves out unsure translations.
	minLexWeight = 0.2
)

// expandLexicon gives each plain, wanted word of clauses the words lx says
// it translates as. Phrases, prefixes, filters and excluded words stay as
// typed.
func expandLexicon(clauses []clause, lx *lexicon.Lexicon) {
	if lx == nil || lx.Len() == 0 {
		return
	}
	for i := range clauses {
		if clauses[i].neg {
			continue
		}
		for j := range clauses[i].alts {
			t := &clauses[i].alts[j]
			if t.field != "" || t.phrase || t.prefix {
				continue
			}
			t.trans = translationsOf(lx, t.text)
		}
	}
}

// translationsOf looks word up as typed, then without a plural ending, in
// every language the lexicon knows it in.
func translationsOf(lx *lexicon.Lexicon, word string) []lexWord {
	w := lexicon.Norm(word)
	cands := []string{w}
	if s, ok := strings.CutSuffix(w, "es"); ok && len(s) > 2 {
		cands = append(cands, s)
	}
	if s, ok := strings.CutSuffix(w, "s"); ok && len(s) > 2 {
		cands = append(cands, s)
	}
	for _, c := range cands {
		var out []lexWord
		seen := map[string]bool{}
		for _, lang := range []string{"es", "en"} {
			for _, e := range lx.Translations(lang, c) {
				k := e.ToLang + ":" + e.To
				if e.Weight < minLexWeight || e.To == w || seen[k] {
					continue // the same word: already searched as typed
				}
				seen[k] = true
				out = append(out, lexWord{lang: e.ToLang, text: e.To, weight: e.Weight})
			}
		}
		if len(out) > 0 {
			sort.SliceStable(out, func(i, j int) bool { return out[i].weight > out[j].weight })
			return out[:min(len(out), maxLexWords)]
		}
	}
	return nil
}

// lexAlts are the ways t's translations match: in the own words of
// segments in their language.
func lexAlts(t term) []alt {
	var out []alt
	for _, tr := range t.trans {
		f := textField(tr.lang)
		if f == fTextOther {
			continue
		}
		out = append(out, alt{kind: altMatch, field: f, text: tr.text, boost: lexiconBoost * tr.weight})
	}
	return out
}
