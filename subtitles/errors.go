package subtitles

import (
	"errors"
	"fmt"
	"slices"
	"strings"
)

// ErrUnknownFormat is returned when a file is not a format recuerdo reads.
var ErrUnknownFormat = errors.New("unknown subtitle format")

// Error describes a problem in a subtitle file, with where it was found.
// A reader that can go on after a bad line reports every bad line of the
// file in one Error: the first in File, Line, Msg, the others in More.
type Error struct {
	File string // the file's name as given to Read
	Line int    // 1-based line, 0 when the problem is not tied to a line
	Msg  string // what is wrong
	Hint string // how to fix it, when that is obvious
	Err  error  // the underlying error, if any
	// More holds the further problems of the file, in file order, up to
	// 19 of them; Omitted counts those past that.
	More    []Problem
	Omitted int
}

// Problem is one further bad line of a file.
type Problem struct {
	Line int
	Msg  string
}

func (e *Error) Error() string {
	s := fmt.Sprintf("read subtitles %q", e.File)
	if len(e.More) > 0 {
		var b strings.Builder
		fmt.Fprintf(&b, "%s: %d problems", s, 1+len(e.More)+e.Omitted)
		for _, p := range append([]Problem{{e.Line, e.Msg}}, e.More...) {
			b.WriteString("\n  ")
			if p.Line > 0 {
				fmt.Fprintf(&b, "line %d: ", p.Line)
			}
			b.WriteString(p.Msg)
		}
		if e.Omitted > 0 {
			fmt.Fprintf(&b, "\n  and %d more", e.Omitted)
		}
		return b.String()
	}
	if e.Line > 0 {
		s += fmt.Sprintf(": line %d", e.Line)
	}
	s += ": " + e.Msg
	return s
}

func (e *Error) Unwrap() error { return e.Err }

// problems gathers the bad lines of one file, so that a reader goes on
// after the first and the user fixes them all in one pass.
type problems struct {
	file  string
	first *Error
	more  []Problem
	extra int
	hints []string
}

// add records a problem at a 1-based line (0 for the file as a whole).
func (p *problems) add(line int, msg, hint string) {
	if hint != "" && !slices.Contains(p.hints, hint) {
		p.hints = append(p.hints, hint)
	}
	switch {
	case p.first == nil:
		p.first = &Error{File: p.file, Line: line, Msg: msg}
	case len(p.more) < maxProblems-1:
		p.more = append(p.more, Problem{Line: line, Msg: msg})
	default:
		p.extra++
	}
}

// count is the number of problems recorded.
func (p *problems) count() int {
	if p.first == nil {
		return 0
	}
	return 1 + len(p.more) + p.extra
}

// err returns the problems as one *Error, or nil when there were none.
func (p *problems) err() error {
	if p.first == nil {
		return nil
	}
	e := p.first
	e.More, e.Omitted = p.more, p.extra
	e.Hint = strings.Join(p.hints, "; ")
	return e
}
