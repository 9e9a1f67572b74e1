package main

import (
	"errors"
	"fmt"
	"io/fs"
	"strings"
	"testing"

	"github.com/recuerdo-archive/recuerdo/archive"
	"github.com/recuerdo-archive/recuerdo/index"
)

// TestSearchError checks that the index's typed errors are worded for the
// command line, and that only the caller's mistakes are usage errors: an
// I/O error during a search with --after is not one.
func TestSearchError(t *testing.T) {
	tests := []struct {
		name      string
		err       error
		usage     bool
		wantText  string
		wantHint  string
		wantIsErr error
	}{
		{"cursor", fmt.Errorf("wrapped: %w", &index.CursorError{Cursor: "xyz"}), true, `--after "xyz": not a cursor`, "", nil},
		{"limit", &index.LimitError{Limit: "offset", Got: 20000, Max: 10000}, true, "offset: 20000", "", nil},
		{"behind", fmt.Errorf("search %q: interview x: %w: %w", "q", index.ErrBehind, archive.ErrNotFound), false, "behind the catalogue", "run recuerdo reindex", archive.ErrNotFound},
		{"i/o", fmt.Errorf("search %q: %w", "q", fs.ErrPermission), false, "permission denied", "", fs.ErrPermission},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := searchError(tt.err)
			var ue usageError
			if errors.As(got, &ue) != tt.usage {
				t.Errorf("got usage error %v, want %v (%v)", !tt.usage, tt.usage, got)
			}
			if !strings.Contains(got.Error(), tt.wantText) {
				t.Errorf("got %q, want it to contain %q", got, tt.wantText)
			}
			var he hintError
			if errors.As(got, &he) != (tt.wantHint != "") || tt.wantHint != "" && !strings.Contains(he.hint, tt.wantHint) {
				t.Errorf("got hint %q, want %q", he.hint, tt.wantHint)
			}
			if tt.wantIsErr != nil && !errors.Is(got, tt.wantIsErr) {
				t.Errorf("got %v, want it to wrap %v", got, tt.wantIsErr)
			}
		})
	}
}
