package export

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/recuerdo-archive/recuerdo/subtitles"
)

var update = flag.Bool("update", false, "rewrite the golden files")

const ntsc = 30000.0 / 1001

func ms(n int64) time.Duration { return time.Duration(n) * time.Millisecond }

// selects are invented hits from three interviews: two at 29.97
// drop-frame from the same media, one at 25 fps, one without media.
func selects() []Clip {
	return []Clip{
		{
			Interview: "abuelo-autobus", Title: "El autobús a El Paso", Media: "abuelo_autobus.mov",
			FPS: ntsc, StartTimecode: "01:00:00;00", Lang: "es", Speaker: "Don Chuy",
			Text:        "Cada mes tomaba el autobús a El Paso.",
			Translation: "Every month I took the bus to El Paso.", TranslationLang: "en",
			Start: ms(12_500), End: ms(17_240),
		},
		{
			Interview: "abuelo-autobus", Title: "El autobús a El Paso", Media: "abuelo_autobus.mov",
			FPS: ntsc, StartTimecode: "01:00:00;00", Lang: "es", Speaker: "Don Chuy",
			Text:        "Llevaba quesos de Chihuahua\ny traía ropa para mis hijas.",
			Translation: "I took cheese from Chihuahua and brought back clothes for my daughters.", TranslationLang: "en",
			Start: ms(63_040), End: ms(69_900),
		},
		{
			Interview: "maestra-rural", Title: "La maestra rural", Media: "/archivo/video/Maestra Rural (1987).mp4",
			FPS: 25, StartTimecode: "10:00:00:00", Lang: "en", Speaker: "Socorro Martínez",
			Text:        `We called it "la escuelita" | one room, adobe walls & no books.`,
			Translation: `La llamábamos "la escuelita": un cuarto, paredes de adobe y ningún libro.`, TranslationLang: "es",
			Start: ms(3_723_400), End: ms(3_731_000),
		},
		{
			Interview: "pescadores", Title: "Pescadores de Mazatlán", Lang: "es",
			Text:  "Éramos pescadores. Todos, desde mi abuelo.",
			Start: ms(800), End: ms(4_100),
		},
	}
}

// goldenOptions set a timeline rate, which the EDL formats need for the
// 25 fps clip.
var goldenOptions = Options{Handles: 2 * time.Second, FPS: ntsc, Title: "Selects: el autobús"}

