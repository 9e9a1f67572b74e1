package subtitles

import (
	"testing"
	"time"
)

func TestSMPTE(t *testing.T) {
	tests := []struct {
		d     time.Duration
		fps   float64
		start string
		want  string
	}{
		{0, 25, "", "00:00:00:00"},
		{1500 * time.Millisecond, 25, "", "00:00:01:12"},
		{754 * time.Second, 25, "10:00:00:00", "10:12:34:00"},
		{time.Second, 24000.0 / 1001, "01:00:00:00", "01:00:00:23"}, // 23.976 frames in a second of real time
		{time.Minute, 30000.0 / 1001, "", "00:00:59;28"},            // 1798.2 frames: drop-frame skips ;00 and ;01
		{10 * time.Minute, 30000.0 / 1001, "", "00:10:00;00"},       // 17982 frames: every tenth minute keeps them
		{time.Hour, 30000.0 / 1001, "01:00:00;00", "02:00:00;00"},
		{0, 30000.0 / 1001, "00:01:00;02", "00:01:00;02"},
	}
	for _, tt := range tests {
		got, err := SMPTE(tt.d, tt.fps, tt.start)
		if err != nil || got != tt.want {
			t.Errorf("SMPTE(%v, %.3f, %q) = %q, %v; want %q", tt.d, tt.fps, tt.start, got, err, tt.want)
		}
	}
	for _, bad := range []string{"1:00:00", "01:00:00:25", "01:61:00:00", "aa:00:00:00"} {
		if _, err := SMPTE(0, 25, bad); err == nil {
			t.Errorf("SMPTE start %q: want an error", bad)
		}
	}
}
