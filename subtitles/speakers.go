package subtitles

import (
	"regexp"
	"strings"
)

var (
	// colonLabel is a speaker's name before the text: "Ana Ruiz: Hola".
	colonLabel = regexp.MustCompile(`^\s*([^:\n\[\]<>]{1,40}?):[ \t]+`)
	// bracketLabel is a diarized label: "[SPEAKER_01]: Hola", "[Ana] Hola".
	bracketLabel = regexp.MustCompile(`^\s*\[([^\]\n]{1,40})\]:?[ \t]*`)
)

// cueLabel returns the speaker label a cue's text starts with, and the
// text after it.
func cueLabel(text string) (string, string, bool) {
	for _, re := range []*regexp.Regexp{bracketLabel, colonLabel} {
		if m := re.FindStringSubmatch(text); m != nil && nameLike(m[1]) {
			if rest := text[len(m[0]):]; strings.TrimSpace(rest) != "" {
				return strings.TrimSpace(m[1]), rest, true
			}
		}
	}
	return "", "", false
}

// labelSpeakers moves the names subtitles write before the text (Zoom's
// "Ana Ruiz: Hola", WhisperX's "[SPEAKER_01]: Hola") into the speaker
// field, when most cues without a speaker have one and the names come
// back; a colon in a few cues' text is not a layout.
func labelSpeakers(t *Track) {
	var open, labelled int
	names := map[string]bool{}
	for _, c := range t.Cues {
		if c.Speaker != "" {
			continue
		}
		open++
		if name, _, ok := cueLabel(c.Text); ok {
			labelled++
			names[name] = true
		}
	}
	if labelled < 2 || labelled*10 < open*6 || len(names)*2 > labelled && labelled != open {
		return
	}
	for i, c := range t.Cues {
		if c.Speaker != "" {
			continue
		}
		if name, rest, ok := cueLabel(c.Text); ok {
			t.Cues[i].Speaker, t.Cues[i].Text = name, rest
		}
	}
	if t.Layout == "" {
		t.Layout = LayoutSpeakerLabels
	}
}
