package subtitles

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
)

// FormatDOCX is a Word document holding a transcript.
const FormatDOCX Format = "docx"

// maxDOCXText bounds the text a Word document may unpack to, so a
// crafted file cannot exhaust memory.
const maxDOCXText = 64 << 20

func isDOCX(data []byte) bool {
	return bytes.HasPrefix(data, []byte("PK\x03\x04")) && bytes.Contains(data[:min(len(data), 1<<16)], []byte("word/"))
}

// readDOCX reads a transcript from a Word document: its paragraphs, as
// text, go through the same reader as plain-text transcripts.
func readDOCX(name string, data []byte) (*Track, error) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, &Error{File: name, Msg: "not a readable Word document: " + err.Error(), Err: err}
	}
	var doc *zip.File
	for _, f := range zr.File {
		if f.Name == "word/document.xml" {
			doc = f
		}
	}
	if doc == nil {
		return nil, &Error{File: name, Msg: "Word document without word/document.xml"}
	}
	rc, err := doc.Open()
	if err != nil {
		return nil, &Error{File: name, Msg: err.Error(), Err: err}
	}
	defer rc.Close()
	text, paras, err := docxText(io.LimitReader(rc, maxDOCXText+1))
	if err != nil {
		return nil, &Error{File: name, Msg: "bad Word document: " + err.Error(), Err: err}
	}
	if len(text) > maxDOCXText {
		return nil, &Error{File: name, Msg: fmt.Sprintf("Word document text is over %d MiB", maxDOCXText>>20)}
	}
	t, err := readTextTranscript(name, text)
	var e *Error
	if errors.As(err, &e) && e.Line > 0 {
		// A Word document has paragraphs, not lines: name the paragraph.
		p := sort.SearchInts(paras, e.Line+1) // paragraphs starting at or before the line
		e.Msg = fmt.Sprintf("paragraph %d: %s", p, e.Msg)
		e.Line = 0
	}
	if err != nil {
		return nil, err
	}
	t.Format, t.Encoding = FormatDOCX, "utf-8"
	return t, nil
}

// docxText flattens document.xml: each paragraph a block of its own
// (followed by a blank line), tabs and line breaks kept. paras holds the
// 1-based line of the text where each paragraph starts.
func docxText(r io.Reader) (text string, paras []int, err error) {
	dec := xml.NewDecoder(r)
	var b strings.Builder
	inText := false
	line := 1
	paras = []int{1}
	for {
		// RawToken: no namespace bookkeeping and no copy of the text,
		// for documents of millions of elements.
		tok, err := dec.RawToken()
		if errors.Is(err, io.EOF) {
			return b.String(), paras, nil
		}
		if err != nil {
			return "", nil, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "t":
				inText = true
			case "tab":
				b.WriteByte('\t')
			case "br", "cr":
				b.WriteByte('\n')
				line++
			}
		case xml.EndElement:
			switch t.Name.Local {
			case "t":
				inText = false
			case "p":
				b.WriteString("\n\n")
				line += 2
				paras = append(paras, line)
			}
		case xml.CharData:
			if inText {
				b.Write(t)
				line += bytes.Count(t, []byte("\n"))
			}
		}
	}
}
