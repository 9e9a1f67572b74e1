package subtitles

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// layoutCase is what an invented file in testdata/layouts holds, counted
// apart from the readers: its words of speech (without heads, names,
// stamps, markup or tool footers; counted with `sed` and `wc -w`, see
// each comment), its speakers, and the starts it gives.
type layoutCase struct {
	file     string
	format   Format
	layout   Layout
	words    int
	speakers []string // every speaker, in order of first appearance
	starts   []string // "HH:MM:SS.mmm Speaker" for each start the file gives
}

var layoutCases = []layoutCase{
	// sed -E '/^(Ana Ruiz|Tomás Ibarra)  [0-9:]+$/d; /^Transcribed by/d' otter.txt | wc -w
	{"otter.txt", FormatTranscript, LayoutOtter, 117, []string{"Ana Ruiz", "Tomás Ibarra"},
		[]string{"00:00:00.000 Ana Ruiz", "00:00:09.000 Tomás Ibarra", "00:00:14.000 Ana Ruiz", "00:00:17.000 Tomás Ibarra", "00:01:02.000 Ana Ruiz", "00:01:05.000 Tomás Ibarra"}},
	// sed -E '/^[0-9:]+$/d' otter-nonames.txt | wc -w
	{"otter-nonames.txt", FormatTranscript, LayoutOtter, 94, nil,
		[]string{"00:00:00.000 ", "00:00:08.000 ", "00:00:13.000 ", "00:00:16.000 ", "00:01:01.000 ", "00:01:04.000 "}},
	// sed -E '/^Speaker [12]$/d' otter-notimes.txt | wc -w
	{"otter-notimes.txt", FormatTranscript, LayoutOtter, 92, []string{"Speaker 1", "Speaker 2"}, nil},
	// sed -E 's/^[^[]*\[[0-9:]+\]//' trint.txt | wc -w
	{"trint.txt", FormatTranscript, LayoutTrint, 93, []string{"Lucía Herrera", "Ramón Vega"},
		[]string{"00:00:02.000 Lucía Herrera", "00:00:06.000 Ramón Vega", "00:00:11.000 Lucía Herrera", "00:00:13.000 Ramón Vega", "00:01:05.000 Lucía Herrera", "00:01:07.000 Ramón Vega"}},
	// sed -E '/^Speaker [12] \([0-9:]+\):$/d; s/\[([a-z]+) [0-9:]+\]/[\1]/' rev.txt | wc -w
	{"rev.txt", FormatTranscript, LayoutRev, 72, []string{"Speaker 1", "Speaker 2"},
		[]string{"00:00:00.000 Speaker 1", "00:00:04.000 Speaker 2", "00:00:10.000 Speaker 1", "00:00:12.000 Speaker 2", "00:00:19.000 Speaker 2", "00:00:23.000 Speaker 1", "00:00:25.000 Speaker 2", "00:00:28.000 Speaker 2"}},
	// sed -E '/^(Carmen Ortiz|Pedro Salas) \([0-9:]+\):$/d' rev-named.txt | wc -w
	{"rev-named.txt", FormatTranscript, LayoutRev, 81, []string{"Carmen Ortiz", "Pedro Salas"},
		[]string{"01:02:03.000 Carmen Ortiz", "01:02:07.000 Pedro Salas", "01:03:01.000 Carmen Ortiz", "01:03:04.000 Pedro Salas"}},
	// sed -E 's/^\[[0-9:]+\] [^:]+://' descript.txt | wc -w
	{"descript.txt", FormatTranscript, LayoutDescript, 89, []string{"Marta Gil", "Joaquín Peña"},
		[]string{"00:00:01.000 Marta Gil", "00:00:04.000 Joaquín Peña", "00:00:08.000 Marta Gil", "00:00:12.000 Joaquín Peña", "00:01:00.000 Marta Gil", "00:01:02.000 Joaquín Peña"}},
	// sed -E '1d; s/^Speaker [12]: \[[0-9:]+\]//' sonix.txt | wc -w
	{"sonix.txt", FormatTranscript, LayoutSonix, 75, []string{"Speaker 1", "Speaker 2"},
		[]string{"00:00:00.000 Speaker 1", "00:00:03.000 Speaker 2", "00:00:09.000 Speaker 1", "00:00:11.000 Speaker 2", "00:00:58.000 Speaker 1", "00:01:01.000 Speaker 2"}},
	// sed -E '/^\[[0-9:.]+\] - Speaker [12]$/d' happyscribe.txt | wc -w
	{"happyscribe.txt", FormatTranscript, LayoutHappyScribe, 78, []string{"Speaker 1", "Speaker 2"},
		[]string{"00:00:00.000 Speaker 1", "00:00:03.500 Speaker 2", "00:00:45.200 Speaker 1", "00:00:47.800 Speaker 2"}},
	// sed -E '/^[0-9:.]+( --> [0-9:.]+)?$/d; /^[A-Z][a-z]+, [A-Z][a-zá]+$/d' meeting.txt | wc -w
	{"meeting.txt", FormatTranscript, LayoutMeeting, 74, []string{"Ibarra, Tomás", "Ruiz, Ana", "Soto, Elena"},
		[]string{"00:00:00.000 Ibarra, Tomás", "00:00:05.900 Ruiz, Ana", "00:00:09.490 Ibarra, Tomás", "00:00:14.120 Soto, Elena", "00:00:21.300 Ibarra, Tomás"}},
	// the words of the document's paragraphs 4, 6, 8 and 10
	{"meeting-new.docx", FormatDOCX, LayoutOtter, 68, []string{"Elena Soto", "Ramón Vega", "Lucía Herrera"},
		[]string{"00:00:03.000 Elena Soto", "00:00:11.000 Ramón Vega", "00:01:02.000 Elena Soto", "00:01:05.000 Lucía Herrera"}},
	// paragraphs 3, 6, 9 and 12
	{"meeting-old.docx", FormatDOCX, LayoutMeeting, 20, []string{"Soto, Elena", "Vega, Ramón"},
		[]string{"00:00:00.000 Soto, Elena", "00:00:04.800 Vega, Ramón", "00:00:10.400 Soto, Elena", "00:00:12.700 Vega, Ramón"}},
	// sed -n 's/^[A-Z][a-zá]* [A-Z][a-z]*: //p' zoom.vtt | wc -w
	{"zoom.vtt", FormatWebVTT, LayoutSpeakerLabels, 35, []string{"Ana Ruiz", "Tomás Ibarra"},
		[]string{"00:00:01.200 Ana Ruiz", "00:00:05.000 Tomás Ibarra", "00:00:08.100 Ana Ruiz", "00:00:13.000 Tomás Ibarra"}},
	// sed -n 's/^<v [^>]*>//p' teams.vtt | sed 's/<[^>]*>//g' | wc -w
	{"teams.vtt", FormatWebVTT, "", 28, []string{"Elena Soto", "Ramón Vega"},
		[]string{"00:00:00.950 Elena Soto", "00:00:04.800 Ramón Vega", "00:00:09.500 Elena Soto", "00:00:12.100 Ramón Vega"}},
	// sed -n 's/^\[SPEAKER_0[01]\]: //p' whisperx.srt | wc -w
	{"whisperx.srt", FormatSRT, LayoutSpeakerLabels, 28, []string{"SPEAKER_00", "SPEAKER_01"},
		[]string{"00:00:00.031 SPEAKER_00", "00:00:02.900 SPEAKER_01", "00:00:06.200 SPEAKER_00", "00:00:09.300 SPEAKER_01"}},
	// the lines with inline times, and the last cue's new line:
	// grep '<c>' youtube.vtt | sed 's/<[^>]*>//g' | wc -w, plus "[Music]"
	{"youtube.vtt", FormatWebVTT, LayoutYouTube, 17, nil,
		[]string{"00:00:00.000 ", "00:00:02.320 ", "00:00:04.960 ", "00:00:07.410 "}},
	// the "text" of each segment
	{"faster-whisper.json", FormatWhisper, "", 9, nil, []string{"00:00:00.000 ", "00:00:03.500 "}},
	// sed -n 's/^Dialogue: [^,]*,[^,]*,[^,]*,[^,]*,[^,]*,[^,]*,[^,]*,[^,]*,[^,]*,//p' legacy.ssa | sed 's/\\N/ /g' | wc -w
	{"legacy.ssa", FormatSSA, "", 18, []string{"Rosa", "Julián"},
		[]string{"00:00:01.000 Rosa", "00:00:04.000 Julián", "00:00:07.800 Rosa"}},
	// the two Dialogue events of Lucía, less override blocks and the drawing
	{"drawing.ass", FormatSSA, "", 16, []string{"Lucía"},
		[]string{"00:00:01.000 Lucía", "00:00:04.500 Lucía"}},
}