// TestGolden writes the selects in every format and compares the output
// with testdata/golden/selects.FORMAT.golden; -update rewrites them. A
// second write must give the same bytes, and an EDL read back and written
// again must too.
func TestGolden(t *testing.T) {
	for _, f := range Formats() {
		t.Run(string(f), func(t *testing.T) {
			golden := filepath.Join("testdata", "golden", "selects."+string(f)+".golden")
			var b bytes.Buffer
			if err := Write(&b, f, selects(), goldenOptions); err != nil {
				t.Fatal(err)
			}
			got := b.String()
			if *update {
				if err := os.WriteFile(golden, b.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatal(err)
			}
			if got != string(want) {
				t.Errorf("got:\n%s\nwant:\n%s", got, want)
			}
			var again bytes.Buffer
			Write(&again, f, selects(), goldenOptions)
			if again.String() != got {
				t.Error("a second write differs from the first")
			}
			if f == FormatEDL || f == FormatResolveEDL {
				e, err := ReadEDL(strings.NewReader(got))
				if err != nil {
					t.Fatal(err)
				}
				var rewritten bytes.Buffer
				e.WriteTo(&rewritten)
				if rewritten.String() != got {
					t.Errorf("read and written again:\n%s\nwant:\n%s", rewritten.String(), got)
				}
			}
		})
	}
}

// sameRate are clips at one frame rate, so that every format takes them
// without a timeline rate.
func sameRate() []Clip {
	c := selects()
	c[2].FPS, c[2].StartTimecode = ntsc, "00:59:59;00"
	return c
}

// cases are the clip sets and options the parse-back tests run.
var cases = []struct {
	name  string
	clips func() []Clip
	opt   Options
}{
	{"selects", selects, goldenOptions},
	{"same-rate", sameRate, Options{Handles: 2 * time.Second}},
	{"no-handles", sameRate, Options{}},
	{"pal", func() []Clip {
		c := selects()
		for i := range c {
			c[i].FPS, c[i].StartTimecode = 25, ""
		}
		return c
	}, Options{Handles: 500 * time.Millisecond}},
}

// rateFor is the rate a clip of clips is timed at, in an EDL or not.
func rateFor(c Clip, clips []Clip, opt Options, edl bool) float64 {
	if (edl && opt.FPS > 0) || c.FPS == 0 {
		return timelineFPS(opt, clips)
	}
	return c.FPS
}

func timelineFPS(opt Options, clips []Clip) float64 {
	if opt.FPS > 0 {
		return opt.FPS
	}
	for _, c := range clips {
		if c.FPS > 0 {
			return c.FPS
		}
	}
	return 25
}

// sourceTCs are the SMPTE timecodes of a clip's media time with handles.
func sourceTCs(t *testing.T, c Clip, opt Options, fps float64) (in, out string) {
	t.Helper()
	in, err1 := subtitles.SMPTE(max(c.Start-opt.Handles, 0), fps, c.StartTimecode)
	out, err2 := subtitles.SMPTE(c.End+opt.Handles, fps, c.StartTimecode)
	if err1 != nil || err2 != nil {
		t.Fatal(err1, err2)
	}
	return in, out
}

func output(t *testing.T, f Format, clips []Clip, opt Options) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := Write(&b, f, clips, opt); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// checkRecord checks that record timecodes start at 01:00:00:00 and run
// back to back, each event lasting as long as its source when the rates
// agree.
func checkRecord(t *testing.T, fps float64, ins, outs []string) {
	t.Helper()
	frame := func(tc string) int {
		n, err := subtitles.TimecodeFrames(tc, fps)
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	start, _ := subtitles.TimecodeFrames("01:00:00:00", fps)
	prev := start
	for i := range ins {
		in, out := frame(ins[i]), frame(outs[i])
		if in != prev {
			t.Errorf("event %d: record in %s, want %s (right after the previous event)", i+1, ins[i], subtitles.FramesTimecode(prev, fps))
		}
		if out <= in {
			t.Errorf("event %d: record out %s not after in %s", i+1, outs[i], ins[i])
		}
		prev = out
	}
}

func TestCSV(t *testing.T) {
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			clips := tc.clips()
			rows, err := csv.NewReader(bytes.NewReader(output(t, FormatCSV, clips, tc.opt))).ReadAll()
			if err != nil {
				t.Fatal(err)
			}
			if len(rows) != len(clips)+1 {
				t.Fatalf("got %d rows, want a header and %d", len(rows), len(clips))
			}
			if got := strings.Join(rows[0], ","); got != strings.Join(header, ",") {
				t.Errorf("header %s, want %s", got, strings.Join(header, ","))
			}
			var ins, outs []string
			for i, r := range rows[1:] {
				c := clips[i]
				in, out := sourceTCs(t, c, tc.opt, rateFor(c, clips, tc.opt, false))
				want := []string{c.Interview, c.Title, c.Media, c.Lang, c.Speaker,
					strconv.FormatInt(c.Start.Milliseconds(), 10), strconv.FormatInt(c.End.Milliseconds(), 10),
					in, out, r[9], r[10], oneLine(c.Text), oneLine(c.Translation)}
				for j := range want {
					if r[j] != want[j] {
						t.Errorf("row %d %s: got %q, want %q", i+1, header[j], r[j], want[j])
					}
				}
				ins, outs = append(ins, r[9]), append(outs, r[10])
			}
			checkRecord(t, timelineFPS(tc.opt, clips), ins, outs)
		})
	}
}

