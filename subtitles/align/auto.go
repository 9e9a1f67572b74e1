package align

import (
	"strings"

	"github.com/recuerdo-archive/recuerdo/subtitles"
)

// Untimed reports whether cues have no times of their own: every one is
// Estimated, as in a transcript without timestamps or lines of plain
// text. An empty list is not untimed.
func Untimed(cues []subtitles.Cue) bool {
	for _, c := range cues {
		if !c.Estimated {
			return false
		}
	}
	return len(cues) > 0
}

// Lines are the texts of cues as TextWith and TransferTiming take them:
// one line each, a cue's lines joined by spaces.
func Lines(cues []subtitles.Cue) []string {
	out := make([]string, len(cues))
	for i, c := range cues {
		out[i] = strings.ReplaceAll(c.Text, "\n", " ")
	}
	return out
}

// Auto aligns target cues with source cues by the method the target's
// timing allows: an untimed target (Untimed) is aligned as lines of text
// (TextWith over Lines(tgt); Method "text", Tgt indexes into tgt), any
// other by Time (Method "time", or "voice-over" when the target was
// re-timed cue by cue). Every caller that pairs two tracks without knowing
// how they were made should come through here, so they choose alike.
func Auto(src, tgt []subtitles.Cue, opt Options) Result {
	if Untimed(tgt) {
		return TextWith(src, Lines(tgt), opt)
	}
	return Time(src, tgt, opt)
}
