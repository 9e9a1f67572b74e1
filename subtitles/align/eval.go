package align

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// Scores compares an alignment with a gold one.
type Scores struct {
	Precision float64 `json:"precision"` // strict: share of pairs exactly in gold
	Recall    float64 `json:"recall"`
	F1        float64 `json:"f1"`
	LaxP      float64 `json:"lax_precision"` // lax: share of cue-to-cue links in gold links
	LaxR      float64 `json:"lax_recall"`
	LaxF1     float64 `json:"lax_f1"`
}

// Evaluate scores pairs against gold. Strict scores count a pair only
// when both its sides equal a gold pair's; lax scores count the
// source-to-target cue links the pairs make, so a pair that overlaps the
// right one earns partial credit.
func Evaluate(got, gold []Pair) Scores {
	key := func(p Pair) string { return fmt.Sprint(p.Src, p.Tgt) }
	want := map[string]bool{}
	for _, p := range gold {
		want[key(p)] = true
	}
	hit := 0
	for _, p := range got {
		if want[key(p)] {
			hit++
		}
	}
	var s Scores
	s.Precision, s.Recall, s.F1 = prf(hit, len(got), len(gold))
	links := func(ps []Pair) map[[2]int]bool {
		m := map[[2]int]bool{}
		for _, p := range ps {
			for _, i := range p.Src {
				for _, j := range p.Tgt {
					m[[2]int{i, j}] = true
				}
			}
		}
		return m
	}
	gl, wl := links(got), links(gold)
	lhit := 0
	for l := range gl {
		if wl[l] {
			lhit++
		}
	}
	s.LaxP, s.LaxR, s.LaxF1 = prf(lhit, len(gl), len(wl))
	return s
}

func prf(hit, got, want int) (p, r, f float64) {
	if got > 0 {
		p = float64(hit) / float64(got)
	}
	if want > 0 {
		r = float64(hit) / float64(want)
	}
	if p+r > 0 {
		f = 2 * p * r / (p + r)
	}
	return p, r, f
}

// ReadGold reads gold pairs from a tab-separated file with a header line
// and one pair per line: 1-based source cues, a tab, 1-based target cues,
// each a comma-separated list, empty for none ("4,5<TAB>4").
func ReadGold(r io.Reader) ([]Pair, error) {
	var gold []Pair
	sc := bufio.NewScanner(r)
	n := 0
	for sc.Scan() {
		n++
		line := strings.TrimRight(sc.Text(), "\r")
		if n == 1 || strings.TrimSpace(line) == "" {
			continue
		}
		a, b, ok := strings.Cut(line, "\t")
		if !ok {
			return nil, fmt.Errorf("line %d: want two tab-separated columns", n)
		}
		p := Pair{Src: []int{}, Tgt: []int{}}
		for side, col := range []string{a, b} {
			for _, f := range strings.Split(col, ",") {
				if f = strings.TrimSpace(f); f == "" {
					continue
				}
				v, err := strconv.Atoi(f)
				if err != nil || v < 1 {
					return nil, fmt.Errorf("line %d: bad cue number %q", n, f)
				}
				if side == 0 {
					p.Src = append(p.Src, v-1)
				} else {
					p.Tgt = append(p.Tgt, v-1)
				}
			}
		}
		if len(p.Src) == 0 && len(p.Tgt) == 0 {
			return nil, fmt.Errorf("line %d: empty pair", n)
		}
		gold = append(gold, p)
	}
	return gold, sc.Err()
}
