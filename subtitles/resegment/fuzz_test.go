package resegment

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/recuerdo-archive/recuerdo/subtitles"
)

// FuzzResegment cuts arbitrary text with arbitrary word timings: it must
// never panic, keep every word in order and never overlap subtitles.
func FuzzResegment(f *testing.F) {
	f.Add("Abuelo, ¿ya está grabando? Sí, ya.", " Abuelo,| ¿ya| está| grab|ando|?", int64(1000), int64(3000), uint16(200), "LUCÍA")
	f.Add("- ¿Y usted?\n- Yo no.", "", int64(0), int64(0), uint16(0), "")
	f.Add(strings.Repeat("palabra ", 60)+"supercalifragilisticoespialidosamentelarguísima", "palabra|palabra", int64(5000), int64(4000), uint16(10), "A")
	f.Fuzz(func(t *testing.T, text, tokens string, start, end int64, step uint16, speaker string) {
		c := subtitles.Cue{Start: time.Duration(start) * time.Millisecond, End: time.Duration(end) * time.Millisecond, Text: text, Speaker: speaker}
		var ws []subtitles.Word
		at := c.Start
		for _, tk := range strings.Split(tokens, "|") {
			ws = append(ws, subtitles.Word{Start: at, End: at + time.Duration(step)*time.Millisecond, Text: tk})
			at += time.Duration(step) * time.Millisecond
		}
		cues := []subtitles.Cue{c, {Start: c.End, End: c.End + time.Second, Text: text, Speaker: "B"}}
		for _, lim := range []Limits{netflixES, bbc, {MaxLineChars: 10, MaxLines: 3, MaxCPS: 5, MinDuration: time.Second}} {
			out, err := Resegment(cues, [][]subtitles.Word{ws}, lim)
			if err != nil {
				t.Fatal(err)
			}
			want := words(cues)
			if len(strings.Fields(text)) == 0 {
				want = words(out) // the words came from the tokens
			}
			if got := words(out); !slices.Equal(got, want) {
				t.Fatalf("words changed:\ngot  %q\nwant %q", got, want)
			}
			for i := range out {
				if out[i].End <= out[i].Start || i > 0 && out[i].Start < out[i-1].End {
					t.Fatalf("cue %d: %v-%v after %v", i+1, out[i].Start, out[i].End, out[max(i-1, 0)].End)
				}
			}
		}
	})
}
