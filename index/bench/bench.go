// Package bench measures recuerdo's search index on a synthetic corpus and
// writes that corpus in the form ../shared/bench/peers.py reads, so the
// same segments and queries can be timed with SQLite FTS5 and Xapian.
//
// The corpus is deterministic: the same size and seed give the same bytes.
// Its words come from the bundled sample interviews: a word-pair (bigram)
// model of each language's lines, so phrases read like the samples and
// word frequencies fall off as in real speech.
//
//	bench.WriteCorpus(dir, bench.Config{Segments: 100_000, Seed: 1})
//	res, err := bench.Run(ctx, dir, bench.RunOptions{})
package bench

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/recuerdo-archive/recuerdo/index"
	"github.com/recuerdo-archive/recuerdo/samples"
	"github.com/recuerdo-archive/recuerdo/subtitles"
)

// Config sizes a corpus. The zero value is 10,000 segments, seed 1, 200
// queries per class.
type Config struct {
	Segments int    // segments in the corpus
	Seed     uint64 // random seed
	Queries  int    // queries per class
}

// Query is one line of queries.jsonl.
type Query struct {
	Class string `json:"class"` // term, accent, phrase, prefix, fuzzy, cross
	Q     string `json:"q"`
	Lang  string `json:"lang"` // "es", "en", or "" for any
}

// Classes are the query classes, in the order they are reported.
var Classes = []string{"term", "accent", "phrase", "prefix", "fuzzy", "cross"}

// segmentsPerInterview is how long a synthetic interview is: about three
// hours of subtitles.
const segmentsPerInterview = 2000

// model is a bigram model of one language's sample lines.
type model struct {
	starts []string            // first words of lines, with repeats
	next   map[string][]string // each word's followers, with repeats
	words  []string            // distinct words, sorted
}

