package subtitles

import (
	"archive/zip"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"html"
	"io"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode"
)

// Word accounting: the words of an original's speech are counted here
// without the readers (no Detect, no parser, no shared pattern), from the
// decoded text line by line with generic rules, and compared with the
// words that reached the cues. A reader that drops text is caught even on
// a layout nobody has written a reader for yet.

// Accounting compares the words of an original with the words of its cues.
// Words are compared as a multiset of normalised words (case-folded,
// punctuation stripped), so a reordering is not a loss.
type Accounting struct {
	Counted     bool           `json:"counted"`           // false when the layout cannot be counted (EBU STL)
	In          int            `json:"words_in"`          // words of speech in the original
	Out         int            `json:"words_out"`         // words in the cues
	Explained   int            `json:"explained"`         // words in but not out, for a named reason
	Unexplained int            `json:"unexplained"`       // words in but not out, for no known reason
	Extra       int            `json:"extra"`             // words out that were not in (speaker names added to text, say)
	Rules       map[string]int `json:"rules,omitempty"`   // explained words by rule
	Missing     []MissingLine  `json:"missing,omitempty"` // where the unexplained words were, in file order
	Unit        string         `json:"unit,omitempty"`    // what Missing counts in: "line", or "paragraph" in a Word document
}

// MissingLine is a line of the original holding words that are not in the cues.
type MissingLine struct {
	Line  int      `json:"line"`
	Words []string `json:"words,omitempty"` // the missing words, normalised, in line order
}

// The named reasons a word of the original may rightly be missing from
// the cues, in one table: key, and what it says to people.
var explanations = []struct{ Key, What string }{
	{"repeat", "a repeated caption line"},                        // roll-up captions show the line before again
	{"drawing", "a drawing command"},                             // ASS {\p1} vector shapes
	{"front", "front matter before the first turn or timestamp"}, // a transcript's header block and abstract
	{"heading", "a section heading"},                             // a Markdown "# heading"
	{"comment", "a comment event"},                               // an ASS Comment: line, never shown
	{"header", "a header line the reader kept apart"},            // a title, a date, a tool's footer: in Track.Header
}

// ExplanationRule returns what an explanation key says to people.
func ExplanationRule(key string) string {
	for _, e := range explanations {
		if e.Key == key {
			return e.What
		}
	}
	return key
}

// srcWord is one counted copy of a word of the original.
type srcWord struct {
	w    string // normalised
	line int
	rule string // an explanations key under which it may be missing, or ""
}

// sink receives the counted words. The first pass only counts them, so a
// long original costs a map of its vocabulary; only when words are
// missing does a second pass keep the copies of those words, to place them.
type sink struct {
	n      int
	words  map[string]int            // copies by word
	tagged map[string]map[string]int // copies by word and explanation rule
	keep   map[string]bool           // second pass: the words to place
	lines  map[int]int               // second pass: words by line
	occ    []srcWord                 // second pass: the copies of the kept words
}

func (s *sink) add(ws []string, line int, rule string) {
	for _, w := range ws {
		if s.keep != nil {
			s.lines[line]++
			if s.keep[w] {
				s.occ = append(s.occ, srcWord{w, line, rule})
			}
			continue
		}
		s.n++
		s.words[w]++
		if rule != "" {
			if s.tagged[w] == nil {
				s.tagged[w] = map[string]int{}
			}
			s.tagged[w][rule]++
		}
	}
}

// Account counts the words of an original (its bytes, as ingested) and
// compares them with the words that reached t's cues.
func Account(data []byte, t *Track) *Accounting {
	speakers := map[string]bool{}
	outN := map[string]int{}
	a := &Accounting{}
	for _, c := range t.Cues {
		if c.Speaker != "" {
			speakers[labelKey(c.Speaker)] = true
		}
		for _, w := range speechWords(c.Text) {
			outN[w]++
			a.Out++
		}
	}
	in := &sink{words: map[string]int{}, tagged: map[string]map[string]int{}}
	a.Unit, a.Counted = countSource(in, data, speakers)
	if !a.Counted {
		return a
	}
	a.In = in.n
	for w, n := range outN {
		if n > in.words[w] {
			a.Extra += n - in.words[w]
		}
	}
	// Missing copies are explained first by the rules their copies carry,
	// in the order of the table. A header the reader kept apart explains
	// its words wherever they stood, but for a summary: speech before the
	// first turn may land there, and front matter is told by its place.
	header := map[string]int{}
	for k, v := range t.Header {
		if k != "SUMMARY" {
			for _, w := range speechWords(k + " " + v) {
				header[w]++
			}
		}
	}
	lost := map[string]int{} // unexplained copies by word
	for w, n := range in.words {
		m := n - outN[w]
		if m <= 0 {
			continue
		}
		for _, e := range explanations {
			k := min(m, in.tagged[w][e.Key])
			if e.Key == "header" {
				k = min(m, header[w])
				header[w] -= k
			}
			if k > 0 {
				if a.Rules == nil {
					a.Rules = map[string]int{}
				}
				a.Rules[e.Key] += k
				a.Explained += k
				m -= k
			}
		}
		if m > 0 {
			lost[w] = m
			a.Unexplained += m
		}
	}
	if a.Unexplained > 0 {
		place(a, data, speakers, lost)
	}
	return a
}

