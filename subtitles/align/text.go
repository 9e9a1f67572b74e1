package align

import (
	"fmt"
	"math"
	"time"

	"github.com/recuerdo-archive/recuerdo/subtitles"
)

// Text aligns the lines of an untimed translation (one sentence, utterance
// or paragraph per line) with timed source cues. It is TextWith without a
// lexicon.
func Text(src []subtitles.Cue, lines []string) Result {
	return TextWith(src, lines, Options{})
}

// TextWith aligns the lines of an untimed translation with timed source
// cues, by length in the manner of Gale and Church (the length ratio and
// its spread estimated from the two texts) and by content: words that the
// lexicon (opt.Lexicon, when given) translates, cognates and shared names
// and numbers, ¿? and ¡!. A source cue with no content word (a filler:
// "Mmm.", "Sí, sí.", "Este…") and a target line that is a translator's note
// may stay unpaired at little cost, and how often they do is learned from
// the texts. Pairs use 0-based indexes: Src into src, Tgt into lines.
// Method is "text".
func TextWith(src []subtitles.Cue, lines []string, opt Options) Result {
	srcText := make([]string, len(src))
	for i, c := range src {
		srcText[i] = c.Text
	}
	v := newVocab(opt.Lexicon, opt.SrcLang, opt.TgtLang, srcText, lines)
	s := make([]unit, len(src))
	for i, c := range src {
		s[i] = v.newUnit(c.Text, c.Speaker, 0)
	}
	t := make([]unit, len(lines))
	for i, l := range lines {
		t[i] = v.newUnit(l, "", 1)
	}
	// Hard EM: align with Gale and Church's priors and spread, re-estimate
	// them, the content model and how often fillers and notes stay alone
	// from the pairs found, and align again.
	prm := defaultParams()
	prm.ratio = lengthRatio(s, t)
	p0 := chanceCoverage(s, t)
	prm.content = newContentModel(math.Max(0.2, 3*p0), p0)
	lo, hi := textBand(len(s), len(t))
	grid := newCoverGrid(s, t, lo, hi)
	pairs := textDP(s, t, prm, grid)
	for iter := 0; iter < 2; iter++ {
		prm = estimateParams(s, t, pairs, prm.ratio, p0, grid)
		pairs = textDP(s, t, prm, grid)
	}
	res := Result{Method: "text", Scale: 1, Mapping: Identity(), Pairs: pairs}
	res.Regions = textRegions(src, t, pairs)
	return res
}

// textRegions judges a text alignment by stretches of regionCues target
// lines, timed by the source cues they were paired with: the share of
// lines in a pair the models find likely (score 0.5 or more), or left
// alone as a note.
func textRegions(src []subtitles.Cue, t []unit, pairs []Pair) []Region {
	pairOf := make([]int, len(t))
	for q, p := range pairs {
		for _, j := range p.Tgt {
			pairOf[j] = q
		}
	}
	var out []Region
	for k0 := 0; k0 < len(t); k0 += regionCues {
		k1 := min(len(t), k0+regionCues)
		if len(t)-k1 < regionCues/2 {
			k1 = len(t)
		}
		rg := Region{Cues: k1 - k0, From: -1}
		good := 0
		for k := k0; k < k1; k++ {
			p := pairs[pairOf[k]]
			if len(p.Src) > 0 {
				if rg.From < 0 {
					rg.From = src[p.Src[0]].Start
				}
				rg.To = src[p.Src[len(p.Src)-1]].Start
			}
			if p.Score >= 0.5 || len(p.Src) == 0 && t[k].note {
				good++
			}
		}
		rg.From = max(0, rg.From)
		rg.Confidence = round3f(float64(good) / float64(rg.Cues))
		rg.Why = fmt.Sprintf("lines %d-%d: %d of %d in likely pairs (times are the source's)", k0+1, k1, good, rg.Cues)
		rg.Flagged = rg.Confidence < MinConfidence
		out = append(out, rg)
		k0 = k1 - regionCues
		if k1 == len(t) {
			break
		}
	}
	return out
}