func TestJSON(t *testing.T) {
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			clips := tc.clips()
			var rows []map[string]any
			if err := json.Unmarshal(output(t, FormatJSON, clips, tc.opt), &rows); err != nil {
				t.Fatal(err)
			}
			if len(rows) != len(clips) {
				t.Fatalf("got %d objects, want %d", len(rows), len(clips))
			}
			var ins, outs []string
			for i, r := range rows {
				c := clips[i]
				if len(r) != len(header) {
					t.Errorf("object %d has %d keys, want %d", i+1, len(r), len(header))
				}
				in, out := sourceTCs(t, c, tc.opt, rateFor(c, clips, tc.opt, false))
				for k, want := range map[string]any{
					"interview": c.Interview, "speaker": c.Speaker, "text": c.Text, "translation": c.Translation,
					"start_ms": float64(c.Start.Milliseconds()), "end_ms": float64(c.End.Milliseconds()),
					"source_in": in, "source_out": out,
				} {
					if r[k] != want {
						t.Errorf("object %d %s: got %v, want %v", i+1, k, r[k], want)
					}
				}
				ins, outs = append(ins, r["record_in"].(string)), append(outs, r["record_out"].(string))
			}
			checkRecord(t, timelineFPS(tc.opt, clips), ins, outs)
		})
	}
}

func TestEDL(t *testing.T) {
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			clips := tc.clips()
			e, err := ReadEDL(bytes.NewReader(output(t, FormatEDL, clips, tc.opt)))
			if err != nil {
				t.Fatal(err)
			}
			fps := timelineFPS(tc.opt, clips)
			if e.DropFrame != subtitles.DropFrame(fps) {
				t.Errorf("drop frame %v at %.3f fps", e.DropFrame, fps)
			}
			if len(e.Events) != len(clips) {
				t.Fatalf("got %d events, want %d", len(e.Events), len(clips))
			}
			var ins, outs []string
			for i, ev := range e.Events {
				c := clips[i]
				in, out := sourceTCs(t, c, tc.opt, rateFor(c, clips, tc.opt, true))
				if ev.Number != i+1 || ev.SourceIn != in || ev.SourceOut != out {
					t.Errorf("event %d: number %d, source %s-%s; want %d, %s-%s", i+1, ev.Number, ev.SourceIn, ev.SourceOut, i+1, in, out)
				}
				if ev.Track != "V" || ev.Transition != "C" || len(ev.Reel) > 8 || strings.Trim(ev.Reel, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_") != "" {
					t.Errorf("event %d: reel %q track %q transition %q", i+1, ev.Reel, ev.Track, ev.Transition)
				}
				if want := shorten(label(&c), maxLabel); len(ev.Comments) != 1 || ev.Comments[0] != want {
					t.Errorf("event %d: comments %q, want %q", i+1, ev.Comments, want)
				}
				// Same-rate events last exactly their source.
				si, _ := subtitles.TimecodeFrames(in, fps)
				so, _ := subtitles.TimecodeFrames(out, fps)
				ri, _ := subtitles.TimecodeFrames(ev.RecordIn, fps)
				ro, _ := subtitles.TimecodeFrames(ev.RecordOut, fps)
				if so-si != ro-ri {
					t.Errorf("event %d: source lasts %d frames, record %d", i+1, so-si, ro-ri)
				}
				ins, outs = append(ins, ev.RecordIn), append(outs, ev.RecordOut)
			}
			checkRecord(t, fps, ins, outs)
		})
	}
}

func TestResolveEDL(t *testing.T) {
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			clips := tc.clips()
			e, err := ReadEDL(bytes.NewReader(output(t, FormatResolveEDL, clips, tc.opt)))
			if err != nil {
				t.Fatal(err)
			}
			if len(e.Events) != len(clips) {
				t.Fatalf("got %d events, want %d", len(e.Events), len(clips))
			}
			for i, ev := range e.Events {
				c := clips[i]
				fps := rateFor(c, clips, tc.opt, true)
				in, _ := subtitles.SMPTE(c.Start, fps, c.StartTimecode)
				n, _ := subtitles.TimecodeFrames(in, fps)
				out := subtitles.FramesTimecode(n+1, fps)
				if ev.SourceIn != in || ev.RecordIn != in || ev.SourceOut != out || ev.RecordOut != out {
					t.Errorf("event %d: %s %s %s %s, want %s %s twice", i+1, ev.SourceIn, ev.SourceOut, ev.RecordIn, ev.RecordOut, in, out)
				}
				m := ev.Marker
				if m == nil {
					t.Fatalf("event %d: no marker", i+1)
				}
				d := subtitles.FrameAt(c.End, fps) - subtitles.FrameAt(c.Start, fps)
				name := strings.ReplaceAll(shorten(label(&c), maxLabel), "|", "/")
				if m.Name != name || m.Duration != d || m.Color != "ResolveColorBlue" || m.Note != shorten(c.Translation, maxLabel) {
					t.Errorf("event %d: marker %+v, want name %q, %d frames, note %q", i+1, *m, name, d, c.Translation)
				}
			}
		})
	}
}