// Loss returns an error naming the lines whose words are missing, or nil
// when every word is accounted for.
func (a *Accounting) Loss(name string) error {
	if a.Unexplained == 0 {
		return nil
	}
	unit := a.Unit
	if unit == "" {
		unit = "line"
	}
	var parts []string
	for i, m := range a.Missing {
		if i == 3 {
			more := unit
			if len(a.Missing) > 4 {
				more += "s"
			}
			parts = append(parts, fmt.Sprintf("and %d more %s", len(a.Missing)-3, more))
			break
		}
		ws := m.Words
		more := ""
		if len(ws) > 6 {
			ws, more = ws[:6], " …"
		}
		parts = append(parts, fmt.Sprintf("%s %d (%s%s)", unit, m.Line, strings.Join(ws, " "), more))
	}
	e := &Error{File: name, Msg: fmt.Sprintf("%d of %d words of the original are not in the cues: %s", a.Unexplained, a.In, strings.Join(parts, "; ")),
		Hint: "the reader lost text; report the file, or ingest with --accept-loss to keep it as it is (recorded in the history)", Err: ErrWordsLost}
	if len(a.Missing) > 0 {
		e.Line = a.Missing[0].Line
		if a.Unit == "paragraph" {
			e.Line = 0
		}
	}
	return e
}

// ErrWordsLost is wrapped by the error Accounting.Loss returns.
var ErrWordsLost = errors.New("words of the original are missing from the cues")

