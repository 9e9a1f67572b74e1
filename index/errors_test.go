package index

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/recuerdo-archive/recuerdo/archive"
)

// TestLibraryErrorsNameNoFlags checks that a bad cursor is a CursorError
// that names neither a flag nor a command: the command line and the web
// page word it for their own readers.
func TestLibraryErrorsNameNoFlags(t *testing.T) {
	tests := []struct {
		cursor string
		byTime bool
	}{
		{"nonsense", false},
		{"nonsense", true},
		{encodeCursor(Hit{}, 5, false), true}, // a relevance cursor in a time search
		{"", false},
	}
	for _, tt := range tests {
		_, err := decodeCursor(tt.cursor, tt.byTime)
		var ce *CursorError
		if !errors.As(err, &ce) || ce.Cursor != tt.cursor {
			t.Errorf("decodeCursor(%q, %v): got %v, want a CursorError", tt.cursor, tt.byTime, err)
			continue
		}
		if msg := err.Error(); strings.Contains(msg, "--") || strings.Contains(msg, "recuerdo ") {
			t.Errorf("got %q, want no flag or command in a library error", msg)
		}
	}
	if _, err := decodeCursor(encodeCursor(Hit{}, 5, false), false); err != nil {
		t.Errorf("a relevance cursor: got %v", err)
	}
}

func TestBehind(t *testing.T) {
	err := behind("abuelo", fmt.Errorf("interview %q: %w", "abuelo", archive.ErrNotFound))
	if !errors.Is(err, ErrBehind) || !errors.Is(err, archive.ErrNotFound) || strings.Contains(err.Error(), "recuerdo") {
		t.Errorf("got %v, want ErrBehind wrapping ErrNotFound, naming no command", err)
	}
	other := errors.New("disk on fire")
	if got := behind("abuelo", other); got != other {
		t.Errorf("got %v, want the error unchanged", got)
	}
}
