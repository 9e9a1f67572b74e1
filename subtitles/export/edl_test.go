package export

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// cmxSample is an ordinary CMX3600 EDL as editing systems write it: a
// byte-order mark, CRLF, comments before the first event, a dissolve, a
// speed change and other comment lines.
const cmxSample = "\ufeffTITLE:   Entrevistas  \r\n" +
	"FCM: NON-DROP FRAME\r\n" +
	"* exported by hand\r\n" +
	"\r\n" +
	"001  AX       V     C        00:00:00:00 00:00:05:00 01:00:00:00 01:00:05:00\r\n" +
	"* FROM CLIP NAME:  abuelo.mov\r\n" +
	"* COMMENT: Don Chuy: el autobús\r\n" +
	"* COMMENT: segunda nota\r\n" +
	"\r\n" +
	"002  BL       V     C        00:00:00:00 00:00:00:00 01:00:05:00 01:00:05:00\r\n" +
	"002  TAPE_2   AA/V  D    030 00:10:00:00 00:10:04:00 01:00:05:00 01:00:09:00\r\n" +
	"M2   TAPE_2       050.0                00:10:00:00\r\n" +
	"* TO CLIP NAME: tape2.mov\r\n" +
	"\r\n" +
	"003  001      V     C        01:00:12;14 01:00:12;15 01:00:12;14 01:00:12;15  \r\n" +
	"Nota de color |C:ResolveColorGreen |M:Marker 3 |D:12\r\n"

func TestReadEDL(t *testing.T) {
	got, err := ReadEDL(strings.NewReader(cmxSample))
	if err != nil {
		t.Fatal(err)
	}
	want := &EDL{Title: "Entrevistas", Events: []Event{
		{Number: 1, Reel: "AX", Track: "V", Transition: "C",
			SourceIn: "00:00:00:00", SourceOut: "00:00:05:00", RecordIn: "01:00:00:00", RecordOut: "01:00:05:00",
			ClipName: "abuelo.mov", Comments: []string{"Don Chuy: el autobús", "segunda nota"}},
		{Number: 2, Reel: "BL", Track: "V", Transition: "C",
			SourceIn: "00:00:00:00", SourceOut: "00:00:00:00", RecordIn: "01:00:05:00", RecordOut: "01:00:05:00"},
		{Number: 2, Reel: "TAPE_2", Track: "AA/V", Transition: "D", TransitionFrames: 30,
			SourceIn: "00:10:00:00", SourceOut: "00:10:04:00", RecordIn: "01:00:05:00", RecordOut: "01:00:09:00",
			Notes: []string{"M2   TAPE_2       050.0                00:10:00:00", "* TO CLIP NAME: tape2.mov"}},
		{Number: 3, Reel: "001", Track: "V", Transition: "C",
			SourceIn: "01:00:12;14", SourceOut: "01:00:12;15", RecordIn: "01:00:12;14", RecordOut: "01:00:12;15",
			Marker: &Marker{Color: "ResolveColorGreen", Name: "Marker 3", Note: "Nota de color", Duration: 12}},
	}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got\n%+v\nwant\n%+v", got, want)
	}
	// Written and read again, it stays the same.
	var b bytes.Buffer
	got.WriteTo(&b)
	again, err := ReadEDL(&b)
	if err != nil || !reflect.DeepEqual(again, got) {
		t.Errorf("read back: %v\n%+v", err, again)
	}
}