// String sums an accounting up for people: "120 words in, 118 out (2
// explained: a repeated caption line)".
func (a *Accounting) String() string {
	if !a.Counted {
		return "words not counted (" + a.Unit + ")"
	}
	s := fmt.Sprintf("%d words in, %d out", a.In, a.Out)
	var notes []string
	if a.Explained > 0 {
		keys := make([]string, 0, len(a.Rules))
		for k := range a.Rules {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		var rs []string
		for _, k := range keys {
			rs = append(rs, fmt.Sprintf("%d %s", a.Rules[k], ExplanationRule(k)))
		}
		notes = append(notes, fmt.Sprintf("%d explained: %s", a.Explained, strings.Join(rs, ", ")))
	}
	if a.Unexplained > 0 {
		notes = append(notes, fmt.Sprintf("%d missing", a.Unexplained))
	}
	if len(notes) > 0 {
		s += " (" + strings.Join(notes, "; ") + ")"
	}
	return s
}

// place finds the lines of the unexplained words, counting the original
// again and keeping the copies of those words. Which copy of a word was
// lost cannot be known; the copies on the most suspect lines are named:
// a lost line has all its words missing, a line that merely shares "the"
// with it few.
func place(a *Accounting, data []byte, speakers map[string]bool, lost map[string]int) {
	keep := map[string]bool{}
	for w := range lost {
		keep[w] = true
	}
	s := &sink{keep: keep, lines: map[int]int{}}
	countSource(s, data, speakers)
	onLine := map[int]int{}
	byWord := map[string][]int{}
	for i, o := range s.occ {
		onLine[o.line]++
		if o.rule == "" { // the explained copies are the tagged ones
			byWord[o.w] = append(byWord[o.w], i)
		}
	}
	suspect := func(line int) float64 { return float64(onLine[line]) / float64(s.lines[line]) }
	missing := make([]bool, len(s.occ))
	for w, pos := range byWord {
		sort.SliceStable(pos, func(i, j int) bool {
			si, sj := suspect(s.occ[pos[i]].line), suspect(s.occ[pos[j]].line)
			if si != sj {
				return si > sj
			}
			return pos[i] > pos[j]
		})
		for _, p := range pos[:min(lost[w], len(pos))] {
			missing[p] = true
		}
	}
	var cur *MissingLine
	for i, o := range s.occ {
		if !missing[i] {
			continue
		}
		if cur == nil || cur.Line != o.line {
			a.Missing = append(a.Missing, MissingLine{Line: o.line})
			cur = &a.Missing[len(a.Missing)-1]
		}
		cur.Words = append(cur.Words, o.w)
	}
}

// countSource counts the words of speech in an original: the layouts are
// told apart by their containers (a zip, JSON, XML) and generic marks,
// never by the readers.
func countSource(out *sink, data []byte, speakers map[string]bool) (unit string, ok bool) {
	if bytes.HasPrefix(data, []byte("PK\x03\x04")) {
		return "paragraph", countDOCX(out, data, speakers) == nil
	}
	if len(data) >= 1024 && bytes.HasPrefix(data[3:], []byte("STL")) {
		return "EBU STL is not counted", false
	}
	text, _, err := Decode(data)
	if err != nil {
		return "undecodable text", false
	}
	text = strings.ReplaceAll(text, "\ufeff", "")
	head := strings.TrimLeftFunc(text, unicode.IsSpace)
	switch {
	case strings.HasPrefix(head, "WEBVTT"):
	case hasASSSection(text):
		countASS(out, text, speakers)
		return "line", true
	case (strings.HasPrefix(head, "{") || strings.HasPrefix(head, "[")) && json.Valid([]byte(text)):
		countJSON(out, text)
		return "line", true
	case strings.HasPrefix(head, "<"):
		if countXML(out, text, speakers) == nil {
			return "line", true
		}
	default:
		if countTable(out, text, speakers) {
			return "line", true
		}
	}
	countLines(out, text, 0, speakers)
	return "line", true
}

var (
	// timingRe is a cue timing line in any common form: SRT, WebVTT, with
	// or without hours, with comma, dot or colon before the fraction.
	timingRe = regexp.MustCompile(`^\s*(?:\d+:)?\d+:\d+(?:[.,:]\d+)?\s*-+>\s*(?:\d+:)?\d+:\d+`)
	// stampTok is a timestamp in running text, bracketed or not:
	// [00:01:05], (1:32), 0:02:10.5, 00;01;23;54, a meeting tool's 0:0:9.490.
	stampTok = regexp.MustCompile(`[\[(]?\d+(?:[:;]\d{1,2}){1,3}(?:[.,]\d{1,3})?[\])]?`)
	// markupRe is an XML/HTML tag or a WebVTT timestamp tag; a tag left
	// open runs to the end of the line, as WebVTT reads it.
	markupRe = regexp.MustCompile(`(?m)</?[a-zA-Z][^>\n]*(?:>|$)|<\d[\d:.]*>`)
	// overrideRe is an ASS override block such as {\an8} or {\i1}.
	overrideRe = regexp.MustCompile(`\{\\[^{}]*\}`)
)

// onlyDigits reports a line of ASCII digits (trimmed).
func onlyDigits(t string) bool {
	if t == "" {
		return false
	}
	for i := 0; i < len(t); i++ {
		if t[i] < '0' || t[i] > '9' {
			return false
		}
	}
	return true
}

// speechWords cleans a piece of text (markup, override blocks, entities,
// timestamps) and returns its normalised words. It is applied alike to the
// original's lines and to the cues' text, so the two compare.
func speechWords(s string) []string {
	// The patterns run only where their first character is: most lines
	// hold none, and this runs on every line of the original and the cues.
	if strings.IndexByte(s, '<') >= 0 {
		s = markupRe.ReplaceAllString(s, "")
	}
	if strings.IndexByte(s, '\\') >= 0 {
		s = overrideRe.ReplaceAllString(s, "")
		s = strings.NewReplacer(`\N`, " ", `\n`, " ", `\h`, " ").Replace(s)
	}
	if strings.IndexByte(s, '&') >= 0 {
		s = html.UnescapeString(s)
	}
	if hasStamp(s) {
		s = stampTok.ReplaceAllString(s, " ")
	}
	var out []string
	for _, f := range strings.Fields(s) {
		if w := normWord(f); w != "" {
			out = append(out, w)
		}
	}
	return out
}

// hasStamp reports a digit, a colon or semicolon and a digit in a row:
// where a timestamp may be.
func hasStamp(s string) bool {
	for i := 1; i+1 < len(s); i++ {
		if (s[i] == ':' || s[i] == ';') && '0' <= s[i-1] && s[i-1] <= '9' && '0' <= s[i+1] && s[i+1] <= '9' {
			return true
		}
	}
	return false
}

// normWord case-folds a word and strips everything but letters, digits
// and combining marks.
func normWord(s string) string {
	plain := true
	for i := 0; i < len(s); i++ {
		if c := s[i]; !('a' <= c && c <= 'z' || '0' <= c && c <= '9') {
			plain = false
			break
		}
	}
	if plain {
		return s
	}
	ascii := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 0x80:
			ascii = nil
		case 'a' <= c && c <= 'z' || '0' <= c && c <= '9':
			ascii = append(ascii, c)
		case 'A' <= c && c <= 'Z':
			ascii = append(ascii, c+'a'-'A')
		}
		if ascii == nil {
			break
		}
	}
	if ascii != nil {
		return string(ascii)
	}
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r) {
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.String()
}

