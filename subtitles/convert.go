package subtitles

import (
	"bytes"
	"fmt"
	"path/filepath"
	"strings"
	"time"
)

// ParseFormat names the writable format for a name or file extension:
// "srt", "vtt" or "webvtt", "ass" or "ssa", "ttml", "dfxp" or "xml", "stl".
func ParseFormat(s string) (Format, error) {
	switch strings.ToLower(strings.TrimPrefix(s, ".")) {
	case "srt":
		return FormatSRT, nil
	case "vtt", "webvtt":
		return FormatWebVTT, nil
	case "ass", "ssa":
		return FormatSSA, nil
	case "ttml", "dfxp", "xml":
		return FormatTTML, nil
	case "stl":
		return FormatSTL, nil
	}
	return "", fmt.Errorf("unknown subtitle format %q (want srt, vtt, ass, ttml or stl)", s)
}

// FormatOf returns the writable format a file name's extension names.
func FormatOf(name string) (Format, error) {
	ext := filepath.Ext(name)
	if ext == "" {
		return "", fmt.Errorf("%s has no extension to tell the format by", name)
	}
	return ParseFormat(ext)
}

// RetimeFile maps every time of a subtitle file through f. SRT and WebVTT
// (through Retime) and SSA/ASS keep every byte but the times; the result
// is UTF-8, with the file's byte-order mark and line endings. TTML and
// EBU STL are read, retimed and written again with WriteWith, losing
// their styling. Times f maps below zero become zero; it returns how many.
func RetimeFile(name string, data []byte, f func(time.Duration) time.Duration) (out []byte, clamped int, err error) {
	if !isSTL(data) {
		text, enc, err := Decode(data)
		if err != nil {
			return nil, 0, &Error{File: name, Msg: "cannot decode text: " + err.Error(), Err: err}
		}
		switch Detect(name, text) {
		case FormatSRT, FormatWebVTT:
			return Retime(name, data, f)
		case FormatSSA:
			if _, err := ReadOrdered(name, data); err != nil {
				return nil, 0, err
			}
			s, clamped, err := retimeSSA(name, text, f)
			if err != nil {
				return nil, 0, err
			}
			if bytes.Contains(data, []byte("\r\n")) {
				s = strings.ReplaceAll(s, "\n", "\r\n")
			}
			if enc == "utf-8-bom" {
				s = "\ufeff" + s
			}
			return []byte(s), clamped, nil
		}
	}
	tr, err := ReadOrdered(name, data)
	if err != nil {
		return nil, 0, err
	}
	if tr.Format != FormatTTML && tr.Format != FormatSTL {
		return nil, 0, &Error{File: name, Msg: fmt.Sprintf("retiming %s files is not supported (SRT, WebVTT, ASS, TTML and EBU STL are)", strings.ToUpper(string(tr.Format)))}
	}
	counted := func(t time.Duration) time.Duration {
		u := f(t)
		if u < 0 {
			clamped++
		}
		return u
	}
	cues := MapTimes(tr.Cues, counted)
	opt := WriteOptions{SpeakerLabels: true}
	if tr.Format == FormatSTL && bytes.HasPrefix(data[3:], []byte("STL30")) {
		opt.FPS = 30
	}
	var b bytes.Buffer
	if err := WriteWith(&b, tr.Format, cues, opt); err != nil {
		return nil, 0, err
	}
	return b.Bytes(), clamped, nil
}
