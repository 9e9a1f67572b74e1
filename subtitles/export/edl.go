package export

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// EDL is a CMX3600 edit decision list.
type EDL struct {
	Title     string
	DropFrame bool // FCM: DROP FRAME
	Events    []Event
}

// Event is one edit of an EDL.
type Event struct {
	Number     int
	Reel       string // source reel, "AX" for an auxiliary source
	Track      string // "V", "A", "AA/V", …
	Transition string // "C" for a cut, "D" a dissolve, "W001" a wipe, …
	// TransitionFrames is the length of a dissolve or wipe, 0 for a cut.
	TransitionFrames int
	// The timecodes as written, HH:MM:SS:FF (';' before drop frames).
	SourceIn, SourceOut, RecordIn, RecordOut string

	ClipName string   // from "* FROM CLIP NAME:"
	Comments []string // from "* COMMENT:" lines
	Marker   *Marker  // a DaVinci Resolve timeline marker
	// Notes are the event's other lines (M2 speed changes, other "*"
	// comments, …), as they are.
	Notes []string
}

// Marker is a DaVinci Resolve timeline marker, written in an EDL as
// "note |C:ResolveColorBlue |M:name |D:frames" after its event.
type Marker struct {
	Color    string // "ResolveColorBlue", …
	Name     string
	Note     string
	Duration int // in frames
}

// maxEDLLine is the longest line ReadEDL reads.
const maxEDLLine = 1 << 20

// ReadEDL reads a CMX3600 EDL, with DaVinci Resolve's marker lines. It
// reads the first TITLE and FCM lines; other lines before the first event
// are skipped. Errors name the line.
func ReadEDL(r io.Reader) (*EDL, error) {
	e := &EDL{}
	sc := bufio.NewScanner(r)
	sc.Buffer(nil, maxEDLLine)
	var title, fcm, header bool
	n := 0
	fail := func(format string, a ...any) error {
		return fmt.Errorf("read edl: line %d: %s", n, fmt.Sprintf(format, a...))
	}
	for sc.Scan() {
		n++
		line := strings.TrimSpace(sc.Text())
		if n == 1 {
			line = strings.TrimSpace(strings.TrimPrefix(line, "\ufeff"))
		}
		var ev *Event
		if len(e.Events) > 0 {
			ev = &e.Events[len(e.Events)-1]
		}
		switch {
		case line == "":
		case strings.HasPrefix(line, "*"):
			if ev == nil {
				continue
			}
			text := strings.TrimSpace(line[1:])
			switch {
			case hasPrefixFold(text, "FROM CLIP NAME:"):
				ev.ClipName = strings.TrimSpace(text[len("FROM CLIP NAME:"):])
			case hasPrefixFold(text, "COMMENT:"):
				ev.Comments = append(ev.Comments, strings.TrimSpace(text[len("COMMENT:"):]))
			default:
				ev.Notes = append(ev.Notes, line)
			}
		case hasMarkerKey(line):
			if ev == nil {
				return nil, fail("a marker before the first event")
			}
			m, err := parseMarker(line)
			if err != nil {
				return nil, fail("%v", err)
			}
			ev.Marker = m
		case hasPrefixFold(line, "TITLE:"):
			if !title {
				e.Title, title, header = strings.TrimSpace(line[len("TITLE:"):]), true, true
			}
		case hasPrefixFold(line, "FCM:"):
			switch v := strings.ToUpper(strings.Join(strings.Fields(line[len("FCM:"):]), " ")); v {
			case "DROP FRAME":
				if !fcm {
					e.DropFrame = true
				}
			case "NON-DROP FRAME", "NON DROP FRAME":
			default:
				return nil, fail("FCM %q: want DROP FRAME or NON-DROP FRAME", v)
			}
			fcm, header = true, true
		case line[0] >= '0' && line[0] <= '9':
			ev, err := parseEvent(line)
			if err != nil {
				return nil, fail("%v", err)
			}
			e.Events = append(e.Events, *ev)
		case isEDLKeyword(line):
			if ev != nil {
				ev.Notes = append(ev.Notes, line)
			}
		default:
			return nil, fail("not an EDL line: %q", shorten(line, 40))
		}
	}
	if err := sc.Err(); err != nil {
		n++
		if errors.Is(err, bufio.ErrTooLong) {
			return nil, fail("longer than %d bytes", maxEDLLine)
		}
		return nil, fmt.Errorf("read edl: %w", err)
	}
	if !header && len(e.Events) == 0 {
		return nil, errors.New("read edl: not an EDL: no TITLE, FCM or event lines")
	}
	return e, nil
}

// isEDLKeyword reports whether a line is one of CMX3600's other lines,
// kept as notes of the event they follow.
func isEDLKeyword(line string) bool {
	for _, k := range []string{"M2 ", "SPLIT:", ">>>", "AUD ", "EFFECTS NAME IS", "SWAP", "FINAL RECORD"} {
		if hasPrefixFold(line, k) {
			return true
		}
	}
	return false
}