// labelKey is how a speaker label compares: letters and digits only,
// numbers without leading zeros, so "[SPEAKER_01]:" matches "Speaker 1".
func labelKey(s string) string {
	var b strings.Builder
	zeros := true // at the start of a run of digits
	for _, r := range s {
		switch {
		case unicode.IsDigit(r):
			if r == '0' && zeros {
				continue
			}
			zeros = false
			b.WriteRune(r)
		case unicode.IsLetter(r) || unicode.Is(unicode.Mn, r):
			zeros = true
			b.WriteRune(unicode.ToLower(r))
		default:
			zeros = true
		}
	}
	return b.String()
}

// lineWords returns a line's words less a leading speaker label that the
// reader moved to the speaker field: one of speakers, compared by labelKey.
func lineWords(s string, speakers map[string]bool) []string {
	ws := speechWords(s)
	if len(speakers) == 0 || len(ws) == 0 {
		return ws
	}
	key := ""
	best := 0
	for k := 0; k < len(ws) && k < 6; k++ {
		key += labelKey(ws[k])
		if speakers[key] {
			best = k + 1
		}
	}
	return ws[best:]
}

// countLines counts a line-based layout: SRT, WebVTT, plain and Markdown
// transcripts, whatever else has timing lines or none. first is the line
// number of text's first line less one.
func countLines(out *sink, text string, first int, speakers map[string]bool) {
	lines := strings.Split(text, "\n")
	blank := func(i int) bool { return i < 0 || i >= len(lines) || strings.TrimSpace(lines[i]) == "" }
	timing := make([]bool, len(lines))
	hasTiming := false
	for i, l := range lines {
		if strings.Contains(l, "->") && timingRe.MatchString(l) {
			timing[i], hasTiming = true, true
		}
	}
	vtt := false
	for i := range lines {
		if !blank(i) {
			vtt = strings.HasPrefix(strings.TrimSpace(lines[i]), "WEBVTT")
			break
		}
	}
	// The body starts at the first timing line, timestamp or speaker label;
	// what is before it is front matter (when there is a body at all).
	body := -1
	for i, l := range lines {
		t := strings.TrimSpace(l)
		if timing[i] || t != "" && stampTok.FindStringIndex(t) != nil && stampTok.FindStringIndex(t)[0] == 0 {
			body = i
			break
		}
		if ws := speechWords(t); len(ws) > 0 {
			if rest := lineWords(t, speakers); len(rest) < len(ws) && (len(rest) == 0 || strings.Contains(t[:min(len(t), 80)], ":")) {
				body = i // a speaker's turn
				break
			}
		}
	}
	var prevBlock, curBlock []string // normalised text lines of the previous and current cue
	skip := false                    // inside a header, NOTE, STYLE or REGION block
	inCue := false
	for i, l := range lines {
		t := strings.TrimSpace(l)
		if t == "" {
			skip = false
			continue
		}
		if vtt && !inCue && !timing[i] {
			continue // WebVTT's header, NOTE, STYLE and REGION blocks come before the first cue
		}
		if vtt && blank(i-1) {
			for _, kw := range []string{"NOTE", "STYLE", "REGION"} {
				if t == kw || strings.HasPrefix(t, kw+" ") || strings.HasPrefix(t, kw+"\t") {
					skip = true
				}
			}
		}
		if skip {
			continue
		}
		if timing[i] {
			if inCue || curBlock != nil {
				prevBlock = curBlock
			}
			curBlock, inCue = nil, true
			continue
		}
		if i+1 < len(lines) && timing[i+1] && (blank(i-1) || onlyDigits(t)) {
			continue // a cue number or identifier
		}
		if onlyDigits(t) {
			continue // numbering: a cue or page number
		}
		rule := ""
		switch {
		case body > 0 && i < body:
			rule = "front"
		case strings.HasPrefix(t, "#") && strings.TrimLeft(t, "#") != t && (strings.HasPrefix(strings.TrimLeft(t, "#"), " ") || strings.TrimLeft(t, "#") == ""):
			rule = "heading"
		}
		ws := lineWords(t, speakers)
		if hasTiming && inCue {
			key := strings.Join(ws, " ")
			for _, p := range prevBlock {
				if p == key && key != "" {
					rule = "repeat"
				}
			}
			curBlock = append(curBlock, key)
		}
		out.add(ws, first+i+1, rule)
	}
}

