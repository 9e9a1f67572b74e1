package subtitles

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
)

const sharedTestdata = "../../shared/testdata"

func sec(s float64) time.Duration { return time.Duration(s * float64(time.Second)) }

func TestDecode(t *testing.T) {
	const text = "1\n00:00:01,000 --> 00:00:02,000\n¿Cuándo viajó en autobús? Año 1968, niño.\n"
	utf16le, _ := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder().String(text)
	utf16be, _ := unicode.UTF16(unicode.BigEndian, unicode.UseBOM).NewEncoder().String(text)
	utf16leNoBOM, _ := unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM).NewEncoder().String(text)
	cp1252, _ := charmap.Windows1252.NewEncoder().String(text)
	latin1, _ := charmap.ISO8859_1.NewEncoder().String(text)
	tests := []struct {
		name, in, enc string
	}{
		{"utf-8", text, "utf-8"},
		{"utf-8 bom", "\ufeff" + text, "utf-8-bom"},
		{"utf-16le bom", utf16le, "utf-16le"},
		{"utf-16be bom", utf16be, "utf-16be"},
		{"utf-16le no bom", utf16leNoBOM, "utf-16le"},
		{"windows-1252", cp1252, "windows-1252"},
		{"iso-8859-1 with C1 byte", latin1 + "\x81", "iso-8859-1"},
		{"crlf", strings.ReplaceAll(text, "\n", "\r\n"), "utf-8"},
		{"cr", strings.ReplaceAll(text, "\n", "\r"), "utf-8"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, enc, err := Decode([]byte(tt.in))
			if err != nil {
				t.Fatal(err)
			}
			if enc != tt.enc {
				t.Errorf("encoding: got %q, want %q", enc, tt.enc)
			}
			if !strings.HasPrefix(got, text) {
				t.Errorf("text: got %q, want %q", got, text)
			}
		})
	}
}

func TestDecodeRefusesUnknownEncodings(t *testing.T) {
	// "我有个点子" in GB2312: every byte is high, so read as Windows-1252 it
	// would be nothing but accented letters.
	gb := []byte{0xce, 0xd2, 0xd3, 0xd0, 0xb8, 0xf6, 0xb5, 0xe3, 0xd7, 0xd3, '\n'}
	if _, _, err := Decode(gb); !errors.Is(err, ErrUnknownEncoding) {
		t.Errorf("GB2312: got %v, want ErrUnknownEncoding", err)
	}
}