// models reads the bundled samples into one model per language.
func models() (map[string]*model, error) {
	out := map[string]*model{"es": {next: map[string][]string{}}, "en": {next: map[string][]string{}}}
	err := fs.WalkDir(samples.FS, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		base := path.Base(p)
		lang := strings.SplitN(base, ".", 2)[0]
		m := out[lang]
		if m == nil {
			return nil
		}
		data, err := fs.ReadFile(samples.FS, p)
		if err != nil {
			return err
		}
		tr, err := subtitles.Read(base, data)
		if err != nil {
			return fmt.Errorf("sample %s: %w", p, err)
		}
		for _, c := range tr.Cues {
			words := strings.FieldsFunc(strings.ToLower(c.Text), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
			for i, w := range words {
				if i == 0 {
					m.starts = append(m.starts, w)
				} else {
					m.next[words[i-1]] = append(m.next[words[i-1]], w)
				}
				if _, ok := m.next[w]; !ok {
					m.next[w] = nil
				}
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	for lang, m := range out {
		if len(m.starts) == 0 {
			return nil, fmt.Errorf("no %s sample lines to learn words from", lang)
		}
		for w := range m.next {
			m.words = append(m.words, w)
		}
		sort.Strings(m.words)
	}
	return out, nil
}

// sentence draws one line of 4 to 16 words.
func (m *model) sentence(r *rand.Rand) string {
	n := 4 + r.IntN(13)
	w := m.starts[r.IntN(len(m.starts))]
	words := []string{w}
	for len(words) < n {
		f := m.next[w]
		if len(f) == 0 {
			w = m.starts[r.IntN(len(m.starts))]
		} else {
			w = f[r.IntN(len(f))]
		}
		words = append(words, w)
	}
	s := strings.Join(words, " ")
	first, size := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(first)) + s[size:] + "."
}

// WriteCorpus writes corpus.jsonl and queries.jsonl into dir.
func WriteCorpus(dir string, cfg Config) error {
	if cfg.Segments <= 0 {
		cfg.Segments = 10_000
	}
	if cfg.Seed == 0 {
		cfg.Seed = 1
	}
	if cfg.Queries <= 0 {
		cfg.Queries = 200
	}
	ms, err := models()
	if err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	r := rand.New(rand.NewPCG(cfg.Seed, 0x7265637565726430))
	var lines []corpusLine // a sample of lines to draw phrase queries from
	err = writeLines(filepath.Join(dir, "corpus.jsonl"), func(emit func(any) error) error {
		var at int64
		for i := 0; i < cfg.Segments; i++ {
			iv := i / segmentsPerInterview
			if i%segmentsPerInterview == 0 {
				at = 0
			}
			lang := "es"
			if iv%2 == 1 {
				lang = "en"
			}
			text := ms[lang].sentence(r)
			dur := int64(1200 + 90*len(strings.Fields(text)))
			seg := index.Segment{ID: fmt.Sprintf("s%d", i), Interview: fmt.Sprintf("iv%04d", iv), Lang: lang,
				StartMS: at, EndMS: at + dur, Speaker: []string{"Lucía", "Ramón", "Socorro"}[r.IntN(3)], Text: text}
			at += dur + int64(r.IntN(400))
			if r.IntN(max(1, cfg.Segments/(20*cfg.Queries))) == 0 {
				lines = append(lines, corpusLine{lang, text})
			}
			if err := emit(seg); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	qs := queries(r, ms, lines, cfg.Queries)
	return writeLines(filepath.Join(dir, "queries.jsonl"), func(emit func(any) error) error {
		for _, q := range qs {
			if err := emit(q); err != nil {
				return err
			}
		}
		return nil
	})
}

type corpusLine struct{ lang, text string }

func writeLines(name string, body func(emit func(any) error) error) error {
	f, err := os.Create(name)
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(f, 1<<20)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	if err := body(func(v any) error { return enc.Encode(v) }); err != nil {
		f.Close()
		return fmt.Errorf("write %s: %w", name, err)
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return fmt.Errorf("write %s: %w", name, err)
	}
	return f.Close()
}

// queries draws n queries of each class. Words are drawn from lines of
// the corpus, so every query has something to find, and are at least
// four letters long, as people search for content words.
func queries(r *rand.Rand, ms map[string]*model, lines []corpusLine, n int) []Query {
	var out []Query
	content := func(l corpusLine, accented bool) (string, bool) {
		words := strings.Fields(strings.TrimSuffix(strings.ToLower(l.text), "."))
		r.Shuffle(len(words), func(i, j int) { words[i], words[j] = words[j], words[i] })
		for _, w := range words {
			if utf8.RuneCountInString(w) >= 4 && (!accented || index.Fold(w) != w) {
				return w, true
			}
		}
		return "", false
	}
	pick := func() corpusLine { return lines[r.IntN(len(lines))] }
	for _, class := range Classes {
		for made, tries := 0, 0; made < n && tries < 100*n; tries++ {
			l := pick()
			var q Query
			switch class {
			case "term", "cross":
				w, ok := content(l, false)
				if !ok {
					continue
				}
				q = Query{Class: class, Q: w, Lang: l.lang}
				if class == "cross" {
					q.Lang = ""
				}
			case "accent":
				w, ok := content(l, true)
				if !ok {
					continue
				}
				q = Query{Class: class, Q: index.Fold(w), Lang: l.lang}
			case "phrase":
				words := strings.Fields(strings.TrimSuffix(strings.ToLower(l.text), "."))
				k := 2 + r.IntN(2)
				if len(words) < k {
					continue
				}
				i := r.IntN(len(words) - k + 1)
				q = Query{Class: class, Q: strings.Join(words[i:i+k], " "), Lang: l.lang}
			case "prefix":
				w, ok := content(l, false)
				if !ok || utf8.RuneCountInString(w) < 5 {
					continue
				}
				q = Query{Class: class, Q: string([]rune(w)[:4]), Lang: l.lang}
			case "fuzzy":
				w, ok := content(l, false)
				if !ok || utf8.RuneCountInString(w) < 6 {
					continue
				}
				q = Query{Class: class, Q: typo(r, w), Lang: l.lang}
			}
			out = append(out, q)
			made++
		}
	}
	return out
}

// typo swaps two neighbouring letters inside a word, as fast typists do.
func typo(r *rand.Rand, w string) string {
	rs := []rune(w)
	i := 1 + r.IntN(len(rs)-2)
	rs[i], rs[i+1] = rs[i+1], rs[i]
	if string(rs) == w { // a doubled letter: change one instead
		rs[i] = 'x'
	}
	return string(rs)
}