func hasASSSection(text string) bool {
	for n := 0; n < 400 && text != ""; n++ {
		l, rest, _ := strings.Cut(text, "\n")
		text = rest
		if l = strings.TrimSpace(l); !strings.HasPrefix(l, "[") {
			continue
		}
		switch strings.ToLower(l) {
		case "[script info]", "[events]", "[v4+ styles]", "[v4 styles]":
			return true
		}
	}
	return false
}

// countASS counts the text of Dialogue events: everything after the
// fields the [Events] Format line names before Text (9 by default).
func countASS(out *sink, text string, speakers map[string]bool) {
	section := ""
	fields := 10
	for i, l := range strings.Split(text, "\n") {
		t := strings.TrimSpace(l)
		if strings.HasPrefix(t, "[") && strings.HasSuffix(t, "]") {
			section = strings.ToLower(t)
			continue
		}
		if section != "[events]" {
			continue
		}
		key, rest, ok := strings.Cut(t, ":")
		if !ok {
			continue
		}
		switch strings.ToLower(strings.TrimSpace(key)) {
		case "format":
			fields = len(strings.Split(rest, ","))
		case "dialogue", "comment":
			vals := strings.SplitN(rest, ",", fields)
			if len(vals) < fields {
				continue
			}
			rule := ""
			if strings.EqualFold(strings.TrimSpace(key), "comment") {
				rule = "comment"
			}
			for _, part := range assParts(vals[fields-1]) {
				r := rule
				if part.drawing {
					r = "drawing"
				}
				out.add(lineWords(part.text, speakers), i+1, r)
			}
		}
	}
}

type assPart struct {
	text    string
	drawing bool
}

var drawingRe = regexp.MustCompile(`\\p(\d+)`)

// assParts splits an event's text at override blocks, marking the stretches
// that a \p1 (or higher) block turns into a vector drawing.
func assParts(s string) []assPart {
	var parts []assPart
	drawing := false
	for {
		i := strings.IndexByte(s, '{')
		if i < 0 {
			break
		}
		j := strings.IndexByte(s[i:], '}')
		if j < 0 {
			break
		}
		parts = append(parts, assPart{s[:i], drawing})
		for _, m := range drawingRe.FindAllStringSubmatch(s[i:i+j], -1) {
			drawing = m[1] != "0"
		}
		s = s[i+j+1:]
	}
	return append(parts, assPart{s, drawing})
}

