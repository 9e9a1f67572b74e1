package web

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/recuerdo-archive/recuerdo/archive"
	"github.com/recuerdo-archive/recuerdo/index"
	"github.com/recuerdo-archive/recuerdo/samples"
)

// fixture is an archive of the samples plus three test interviews, its
// index, and the folder its sources (and recordings) live in.
type fixture struct {
	a    *archive.Archive
	live *index.Live
	ix   *index.Index // live.Index()
	src  string
}

// The test interviews, besides the samples:
//   - radio-lupe: a 30 s WAV recording, an OHMS index with chapters, public.
//   - cocina-larga: 40 lines at odd milliseconds (a line every 2.947 s
//     from 1 s), long enough to scroll, with a recording; "pan" in every
//     fifth line. Not in the shared fixture.
//   - notas-raras: markup in every text a subtitle file can carry, and a
//     recording this computer does not have.
var testInterviews = map[string]map[string]string{
	"cocina-larga": longKitchen(),
	"radio-lupe": {
		"interview.yaml": `id: radio-lupe
title: "La radio de Lupe"
title_en: "Lupe's radio"
narrators: ["Guadalupe Soto"]
date: 1998-05-02
place: "Gómez Palacio, Durango"
collection: "Pruebas"
language: es
access: public
media:
  - file: radio-lupe.wav
tracks:
  - file: es.xml
    lang: es
  - file: en.srt
    lang: en
`,
		"es.xml": `<?xml version="1.0" encoding="UTF-8"?>
<ROOT><record id="1"><version>6</version><title>La radio</title><language>Spanish</language>
<vtt_transcript>WEBVTT

00:00:01.000 --> 00:00:04.000
&lt;v Lupe&gt;Mi papá tenía una radio de bulbos.

00:00:06.000 --> 00:00:09.000
&lt;v Lupe&gt;Escuchábamos las radionovelas en la cocina.

00:00:12.000 --> 00:00:15.000
&lt;v Lupe&gt;Los domingos ponían música de Cri-Cri.

00:00:20.000 --> 00:00:23.000
&lt;v Lupe&gt;Una tormenta tumbó la antena del techo.

00:00:25.000 --> 00:00:28.000
&lt;v Lupe&gt;Mi hermano la subió otra vez con un mecate.
</vtt_transcript>
<index>
<point><time>0</time><title>La radio de bulbos</title><title_alt>The tube radio</title_alt><synopsis>La radio de la familia.</synopsis><keywords>radio;cocina</keywords></point>
<point><time>19</time><title>La tormenta</title><title_alt>The storm</title_alt><keywords>antena</keywords></point>
</index>
</record></ROOT>
`,
		"en.srt": `1
00:00:01,000 --> 00:00:04,000
My dad had a tube radio.

2
00:00:06,000 --> 00:00:09,000
We listened to the radio soaps in the kitchen.

3
00:00:12,000 --> 00:00:15,000
On Sundays they played Cri-Cri's songs.

4
00:00:20,000 --> 00:00:23,000
A storm knocked the antenna off the roof.

5
00:00:25,000 --> 00:00:28,000
My brother put it back up with a rope.
`,
	},
	"notas-raras": {
		"interview.yaml": `id: notas-raras
title: "<b>Notas</b> & \"raras\""
language: es
access: public
media:
  - file: falta.wav
tracks:
  - file: es.txt
    lang: es
`,
		"es.txt": `[00:00:01] PACO: <script>alert("pan")</script> El pan dulce & el café.
[00:00:05] PACO: <img src=x onerror=alert(1)> La panadería cerraba tarde.
`,
	},
}

var (
	sharedOnce sync.Once
	sharedFix  *fixture
	sharedErr  error
	sharedDir  string
)

func TestMain(m *testing.M) {
	code := m.Run()
	if sharedFix != nil {
		sharedFix.live.Close()
		sharedFix.a.Close()
	}
	if sharedDir != "" {
		os.RemoveAll(sharedDir)
	}
	os.Exit(code)
}

// shared returns a fixture built once for the tests that only read it.
func shared(t testing.TB) *fixture {
	sharedOnce.Do(func() {
		sharedDir, sharedErr = os.MkdirTemp("", "recuerdo-web-")
		if sharedErr == nil {
			sharedFix, sharedErr = buildFixture(sharedDir, "abuelo-autobus", "casa-puerta-azul", "radio-lupe", "notas-raras")
		}
	})
	if sharedErr != nil {
		t.Fatal(sharedErr)
	}
	return sharedFix
}

// newFixture builds a fixture of its own, for a test that changes it.
func newFixture(t testing.TB, ids ...string) *fixture {
	f, err := buildFixture(t.TempDir(), ids...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.live.Close(); f.a.Close() })
	return f
}

