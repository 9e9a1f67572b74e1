package align

import (
	"io/fs"
	"path"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/recuerdo-archive/recuerdo/samples"
	"github.com/recuerdo-archive/recuerdo/subtitles"
)

func TestUntimed(t *testing.T) {
	timed := subtitles.Cue{Start: time.Second, End: 2 * time.Second, Text: "Hola."}
	est := subtitles.Cue{Start: time.Second, End: 2 * time.Second, Text: "Hola.", Estimated: true}
	tests := []struct {
		name string
		cues []subtitles.Cue
		want bool
	}{
		{"none", nil, false},
		{"all timed", []subtitles.Cue{timed, timed}, false},
		{"all estimated", []subtitles.Cue{est, est}, true},
		{"one stamp among estimates", []subtitles.Cue{timed, est, est}, false},
	}
	for _, tt := range tests {
		if got := Untimed(tt.cues); got != tt.want {
			t.Errorf("Untimed(%s) = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestLines(t *testing.T) {
	got := Lines([]subtitles.Cue{{Text: "Cada mes\ntomaba el autobús."}, {Text: "Quesos."}, {}})
	want := []string{"Cada mes tomaba el autobús.", "Quesos.", ""}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Lines = %q, want %q", got, want)
	}
}

// TestAuto checks that Auto takes the method the target's timing allows,
// and gives what that method gives.
func TestAuto(t *testing.T) {
	src, en := readTrack(t, "abuelo-autobus", "es"), readTrack(t, "abuelo-autobus", "en")
	untimed := make([]subtitles.Cue, len(en))
	for i, c := range en {
		// As a transcript without timestamps reads: times spread, all estimated.
		untimed[i] = subtitles.Cue{Start: time.Duration(i) * time.Second, End: time.Duration(i+1) * time.Second, Text: c.Text, Estimated: true}
	}
	partly := append([]subtitles.Cue(nil), untimed...)
	partly[0].Estimated = false
	opt := Options{}
	tests := []struct {
		name   string
		tgt    []subtitles.Cue
		method string
		want   Result
	}{
		{"timed", en, "time", Time(src, en, opt)},
		{"untimed", untimed, "text", TextWith(src, Lines(untimed), opt)},
		{"one stamp", partly, "", Time(src, partly, opt)},
		{"empty", nil, "time", Time(src, nil, opt)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Auto(src, tt.tgt, opt)
			if tt.method != "" && got.Method != tt.method {
				t.Errorf("Method %q, want %q", got.Method, tt.method)
			}
			if got.Method != tt.want.Method || !reflect.DeepEqual(got.Pairs, tt.want.Pairs) {
				t.Errorf("Auto gave %s with %d pairs, want %s with %d", got.Method, len(got.Pairs), tt.want.Method, len(tt.want.Pairs))
			}
			checkCover(t, got, len(src), len(tt.tgt))
		})
	}
}

// TestAutoUntimedSamples: an untimed translation aligned through Auto
// scores on the samples as TextWith does (TestTextSamples).
func TestAutoUntimedSamples(t *testing.T) {
	for _, dir := range []string{"abuelo-autobus", "casa-puerta-azul", "cocina-y-trabajo"} {
		gold := readGoldSample(t, dir)
		src, en := readTrack(t, dir, "es"), readTrack(t, dir, "en")
		for i := range en {
			en[i].Start, en[i].End, en[i].Estimated = 0, 0, true
		}
		res := Auto(src, en, Options{})
		if res.Method != "text" {
			t.Fatalf("%s: method %q, want text", dir, res.Method)
		}
		if sc := Evaluate(res.Pairs, gold); sc.F1 < 0.92 {
			t.Errorf("%s: strict F1 %.3f, want ≥ 0.92", dir, sc.F1)
		}
	}
}

func readGoldSample(t *testing.T, dir string) []Pair {
	t.Helper()
	data, err := fs.ReadFile(samples.FS, path.Join(dir, "gold.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	gold, err := ReadGold(strings.NewReader(string(data)))
	if err != nil {
		t.Fatal(err)
	}
	return gold
}
