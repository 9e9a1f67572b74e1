package subtitles

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestSRTVTTKeepsEveryWord reads files with the quirks that used to lose
// words and checks that the words of the speech come out, in order.
func TestSRTVTTKeepsEveryWord(t *testing.T) {
	tests := []struct {
		name, file, in string
		speech         string // every word of the speech, in order
		cues           int
	}{
		{
			name: "blank line between timing line and text", file: "a.srt", cues: 2,
			in:     "1\n00:00:01,000 --> 00:00:02,000\n\nHola, abuelo.\n\n2\n00:00:03,000 --> 00:00:04,000\nAdiós.\n",
			speech: "Hola, abuelo. Adiós.",
		},
		{
			name: "text after a blank line inside a cue", file: "a.srt", cues: 2,
			in:     "1\n00:00:01,000 --> 00:00:02,000\nPrimera parte,\n\nsegunda parte.\n\n2\n00:00:03,000 --> 00:00:04,000\nFin.\n",
			speech: "Primera parte, segunda parte. Fin.",
		},
		{
			name: "two languages split by a blank line", file: "a.srt", cues: 2,
			in:     "1\n00:00:01,000 --> 00:00:02,000 X1:10 X2:20\n我们回家了\n\nWe went home.\n\n2\n00:00:03,000 --> 00:00:04,000\n好\n\nGood.\n",
			speech: "我们回家了 We went home. 好 Good.",
		},
		{
			name: "missing cue numbers and blank lines", file: "a.srt", cues: 3,
			in:     "00:00:01,000 --> 00:00:02,000\nSin número.\n00:00:03,000 --> 00:00:04,000\nTampoco.\n\n3\n00:00:05,000 --> 00:00:06,000\n1984\n",
			speech: "Sin número. Tampoco. 1984",
		},
		{
			name: "entities and tags", file: "a.srt", cues: 1,
			in:     "1\n00:00:01,000 --> 00:00:02,000\nwe&#39;re <font color=\"#ffff00\">home</font> &amp; {\\an8}<b>dry</b>\n",
			speech: "we're home & dry",
		},
		{
			name: "a line holding only a space", file: "a.vtt", cues: 2,
			in:     "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n \nLa línea de arriba tiene un espacio.\n\n00:00:03.000 --> 00:00:04.000\n\t\nY esta un tabulador.\n",
			speech: "La línea de arriba tiene un espacio. Y esta un tabulador.",
		},
		{
			name: "vtt identifiers, notes, styles and continued text", file: "a.vtt", cues: 2,
			in:     "WEBVTT\nKind: captions\n\nSTYLE\n::cue { color: yellow }\n\nNOTE no es parte del habla\n\nid-uno\n00:00:01.000 --> 00:00:02.000 line:90%\n<i>Cursiva</i> y&nbsp;espacio &lt;3\n\nsigue aquí.\n\nNOTE\notra nota\n\n2\n00:00:03.000 --> 00:00:04.000\nNOTE que el autobús salió a las seis.\n",
			speech: "Cursiva y espacio <3 sigue aquí. NOTE que el autobús salió a las seis.",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tr, err := Read(tt.file, []byte(tt.in))
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, c := range tr.Cues {
				got = append(got, c.Text)
			}
			if len(tr.Cues) != tt.cues {
				t.Errorf("got %d cues, want %d: %q", len(tr.Cues), tt.cues, got)
			}
			if g, w := strings.Join(strings.Fields(strings.Join(got, " ")), " "), tt.speech; g != w {
				t.Errorf("got words %q, want %q", g, w)
			}
		})
	}
}

// TestSharedBilingualCues reads the third-party file whose cues hold two
// languages split by a blank line: both are kept.
func TestSharedBilingualCues(t *testing.T) {
	p := filepath.Join(sharedTestdata, "messy-subtitles/cdown-srt/monsters-bad-newline.srt")
	data, err := os.ReadFile(p)
	if errors.Is(err, os.ErrNotExist) {
		t.Skip("shared testdata not present")
	}
	tr, err := Read(p, data)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"OK, look, I think I have a plan here.", "Using mainly spoons,", "release it into the wild."} {
		found := false
		for _, c := range tr.Cues {
			found = found || strings.Contains(c.Text, want)
		}
		if !found {
			t.Errorf("%q lost", want)
		}
	}
}