func buildFixture(dir string, ids ...string) (*fixture, error) {
	src := filepath.Join(dir, "src")
	if err := os.CopyFS(src, samples.FS); err != nil {
		return nil, err
	}
	for id, files := range testInterviews {
		for name, body := range files {
			p := filepath.Join(src, id, name)
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				return nil, err
			}
			if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
				return nil, err
			}
		}
	}
	if err := os.WriteFile(filepath.Join(src, "radio-lupe", "radio-lupe.wav"), wav(30*time.Second), 0o644); err != nil {
		return nil, err
	}
	if err := os.WriteFile(filepath.Join(src, "cocina-larga", "cocina-larga.wav"), wav(kitchenLength), 0o644); err != nil {
		return nil, err
	}
	if err := os.WriteFile(filepath.Join(src, "outside.wav"), wav(time.Second), 0o644); err != nil {
		return nil, err
	}
	// A stand-in for the sealed interview's video: served to staff only.
	if err := os.WriteFile(filepath.Join(src, "casa-puerta-azul", "casa-puerta-azul.mov"), bytes.Repeat([]byte("casa-video "), 1000), 0o644); err != nil {
		return nil, err
	}
	a, err := archive.Create(filepath.Join(dir, "archive"))
	if err != nil {
		return nil, err
	}
	f := &fixture{a: a, src: src}
	for _, id := range ids {
		if err := f.ingest(id); err != nil {
			a.Close()
			return nil, err
		}
	}
	if f.live, err = index.Serve(context.Background(), a, index.ServeOptions{}); err != nil {
		a.Close()
		return nil, err
	}
	f.ix = f.live.Index()
	return f, nil
}

// ingest adds one interview folder of the fixture's sources to its catalogue.
func (f *fixture) ingest(id string) error {
	s, err := archive.LoadFolder(filepath.Join(f.src, id))
	if err != nil {
		return err
	}
	_, err = f.a.Ingest(context.Background(), s)
	return err
}

// server is the web interface over the fixture for an audience.
func (f *fixture) server(aud archive.Access) *Server {
	return New(f.a, f.live, Options{Audience: aud, MediaDirs: []string{f.src}})
}

// wav is a mono 8 kHz 8-bit PCM recording of a quiet tone lasting d.
func wav(d time.Duration) []byte {
	const rate = 8000
	n := int(d.Seconds() * rate)
	var b bytes.Buffer
	le := func(v any) { binary.Write(&b, binary.LittleEndian, v) }
	b.WriteString("RIFF")
	le(uint32(36 + n))
	b.WriteString("WAVEfmt ")
	le(uint32(16))
	le(uint16(1)) // PCM
	le(uint16(1)) // mono
	le(uint32(rate))
	le(uint32(rate)) // bytes per second
	le(uint16(1))    // block align
	le(uint16(8))    // bits per sample
	b.WriteString("data")
	le(uint32(n))
	for i := 0; i < n; i++ {
		b.WriteByte(byte(128 + 20*math.Sin(2*math.Pi*440*float64(i)/rate)))
	}
	return b.Bytes()
}

// kitchenLength is the length of cocina-larga's recording.
const kitchenLength = 125 * time.Second

// kitchenStart is when line i of cocina-larga starts, in milliseconds.
func kitchenStart(i int) int64 { return 1000 + int64(i)*2947 }

// longKitchen is cocina-larga's sources: Spanish and English WebVTT with
// the same 40 cues.
func longKitchen() map[string]string {
	things := []string{"el comal", "la olla de barro", "el molcajete", "la mesa de pino", "la ventana", "el horno de leña", "la alacena", "el patio"}
	ts := func(ms int64) string {
		return fmt.Sprintf("00:%02d:%02d.%03d", ms/60000, ms/1000%60, ms%1000)
	}
	var es, en strings.Builder
	es.WriteString("WEBVTT\n\n")
	en.WriteString("WEBVTT\n\n")
	for i := 0; i < 40; i++ {
		from, to := kitchenStart(i), kitchenStart(i)+2800
		thing := things[i%len(things)]
		esText := fmt.Sprintf("Línea %d: mi abuela hablaba de %s.", i+1, thing)
		enText := fmt.Sprintf("Line %d: my grandmother talked about %s.", i+1, thing)
		if i%5 == 2 {
			esText = fmt.Sprintf("Línea %d: los domingos hacíamos pan en la cocina.", i+1)
			enText = fmt.Sprintf("Line %d: on Sundays we made bread in the kitchen.", i+1)
		}
		if i%7 == 3 {
			esText += " Y luego, cuando ya estaba oscuro, nos sentábamos todos alrededor a escuchar las historias de los tíos, que siempre exageraban."
			enText += " And then, once it was dark, we all sat around to listen to the uncles' stories, who always exaggerated."
		}
		fmt.Fprintf(&es, "%s --> %s\n<v Rosa>%s\n\n", ts(from), ts(to), esText)
		fmt.Fprintf(&en, "%s --> %s\n<v Rosa>%s\n\n", ts(from), ts(to), enText)
	}
	return map[string]string{
		"interview.yaml": `id: cocina-larga
title: "La cocina de la abuela"
title_en: "Grandmother's kitchen"
narrators: ["Rosa Medina"]
date: 2004-03-14
place: "Torreón, Coahuila"
collection: "Pruebas"
language: es
access: public
media:
  - file: cocina-larga.wav
tracks:
  - file: es.vtt
    lang: es
  - file: en.vtt
    lang: en
`,
		"es.vtt": es.String(),
		"en.vtt": en.String(),
	}
}