// hasPrefixFold reports whether s begins with the ASCII prefix p, in any case.
func hasPrefixFold(s, p string) bool { return len(s) >= len(p) && strings.EqualFold(s[:len(p)], p) }

// hasMarkerKey reports whether a line holds a Resolve marker.
func hasMarkerKey(s string) bool {
	return strings.Contains(s, "|C:") || strings.Contains(s, "|M:") || strings.Contains(s, "|D:")
}

// eventFields describes an event line in errors.
const eventFields = "event, reel, track, transition, source in, source out, record in, record out"

func parseEvent(line string) (*Event, error) {
	f := strings.Fields(line)
	if len(f) != 8 && len(f) != 9 {
		return nil, fmt.Errorf("want 8 fields (%s), got %d", eventFields, len(f))
	}
	ev := &Event{Reel: f[1], Track: f[2], Transition: f[3]}
	var err error
	if ev.Number, err = count(f[0]); err != nil {
		return nil, fmt.Errorf("event number %q", f[0])
	}
	tcs := f[4:]
	if len(f) == 9 {
		if ev.TransitionFrames, err = count(f[4]); err != nil {
			return nil, fmt.Errorf("transition length %q: want a number of frames", f[4])
		}
		tcs = f[5:]
	}
	for i, p := range []*string{&ev.SourceIn, &ev.SourceOut, &ev.RecordIn, &ev.RecordOut} {
		if !isTimecode(tcs[i]) {
			return nil, fmt.Errorf("%s %q: want HH:MM:SS:FF", strings.Split(eventFields, ", ")[4+i], tcs[i])
		}
		*p = tcs[i]
	}
	return ev, nil
}

// count reads a number of at most 9 digits.
func count(s string) (int, error) {
	if s == "" || len(s) > 9 || strings.Trim(s, "0123456789") != "" {
		return 0, errors.New("not a count")
	}
	return strconv.Atoi(s)
}

// isTimecode reports whether s looks like HH:MM:SS:FF, with any of : ; . ,
// before the frames.
func isTimecode(s string) bool {
	parts := strings.FieldsFunc(s, func(r rune) bool { return r == ':' || r == ';' || r == '.' || r == ',' })
	if len(parts) != 4 || strings.Count(s, ":")+strings.Count(s, ";")+strings.Count(s, ".")+strings.Count(s, ",") != 3 {
		return false
	}
	for _, p := range parts {
		if len(p) > 3 || strings.Trim(p, "0123456789") != "" {
			return false
		}
	}
	return true
}

// parseMarker reads a Resolve marker line: "note |C:color |M:name |D:frames".
func parseMarker(line string) (*Marker, error) {
	i := strings.IndexByte(line, '|')
	m := &Marker{Note: strings.TrimSpace(line[:i])}
	for _, part := range strings.Split(line[i+1:], "|") {
		key, val, _ := strings.Cut(strings.TrimSpace(part), ":")
		val = strings.TrimSpace(val)
		switch key {
		case "C":
			m.Color = val
		case "M":
			m.Name = val
		case "D":
			n, err := count(val)
			if err != nil {
				return nil, fmt.Errorf("marker duration %q: want a number of frames", val)
			}
			m.Duration = n
		}
	}
	return m, nil
}

// WriteTo writes the EDL in CMX3600 layout, with "\n" line endings.
func (e *EDL) WriteTo(w io.Writer) (int64, error) {
	var b bytes.Buffer
	fcm := "NON-DROP FRAME"
	if e.DropFrame {
		fcm = "DROP FRAME"
	}
	fmt.Fprintf(&b, "TITLE: %s\nFCM: %s\n", flat(unmark(e.Title)), fcm)
	for _, ev := range e.Events {
		tr := field(ev.Transition, "C")
		if ev.TransitionFrames != 0 || !strings.EqualFold(tr, "C") {
			tr = fmt.Sprintf("%-4s %03d", tr, ev.TransitionFrames)
		}
		fmt.Fprintf(&b, "\n%03d  %-8s %-5s %-8s %s %s %s %s\n", ev.Number, field(ev.Reel, "AX"), field(ev.Track, "V"), tr,
			field(ev.SourceIn, "00:00:00:00"), field(ev.SourceOut, "00:00:00:00"),
			field(ev.RecordIn, "00:00:00:00"), field(ev.RecordOut, "00:00:00:00"))
		if m := ev.Marker; m != nil {
			note := strings.TrimLeft(markerText(m.Note), "* ")
			if note != "" {
				note += " "
			}
			fmt.Fprintf(&b, " %s|C:%s |M:%s |D:%d\n", note, markerText(m.Color), markerText(m.Name), m.Duration)
		}
		if ev.ClipName != "" {
			fmt.Fprintf(&b, "* FROM CLIP NAME: %s\n", flat(ev.ClipName))
		}
		for _, c := range ev.Comments {
			fmt.Fprintf(&b, "* COMMENT: %s\n", flat(c))
		}
		for _, n := range ev.Notes {
			fmt.Fprintf(&b, "%s\n", flat(n))
		}
	}
	n, err := w.Write(b.Bytes())
	return int64(n), err
}

