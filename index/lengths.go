package index

import (
	"encoding/json"
	"sync"
	"unicode"

	"github.com/blevesearch/bleve/v2/analysis/lang/en"
	"github.com/blevesearch/bleve/v2/analysis/lang/es"
)

// BM25 weighs a word by how long its line is against the average line of
// the same field. The index keeps, per field, how many terms its documents
// hold and how many documents there are, so the engine can use the
// archive's own average instead of a fixed one: transcripts of long turns
// and subtitles of short lines are each measured against their own kind.
//
// Terms are counted as the analyzers make them, closely enough for an
// average: the words of the text, less the stop words for the stemmed
// Spanish and English fields, one less for the fields of word pairs.

// lengths holds, per field, the terms and the documents counted.
type lengths map[string][2]float64

func (l lengths) add(o lengths, sign float64) {
	for f, v := range o {
		w := l[f]
		w[0] += sign * v[0]
		w[1] += sign * v[1]
		if w[1] <= 0 || w[0] <= 0 {
			delete(l, f)
			continue
		}
		l[f] = w
	}
}

// averages are the fields' average lengths, for those with documents.
func (l lengths) averages() map[string]float64 {
	out := map[string]float64{}
	for f, v := range l {
		if v[1] > 0 && v[0] > 0 {
			out[f] = v[0] / v[1]
		}
	}
	return out
}

var stopSets = sync.OnceValue(func() map[string]map[string]bool {
	out := map[string]map[string]bool{}
	for lang, list := range map[string][]byte{"es": es.SpanishStopWords, "en": en.EnglishStopWords} {
		set := map[string]bool{}
		for _, w := range foldedStopWords(list) {
			set[w.(string)] = true
		}
		out[lang] = set
	}
	return out
})

// countDoc adds the terms of d's scored text fields to l.
func countDoc(d segmentDoc, l lengths) {
	stops := stopSets()
	count := func(field string, stop map[string]bool, pairs bool) {
		text, _ := d[field].(string)
		if text == "" {
			return
		}
		n := countWords(text, stop)
		if pairs {
			n--
		}
		if n <= 0 {
			return
		}
		v := l[field]
		v[0] += float64(n)
		v[1]++
		l[field] = v
	}
	count(fTextES, stops["es"], false)
	count(fTwinES, stops["es"], false)
	count(fTextEN, stops["en"], false)
	count(fTwinEN, stops["en"], false)
	count(fTextOther, nil, false)
	count(fExact, nil, false)
	count(fTwinExact, nil, false)
	count(fPairs, nil, true)
	count(fTwinPairs, nil, true)
}

// countWords counts the runs of letters and digits in text, leaving out
// those in stop (folded).
func countWords(text string, stop map[string]bool) int {
	n := 0
	start := -1
	for i, r := range text + " " {
		word := unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)
		switch {
		case word && start < 0:
			start = i
		case !word && start >= 0:
			if stop == nil || !stop[Fold(text[start:i])] {
				n++
			}
			start = -1
		}
	}
	return n
}

const lengthsKey = "field_lengths"

// lengthsLocked returns the index's counts, read from the index the
// first time (none in an index built before they were kept: the engine
// then uses its fixed average). lenMu is held.
func (ix *Index) lengthsLocked() lengths {
	if ix.lens == nil {
		ix.lens = lengths{}
		if b, err := ix.bi.GetInternal([]byte(lengthsKey)); err == nil && len(b) > 0 {
			json.Unmarshal(b, &ix.lens)
		}
	}
	return ix.lens
}

// avgLengths are the fields' average lengths now.
func (ix *Index) avgLengths() map[string]float64 {
	ix.lenMu.Lock()
	defer ix.lenMu.Unlock()
	return ix.lengthsLocked().averages()
}