// TestEveryProblemAtOnce checks that a file with several bad timing lines
// is refused with all of them, in our own words, each with its line.
func TestEveryProblemAtOnce(t *testing.T) {
	in := "1\n00:00:01,000 --> 00:00:02,000x\nUno.\n\n" + // a stray character
		"2\n00:00:03,000 --> 00:00:0x,000\nDos.\n\n" + // a letter in a timecode
		"3\n9999999:00:00,000 --> 9999999:00:01,000\nTres.\n\n" + // overflow
		"4\n00:00:07,0000 --> 00:00:08,000\nCuatro.\n\n" + // four digits
		"5\n00:00:09,000 -> 00:00:10,000\nCinco.\n\n" + // a mistyped arrow
		"6\n00:00:12,000 --> 00:00:11,000\nSeis.\n\n" + // ends before it starts
		"7\n00:00:13,000 --> 00:00:14,000\nSiete está bien.\n"
	_, err := Read("cinco.srt", []byte(in))
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("got %v, want *Error", err)
	}
	msg := err.Error()
	for _, want := range []string{
		`read subtitles "cinco.srt": 6 problems`,
		`line 2: timecode "00:00:02,000" has "x" stuck to its end`,
		`line 6: bad timecode "00:00:0x,000"`,
		`line 10: timecode "9999999:00:00,000" is past 100 hours`,
		`line 14: timecode "00:00:07,0000" has more than 3 digits of milliseconds`,
		`line 18: bad timing line "00:00:09,000 -> 00:00:10,000"`,
		`line 22: cue ends (00:00:11.000) before it starts (00:00:12.000)`,
	} {
		if !strings.Contains(msg, want) {
			t.Errorf("error %q\nlacks %q", msg, want)
		}
	}
	if strings.Contains(msg, "astisub") || strings.Contains(msg, "Invalid") {
		t.Errorf("error in go-astisub's words: %q", msg)
	}
	if e.Line != 2 || e.Hint == "" || !strings.Contains(e.Hint, "the arrow is written -->") {
		t.Errorf("got line %d, hint %q; want line 2 and every distinct hint", e.Line, e.Hint)
	}

	// Past 20 problems, the rest are counted.
	var b strings.Builder
	for i := range 25 {
		fmt.Fprintf(&b, "%d\n00:00:%02d,000 --> 00:00:%02d,000x\nMal.\n\n", i+1, i, i)
	}
	_, err = Read("muchos.srt", []byte(b.String()))
	if !errors.As(err, &e) || len(e.More) != 19 || e.Omitted != 5 || !strings.Contains(err.Error(), "25 problems") || !strings.HasSuffix(err.Error(), "and 5 more") {
		t.Errorf("got %d listed + %d more: %v", len(e.More), e.Omitted, err)
	}
}