func TestSubtitles(t *testing.T) {
	for _, tc := range cases {
		for _, f := range []Format{FormatSRT, FormatWebVTT} {
			t.Run(tc.name+"/"+string(f), func(t *testing.T) {
				clips := tc.clips()
				tr, err := subtitles.Read("selects."+string(f), output(t, f, clips, tc.opt))
				if err != nil {
					t.Fatal(err)
				}
				if len(tr.Cues) != len(clips) {
					t.Fatalf("got %d cues, want %d", len(tr.Cues), len(clips))
				}
				fps := timelineFPS(tc.opt, clips)
				rec := 0 // the event's record frame on the timeline
				for i, cue := range tr.Cues {
					c := clips[i]
					if cue.Text != c.Text {
						t.Errorf("cue %d: text %q, want %q", i+1, cue.Text, c.Text)
					}
					if f == FormatWebVTT && c.Speaker != "" && cue.Speaker != c.Speaker {
						t.Errorf("cue %d: speaker %q, want %q", i+1, cue.Speaker, c.Speaker)
					}
					cfps := rateFor(c, clips, tc.opt, false)
					in := subtitles.FrameAt(max(c.Start-tc.opt.Handles, 0), cfps)
					out := subtitles.FrameAt(c.End+tc.opt.Handles, cfps)
					lead := subtitles.FrameAt(c.Start, cfps) - in
					want := time.Duration(float64(rec)/fps*1e9) + time.Duration(float64(lead)/cfps*1e9)
					tol := time.Millisecond
					if cfps != fps { // the lead is rounded to timeline frames
						tol += time.Duration(0.5e9 / fps)
					}
					if d := cue.Start - want; d < -tol || d > tol {
						t.Errorf("cue %d: starts %v, want %v", i+1, cue.Start, want)
					}
					if d := cue.Duration() - (c.End - c.Start); d < -80*time.Millisecond || d > 80*time.Millisecond {
						t.Errorf("cue %d: lasts %v, want about %v", i+1, cue.Duration(), c.End-c.Start)
					}
					rec += int(float64(out-in)*fps/cfps + 0.5)
				}
			})
		}
	}
}

func TestEmpty(t *testing.T) {
	want := map[Format]string{
		FormatCSV:        strings.Join(header, ",") + "\n",
		FormatJSON:       "[]\n",
		FormatEDL:        "TITLE: recuerdo selects\nFCM: NON-DROP FRAME\n",
		FormatResolveEDL: "TITLE: recuerdo selects\nFCM: NON-DROP FRAME\n",
		FormatSRT:        "",
		FormatWebVTT:     "WEBVTT\n\n",
	}
	for _, f := range Formats() {
		for _, clips := range [][]Clip{nil, {}} {
			got := string(output(t, f, clips, Options{}))
			if w, ok := want[f]; ok && got != w {
				t.Errorf("%s: got %q, want %q", f, got, w)
			}
			if f == FormatFCPXML && (!strings.Contains(got, "<spine></spine>") || strings.Contains(got, "<asset ")) {
				t.Errorf("fcpxml: want an empty spine and no assets, got:\n%s", got)
			}
		}
	}
}