// flat keeps a value on its line.
func flat(s string) string { return strings.ReplaceAll(s, "\n", " ") }

// unmark keeps a value from reading as a marker line.
func unmark(s string) string {
	if hasMarkerKey(s) {
		return strings.ReplaceAll(s, "|", "/")
	}
	return s
}

// field makes a value one field of an event line.
func field(s, empty string) string {
	s = unmark(strings.Join(strings.Fields(s), "_"))
	if s == "" {
		return empty
	}
	return s
}

// markerText keeps a value inside its part of a marker line.
func markerText(s string) string { return strings.ReplaceAll(flat(s), "|", "/") }

// cmx is the selects as a CMX3600 EDL: one cut per clip, video only.
func (tl *timeline) cmx(title string) *EDL {
	e := &EDL{Title: title, DropFrame: dropFrame(tl.rate)}
	reels := reelNames(tl.events)
	for i, ev := range tl.events {
		c := ev.clip
		x := Event{
			Number: i + 1, Reel: reels[i], Track: "V", Transition: "C",
			SourceIn: ev.sourceTC(ev.in), SourceOut: ev.sourceTC(ev.out),
			RecordIn: tl.rate.timecode(tl.start + ev.recIn), RecordOut: tl.rate.timecode(tl.start + ev.recOut),
			ClipName: oneLine(baseName(c.Media)),
		}
		if x.ClipName == "" {
			x.ClipName = oneLine(c.Interview)
		}
		if l := label(c); l != "" {
			x.Comments = []string{shorten(l, maxLabel)}
		}
		e.Events = append(e.Events, x)
	}
	return e
}

// resolveMarkers is the clips as DaVinci Resolve timeline markers at
// their media timecodes: each a one-frame event, the marker lasting the
// segment.
func (tl *timeline) resolveMarkers(title string) *EDL {
	e := &EDL{Title: title, DropFrame: dropFrame(tl.rate)}
	for i, ev := range tl.events {
		in, out := ev.sourceTC(ev.segIn), ev.sourceTC(ev.segIn+1)
		e.Events = append(e.Events, Event{
			Number: i + 1, Reel: "001", Track: "V", Transition: "C",
			SourceIn: in, SourceOut: out, RecordIn: in, RecordOut: out,
			Marker: &Marker{
				Color:    "ResolveColorBlue",
				Name:     shorten(label(ev.clip), maxLabel),
				Note:     shorten(oneLine(ev.clip.Translation), maxLabel),
				Duration: ev.segOut - ev.segIn,
			},
		})
	}
	return e
}

// reelNames names the reel of each event after its media: the base name
// without extension, upper case, [A-Z0-9_], at most 8 characters, made
// unique with a number when two media would share a name; "AX" without
// media.
func reelNames(events []event) []string {
	names := make([]string, len(events))
	byMedia := map[string]string{}
	used := map[string]bool{}
	for i, ev := range events {
		m := ev.clip.Media
		if m == "" {
			names[i] = "AX"
			continue
		}
		if r, ok := byMedia[m]; ok {
			names[i] = r
			continue
		}
		base := reel(m)
		r := base
		for k := 2; used[r] && r != "AX"; k++ {
			suffix := "_" + strconv.Itoa(k)
			r = base[:min(len(base), 8-len(suffix))] + suffix
		}
		used[r], byMedia[m] = true, r
		names[i] = r
	}
	return names
}

var foldAccents = strings.NewReplacer(
	"Á", "A", "À", "A", "Â", "A", "Ä", "A", "Ã", "A", "Å", "A",
	"É", "E", "È", "E", "Ê", "E", "Ë", "E",
	"Í", "I", "Ì", "I", "Î", "I", "Ï", "I",
	"Ó", "O", "Ò", "O", "Ô", "O", "Ö", "O", "Õ", "O",
	"Ú", "U", "Ù", "U", "Û", "U", "Ü", "U",
	"Ñ", "N", "Ç", "C",
)

// reel derives a reel name from a media name.
func reel(media string) string {
	name := baseName(media)
	if i := strings.LastIndexByte(name, '.'); i > 0 {
		name = name[:i]
	}
	var b strings.Builder
	for _, r := range foldAccents.Replace(strings.ToUpper(name)) {
		if r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' {
			b.WriteRune(r)
		} else if s := b.String(); s != "" && !strings.HasSuffix(s, "_") {
			b.WriteByte('_')
		}
	}
	s := b.String()
	s = strings.TrimRight(s[:min(len(s), 8)], "_")
	if s == "" {
		return "AX"
	}
	return s
}

func dropFrame(r rate) bool { return r.den == 1001 && (r.num == 30000 || r.num == 60000) }
