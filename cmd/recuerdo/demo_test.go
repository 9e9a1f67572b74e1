package main

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestExploreCommand checks that the demo's closing hint names a command
// that works from the user's folder.
func TestExploreCommand(t *testing.T) {
	src := t.TempDir() // a source tree with cmd/recuerdo in it
	main := filepath.Join(src, "cmd", "recuerdo")
	if err := os.MkdirAll(main, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(main, "cmd_demo.go"), []byte("package main\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	sub := filepath.Join(src, "samples")
	os.Mkdir(sub, 0o755)
	onPath := func(string) (string, error) { return "/usr/local/bin/recuerdo", nil }
	notOnPath := func(string) (string, error) { return "", errors.New("not found") }
	tests := []struct {
		name     string
		inv      invocation
		want     string
		wantNote string
	}{
		{"on the PATH", invocation{exe: "/usr/local/bin/recuerdo", arg0: "recuerdo", cwd: "/home/ana", which: onPath}, "recuerdo", ""},
		{"go run from the module", invocation{exe: "/root/.cache/go-build/b4/x-d/recuerdo", arg0: "/root/.cache/go-build/b4/x-d/recuerdo", cwd: src, goRun: true, which: notOnPath}, "go run ./cmd/recuerdo", "go install ./cmd/recuerdo"},
		{"go run from a subfolder", invocation{exe: "/tmp/go-build1/b001/exe/recuerdo", cwd: sub, goRun: true, which: notOnPath}, "go run ../cmd/recuerdo", "go install ../cmd/recuerdo"},
		{"go run from cmd/recuerdo", invocation{exe: "/tmp/go-build1/b001/exe/recuerdo", cwd: main, goRun: true, which: notOnPath}, "go run .", "go install ."},
		{"go run from elsewhere", invocation{exe: "/tmp/go-build1/b001/exe/recuerdo", cwd: "/", goRun: true, which: notOnPath}, "recuerdo", "go install ./cmd/recuerdo"},
		{"a binary run by its path", invocation{exe: "/home/ana/src/recuerdo/recuerdo", arg0: "./recuerdo", cwd: "/home/ana/src/recuerdo", which: notOnPath}, "./recuerdo", ""},
		{"a path with a space", invocation{exe: "/home/ana/my tools/recuerdo", arg0: "/home/ana/my tools/recuerdo", cwd: "/", which: notOnPath}, "'/home/ana/my tools/recuerdo'", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, note := tt.inv.command()
			if got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
			if !strings.Contains(note, tt.wantNote) || (tt.wantNote == "") != (note == "") {
				t.Errorf("got note %q, want one with %q", note, tt.wantNote)
			}
		})
	}
}

func TestBuiltByGoRun(t *testing.T) {
	cache := t.TempDir()
	t.Setenv("GOCACHE", cache)
	tests := []struct {
		exe  string
		want bool
	}{
		{filepath.Join(cache, "b4", "b4c2-d", "recuerdo"), true},
		{"/tmp/go-build2754/b001/exe/recuerdo", true},
		{"/usr/local/bin/recuerdo", false},
		{"/home/ana/go/bin/recuerdo", false},
	}
	for _, tt := range tests {
		if got := builtByGoRun(tt.exe); got != tt.want {
			t.Errorf("builtByGoRun(%q): got %v, want %v", tt.exe, got, tt.want)
		}
	}
}
