package subtitles

import (
	"bytes"
	"errors"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"

	stdunicode "unicode"
)

// Decode turns a file's bytes into UTF-8 text with "\n" line endings.
// It recognises UTF-8 (with or without a byte-order mark), UTF-16 LE and BE
// (with a byte-order mark, or without one when the zero bytes give it away),
// and falls back to Windows-1252, the usual encoding of Spanish subtitles
// written on Windows, which also covers ISO-8859-1's printable characters.
// It returns the name of the encoding it used.
func Decode(data []byte) (text string, enc string, err error) {
	var dec *encoding.Decoder
	switch {
	case bytes.HasPrefix(data, []byte{0xEF, 0xBB, 0xBF}):
		data, enc = data[3:], "utf-8-bom"
	case bytes.HasPrefix(data, []byte{0xFF, 0xFE}):
		dec, enc = unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM).NewDecoder(), "utf-16le"
	case bytes.HasPrefix(data, []byte{0xFE, 0xFF}):
		dec, enc = unicode.UTF16(unicode.BigEndian, unicode.ExpectBOM).NewDecoder(), "utf-16be"
	default:
		switch utf16Guess(data) {
		case 'l':
			dec, enc = unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM).NewDecoder(), "utf-16le"
		case 'b':
			dec, enc = unicode.UTF16(unicode.BigEndian, unicode.IgnoreBOM).NewDecoder(), "utf-16be"
		}
	}
	if dec == nil {
		if utf8.Valid(data) {
			if enc == "" {
				enc = "utf-8"
			}
			return normalizeNewlines(string(data)), enc, nil
		}
		dec, enc = charmap.Windows1252.NewDecoder(), "windows-1252"
		if hasUndefined1252(data) {
			dec, enc = charmap.ISO8859_1.NewDecoder(), "iso-8859-1"
		}
	}
	out, err := dec.Bytes(data)
	if err != nil {
		return "", enc, err
	}
	text = string(out)
	if (enc == "windows-1252" || enc == "iso-8859-1") && !plausibleLatin(text) {
		return "", enc, ErrUnknownEncoding
	}
	return normalizeNewlines(text), enc, nil
}

// ErrUnknownEncoding is returned for text that is neither UTF-8, UTF-16
// nor plausibly Windows-1252: decoding it as such would garble every word.
var ErrUnknownEncoding = errors.New("unknown text encoding (not UTF-8, UTF-16 or Windows-1252/ISO-8859-1): save the file as UTF-8")

// plausibleLatin reports whether text decoded as Windows-1252 reads like a
// Western language: accented letters are a minority of its letters, as in
// Spanish or English, not most of them, as when GB2312 or Shift-JIS bytes
// are misread.
func plausibleLatin(text string) bool {
	var letters, high int
	for _, r := range text {
		if !stdunicode.IsLetter(r) {
			continue
		}
		letters++
		if r >= 0x80 {
			high++
		}
	}
	return letters == 0 || high*4 < letters
}

// utf16Guess reports 'l' or 'b' when a file without a byte-order mark looks
// like UTF-16 text: mostly ASCII, so every other byte is zero.
func utf16Guess(data []byte) byte {
	n := min(len(data), 4096) &^ 1
	if n < 8 {
		return 0
	}
	var evenZero, oddZero int
	for i := 0; i < n; i += 2 {
		if data[i] == 0 {
			evenZero++
		}
		if data[i+1] == 0 {
			oddZero++
		}
	}
	half := n / 2
	switch {
	case oddZero > half*6/10 && evenZero < half/10:
		return 'l'
	case evenZero > half*6/10 && oddZero < half/10:
		return 'b'
	}
	return 0
}

// hasUndefined1252 reports bytes that Windows-1252 leaves undefined; text
// holding them is more likely ISO-8859-1 with C1 controls.
func hasUndefined1252(data []byte) bool {
	for _, b := range data {
		switch b {
		case 0x81, 0x8D, 0x8F, 0x90, 0x9D:
			return true
		}
	}
	return false
}

func normalizeNewlines(s string) string {
	if !strings.Contains(s, "\r") {
		return s
	}
	s = strings.ReplaceAll(s, "\r\n", "\n")
	return strings.ReplaceAll(s, "\r", "\n")
}
