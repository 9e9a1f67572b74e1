package align

import (
	"math"
	"strings"
	"time"
	"unicode"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"

	"github.com/recuerdo-archive/recuerdo/subtitles"
)

// Text aligns the lines of an untimed translation (one sentence, utterance
// or paragraph per line) with timed source cues, by length in the manner
// of Gale and Church, with the length ratio and its spread estimated from
// the two texts rather than assumed, and with lexical anchors (numbers,
// names, identical words and cognates, question and exclamation marks)
// that reward pairs that share them. Pairs use 0-based indexes: Src into
// src, Tgt into lines. Method is "text".
func Text(src []subtitles.Cue, lines []string) Result {
	s := make([]unit, len(src))
	for i, c := range src {
		s[i] = newUnit(c.Text)
	}
	t := make([]unit, len(lines))
	for i, l := range lines {
		t[i] = newUnit(l)
	}
	// Hard EM: align with Gale and Church's priors and spread, re-estimate
	// both from the pairs found (translators of speech split and merge
	// more than parliament's), and align again.
	prm := defaultParams()
	prm.ratio = lengthRatio(s, t)
	pairs := textDP(s, t, prm)
	for iter := 0; iter < 2; iter++ {
		prm = estimateParams(s, t, pairs, prm.ratio)
		pairs = textDP(s, t, prm)
	}
	return Result{Method: "text", Scale: 1, Mapping: Identity(), Pairs: pairs}
}

// textParams are the statistics the length model uses.
type textParams struct {
	ratio    float64   // target characters per source character
	prior    []float64 // −log frequency of each of textBeads
	variance float64   // spread of target length per source character
}

// lengthRatio is the texts' ratio of target to source characters.
func lengthRatio(s, t []unit) float64 {
	var ls, lt float64
	for _, u := range s {
		ls += u.chars
	}
	for _, u := range t {
		lt += u.chars
	}
	if ls > 0 && lt > 0 {
		return lt / ls
	}
	return 1
}

func defaultParams() textParams {
	p := textParams{variance: 6.8}
	for _, b := range textBeads {
		p.prior = append(p.prior, b.prior)
	}
	return p
}

// estimateParams re-estimates bead frequencies (smoothed towards Gale and
// Church's) and the length spread from an alignment.
func estimateParams(s, t []unit, pairs []Pair, ratio float64) textParams {
	p := defaultParams()
	p.ratio = ratio
	counts := make([]float64, len(textBeads))
	total := 0.0
	var sum, n float64
	for _, pr := range pairs {
		for bi, b := range textBeads {
			if b.s == len(pr.Src) && b.t == len(pr.Tgt) {
				counts[bi]++
				total++
			}
		}
		if len(pr.Src) == 1 && len(pr.Tgt) == 1 {
			x, y := s[pr.Src[0]].chars, t[pr.Tgt[0]].chars
			mean := math.Max(1, (x+y/ratio)/2)
			d := y - x*ratio
			sum += d * d / mean
			n++
		}
	}
	const pseudo = 20 // weight of Gale and Church's frequencies
	for bi, b := range textBeads {
		prior := math.Exp(-b.prior)
		p.prior[bi] = -math.Log((counts[bi] + pseudo*prior) / (total + pseudo))
	}
	// Never sharper than half Gale and Church's spread: a tight estimate
	// from a short text would let length overrule the anchors.
	if n >= 10 {
		p.variance = math.Min(4*6.8, math.Max(6.8/2, sum/n))
	}
	return p
}

// unit is one cue or line as the text aligner sees it.
type unit struct {
	chars             float64
	numbers           map[string]bool
	words             map[string]bool // folded words of 4+ letters, and capitalised words
	question, exclaim bool
}

var foldT = transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)

