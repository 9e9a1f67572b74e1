package resegment

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/recuerdo-archive/recuerdo/subtitles"
	"github.com/recuerdo-archive/recuerdo/subtitles/align"
)

// Limits are what one subtitle may hold and how long it may stay. The
// zero value works: 42 characters on 2 lines, at most 7 seconds, gaps
// under half a second closed, no reading-speed, minimum-duration or gap
// limit.
type Limits struct {
	MaxLineChars int           // characters per line; 0 means 42
	MaxLines     int           // lines per subtitle; 0 means 2
	MaxCPS       float64       // characters per second, spaces and line breaks counted; 0 means no limit
	MaxWPM       float64       // words per minute; 0 means no limit
	MinDuration  time.Duration // shortest time on screen; 0 means none
	MaxDuration  time.Duration // longest time on screen; 0 means 7 s
	MinGap       time.Duration // least time from one subtitle's end to the next one's start
	CloseGap     time.Duration // shorter gaps are closed to MinGap (chaining); 0 means half a second
}

// ErrLimits reports limits that no subtitle could meet.
var ErrLimits = errors.New("impossible limits")

func (l Limits) withDefaults() (Limits, error) {
	if l.MaxLineChars == 0 {
		l.MaxLineChars = 42
	}
	if l.MaxLines == 0 {
		l.MaxLines = 2
	}
	if l.MaxDuration == 0 {
		l.MaxDuration = 7 * time.Second
	}
	if l.CloseGap == 0 {
		l.CloseGap = 500 * time.Millisecond
	}
	switch {
	case l.MaxLineChars < 0 || l.MaxLines < 0 || l.MaxCPS < 0 || l.MaxWPM < 0 || l.MinDuration < 0 || l.MaxDuration < 0 || l.MinGap < 0 || l.CloseGap < 0:
		return l, fmt.Errorf("%w: negative limit in %+v", ErrLimits, l)
	case l.MinDuration > l.MaxDuration:
		return l, fmt.Errorf("%w: minimum duration %v above maximum %v", ErrLimits, l.MinDuration, l.MaxDuration)
	}
	return l, nil
}

// Chars counts a subtitle's characters as reading speed limits do: every
// character, spaces and line breaks included.
func Chars(text string) int { return utf8.RuneCountInString(text) }

// Need is the least time text must stay on screen under lim: its minimum
// duration, or what its characters and words take to read, rounded up to
// the millisecond.
func (l Limits) Need(text string) time.Duration {
	need := l.MinDuration
	if l.MaxCPS > 0 {
		need = max(need, time.Duration(math.Ceil(float64(Chars(text))*1000/l.MaxCPS))*time.Millisecond)
	}
	if l.MaxWPM > 0 {
		words := len(strings.Fields(text))
		need = max(need, time.Duration(math.Ceil(float64(words)*60000/l.MaxWPM))*time.Millisecond)
	}
	return need
}

// Resegment cuts timed speech into subtitles within lim. words holds
// each cue's word timings (as Track.Words does, nil or short when the
// track has none); a cue without them has its words timed in proportion
// to their characters. Subtitles break at sentence ends, clause
// boundaries and pauses, never inside a phrase when they need not, and
// always where the speaker changes (or a line starts with a dash). Each
// is timed from its first word's start to its last word's end, then
// lengthened into the free time around it, or time borrowed from
// neighbours that have more than they need, until it can be read within
// lim. Where speech is too fast for that, the cut that falls short least
// is chosen, and the subtitles still come back.
func Resegment(cues []subtitles.Cue, words [][]subtitles.Word, lim Limits) ([]subtitles.Cue, error) {
	lim, err := lim.withDefaults()
	if err != nil {
		return nil, fmt.Errorf("resegment: %w", err)
	}
	return segment(stream(cues, words), lim), nil
}

// TranslateTiming times an untimed translation, one sentence or paragraph
// per line, after its timed source: align.Text pairs lines with cues,
// align.TransferTiming gives each line a time span, and each line is cut
// into subtitles as Resegment cuts speech, its words timed in proportion
// to their characters. No subtitle holds words of two lines.
func TranslateTiming(src []subtitles.Cue, lines []string, lim Limits) ([]subtitles.Cue, error) {
	lim, err := lim.withDefaults()
	if err != nil {
		return nil, fmt.Errorf("translate timing: %w", err)
	}
	var kept []string
	for _, l := range lines {
		if strings.TrimSpace(l) != "" {
			kept = append(kept, l)
		}
	}
	if len(kept) == 0 {
		return nil, nil
	}
	timed := align.TransferTiming(src, kept, align.Text(src, kept).Pairs)
	var toks []token
	for _, c := range timed {
		ts := cueTokens(c, nil)
		for k := range ts {
			ts[k].speaker = c.Speaker
		}
		if len(ts) > 0 {
			ts[0].hard = true
		}
		toks = append(toks, ts...)
	}
	monotone(toks)
	return segment(toks, lim), nil
}

