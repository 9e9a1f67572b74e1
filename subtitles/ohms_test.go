package subtitles

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestOHMS(t *testing.T) {
	read := func(name string) (*Track, error) {
		data, err := os.ReadFile(filepath.Join(sharedTestdata, "oral-history/scihist-ohms", name))
		if errors.Is(err, os.ErrNotExist) {
			t.Skip("shared testdata not present")
		}
		if err != nil {
			t.Fatal(err)
		}
		return Read(name, data)
	}
	// v5: a <sync> string puts minute 1 at line 13, word 1 of the transcript.
	tr, err := read("duarte_OH0344.xml")
	if err != nil {
		t.Fatal(err)
	}
	if tr.Format != FormatOHMS || len(tr.Cues) != 107 || len(tr.Chapters) != 7 {
		t.Fatalf("duarte: got %s, %d cues, %d chapters; want ohms, 107, 7", tr.Format, len(tr.Cues), len(tr.Chapters))
	}
	var minute1 *Cue
	for i := range tr.Cues {
		if tr.Cues[i].Start == time.Minute {
			minute1 = &tr.Cues[i]
			break
		}
	}
	if minute1 == nil || minute1.Estimated || minute1.Speaker != "Duarte" || !strings.HasPrefix(minute1.Text, "My grandfather Cardoza") {
		t.Errorf("duarte: the cue at 1:00 is %+v", minute1)
	}
	if c := tr.Chapters[0]; c.Title != "Early childhood and Duarte family history" || len(c.Keywords) != 10 {
		t.Errorf("duarte: first chapter %+v", c)
	}
	// v6: a WebVTT transcript, whose last cue OHMS ends at 00:00:00.
	tr, err = read("small-sample-vtt-ohms.xml")
	if err != nil {
		t.Fatal(err)
	}
	last := tr.Cues[len(tr.Cues)-1]
	if len(tr.Cues) != 6 || tr.Cues[0].Speaker != "Schneider" || last.End != last.Start+5*time.Second {
		t.Errorf("small-sample: got %d cues, first speaker %q, last %v-%v", len(tr.Cues), tr.Cues[0].Speaker, last.Start, last.End)
	}
	// An index without a transcript.
	tr, err = read("alyea_OH0010.xml")
	if err != nil {
		t.Fatal(err)
	}
	if len(tr.Cues) != 0 || len(tr.Chapters) != 15 || len(tr.Chapters[0].Keywords) != 16 || tr.Chapters[0].Start != 3*time.Second {
		t.Errorf("alyea: got %d cues, %d chapters, %+v", len(tr.Cues), len(tr.Chapters), tr.Chapters[0])
	}
	// Neither.
	if _, err := read("empty_ohms.xml"); err == nil || !strings.Contains(err.Error(), "no transcript and no index") {
		t.Errorf("empty: got %v", err)
	}
}

func TestInsertSync(t *testing.T) {
	got, err := insertSync("uno dos tres\ncuatro cinco", "1:|1(2)|2(1)")
	if err != nil {
		t.Fatal(err)
	}
	if want := "uno [00:01:00] dos tres\n[00:02:00] cuatro cinco"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	if _, err := insertSync("x", "1:|a(b)"); err == nil {
		t.Error("bad point: want an error")
	}
}