func newUnit(text string) unit {
	u := unit{numbers: map[string]bool{}, words: map[string]bool{}}
	u.chars = float64(len([]rune(strings.Join(strings.Fields(text), " "))))
	u.question = strings.ContainsAny(text, "?¿")
	u.exclaim = strings.ContainsAny(text, "!¡")
	folded, _, _ := transform.String(foldT, text)
	for _, w := range strings.FieldsFunc(folded, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
		switch {
		case unicode.IsDigit([]rune(w)[0]):
			u.numbers[w] = true
		case len(w) >= 4:
			lw := strings.ToLower(w)
			if len(lw) > 5 {
				lw = lw[:5] // cognates share a stem: autobus/autobús, familia/family
			}
			u.words[lw] = true
		}
	}
	return u
}

// anchors scores what two sides share: each number 1, each cognate or
// name 0.5, matching question or exclamation 0.5.
func anchors(s, t []unit) float64 { return anchors1(merge(s), merge(t)) }

func anchors1(su, tu unit) float64 {
	score := 0.0
	for n := range su.numbers {
		if tu.numbers[n] {
			score++
		}
	}
	for w := range su.words {
		if tu.words[w] {
			score += 0.5
		}
	}
	if su.question && tu.question {
		score += 0.5
	}
	if su.exclaim && tu.exclaim {
		score += 0.5
	}
	return score
}

func merge(us []unit) unit {
	if len(us) == 1 {
		return us[0]
	}
	m := unit{numbers: map[string]bool{}, words: map[string]bool{}}
	for _, u := range us {
		m.chars += u.chars
		for k := range u.numbers {
			m.numbers[k] = true
		}
		for k := range u.words {
			m.words[k] = true
		}
		m.question = m.question || u.question
		m.exclaim = m.exclaim || u.exclaim
	}
	return m
}

// textBeads are the pair shapes with Gale and Church's prior costs (−log
// of their frequencies in aligned text).
var textBeads = []struct {
	s, t  int
	prior float64
}{
	{1, 1, -math.Log(0.89)},
	{1, 0, -math.Log(0.0099 / 2)},
	{0, 1, -math.Log(0.0099 / 2)},
	{2, 1, -math.Log(0.089 / 2)},
	{1, 2, -math.Log(0.089 / 2)},
	{2, 2, -math.Log(0.011)},
	{3, 1, -math.Log(0.005)},
	{1, 3, -math.Log(0.005)},
}

// anchorWeight is what one shared anchor is worth against length cost.
const anchorWeight = 3.0