// textParams are the statistics the length and content models use.
type textParams struct {
	ratio    float64   // target characters per source character
	prior    []float64 // −log frequency of each of textBeads
	variance float64   // spread of target length per source character
	content  contentModel
	qFill    float64 // share of fillers left unpaired
	qNote    float64 // share of notes left unpaired
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
	p := textParams{variance: 6.8, qFill: 0.5, qNote: 0.9}
	for _, b := range textBeads {
		p.prior = append(p.prior, b.prior)
	}
	return p
}

// estimateParams re-estimates bead frequencies (smoothed towards Gale and
// Church's), the length spread, the content model and the unpaired shares
// of fillers and notes from an alignment.
func estimateParams(s, t []unit, pairs []Pair, ratio, p0 float64, g *coverGrid) textParams {
	p := defaultParams()
	p.ratio = ratio
	counts := make([]float64, len(textBeads))
	total := 0.0
	var sum, n float64
	var hits, words float64
	var fills, fillDrops, notes, noteDrops float64
	count := func(u *unit, alone bool) {
		switch {
		case u.filler:
			fills++
			if alone {
				fillDrops++
			}
		case u.note:
			notes++
			if alone {
				noteDrops++
			}
		}
	}
	for _, pr := range pairs {
		for _, i := range pr.Src {
			count(&s[i], len(pr.Tgt) == 0)
		}
		for _, j := range pr.Tgt {
			count(&t[j], len(pr.Src) == 0)
		}
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
			ca, cb := g.get(pr.Src[0], pr.Tgt[0])
			hits += float64(ca + cb)
			words += float64(s[pr.Src[0]].nWords + t[pr.Tgt[0]].nWords)
		}
	}
	const pseudo = 20 // weight of Gale and Church's frequencies
	for bi, b := range textBeads {
		prior := math.Exp(-b.prior)
		p.prior[bi] = -math.Log((counts[bi] + pseudo*prior) / (total + pseudo))
	}
	// Never sharper than half Gale and Church's spread: a tight estimate
	// from a short text would let length overrule the content.
	if n >= 10 {
		p.variance = math.Min(4*6.8, math.Max(6.8/2, sum/n))
	}
	p.content = newContentModel((hits+2)/(words+10), p0)
	p.qFill = (fillDrops + 2*0.5) / (fills + 2)
	p.qNote = (noteDrops + 2*0.9) / (notes + 2)
	return p
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

// contentWeight scales the content evidence against the length model:
// words of one sentence are not independent evidence.
const contentWeight = 0.5

// coverGrid holds the coverage counts of source unit i with target unit j
// for the cells a search may visit.
type coverGrid struct {
	lo   []int // first target column of row i
	rows [][]uint16
	s, t []unit
}

func newCoverGrid(s, t []unit, lo, hi []int) *coverGrid {
	g := &coverGrid{lo: make([]int, len(s)), rows: make([][]uint16, len(s)), s: s, t: t}
	for i := range s {
		// unit i is consumed on the way from row i to row i+1
		a, b := max(0, min(lo[i], lo[i+1])-3), min(len(t), max(hi[i], hi[i+1])+3)
		g.lo[i] = a
		if b < a {
			b = a
		}
		row := make([]uint16, b-a)
		if s[i].nWords > 0 {
			for j := a; j < b; j++ {
				if t[j].nWords > 0 {
					ca, cb := covered(&s[i], &t[j])
					row[j-a] = uint16(min(ca, 255))<<8 | uint16(min(cb, 255))
				}
			}
		}
		g.rows[i] = row
	}
	return g
}

