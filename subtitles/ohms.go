package subtitles

import (
	"encoding/xml"
	"fmt"
	"html"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
)

// FormatOHMS is an OHMS XML export (the Oral History Metadata
// Synchronizer): legacy v5 with a plain transcript and a <sync> string, or
// v6 with a WebVTT transcript.
const FormatOHMS Format = "ohms"

// Chapter is one segment of an OHMS index: a titled, described stretch of
// the interview, in the transcript's language and an alternate one.
type Chapter struct {
	Start       time.Duration
	Title       string
	TitleAlt    string
	Synopsis    string
	SynopsisAlt string
	Keywords    []string
	KeywordsAlt []string
	Subjects    []string
	SubjectsAlt []string
}

type ohmsRecord struct {
	Version    string `xml:"record>version"`
	Title      string `xml:"record>title"`
	Transcript string `xml:"record>transcript"`
	Sync       string `xml:"record>sync"`
	VTT        string `xml:"record>vtt_transcript"`
	Language   string `xml:"record>language"`
	Points     []struct {
		Time        string `xml:"time"`
		Title       string `xml:"title"`
		TitleAlt    string `xml:"title_alt"`
		Synopsis    string `xml:"synopsis"`
		SynopsisAlt string `xml:"synopsis_alt"`
		Keywords    string `xml:"keywords"`
		KeywordsAlt string `xml:"keywords_alt"`
		Subjects    string `xml:"subjects"`
		SubjectsAlt string `xml:"subjects_alt"`
	} `xml:"record>index>point"`
}

func isOHMS(text string) bool {
	head := text[:min(len(text), 4096)]
	return strings.Contains(head, "nunncenter/ohms") || strings.Contains(head, "<ROOT") && strings.Contains(head, "<record")
}

var syncPoint = regexp.MustCompile(`^(\d+)\((\d+)\)$`)

// readOHMS reads an OHMS export. A v6 WebVTT transcript is read as
// WebVTT (a last cue ending at 00:00:00, as OHMS writes it, is ended at
// its successor's start or by its length). A v5 transcript is read as a
// text transcript after a timestamp is inserted at each <sync> point
// ("1:|13(3)|19(14)": minute 1 falls at line 13, word 3; minute 2 at line
// 19, word 14…), so paragraphs between them get interpolated times.
// The index points become Chapters.
func readOHMS(name, text string) (*Track, error) {
	var r ohmsRecord
	if err := xml.Unmarshal([]byte(text), &r); err != nil {
		e := &Error{File: name, Msg: "bad OHMS XML: " + err.Error(), Err: err}
		if se, ok := err.(*xml.SyntaxError); ok {
			e.Line = se.Line
		}
		return nil, e
	}
	var t *Track
	var err error
	switch {
	case strings.TrimSpace(r.VTT) != "":
		vtt := repairOHMSEnds(r.VTT)
		t, err = ReadOrdered(name+" (vtt_transcript)", []byte(vtt))
		if err != nil {
			return nil, err
		}
	case strings.TrimSpace(r.Transcript) != "" && !strings.EqualFold(strings.TrimSpace(r.Transcript), "No transcript."):
		synced, err := insertSync(html.UnescapeString(r.Transcript), r.Sync)
		if err != nil {
			return nil, &Error{File: name, Line: elementLine(text, "<sync"), Msg: "OHMS <sync>: " + err.Error()}
		}
		t, err = readTranscript(name, synced)
		if err != nil {
			return nil, err
		}
		inheritSpeakers(t.Cues)
	default:
		t = &Track{}
	}
	t.Format = FormatOHMS
	for i := range t.Cues {
		if isAllUpper(t.Cues[i].Speaker) {
			t.Cues[i].Speaker = titleCase(t.Cues[i].Speaker) // OHMS writes names in capitals
		}
	}
	if t.Header == nil {
		t.Header = map[string]string{}
	}
	if r.Title != "" {
		t.Header["TITLE"] = strings.TrimSpace(r.Title)
	}
	for i, p := range r.Points {
		secs, err := strconv.ParseFloat(strings.TrimSpace(p.Time), 64)
		if err != nil {
			return nil, &Error{File: name, Msg: fmt.Sprintf("index point %d: bad time %q", i+1, p.Time)}
		}
		start, err := secondsTime(secs)
		if err != nil {
			return nil, &Error{File: name, Msg: fmt.Sprintf("index point %d: time %q %v", i+1, strings.TrimSpace(p.Time), err)}
		}
		t.Chapters = append(t.Chapters, Chapter{
			Start: start, Title: strings.TrimSpace(p.Title), TitleAlt: strings.TrimSpace(p.TitleAlt),
			Synopsis: strings.TrimSpace(p.Synopsis), SynopsisAlt: strings.TrimSpace(p.SynopsisAlt),
			Keywords: splitList(p.Keywords), KeywordsAlt: splitList(p.KeywordsAlt),
			Subjects: splitList(p.Subjects), SubjectsAlt: splitList(p.SubjectsAlt),
		})
	}
	if len(t.Cues) == 0 && len(t.Chapters) == 0 {
		return nil, &Error{File: name, Msg: "OHMS record has no transcript and no index"}
	}
	return t, nil
}

