package qc

import (
	"strings"
	"unicode"

	"github.com/recuerdo-archive/recuerdo/subtitles"
)

// maxCarry is how many cues a question or exclamation may run across
// before its unclosed ¿ or ¡ is reported.
const maxCarry = 3

// abbreviations end with a period that does not end a sentence.
var abbreviations = wordSet(`sr sra srta sres dr dra dres ud uds vd vds lic ing prof profa gral
	av avda ee uu etc núm pág tel mr mrs ms st vs no`)

type openMark struct {
	r   rune
	cue int // 0-based
}

// checkSpanish pairs ¿ with ? and ¡ with !, sentence by sentence. A
// question may run on into the next cues ("¿Y usted se acuerda..." /
// "...de cómo llegaron?"), so marks are carried across cues until a
// sentence ends with a full stop, a new speaker's dash line starts, or
// maxCarry cues have passed. A closing mark may close either kind of
// opening mark (Spanish allows "¿Qué dices!"), "(?)" marks a doubtful
// word in transcripts and is skipped, and in a run such as "?!" or "!!"
// only the first closing mark needs an opening one.
func checkSpanish(cues []subtitles.Cue) []Issue {
	var out []Issue
	var open []openMark
	flush := func() {
		for _, m := range open {
			want := '?'
			if m.r == '¡' {
				want = '!'
			}
			out = append(out, Issue{Cue: m.cue + 1, Check: CheckSpanish, Severity: Warning,
				Message: string(m.r) + " is not closed by " + string(want)})
		}
		open = open[:0]
	}
	for i, c := range cues {
		if len(open) > 0 && i-open[0].cue >= maxCarry {
			flush()
		}
		ls := lines(c.Text)
		for li, l := range ls {
			if speakerDash(l) != "" {
				flush()
			}
			rs := []rune(l)
			closedInRun := false
			for j, r := range rs {
				switch r {
				case '¿', '¡':
					open = append(open, openMark{r, i})
				case '?', '!':
					if j > 0 && j+1 < len(rs) && strings.ContainsRune("([", rs[j-1]) && strings.ContainsRune(")]", rs[j+1]) {
						continue // "(?)"
					}
					inRun := j > 0 && (rs[j-1] == '?' || rs[j-1] == '!')
					switch {
					case len(open) > 0:
						open = open[:len(open)-1]
						closedInRun = true
					case inRun && closedInRun:
					default:
						want := '¿'
						if r == '!' {
							want = '¡'
						}
						out = append(out, Issue{Cue: i + 1, Check: CheckSpanish, Severity: Warning,
							Message: string(r) + " has no opening " + string(want)})
					}
					continue
				case '.':
					if sentenceEnd(rs, j, li == len(ls)-1) {
						flush()
					}
				}
				closedInRun = false
			}
		}
	}
	flush()
	return out
}

// sentenceEnd reports whether the full stop at rs[j] ends a sentence: not
// part of "...", not after an abbreviation or an initial, and either the
// end of the cue or followed by a space and a capital or an opening mark.
func sentenceEnd(rs []rune, j int, lastLine bool) bool {
	if j > 0 && rs[j-1] == '.' || j+1 < len(rs) && rs[j+1] == '.' {
		return false
	}
	k := j
	for k > 0 && unicode.IsLetter(rs[k-1]) {
		k--
	}
	word := strings.ToLower(string(rs[k:j]))
	if j-k == 1 || abbreviations[word] {
		return false
	}
	if j+1 == len(rs) {
		return lastLine
	}
	return j+2 < len(rs) && rs[j+1] == ' ' && (unicode.IsUpper(rs[j+2]) || rs[j+2] == '¿' || rs[j+2] == '¡')
}
