package align

import (
	"fmt"
	"math"
	"sort"
	"strings"
	"time"

	"github.com/recuerdo-archive/recuerdo/subtitles"
)

// MinConfidence is the confidence below which a sync is refused unless forced.
const MinConfidence = 0.5

// SyncResult says how a track's timing was moved onto a reference.
type SyncResult struct {
	Mapping    Mapping
	Confidence float64  // in [0,1]; see Sync
	Matched    float64  // share of input cues starting within 0.3 s of a reference cue once mapped
	Chance     float64  // the same share with the mapping deliberately off, i.e. by chance
	Regions    []Region // each stretch of the input and how far it is trusted
}

// Sync finds the mapping that puts input's cues on reference's timing,
// and how confident it is. Confidence compares the share of mapped input
// cues that start within 0.3 s of a reference cue with the share that do
// so by chance (the mapping moved by a few seconds either way): 1 when
// every cue lands, 0 when no better than chance. Two unrelated tracks
// overlap a lot, since speech fills most of the time; they do not share
// cue starts. Apply the mapping with Mapping.Apply.
func Sync(input, reference []subtitles.Cue, opt Options) SyncResult {
	m := Estimate(reference, input, opt)
	s, t := spans(reference), spans(input)
	res := SyncResult{Mapping: m}
	if len(s) == 0 || len(t) == 0 {
		return res
	}
	starts := make([]float64, len(s))
	for i, x := range s {
		starts[i] = x.start
	}
	c := newContent(reference, input, s, t, opt)
	m = adjustCuts(m, starts, t, c)
	res.Mapping = m
	mapped := mapSpans(t, m)
	res.Matched = startMatches(starts, mapped, 0)
	shifts := []float64{-9.7, -6.1, -3.3, 3.7, 7.3, 11.9}
	for _, d := range shifts {
		res.Chance += startMatches(starts, mapped, d) / float64(len(shifts))
	}
	if res.Chance < 1 {
		res.Confidence = math.Max(0, (res.Matched-res.Chance)/(1-res.Chance))
	}
	// A voice-over re-timed cue by cue shares few cue starts with its
	// reference: pair the cues on content and re-time them one by one.
	if res.Matched < voiceOverLanded && c.active {
		if vo := Time(reference, input, opt); vo.Method == "voice-over" {
			res.Mapping, res.Regions = vo.Mapping, vo.Regions
			res.Confidence, res.Matched = regionsConfidence(vo.Regions), regionsConfidence(vo.Regions)
			return res
		}
	}
	res.Regions = syncRegions(starts, s, t, mapped, m, c)
	return res
}

// disagreeRun is how many cues in a row whose words disagree with where
// they landed, and most of which start on no reference cue, make a
// stretch of their own, flagged.
const disagreeRun = 4

// regionsConfidence is the regions' confidence weighted by their cues.
func regionsConfidence(rs []Region) float64 {
	var sum, n float64
	for _, r := range rs {
		sum += r.Confidence * float64(r.Cues)
		n += float64(r.Cues)
	}
	if n == 0 {
		return 0
	}
	return sum / n
}

