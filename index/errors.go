package index

import (
	"errors"
	"fmt"

	"github.com/recuerdo-archive/recuerdo/archive"
)

// Errors of a search that its callers word for their audience: the
// command line names its flags and commands, the web page speaks to a
// browser. None of them names a flag or a command itself.

// CursorError is a page cursor (Options.After) that this kind of search
// did not write: mangled, or from a search in another order or layout.
type CursorError struct {
	Cursor string
}

func (e *CursorError) Error() string {
	return fmt.Sprintf("search: cursor %q is not one of this kind of search (the next-page cursor of the previous page, in the same order, is)", e.Cursor)
}

// ErrBehind means the index has a segment of an interview the catalogue no
// longer holds: the index has not caught up with a change to the archive.
var ErrBehind = errors.New("the index is behind the catalogue")

// behind marks an interview the index found and the catalogue did not as
// ErrBehind (keeping err in the chain); other errors pass unchanged.
func behind(interview string, err error) error {
	if errors.Is(err, archive.ErrNotFound) {
		return fmt.Errorf("interview %s: %w: %w", interview, ErrBehind, err)
	}
	return err
}
