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
