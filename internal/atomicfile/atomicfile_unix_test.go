//go:build unix

package atomicfile

import (
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

func TestWriteFileMode(t *testing.T) {
	tests := []struct {
		name     string
		umask    int
		existing fs.FileMode // 0: no file there before
		want     fs.FileMode
	}{
		{"new file, umask 022", 0o022, 0, 0o644},
		{"new file, umask 002", 0o002, 0, 0o664},
		{"new file, umask 077", 0o077, 0, 0o600},
		{"replaced file keeps 0640", 0o022, 0o640, 0o640},
		{"replaced file keeps 0666", 0o077, 0o666, 0o666},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			old := syscall.Umask(tt.umask)
			defer syscall.Umask(old)
			dir := t.TempDir()
			p := filepath.Join(dir, "out.edl")
			if tt.existing != 0 {
				if err := os.WriteFile(p, []byte("old"), 0o600); err != nil {
					t.Fatal(err)
				}
				if err := os.Chmod(p, tt.existing); err != nil {
					t.Fatal(err)
				}
			}
			if err := WriteFile(p, []byte("new")); err != nil {
				t.Fatal(err)
			}
			fi, err := os.Stat(p)
			if err != nil {
				t.Fatal(err)
			}
			if got := fi.Mode().Perm(); got != tt.want {
				t.Errorf("got mode %o, want %o", got, tt.want)
			}
			if b, _ := os.ReadFile(p); string(b) != "new" {
				t.Errorf("got %q, want %q", b, "new")
			}
			if entries, _ := os.ReadDir(dir); len(entries) != 1 {
				t.Errorf("got %d files in the folder, want 1 (no temporary left)", len(entries))
			}
		})
	}
}

func TestMkdirTempMode(t *testing.T) {
	old := syscall.Umask(0o022)
	defer syscall.Umask(old)
	d, err := MkdirTemp(t.TempDir(), ".export.tmp-")
	if err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(d)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := fi.Mode().Perm(), fs.FileMode(0o755); got != want {
		t.Errorf("got mode %o, want %o", got, want)
	}
}

func TestAbortLeavesDestination(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "out.srt")
	if err := os.WriteFile(p, []byte("before"), 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := Create(p)
	if err != nil {
		t.Fatal(err)
	}
	f.Write([]byte("half"))
	f.Abort()
	if b, _ := os.ReadFile(p); string(b) != "before" {
		t.Errorf("got %q, want %q", b, "before")
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("got %d files in the folder, want 1", len(entries))
	}
}