// TestReadTimeLimits checks that every reader refuses times past 100
// hours or that overflow, naming the file (and the line where it can).
func TestReadTimeLimits(t *testing.T) {
	ohms := func(sync, point string) string {
		return `<?xml version="1.0"?><ROOT xmlns="https://www.weareavp.com/nunncenter/ohms"><record><version>5</version>` +
			"\n<transcript>ANA: Hola.\nBEA: Adiós.</transcript>\n<sync>" + sync + "</sync>\n<index><point><time>" + point + "</time><title>Uno</title></point></index></record></ROOT>"
	}
	ass := "[Events]\nFormat: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text\nDialogue: 0,0:00:01.00,0:00:02.00,Default,,0,0,0,,Bien\nDialogue: 0,9999999:00:00.00,9999999:00:01.00,Default,,0,0,0,,Mal\n"
	ttml := func(begin string) string {
		return "<?xml version=\"1.0\"?>\n<tt xmlns=\"http://www.w3.org/ns/ttml\"><body><div>\n<p begin=\"00:00:01.000\" end=\"00:00:02.000\">Bien</p>\n<p begin=\"" + begin + "\" end=\"" + begin + "\">Mal</p>\n</div></body></tt>\n"
	}
	tests := []struct {
		name, file, in string
		line           int
		msg            string
	}{
		{"srt hours overflow", "a.srt", "1\n9999999:00:00,000 --> 9999999:00:01,000\nMal.\n", 2, "is past 100 hours"},
		{"srt 100 hours", "a.srt", "1\n99:59:59,999 --> 100:00:00,000\nMal.\n", 2, `timecode "100:00:00,000" is past 100 hours`},
		{"srt huge digits", "a.srt", "1\n00:00:01,000 --> 99999999999999999999:00:00,000\nMal.\n", 2, "is past 100 hours"},
		{"vtt", "a.vtt", "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nBien\n\n360000:00.000 --> 360001:00.000\nMal\n", 6, "is past 100 hours"},
		{"ass", "a.ass", ass, 4, "is past 100 hours"},
		{"ttml clock", "a.ttml", ttml("9999999:00:00.000"), 4, "is past 100 hours"},
		{"ttml offset", "a.ttml", ttml("400000s"), 4, "is past 100 hours"},
		{"csv", "a.csv", "start,end,text\n00:00:01,00:00:02,bien\n150:00:00,150:00:01,mal\n", 3, "is past 100 hours"},
		{"ohms sync", "a.xml", ohms("1:|"+strings.Repeat("|", 6000)+"1(1)", "0"), 4, "past 100 hours"},
		{"ohms chapter 1e13", "a.xml", ohms("", "1e13"), 0, "is past 100 hours"},
		{"ohms chapter NaN", "a.xml", ohms("", "NaN"), 0, "is not a number"},
		{"ohms chapter Inf", "a.xml", ohms("", "+Inf"), 0, "is not a number"},
		{"ohms chapter negative", "a.xml", ohms("", "-5"), 0, "is negative"},
		{"whisper 1e13", "a.json", `{"segments": [{"start": 1e13, "end": 1e13, "text": "mal"}]}`, 0, "is past 100 hours"},
		{"whisper negative", "a.json", `{"segments": [{"start": -1, "end": 2, "text": "mal"}]}`, 0, "is negative"},
		{"whisper.cpp offsets", "a.json", `{"transcription": [{"offsets": {"from": 0, "to": 9000000000000000000}, "text": "mal"}]}`, 0, "is past 100 hours"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tr, err := Read(tt.file, []byte(tt.in))
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("got %v (%v), want *Error", err, tr)
			}
			if e.File != tt.file || e.Line != tt.line || !strings.Contains(err.Error(), tt.msg) {
				t.Errorf("got %q (line %d), want line %d and %q", err, e.Line, tt.line, tt.msg)
			}
		})
	}
}

// TestReadLimits lowers the limits and checks that each reader stops at
// them, naming the file and line.
func TestReadLimits(t *testing.T) {
	saved := limits
	defer func() { limits = saved }()
	limits.cues, limits.text = 3, 100
	long := strings.Repeat("palabra ", 20) // 160 bytes
	tests := []struct {
		name, file, in string
		line           int
		msg            string
	}{
		{"transcript paragraph", "a.txt", "[00:00:01] ANA: Hola.\n\nBEA: " + strings.Repeat("sí\n", 60), 3, "paragraph longer than 100 bytes"},
		{"transcript one long line", "a.txt", "ANA: Hola.\n\nBEA: " + long + "\n", 3, "paragraph longer than 100 bytes"},
		{"transcript header", "a.txt", strings.Repeat("Resumen muy largo de la entrevista.\n", 5) + "ANA: Hola.\nBEA: Adiós.\n", 3, "header longer than 100 bytes"},
		{"transcript paragraphs", "a.txt", "ANA: uno\n\nBEA: dos\n\nANA: tres\n\nBEA: cuatro\n", 7, "more than 3 cues"},
		{"srt cues", "a.srt", "1\n00:00:01,000 --> 00:00:02,000\nA\n\n2\n00:00:02,000 --> 00:00:03,000\nB\n\n3\n00:00:03,000 --> 00:00:04,000\nC\n\n4\n00:00:04,000 --> 00:00:05,000\nD\n", 14, "more than 3 cues"},
		{"srt cue text", "a.srt", "1\n00:00:01,000 --> 00:00:02,000\n" + strings.Repeat("línea\n", 30), 2, "cue text longer than 100 bytes"},
		{"vtt cue text", "a.vtt", "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n" + long + "\n", 3, "cue text longer than 100 bytes"},
		{"csv rows", "a.csv", "start,text\n1,a\n2,b\n3,c\n4,d\n", 5, "more than 3 rows"},
		{"csv text", "a.csv", "start,text\n1," + long + "\n", 2, "text longer than 100 bytes"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Read(tt.file, []byte(tt.in))
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("got %v, want *Error", err)
			}
			if e.File != tt.file || e.Line != tt.line || !strings.Contains(err.Error(), tt.msg) {
				t.Errorf("got %q (line %d), want line %d and %q", err, e.Line, tt.line, tt.msg)
			}
		})
	}
}