// syncRegions judges a sync piece by piece: in each, the share of input
// cues that land on a reference cue's start against the share that do so
// by chance; and, where both tracks have words, whether the cues landed on
// say the same things (by the words they share or translate): a piece
// whose words disagree while the rest agree is flagged, whatever its
// timing says.
func syncRegions(starts []float64, s, t, mapped []span, m Mapping, c *content) []Region {
	own := make([]float64, len(t))
	for k := range t {
		own[k] = t[k].start
	}
	nearest := func(p float64) int {
		i := sort.SearchFloat64s(starts, p)
		best := -1
		if i < len(starts) && starts[i]-p <= 0.3 {
			best = i
		}
		if i > 0 && p-starts[i-1] <= 0.3 && (best < 0 || p-starts[i-1] < starts[best]-p) {
			best = i - 1
		}
		return best
	}
	agrees := func(r, k int) bool {
		a, b := covered(&c.us[r], &c.ut[k])
		return a+b > 0
	}
	type tally struct{ words, agree, chance int }
	var all tally
	perCue := make([]int8, len(t)) // 1 agree, 0 disagree, -1 no words
	// the reference cue a mapped cue landed on: the one starting within
	// 0.3 s, else the one it overlaps most
	landedOn := func(x span) int {
		if r := nearest(x.start); r >= 0 {
			return r
		}
		best, arg := 0.0, -1
		for i := sort.SearchFloat64s(starts, x.end) - 1; i >= 0 && i > len(starts)-1-len(starts) && s[i].end > x.start-30; i-- {
			if ov := overlap(s[i], x); ov > best {
				best, arg = ov, i
			}
		}
		return arg
	}
	for k := range t {
		perCue[k] = -1
		r := landedOn(mapped[k])
		if !c.active || r < 0 || c.us[r].nWords == 0 || c.ut[k].nWords == 0 {
			continue
		}
		all.words++
		perCue[k] = 0
		if agrees(r, k) {
			all.agree++
			perCue[k] = 1
		}
		if q := (r + 3) % len(s); agrees(q, k) {
			all.chance++
		}
	}
	wordsSay := all.words >= 10 && float64(all.agree-all.chance) >= 0.3*float64(all.words)
	starts2 := stretches(own, m)
	if wordsSay {
		// a run of cues whose words all disagree, most of them starting on
		// no reference cue, is a stretch of its own (cues on the wrong side
		// of a cut, or material the reference lacks)
		cuts := map[int]bool{}
		for _, k := range starts2 {
			cuts[k] = true
		}
		for k := 0; k < len(t); {
			if perCue[k] != 0 {
				k++
				continue
			}
			e, n, landed := k, 0, 0
			for q := k; q < len(t) && perCue[q] != 1; q++ {
				if perCue[q] == 0 {
					n, e = n+1, q
					if nearest(mapped[q].start) >= 0 {
						landed++
					}
				}
			}
			// both kinds of evidence must disagree: a translation's words
			// may miss the lexicon for a few lines where the timing holds
			if n >= disagreeRun && 2*landed <= n {
				cuts[k] = true
				if e+1 < len(t) {
					cuts[e+1] = true
				}
			}
			k = e + 1
		}
		starts2 = starts2[:0]
		for k := range cuts {
			starts2 = append(starts2, k)
		}
		sort.Ints(starts2)
	}
	var out []Region
	for a, k0 := range starts2 {
		k1 := len(t)
		if a+1 < len(starts2) {
			k1 = starts2[a+1]
		}
		seg := mapped[k0:k1]
		matched := startMatches(starts, seg, 0)
		chance := 0.0
		shifts := []float64{-9.7, -6.1, -3.3, 3.7, 7.3, 11.9}
		for _, d := range shifts {
			chance += startMatches(starts, seg, d) / float64(len(shifts))
		}
		rg := Region{From: secs(own[k0]), To: secs(own[k1-1]), Cues: k1 - k0, Offset: m.offsetAt(secs(own[k0]))}
		if chance < 1 {
			rg.Confidence = round3f(math.Max(0, (matched-chance)/(1-chance)))
		}
		rg.Why = fmt.Sprintf("%.0f%% of its cues start on a reference cue, %.0f%% by chance", 100*matched, 100*chance)
		if wordsSay {
			var w, ag int
			for k := k0; k < k1; k++ {
				if perCue[k] >= 0 {
					w++
					ag += int(perCue[k])
				}
			}
			if w > 0 {
				rg.Why += fmt.Sprintf("; the words of %d of %d agree", ag, w)
			}
			if w >= 3 && float64(ag) < 0.5*float64(w)*float64(all.agree)/float64(all.words) {
				rg.Flagged = true
				rg.Why += ": the content does not match here (material the reference lacks, or cues on the wrong side of a cut)"
			}
		}
		if rg.Confidence < MinConfidence {
			rg.Flagged = true
		}
		out = append(out, rg)
	}
	return out
}

// startMatches is the share of t's cues that, moved by shift seconds,
// start within 0.3 s of one of starts (sorted).
func startMatches(starts []float64, t []span, shift float64) float64 {
	n := 0
	for _, x := range t {
		p := x.start + shift
		i := sort.SearchFloat64s(starts, p-0.3)
		if i < len(starts) && starts[i] <= p+0.3 {
			n++
		}
	}
	return float64(n) / float64(len(t))
}