func TestRead(t *testing.T) {
	tests := []struct {
		name, file, in string
		want           []Cue
		format         Format
	}{
		{
			name: "srt speaker labels carry over", file: "a.srt", format: FormatSRT,
			in: "1\n00:00:01,000 --> 00:00:02,500\nRAMÓN: Cada mes viajaba.\n\n2\n00:00:03,000 --> 00:00:04,000\nEn autobús.\n\n3\n00:00:05,000 --> 00:00:06,000\nDOÑA SOCORRO: ¡No!\n",
			want: []Cue{
				{Start: sec(1), End: sec(2.5), Speaker: "Ramón", Text: "Cada mes viajaba.", Line: 2},
				{Start: sec(3), End: sec(4), Speaker: "Ramón", Text: "En autobús.", Line: 6},
				{Start: sec(5), End: sec(6), Speaker: "Doña Socorro", Text: "¡No!", Line: 10},
			},
		},
		{
			name: "srt two lines and tags", file: "a.srt", format: FormatSRT,
			in:   "1\n00:00:01,000 --> 00:00:02,000\n<i>Hola,</i>\nabuelo.\n",
			want: []Cue{{Start: sec(1), End: sec(2), Text: "Hola,\nabuelo.", Line: 2}},
		},
		{
			name: "srt crlf, bom, missing blank line", file: "a.srt", format: FormatSRT,
			in:   "\ufeff1\r\n00:00:01,000 --> 00:00:02,000\r\nUno.\r\n2\r\n00:00:03,000 --> 00:00:04,000\r\nDos.\r\n",
			want: []Cue{{Start: sec(1), End: sec(2), Text: "Uno.", Line: 2}, {Start: sec(3), End: sec(4), Text: "Dos.", Line: 5}},
		},
		{
			name: "vtt voices", file: "a.vtt", format: FormatWebVTT,
			in:   "WEBVTT\n\n1\n00:00:01.000 --> 00:00:02.000\n<v Lucía>¿Y la casa?\n\n2\n00:01:03.000 --> 00:01:04.000\n<v Ramón>La hicimos juntos.\n",
			want: []Cue{{Start: sec(1), End: sec(2), Speaker: "Lucía", Text: "¿Y la casa?", Line: 4}, {Start: sec(63), End: sec(64), Speaker: "Ramón", Text: "La hicimos juntos.", Line: 8}},
		},
		{
			name: "vtt without header", file: "a.vtt", format: FormatWebVTT,
			in:   "00:00:01.000 --> 00:00:02.000\nSin cabecera.\n",
			want: []Cue{{Start: sec(1), End: sec(2), Text: "Sin cabecera.", Line: 1}},
		},
		{
			// go-astisub reads a cue line starting with "NOTE " as a comment and loses it.
			name: "vtt cue text starting with NOTE is kept", file: "a.vtt", format: FormatWebVTT,
			in:   "WEBVTT\n\n00:01.000 --> 00:02.000\nNOTE that the bus left at six.\n",
			want: []Cue{{Start: sec(1), End: sec(2), Text: "NOTE that the bus left at six.", Line: 3}},
		},
		{
			// go-astisub keeps only the first voice of a cue.
			name: "vtt second voice is kept", file: "a.vtt", format: FormatWebVTT,
			in:   "WEBVTT\n\n00:01.000 --> 00:03.000\n<v Lucía>¿Y luego?</v>\n<v Ramón>Luego, nada.\n",
			want: []Cue{{Start: sec(1), End: sec(3), Speaker: "Lucía", Text: "¿Y luego?\nRamón: Luego, nada.", Line: 3}},
		},
		{
			name: "vtt entities, classes and inline timestamps", file: "a.vtt", format: FormatWebVTT,
			in:   "WEBVTT\n\nid-uno\n00:01.000 --> 00:02.000 align:start\n<c.yellow>Tom &amp; Jerry</c> <00:01.500>&lt;3\n",
			want: []Cue{{Start: sec(1), End: sec(2), Text: "Tom & Jerry <3", Line: 4}},
		},
		{
			name: "zero-length cue is kept", file: "a.srt", format: FormatSRT,
			in:   "1\n00:00:01,000 --> 00:00:01,000\n¡Ay!\n",
			want: []Cue{{Start: sec(1), End: sec(1), Text: "¡Ay!", Line: 2}},
		},
		{
			name: "unsorted cues are sorted", file: "a.srt", format: FormatSRT,
			in:   "1\n00:00:05,000 --> 00:00:06,000\nDespués.\n\n2\n00:00:01,000 --> 00:00:02,000\nAntes.\n",
			want: []Cue{{Start: sec(1), End: sec(2), Text: "Antes.", Line: 6}, {Start: sec(5), End: sec(6), Text: "Después.", Line: 2}},
		},
		{
			name: "ssa", file: "a.ass", format: FormatSSA,
			in:   "[Script Info]\nScriptType: v4.00+\n\n[Events]\nFormat: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text\nDialogue: 0,0:00:01.00,0:00:02.00,Default,Ramón,0,0,0,,{\\an8}Hola\\Nabuelo\n",
			want: []Cue{{Start: sec(1), End: sec(2), Speaker: "Ramón", Text: "Hola\nabuelo", Line: 6}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tr, err := Read(tt.file, []byte(tt.in))
			if err != nil {
				t.Fatal(err)
			}
			if tr.Format != tt.format {
				t.Errorf("format: got %q, want %q", tr.Format, tt.format)
			}
			if len(tr.Cues) != len(tt.want) {
				t.Fatalf("got %d cues, want %d: %+v", len(tr.Cues), len(tt.want), tr.Cues)
			}
			for i := range tt.want {
				if tr.Cues[i] != tt.want[i] {
					t.Errorf("cue %d: got %+v, want %+v", i+1, tr.Cues[i], tt.want[i])
				}
			}
		})
	}
}