func (g *coverGrid) get(i, j int) (ca, cb int) {
	if i < 0 || i >= len(g.rows) || j < g.lo[i] || j-g.lo[i] >= len(g.rows[i]) {
		if i >= 0 && i < len(g.s) && j >= 0 && j < len(g.t) && g.s[i].nWords > 0 && g.t[j].nWords > 0 {
			return covered(&g.s[i], &g.t[j])
		}
		return 0, 0
	}
	v := g.rows[i][j-g.lo[i]]
	return int(v >> 8), int(v & 0xff)
}

// sides is the content evidence of source units [i0,i1) against target
// units [j0,j1): covered words on each side, capped per unit. A unit alone
// on its side may be covered by all the other side's units together (its
// words were split between them); where both sides hold several units,
// each is judged by its best partner, or a merge would collect the chance
// matches of every neighbour.
func (g *coverGrid) sides(i0, i1, j0, j1 int) (ca, cb, na, nb int) {
	var colCover [3]int
	oneS, oneT := i1-i0 == 1, j1-j0 == 1
	for i := i0; i < i1; i++ {
		rowCover := 0
		for j := j0; j < j1; j++ {
			a, b := g.get(i, j)
			if oneT {
				rowCover += a
			} else {
				rowCover = max(rowCover, a)
			}
			if oneS {
				colCover[j-j0] += b
			} else {
				colCover[j-j0] = max(colCover[j-j0], b)
			}
		}
		ca += min(rowCover, g.s[i].nWords)
		na += g.s[i].nWords
	}
	for j := j0; j < j1; j++ {
		cb += min(colCover[j-j0], g.t[j].nWords)
		nb += g.t[j].nWords
	}
	return ca, cb, na, nb
}

// textBand is the band of the search around the diagonal, wide enough for
// omissions and merges: for each number i of source units consumed, the
// target counts considered.
func textBand(n, m int) (lo, hi []int) {
	band := max(20, max(n, m)/8)
	lo, hi = make([]int, n+1), make([]int, n+1)
	for i := 0; i <= n; i++ {
		c := 0
		if n > 0 {
			c = i * m / n
		}
		lo[i] = max(0, c-band)
		hi[i] = min(m, c+band)
	}
	return lo, hi
}

// beadCost is the cost, in nats, of pairing source units [i0,i1) with
// target units [j0,j1) as bead bi; lower is likelier.
func beadCost(s, t []unit, i0, i1, j0, j1, bi int, prm *textParams, g *coverGrid) float64 {
	a, b := s[i0:i1], t[j0:j1]
	if len(a) == 0 || len(b) == 0 {
		// a filler or a note may stay alone on either side, at the
		// learned rate; anything else at Gale and Church's
		c := 0.0
		for _, u := range [][]unit{a, b} {
			for k := range u {
				switch {
				case u[k].filler:
					c += -math.Log(prm.qFill)
				case u[k].note:
					c += -math.Log(prm.qNote)
				case len(a) > 0:
					c += prm.prior[bi] + lengthCost(u[k].chars, 0, prm)
				default:
					c += prm.prior[bi] + lengthCost(0, u[k].chars, prm)
				}
			}
		}
		return c
	}
	var x, y float64
	c := prm.prior[bi]
	for k := range a {
		x += a[k].chars
		c += aloneCost(&a[k], b, prm)
	}
	for k := range b {
		y += b[k].chars
		c += aloneCost(&b[k], a, prm)
	}
	c += lengthCost(x, y, prm)
	c += sentenceWeight * math.Abs(float64(sentenceCount(a)-sentenceCount(b)))
	if allKind(a, true) && allKind(b, true) || allKind(a, false) && allKind(b, false) {
		c -= fillerMatch // "Sí, sí." ↔ "Yes, yes.", "(se ríe)" ↔ "(laughs)"
	}
	ca, cb, na, nb := g.sides(i0, i1, j0, j1)
	c -= contentWeight * prm.content.score(ca, cb, na, nb, i1-i0, j1-j0)
	c -= punctuation(a, b)
	c += 2 * (speakerChange(a) + speakerChange(b))
	return c
}

