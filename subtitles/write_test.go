package subtitles

import (
	"bytes"
	"testing"
	"time"
)

func TestWriteRoundTrip(t *testing.T) {
	cues := []Cue{
		{Start: 1500 * time.Millisecond, End: 3999600 * time.Microsecond, Speaker: "Ramón", Text: "Tom & Jerry <3\nsegunda línea"},
		{Start: 5 * time.Second, End: 7 * time.Second, Speaker: "Ramón", Text: "¿Y después?"},
	}
	for _, f := range []Format{FormatSRT, FormatWebVTT} {
		var b bytes.Buffer
		if err := Write(&b, f, cues); err != nil {
			t.Fatal(err)
		}
		tr, err := Read("x."+string(f), b.Bytes())
		if err != nil {
			t.Fatalf("%s: read back: %v\n%s", f, err, b.String())
		}
		if len(tr.Cues) != 2 || tr.Cues[0].End != 4*time.Second || tr.Cues[1].Text != "¿Y después?" {
			t.Errorf("%s: got %+v", f, tr.Cues)
		}
		if f == FormatWebVTT && tr.Cues[0].Speaker != "Ramón" {
			t.Errorf("vtt: speaker lost: %+v", tr.Cues[0])
		}
	}
	if err := Write(&bytes.Buffer{}, FormatTTML, cues); err == nil {
		t.Error("ttml: want an error")
	}
}
