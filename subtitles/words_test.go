package subtitles

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// track builds a track from cue texts ("SPEAKER|text" to give a speaker).
func track(texts ...string) *Track {
	t := &Track{}
	for i, s := range texts {
		c := Cue{Start: time.Duration(i) * time.Second, End: time.Duration(i+1) * time.Second, Text: s}
		if sp, txt, ok := strings.Cut(s, "|"); ok {
			c.Speaker, c.Text = sp, txt
		}
		t.Cues = append(t.Cues, c)
	}
	return t
}

// TestAccountAgainstCues feeds the counter an original and the cues a
// reader might make of it, right or lossy: the counter must not depend on
// the reader.
func TestAccountAgainstCues(t *testing.T) {
	tests := []struct {
		name        string
		in          string
		cues        *Track
		want        [4]int // in, out, explained, unexplained
		rules       string // "rule=n" explained, comma-separated
		missingLine int    // the first line named, 0 for none
	}{
		{"srt kept", "1\n00:00:01,000 --> 00:00:02,000\n<i>Hola,</i> we&#39;re here.\n\n2\n00:00:02,000 --> 00:00:03,000\n{\\an8}Adiós.\n",
			track("Hola, we're here.", "Adiós."), [4]int{4, 4, 0, 0}, "", 0},
		{"srt empty line after timing, cue lost", "1\n00:00:01,000 --> 00:00:02,500\n\nMy grandfather drove a bus.\n\n2\n00:00:03,000 --> 00:00:04,000\nEvery day.\n",
			track("", "Every day."), [4]int{7, 2, 0, 5}, "", 4},
		{"reordered is not lost", "1\n00:00:05,000 --> 00:00:06,000\nsecond\n\n2\n00:00:01,000 --> 00:00:02,000\nfirst\n",
			track("first", "second"), [4]int{2, 2, 0, 0}, "", 0},
		{"meeting transcript read as one cue", "Team sync\n00:00:01.200 --> 00:00:09.800\nAna Ruiz\nGood morning everyone.\n\nThe budget is on track.\n\nLuis Vega\nThe schedule slipped.\n",
			track("Ana Ruiz\nGood morning everyone."), [4]int{15, 5, 0, 10}, "", 6},
		{"speaker labels moved", "[00:00:05] RAMÓN: Yo manejaba.\n\n[00:00:09] LUCÍA: ¿Y luego?\n\n- RAMÓN: Luego nada.\n",
			track("Ramón|Yo manejaba.", "Lucía|¿Y luego?", "Ramón|Luego nada."), [4]int{6, 6, 0, 0}, "", 0},
		{"diarised labels", "[SPEAKER_01]: hello there\nSpeaker 2 (00:03): hi\n",
			track("Speaker 1|hello there", "SPEAKER_02|hi"), [4]int{3, 3, 0, 0}, "", 0},
		{"label not moved stays a word", "Ana: hello\n", track("Ana: hello"), [4]int{2, 2, 0, 0}, "", 0},
		{"otter label line", "Speaker 1  0:03\nWe drove north.\n\nSpeaker 2  0:15\nWhy?\n",
			track("Speaker 1|We drove north.", "Speaker 2|Why?"), [4]int{4, 4, 0, 0}, "", 0},
		{"roll-up captions repeat", "WEBVTT\n\n00:00:01.000 --> 00:00:03.000\nwe left at dawn\nand drove north\n\n00:00:03.000 --> 00:00:05.000\nand drove north\nall day long\n",
			track("we left at dawn\nand drove north", "all day long"), [4]int{13, 10, 3, 0}, "repeat=3", 0},
		{"vtt header, note and style are not speech", "WEBVTT\nKind: captions\n\nNOTE a comment\n\nSTYLE\n::cue { color: red }\n\nintro\n00:00.000 --> 00:02.000 align:start\n<v Ana>Hola <b>mundo</b>\n\nNOTE another\n\n00:02.000 --> 00:03.000\n<00:02.500><c>bye</c>\n",
			track("Ana|Hola mundo", "bye"), [4]int{3, 3, 0, 0}, "", 0},
		{"ass drawing dropped", "[Script Info]\nTitle: test words\n\n[V4+ Styles]\nFormat: Name, Fontname\nStyle: Default,Arial\n\n[Events]\nFormat: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text\nDialogue: 0,0:00:01.00,0:00:02.00,Default,Ana,0,0,0,,{\\i1}Hola,{\\i0} amigos\\Nde siempre\nDialogue: 0,0:00:02.00,0:00:03.00,Default,,0,0,0,,{\\p1}m 0 0 l 100 0 100 100{\\p0}\nComment: 0,0:00:03.00,0:00:04.00,Default,,0,0,0,,not shown\n",
			track("Ana|Hola, amigos\nde siempre", ""), [4]int{14, 4, 10, 0}, "comment=2,drawing=8", 0},
		{"ass text lost", "[Events]\nFormat: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text\nDialogue: 0,0:00:01.00,0:00:02.00,Default,,0,0,0,,one, two, three\n",
			track("one"), [4]int{3, 1, 0, 2}, "", 3},
		{"whisper: segments, not the whole text or words", `{"text": " Hola a todos. Adiós.", "segments": [{"id": 0, "start": 0.0, "end": 1.0, "text": " Hola a todos.", "words": [{"word": " Hola", "start": 0, "end": 0.3}]},
{"id": 1, "start": 1.0, "end": 2.0, "text": " Adiós."}], "language": "es"}`,
			track("Hola a todos.", "Adiós."), [4]int{4, 4, 0, 0}, "", 0},
		{"whisper.cpp: items, not tokens", "{\"transcription\": [{\"offsets\": {\"from\": 0, \"to\": 900}, \"text\": \" Ya llegamos.\", \"tokens\": [{\"text\": \"[_BEG_]\"}, {\"text\": \" Ya\"}, {\"text\": \" lleg\"}, {\"text\": \"amos\"}]},\n{\"offsets\": {\"from\": 900, \"to\": 1800}, \"text\": \" Bueno.\"}]}",
			track("Ya llegamos."), [4]int{3, 2, 0, 1}, "", 2},
		{"csv with speaker column", "start,end,speaker,text\n00:00:01.000,00:00:02.000,Ana,\"Hola, qué tal\"\n2.5,3.5,Luis,Bien\n",
			track("Ana|Hola, qué tal", "Luis|Bien"), [4]int{4, 4, 0, 0}, "", 0},
		{"csv text column lost", "start\ttext\tnote\n0:01\tHola\tsmiles\n0:02\tAdiós\t\n",
			track("Hola", "Adiós"), [4]int{3, 2, 0, 1}, "", 2},
		{"transcript front matter and heading", "INTERVIEWEE: Ramón Pérez\nDATE: 1998\n\nRAMÓN: Yo manejaba.\n\n## Part two\n\nRAMÓN: Sí.\n",
			track("Ramón|Yo manejaba.", "Ramón|Sí."), [4]int{10, 3, 7, 0}, "front=5,heading=2", 0},
		{"ohms transcript", "<?xml version=\"1.0\"?>\n<ROOT><record><title>T</title>\n<transcript>SMITH: We built it.&#13;\n\nJONES: When?</transcript><index><point><title>Not speech</title></point></index></record></ROOT>\n",
			track("Smith|We built it.", "Jones|When?"), [4]int{4, 4, 0, 0}, "", 0},
		{"ttml body only", "<tt><head><metadata><title>Title words</title></metadata></head><body><div><p begin=\"1s\" end=\"2s\">Hel<span>lo</span> there<br/>friend</p><p begin=\"2s\" end=\"3s\">bye</p></div></body></tt>",
			track("Hello there\nfriend", "bye"), [4]int{4, 4, 0, 0}, "", 0},
		{"a footer kept in the header", "Speaker 1  0:03\nWe drove north.\n\nTranscribed by https://otter.ai\n",
			func() *Track {
				t := track("Speaker 1|We drove north.")
				t.Header = map[string]string{"FOOTER": "Transcribed by https://otter.ai"}
				return t
			}(), [4]int{6, 3, 3, 0}, "header=3", 0},
		{"a summary does not explain speech", "We drove north.\n\nSpeaker 1  0:03\nAnd south.\n",
			func() *Track {
				t := track("Speaker 1|And south.")
				t.Header = map[string]string{"SUMMARY": "We drove north."}
				return t
			}(), [4]int{5, 2, 3, 0}, "front=3", 0},
		{"extra words are not a loss", "1\n00:00:01,000 --> 00:00:02,000\nhola\n", track("Ana: hola"), [4]int{1, 2, 0, 0}, "", 0},
		{"vtt open tag hides its text", "WEBVTT\n\n00:00.000 --> 00:02.000\n<c.first That's awesome!</c>\n", track(""), [4]int{0, 0, 0, 0}, "", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := Account([]byte(tt.in), tt.cues)
			got := [4]int{a.In, a.Out, a.Explained, a.Unexplained}
			if !a.Counted || got != tt.want {
				t.Fatalf("got in, out, explained, unexplained %v (counted %v), want %v; missing %v", got, a.Counted, tt.want, a.Missing)
			}
			var rules []string
			for _, e := range explanations {
				if n := a.Rules[e.Key]; n > 0 {
					rules = append(rules, fmt.Sprintf("%s=%d", e.Key, n))
				}
			}
			if r := strings.Join(sortedCopy(rules), ","); r != tt.rules {
				t.Errorf("got rules %q, want %q", r, tt.rules)
			}
			err := a.Loss("x.srt")
			if (err != nil) != (tt.want[3] > 0) {
				t.Fatalf("got Loss %v, want an error: %v", err, tt.want[3] > 0)
			}
			if err != nil {
				var e *Error
				if !errors.As(err, &e) || !errors.Is(err, ErrWordsLost) || e.Line != tt.missingLine {
					t.Errorf("got %v (line %d), want a *Error at line %d wrapping ErrWordsLost", err, e.Line, tt.missingLine)
				}
			}
		})
	}
}

