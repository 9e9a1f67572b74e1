package subtitles

import (
	"html"
	"regexp"
	"strings"
)

var (
	voiceTag = regexp.MustCompile(`<v(?:\.[^\s>]*)?\s+([^>]*)>`)
	anyTag   = regexp.MustCompile(`</?[a-zA-Z][^>]*>|<\d[\d:.]*>`)
	ssaTag   = regexp.MustCompile(`\{\\[^}]*\}`)
	digits   = regexp.MustCompile(`^\s*\d+\s*$`)
)

// cueBlocks returns, for each timing line (1-based line numbers), the raw
// text lines of its cue: what follows it up to a blank line or the next
// timing line, less a trailing cue number when the blank line between
// cues is missing. It reads the file independently of go-astisub, whose
// WebVTT reader drops a cue line that starts with "NOTE " and every voice
// but the first.
func cueBlocks(text string, timing []int) [][]string {
	lines := strings.Split(text, "\n")
	out := make([][]string, len(timing))
	for k, tl := range timing {
		end := len(lines)
		if k+1 < len(timing) {
			end = timing[k+1] - 1
		}
		var block []string
		for n := tl; n < end; n++ { // tl is 1-based: lines[tl] is the line after it
			if strings.TrimSpace(lines[n]) == "" {
				break
			}
			block = append(block, lines[n])
		}
		if k+1 < len(timing) && len(block) > 0 && len(block) == end-tl && digits.MatchString(block[len(block)-1]) {
			block = block[:len(block)-1] // the next cue's number
		}
		out[k] = block
	}
	return out
}

// blockText turns a cue's raw lines into its speaker and plain text:
// markup removed, entities decoded, WebVTT voices kept (the first names
// the speaker; lines of other voices are prefixed with their names).
func blockText(lines []string) (speaker, text string) {
	var out []string
	cur := ""
	for _, l := range lines {
		prefix := ""
		if m := voiceTag.FindStringSubmatch(l); m != nil {
			name := strings.TrimSpace(m[1])
			switch {
			case speaker == "":
				speaker = name
			case name != speaker && name != cur:
				prefix = name + ": "
			}
			cur = name
		}
		l = ssaTag.ReplaceAllString(l, "")
		l = anyTag.ReplaceAllString(l, "")
		l = strings.TrimSpace(html.UnescapeString(strings.ReplaceAll(l, "&nbsp;", " ")))
		if l != "" {
			out = append(out, prefix+l)
		}
	}
	return speaker, strings.Join(out, "\n")
}