func TestReadEDLErrors(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", "read edl: not an EDL: no TITLE, FCM or event lines"},
		{"1\n00:00:01,000 --> 00:00:02,000\nHola\n", "read edl: line 1: want 8 fields (event, reel, track, transition, source in, source out, record in, record out), got 1"},
		{"WEBVTT\n", `read edl: line 1: not an EDL line: "WEBVTT"`},
		{"TITLE: x\nFCM: NON-DROP FRAME\n\n001  AX  V  C  00:00:00:00 00:00:05:00 01:00:00:00\n", "read edl: line 4: want 8 fields"},
		{"TITLE: x\n001  AX  V  C  00:00:00:00 00:00:05:00 01:00:00:00 1:00:05\n", `read edl: line 2: record out "1:00:05": want HH:MM:SS:FF`},
		{"TITLE: x\n001  AX  V  D  3x 00:00:00:00 00:00:05:00 01:00:00:00 01:00:05:00\n", `read edl: line 2: transition length "3x"`},
		{"TITLE: x\nFCM: 25P\n", `read edl: line 2: FCM "25P": want DROP FRAME or NON-DROP FRAME`},
		{"TITLE: x\n |C:ResolveColorBlue |M:a |D:1\n", "read edl: line 2: a marker before the first event"},
		{"TITLE: x\n\n001  001  V  C  01:00:00:00 01:00:00:01 01:00:00:00 01:00:00:01\n |C:ResolveColorBlue |M:a |D:uno\n", `read edl: line 4: marker duration "uno"`},
		{"TITLE: x\n" + strings.Repeat("x", maxEDLLine+1) + "\n", "read edl: line 2: longer than"},
	}
	for _, tt := range tests {
		_, err := ReadEDL(strings.NewReader(tt.in))
		if err == nil || !strings.HasPrefix(err.Error(), tt.want) {
			t.Errorf("ReadEDL(%.40q): got %v, want %s", tt.in, err, tt.want)
		}
	}
}

// TestWriteEDL checks the CMX3600 columns and what the writer does with
// values that would break a line.
func TestWriteEDL(t *testing.T) {
	e := &EDL{Title: "a\nb |M:c", DropFrame: true, Events: []Event{
		{Number: 7, Reel: "", Track: "", SourceIn: "01:00:00;00", SourceOut: "01:00:01;00", RecordIn: "01:00:00;00", RecordOut: "01:00:01;00",
			ClipName: "two\nlines", Comments: []string{"x"}, Marker: &Marker{Name: "a|b", Note: "* n"}},
		{Number: 1234, Reel: "MY REEL", Track: "A2", Transition: "W001", TransitionFrames: 15,
			SourceIn: "00:00:00:00", SourceOut: "00:00:01:00", RecordIn: "00:00:00:00", RecordOut: "00:00:01:00"},
	}}
	var b bytes.Buffer
	e.WriteTo(&b)
	want := "TITLE: a b /M:c\nFCM: DROP FRAME\n" +
		"\n007  AX       V     C        01:00:00;00 01:00:01;00 01:00:00;00 01:00:01;00\n" +
		" n |C: |M:a/b |D:0\n* FROM CLIP NAME: two lines\n* COMMENT: x\n" +
		"\n1234  MY_REEL  A2    W001 015 00:00:00:00 00:00:01:00 00:00:00:00 00:00:01:00\n"
	if b.String() != want {
		t.Errorf("got:\n%s\nwant:\n%s", b.String(), want)
	}
	if _, err := ReadEDL(&b); err != nil {
		t.Error(err)
	}
}

// FuzzReadEDL checks that ReadEDL never panics and that what it accepts
// is written and read back the same.
func FuzzReadEDL(f *testing.F) {
	f.Add([]byte(cmxSample))
	f.Add([]byte("TITLE: x\n\n001  AX  V  C  00:00:00:00 00:00:05:00 01:00:00:00 01:00:05:00\n"))
	f.Add([]byte("FCM: DROP FRAME\n"))
	golden, _ := filepath.Glob("testdata/golden/*edl.golden")
	for _, g := range golden {
		if data, err := os.ReadFile(g); err == nil {
			f.Add(data)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		e, err := ReadEDL(bytes.NewReader(data))
		if err != nil {
			if e != nil {
				t.Fatal("an EDL and an error both returned")
			}
			return
		}
		var first bytes.Buffer
		if _, err := e.WriteTo(&first); err != nil {
			t.Fatal(err)
		}
		again, err := ReadEDL(bytes.NewReader(first.Bytes()))
		if err != nil {
			t.Fatalf("reading what was written: %v\n%s", err, first.String())
		}
		if !reflect.DeepEqual(again, e) {
			t.Fatalf("read back differs:\n%+v\nwant\n%+v\nwritten:\n%s", again, e, first.String())
		}
		var second bytes.Buffer
		again.WriteTo(&second)
		if second.String() != first.String() {
			t.Fatalf("written twice differs:\n%s\n%s", first.String(), second.String())
		}
	})
}