func sortedCopy(s []string) []string {
	out := append([]string(nil), s...)
	for i := range out {
		for j := i + 1; j < len(out); j++ {
			if out[j] < out[i] {
				out[i], out[j] = out[j], out[i]
			}
		}
	}
	return out
}

func TestAccountDOCX(t *testing.T) {
	doc := `<?xml version="1.0"?><w:document xmlns:w="w"><w:body>` +
		`<w:p><w:r><w:t>RAMÓN: Yo ma</w:t></w:r><w:r><w:t>nejaba el camión.</w:t></w:r></w:p>` +
		`<w:p><w:r><w:t>LUCÍA: ¿Y</w:t></w:r><w:r><w:tab/><w:t>luego?</w:t></w:r></w:p></w:body></w:document>`
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, _ := zw.Create("word/document.xml")
	w.Write([]byte(doc))
	zw.Close()
	a := Account(buf.Bytes(), track("Ramón|Yo manejaba el camión."))
	if got := [4]int{a.In, a.Out, a.Explained, a.Unexplained}; got != [4]int{7, 4, 0, 3} || a.Unit != "paragraph" {
		t.Fatalf("got %v %s, want [7 4 0 3] paragraph", got, a.Unit)
	}
	if len(a.Missing) != 1 || a.Missing[0].Line != 2 {
		t.Errorf("got missing %v, want paragraph 2", a.Missing)
	}
}

