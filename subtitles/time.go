package subtitles

import (
	"fmt"
	"time"
)

// FormatTime writes d as HH:MM:SS.mmm, the way people read timecodes.
func FormatTime(d time.Duration) string {
	sign := ""
	if d < 0 {
		sign, d = "-", -d
	}
	ms := d.Milliseconds()
	return fmt.Sprintf("%s%02d:%02d:%02d.%03d", sign, ms/3600000, ms/60000%60, ms/1000%60, ms%1000)
}

// ParseTime reads a timecode written as HH:MM:SS.mmm, HH:MM:SS,mmm, MM:SS,
// or plain seconds ("754.5"), below MaxTime.
func ParseTime(s string) (time.Duration, error) {
	var h, m int
	var sec float64
	var err error
	parts := splitColons(s)
	switch len(parts) {
	case 1:
		sec, err = parseSeconds(parts[0])
	case 2:
		if m, err = parseInt(parts[0]); err == nil {
			sec, err = parseSeconds(parts[1])
		}
	case 3:
		if h, err = parseInt(parts[0]); err == nil {
			if m, err = parseInt(parts[1]); err == nil {
				sec, err = parseSeconds(parts[2])
			}
		}
	default:
		err = fmt.Errorf("too many colons")
	}
	if err != nil || m >= 60 && len(parts) == 3 || sec >= 60 && len(parts) > 1 {
		return 0, fmt.Errorf("bad timecode %q (want HH:MM:SS.mmm)", s)
	}
	d := time.Duration(h)*time.Hour + time.Duration(m)*time.Minute + time.Duration(sec*1000+0.5)*time.Millisecond
	if d >= MaxTime {
		return 0, fmt.Errorf("timecode %q %v", s, errTimeRange)
	}
	return d, nil
}

func splitColons(s string) []string {
	var parts []string
	start := 0
	for i := 0; i < len(s); i++ {
		if s[i] == ':' {
			parts = append(parts, s[start:i])
			start = i + 1
		}
	}
	return append(parts, s[start:])
}

func parseInt(s string) (int, error) {
	if s == "" {
		return 0, fmt.Errorf("empty")
	}
	n := 0
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, fmt.Errorf("not a number")
		}
		n = n*10 + int(s[i]-'0')
		if n > 1e6 {
			return 0, fmt.Errorf("too large")
		}
	}
	return n, nil
}

func parseSeconds(s string) (float64, error) {
	whole, frac := s, ""
	for i := 0; i < len(s); i++ {
		if s[i] == '.' || s[i] == ',' {
			whole, frac = s[:i], s[i+1:]
			break
		}
	}
	w, err := parseInt(whole)
	if err != nil {
		return 0, err
	}
	f := 0.0
	if frac != "" {
		n, err := parseInt(frac)
		if err != nil || len(frac) > 3 {
			return 0, fmt.Errorf("bad fraction")
		}
		f = float64(n)
		for range len(frac) {
			f /= 10
		}
	}
	return float64(w) + f, nil
}
