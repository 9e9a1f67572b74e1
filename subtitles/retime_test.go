package subtitles

import (
	"strings"
	"testing"
	"time"
)

func TestRetime(t *testing.T) {
	plus := func(d time.Duration) func(time.Duration) time.Duration {
		return func(x time.Duration) time.Duration { return x + d }
	}
	tests := []struct {
		name, file, in, want string
		f                    func(time.Duration) time.Duration
		clamped              int
	}{
		{"srt keeps everything else", "a.srt",
			"1\n00:00:01,000 --> 00:00:02,500 X1:40\n<i>Hola</i>\n\n2\n00:00:03,000 --> 00:00:04,000\nAdiós\n",
			"1\n00:00:03,350 --> 00:00:04,850 X1:40\n<i>Hola</i>\n\n2\n00:00:05,350 --> 00:00:06,350\nAdiós\n", plus(2350 * time.Millisecond), 0},
		{"vtt settings and crlf", "a.vtt",
			"WEBVTT\r\n\r\nNOTE hola\r\n\r\n00:01.000 --> 00:02.000 line:10%\r\n<v Ana>Hola\r\n",
			"WEBVTT\r\n\r\nNOTE hola\r\n\r\n00:00:00.500 --> 00:00:01.500 line:10%\r\n<v Ana>Hola\r\n", plus(-500 * time.Millisecond), 0},
		{"negative clamps", "a.srt",
			"1\n00:00:01,000 --> 00:00:02,000\nHola\n",
			"1\n00:00:00,000 --> 00:00:00,000\nHola\n", plus(-3 * time.Second), 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, clamped, err := Retime(tt.file, []byte(tt.in), tt.f)
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != tt.want || clamped != tt.clamped {
				t.Errorf("got %q (%d clamped), want %q (%d)", got, clamped, tt.want, tt.clamped)
			}
		})
	}
	if _, _, err := Retime("a.ass", []byte("[Script Info]\n[Events]\n"), plus(0)); err == nil || !strings.Contains(err.Error(), "not supported") {
		t.Errorf("ssa: got %v, want not supported", err)
	}
}

func FuzzRetime(f *testing.F) {
	f.Add("a.srt", "1\n00:00:01,000 --> 00:00:02,000\nHola\n", int64(1500))
	f.Add("a.vtt", "WEBVTT\n\n00:01.000 --> 00:02.000 line:10%\n<v Ana>Hola\n", int64(-3000))
	f.Fuzz(func(t *testing.T, name, data string, shiftMS int64) {
		shift := time.Duration(shiftMS%3600000) * time.Millisecond
		out, _, err := Retime(name, []byte(data), func(d time.Duration) time.Duration { return d + shift })
		if err != nil {
			return
		}
		before, err1 := ReadOrdered(name, []byte(data))
		after, err2 := ReadOrdered(name, out)
		if err1 == nil && err2 == nil && len(before.Cues) != len(after.Cues) {
			t.Fatalf("retiming changed the cue count from %d to %d", len(before.Cues), len(after.Cues))
		}
	})
}
