package subtitles

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// precision is the unit a format stores times in.
func precision(f Format, fps int) time.Duration {
	switch f {
	case FormatSSA:
		return 10 * time.Millisecond
	case FormatSTL:
		return time.Second / time.Duration(fps)
	}
	return time.Millisecond
}

// sameAtPrecision reports whether a read-back time is the written one
// rounded to the format's precision.
func sameAtPrecision(got, want time.Duration, f Format, fps int) bool {
	want = max(want, 0)
	if f == FormatSTL {
		w := (int64(want)*int64(fps) + 5e8) / 1e9
		g := (int64(got)*int64(fps) + 5e8) / 1e9
		return w == g
	}
	return got == roundTo(want, precision(f, fps))
}

var writeFormats = []Format{FormatSRT, FormatWebVTT, FormatSSA, FormatTTML, FormatSTL}

func TestWriteRoundTrip(t *testing.T) {
	cues := []Cue{
		{Start: 1500 * time.Millisecond, End: 3999600 * time.Microsecond, Speaker: "Ramón", Text: "Tom & Jerry <3\nsegunda línea"},
		{Start: 5 * time.Second, End: 7*time.Second + 5*time.Millisecond, Speaker: "Ramón", Text: "¿Y después? a <b> c"},
		{Start: 7*time.Second + 994*time.Millisecond, End: 9 * time.Second, Speaker: "Lucía", Text: "x &amp; y -> 50%"},
		{Start: -time.Second, End: 10*time.Second + 4*time.Millisecond, Speaker: "Lucía", Text: "Ñandú, pingüino; «comillas» - fin."},
		{Start: 2*time.Hour + 59*time.Minute + 59*time.Second + 999500*time.Microsecond, End: 3 * time.Hour, Text: "Al final."},
	}
	for _, f := range writeFormats {
		t.Run(string(f), func(t *testing.T) {
			var b bytes.Buffer
			if err := WriteWith(&b, f, cues, WriteOptions{SpeakerLabels: true}); err != nil {
				t.Fatal(err)
			}
			tr, err := ReadOrdered("x."+string(f), b.Bytes())
			if err != nil {
				t.Fatalf("read back: %v\n%s", err, b.String())
			}
			if tr.Format != f || len(tr.Cues) != len(cues) {
				t.Fatalf("got %s with %d cues, want %s with %d\n%s", tr.Format, len(tr.Cues), f, len(cues), b.String())
			}
			for i, c := range tr.Cues {
				w := cues[i]
				if !sameAtPrecision(c.Start, w.Start, f, 25) || !sameAtPrecision(c.End, max(w.End, w.Start), f, 25) {
					t.Errorf("cue %d: got %v-%v, want %v-%v at %v", i+1, c.Start, c.End, w.Start, w.End, precision(f, 25))
				}
				// SRT has no escapes: what looks like markup or an entity is read as such.
				if c.Text != w.Text && !(f == FormatSRT && strings.ContainsAny(w.Text, "<&")) {
					t.Errorf("cue %d: got text %q, want %q", i+1, c.Text, w.Text)
				}
				if c.Speaker != w.Speaker && w.Speaker != "" {
					t.Errorf("cue %d: got speaker %q, want %q", i+1, c.Speaker, w.Speaker)
				}
			}
		})
	}
}

// TestWriteGuards checks the cases where go-astisub's writer goes wrong.
func TestWriteGuards(t *testing.T) {
	cues := []Cue{{Start: -2 * time.Second, End: 1999999 * time.Microsecond, Text: "a & b <c>"}}
	tests := []struct {
		format Format
		want   string
	}{
		{FormatSRT, "00:00:00,000 --> 00:00:02,000\na & b <c>\n"},
		{FormatWebVTT, "00:00:00.000 --> 00:00:02.000\na & b &lt;c&gt;\n"},
		{FormatSSA, "Dialogue: 0,0:00:00.00,0:00:02.00,Default,,0,0,0,,a & b <c>\n"},
		{FormatTTML, `<p begin="00:00:00.000" end="00:00:02.000">a &amp; b &lt;c&gt;</p>`},
	}
	for _, tt := range tests {
		var b bytes.Buffer
		if err := Write(&b, tt.format, cues); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(b.String(), tt.want) {
			t.Errorf("%s: got\n%s\nwant it to hold %q", tt.format, b.String(), tt.want)
		}
		if bytes.HasPrefix(b.Bytes(), []byte("\ufeff")) {
			t.Errorf("%s: wrote a byte-order mark", tt.format)
		}
	}
}