// aloneCost is what pairing a filler or a note with the other side's
// units costs: the chance that it was not left alone. Paired with its own
// kind (a note with a note: stage directions translated), or a filler with
// a line that hesitates too ("Ha." with "Ja. Esa es otra historia."), it
// costs nothing.
func aloneCost(u *unit, other []unit, prm *textParams) float64 {
	for k := range other {
		if u.filler && (other[k].filler || other[k].hesitations > 0) || u.note && other[k].note {
			return 0
		}
	}
	switch {
	case u.filler:
		return -math.Log(1 - prm.qFill)
	case u.note:
		return -math.Log(1 - prm.qNote)
	}
	return 0
}

// sentenceWeight is what each sentence more on one side of a pair than on
// the other costs, in nats: translators keep sentences more often than
// they merge or split them.
const sentenceWeight = 0.7

func sentenceCount(us []unit) int {
	n := 0
	for i := range us {
		n += us[i].sentences
	}
	return n
}

// fillerMatch is the evidence, in nats, that a filler and a line with no
// content word either (an interjection rendered as one), or two notes
// (stage directions), translate each other.
const fillerMatch = 2.0

// allKind reports whether every unit is a filler (fillers true) or a note.
func allKind(us []unit, fillers bool) bool {
	for i := range us {
		if fillers && !us[i].filler || !fillers && !us[i].note {
			return false
		}
	}
	return len(us) > 0
}

// lengthCost is Gale and Church's: −log of the chance of a length
// difference at least this large between translations.
func lengthCost(x, y float64, prm *textParams) float64 {
	if x+y == 0 {
		return 0
	}
	mean := (x + y/prm.ratio) / 2
	delta := (y - x*prm.ratio) / math.Sqrt(math.Max(1, mean)*prm.variance)
	return tailCost(math.Abs(delta))
}

// tailCost is −log(2(1−Φ(d))) for d ≥ 0, read from a table (the search
// asks for it millions of times), capped at −log(1e-12) as before.
func tailCost(d float64) float64 {
	const step = 0.01
	f := d / step
	k := int(f)
	if k >= len(tailTable)-1 {
		return tailTable[len(tailTable)-1]
	}
	w := f - float64(k)
	return tailTable[k]*(1-w) + tailTable[k+1]*w
}

var tailTable = func() []float64 {
	out := make([]float64, 801) // d from 0 to 8
	for k := range out {
		p := 2 * (1 - normalCDF(float64(k)*0.01))
		out[k] = -math.Log(math.Max(p, 1e-12))
	}
	return out
}()

func textDP(s, t []unit, prm textParams, g *coverGrid) []Pair {
	lo, hi := textBand(len(s), len(t))
	return contentDP(s, t, prm, g, lo, hi, nil)
}

// contentDP finds the likeliest monotonic pairing of s with t: for each
// number i of source units consumed, target counts lo[i]..hiB[i] are
// searched; extra, when set, adds a cost to a pair (a time prior).
func contentDP(s, t []unit, prm textParams, g *coverGrid, lo, hiB []int, extra func(i0, i1, j0, j1 int) float64) []Pair {
	n, m := len(s), len(t)
	inf := math.Inf(1)
	d := make([][]float64, n+1)
	back := make([][]int8, n+1)
	for i := 0; i <= n; i++ {
		d[i] = make([]float64, hiB[i]-lo[i]+1)
		back[i] = make([]int8, hiB[i]-lo[i]+1)
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
				v := prev + beadCost(s, t, i-b.s, i, j-b.t, j, bi, &prm, g)
				if extra != nil {
					v += extra(i-b.s, i, j-b.t, j)
				}
				if v < best {
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
			// confidence: the pair's evidence against leaving both sides alone
			c := beadCost(s, t, i-b.s, i, j-b.t, j, int(bi), &prm, g)
			p.Score = 1 / (1 + math.Exp(c-3))
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