// Weights of the segmentation's cost, beside the break costs.
const (
	costSubtitle   = 3  // each subtitle: fewer, fuller subtitles when cuts are equal
	costTooLong    = 50 // a word too long for a line on its own
	costShort      = 10 // a subtitle that cannot be read in the time it can get
	costShortSec   = 30 // and per second it lacks
	costMidSent    = 4  // a subtitle that ends one sentence and starts another it does not finish
	costPauseInSec = 4  // per second of silence inside a subtitle beyond pauseIn
	pauseBonusMax  = 4  // most a pause between subtitles takes off the break's cost
)

const (
	pauseIn   = 700 * time.Millisecond  // silence a subtitle may hold without cost
	pauseFrom = 200 * time.Millisecond  // silence where a pause starts to favour a break
	pauseFull = 1000 * time.Millisecond // silence that favours a break fully
	leadIn    = time.Second             // most a subtitle may start before its first word, in the cut's estimate
	maxLag    = time.Second             // most a subtitle may start after its first word, to give another time
)

// segment cuts toks into subtitles by dynamic programming over the cut
// points, then times them.
func segment(toks []token, lim Limits) []subtitles.Cue {
	n := len(toks)
	if n == 0 {
		return nil
	}
	capacity := lim.MaxLines * lim.MaxLineChars
	best := make([]float64, n+1)
	from := make([]int, n+1)
	for j := 1; j <= n; j++ {
		best[j] = math.Inf(1)
	}
	for i := 0; i < n; i++ {
		if math.IsInf(best[i], 1) {
			continue
		}
		chars := -1
		sentenceInside := false
		var silence time.Duration
		for j := i + 1; j <= n; j++ {
			t := toks[j-1]
			if j > i+1 {
				if t.hard {
					break
				}
				if endsSentence(toks[j-2].text) {
					sentenceInside = true
				}
				silence += max(0, t.start-toks[j-2].end-pauseIn)
			}
			chars += 1 + utf8.RuneCountInString(t.text)
			if j > i+1 && (chars > capacity || t.end-toks[i].start > lim.MaxDuration || !fitsLines(toks[i:j], lim.MaxLineChars, lim.MaxLines)) {
				break
			}
			c := best[i] + costSubtitle + segmentCost(toks, i, j, lim)
			if sentenceInside && !endsSentence(t.text) {
				c += costMidSent
			}
			c += costPauseInSec * silence.Seconds()
			if c < best[j] {
				best[j], from[j] = c, i
			}
		}
	}
	var cuts []int
	for j := n; j > 0; j = from[j] {
		cuts = append(cuts, j)
	}
	subs := make([]sub, 0, len(cuts))
	for k := len(cuts) - 1; k >= 0; k-- {
		j := cuts[k]
		i := from[j]
		subs = append(subs, newSub(toks[i:j], lim))
	}
	retime(subs, lim)
	out := make([]subtitles.Cue, len(subs))
	for k, s := range subs {
		out[k] = subtitles.Cue{Start: s.start, End: s.end, Speaker: s.speaker, Text: s.text}
	}
	return out
}

// segmentCost is the cost of a subtitle of toks[i:j]: the cut after it,
// its lines, and whether it can be read in the time around it.
func segmentCost(toks []token, i, j int, lim Limits) float64 {
	words := toks[i:j]
	var c float64
	if len(words) == 1 && utf8.RuneCountInString(words[0].text) > lim.MaxLineChars {
		c += costTooLong
	}
	if j < len(toks) && !toks[j].hard {
		c += breakCost(toks[j-1].text, toks[j].text) - pauseBonus(toks[j].start-toks[j-1].end)
	}
	cuts, lc := breakLines(words, lim.MaxLineChars, lim.MaxLines)
	c += lc
	need := lim.Need(joinLines(words, cuts))
	start := words[0].start
	if i > 0 {
		free := words[0].start - toks[i-1].end - lim.MinGap
		start -= min(leadIn, max(0, free/2))
	}
	end := words[len(words)-1].end + lim.MaxDuration
	if j < len(toks) {
		end = toks[j].start - lim.MinGap
	}
	if avail := min(end-start, lim.MaxDuration); need > avail {
		c += costShort + costShortSec*(need-avail).Seconds()
	}
	return c
}

// pauseBonus is how much a silence between two words favours a subtitle break there.
func pauseBonus(gap time.Duration) float64 {
	if gap <= pauseFrom {
		return 0
	}
	return pauseBonusMax * min(1, float64(gap-pauseFrom)/float64(pauseFull-pauseFrom))
}

// joinLines is the text of words cut into lines before the given indexes.
func joinLines(words []token, cuts []int) string {
	var b strings.Builder
	for k, w := range words {
		switch {
		case k == 0:
		case len(cuts) > 0 && cuts[0] == k:
			b.WriteByte('\n')
			cuts = cuts[1:]
		default:
			b.WriteByte(' ')
		}
		b.WriteString(w.text)
	}
	return b.String()
}