func textDP(s, t []unit, prm textParams) []Pair {
	n, m := len(s), len(t)
	ratio := prm.ratio
	variance := prm.variance
	cost := func(a, b []unit) float64 {
		var x, y float64
		for _, u := range a {
			x += u.chars
		}
		for _, u := range b {
			y += u.chars
		}
		if x+y == 0 {
			return 0
		}
		mean := (x + y/ratio) / 2
		delta := (y - x*ratio) / math.Sqrt(math.Max(1, mean)*variance)
		p := 2 * (1 - normalCDF(math.Abs(delta)))
		c := -math.Log(math.Max(p, 1e-12))
		if len(a) > 0 && len(b) > 0 {
			c -= anchorWeight * anchors(a, b)
		}
		return c
	}
	// Band around the diagonal, wide enough for omissions and merges.
	band := max(20, max(n, m)/8)
	inf := math.Inf(1)
	d := make([][]float64, n+1)
	back := make([][]int8, n+1)
	lo := make([]int, n+1)
	for i := 0; i <= n; i++ {
		c := 0
		if n > 0 {
			c = i * m / n
		}
		lo[i] = max(0, c-band)
		hi := min(m, c+band)
		d[i] = make([]float64, hi-lo[i]+1)
		back[i] = make([]int8, hi-lo[i]+1)
		for k := range d[i] {
			d[i][k] = inf
			back[i][k] = -1
		}
	}
	get := func(i, j int) float64 {
		if i < 0 || j < lo[i] || j-lo[i] >= len(d[i]) {
			return inf
		}
		return d[i][j-lo[i]]
	}
	d[0][0] = 0
	for i := 0; i <= n; i++ {
		for j := lo[i]; j < lo[i]+len(d[i]); j++ {
			if i == 0 && j == 0 {
				continue
			}
			best, arg := inf, int8(-1)
			for bi, b := range textBeads {
				if b.s > i || b.t > j {
					continue
				}
				prev := get(i-b.s, j-b.t)
				if prev == inf {
					continue
				}
				if v := prev + prm.prior[bi] + cost(s[i-b.s:i], t[j-b.t:j]); v < best {
					best, arg = v, int8(bi)
				}
			}
			d[i][j-lo[i]], back[i][j-lo[i]] = best, arg
		}
	}
	var out []Pair
	i, j := n, m
	for i > 0 || j > 0 {
		var bi int8 = -1
		if j >= lo[i] && j-lo[i] < len(back[i]) {
			bi = back[i][j-lo[i]]
		}
		if bi < 0 { // outside the band: leave the rest unmatched
			if j > 0 {
				out = append(out, Pair{Src: []int{}, Tgt: []int{j - 1}})
				j--
			} else {
				out = append(out, Pair{Src: []int{i - 1}, Tgt: []int{}})
				i--
			}
			continue
		}
		b := textBeads[bi]
		p := Pair{Src: []int{}, Tgt: []int{}}
		for k := i - b.s; k < i; k++ {
			p.Src = append(p.Src, k)
		}
		for k := j - b.t; k < j; k++ {
			p.Tgt = append(p.Tgt, k)
		}
		if b.s > 0 && b.t > 0 {
			// confidence: how plausible the lengths are, lifted by anchors
			p.Score = math.Min(1, math.Exp(-math.Max(0, cost(s[i-b.s:i], t[j-b.t:j])))+0.1*anchors(s[i-b.s:i], t[j-b.t:j]))
		}
		out = append(out, p)
		i, j = i-b.s, j-b.t
	}
	for a, b := 0, len(out)-1; a < b; a, b = a+1, b-1 {
		out[a], out[b] = out[b], out[a]
	}
	return out
}

func normalCDF(x float64) float64 { return 0.5 * math.Erfc(-x/math.Sqrt2) }

// TransferTiming gives each line the time of the source cues it is paired
// with: a line paired with several cues spans them; several lines paired
// with cues share their time in proportion to their length; a line paired
// with nothing takes the gap between its neighbours. Lines come back in
// order, as cues.
func TransferTiming(src []subtitles.Cue, lines []string, pairs []Pair) []subtitles.Cue {
	out := make([]subtitles.Cue, len(lines))
	placed := make([]bool, len(lines))
	for _, p := range pairs {
		if len(p.Src) == 0 || len(p.Tgt) == 0 {
			continue
		}
		start, end := src[p.Src[0]].Start, src[p.Src[len(p.Src)-1]].End
		total := 0
		for _, j := range p.Tgt {
			total += len([]rune(lines[j])) + 1
		}
		at := start
		for k, j := range p.Tgt {
			share := time.Duration(float64(end-start) * float64(len([]rune(lines[j]))+1) / float64(total))
			e := at + share
			if k == len(p.Tgt)-1 {
				e = end
			}
			out[j] = subtitles.Cue{Start: at, End: e, Speaker: src[p.Src[0]].Speaker, Text: lines[j]}
			placed[j] = true
			at = e
		}
	}
	for j := range out {
		if placed[j] {
			continue
		}
		var prevEnd, nextStart time.Duration
		for k := j - 1; k >= 0; k-- {
			if placed[k] {
				prevEnd = out[k].End
				break
			}
		}
		nextStart = prevEnd
		for k := j + 1; k < len(out); k++ {
			if placed[k] {
				nextStart = out[k].Start
				break
			}
		}
		out[j] = subtitles.Cue{Start: prevEnd, End: max(prevEnd, nextStart), Text: lines[j]}
		placed[j] = true
	}
	return out
}
