package subtitles

import (
	"errors"
	"fmt"
)

// ErrUnknownFormat is returned when a file is not a format recuerdo reads.
var ErrUnknownFormat = errors.New("unknown subtitle format")

// Error describes a problem in a subtitle file, with where it was found.
type Error struct {
	File string // the file's name as given to Read
	Line int    // 1-based line, 0 when the problem is not tied to a line
	Msg  string // what is wrong
	Hint string // how to fix it, when that is obvious
	Err  error  // the underlying error, if any
}

func (e *Error) Error() string {
	s := fmt.Sprintf("read subtitles %q", e.File)
	if e.Line > 0 {
		s += fmt.Sprintf(": line %d", e.Line)
	}
	s += ": " + e.Msg
	return s
}

func (e *Error) Unwrap() error { return e.Err }
