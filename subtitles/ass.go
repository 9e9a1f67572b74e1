package subtitles

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Style is an ASS style: how an event's text looks and where it sits.
type Style struct {
	Name      string
	Font      string // default "Arial"
	Size      int    // in script pixels (1080 high); default 54
	Colour    string // primary colour as "#RRGGBB"; default white
	Bold      bool
	Italic    bool
	Alignment int // numpad position: 2 bottom centre (the default), 8 top centre
	MarginV   int // distance from the top or bottom edge; default 50
}

// DefaultStyle is the style WriteWith gives ASS events when none is set.
var DefaultStyle = Style{Name: "Default"}

// assColour turns "#RRGGBB" into ASS's &H00BBGGRR.
func assColour(c string) (string, error) {
	if c == "" {
		return "&H00FFFFFF", nil
	}
	h := strings.TrimPrefix(c, "#")
	if _, err := strconv.ParseUint(h, 16, 32); err != nil || len(h) != 6 {
		return "", fmt.Errorf("colour %q: want #RRGGBB", c)
	}
	h = strings.ToUpper(h)
	return "&H00" + h[4:6] + h[2:4] + h[0:2], nil
}

func (s Style) line() (string, error) {
	if s.Name == "" || strings.ContainsAny(s.Name, ",\n") {
		return "", fmt.Errorf("style name %q: want a name without commas", s.Name)
	}
	font := s.Font
	if font == "" {
		font = "Arial"
	}
	size := s.Size
	if size <= 0 {
		size = 54
	}
	col, err := assColour(s.Colour)
	if err != nil {
		return "", fmt.Errorf("style %s: %w", s.Name, err)
	}
	align := s.Alignment
	if align < 1 || align > 9 {
		align = 2
	}
	margin := s.MarginV
	if margin <= 0 {
		margin = 50
	}
	flag := func(b bool) int {
		if b {
			return -1
		}
		return 0
	}
	return fmt.Sprintf("Style: %s,%s,%d,%s,&H000000FF,&H00000000,&H80000000,%d,%d,0,0,100,100,0,0,1,2,1,%d,60,60,%d,1",
		s.Name, font, size, col, flag(s.Bold), flag(s.Italic), align, margin), nil
}

// writeASS writes an Advanced SubStation Alpha (v4.00+) script by hand:
// go-astisub's writer truncates times to the centisecond and writes
// styles only in its own terms.
func writeASS(b *bytes.Buffer, cues []Cue, opt WriteOptions) error {
	styles := opt.Styles
	if len(styles) == 0 {
		styles = []Style{DefaultStyle}
	}
	known := map[string]bool{}
	b.WriteString("[Script Info]\n; Written by recuerdo\n")
	if opt.Title != "" {
		b.WriteString("Title: " + strings.ReplaceAll(opt.Title, "\n", " ") + "\n")
	}
	b.WriteString("ScriptType: v4.00+\nWrapStyle: 0\nScaledBorderAndShadow: yes\nPlayResX: 1920\nPlayResY: 1080\n\n")
	b.WriteString("[V4+ Styles]\nFormat: Name, Fontname, Fontsize, PrimaryColour, SecondaryColour, OutlineColour, BackColour, Bold, Italic, Underline, StrikeOut, ScaleX, ScaleY, Spacing, Angle, BorderStyle, Outline, Shadow, Alignment, MarginL, MarginR, MarginV, Encoding\n")
	for _, s := range styles {
		l, err := s.line()
		if err != nil {
			return err
		}
		known[s.Name] = true
		b.WriteString(l + "\n")
	}
	b.WriteString("\n[Events]\nFormat: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text\n")
	for i, c := range cues {
		style := styles[0].Name
		if i < len(opt.CueStyles) && opt.CueStyles[i] != "" {
			style = opt.CueStyles[i]
			if !known[style] {
				return fmt.Errorf("cue %d: no style named %q", i+1, style)
			}
		}
		start, end := clampTimes(c)
		lines := textLines(c.Text)
		italicize(lines, italicCount(opt.Italic, i), `{\i1}`, `{\i0}`)
		fmt.Fprintf(b, "Dialogue: 0,%s,%s,%s,%s,0,0,0,,%s\n", assTime(start), assTime(end), style,
			strings.ReplaceAll(c.Speaker, "\n", " "), strings.Join(lines, `\N`))
	}
	return nil
}

