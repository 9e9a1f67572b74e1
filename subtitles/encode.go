package subtitles

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
)

// Encodings lists the character encodings WriteWith writes.
var Encodings = []string{"utf-8", "utf-16le", "utf-16be", "windows-1252", "iso-8859-1"}

// textEncoding turns written UTF-8 into a file's bytes.
type textEncoding struct {
	name string
	bom  bool
	cm   *charmap.Charmap // single-byte encodings
	enc  encoding.Encoding
}

func encodingFor(name string, bom bool) (textEncoding, error) {
	e := textEncoding{name: strings.ToLower(name), bom: bom}
	switch e.name {
	case "", "utf-8", "utf8":
		e.name = "utf-8"
	case "utf-16le":
		e.enc = unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM)
	case "utf-16be":
		e.enc = unicode.UTF16(unicode.BigEndian, unicode.IgnoreBOM)
	case "windows-1252", "cp1252":
		e.name, e.cm = "windows-1252", charmap.Windows1252
	case "iso-8859-1", "latin1", "latin-1":
		e.name, e.cm = "iso-8859-1", charmap.ISO8859_1
	default:
		return e, fmt.Errorf("unknown encoding %q (want one of %s)", name, strings.Join(Encodings, ", "))
	}
	if bom && e.cm != nil {
		return e, fmt.Errorf("%s has no byte-order mark", e.name)
	}
	return e, nil
}

// encode turns UTF-8 text into the encoding's bytes.
func (e textEncoding) encode(data []byte) ([]byte, error) {
	if e.bom {
		data = append([]byte("\ufeff"), data...)
	}
	switch {
	case e.cm != nil:
		out := make([]byte, 0, len(data))
		for len(data) > 0 {
			r, n := utf8.DecodeRune(data)
			b, ok := e.cm.EncodeRune(r)
			if !ok {
				return nil, fmt.Errorf("%q (%U) cannot be written in %s", r, r, e.name)
			}
			out = append(out, b)
			data = data[n:]
		}
		return out, nil
	case e.enc != nil:
		return e.enc.NewEncoder().Bytes(data)
	}
	return data, nil
}

// checkEncodable finds the first character of a cue's text or speaker
// that the encoding cannot hold, so the error can name the cue.
func checkEncodable(cues []Cue, e textEncoding) error {
	if e.cm == nil {
		return nil
	}
	for i, c := range cues {
		for _, r := range c.Speaker + c.Text {
			if _, ok := e.cm.EncodeRune(r); !ok {
				return fmt.Errorf("cue %d (%s): %q (%U) cannot be written in %s", i+1, FormatTime(c.Start), r, r, e.name)
			}
		}
	}
	return nil
}