func TestLossMessage(t *testing.T) {
	var in strings.Builder
	in.WriteString("Ana: start\n\n")
	for i := 1; i <= 6; i++ {
		fmt.Fprintf(&in, "lost%d words of paragraph %d\n\n", i, i)
	}
	a := Account([]byte(in.String()), track("Ana|start"))
	err := a.Loss("t.txt")
	want := `read subtitles "t.txt": line 3: 30 of 31 words of the original are not in the cues: line 3 (lost1 words of paragraph 1); line 5 (lost2 words of paragraph 2); line 7 (lost3 words of paragraph 3); and 3 more lines`
	if err == nil || err.Error() != want {
		t.Errorf("got %v\nwant %s", err, want)
	}
}

// TestWordsGolden: every input of the readers' own tests (testdata/golden,
// testdata/layouts) keeps its words, or misses them for a named reason. A
// reader for a new layout passes here before it is trusted.
func TestWordsGolden(t *testing.T) {
	n := 0
	for _, dir := range []string{"testdata/golden", "testdata/layouts"} {
		filepath.Walk(dir, func(p string, fi os.FileInfo, err error) error {
			if err != nil || fi.IsDir() || filepath.Ext(p) == ".golden" {
				return nil
			}
			data, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			tr, err := Read(p, data)
			if err != nil || len(tr.Cues) == 0 {
				return nil
			}
			n++
			a := Account(data, tr)
			if !a.Counted || a.In == 0 {
				t.Errorf("%s: not counted (%s)", p, a)
			}
			if err := a.Loss(p); err != nil {
				t.Errorf("%v", err)
			}
			return nil
		})
	}
	if n < 10 {
		t.Errorf("only %d inputs", n)
	}
}