// Explain describes a mapping the way an editor would say it, e.g.
// "offset +2.350 s; speed 25→23.976 (×1.0427); cut of 42.0 s at 00:31:10".
func (m Mapping) Explain() string {
	if m.IsIdentity() {
		return "already in sync"
	}
	if m.PerCue {
		offs := make([]float64, len(m.Pieces))
		for k, p := range m.Pieces {
			offs[k] = p.Offset.Seconds()
		}
		sort.Float64s(offs)
		s := fmt.Sprintf("re-timed cue by cue; median shift %+.1f s (%+.1f to %+.1f s)", offs[len(offs)/2], offs[0], offs[len(offs)-1])
		if m.Scale != 1 {
			s += "; speed " + speedName(m.Scale)
		}
		return s
	}
	var parts []string
	parts = append(parts, fmt.Sprintf("offset %+.3f s", m.Pieces[0].Offset.Seconds()))
	if m.Scale != 1 {
		parts = append(parts, "speed "+speedName(m.Scale))
	}
	for k := 1; k < len(m.Pieces); k++ {
		d := m.Pieces[k].Offset - m.Pieces[k-1].Offset
		at := m.Apply(m.Pieces[k].From)
		kind := "cut"
		if d < 0 {
			kind = "insert" // the input has material the reference lacks
		}
		if d.Abs() < time.Second {
			parts = append(parts, fmt.Sprintf("timing %+.3f s from %s", d.Seconds(), clock(at)))
			continue
		}
		parts = append(parts, fmt.Sprintf("%s of %.1f s at %s", kind, math.Abs(d.Seconds()), clock(at)))
	}
	return strings.Join(parts, "; ")
}

var rateNames = []string{"23.976", "24", "25", "29.97", "30"}

// speedName names a speed factor by the frame rates it converts between
// when it is one of their ratios.
func speedName(scale float64) string {
	for i, a := range frameRates {
		for j, b := range frameRates {
			if i != j && math.Abs(a/b-scale) < 0.0002 {
				return fmt.Sprintf("%s→%s (×%.4f)", rateNames[i], rateNames[j], scale)
			}
		}
	}
	return fmt.Sprintf("×%.5f", scale)
}

func clock(d time.Duration) string {
	if d < 0 {
		d = 0
	}
	s := int(d.Round(time.Second) / time.Second)
	return fmt.Sprintf("%02d:%02d:%02d", s/3600, s/60%60, s%60)
}

// adjustCuts moves each cut of m (a change of offset of a second or more)
// to where the cues on either side land best: each target cue within
// cutSearch cues of it counts when, under the offset of its side, it
// starts within 0.1 s of a source start, and again when its words agree
// with that source cue's. Cues right after a cut whose old offset still
// finds a source start nearby by chance would otherwise keep it, moved by
// the whole cut the wrong way.
func adjustCuts(m Mapping, starts []float64, t []span, c *content) Mapping {
	if len(m.Pieces) < 2 || m.PerCue || len(t) == 0 {
		return m
	}
	own := make([]float64, len(t))
	for k := range t {
		own[k] = t[k].start
	}
	good := func(k int, off float64) int {
		p := t[k].start*m.Scale + off
		i := sort.SearchFloat64s(starts, p-0.1)
		if i >= len(starts) || starts[i] > p+0.1 {
			return 0
		}
		v := 1
		if c != nil && c.active && i < len(c.us) && c.us[i].nWords > 0 && c.ut[k].nWords > 0 {
			if a, b := covered(&c.us[i], &c.ut[k]); a+b > 0 {
				v++
			}
		}
		return v
	}
	out := Mapping{Scale: m.Scale, Pieces: append([]Piece(nil), m.Pieces...)}
	for q := 1; q < len(out.Pieces); q++ {
		prev, cur := out.Pieces[q-1], out.Pieces[q]
		if (cur.Offset - prev.Offset).Abs() < time.Second {
			continue
		}
		b := sort.SearchFloat64s(own, cur.From.Seconds())
		lo := max(1, b-cutSearch)
		if lo <= sort.SearchFloat64s(own, prev.From.Seconds()) {
			lo = sort.SearchFloat64s(own, prev.From.Seconds()) + 1
		}
		hi := min(len(t)-1, b+cutSearch)
		if q+1 < len(out.Pieces) {
			hi = min(hi, sort.SearchFloat64s(own, out.Pieces[q+1].From.Seconds())-1)
		}
		if lo > hi {
			continue
		}
		// score(p): cues lo-1..p-1 under prev, p..hi under cur
		best, arg := -1, b
		for p := lo; p <= hi; p++ {
			v := 0
			for k := lo - 1; k <= hi; k++ {
				if k < p {
					v += good(k, prev.Offset.Seconds())
				} else {
					v += good(k, cur.Offset.Seconds())
				}
			}
			if v > best || v == best && p == b {
				best, arg = v, p
			}
		}
		if arg != b {
			out.Pieces[q].From = boundary(t[arg-1].end, t[arg].start)
		}
	}
	return out
}

// cutSearch is how many cues either side of a cut adjustCuts looks at.
const cutSearch = 30
