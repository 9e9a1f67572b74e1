package resegment

import (
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/recuerdo-archive/recuerdo/subtitles"
)

// token is one word of the stream that gets cut into subtitles.
type token struct {
	text       string
	start, end time.Duration
	speaker    string
	hard       bool // a subtitle must start here: a new speaker or a new translation line
}

// stream turns cues and their word timings into one timed word stream.
// A cue's text decides what the words are; word timings only time them,
// so tokens that Whisper splits inside a word or hands out as bare
// punctuation still make whole words.
func stream(cues []subtitles.Cue, words [][]subtitles.Word) []token {
	var out []token
	for i, c := range cues {
		var ws []subtitles.Word
		if i < len(words) {
			ws = words[i]
		}
		toks := cueTokens(c, ws)
		for k := range toks {
			toks[k].speaker = c.Speaker
		}
		if len(toks) > 0 && len(out) > 0 && out[len(out)-1].speaker != c.Speaker {
			toks[0].hard = true
		}
		out = append(out, toks...)
	}
	monotone(out)
	return out
}

// cueTokens times the words of one cue: from ws where a word's letters
// are found there, otherwise in proportion to characters between the
// nearest timed neighbours (or the cue's edges).
func cueTokens(c subtitles.Cue, ws []subtitles.Word) []token {
	fields, turns := lineFields(c.Text)
	if len(fields) == 0 {
		fields = joinWords(ws)
		turns = make([]bool, len(fields))
	}
	toks := make([]token, len(fields))
	timed := matchWords(fields, ws)
	for k, f := range fields {
		toks[k] = token{text: f, hard: turns[k]}
		if timed[k].ok {
			toks[k].start, toks[k].end = timed[k].start, timed[k].end
		}
	}
	// Interpolate runs of untimed words.
	for k := 0; k < len(toks); {
		if timed[k].ok {
			k++
			continue
		}
		e := k
		for e < len(toks) && !timed[e].ok {
			e++
		}
		from, to := c.Start, c.End
		if k > 0 {
			from = toks[k-1].end
		}
		if e < len(toks) {
			to = toks[e].start
		}
		spread(toks[k:e], from, max(from, to))
		k = e
	}
	return toks
}

// spread times toks over [from, to] in proportion to their characters.
func spread(toks []token, from, to time.Duration) {
	total := 0
	for _, t := range toks {
		total += utf8.RuneCountInString(t.text) + 1
	}
	at := 0
	for k := range toks {
		n := utf8.RuneCountInString(toks[k].text) + 1
		toks[k].start = from + time.Duration(float64(to-from)*float64(at)/float64(total))
		at += n
		toks[k].end = from + time.Duration(float64(to-from)*float64(at-1)/float64(total))
		toks[k].start = toks[k].start.Round(time.Millisecond)
		toks[k].end = max(toks[k].start, toks[k].end.Round(time.Millisecond))
	}
}

// lineFields splits text into words and says which words open a turn: a
// line that starts with a dash, as in "- ¿Y usted?\n- Yo no.".
func lineFields(text string) (fields []string, turns []bool) {
	for _, line := range strings.Split(text, "\n") {
		for k, f := range strings.Fields(line) {
			fields = append(fields, f)
			turns = append(turns, k == 0 && (strings.HasPrefix(f, "-") || strings.HasPrefix(f, "–")) && f != "--")
		}
	}
	return fields, turns
}

// joinWords rebuilds words from Whisper tokens when a segment has no
// text: a token of punctuation alone belongs to the word before it.
func joinWords(ws []subtitles.Word) []string {
	var out []string
	for _, w := range ws {
		t := strings.Join(strings.Fields(w.Text), "")
		switch {
		case t == "":
		case len(out) > 0 && !hasWordRune(t):
			out[len(out)-1] += t
		default:
			out = append(out, t)
		}
	}
	return out
}

type span struct {
	start, end time.Duration
	ok         bool
}

// matchWords finds each Whisper word's letters in the cue's words, in
// order, and gives each cue word the time of the tokens that fall in it.
// Tokens not found (text and words disagree) are skipped.
func matchWords(fields []string, ws []subtitles.Word) []span {
	out := make([]span, len(fields))
	if len(ws) == 0 {
		return out
	}
	var compact strings.Builder
	var owner []int // field index of each byte of compact
	for k, f := range fields {
		compact.WriteString(f)
		for range len(f) {
			owner = append(owner, k)
		}
	}
	s := compact.String()
	pos := 0
	for _, w := range ws {
		t := strings.Join(strings.Fields(w.Text), "")
		if t == "" || w.End < w.Start {
			continue
		}
		i := strings.Index(s[pos:], t)
		if i < 0 {
			continue
		}
		for b := pos + i; b < pos+i+len(t); b++ {
			sp := &out[owner[b]]
			if !sp.ok {
				*sp = span{start: w.Start, end: w.End, ok: true}
				continue
			}
			sp.start, sp.end = min(sp.start, w.Start), max(sp.end, w.End)
		}
		pos += i + len(t)
	}
	return out
}

// monotone makes times never go backwards along the stream.
func monotone(toks []token) {
	for k := range toks {
		if k > 0 && toks[k].start < toks[k-1].start {
			toks[k].start = toks[k-1].start
		}
		toks[k].start = max(toks[k].start, 0)
		toks[k].end = max(toks[k].end, toks[k].start)
	}
}

func hasWordRune(s string) bool {
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return true
		}
	}
	return false
}
