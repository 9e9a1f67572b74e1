package archive

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// TestTryLock checks the locks every system must give alike: one writer
// or many readers, each open file holding its own lock, and the holder's
// words in the file readable while it holds it.
func TestTryLock(t *testing.T) {
	tests := []struct {
		name          string
		first, second bool // exclusive?
		held          bool
	}{
		{"writer then writer", true, true, true},
		{"writer then reader", true, false, true},
		{"reader then writer", false, true, true},
		{"reader then reader", false, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := filepath.Join(t.TempDir(), "lock")
			open := func() *os.File {
				f, err := os.OpenFile(p, os.O_RDWR|os.O_CREATE, 0o644)
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { f.Close() })
				return f
			}
			a, b := open(), open()
			if err := tryLock(a, tt.first); err != nil {
				t.Fatalf("first lock: got %v, want it taken", err)
			}
			if _, err := a.WriteString("pid 1 (test)\n"); err != nil {
				t.Fatal(err)
			}
			if got, err := os.ReadFile(p); err != nil || string(got) != "pid 1 (test)\n" {
				t.Errorf("reading the held lock file: got %q, %v; want the holder's words", got, err)
			}
			err := tryLock(b, tt.second)
			if tt.held && !errors.Is(err, errLockHeld) {
				t.Fatalf("second lock: got %v, want errLockHeld", err)
			}
			if !tt.held && err != nil {
				t.Fatalf("second lock: got %v, want it taken", err)
			}
			if err := unlock(a); err != nil {
				t.Fatalf("unlock: %v", err)
			}
			if tt.held {
				if err := tryLock(b, tt.second); err != nil {
					t.Errorf("second lock after the first let go: got %v, want it taken", err)
				}
			}
		})
	}
}
