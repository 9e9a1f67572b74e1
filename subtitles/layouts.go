package subtitles

import (
	"regexp"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Layout names the way a transcription tool lays out its export, inside a
// file format: an Otter.ai text file and a plain interview transcript are
// both FormatTranscript, but read differently.
type Layout string

// The layouts recuerdo recognises from a file's content.
const (
	// LayoutOtter is a head line "Name  0:03" (or only the name, or only
	// the time) and the turn's paragraph below: Otter.ai, and the newer
	// DOCX transcripts of meeting tools.
	LayoutOtter Layout = "otter"
	// LayoutRev is "Name (00:01):" or "Name: 00:00:01" (or "Name:" alone)
	// over the paragraph, with tags such as [crosstalk 00:01:02]: Rev.
	LayoutRev Layout = "rev"
	// LayoutTrint is "Name [00:01:02] text" on one line: Trint.
	LayoutTrint Layout = "trint"
	// LayoutSonix is "Name: [00:01:02] text" on one line: Sonix.
	LayoutSonix Layout = "sonix"
	// LayoutDescript is "[00:01:02] Name: text" on one line: Descript.
	LayoutDescript Layout = "descript"
	// LayoutHappyScribe is "[00:01:02.10] - Name" over the paragraph: Happy Scribe.
	LayoutHappyScribe Layout = "happyscribe"
	// LayoutMeeting is a timing line "0:0:5.900 --> 0:0:8.930" or a bare
	// start "0:0:9.490", then the speaker's name on a line, then the text:
	// meeting tools' text and older DOCX transcripts.
	LayoutMeeting Layout = "meeting"
	// LayoutYouTube is YouTube's automatic captions in WebVTT: rolling
	// lines repeated from cue to cue, words timed inline.
	LayoutYouTube Layout = "youtube"
	// LayoutSpeakerLabels is subtitles whose cues start with the speaker's
	// name: "Name: text" (Zoom's transcript VTT) or "[SPEAKER_01]: text"
	// (WhisperX SRT).
	LayoutSpeakerLabels Layout = "speaker-labels"
)

const (
	// minLayoutConfidence is the share of a file's paragraphs that must
	// fit a layout for the file to be read in it.
	minLayoutConfidence = 0.6
	// maxPreamble bounds the lines before the first turn kept as a header.
	maxPreamble = 8
	// orphanWeight is what a paragraph after a turn's first one weighs
	// against the heads: a turn may run to several paragraphs, but prose
	// with a few head-like lines has many more paragraphs than heads.
	orphanWeight = 0.25
	// maxDetectLines is how many lines the layout is told from.
	maxDetectLines = 2000
)

var (
	// A stamp as the tools write it: 0:03, 12:03, 1:02:03, 00:01:02.50.
	layoutTime = `(\d{1,2}(?::\d{2}){1,2}(?:[.,]\d{1,3})?)`
	// A meeting tool's time, unpadded: 0:0:5.900, 1:02:03.250.
	meetingTime = `(\d{1,2}:\d{1,2}:\d{1,2}(?:[.,]\d{1,3})?)`
	// A name before a stamp: no brackets, parentheses or colons.
	layoutName = `([^\[\]():\t]{1,60}?)`

	otterHead    = regexp.MustCompile(`^([^\[\]:\t]{1,60}?)[ \t]+(\d{1,2}:\d{2}(?::\d{2})?)$`)
	otterBare    = regexp.MustCompile(`^(\d{1,2}:\d{2}(?::\d{2})?)$`)
	revHead      = regexp.MustCompile(`^` + layoutName + `\s*\(` + layoutTime + `\):\s*(.*)$`)
	revOld       = regexp.MustCompile(`^` + layoutName + `:\s+` + layoutTime + `$`)
	revBare      = regexp.MustCompile(`^` + layoutName + `:$`)
	trintHead    = regexp.MustCompile(`^` + layoutName + `\s+\[` + layoutTime + `\]\s*(.*)$`)
	sonixHead    = regexp.MustCompile(`^` + layoutName + `:\s*\[` + layoutTime + `\]\s*(.*)$`)
	descriptHead = regexp.MustCompile(`^\[` + layoutTime + `\]\s*` + layoutName + `:\s+(.*)$`)
	happyHead    = regexp.MustCompile(`^\[` + layoutTime + `\]\s+-\s*(.*)$`)
	meetingFull  = regexp.MustCompile(`^` + meetingTime + `\s*-->\s*` + meetingTime + `$`)
	meetingBare  = regexp.MustCompile(`^` + meetingTime + `$`)
	// inlineStamp is a time inside a turn's text: a tag with its time,
	// "[crosstalk 00:01:02]", or a bare "[00:01:02]".
	inlineStamp = regexp.MustCompile(`\[(?:([\p{L}][\p{L} '’-]*?)\s+)?` + layoutTime + `\]`)
	// otterFooter is the line Otter.ai ends its exports with.
	otterFooter = regexp.MustCompile(`^Transcribed by https?://otter\.ai/?$`)
)

// head is what a turn's head line says.
type head struct {
	speaker    string
	start, end time.Duration
	hasStart   bool
	hasEnd     bool
	rest       string // text after the head on the same line
	nameNext   bool   // the speaker's name is on the next line
}

// textLayout is one layout of text transcripts: how to read a head line.
type textLayout struct {
	layout Layout
	// match reads line as a head; afterBlank tells whether a blank line
	// (or the start of the file) comes before it.
	match func(line string, afterBlank bool) (head, bool)
}

// withStamp fills a head's start from a stamp, failing on a bad one.
func withStamp(h head, stamp string) (head, bool) {
	d, err := parseStamp(stamp)
	if err != nil {
		return h, false
	}
	h.start, h.hasStart = d, true
	return h, true
}

var textLayouts = []textLayout{
	{LayoutOtter, func(l string, afterBlank bool) (head, bool) {
		if m := otterHead.FindStringSubmatch(l); m != nil && nameLike(m[1]) {
			return withStamp(head{speaker: strings.TrimSpace(m[1])}, m[2])
		}
		if m := otterBare.FindStringSubmatch(l); m != nil && afterBlank {
			return withStamp(head{}, m[1])
		}
		if afterBlank && nameLike(l) {
			return head{speaker: strings.TrimSpace(l)}, true
		}
		return head{}, false
	}},
	{LayoutRev, func(l string, _ bool) (head, bool) {
		if m := revHead.FindStringSubmatch(l); m != nil && nameLike(m[1]) {
			return withStamp(head{speaker: strings.TrimSpace(m[1]), rest: m[3]}, m[2])
		}
		if m := revOld.FindStringSubmatch(l); m != nil && nameLike(m[1]) {
			return withStamp(head{speaker: strings.TrimSpace(m[1])}, m[2])
		}
		if m := revBare.FindStringSubmatch(l); m != nil && nameLike(m[1]) {
			return head{speaker: strings.TrimSpace(m[1])}, true
		}
		return head{}, false
	}},
	{LayoutTrint, func(l string, _ bool) (head, bool) {
		if m := trintHead.FindStringSubmatch(l); m != nil && nameLike(m[1]) {
			return withStamp(head{speaker: strings.TrimSpace(m[1]), rest: m[3]}, m[2])
		}
		return head{}, false
	}},
	{LayoutSonix, func(l string, _ bool) (head, bool) {
		if m := sonixHead.FindStringSubmatch(l); m != nil && nameLike(m[1]) {
			return withStamp(head{speaker: strings.TrimSpace(m[1]), rest: m[3]}, m[2])
		}
		return head{}, false
	}},
	{LayoutDescript, func(l string, _ bool) (head, bool) {
		if m := descriptHead.FindStringSubmatch(l); m != nil && nameLike(m[2]) {
			return withStamp(head{speaker: strings.TrimSpace(m[2]), rest: m[3]}, m[1])
		}
		return head{}, false
	}},
	{LayoutHappyScribe, func(l string, _ bool) (head, bool) {
		if m := happyHead.FindStringSubmatch(l); m != nil && nameLike(m[2]) {
			return withStamp(head{speaker: strings.TrimSpace(m[2])}, m[1])
		}
		return head{}, false
	}},
	{LayoutMeeting, func(l string, _ bool) (head, bool) {
		if m := meetingFull.FindStringSubmatch(l); m != nil {
			h, ok := withStamp(head{nameNext: true}, m[1])
			if e, err := parseStamp(m[2]); ok && err == nil && e >= h.start {
				h.end, h.hasEnd = e, true
			}
			return h, ok
		}
		if m := meetingBare.FindStringSubmatch(l); m != nil {
			return withStamp(head{nameNext: true}, m[1])
		}
		return head{}, false
	}},
}

// nameParticles may start a word of a name in lower case.
var nameParticles = map[string]bool{"de": true, "del": true, "la": true, "las": true, "los": true, "y": true, "van": true, "von": true, "da": true, "di": true, "du": true, "le": true, "of": true}

// nameLike reports whether s reads as a speaker's name as tools write
// them: "Speaker 1", "Unknown Speaker", "SPEAKER_01", "Smith, John",
// "Dra. Ana de la Cruz", "Ana Ruiz (Guest)"; not a sentence.
func nameLike(s string) bool {
	s = strings.TrimSpace(s)
	if s == "" || utf8.RuneCountInString(s) > 40 {
		return false
	}
	words := strings.Fields(s)
	if len(words) > 5 {
		return false
	}
	if r, _ := utf8.DecodeLastRuneInString(s); strings.ContainsRune(",;:?!…\"”»", r) {
		return false
	}
	if r, _ := utf8.DecodeRuneInString(s); !unicode.IsLetter(r) {
		return false
	}
	letters := 0
	for _, r := range s {
		switch {
		case unicode.IsLetter(r):
			letters++
		case unicode.IsDigit(r), r == ' ', r == '.', r == '\'', r == '’', r == '-', r == ',', r == '_', r == '(', r == ')':
		default:
			return false
		}
	}
	if letters < 2 {
		return false
	}
	for _, w := range words {
		r, _ := utf8.DecodeRuneInString(strings.TrimLeft(w, "("))
		if !unicode.IsUpper(r) && !unicode.IsDigit(r) && !nameParticles[strings.TrimRight(w, ",")] {
			return false
		}
	}
	// A last word ending in a period is a sentence ("Yes I did."), unless
	// the name is a single honorific-like word ("Dr.") or an initial ("John D.").
	if last := words[len(words)-1]; strings.HasSuffix(last, ".") && utf8.RuneCountInString(last) > 2 {
		return false
	}
	return true
}

// layoutScore is how well a text fits a layout.
type layoutScore struct {
	layout     *textLayout
	heads      int
	orphans    float64 // paragraphs outside any turn's head and first paragraph, weighed
	names      int     // meeting: heads whose next line is a name
	numbered   int     // heads right after a line holding only a number (subtitles)
	distinct   int     // distinct speakers named
	confidence float64 // heads / (heads + orphans)
}

// scoreLayout walks the lines as lay would read them.
func scoreLayout(lay *textLayout, lines []string) layoutScore {
	s := layoutScore{layout: lay}
	speakers := map[string]bool{}
	afterBlank, inPara := true, false
	pending, preamble := 0, 0
	nameDue, number := false, false
	for _, raw := range lines {
		l := strings.TrimSpace(raw)
		if l == "" {
			afterBlank, inPara = true, false
			continue
		}
		after := number
		number = digits.MatchString(l)
		if h, ok := lay.match(l, afterBlank); ok && !(pending > 0 && lay.layout == LayoutOtter && h.speaker != "" && !h.hasStart) {
			s.heads++
			if after {
				s.numbered++
			}
			if h.speaker != "" {
				speakers[h.speaker] = true
			}
			pending, nameDue = 0, false
			if h.rest == "" {
				pending = 1
			}
			if h.nameNext {
				pending, nameDue = 2, true
			}
			afterBlank, inPara = false, true
			continue
		}
		switch {
		case pending > 0:
			if nameDue {
				if nameLike(l) {
					s.names++
					speakers[l] = true
				}
				nameDue = false
			}
			pending--
			inPara = true
		case inPara && !afterBlank:
			// a wrapped line of the same paragraph
		case s.heads == 0 && preamble < maxPreamble:
			preamble++
		case otterFooter.MatchString(l):
		case s.heads == 0:
			s.orphans++ // prose before any turn
			inPara = true
		default:
			// A further paragraph of a turn, or prose between turns:
			// long turns run to several paragraphs under one head.
			s.orphans += orphanWeight
			inPara = true
		}
		afterBlank = false
	}
	s.distinct = len(speakers)
	if s.heads > 0 {
		s.confidence = float64(s.heads) / (float64(s.heads) + s.orphans)
	}
	return s
}

// detectTextLayout finds the layout a text transcript is written in, and
// how sure it is (the share of its paragraphs that fit). It returns nil
// when no layout fits enough of the file: a few stray lines that look
// like heads do not make a layout.
func detectTextLayout(text string) (*textLayout, float64) {
	// The first lines tell the layout; a file changes none midway.
	lines := strings.SplitN(text, "\n", maxDetectLines+1)
	if len(lines) > maxDetectLines {
		lines = lines[:maxDetectLines]
	}
	var best layoutScore
	for i := range textLayouts {
		s := scoreLayout(&textLayouts[i], lines)
		if s.heads < 2 || s.confidence < minLayoutConfidence {
			continue
		}
		switch s.layout.layout {
		case LayoutMeeting:
			// Most timing lines are followed by a name, and the file is
			// not subtitles: those number their cues, so the numbers
			// would be orphans.
			if s.names*10 < s.heads*6 || s.numbered*2 >= s.heads {
				continue
			}
		case LayoutOtter, LayoutRev:
			// Names alone on a line must come back: a speaker speaks
			// more than once, a section title does not.
			if s.distinct*2 > s.heads && !hasStampedHeads(s.layout, lines) {
				continue
			}
		}
		if best.layout == nil || s.confidence > best.confidence || s.confidence == best.confidence && s.heads > best.heads {
			best = s
		}
	}
	return best.layout, best.confidence
}

// hasStampedHeads reports whether most of the heads lay finds carry a time.
func hasStampedHeads(lay *textLayout, lines []string) bool {
	heads, stamped := 0, 0
	afterBlank := true
	for _, raw := range lines {
		l := strings.TrimSpace(raw)
		if l == "" {
			afterBlank = true
			continue
		}
		if h, ok := lay.match(l, afterBlank); ok {
			heads++
			if h.hasStart {
				stamped++
			}
		}
		afterBlank = false
	}
	return heads > 0 && stamped*2 > heads
}

// DetectLayout names the layout of a text transcript and the share of its
// paragraphs that fit it, or "" and 0 when none fits.
func DetectLayout(text string) (Layout, float64) {
	lay, conf := detectTextLayout(text)
	if lay == nil {
		return "", 0
	}
	return lay.layout, conf
}

// readLayout reads a text transcript in the given layout: each turn a
// paragraph with its speaker and, when the file gives it, its start (and
// end); turns without a time get one interpolated by characters and are
// marked estimated. Lines before the first turn are a header.
func readLayout(name string, lay *textLayout, text string) (*Track, error) {
	t := &Track{Format: FormatTranscript, Header: map[string]string{}, Layout: lay.layout}
	lines := strings.Split(strings.ReplaceAll(text, "\ufeff", ""), "\n")
	var (
		paras []tpara
		ends  = map[int]time.Duration{} // para index → end given by the file
		cur   *tpara
		body  []string
		end   time.Duration
		hasE  bool
	)
	size := 0 // of the turn's text so far
	flush := func() error {
		if cur == nil {
			return nil
		}
		ps := splitInline(*cur, strings.Join(body, " "))
		if len(ps) == 1 && hasE {
			ends[len(paras)] = end
		}
		if len(paras)+len(ps) > limits.cues {
			return tooManyCues(name, cur.line)
		}
		paras = append(paras, ps...)
		cur, body, hasE, size = nil, nil, false, 0
		return nil
	}
	add := func(l string, n int) error {
		if size += len(l) + 1; size > limits.text {
			return textTooLong(name, n, "turn")
		}
		body = append(body, l)
		return nil
	}
	// A name alone on a line heads a turn only if it comes back: a short
	// paragraph ("Yes.", "Thank You") is not a speaker.
	names := map[string]int{}
	if lay.layout == LayoutOtter {
		blank := true
		for _, raw := range lines {
			l := strings.TrimSpace(raw)
			if h, ok := lay.match(l, blank); ok && l != "" && h.speaker != "" && !h.hasStart {
				names[h.speaker]++
			}
			blank = l == ""
		}
	}
	afterBlank := true
	nameDue, pending := false, 0
	seenHead := false
	var preamble []string
	preSize := 0
	for n, raw := range lines {
		l := strings.TrimSpace(raw)
		if l == "" {
			afterBlank = true
			continue
		}
		if h, ok := lay.match(l, afterBlank); ok && !(lay.layout == LayoutOtter && h.speaker != "" && !h.hasStart && (pending > 0 || names[h.speaker] < 2)) {
			if err := flush(); err != nil {
				return nil, err
			}
			seenHead = true
			cur = &tpara{speaker: h.speaker, stamp: h.start, has: h.hasStart, line: n + 1}
			end, hasE = h.end, h.hasEnd
			if h.rest != "" {
				if err := add(h.rest, n+1); err != nil {
					return nil, err
				}
			}
			pending, nameDue = 0, h.nameNext
			if h.rest == "" {
				pending = 1
			}
			afterBlank = false
			continue
		}
		afterBlank = false
		if nameDue {
			nameDue = false
			if nameLike(l) {
				cur.speaker = l
				continue
			}
		}
		if pending > 0 {
			pending--
		}
		if !seenHead {
			if preSize += len(l) + 1; preSize > limits.text {
				return nil, textTooLong(name, n+1, "text before the first turn")
			}
			preamble = append(preamble, l)
			continue
		}
		if otterFooter.MatchString(l) {
			t.Header["FOOTER"] = l
			continue
		}
		if err := add(l, n+1); err != nil {
			return nil, err
		}
	}
	if err := flush(); err != nil {
		return nil, err
	}
	if err := preambleHeader(name, t.Header, preamble, &paras); err != nil {
		return nil, err
	}
	for i, p := range paras {
		// "RAMÓN" reads as "Ramón", as in other transcripts; labels
		// such as "SPEAKER_01" stay as they are.
		if isAllUpper(p.speaker) && hasLetters(p.speaker, 2) && !strings.ContainsAny(p.speaker, "_0123456789") {
			paras[i].speaker = titleCase(p.speaker)
		}
	}
	cues := timeParagraphs(paras)
	for i, e := range ends {
		if e >= cues[i].Start {
			cues[i].End = e
		}
	}
	t.Cues = cues
	return t, nil
}

// preambleHeader files the lines before the first turn as the general
// transcript reader does (INTERVIEWEE:, DATE:, a summary); more than a
// header's worth of lines is speech without a turn of its own.
func preambleHeader(name string, h map[string]string, lines []string, paras *[]tpara) error {
	if len(lines) > maxPreamble {
		*paras = append([]tpara{{text: strings.Join(lines, " "), line: 1}}, *paras...)
		return nil
	}
	return readHeader(name, h, lines)
}

// splitInline cuts a turn's text at the times inside it ("[crosstalk
// 00:01:02]", "[00:01:02]"): the text after one starts at that time. A
// tag keeps its words ("[crosstalk]"), the time goes.
func splitInline(p tpara, text string) []tpara {
	text = strings.Join(strings.Fields(text), " ")
	var out []tpara
	at := 0
	for _, loc := range inlineStamp.FindAllStringSubmatchIndex(text, -1) {
		d, err := parseStamp(text[loc[4]:loc[5]])
		if err != nil {
			continue
		}
		p.text += text[at:loc[0]]
		if strings.TrimSpace(p.text) != "" {
			p.text = strings.TrimSpace(p.text)
			out = append(out, p)
			p = tpara{speaker: p.speaker, line: p.line}
		}
		p.stamp, p.has = d, true
		if loc[2] >= 0 {
			p.text = "[" + text[loc[2]:loc[3]] + "]"
		}
		at = loc[1]
	}
	p.text = strings.TrimSpace(p.text + text[at:])
	p.text = strings.Join(strings.Fields(p.text), " ")
	if p.text != "" {
		out = append(out, p)
	}
	return out
}

// readTextTranscript reads a text transcript (plain text, Markdown or a
// Word document's paragraphs): in a tool's layout when one fits the
// content, else with the general transcript reader; long turns are then
// cut into moments.
func readTextTranscript(name, text string) (*Track, error) {
	var t *Track
	var err error
	if lay, _ := detectTextLayout(text); lay != nil {
		t, err = readLayout(name, lay, text)
	} else {
		t, err = readTranscript(name, text)
	}
	if err != nil {
		return nil, err
	}
	t.Cues = splitMoments(t.Cues)
	if len(t.Cues) > limits.cues {
		return nil, tooManyCues(name, 0)
	}
	return t, nil
}

// readOwn reads the formats recuerdo reads by itself, with the layouts
// tools write in them: transcripts (in a tool's layout or not), CSV,
// Whisper JSON of any length, SSA/ASS, SRT and WebVTT (YouTube's
// automatic captions, speaker names before the text). ok is false for
// the formats left to go-astisub.
func readOwn(name, text string, format Format) (t *Track, ok bool, err error) {
	switch format {
	case FormatTranscript:
		if t, err = readTextTranscript(name, text); err == nil {
			inheritSpeakers(t.Cues)
		}
	case FormatCSV:
		if t, err = readCSV(name, text); err == nil {
			if t.Cues = splitMoments(t.Cues); len(t.Cues) > limits.cues {
				t, err = nil, tooManyCues(name, 0)
			}
		}
	case FormatWhisper:
		t, err = readWhisper(name, text)
	case FormatSSA:
		t, err = readSSA(name, text)
	case FormatWebVTT, FormatSRT:
		if format == FormatWebVTT && isYouTubeVTT(text) {
			t, err = readYouTube(name, text)
			break
		}
		if t, err = readSRTVTT(name, text, format); err == nil {
			labelSpeakers(t)
			inheritSpeakers(t.Cues)
		}
	default:
		return nil, false, nil
	}
	if err != nil {
		return nil, true, err
	}
	return t, true, nil
}