// sub is a subtitle being timed.
type sub struct {
	text, speaker string
	speechStart   time.Duration // its first word's start
	speechEnd     time.Duration // its last word's end
	start, end    time.Duration
	need          time.Duration // least time to read it
}

func newSub(words []token, lim Limits) sub {
	cuts, _ := breakLines(words, lim.MaxLineChars, lim.MaxLines)
	s := sub{
		text:        joinLines(words, cuts),
		speaker:     words[0].speaker,
		speechStart: words[0].start,
		speechEnd:   max(words[len(words)-1].end, words[0].start),
	}
	s.need = min(lim.Need(s.text), lim.MaxDuration)
	return s
}

func (s sub) deficit() time.Duration { return s.need - (s.end - s.start) }

// retime gives each subtitle its time: its speech, lengthened to be read,
// gaps kept, short gaps closed, then time borrowed from neighbours that
// can spare it.
func retime(subs []sub, lim Limits) {
	for k := range subs {
		subs[k].start, subs[k].end = subs[k].speechStart, subs[k].speechEnd
	}
	next, prev := bounds(subs, lim)
	for k := range subs {
		s := &subs[k]
		end := max(s.end, s.start+s.need)
		if k+1 < len(subs) && subs[k+1].start-end < lim.CloseGap {
			end = next(k)
		}
		s.end = max(min(end, next(k), s.start+lim.MaxDuration), s.start)
	}
	lend(subs, lim)
	push(subs, lim)
	pull(subs, lim)
	lend(subs, lim)
	// Whatever is left: times in order, gaps kept, durations capped.
	for k := range subs {
		s := &subs[k]
		s.start = max(s.start, prev(k), 0)
		s.end = min(max(s.end, s.start+time.Millisecond), s.start+lim.MaxDuration)
	}
}

// bounds returns where subtitle k must end by (the next one's start, less
// the minimum gap) and may start from (the previous one's end, plus it).
func bounds(subs []sub, lim Limits) (next, prev func(k int) time.Duration) {
	next = func(k int) time.Duration {
		if k+1 < len(subs) {
			return subs[k+1].start - lim.MinGap
		}
		return time.Duration(math.MaxInt64 / 2)
	}
	prev = func(k int) time.Duration {
		if k > 0 {
			return subs[k-1].end + lim.MinGap
		}
		return 0
	}
	return next, prev
}

// lend lengthens subtitles short of reading time into free time around
// them, then with time borrowed from neighbours that have more than they
// need, until nothing changes.
func lend(subs []sub, lim Limits) {
	next, prev := bounds(subs, lim)
	for pass := 0; pass < 4*len(subs)+8; pass++ {
		changed := false
		for k := range subs {
			s := &subs[k]
			d := s.deficit()
			if d <= 0 {
				continue
			}
			if e := min(next(k), s.start+s.need); e > s.end {
				s.end, changed = e, true
				d = s.deficit()
			}
			if st := max(prev(k), s.end-s.need); d > 0 && st < s.start {
				s.start, changed = st, true
				d = s.deficit()
			}
			if d > 0 && k+1 < len(subs) && next(k) <= s.end {
				if give := min(d, -subs[k+1].deficit(), lim.MaxDuration-(s.end-s.start)); give > 0 {
					subs[k+1].start += give
					s.end += give
					changed = true
					d -= give
				}
			}
			if d > 0 && k > 0 && prev(k) >= s.start {
				if give := min(d, -subs[k-1].deficit(), lim.MaxDuration-(s.end-s.start)); give > 0 {
					subs[k-1].end -= give
					s.start -= give
					changed = true
				}
			}
		}
		if !changed {
			break
		}
	}
}

// push gives subtitles still short of time what they need by moving the
// ones after them later, as far as the next pause, but never more than
// maxLag after their speech starts.
func push(subs []sub, lim Limits) {
	for k := range subs {
		s := &subs[k]
		if k > 0 {
			if st := subs[k-1].end + lim.MinGap; st > s.start {
				s.start = st
				s.end = max(s.end, s.start+s.need)
			}
		}
		if s.deficit() <= 0 {
			continue
		}
		end := s.start + s.need
		if k+1 < len(subs) {
			end = min(end, max(s.end, subs[k+1].speechStart+maxLag-lim.MinGap))
		}
		s.end = max(s.end, end)
	}
}

// pull is push backwards: subtitles still short of time start earlier,
// moving the ones before them earlier, but never more than maxLag before
// their speech starts.
func pull(subs []sub, lim Limits) {
	for k := len(subs) - 1; k >= 0; k-- {
		s := &subs[k]
		if k+1 < len(subs) {
			if e := subs[k+1].start - lim.MinGap; e < s.end {
				s.end = max(e, 0)
				s.start = max(0, min(s.start, s.end-s.need))
			}
		}
		if s.deficit() <= 0 {
			continue
		}
		start := max(0, s.end-s.need)
		if k > 0 {
			start = max(start, min(s.start, subs[k-1].speechEnd-maxLag+lim.MinGap))
		}
		s.start = min(s.start, start)
	}
}
