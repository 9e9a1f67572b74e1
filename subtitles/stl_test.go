package subtitles

import (
	"bytes"
	"testing"
	"time"

	"github.com/asticode/go-astisub"
)

// TestSTL writes an EBU STL file with go-astisub (no STL file is among the
// shared test data) and reads it back, detected from its header.
func TestSTL(t *testing.T) {
	s := astisub.NewSubtitles()
	for i, text := range []string{"Cada mes tomaba el autobus.", "Llevaba quesos."} {
		s.Items = append(s.Items, &astisub.Item{
			StartAt: time.Duration(1+3*i) * time.Second,
			EndAt:   time.Duration(3+3*i) * time.Second,
			Lines:   []astisub.Line{{Items: []astisub.LineItem{{Text: text}}}},
		})
	}
	var b bytes.Buffer
	if err := s.WriteToSTL(&b); err != nil {
		t.Fatal(err)
	}
	tr, err := Read("viajes.bin", b.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if tr.Format != FormatSTL || len(tr.Cues) != 2 || tr.Cues[1].Text != "Llevaba quesos." || tr.Cues[1].Start != 4*time.Second {
		t.Errorf("got %s %+v", tr.Format, tr.Cues)
	}
}
