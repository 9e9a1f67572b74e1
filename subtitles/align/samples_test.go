package align

import (
	"io/fs"
	"path"
	"strings"
	"testing"
	"time"

	"github.com/recuerdo-archive/recuerdo/samples"
	"github.com/recuerdo-archive/recuerdo/subtitles"
)

func readTrack(t *testing.T, dir, lang string) []subtitles.Cue {
	t.Helper()
	for _, ext := range []string{"srt", "vtt"} {
		name := path.Join(dir, lang+"."+ext)
		data, err := fs.ReadFile(samples.FS, name)
		if err != nil {
			continue
		}
		tr, err := subtitles.Read(name, data)
		if err != nil {
			t.Fatal(err)
		}
		return tr.Cues
	}
	t.Fatalf("no %s track in %s", lang, dir)
	return nil
}

// TestSamplesGold scores alignment of the bundled samples against their
// hand-made gold pairs, as they are and distorted by an offset and a
// frame-rate change.
func TestSamplesGold(t *testing.T) {
	dirs, _ := fs.ReadDir(samples.FS, ".")
	for _, d := range dirs {
		if !d.IsDir() {
			continue
		}
		data, err := fs.ReadFile(samples.FS, path.Join(d.Name(), "gold.tsv"))
		if err != nil {
			continue
		}
		gold, err := ReadGold(strings.NewReader(string(data)))
		if err != nil {
			t.Fatal(err)
		}
		src, tgt := readTrack(t, d.Name(), "es"), readTrack(t, d.Name(), "en")
		for _, dist := range []struct {
			name   string
			scale  float64
			offset time.Duration
		}{
			{"as is", 1, 0},
			{"offset +2.35s, 25→23.976", 25 / (24000.0 / 1001), 2350 * time.Millisecond},
			{"offset -4s, 1000/1001", 1001.0 / 1000, -4 * time.Second},
		} {
			t.Run(d.Name()+"/"+dist.name, func(t *testing.T) {
				res := Time(src, distort(tgt, dist.scale, dist.offset), Options{})
				checkCover(t, res, len(src), len(tgt))
				sc := Evaluate(res.Pairs, gold)
				got := sc.F1
				t.Logf("strict F1 %.4f, lax F1 %.4f (%d gold pairs), scale %.5f, offset %v", got, sc.LaxF1, len(gold), res.Scale, res.Offset)
				if got < 0.98 {
					t.Errorf("strict F1 %.4f, want ≥ 0.98", got)
				}
			})
		}
	}
}
