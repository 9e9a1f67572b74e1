package archive

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
)

// TestJoinNeedsTheSharedOriginals: on a shared (PostgreSQL) catalogue, a
// machine that joins without the share the others use, or with another
// archive's, is refused naming the folder, before it stores anything
// where no other machine would find it.
func TestJoinNeedsTheSharedOriginals(t *testing.T) {
	ctx := context.Background()
	catalogue := testPostgres(t)
	share := filepath.Join(t.TempDir(), "share")
	a, err := CreateWith(filepath.Join(t.TempDir(), "a"), Config{Catalogue: catalogue, Originals: share})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	if _, err := a.Ingest(ctx, testSource("viajes")); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name      string
		originals string
		want      string // in the error; "" joins
	}{
		{"no --originals", "", "holds none of this archive's originals"},
		{"another folder", filepath.Join(t.TempDir(), "other"), "holds none of this archive's originals"},
		{"the share", share, ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			b, err := CreateWith(filepath.Join(t.TempDir(), "b"), Config{Catalogue: catalogue, Originals: tt.originals})
			if tt.want == "" {
				if err != nil {
					t.Fatalf("joining with the share: %v", err)
				}
				defer b.Close()
				if probs, err := b.Check(ctx); err != nil || len(probs) > 0 {
					t.Errorf("check from the second machine: %v %v", probs, err)
				}
				return
			}
			if err == nil {
				b.Close()
				t.Fatal("joined")
			}
			if !errors.Is(err, ErrConfig) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("got %v, want an ErrConfig saying %q", err, tt.want)
			}
		})
	}
	// Another archive's share is refused even when this one has no
	// originals yet.
	other, err := CreateWith(filepath.Join(t.TempDir(), "c"), Config{Catalogue: testPostgres(t), Originals: share})
	if err == nil {
		other.Close()
		t.Fatal("a new archive took another archive's originals folder")
	}
	if !errors.Is(err, ErrConfig) || !strings.Contains(err.Error(), "belongs to another archive") {
		t.Errorf("got %v, want it to say the folder belongs to another archive", err)
	}
}
