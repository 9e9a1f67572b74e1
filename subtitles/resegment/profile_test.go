package resegment

import (
	"testing"
	"time"

	"github.com/recuerdo-archive/recuerdo/subtitles/qc"
)

func TestProfileLimits(t *testing.T) {
	ms := time.Millisecond
	tests := []struct {
		profile string
		fps     float64
		want    Limits
	}{
		// 2 frames at 23.976 are 83.4 ms, kept as 84; 12.5 frames are 521.4 ms.
		{"netflix-en", 0, Limits{MaxLineChars: 42, MaxLines: 2, MaxCPS: 20, MinDuration: 833333333, MaxDuration: 7 * time.Second, MinGap: 84 * ms, CloseGap: 522 * ms}},
		{"netflix-en", 24000.0 / 1001, Limits{MaxLineChars: 42, MaxLines: 2, MaxCPS: 20, MinDuration: 833333333, MaxDuration: 7 * time.Second, MinGap: 84 * ms, CloseGap: 522 * ms}},
		{"netflix-es-419", 25, Limits{MaxLineChars: 42, MaxLines: 2, MaxCPS: 17, MinDuration: 833333333, MaxDuration: 7 * time.Second, MinGap: 80 * ms, CloseGap: 500 * ms}},
		{"netflix-es-es", 30, Limits{MaxLineChars: 42, MaxLines: 2, MaxCPS: 17, MinDuration: 833333333, MaxDuration: 7 * time.Second, MinGap: 67 * ms, CloseGap: 417 * ms}},
		// Words a minute, and no frame rules.
		{"bbc", 25, Limits{MaxLineChars: 37, MaxLines: 2, MaxWPM: 180}},
	}
	for _, tt := range tests {
		t.Run(tt.profile, func(t *testing.T) {
			p, err := qc.Lookup(tt.profile)
			if err != nil {
				t.Fatal(err)
			}
			if got := ProfileLimits(p, tt.fps); got != tt.want {
				t.Errorf("ProfileLimits(%s, %v) = %+v, want %+v", tt.profile, tt.fps, got, tt.want)
			}
		})
	}
}
