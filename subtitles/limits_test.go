package subtitles

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"testing"
)

// allocRatio bounds the bytes a reader may allocate per byte of input;
// allocSlack covers the fixed costs (regexps, maps, a small file's
// structures).
const (
	allocRatio = 64
	allocSlack = 4 << 20
)

// allocated returns the bytes allocated while f runs.
func allocated(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// allocLimit is the most reading data may allocate: allocRatio per byte
// of input, counting a Word document's text as the zip declares it
// (archive/zip refuses to read past that, and readDOCX past maxDOCXText).
func allocLimit(data []byte) uint64 {
	size := uint64(len(data))
	if isDOCX(data) {
		if zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data))); err == nil {
			for _, f := range zr.File {
				size += min(f.UncompressedSize64, maxDOCXText+1)
			}
		}
	}
	return allocRatio*size + allocSlack
}

// checkAlloc fails when reading data allocated more than the bound.
func checkAlloc(t *testing.T, name string, data []byte) {
	t.Helper()
	var err error
	got := allocated(func() { _, err = Read(name, data) })
	if limit := allocLimit(data); got > limit && !raceEnabled {
		t.Errorf("%s (%d bytes, err %v): allocated %d bytes, want at most %d (%d per input byte + %d)", name, len(data), err, got, limit, allocRatio, allocSlack)
	}
}

func docx(t testing.TB, body string) []byte {
	var b bytes.Buffer
	z := zip.NewWriter(&b)
	w, err := z.Create("word/document.xml")
	if err != nil {
		t.Fatal(err)
	}
	fmt.Fprintf(w, `<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>%s</w:body></w:document>`, body)
	if err := z.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func ohmsV5(transcript, sync string) string {
	return `<?xml version="1.0" encoding="UTF-8"?>` + "\n" + `<ROOT xmlns="https://www.weareavp.com/nunncenter/ohms"><record><version>5</version><title>Prueba</title>` +
		"<transcript>" + transcript + "</transcript><sync>" + sync + "</sync></record></ROOT>\n"
}

// TestLinearMemory reads the shapes of file that used to cost memory
// quadratic in their size (each new line copied the paragraph so far) and
// bounds what reading them allocates by the input's size.
func TestLinearMemory(t *testing.T) {
	const n = 20000
	var srt, vtt, csv, sync strings.Builder
	vtt.WriteString("WEBVTT\n\n")
	csv.WriteString("start,end,speaker,text\n")
	for i := range n {
		fmt.Fprintf(&srt, "%d\n%s --> %s\nLínea %d del abuelo.\n\n", i+1, stamp(sec(float64(i)), ","), stamp(sec(float64(i)+0.5), ","), i)
		fmt.Fprintf(&vtt, "%s --> %s\n<v Ana>Línea %d.\n\n", stamp(sec(float64(i)), "."), stamp(sec(float64(i)+0.5), "."), i)
		fmt.Fprintf(&csv, "%s,%s,Ana,Fila %d\n", stamp(sec(float64(i)), "."), stamp(sec(float64(i)+0.5), "."), i)
	}
	sync.WriteString("1:|")
	for k := range 5000 {
		fmt.Fprintf(&sync, "1(%d)|", k%7+1)
	}
	tests := []struct {
		name string
		data []byte
	}{
		{"paragraph.txt", []byte("[00:00:01] ANA: Hola.\n" + strings.Repeat("si\n", n))},
		{"turns.txt", []byte(strings.Repeat("ANA: sí.\nBEA: no.\n", n/2))},
		{"stamps.txt", []byte("ANA: " + strings.Repeat("[00:00:01] sí ", n/10) + "\n")},
		{"header.txt", []byte(strings.Repeat("Un resumen largo.\n", n) + "ANA: Hola.\nBEA: Adiós.\n")},
		{"breaks.docx", docx(t, "<w:p><w:r><w:t>[00:00:01] ANA: Hola.</w:t>"+strings.Repeat("<w:br/><w:t>ab</w:t>", n)+"</w:r></w:p>")},
		{"sync.xml", []byte(ohmsV5("ANA: "+strings.Repeat("palabra ", 20)+"\n"+strings.Repeat("otra línea\n", n), sync.String()))},
		{"cues.srt", []byte(srt.String())},
		{"cues.vtt", []byte(vtt.String())},
		{"rows.csv", []byte(csv.String())},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := Read(tt.name, tt.data); err != nil {
				t.Fatal(err)
			}
			checkAlloc(t, tt.name, tt.data)
		})
	}
}

// FuzzReadMemory reads arbitrary SRT, WebVTT, transcript, OHMS, CSV and
// DOCX input: never a panic, never a cue past the limits, and never more
// memory than the input's size allows.
func FuzzReadMemory(f *testing.F) {
	f.Add("a.srt", []byte("1\n00:00:01,000 --> 00:00:02,000\n\nHola.\n\nsigue.\n2\n00:00:03,000 --> 00:00:0x,000\n"))
	f.Add("a.vtt", []byte("WEBVTT\n\nNOTE x\n\nid\n00:01.000 --> 00:02.000 line:1\n \n<v Ana>Hola &amp; adiós\n"))
	f.Add("a.txt", []byte("INTERVIEWEE: Ana\n\n[00:00:01] ANA: Hola.\nsi\nsi\n(1:32) BEA: Y luego [00:02:00] nada.\n"))
	f.Add("a.csv", []byte("start,end,text\n00:00:01,00:00:02,bien\n150:00:00,,mal\n"))
	f.Add("a.xml", []byte(ohmsV5("ANA: uno dos\nBEA: tres\n\nANA: cuatro", "1:|1(2)|2(1)|1(1)")))
	f.Add("a.docx", docx(f, "<w:p><w:r><w:t>[00:00:01] ANA: Hola.</w:t><w:br/><w:t>ab</w:t></w:r></w:p>"))
	f.Fuzz(func(t *testing.T, name string, data []byte) {
		var tr *Track
		var err error
		got := allocated(func() { tr, err = Read(name, data) })
		if limit := allocLimit(data); got > limit && !raceEnabled {
			t.Fatalf("%d bytes of input allocated %d bytes (at most %d)", len(data), got, limit)
		}
		if err != nil {
			return
		}
		if len(tr.Cues) > MaxCues {
			t.Fatalf("%d cues", len(tr.Cues))
		}
		for i, c := range tr.Cues {
			if c.Start < 0 || c.End < c.Start || c.End > MaxTime+MaxTime/10 || len(c.Text) > MaxCueText {
				t.Fatalf("cue %d: %v-%v, %d bytes of text", i+1, c.Start, c.End, len(c.Text))
			}
		}
	})
}

// TestDOCXNamesParagraph checks that a Word document's problem names its
// paragraph, as Word shows no lines.
func TestDOCXNamesParagraph(t *testing.T) {
	saved := limits
	defer func() { limits = saved }()
	limits.text = 100
	data := docx(t, "<w:p><w:r><w:t>[00:00:01] ANA: Hola.</w:t></w:r></w:p><w:p/><w:p><w:r><w:t>BEA: Sí.</w:t>"+strings.Repeat("<w:br/><w:t>palabra</w:t>", 30)+"</w:r></w:p>")
	_, err := Read("a.docx", data)
	var e *Error
	if !errors.As(err, &e) || e.Line != 0 || !strings.Contains(err.Error(), `read subtitles "a.docx": paragraph 3: paragraph longer than 100 bytes`) {
		t.Errorf("got %v", err)
	}
}
