// Package lexicon is a bilingual word list: which words of one language
// translate which of another, and how sure that is.
//
// A lexicon is learned from sentence pairs that translators have already
// aligned (IBM Model 1, trained in both directions, keeping the pairs both
// directions agree on), seeded from a dictionary in dictd format where one
// is installed (Debian's dict-freedict-spa-eng and -eng-spa), and corrected
// by people through a glossary. The search index uses it to reach speech in
// the other language; the aligner uses it to score pairs whose words
// translate each other.
//
//	lx := lexicon.New()
//	lx.Add(lexicon.Learn(pairs, lexicon.Options{})...)
//	for _, e := range lx.Translations("en", "grandmother") { ... } // abuela 0.81 learned
package lexicon

import (
	"sort"
	"strings"
	"unicode"
)

// Sources of an entry. A person's glossary is trusted most; then what the
// archive's own pairs show its speakers and translators say; then a
// dictionary, which lists every sense of a word.
const (
	Dictionary = "dictionary" // from an installed dictionary
	Learned    = "learned"    // from the archive's own aligned pairs
	Glossary   = "glossary"   // added by a person
)

// Entry says that word From in language FromLang translates as To in
// ToLang, with a weight in (0, 1].
type Entry struct {
	FromLang string  `json:"from_lang"`
	From     string  `json:"from"`
	ToLang   string  `json:"to_lang"`
	To       string  `json:"to"`
	Weight   float64 `json:"weight"`
	Source   string  `json:"source"`
	Count    int     `json:"count,omitempty"` // learned: pairs that held both words
}

// Lexicon holds entries by the language and word they translate from.
// Words are kept as Norm gives them. The zero value is not ready: use New.
type Lexicon struct {
	by      map[key][]Entry
	removed map[[4]string]bool // glossary removals: from-lang, from, to-lang, to
}

type key struct{ lang, word string }

// New returns an empty lexicon.
func New() *Lexicon { return &Lexicon{by: map[key][]Entry{}, removed: map[[4]string]bool{}} }

// Norm is a word as the lexicon keeps it: lower case, without accents
// (but ñ kept apart from n is not needed for lookups: it is folded too).
func Norm(w string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(strings.TrimSpace(w)) {
		if f, ok := folds[r]; ok {
			b.WriteRune(f)
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

var folds = map[rune]rune{
	'á': 'a', 'à': 'a', 'â': 'a', 'ä': 'a', 'ã': 'a', 'é': 'e', 'è': 'e', 'ê': 'e', 'ë': 'e',
	'í': 'i', 'ì': 'i', 'î': 'i', 'ï': 'i', 'ó': 'o', 'ò': 'o', 'ô': 'o', 'ö': 'o', 'õ': 'o',
	'ú': 'u', 'ù': 'u', 'û': 'u', 'ü': 'u', 'ñ': 'n', 'ç': 'c',
}

// Add puts entries in the lexicon. An entry for a pair already there
// replaces it when its source is at least as trusted; a glossary entry
// also lifts an earlier removal.
func (lx *Lexicon) Add(es ...Entry) {
	for _, e := range es {
		e.From, e.To = Norm(e.From), Norm(e.To)
		if e.From == "" || e.To == "" || e.Weight <= 0 {
			continue
		}
		e.Weight = min(e.Weight, 1)
		rk := [4]string{e.FromLang, e.From, e.ToLang, e.To}
		if lx.removed[rk] {
			if e.Source != Glossary {
				continue
			}
			delete(lx.removed, rk)
		}
		k := key{e.FromLang, e.From}
		list := lx.by[k]
		found := false
		for i := range list {
			if list[i].ToLang == e.ToLang && list[i].To == e.To {
				found = true
				if rank(e.Source) >= rank(list[i].Source) {
					list[i] = e
				}
			}
		}
		if !found {
			list = append(list, e)
		}
		sort.SliceStable(list, func(i, j int) bool {
			if rank(list[i].Source) != rank(list[j].Source) {
				return rank(list[i].Source) > rank(list[j].Source)
			}
			return list[i].Weight > list[j].Weight
		})
		lx.by[k] = list
	}
}

// Remove takes a pair out, in both directions, and keeps it out of later
// learned and dictionary entries (a person said it is wrong).
func (lx *Lexicon) Remove(fromLang, from, toLang, to string) {
	from, to = Norm(from), Norm(to)
	for _, d := range [][4]string{{fromLang, from, toLang, to}, {toLang, to, fromLang, from}} {
		lx.removed[d] = true
		k := key{d[0], d[1]}
		list := lx.by[k][:0]
		for _, e := range lx.by[k] {
			if !(e.ToLang == d[2] && e.To == d[3]) {
				list = append(list, e)
			}
		}
		if len(list) == 0 {
			delete(lx.by, k)
		} else {
			lx.by[k] = list
		}
	}
}

// Removed lists the pairs a glossary took out, each once as it was said.
func (lx *Lexicon) Removed() [][4]string {
	out := make([][4]string, 0, len(lx.removed))
	for k := range lx.removed {
		out = append(out, k)
	}
	sort.Slice(out, func(i, j int) bool { return strings.Join(out[i][:], "\x00") < strings.Join(out[j][:], "\x00") })
	return out
}

func rank(source string) int {
	switch source {
	case Glossary:
		return 3
	case Learned:
		return 2
	case Dictionary:
		return 1
	}
	return 0
}

// Translations returns what word of lang translates as, most trusted and
// likeliest first.
func (lx *Lexicon) Translations(lang, word string) []Entry {
	return append([]Entry(nil), lx.by[key{lang, Norm(word)}]...)
}

// Entries returns every entry, ordered by language, word and rank.
func (lx *Lexicon) Entries() []Entry {
	keys := make([]key, 0, len(lx.by))
	for k := range lx.by {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if keys[i].lang != keys[j].lang {
			return keys[i].lang < keys[j].lang
		}
		return keys[i].word < keys[j].word
	})
	var out []Entry
	for _, k := range keys {
		out = append(out, lx.by[k]...)
	}
	return out
}

// Len is the number of entries.
func (lx *Lexicon) Len() int {
	n := 0
	for _, l := range lx.by {
		n += len(l)
	}
	return n
}

// Words splits text into lexicon words: runs of letters and digits, Norm'd.
func Words(text string) []string {
	f := strings.FieldsFunc(text, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
	for i := range f {
		f[i] = Norm(f[i])
	}
	return f
}