func TestWriteOptions(t *testing.T) {
	cues := []Cue{{Start: time.Second, End: 2 * time.Second, Text: "Mañana €5"}}
	tests := []struct {
		name string
		opt  WriteOptions
		want string // the file's first bytes
		err  string
	}{
		{"utf-8", WriteOptions{}, "1\n00:00:01,000", ""},
		{"bom crlf", WriteOptions{BOM: true, CRLF: true}, "\ufeff1\r\n00:00:01,000", ""},
		{"utf-16le", WriteOptions{Encoding: "utf-16le", BOM: true}, "\xff\xfe1\x00\n\x00", ""},
		{"utf-16be", WriteOptions{Encoding: "UTF-16BE"}, "\x001\x00\n", ""},
		{"windows-1252", WriteOptions{Encoding: "windows-1252"}, "1\n00:00:01,000 --> 00:00:02,000\nMa\xf1ana \x805", ""},
		{"latin-1 has no euro", WriteOptions{Encoding: "iso-8859-1"}, "", `cue 1 (00:00:01.000): '€' (U+20AC) cannot be written in iso-8859-1`},
		{"no bom in 1252", WriteOptions{Encoding: "windows-1252", BOM: true}, "", "windows-1252 has no byte-order mark"},
		{"unknown", WriteOptions{Encoding: "ebcdic"}, "", `unknown encoding "ebcdic"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b bytes.Buffer
			err := WriteWith(&b, FormatSRT, cues, tt.opt)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("got error %v, want %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.HasPrefix(b.Bytes(), []byte(tt.want)) {
				t.Fatalf("got %q, want it to start %q", b.Bytes(), tt.want)
			}
			tr, err := Read("x.srt", b.Bytes())
			if err != nil {
				t.Fatal(err)
			}
			if tr.Cues[0].Text != cues[0].Text {
				t.Errorf("read back %q, want %q", tr.Cues[0].Text, cues[0].Text)
			}
		})
	}
}

func TestWriteRefuses(t *testing.T) {
	tests := []struct {
		format Format
		opt    WriteOptions
		cue    Cue
		want   string
	}{
		{FormatSRT, WriteOptions{}, Cue{Text: "a --> b"}, `cue 1: SRT text cannot hold "-->"`},
		{FormatSSA, WriteOptions{}, Cue{Text: "a {b}"}, `cue 1: ASS text cannot hold "{"`},
		{FormatSSA, WriteOptions{}, Cue{Text: `a \N b`}, `cue 1: ASS text cannot hold "\\N"`},
		{FormatSSA, WriteOptions{}, Cue{Speaker: "Pérez, Ana", Text: "a"}, `comma in a speaker's name`},
		{FormatSSA, WriteOptions{CueStyles: []string{"EN"}}, Cue{Text: "a"}, `cue 1: no style named "EN"`},
		{FormatTTML, WriteOptions{}, Cue{Text: "a\x01"}, `cue 1: U+0001 cannot be written in XML`},
		{FormatSTL, WriteOptions{}, Cue{Text: "a € b"}, `cue 1 (00:00:00.000): '€' (U+20AC) cannot be written in EBU STL`},
		{FormatSTL, WriteOptions{}, Cue{Text: strings.Repeat("palabra ", 15)}, `more than one EBU STL block holds`},
		{FormatSTL, WriteOptions{FPS: 24}, Cue{Text: "a"}, `25 or 30`},
		{FormatSTL, WriteOptions{Encoding: "windows-1252"}, Cue{Text: "a"}, `own character set`},
		{Format("docx"), WriteOptions{}, Cue{Text: "a"}, `cannot write DOCX`},
	}
	for _, tt := range tests {
		err := WriteWith(&bytes.Buffer{}, tt.format, []Cue{tt.cue}, tt.opt)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s %q: got %v, want %q", tt.format, tt.cue.Text, err, tt.want)
		}
	}
}

// TestSTLFrames checks STL times round to the nearest frame at 25 and 30.
func TestSTLFrames(t *testing.T) {
	for _, fps := range []int{25, 30} {
		var cues []Cue
		for ms := 0; ms < 2000; ms += 7 {
			cues = append(cues, Cue{Start: time.Duration(ms) * time.Millisecond, End: time.Duration(ms+1) * time.Millisecond, Text: "x"})
		}
		var b bytes.Buffer
		if err := WriteWith(&b, FormatSTL, cues, WriteOptions{FPS: float64(fps)}); err != nil {
			t.Fatal(err)
		}
		tr, err := ReadOrdered("x.stl", b.Bytes())
		if err != nil {
			t.Fatal(err)
		}
		for i, c := range tr.Cues {
			if !sameAtPrecision(c.Start, cues[i].Start, FormatSTL, fps) {
				t.Fatalf("%d fps: cue at %v read back at %v", fps, cues[i].Start, c.Start)
			}
		}
	}
}

