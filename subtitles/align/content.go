package align

import (
	"math"
	"math/bits"
	"slices"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/snowballstem"
	"github.com/blevesearch/snowballstem/english"
	"github.com/blevesearch/snowballstem/spanish"

	"github.com/recuerdo-archive/recuerdo/subtitles"
	"github.com/recuerdo-archive/recuerdo/subtitles/lexicon"
)

// Content evidence: what the words of a source cue and a target cue or
// line say about whether they translate each other. Words are reduced to
// stems in their own language; a source word is covered by the other side
// when the other side holds the same stem (names, numbers, places), a
// cognate (the same first five letters), or a stem the lexicon gives as
// its translation. Covered words count for a pair, in nats, by how much
// likelier coverage is in true pairs than in chance ones (estimated from
// the texts themselves).

// unit is one cue or line as the aligners see it.
type unit struct {
	chars             float64
	own               []key // its own keys (stem, form, cognate prefix), sorted by id, with the word they came from
	nWords            int   // content words (keys count twice: stem and prefix)
	exp               []key // keys and their translations, sorted by id, with the word they came from
	question, exclaim bool
	sentences         int  // sentences it holds (ends of sentence, at least one)
	hesitations       int  // words like eh, mmm, ja, bueno: a filler's counterpart inside a longer line
	filler            bool // no content word: an interjection or a bare "sí"
	note              bool // a translator's or editor's note: bracketed or labelled
	speaker           string
}

type key struct {
	id    int32
	owner uint8 // which of the unit's content words it came from (< 64)
}

// vocab interns the keys of one alignment.
type vocab struct {
	ids   map[string]int32
	words [2]map[string]*wordKeys // by side
	lx    *stemIndex
	langs [2]string // source and target language
}

func (v *vocab) id(s string) int32 {
	if n, ok := v.ids[s]; ok {
		return n
	}
	n := int32(len(v.ids))
	v.ids[s] = n
	return n
}

// interjections are words that carry no content in either language.
var interjections = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`eh ah oh uh um umm hmm hm mm mmm mhm aja aha aah ahh ehh ohh uhm
		este pues bueno osea sea ok okay vale well like yeah yes yep si no nah mira oye ay ey
		claro right so`) {
		m[w] = true
	}
	return m
}()

// answers are interjections that answer rather than hesitate: a "No." is
// not the counterpart of every line that says no.
var answers = setOf("si no yes yeah yep nah claro right so like ok okay vale")

// stopWords are function words of Spanish and English: they translate
// everything and nothing.
var stopWords = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`
		el la los las un una unos unas de del al a en y e o u que se no si por para con sin su sus mi mis tu tus lo le les
		me te nos es era fue ser estar esta este esto ese esa eso como mas pero ya muy yo el ella ellos ellas usted ustedes
		hay habia he ha han hemos cuando donde porque pues tan todo toda todos todas otro otra otros otras alla aqui ahi
		the a an of to in and or that it is was were be been not no yes for with without his her its my your our their
		he she they we you i me him them us this these those there here as at by on from but so very do did does have had has
		would will could can just then than what when where who how all some about into up out also it's i'm
		`) {
		m[w] = true
	}
	return m
}()

func isInterjection(w string) bool {
	if interjections[w] {
		return true
	}
	// mmm, hmmm, eeeh, ajá-ajá: a word of one or two letters repeated
	distinct := map[rune]bool{}
	for _, r := range w {
		distinct[r] = true
	}
	return len(distinct) <= 2 && len(w) >= 2 && !strings.ContainsAny(w, "0123456789")
}

// isNote reports whether a line is a translator's or editor's note rather
// than speech: wholly in brackets or parentheses, or labelled as a note.
func isNote(text string) bool {
	t := strings.TrimSpace(text)
	if t == "" {
		return false
	}
	if (strings.HasPrefix(t, "[") && strings.HasSuffix(t, "]")) || (strings.HasPrefix(t, "(") && strings.HasSuffix(t, ")")) ||
		(strings.HasPrefix(t, "{") && strings.HasSuffix(t, "}")) {
		return true
	}
	l := strings.ToLower(strings.TrimLeft(t, "[(*{ "))
	for _, p := range []string{"translator's note", "translator’s note", "translator note", "note:", "t.n.", "tn:", "t/n",
		"n. del t", "n. de la t", "nota del traductor", "nota de la traductora", "nota:", "editor's note", "ed. note"} {
		if strings.HasPrefix(l, p) {
			return true
		}
	}
	return false
}