// TestWordsShared reads every file under ../shared/testdata and prints its
// accounting as a Markdown table (go test -run TestWordsShared -v). Every
// file a reader takes must keep every word of its speech (or explain the
// difference by a named rule): a reader that loses words fails here.
func TestWordsShared(t *testing.T) {
	if _, err := os.Stat(sharedTestdata); err != nil {
		t.Skip("shared testdata not present")
	}
	var b strings.Builder
	b.WriteString("| file | format | words in | out | explained | unexplained |\n|---|---|---|---|---|---|\n")
	filepath.Walk(sharedTestdata, func(p string, fi os.FileInfo, err error) error {
		if err != nil || fi.IsDir() {
			return nil
		}
		rel, _ := filepath.Rel(sharedTestdata, p)
		base := filepath.Base(p)
		if base == "LICENSE" || strings.HasSuffix(base, ".md") {
			return nil
		}
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		tr, err := Read(rel, data)
		if err != nil || len(tr.Cues) == 0 {
			return nil // not ingestable
		}
		a := Account(data, tr)
		if !a.Counted {
			fmt.Fprintf(&b, "| %s | %s | not counted | %d | | |\n", rel, tr.Format, a.Out)
			return nil
		}
		fmt.Fprintf(&b, "| %s | %s | %d | %d | %d | %d |\n", rel, tr.Format, a.In, a.Out, a.Explained, a.Unexplained)
		if err := a.Loss(rel); err != nil {
			t.Errorf("%v", err)
		}
		return nil
	})
	t.Log("\n" + b.String())
}