// countJSON counts the "text" string values of a JSON transcript (and the
// "value" of {"type": "text"} elements). Several renderings of the same
// speech are common (a whole text, its segments, its words or tokens): the
// shallowest list of them is counted, and of lists as shallow, the one with
// the most words.
func countJSON(out *sink, text string) {
	type val struct {
		s    string
		line int
	}
	groups := map[string][]val{}
	depth := map[string]int{}
	dec := json.NewDecoder(strings.NewReader(text))
	lc := &lineCounter{text: text}
	lineAt := lc.at
	type frame struct {
		root    bool
		obj     bool
		key     string // the key whose value comes next, in an object
		wantKey bool
		path    string
		arrays  int
		typ     string
		value   *val
	}
	stack := []frame{{root: true}}
	for {
		off := dec.InputOffset()
		tok, err := dec.Token()
		if err != nil {
			break
		}
		top := &stack[len(stack)-1]
		if top.obj && top.wantKey {
			if d, ok := tok.(json.Delim); ok && d == '}' {
				f := stack[len(stack)-1]
				stack = stack[:len(stack)-1]
				if f.typ == "text" && f.value != nil {
					p := f.path + ".value"
					groups[p] = append(groups[p], *f.value)
					depth[p] = f.arrays
				}
				if len(stack) > 0 && stack[len(stack)-1].obj {
					stack[len(stack)-1].wantKey = true
				}
				continue
			}
			top.key, _ = tok.(string)
			top.wantKey = false
			continue
		}
		path, arrays := top.path, top.arrays
		if top.obj {
			path += "." + top.key
		} else if !top.root {
			path += "[]"
			arrays++
		}
		switch t := tok.(type) {
		case json.Delim:
			switch t {
			case '{':
				stack = append(stack, frame{obj: true, wantKey: true, path: path, arrays: arrays})
			case '[':
				stack = append(stack, frame{path: path, arrays: arrays})
			case ']':
				if len(stack) > 1 {
					stack = stack[:len(stack)-1]
				}
				if len(stack) > 0 && stack[len(stack)-1].obj {
					stack[len(stack)-1].wantKey = true
				}
			}
			continue
		case string:
			if top.obj {
				switch top.key {
				case "text":
					groups[path] = append(groups[path], val{t, lineAt(off)})
					depth[path] = arrays
				case "type":
					top.typ = t
				case "value":
					top.value = &val{t, lineAt(off)}
				}
			}
		}
		if top.obj {
			top.wantKey = true
		}
	}
	best, bestDepth, bestN := "", 1<<30, -1
	for p, vs := range groups {
		d := depth[p]
		if d == 0 {
			d = 1 << 20 // a lone "text": only when no list has any
		}
		n := 0
		for _, v := range vs {
			n += len(speechWords(v.s))
		}
		if d < bestDepth || d == bestDepth && (n > bestN || n == bestN && p < best) {
			best, bestDepth, bestN = p, d, n
		}
	}
	for _, v := range groups[best] {
		out.add(speechWords(v.s), v.line, "")
	}
}

// countXML counts an XML transcript: an oral-history record's transcript
// element (itself text or WebVTT) when there is one, else the character
// data of the body (TTML), line breaks and block elements between words.
func countXML(out *sink, text string, speakers map[string]bool) error {
	dec := xml.NewDecoder(strings.NewReader(text))
	dec.Strict = false
	dec.Entity = xml.HTMLEntity
	dec.AutoClose = xml.HTMLAutoClose
	type chunk = textChunk
	var transcript, vtt, body []chunk
	var stack []string
	in := func(name string) bool {
		for _, s := range stack {
			if s == name {
				return true
			}
		}
		return false
	}
	lc := &lineCounter{text: text}
	lineOf := lc.at
	for {
		off := dec.InputOffset()
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			n := strings.ToLower(t.Name.Local)
			stack = append(stack, n)
			switch n {
			case "br", "p", "div":
				body = append(body, chunk{"\n", lineOf(off)})
			}
		case xml.EndElement:
			if len(stack) > 0 {
				stack = stack[:len(stack)-1]
			}
			switch strings.ToLower(t.Name.Local) {
			case "p", "div":
				body = append(body, chunk{"\n", lineOf(off)})
			}
		case xml.CharData:
			c := chunk{string(t), lineOf(off)}
			switch {
			case in("vtt_transcript"):
				vtt = append(vtt, c)
			case in("transcript"):
				transcript = append(transcript, c)
			case in("body") && !in("metadata") && !in("head") && !in("styling") && !in("layout"):
				body = append(body, c)
			}
		}
	}
	join := func(cs []chunk) (string, int) {
		var b strings.Builder
		for _, c := range cs {
			b.WriteString(c.s)
		}
		if len(cs) == 0 {
			return "", 0
		}
		return b.String(), cs[0].line - 1
	}
	if s, first := join(vtt); strings.TrimSpace(s) != "" {
		countLines(out, s, first, speakers)
		return nil
	}
	if s, first := join(transcript); strings.TrimSpace(s) != "" {
		countLines(out, html.UnescapeString(s), first, speakers)
		return nil
	}
	for _, c := range joinChunks(body) {
		out.add(lineWords(c.s, speakers), c.line, "")
	}
	return nil
}