// words is lexicon.Words, faster on ASCII words (most of both languages'
// words are).
func words(text string) []string {
	f := strings.FieldsFunc(text, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
	for i, w := range f {
		ascii, lower := true, true
		for j := 0; j < len(w); j++ {
			b := w[j]
			if b >= utf8.RuneSelf {
				ascii = false
				break
			}
			if 'A' <= b && b <= 'Z' {
				lower = false
			}
		}
		switch {
		case ascii && lower:
		case ascii:
			f[i] = strings.ToLower(w)
		default:
			f[i] = lexicon.Norm(w)
		}
	}
	return f
}

// wordKeys is what one word of one side contributes: its own keys (stem
// and cognate prefix) and the keys of its translations.
type wordKeys struct {
	skip  bool // a function word, an interjection or too short
	own   []int32
	trans []int32
}

// keys of word w on side 0 (source) or 1 (target), computed once per
// alignment.
func (v *vocab) keys(w string, side int) *wordKeys {
	if k, ok := v.words[side][w]; ok {
		return k
	}
	k := &wordKeys{}
	lang, other := v.langs[side], v.langs[1-side]
	switch {
	case unicode.IsDigit([]rune(w)[0]):
		k.own = []int32{v.id("#" + w)}
	case isInterjection(w) || stopWords[w] || len([]rune(w)) < 3:
		k.skip = true
	default:
		st := stem(lang, w)
		// the stem in its language; the word as written, for names and
		// loans two stemmers cut differently (mija: mij, mija); its first
		// five letters, for cognates
		k.own = []int32{v.id(lang + ":" + st), v.id("=" + w)}
		if len([]rune(w)) >= 5 {
			k.own = append(k.own, v.id("~"+string([]rune(w)[:5])))
		}
		if v.lx != nil {
			for _, t := range v.lx.lookup(lang, other, st) {
				k.trans = append(k.trans, v.id(other+":"+t))
			}
		}
	}
	v.words[side][w] = k
	return k
}

// newUnit reads one cue's or line's text; side is 0 for the source, 1 for
// the target.
func (v *vocab) newUnit(text, speaker string, side int) unit {
	u := unit{speaker: speaker}
	u.chars = float64(spokenLength(text))
	u.question = strings.ContainsAny(text, "?¿")
	u.exclaim = strings.ContainsAny(text, "!¡")
	u.note = isNote(text)
	u.sentences = sentences(text)
	content := 0
	var seen []string
	for _, w := range words(text) {
		if w == "" || slices.Contains(seen, w) {
			continue
		}
		seen = append(seen, w)
		if isInterjection(w) && !answers[w] {
			u.hesitations++
		}
		k := v.keys(w, side)
		if k.skip {
			continue
		}
		if content < 64 {
			for _, id := range k.own {
				u.own = append(u.own, key{id, uint8(content)})
				u.exp = append(u.exp, key{id, uint8(content)})
			}
			for _, id := range k.trans {
				u.exp = append(u.exp, key{id, uint8(content)})
			}
		}
		content++
	}
	u.nWords = content
	u.filler = content == 0 && !u.note && u.chars > 0 && u.chars < 40
	byID := func(a, b key) int { return int(a.id) - int(b.id) }
	slices.SortFunc(u.own, byID)
	slices.SortFunc(u.exp, byID)
	return u
}

// sentences counts the sentences of a text: runs of . ? ! … that end it
// or are followed by a space; at least one for any text.
func sentences(text string) int {
	n := 0
	rs := []rune(strings.TrimSpace(text))
	for i, r := range rs {
		if !strings.ContainsRune(".?!…", r) {
			continue
		}
		if i+1 == len(rs) || unicode.IsSpace(rs[i+1]) || rs[i+1] == '"' || rs[i+1] == '»' || rs[i+1] == '”' {
			if i == 0 || !strings.ContainsRune(".?!…", rs[i-1]) {
				n++
			}
		}
	}
	if n == 0 && len(rs) > 0 {
		n = 1
	}
	return n
}

// spokenLength is the number of runes of text with runs of white space
// counted as one and none at either end.
func spokenLength(text string) int {
	n, space, started := 0, false, false
	for _, r := range text {
		if unicode.IsSpace(r) {
			space = started
			continue
		}
		if space {
			n++
			space = false
		}
		n++
		started = true
	}
	return n
}

// covered counts a's content words that b covers (b holds one of their
// keys or translations) and b's content words that a's keys or
// translations hold, walking both sorted lists once.
func covered(a, b *unit) (ca, cb int) {
	var ma, mb uint64
	i, j := 0, 0
	for i < len(a.exp) && j < len(b.own) {
		switch x, y := a.exp[i].id, b.own[j].id; {
		case x < y:
			i++
		case x > y:
			j++
		default:
			i2 := i
			for ; i2 < len(a.exp) && a.exp[i2].id == x; i2++ {
				ma |= 1 << a.exp[i2].owner
			}
			j2 := j
			for ; j2 < len(b.own) && b.own[j2].id == x; j2++ {
				mb |= 1 << b.own[j2].owner
			}
			i, j = i2, j2
		}
	}
	return bits.OnesCount64(ma), bits.OnesCount64(mb)
}

// stem reduces a folded word to its stem in lang; other languages keep it.
func stem(lang, w string) string {
	env := snowballstem.NewEnv(w)
	switch lang {
	case "es":
		spanish.Stem(env)
	case "en":
		english.Stem(env)
	default:
		return w
	}
	return env.Current()
}

// stemIndex is a lexicon seen through stems: for a language pair, the
// stems that translate a stem.
type stemIndex struct {
	by map[[3]string][]string // from-lang, to-lang, from-stem → to-stems
}

func (s *stemIndex) lookup(from, to, st string) []string {
	if from == "" || to == "" {
		return nil
	}
	return s.by[[3]string{from, to, st}]
}

var stemCache struct {
	sync.Mutex
	lx  *lexicon.Lexicon
	n   int
	idx *stemIndex
}

// indexLexicon builds (or reuses, for the lexicon last seen) the stem
// index of lx.
func indexLexicon(lx *lexicon.Lexicon) *stemIndex {
	if lx == nil {
		return nil
	}
	stemCache.Lock()
	defer stemCache.Unlock()
	n := lx.Len()
	if stemCache.lx == lx && stemCache.n == n {
		return stemCache.idx
	}
	idx := &stemIndex{by: map[[3]string][]string{}}
	stems := map[[2]string]string{}
	st := func(lang, w string) string {
		k := [2]string{lang, w}
		if s, ok := stems[k]; ok {
			return s
		}
		s := stem(lang, w)
		stems[k] = s
		return s
	}
	for _, e := range lx.Entries() {
		if strings.ContainsAny(e.From, " -") || strings.ContainsAny(e.To, " -") || stopWords[e.From] || stopWords[e.To] {
			continue
		}
		k := [3]string{e.FromLang, e.ToLang, st(e.FromLang, e.From)}
		t := st(e.ToLang, e.To)
		list := idx.by[k]
		dup := false
		for _, x := range list {
			if x == t {
				dup = true
				break
			}
		}
		if !dup && len(list) < 24 {
			idx.by[k] = append(list, t)
		}
	}
	stemCache.lx, stemCache.n, stemCache.idx = lx, n, idx
	return idx
}

func setOf(s string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(s) {
		m[w] = true
	}
	return m
}

// newVocab prepares the keys of an alignment of src with tgt texts.
func newVocab(lx *lexicon.Lexicon, srcLang, tgtLang string, src, tgt []string) *vocab {
	if srcLang == "" {
		srcLang = subtitles.GuessLanguage(strings.Join(sample(src), "\n"))
	}
	if tgtLang == "" {
		tgtLang = subtitles.GuessLanguage(strings.Join(sample(tgt), "\n"))
	}
	return &vocab{ids: map[string]int32{}, words: [2]map[string]*wordKeys{{}, {}}, lx: indexLexicon(lx), langs: [2]string{srcLang, tgtLang}}
}

// sample is up to 200 texts spread over the list: enough to tell a language.
func sample(texts []string) []string {
	if len(texts) <= 200 {
		return texts
	}
	out := make([]string, 0, 200)
	for i := 0; i < 200; i++ {
		out = append(out, texts[i*len(texts)/200])
	}
	return out
}

// contentModel turns coverage into nats: each covered word is worth
// log(p1/p0), each uncovered one log((1−p1)/(1−p0)), with p1 the share of
// words covered in true pairs and p0 in chance pairs.
type contentModel struct {
	hit, miss float64
}

func newContentModel(p1, p0 float64) contentModel {
	p0 = math.Min(math.Max(p0, 0.002), 0.5)
	p1 = math.Min(math.Max(p1, p0*1.5), 0.95)
	return contentModel{hit: math.Log(p1 / p0), miss: math.Log((1 - p1) / (1 - p0))}
}

// chanceCoverage estimates p0: the share of words covered between units
// that are near each other but not translations (two to four places off
// the diagonal): neighbours share a topic, so chance is higher there than
// between far-apart units, and neighbours are what a search must tell
// apart.
func chanceCoverage(s, t []unit) float64 {
	if len(s) < 8 || len(t) < 8 {
		return 0.05
	}
	var hits, words float64
	n := min(400, len(s))
	for k := 0; k < n; k++ {
		i := k * len(s) / n
		d := 2 + k%3
		if k%2 == 1 {
			d = -d
		}
		j := i*len(t)/len(s) + d
		if j < 0 || j >= len(t) {
			continue
		}
		a, b := covered(&s[i], &t[j])
		hits += float64(a + b)
		words += float64(s[i].nWords + t[j].nWords)
	}
	if words == 0 {
		return 0.05
	}
	return (hits + 1) / (words + 20)
}

// score is the evidence, in nats, that sides a and b (each one or more
// units: ka and kb of them) translate each other, from the coverage counts
// of their cross pairs. Every word not covered costs the same whether it is
// paired or left alone, so only covered words count: each turns a miss
// into a hit. A word facing k units of the other side has k chances to be
// covered by chance, so its hit is worth log k less: a merge must earn its
// words, not collect its neighbours' chance matches.
func (m contentModel) score(ca, cb, na, nb, ka, kb int) float64 {
	ca, cb = min(ca, na), min(cb, nb)
	v := m.hit - m.miss
	return math.Max(0, v-logK(kb))*float64(ca) + math.Max(0, v-logK(ka))*float64(cb)
}

func logK(k int) float64 {
	switch k {
	case 1:
		return 0
	case 2:
		return math.Ln2
	}
	return math.Log(float64(k))
}

// punctuation is the evidence of matching ¿? and ¡! on both sides, or of
// one side asking and the other not.
func punctuation(a, b []unit) float64 {
	qa, qb, ea, eb := false, false, false, false
	for i := range a {
		qa, ea = qa || a[i].question, ea || a[i].exclaim
	}
	for i := range b {
		qb, eb = qb || b[i].question, eb || b[i].exclaim
	}
	v := 0.0
	switch {
	case qa && qb:
		v += 1
	case qa != qb:
		v -= 0.5
	}
	if ea && eb {
		v += 0.5
	}
	return v
}

// speakerChange is 1 when a side merges cues of two named speakers.
func speakerChange(a []unit) float64 {
	for i := 1; i < len(a); i++ {
		if a[i].speaker != "" && a[i-1].speaker != "" && a[i].speaker != a[i-1].speaker {
			return 1
		}
	}
	return 0
}