// assTime writes H:MM:SS.cc, rounded half up to the centisecond.
func assTime(d time.Duration) string {
	cs := roundTo(d, 10*time.Millisecond) / (10 * time.Millisecond)
	return fmt.Sprintf("%d:%02d:%02d.%02d", cs/360000, cs/6000%60, cs/100%60, cs%100)
}

// retimeSSA rewrites the Start and End fields of an SSA/ASS script's
// Dialogue and Comment lines through f, keeping every other byte.
func retimeSSA(name, text string, f func(time.Duration) time.Duration) (out string, clamped int, err error) {
	lines := strings.Split(text, "\n")
	startCol, endCol, fields := 1, 2, 10
	inEvents := false
	for n, line := range lines {
		trim := strings.TrimSpace(line)
		if strings.HasPrefix(trim, "[") {
			inEvents = strings.EqualFold(trim, "[Events]")
			continue
		}
		if !inEvents {
			continue
		}
		key, rest, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		switch strings.TrimSpace(key) {
		case "Format":
			cols := strings.Split(rest, ",")
			fields = len(cols)
			for k, col := range cols {
				switch strings.ToLower(strings.TrimSpace(col)) {
				case "start":
					startCol = k
				case "end":
					endCol = k
				}
			}
		case "Dialogue", "Comment":
			vals := strings.SplitN(rest, ",", fields)
			if len(vals) <= max(startCol, endCol) {
				return "", 0, &Error{File: name, Line: n + 1, Msg: fmt.Sprintf("event has %d fields, want %d", len(vals), fields)}
			}
			var t [2]time.Duration
			for k, col := range []int{startCol, endCol} {
				d, err := ParseTime(strings.TrimSpace(vals[col]))
				if err != nil {
					return "", 0, &Error{File: name, Line: n + 1, Msg: err.Error()}
				}
				t[k] = f(d)
			}
			if t[0] < 0 {
				t[0], clamped = 0, clamped+1
			}
			t[1] = max(t[1], t[0])
			pad := func(s string) string { // keep the space after "Dialogue:"
				return s[:len(s)-len(strings.TrimLeft(s, " "))]
			}
			vals[startCol] = pad(vals[startCol]) + assTime(t[0])
			vals[endCol] = pad(vals[endCol]) + assTime(t[1])
			lines[n] = key + ":" + strings.Join(vals, ",")
		}
	}
	return strings.Join(lines, "\n"), clamped, nil
}

// ssaDefaultFormat is the event format when a script has no Format line.
var ssaDefaultFormat = []string{"layer", "start", "end", "style", "name", "marginl", "marginr", "marginv", "effect", "text"}