func TestErrors(t *testing.T) {
	mixed := selects() // 29.97 and 25 fps
	tests := []struct {
		name  string
		f     Format
		clips []Clip
		opt   Options
		want  string
	}{
		{"mixed rates", FormatEDL, mixed, Options{}, "export edl: clip 3 (interview maestra-rural): media frame rate 25 differs from the timeline's 29.97"},
		{"mixed rates in markers", FormatResolveEDL, mixed, Options{}, "export resolve-edl: clip 3 (interview maestra-rural): media frame rate 25"},
		{"unknown format", "avid", nil, Options{}, `export: unknown export format "avid" (want one of csv, json, edl, resolve-edl, fcpxml, srt, vtt)`},
		{"end before start", FormatCSV, []Clip{{Interview: "x", Start: ms(2000), End: ms(1000)}}, Options{}, "export csv: clip 1 (interview x): segment 00:00:02.000-00:00:01.000"},
		{"bad start timecode", FormatJSON, []Clip{{FPS: 25, StartTimecode: "01:00:00:25"}}, Options{}, `export json: clip 1: media start timecode "01:00:00:25" out of range`},
		{"bad rate", FormatFCPXML, []Clip{{FPS: 0.5}}, Options{}, "export fcpxml: timeline: frame rate 0.5"},
		{"negative handles", FormatSRT, nil, Options{Handles: -time.Second}, "export srt: handles -1s"},
		{"too many events", FormatEDL, make([]Clip, 1000), Options{}, "export edl: 1000 clips: an EDL numbers at most 999 events"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b bytes.Buffer
			err := Write(&b, tt.f, tt.clips, tt.opt)
			if err == nil || !strings.HasPrefix(err.Error(), tt.want) {
				t.Fatalf("got error %v, want %s…", err, tt.want)
			}
			if b.Len() > 0 {
				t.Errorf("wrote %d bytes along with the error", b.Len())
			}
		})
	}
	// Mixed rates are fine where each clip keeps its own.
	for _, f := range []Format{FormatCSV, FormatJSON, FormatFCPXML, FormatSRT, FormatWebVTT} {
		if err := Write(&bytes.Buffer{}, f, mixed, Options{}); err != nil {
			t.Errorf("%s: %v", f, err)
		}
	}
}

func TestParseFormat(t *testing.T) {
	for _, f := range Formats() {
		if got, err := ParseFormat(" " + strings.ToUpper(string(f)) + " "); got != f || err != nil {
			t.Errorf("ParseFormat(%q) = %q, %v", f, got, err)
		}
	}
	_, err := ParseFormat("xml")
	if !errors.Is(err, ErrUnknownFormat) || !strings.Contains(err.Error(), "resolve-edl") {
		t.Errorf("ParseFormat(xml): got %v, want ErrUnknownFormat listing the formats", err)
	}
}

func TestReelNames(t *testing.T) {
	var events []event
	for _, m := range []string{"abuelo_autobus.mov", `D:\Archivo\Entrevista Señora Peña 01.MXF`, "/x/Entrevista Señora Peña 02.mxf",
		"", "abuelo_autobus.mov", "--.mov", "entrevista-sen.wav", "entrevista-sen.mp4"} {
		events = append(events, event{clip: &Clip{Media: m}})
	}
	got := strings.Join(reelNames(events), " ")
	want := "ABUELO_A ENTREVIS ENTREV_2 AX ABUELO_A AX ENTREV_3 ENTREV_4"
	if got != want {
		t.Errorf("got %s, want %s", got, want)
	}
}

func TestMediaURL(t *testing.T) {
	for in, want := range map[string]string{
		"abuelo_autobus.mov":                      "abuelo_autobus.mov",
		"/archivo/video/Maestra Rural (1987).mp4": "file:///archivo/video/Maestra%20Rural%20%281987%29.mp4",
		`C:\Archivo\peña.mov`:                     "file:///C:/Archivo/pe%C3%B1a.mov",
		"https://example.org/v.mp4":               "https://example.org/v.mp4",
		"a:b.mov":                                 "./a:b.mov",
	} {
		if got := mediaURL(in); got != want {
			t.Errorf("mediaURL(%q) = %q, want %q", in, got, want)
		}
	}
}