// TestLayouts reads each invented file of testdata/layouts and checks,
// against counts made apart from the readers, that every word of speech
// comes out, that speakers are in the speaker field (never in the text),
// and that every start the file gives is a cue's start, not estimated;
// the cues are also compared with the file's .golden rendering (-update
// rewrites it).
func TestLayouts(t *testing.T) {
	for _, tc := range layoutCases {
		t.Run(tc.file, func(t *testing.T) {
			path := filepath.Join("testdata/layouts", tc.file)
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			tr, err := ReadOrdered(tc.file, data)
			if err != nil {
				t.Fatal(err)
			}
			if tr.Format != tc.format || tr.Layout != tc.layout {
				t.Errorf("got format %s, layout %q; want %s, %q", tr.Format, tr.Layout, tc.format, tc.layout)
			}
			words := 0
			var speakers []string
			seen := map[string]bool{}
			starts := map[string]bool{}
			for _, c := range tr.Cues {
				words += len(strings.Fields(c.Text))
				if c.Speaker != "" && !seen[c.Speaker] {
					seen[c.Speaker] = true
					speakers = append(speakers, c.Speaker)
				}
				if !c.Estimated {
					starts[FormatTime(c.Start)+" "+c.Speaker] = true
				}
			}
			if words != tc.words {
				t.Errorf("got %d words, want %d", words, tc.words)
			}
			if fmt.Sprint(speakers) != fmt.Sprint(tc.speakers) {
				t.Errorf("got speakers %q, want %q", speakers, tc.speakers)
			}
			for _, c := range tr.Cues {
				for _, s := range tc.speakers {
					if strings.HasPrefix(strings.TrimLeft(c.Text, "[<"), s) {
						t.Errorf("cue %q starts with the speaker %q", c.Text, s)
					}
				}
			}
			for _, s := range tc.starts {
				if !starts[s] {
					t.Errorf("no cue starts, as the file says, at %s", s)
				}
			}
			got := "layout " + string(tr.Layout) + "\n" + render(tr)
			if *update {
				os.WriteFile(path+".golden", []byte(got), 0o644)
			}
			want, err := os.ReadFile(path + ".golden")
			if err != nil {
				t.Fatal(err)
			}
			if got != string(want) {
				t.Errorf("got:\n%s\nwant:\n%s", got, want)
			}
		})
	}
}