// readSSA reads the Dialogue events of an SSA (v4) or ASS (v4+) script
// by its [Events] Format line, whatever its style fields: styles say how
// text looks, not what it says. The event's Name is the speaker; override
// blocks and drawings ({\p1}m 0 0 l 10 0{\p0}) are not text.
func readSSA(name, text string) (*Track, error) {
	t := &Track{Format: FormatSSA}
	cols := ssaDefaultFormat
	inEvents, sawEvents := false, false
	for n, line := range strings.Split(text, "\n") {
		trim := strings.TrimSpace(strings.TrimPrefix(line, "\ufeff"))
		if strings.HasPrefix(trim, "[") {
			inEvents = strings.EqualFold(trim, "[Events]")
			sawEvents = sawEvents || inEvents
			continue
		}
		if !inEvents {
			continue
		}
		key, rest, ok := strings.Cut(trim, ":")
		if !ok {
			continue
		}
		switch strings.TrimSpace(key) {
		case "Format":
			cols = nil
			for _, c := range strings.Split(rest, ",") {
				cols = append(cols, strings.ToLower(strings.TrimSpace(c)))
			}
		case "Dialogue":
			vals := strings.SplitN(rest, ",", len(cols))
			if len(vals) < len(cols) {
				return nil, &Error{File: name, Line: n + 1, Msg: fmt.Sprintf("event has %d fields, the Format line names %d", len(vals), len(cols))}
			}
			c := Cue{Line: n + 1}
			var speaker, body string
			for k, col := range cols {
				v := vals[k]
				switch col {
				case "start", "end":
					tc := strings.TrimSpace(v)
					if !timecodeOnly.MatchString(tc) {
						return nil, &Error{File: name, Line: n + 1, Msg: fmt.Sprintf("bad %s time %q", col, tc), Hint: "an event time looks like 0:01:02.50"}
					}
					d, err := parseCueTime(tc)
					if err == nil {
						err = checkTime(d)
					}
					if err != nil {
						return nil, &Error{File: name, Line: n + 1, Msg: fmt.Sprintf("time %q %v", tc, err), Hint: "timecodes must stay below 100:00:00"}
					}
					if col == "start" {
						c.Start = d
					} else {
						c.End = d
					}
				case "name", "actor":
					speaker = strings.TrimSpace(v)
				case "text":
					body = v
				}
			}
			if c.End < c.Start {
				return nil, &Error{File: name, Line: n + 1, Msg: fmt.Sprintf("event ends (%s) before it starts (%s)", FormatTime(c.End), FormatTime(c.Start)), Hint: "fix the event's times; recuerdo does not guess which is wrong"}
			}
			var lines []string
			for _, l := range strings.Split(cleanSSA(withoutDrawings(body)), "\n") {
				if l = strings.TrimSpace(l); l != "" {
					lines = append(lines, l)
				}
			}
			if len(t.Cues) >= limits.cues {
				return nil, tooManyCues(name, n+1)
			}
			c.Speaker, c.Text = speakerLabel(speaker, strings.Join(lines, "\n"))
			if len(c.Text) > limits.text {
				return nil, textTooLong(name, n+1, "event text")
			}
			t.Cues = append(t.Cues, c)
		}
	}
	if !sawEvents {
		return nil, &Error{File: name, Msg: "no [Events] section", Hint: "an SSA/ASS script lists its subtitles under [Events]"}
	}
	inheritSpeakers(t.Cues)
	return t, nil
}

// withoutDrawings removes the drawing commands of an event's text: what
// follows an override block with \p1 (or any \pN above 0) up to one with
// \p0 is a vector shape ("m 0 0 b 33 -3 …"), not words.
func withoutDrawings(s string) string {
	if !strings.Contains(s, `\p`) {
		return s
	}
	var b strings.Builder
	drawing := false
	for len(s) > 0 {
		i := strings.IndexByte(s, '{')
		if i < 0 {
			if !drawing {
				b.WriteString(s)
			}
			break
		}
		if !drawing {
			b.WriteString(s[:i])
		}
		j := strings.IndexByte(s[i:], '}')
		if j < 0 {
			if !drawing {
				b.WriteString(s[i:])
			}
			break
		}
		block := s[i : i+j+1]
		for _, tag := range strings.Split(block[1:len(block)-1], `\`) {
			if len(tag) >= 2 && tag[0] == 'p' && tag[1] >= '0' && tag[1] <= '9' {
				if k, err := strconv.Atoi(strings.TrimSpace(tag[1:])); err == nil {
					drawing = k > 0
				}
			}
		}
		b.WriteString(block) // cleanSSA removes the block itself
		s = s[i+j+1:]
	}
	return b.String()
}