func TestReadErrors(t *testing.T) {
	tests := []struct {
		name, file, in string
		line           int
		msg            string
	}{
		{"ends before it starts", "a.srt", "1\n00:00:01,000 --> 00:00:02,000\nBien.\n\n2\n00:00:05,000 --> 00:00:04,000\nMal.\n", 6, "ends (00:00:04.000) before it starts"},
		{"bad timecode", "a.srt", "1\n00:00:01,000 --> 00:00:02,000\nBien.\n\n2\n00:0x:05,000 --> 00:00:06,000\nMal.\n", 6, "bad timing line"},
		{"arrow inside dialogue", "a.srt", "1\n00:00:01,000 --> 00:00:02,000\nVamos --> allá.\n", 3, "bad timing line"},
		{"four millisecond digits", "a.srt", "1\n00:00:01,0000 --> 00:00:02,000\nMal.\n", 2, "more than 3 digits"},
		{"not subtitles", "a.txt", "hola abuelo\n", 0, "not a subtitle or transcript file"},
		{"bad whisper json", "a.json", "{\"segments\": [\n{\"start\": 1, \"end\": 2, \"text\": \"x\"},\n{\"start\": 3 \"end\": 4}]}", 3, "bad Whisper JSON"},
		{"whisper segment without end", "a.json", `{"segments": [{"start": 1, "text": "x"}]}`, 0, "segment 1 has no start or end"},
		{"broken docx", "a.docx", "PK\x03\x04word/document.xml garbage", 0, "not a readable Word document"},
		{"csv bad start", "a.csv", "start,end,text\n00:00:01,00:00:02,bien\n00:0x:03,00:00:04,mal\n", 3, `start "00:0x:03"`},
		{"csv ends before start", "a.csv", "start,end,text\n00:00:05,00:00:02,mal\n", 2, "ends (00:00:02) before it starts"},
		{"empty", "a.vtt", "", 0, "the file is empty"},
		{"srt without timing lines", "a.srt", "1\nHola\n", 0, "no timing lines"},
		{"mistyped arrow", "a.srt", "1\n00:00:01,000 -> 00:00:02,000\nHola\n", 2, "bad timing line"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Read(tt.file, []byte(tt.in))
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("got error %v, want *Error", err)
			}
			if e.Line != tt.line || !strings.Contains(e.Msg, tt.msg) || e.File != tt.file {
				t.Errorf("got %q (line %d), want line %d and %q", err, e.Line, tt.line, tt.msg)
			}
			if !strings.Contains(err.Error(), tt.file) {
				t.Errorf("error %q does not name the file", err)
			}
		})
	}
}

// TestSharedTestdata reads the real third-party subtitle files and checks
// their cue counts against PROVENANCE.md.
func TestSharedTestdata(t *testing.T) {
	tests := []struct {
		path string
		cues int
	}{
		{"parallel-subtitles/tor-animation/Tor_animation.en.srt", 35},
		{"parallel-subtitles/tor-animation/Tor_animation.es.srt", 35},
		{"parallel-subtitles/tor-animation/Tor_animation.de.srt", 40},
		{"parallel-subtitles/tor-animation/Tor_animation.fr.srt", 37},
		{"parallel-subtitles/tor-animation/Tor_animation.en.pre-voiceover-sync.srt", 35},
		{"parallel-subtitles/tor-animation-transifex/tor_animation.es_MX.srt", 35},
		{"parallel-subtitles/sintel-durian-srt/sintel_es.srt", 17},
		{"parallel-subtitles/sintel-shifted-meyer1994/sintel_en.srt", 26},
		{"parallel-subtitles/sintel-mdn-trailer-vtt/sintel-es.vtt", 14},
		{"messy-subtitles/go-astisub/example-in-non-utf8.srt", 6},
		{"messy-subtitles/go-astisub/example-in-non-utf8.vtt", 6},
		{"messy-subtitles/go-astisub/example-in-carriage-return.srt", 3},
		{"messy-subtitles/go-astisub/missing-sequence-in.srt", 6},
		{"messy-subtitles/go-astisub/example-in.ssa", 6},
		{"messy-subtitles/go-astisub/example-in.ttml", 6},
		{"messy-subtitles/cdown-srt/monsters-bad-order.srt", 3},
		{"messy-subtitles/cdown-srt/monsters-win.srt", 3},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join(sharedTestdata, tt.path))
			if errors.Is(err, os.ErrNotExist) {
				t.Skip("shared testdata not present")
			}
			if err != nil {
				t.Fatal(err)
			}
			tr, err := Read(tt.path, data)
			if err != nil {
				t.Fatal(err)
			}
			if len(tr.Cues) != tt.cues {
				t.Errorf("got %d cues, want %d", len(tr.Cues), tt.cues)
			}
			for i, c := range tr.Cues {
				if c.End < c.Start || strings.TrimSpace(c.Text) == "" && tt.cues > 0 {
					t.Errorf("cue %d: bad cue %+v", i+1, c)
				}
			}
		})
	}
}

