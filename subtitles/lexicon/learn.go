package lexicon

import (
	"math"
	"sort"
	"strings"
)

// Pair is one aligned moment: its words in two languages.
type Pair struct {
	A, B string // the texts, in LangA and LangB of Options
}

// Options tune Learn. The zero value learns Spanish-English pairs.
type Options struct {
	LangA, LangB string // default "es", "en"
	// Words splits a text of a language into the words to learn; default
	// Words without the commonest function words of Spanish and English.
	Words func(lang, text string) []string
	// Iterations of EM in each direction (default 8).
	Iterations int
	// MinCount is how many pairs must hold both words (default 2).
	MinCount int
	// MinWeight is the least probability each direction must give the
	// pair (default 0.2).
	MinWeight float64
	// MaxPairs caps the pairs read (default 200,000: a large archive's
	// sample is enough, and memory stays bounded).
	MaxPairs int
}

func (o *Options) defaults() {
	if o.LangA == "" {
		o.LangA, o.LangB = "es", "en"
	}
	if o.Words == nil {
		o.Words = ContentWords
	}
	if o.Iterations <= 0 {
		o.Iterations = 8
	}
	if o.MinCount <= 0 {
		o.MinCount = 2
	}
	if o.MinWeight <= 0 {
		o.MinWeight = 0.2
	}
	if o.MaxPairs <= 0 {
		o.MaxPairs = 200_000
	}
}

// Learn finds word translations in aligned pairs with IBM Model 1 trained
// both ways, keeping the pairs that each direction finds likely on its own
// and that co-occur often enough; the weight is the geometric mean of the
// two probabilities. It returns entries in both directions.
func Learn(pairs []Pair, opt Options) []Entry {
	opt.defaults()
	if len(pairs) > opt.MaxPairs {
		// An even sample over the whole archive, not its first interviews.
		step := float64(len(pairs)) / float64(opt.MaxPairs)
		sample := make([]Pair, opt.MaxPairs)
		for i := range sample {
			sample[i] = pairs[int(float64(i)*step)]
		}
		pairs = sample
	}
	voc := map[string]int32{}
	var names []string
	id := func(lang, w string) int32 {
		k := lang + "\x00" + w
		if n, ok := voc[k]; ok {
			return n
		}
		n := int32(len(names))
		voc[k] = n
		names = append(names, w)
		return n
	}
	type sent struct{ a, b []int32 }
	sents := make([]sent, 0, len(pairs))
	co := map[uint64]int{} // pairs holding both words
	for _, p := range pairs {
		var s sent
		for _, w := range uniq(opt.Words(opt.LangA, p.A)) {
			s.a = append(s.a, id(opt.LangA, w))
		}
		for _, w := range uniq(opt.Words(opt.LangB, p.B)) {
			s.b = append(s.b, id(opt.LangB, w))
		}
		if len(s.a) == 0 || len(s.b) == 0 {
			continue
		}
		for _, x := range s.a {
			for _, y := range s.b {
				co[pk(x, y)]++
			}
		}
		sents = append(sents, s)
	}
	ab := model1(sents, func(s sent) ([]int32, []int32) { return s.a, s.b }, co, opt.Iterations, true)
	ba := model1(sents, func(s sent) ([]int32, []int32) { return s.b, s.a }, co, opt.Iterations, false)
	var out []Entry
	for k, n := range co {
		if n < opt.MinCount {
			continue
		}
		pab, pba := ab[k], ba[k]
		if pab < opt.MinWeight || pba < opt.MinWeight {
			continue
		}
		w := math.Sqrt(pab * pba)
		a, b := names[int32(k>>32)], names[int32(k&0xffffffff)]
		out = append(out,
			Entry{FromLang: opt.LangA, From: a, ToLang: opt.LangB, To: b, Weight: w, Source: Learned, Count: n},
			Entry{FromLang: opt.LangB, From: b, ToLang: opt.LangA, To: a, Weight: w, Source: Learned, Count: n})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].FromLang != out[j].FromLang || out[i].From != out[j].From {
			return out[i].FromLang+out[i].From < out[j].FromLang+out[j].From
		}
		return out[i].Weight > out[j].Weight
	})
	return out
}

// pk is the key of a word pair: the A-language word's id, then the B's.
func pk(a, b int32) uint64 { return uint64(uint32(a))<<32 | uint64(uint32(b)) }

// model1 trains t(target | source) with a NULL source word and returns it
// keyed as pk(a, b) whichever side is the source (aIsSource says which).
func model1[S any](sents []S, sides func(S) (src, tgt []int32), co map[uint64]int, iters int, aIsSource bool) map[uint64]float64 {
	key := func(src, tgt int32) uint64 {
		if aIsSource {
			return pk(src, tgt)
		}
		return pk(tgt, src)
	}
	t := make(map[uint64]float64, len(co))
	tNull := map[int32]float64{}
	for k := range co {
		t[k] = 1
	}
	for range iters {
		count := make(map[uint64]float64, len(t))
		total := map[int32]float64{}
		countNull := map[int32]float64{}
		totalNull := 0.0
		for _, s := range sents {
			src, tgt := sides(s)
			for _, e := range tgt {
				z := tNull[e]
				if z == 0 {
					z = 1
				}
				for _, f := range src {
					z += t[key(f, e)]
				}
				for _, f := range src {
					c := t[key(f, e)] / z
					count[key(f, e)] += c
					total[f] += c
				}
				cn := tNull[e]
				if cn == 0 {
					cn = 1
				}
				countNull[e] += cn / z
				totalNull += cn / z
			}
		}
		for k, c := range count {
			src := int32(k >> 32)
			if !aIsSource {
				src = int32(k & 0xffffffff)
			}
			t[k] = c / total[src]
		}
		for e, c := range countNull {
			tNull[e] = c / totalNull
		}
	}
	return t
}

func uniq(ws []string) []string {
	seen := map[string]bool{}
	out := ws[:0:0]
	for _, w := range ws {
		if !seen[w] {
			seen[w] = true
			out = append(out, w)
		}
	}
	return out
}

// ContentWords is Words without the commonest function words of Spanish
// and English and without one-letter words: those translate everything
// and nothing.
func ContentWords(lang, text string) []string {
	ws := Words(text)
	out := ws[:0]
	for _, w := range ws {
		if len(w) > 1 && !stop[w] {
			out = append(out, w)
		}
	}
	return out
}

var stop = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`
		el la los las un una unos unas de del al a en y o que se no si por para con sin su sus mi mis tu tus lo le les
		me te nos es era fue ser estar esta este esto ese esa eso como mas pero ya muy yo tu el ella ellos ellas usted
		the a an of to in and or that it is was were be been not no yes for with without his her its my your our their
		he she they we you i me him them us this these those there here as at by on from but so very do did does have had has
		`) {
		m[w] = true
	}
	return m
}()