// elementLine is the 1-based line of the first occurrence of tag in
// text, 0 when it is not there.
func elementLine(text, tag string) int {
	i := strings.Index(text, tag)
	if i < 0 {
		return 0
	}
	return 1 + strings.Count(text[:i], "\n")
}

func splitList(s string) []string {
	var out []string
	for _, k := range strings.Split(s, ";") {
		if k = strings.TrimSpace(k); k != "" {
			out = append(out, k)
		}
	}
	return out
}

// repairOHMSEnds ends a cue written as ending at 00:00:00.000 at the next
// cue's start (or 5 s after its own, for the last).
func repairOHMSEnds(vtt string) string {
	lines := strings.Split(strings.ReplaceAll(vtt, "\r\n", "\n"), "\n")
	var idx []int
	for i, l := range lines {
		if timecodeLine.MatchString(l) {
			idx = append(idx, i)
		}
	}
	for k, i := range idx {
		m := timecodeLine.FindStringSubmatch(lines[i])
		end, err := ParseTime(m[2])
		if err != nil || end != 0 {
			continue
		}
		start, err := ParseTime(m[1])
		if err != nil {
			continue
		}
		newEnd := start + 5*time.Second
		if k+1 < len(idx) {
			if n := timecodeLine.FindStringSubmatch(lines[idx[k+1]]); n != nil {
				if ns, err := ParseTime(n[1]); err == nil && ns > start {
					newEnd = ns
				}
			}
		}
		lines[i] = m[1] + " --> " + stamp(newEnd, ".")
	}
	return strings.Join(lines, "\n")
}

// insertSync puts a [HH:MM:SS] timestamp before the word each OHMS sync
// point names, in one pass over the lines (points past the end of the
// text name nothing). A point past MaxTime is an error.
func insertSync(transcript, sync string) (string, error) {
	lines := strings.Split(strings.ReplaceAll(transcript, "\r\n", "\n"), "\n")
	sync = strings.TrimSpace(sync)
	if sync == "" {
		return strings.Join(lines, "\n"), nil
	}
	interval, points, ok := strings.Cut(sync, ":")
	minutes, err := strconv.Atoi(strings.TrimSpace(interval))
	if !ok || err != nil || minutes <= 0 || time.Duration(minutes) >= MaxTime/time.Minute {
		return "", fmt.Errorf("bad interval in %q", sync[:min(len(sync), 20)])
	}
	type mark struct{ word, secs int }
	marks := map[int][]mark{} // by 0-based line, in sync order
	for k := 0; points != ""; k++ {
		var p string
		p, points, _ = strings.Cut(points, "|")
		p = strings.TrimSpace(p)
		if p == "" {
			continue
		}
		m := syncPoint.FindStringSubmatch(p)
		if m == nil {
			return "", fmt.Errorf("bad point %q", p)
		}
		line, err1 := strconv.Atoi(m[1])
		word, err2 := strconv.Atoi(m[2])
		if err1 != nil || err2 != nil || line < 1 || line > len(lines) {
			continue // points past the end of the text name nothing
		}
		secs := k * minutes * 60
		if time.Duration(secs)*time.Second >= MaxTime {
			return "", fmt.Errorf("point %d (%q, at %d minutes) %v", k, p, k*minutes, errTimeRange)
		}
		marks[line-1] = append(marks[line-1], mark{word, secs})
	}
	for i, ms := range marks {
		words := strings.Fields(lines[i])
		// Each tag goes before its word (or after the last); tags at the
		// same word keep their order.
		at := func(m mark) int { return min(max(m.word-1, 0), len(words)) }
		sort.SliceStable(ms, func(a, b int) bool { return at(ms[a]) < at(ms[b]) })
		var b strings.Builder
		k := 0
		for w := 0; w <= len(words); w++ {
			for ; k < len(ms) && at(ms[k]) == w; k++ {
				if b.Len() > 0 {
					b.WriteByte(' ')
				}
				secs := ms[k].secs
				fmt.Fprintf(&b, "[%02d:%02d:%02d]", secs/3600, secs/60%60, secs%60)
			}
			if w < len(words) {
				if b.Len() > 0 {
					b.WriteByte(' ')
				}
				b.WriteString(words[w])
			}
		}
		lines[i] = b.String()
	}
	return strings.Join(lines, "\n"), nil
}