// TestLayoutNotFromStrayLines checks that a few lines that look like a
// tool's heads do not make a layout, and that ordinary files keep theirs.
func TestLayoutNotFromStrayLines(t *testing.T) {
	for _, tc := range []struct {
		name, text string
		want       Layout
	}{
		{"prose with one stamp line", "Nos fuimos en el tren.\n\nAna Ruiz  0:03\nY luego volvimos.\n\nFue un viaje largo, de tres días, y llovió todo el camino.\n\nMi madre lloraba.\n", ""},
		{"section titles", "Introduction\nWe met in the square.\n\nThe Market\nIt opened at dawn.\n\nThe River\nIt flooded in spring.\n\nThe End\nThat was all.\n", ""},
		{"srt", "1\n0:0:1.000 --> 0:0:2.000\nAna\nHola.\n\n2\n0:0:3.000 --> 0:0:4.000\nLuis\nAdiós.\n", ""},
		{"two turns", "Ana Ruiz  0:03\nHola.\n\nLuis Vega  0:05\nAdiós.\n", LayoutOtter},
		{"names with a role", "Ana Ruiz (Guest)  0:03\nHola.\n\nLuis Vega (Host)  0:05\nAdiós.\n", LayoutOtter},
		{"prose with a few head-like lines", "Ana Ruiz  0:03\nHola.\n\nUno.\n\nDos.\n\nTres.\n\nLuis Vega  0:05\nAdiós.\n\nCuatro.\n\nCinco.\n\nSeis.\n\nSiete.\n\nOcho.\n", ""},
		{"turns of several paragraphs", "Speaker 1 (00:00):\nUno.\n\nDos.\n\nSpeaker 2 (00:09):\nTres.\n\nCuatro.\n\nCinco.\n\nSpeaker 1 (01:10):\nSeis.\n", LayoutRev},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got, conf := DetectLayout(tc.text); got != tc.want {
				t.Errorf("got %q (confidence %.2f), want %q", got, conf, tc.want)
			}
		})
	}
}

// TestWhisperLongLine reads Whisper JSON written on one line, far past
// any line limit (the tools write it so).
func TestWhisperLongLine(t *testing.T) {
	var b strings.Builder
	b.WriteString(`{"text": "`)
	for i := 0; i < 5000; i++ {
		b.WriteString("palabra ")
	}
	b.WriteString(`", "segments": [`)
	const n = 4000
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, `{"id": %d, "start": %d.5, "end": %d.9, "text": " Segmento número %d.", "words": [{"word": " Segmento", "start": %d.5, "end": %d.7}]}`, i, i, i, i, i, i)
	}
	b.WriteString(`], "language": "es"}`)
	if b.Len() < 200_000 || strings.Contains(b.String(), "\n") {
		t.Fatalf("test file is %d bytes", b.Len())
	}
	tr, err := Read("largo.json", []byte(b.String()))
	if err != nil {
		t.Fatal(err)
	}
	if len(tr.Cues) != n {
		t.Fatalf("got %d cues, want %d", len(tr.Cues), n)
	}
	if c := tr.Cues[n-1]; c.Start != time.Duration(n-1)*time.Second+500*time.Millisecond || c.Text != fmt.Sprintf("Segmento número %d.", n-1) {
		t.Errorf("last cue %+v", c)
	}
}