// TestSharedTranscripts reads the real oral-history transcripts in
// ../shared/testdata: header blocks, speaker turns, timestamps on their
// own lines, and one with no timestamps at all.
func TestSharedTranscripts(t *testing.T) {
	tests := []struct {
		path      string
		cues      int
		firstAt   time.Duration
		speaker   string
		header    string
		estimated bool // the first cue's time is estimated
	}{
		{"oral-history/scihist-ohms/isaacs_j2ntg1k_sample_with_timecodes.txt", 18, 5 * time.Second, "Schneider", "INTERVIEWEE", false},
		{"oral-history/scihist-ohms/baltimore_sample.txt", 156, 0, "Schlesinger", "INTERVIEWER", true},
		{"oral-history/scihist-ohms/wood_start.txt", 38, 0, "Wood", "INTERVIEWER", true},
	}
	for _, tt := range tests {
		t.Run(filepath.Base(tt.path), func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join(sharedTestdata, tt.path))
			if errors.Is(err, os.ErrNotExist) {
				t.Skip("shared testdata not present")
			}
			tr, err := Read(tt.path, data)
			if err != nil {
				t.Fatal(err)
			}
			if tr.Format != FormatTranscript || len(tr.Cues) != tt.cues {
				t.Fatalf("got %s with %d cues, want a transcript with %d", tr.Format, len(tr.Cues), tt.cues)
			}
			c := tr.Cues[0]
			if c.Start != tt.firstAt || c.Speaker != tt.speaker || c.Estimated != tt.estimated {
				t.Errorf("first cue: got %v %q estimated=%v, want %v %q estimated=%v", c.Start, c.Speaker, c.Estimated, tt.firstAt, tt.speaker, tt.estimated)
			}
			if tr.Header[tt.header] == "" {
				t.Errorf("header %s missing: %v", tt.header, tr.Header)
			}
			for i := 1; i < len(tr.Cues); i++ {
				if tr.Cues[i].Start < tr.Cues[i-1].Start || tr.Cues[i].End < tr.Cues[i].Start {
					t.Fatalf("cue %d out of order", i+1)
				}
			}
		})
	}
}

func TestParseTime(t *testing.T) {
	tests := []struct {
		in   string
		want time.Duration
		ok   bool
	}{
		{"00:09:10.000", 9*time.Minute + 10*time.Second, true},
		{"01:02:03,5", time.Hour + 2*time.Minute + 3500*time.Millisecond, true},
		{"12:05", 12*time.Minute + 5*time.Second, true},
		{"754.25", 754250 * time.Millisecond, true},
		{"00:61:00", 0, false},
		{"1:2:3:4", 0, false},
		{"abc", 0, false},
		{"", 0, false},
	}
	for _, tt := range tests {
		got, err := ParseTime(tt.in)
		if (err == nil) != tt.ok || got != tt.want {
			t.Errorf("ParseTime(%q) = %v, %v; want %v, ok=%v", tt.in, got, err, tt.want, tt.ok)
		}
	}
}

func FuzzRead(f *testing.F) {
	f.Add("a.srt", []byte("1\n00:00:01,000 --> 00:00:02,000\nHola.\n"))
	f.Add("a.vtt", []byte("WEBVTT\n\n00:01.000 --> 00:02.000\n<v Ana>Hola\n"))
	f.Add("a.ass", []byte("[Events]\nFormat: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text\nDialogue: 0,0:00:01.00,0:00:02.00,Default,,0,0,0,,Hola\n"))
	for _, p := range []string{
		"parallel-subtitles/tor-animation/Tor_animation.es.srt",
		"parallel-subtitles/sintel-mdn-trailer-vtt/sintel-es.vtt",
		"messy-subtitles/go-astisub/example-in-non-utf8.srt",
		"messy-subtitles/go-astisub/example-in.ttml",
		"messy-subtitles/pysubs2/vtt_example.vtt",
		"oral-history/scihist-ohms/isaacs_j2ntg1k_sample_with_timecodes.txt",
		"oral-history/scihist-ohms/various_gaps.xml",
		"oral-history/scihist-ohms/small-sample-vtt-ohms.xml",
	} {
		if data, err := os.ReadFile(filepath.Join(sharedTestdata, p)); err == nil {
			f.Add(filepath.Base(p), data)
		}
	}
	for _, p := range []string{"central.docx", "entrevista.txt", "interview.md", "whisper.json", "whispercpp.json", "transcript.csv", "transcripcion.tsv"} {
		if data, err := os.ReadFile(filepath.Join("testdata/golden", p)); err == nil {
			f.Add(p, data)
		}
	}
	f.Fuzz(func(t *testing.T, name string, data []byte) {
		tr, err := Read(name, data)
		if err != nil {
			if tr != nil {
				t.Fatal("track and error both returned")
			}
			return
		}
		for i, c := range tr.Cues {
			if c.End < c.Start {
				t.Fatalf("cue %d ends before it starts", i+1)
			}
			if i > 0 && c.Start < tr.Cues[i-1].Start {
				t.Fatalf("cue %d out of order", i+1)
			}
		}
		// The word accounting takes whatever a reader took, and a loss it
		// finds always fails (see FuzzAccount).
		if a := Account(data, tr); a.Unexplained > 0 && a.Loss(name) == nil {
			t.Fatalf("%d words lost and no error", a.Unexplained)
		}
	})
}
