package index

import (
	"errors"
	"path/filepath"
	"testing"
	"time"
)

// TestOpenBusy checks that an index held open elsewhere is reported
// quickly with ErrBusy instead of hanging (bleve allows one opener).
func TestOpenBusy(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "index")
	ix, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	other, err := Open(dir)
	took := time.Since(start)
	if err == nil {
		other.Close()
		t.Fatal("second Open succeeded while the index was open")
	}
	if !errors.Is(err, ErrBusy) {
		t.Fatalf("got %v, want ErrBusy", err)
	}
	if took > openTimeout+2*time.Second {
		t.Errorf("Open took %s to report ErrBusy, want about %s", took, openTimeout)
	}
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}
	again, err := Open(dir)
	if err != nil {
		t.Fatalf("Open after Close: %v", err)
	}
	again.Close()
}

// TestRemoveBusy checks that an index open elsewhere is not deleted from
// under its holder.
func TestRemoveBusy(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "index")
	ix, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if err := Remove(dir); !errors.Is(err, ErrBusy) {
		t.Fatalf("Remove of an open index: got %v, want ErrBusy", err)
	}
	if _, err := ix.Counts(); err != nil {
		t.Errorf("the open index broke: %v", err)
	}
}
