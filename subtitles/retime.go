package subtitles

import (
	"fmt"
	"strings"
	"time"
)

// Retime rewrites the timing lines of an SRT or WebVTT file through f,
// leaving every other byte of the (decoded) text as it was: cue numbers,
// settings, styling, notes. The result is UTF-8 with the file's own
// byte-order mark and line endings kept. Times that f maps below zero
// become zero; it returns how many did.
func Retime(name string, data []byte, f func(time.Duration) time.Duration) (out []byte, clamped int, err error) {
	text, enc, err := Decode(data)
	if err != nil {
		return nil, 0, &Error{File: name, Msg: "cannot decode text: " + err.Error(), Err: err}
	}
	format := Detect(name, text)
	sep := ","
	switch format {
	case FormatSRT:
	case FormatWebVTT:
		sep = "."
	default:
		return nil, 0, &Error{File: name, Msg: fmt.Sprintf("retiming %s files is not supported yet (SRT and WebVTT are)", strings.ToUpper(string(format)))}
	}
	if _, err := readSRTVTT(name, text, format); err != nil {
		return nil, 0, err
	}
	lines := strings.Split(text, "\n")
	for n, line := range lines {
		m := timecodeLine.FindStringSubmatchIndex(line)
		if m == nil || !strings.Contains(line, "-->") {
			continue
		}
		a, err := parseCueTime(line[m[2]:m[3]])
		if err != nil {
			return nil, 0, &Error{File: name, Line: n + 1, Msg: err.Error()}
		}
		b, err := parseCueTime(line[m[4]:m[5]])
		if err != nil {
			return nil, 0, &Error{File: name, Line: n + 1, Msg: err.Error()}
		}
		na, nb := f(a), f(b)
		if na < 0 {
			na, clamped = 0, clamped+1
		}
		if nb < na {
			nb = na
		}
		lines[n] = stamp(na, sep) + " --> " + stamp(nb, sep) + line[m[5]:]
	}
	out = []byte(strings.Join(lines, "\n"))
	if strings.Contains(string(data), "\r\n") {
		out = []byte(strings.ReplaceAll(string(out), "\n", "\r\n"))
	}
	if enc == "utf-8-bom" {
		out = append([]byte("\ufeff"), out...)
	}
	return out, clamped, nil
}

// stamp writes HH:MM:SS,mmm (or .mmm), rounding to the millisecond.
func stamp(d time.Duration, sep string) string {
	ms := d.Round(time.Millisecond).Milliseconds()
	return fmt.Sprintf("%02d:%02d:%02d%s%03d", ms/3600000, ms/60000%60, ms/1000%60, sep, ms%1000)
}