// FuzzAccount feeds the layout detector, the readers and the accounting
// the same bytes: the accounting never panics, its figures add up, and it
// never reports fewer words out than in (less the explained) without a
// loss error, which is what fails an ingest.
func FuzzAccount(f *testing.F) {
	f.Add("a.srt", []byte("1\n00:00:01,000 --> 00:00:02,500\n\nMy grandfather drove a bus.\n"))
	f.Add("a.txt", []byte("Team sync\n00:00:01.200 --> 00:00:09.800\nAna Ruiz\nGood morning.\n\nThe budget is on track.\n"))
	f.Add("a.vtt", []byte("WEBVTT\n\n00:00:01.000 --> 00:00:03.000\nwe left\nand drove\n\n00:00:03.000 --> 00:00:05.000\nand drove\nall day\n"))
	f.Add("a.ass", []byte("[Events]\nFormat: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text\nDialogue: 0,0:00:01.00,0:00:02.00,Default,,0,0,0,,{\\p1}m 0 0 l 1 1{\\p0}Hola\n"))
	f.Add("a.json", []byte(`{"text": "Hola", "segments": [{"start": 0, "end": 1, "text": "Hola"}]}`))
	f.Add("a.csv", []byte("start,end,speaker,text\n0:01,0:02,Ana,Hola\n"))
	f.Add("a.txt", []byte("INTERVIEWEE: Ana\n\n[00:00:05] ANA: Hola.\n\n# Dos\n\nLUIS: Adiós.\n"))
	f.Add("a.xml", []byte("<ROOT><record><transcript>ANA: Hola.\n\nLUIS: Sí.</transcript></record></ROOT>"))
	for _, p := range []string{
		"parallel-subtitles/tor-animation/Tor_animation.es.srt",
		"messy-subtitles/go-astisub/example-in.vtt",
		"messy-subtitles/go-astisub/example-in.ssa",
		"messy-subtitles/go-astisub/example-in-merging-style.ttml",
		"oral-history/scihist-ohms/isaacs_j2ntg1k_sample_with_timecodes.txt",
		"oral-history/scihist-ohms/small-sample-vtt-ohms.xml",
	} {
		if data, err := os.ReadFile(filepath.Join(sharedTestdata, p)); err == nil {
			f.Add(filepath.Base(p), data)
		}
	}
	for _, p := range []string{"central.docx", "interview.md", "whisper.json", "whispercpp.json", "transcript.csv"} {
		if data, err := os.ReadFile(filepath.Join("testdata/golden", p)); err == nil {
			f.Add(p, data)
		}
	}
	f.Fuzz(func(t *testing.T, name string, data []byte) {
		if text, _, err := Decode(data); err == nil {
			Detect(name, text)
		}
		tr, err := ReadOrdered(name, data)
		if err != nil {
			tr = &Track{} // a file no reader takes still gets counted against nothing
		}
		for _, tk := range []*Track{tr, {}} {
			a := Account(data, tk)
			if !a.Counted {
				continue
			}
			if a.In < 0 || a.Explained < 0 || a.Unexplained < 0 || a.Explained+a.Unexplained > a.In {
				t.Fatalf("figures do not add up: %+v", a)
			}
			if (a.Unexplained > 0) != (a.Loss(name) != nil) {
				t.Fatalf("unexplained %d but Loss %v", a.Unexplained, a.Loss(name))
			}
			if a.Out < a.In-a.Explained && a.Loss(name) == nil {
				t.Fatalf("%d words in (%d explained), %d out, and no loss reported", a.In, a.Explained, a.Out)
			}
			n := 0
			for _, m := range a.Missing {
				n += len(m.Words)
				if m.Line < 1 {
					t.Fatalf("missing words on line %d", m.Line)
				}
			}
			if n != a.Unexplained {
				t.Fatalf("%d missing words placed, %d unexplained", n, a.Unexplained)
			}
		}
	})
}

// BenchmarkAccount measures the accounting of a 20,000-cue SRT beside
// reading it (go test -run '^$' -bench Account -benchmem ./subtitles/).
func BenchmarkAccount(b *testing.B) {
	var sb strings.Builder
	for i := 0; i < 20000; i++ {
		fmt.Fprintf(&sb, "%d\n%s --> %s\nRAMÓN: Cada mes tomaba el autobús número %d a El Paso,\n<i>y traía ropa</i> para los niños.\n\n", i+1,
			stamp(time.Duration(i)*2*time.Second, ","), stamp(time.Duration(i)*2*time.Second+1500*time.Millisecond, ","), i)
	}
	data := []byte(sb.String())
	tr, err := Read("big.srt", data)
	if err != nil {
		b.Fatal(err)
	}
	b.Run("read", func(b *testing.B) {
		for b.Loop() {
			Read("big.srt", data)
		}
	})
	b.Run("account", func(b *testing.B) {
		for b.Loop() {
			if a := Account(data, tr); a.Unexplained != 0 {
				b.Fatal(a)
			}
		}
	})
}