// TestMoments cuts a long turn into sentences with interpolated, estimated
// starts between the times the file gives.
func TestMoments(t *testing.T) {
	long := strings.Repeat("Fuimos al mercado con mi abuela. ", 40) // 40 sentences, 1320 characters
	text := "[00:00:00] LUCÍA: ¿Qué hacían los domingos?\n\n[00:00:05] RAMÓN: " + long + "\n\n[00:20:05] LUCÍA: Gracias.\n"
	tr, err := Read("t.txt", []byte(text))
	if err != nil {
		t.Fatal(err)
	}
	var pieces []Cue
	for _, c := range tr.Cues {
		if c.Speaker == "Ramón" {
			pieces = append(pieces, c)
		}
	}
	if len(pieces) < 8 {
		t.Fatalf("got %d pieces of the long turn, want it cut into moments", len(pieces))
	}
	if pieces[0].Start != 5*time.Second || pieces[0].Estimated {
		t.Errorf("first piece %+v, want the file's start", pieces[0])
	}
	words := 0
	for i, p := range pieces {
		words += len(strings.Fields(p.Text))
		if utf8Len(p.Text) > momentRunes {
			t.Errorf("piece %d has %d characters", i, utf8Len(p.Text))
		}
		if i > 0 && (!p.Estimated || p.Start <= pieces[i-1].Start || p.Start >= 20*time.Minute+5*time.Second) {
			t.Errorf("piece %d: start %s, estimated %v", i, FormatTime(p.Start), p.Estimated)
		}
	}
	if words != 6*40 {
		t.Errorf("got %d words, want %d", words, 6*40)
	}
}

func utf8Len(s string) int { return len([]rune(s)) }

// FuzzLayouts feeds the layout detector and the readers of every layout:
// they never panic, times stay in order, every word of a turn's text
// ends up in exactly one cue, and what reads writes back as SRT and
// reads again with as many cues.
func FuzzLayouts(f *testing.F) {
	files, _ := filepath.Glob("testdata/layouts/*")
	for _, p := range files {
		if strings.HasSuffix(p, ".golden") {
			continue
		}
		if data, err := os.ReadFile(p); err == nil {
			f.Add(filepath.Base(p), data)
		}
	}
	f.Add("a.txt", []byte("0:0:1.000 --> 0:0:2.000\nRuiz, Ana\nHola.\n\n0:0:3.500\nVega, Luis\nAdiós. [crosstalk 00:00:04] Sí.\n"))
	f.Add("a.txt", []byte("Ana  0:01\nUno. Dos.\n\nLuis  0:00\nTres.\n\nAna\nCuatro\n"))
	f.Fuzz(func(t *testing.T, name string, data []byte) {
		text := string(data)
		if lay, conf := DetectLayout(text); (lay == "") != (conf == 0) || conf < 0 || conf > 1 {
			t.Fatalf("layout %q with confidence %v", lay, conf)
		}
		tr, err := Read(name, data)
		if err != nil {
			if tr != nil {
				t.Fatal("track and error both returned")
			}
			return
		}
		for i, c := range tr.Cues {
			if c.End < c.Start || c.Start < 0 {
				t.Fatalf("cue %d: %s-%s", i+1, FormatTime(c.Start), FormatTime(c.End))
			}
			if i > 0 && c.Start < tr.Cues[i-1].Start {
				t.Fatalf("cue %d out of order", i+1)
			}
		}
		if tr.Format != FormatTranscript {
			return
		}
		// Moments never lose or add a word of the turn they come from.
		before, after := 0, 0
		for _, c := range tr.Cues {
			after += len(strings.Fields(c.Text))
		}
		for _, c := range splitMoments(tr.Cues) {
			before += len(strings.Fields(c.Text))
		}
		if before != after {
			t.Fatalf("moments: %d words, then %d", after, before)
		}
		if len(tr.Cues) == 0 || len(tr.Cues) > 200 {
			return
		}
		var b bytes.Buffer
		if err := Write(&b, FormatSRT, tr.Cues); err != nil {
			return
		}
		back, err := Read("x.srt", b.Bytes())
		if err != nil {
			if representable(tr.Cues) {
				t.Fatalf("written SRT does not read back: %v\n%s", err, b.String())
			}
			return
		}
		if len(back.Cues) != len(tr.Cues) {
			t.Fatalf("wrote %d cues, read back %d", len(tr.Cues), len(back.Cues))
		}
	})
}
