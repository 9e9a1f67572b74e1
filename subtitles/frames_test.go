package subtitles

import (
	"testing"
	"time"
)

func TestFrames(t *testing.T) {
	const df = 30000.0 / 1001
	tests := []struct {
		tc     string
		fps    float64
		frames int
	}{
		{"00:00:00:00", 25, 0},
		{"01:00:00:00", 25, 90000},
		{"00:00:01:12", 25, 37},
		{"01:00:00;00", df, 107892},
		{"00:01:00;02", df, 1800},
		{"00:10:00;00", df, 17982},
		{"00:00:59;29", df, 1799},
		{"01:00:00;00", 60000.0 / 1001, 215784},
		{"10:00:00:00", 24000.0 / 1001, 864000},
	}
	for _, tt := range tests {
		got, err := TimecodeFrames(tt.tc, tt.fps)
		if err != nil || got != tt.frames {
			t.Errorf("TimecodeFrames(%q, %.3f) = %d, %v; want %d", tt.tc, tt.fps, got, err, tt.frames)
		}
		if s := FramesTimecode(tt.frames, tt.fps); s != tt.tc {
			t.Errorf("FramesTimecode(%d, %.3f) = %q; want %q", tt.frames, tt.fps, s, tt.tc)
		}
	}
	for _, bad := range []struct {
		tc  string
		fps float64
	}{{"01:00:00", 25}, {"01:00:00:25", 25}, {"01:00:00:00", 0}, {"01:00:00:00", -25}} {
		if _, err := TimecodeFrames(bad.tc, bad.fps); err == nil {
			t.Errorf("TimecodeFrames(%q, %v): want an error", bad.tc, bad.fps)
		}
	}
	if s := FramesTimecode(-3, 25); s != "00:00:00:00" {
		t.Errorf("FramesTimecode(-3, 25) = %q; want 00:00:00:00", s)
	}
	if s := FramesTimecode(10, 0); s != "" {
		t.Errorf("FramesTimecode(10, 0) = %q; want \"\"", s)
	}
	if !DropFrame(df) || !DropFrame(59.94) || DropFrame(25) || DropFrame(30) {
		t.Error("DropFrame: want true only at 29.97 and 59.94")
	}
}

// TestFramesAgreeWithSMPTE checks that FrameAt and FramesTimecode give the
// timecode SMPTE writes.
func TestFramesAgreeWithSMPTE(t *testing.T) {
	for _, fps := range []float64{24000.0 / 1001, 25, 30000.0 / 1001, 50, 60000.0 / 1001} {
		for _, start := range []string{"", "01:00:00:00", "00:59:59:00"} {
			base := 0
			if start != "" {
				base, _ = TimecodeFrames(start, fps)
			}
			for ms := int64(0); ms < 4*3600*1000; ms += 997_331 {
				d := time.Duration(ms) * time.Millisecond
				want, err := SMPTE(d, fps, start)
				if err != nil {
					t.Fatal(err)
				}
				if got := FramesTimecode(base+FrameAt(d, fps), fps); got != want {
					t.Errorf("%v at %.3f from %q: got %s, want %s", d, fps, start, got, want)
				}
			}
		}
	}
}