type textChunk struct {
	s    string
	line int
}

// joinChunks joins character data into lines at the "\n" chunks, so a
// word split over two spans stays one word.
func joinChunks(cs []textChunk) []textChunk {
	var out []textChunk
	var b strings.Builder
	line := 0
	for _, c := range cs {
		if c.s == "\n" {
			if b.Len() > 0 {
				out = append(out, textChunk{b.String(), line})
			}
			b.Reset()
			line = 0
			continue
		}
		if line == 0 {
			line = c.line
		}
		b.WriteString(c.s)
	}
	if b.Len() > 0 {
		out = append(out, textChunk{b.String(), line})
	}
	return out
}

// lineCounter turns growing byte offsets into line numbers without
// rescanning the text.
type lineCounter struct {
	text string
	off  int
	line int
}

func (lc *lineCounter) at(off int64) int {
	o := min(max(int(off), lc.off), len(lc.text))
	lc.line += strings.Count(lc.text[lc.off:o], "\n")
	lc.off = o
	return lc.line + 1
}

// countTable counts a delimited table (CSV, TSV) whose first line is a
// header: every field but the header's, numbers and times, and a field
// that is a speaker's name.
func countTable(out *sink, text string, speakers map[string]bool) bool {
	first, _, _ := strings.Cut(text, "\n")
	for _, d := range []rune{'\t', ';', ','} {
		head := strings.Split(first, string(d))
		if len(head) < 2 {
			continue
		}
		good := true
		for _, h := range head {
			h = strings.Trim(strings.TrimSpace(h), `"`)
			if h == "" || len(h) > 30 || !strings.ContainsFunc(h, unicode.IsLetter) {
				good = false
			}
		}
		if !good {
			continue
		}
		r := csv.NewReader(strings.NewReader(text))
		r.Comma, r.FieldsPerRecord, r.LazyQuotes, r.ReuseRecord = d, -1, true, true
		rows, same := 0, 0
		var err error
		for {
			var rec []string
			if rec, err = r.Read(); err != nil {
				break
			}
			if rows > 0 && len(rec) == len(head) {
				same++
			}
			rows++
		}
		if !errors.Is(err, io.EOF) || rows < 2 || same*10 < (rows-1)*9 {
			continue
		}
		// Line numbers: read again with positions.
		r = csv.NewReader(strings.NewReader(text))
		r.Comma, r.FieldsPerRecord, r.LazyQuotes = d, -1, true
		for n := 0; ; n++ {
			rec, err := r.Read()
			if err != nil {
				break
			}
			if n == 0 {
				continue // the header
			}
			for k, f := range rec {
				line, _ := r.FieldPos(k)
				ws := speechWords(f)
				if len(ws) == 0 || isNumeric(f) || speakers[labelKey(f)] {
					continue
				}
				out.add(ws, line, "")
			}
		}
		return true
	}
	return false
}

func isNumeric(s string) bool {
	s = strings.TrimSpace(s)
	if s == "" {
		return false
	}
	if _, err := strconv.ParseFloat(strings.ReplaceAll(s, ",", "."), 64); err == nil {
		return true
	}
	return stampTok.FindString(s) == s
}

// countDOCX counts the w:t runs of a Word document's body, a paragraph a line.
func countDOCX(out *sink, data []byte, speakers map[string]bool) error {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return err
	}
	for _, f := range zr.File {
		if f.Name != "word/document.xml" {
			continue
		}
		rc, err := f.Open()
		if err != nil {
			return err
		}
		defer rc.Close()
		dec := xml.NewDecoder(io.LimitReader(rc, maxDOCXText+1))
		var b strings.Builder
		inT := false
		for {
			tok, err := dec.Token()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				return err
			}
			switch t := tok.(type) {
			case xml.StartElement:
				switch t.Name.Local {
				case "t":
					inT = true
				case "tab":
					b.WriteByte(' ')
				case "br", "cr":
					b.WriteByte('\n')
				}
			case xml.EndElement:
				switch t.Name.Local {
				case "t":
					inT = false
				case "p":
					b.WriteByte('\n')
				}
			case xml.CharData:
				if inT {
					b.Write(t)
				}
			}
		}
		countLines(out, b.String(), 0, speakers)
		return nil
	}
	return errors.New("no word/document.xml")
}
