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

// blockText turns a cue's raw lines into its speaker and plain text:
// markup removed, entities decoded, WebVTT voices kept (the first names
// the speaker; lines of other voices are prefixed with their names).
func blockText(lines []string) (speaker, text string) {
	var out []string
	cur := ""
	for _, l := range lines {
		prefix := ""
		if !strings.ContainsAny(l, "<{&") {
			// Plain text, as most lines are: no pattern to run.
			if l = strings.TrimSpace(l); l != "" {
				out = append(out, l)
			}
			continue
		}
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