// TestWriteGolden writes the golden cues in every format and compares
// with testdata/write/*; -update rewrites them. STL's dates change with
// every run, so it is checked by reading back only.
func TestWriteGolden(t *testing.T) {
	data, err := os.ReadFile("testdata/golden/viajes.srt")
	if err != nil {
		t.Fatal(err)
	}
	tr, err := ReadOrdered("viajes.srt", data)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []Format{FormatSRT, FormatWebVTT, FormatSSA, FormatTTML} {
		for _, labels := range []bool{false, true} {
			ext := map[Format]string{FormatSSA: "ass"}[f]
			if ext == "" {
				ext = string(f)
			}
			name := "viajes." + ext
			if labels {
				name = "viajes-labels." + ext
			}
			var b bytes.Buffer
			if err := WriteWith(&b, f, tr.Cues, WriteOptions{SpeakerLabels: labels, Title: "Viajes", Italic: []int{0, 1}}); err != nil {
				t.Fatal(err)
			}
			golden := filepath.Join("testdata/write", name)
			if *update {
				os.MkdirAll("testdata/write", 0o755)
				os.WriteFile(golden, b.Bytes(), 0o644)
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(b.Bytes(), want) {
				t.Errorf("%s: got\n%s\nwant\n%s", name, b.Bytes(), want)
			}
			// Idempotence: what was written reads back and writes the same.
			back, err := ReadOrdered(name, b.Bytes())
			if err != nil {
				t.Fatal(err)
			}
			var again bytes.Buffer
			if err := WriteWith(&again, f, back.Cues, WriteOptions{SpeakerLabels: labels, Title: "Viajes", Italic: []int{0, 1}}); err != nil {
				t.Fatal(err)
			}
			if again.String() != b.String() {
				t.Errorf("%s: not stable when read and written again:\n%s", name, again.String())
			}
		}
	}
}

// FuzzWriteRead reads a file, writes its cues in every format and reads
// them back: times equal at the format's precision, text and cue count
// equal, or an error naming what the format cannot hold. It never panics.
func FuzzWriteRead(f *testing.F) {
	f.Add("a.srt", []byte("1\n00:00:01,000 --> 00:00:02,000\nHola & <adiós>.\n"))
	f.Add("a.vtt", []byte("WEBVTT\n\n00:01.000 --> 00:02.000\n<v Ana>Hola &amp; adiós\n\n00:03.000 --> 00:04.000\nDos\nlíneas\n"))
	f.Add("a.ass", []byte("[Events]\nFormat: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text\nDialogue: 0,0:00:01.00,0:00:02.00,Default,Ramón,0,0,0,,Hola\\Nmija\n"))
	for _, p := range []string{"viajes.srt", "viajes.vtt", "viajes.ass", "viajes.ttml"} {
		if data, err := os.ReadFile(filepath.Join("testdata/golden", p)); err == nil {
			f.Add(p, data)
		}
	}
	f.Fuzz(func(t *testing.T, name string, data []byte) {
		tr, err := ReadOrdered(name, data)
		if err != nil || tr.Format.IsTranscript() || len(tr.Cues) == 0 || len(tr.Cues) > 200 {
			return
		}
		for _, format := range writeFormats {
			var b bytes.Buffer
			if err := WriteWith(&b, format, tr.Cues, WriteOptions{}); err != nil {
				if !strings.Contains(err.Error(), "cue ") && !strings.Contains(err.Error(), "no cues") {
					t.Fatalf("%s: error names no cue: %v", format, err)
				}
				continue
			}
			back, err := ReadOrdered("x."+string(format), b.Bytes())
			if err != nil {
				if format == FormatSTL || !representable(tr.Cues) {
					continue
				}
				t.Fatalf("%s: written file does not read back: %v\n%q", format, err, b.String())
			}
			if len(back.Cues) != len(tr.Cues) {
				t.Fatalf("%s: wrote %d cues, read back %d\n%s", format, len(tr.Cues), len(back.Cues), b.String())
			}
			for i, c := range back.Cues {
				w := tr.Cues[i]
				if !sameAtPrecision(c.Start, w.Start, format, 25) || !sameAtPrecision(c.End, max(w.End, w.Start), format, 25) {
					t.Fatalf("%s: cue %d: got %v-%v, want %v-%v", format, i+1, c.Start, c.End, w.Start, w.End)
				}
				if representable(tr.Cues[i:i+1]) && c.Text != strings.Join(textLines(w.Text), "\n") {
					t.Fatalf("%s: cue %d: got text %q, want %q", format, i+1, c.Text, w.Text)
				}
			}
		}
	})
}

// representable reports text that reads back as it is in every format:
// no markup-like or entity-like characters, which SRT cannot escape, and
// nothing a reader would take for a speaker label.
func representable(cues []Cue) bool {
	for _, c := range cues {
		if !utf8.ValidString(c.Text) || strings.ContainsAny(c.Text, "<>&{}\\:\t\r\ufeff") || c.Text != strings.TrimSpace(c.Text) {
			return false
		}
		for _, r := range c.Text {
			if r < 0x20 && r != '\n' || r == 0x7f || r >= 0x80 && r < 0xa0 {
				return false
			}
		}
	}
	return true
}
