package web

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/recuerdo-archive/recuerdo/archive"
)

// TestMediaStaysInItsFolder checks that whatever the catalogue names (it
// may come from an earlier build, which let interview.yaml, manifests and
// imports name any file), only audio and video files inside the
// interview's folder or a --media folder are served, symlinks followed,
// and a refusal names no path.
func TestMediaStaysInItsFolder(t *testing.T) {
	f := newFixture(t)
	top := t.TempDir()
	sound := string(wav(time.Second))
	for name, body := range map[string]string{
		"secret.wav":                 sound,
		"secret.txt":                 "[00:00:01] A: secreto\n",
		"tio/" + archive.SidecarName: "title: T\nlanguage: es\n",
		"tio/beto.wav":               sound,
		"tio/raw/b.wav":              sound,
		"tio/inside.wav":             "-> raw/b.wav",
		"tio/out.wav":                "-> ../secret.wav",
		"tio/notes.txt":              "[00:00:01] A: sellado\n",
		"tio/notes.wav":              "-> notes.txt",
		"tio/dir.wav/x":              "",
		"loose/secret.wav":           sound,
		"src:linked.wav":             "-> " + filepath.Join(top, "secret.wav"),
	} {
		p := filepath.Join(top, filepath.FromSlash(name))
		if rest, ok := strings.CutPrefix(name, "src:"); ok {
			p = filepath.Join(f.src, rest)
		}
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		var err error
		if target, ok := strings.CutPrefix(body, "-> "); ok {
			err = os.Symlink(target, p)
		} else {
			err = os.WriteFile(p, []byte(body), 0o644)
		}
		if err != nil {
			t.Skipf("cannot make %s here: %v", name, err)
		}
	}
	tio := filepath.Join(top, "tio")
	tests := []struct {
		name, file string
		want       int
	}{
		{"in its interview folder", filepath.Join(tio, "beto.wav"), 200},
		{"symlinked inside its folder", filepath.Join(tio, "inside.wav"), 200},
		{"by name in a media folder", "outside.wav", 200},
		{"a system file", "/etc/passwd", 404},
		{"absolute, in no interview folder", filepath.Join(top, "loose", "secret.wav"), 404},
		{"symlinked out of its folder", filepath.Join(tio, "out.wav"), 404},
		{"a transcript in its folder", filepath.Join(tio, "notes.txt"), 404},
		{"a recording's name for a transcript", filepath.Join(tio, "notes.wav"), 404},
		{"a folder", filepath.Join(tio, "dir.wav"), 404},
		{"dot dot", "../secret.wav", 404},
		{"dot dot out of its folder", filepath.Join(tio, "..", "secret.wav"), 404},
		{"symlinked out of a media folder", "linked.wav", 404},
	}
	srt := []byte("1\n00:00:01,000 --> 00:00:02,000\nHola.\n")
	for i, tt := range tests {
		id := fmt.Sprintf("media-%d", i)
		src := &archive.Source{
			Interview: archive.Interview{ID: id, Title: tt.name, Language: "es", Narrators: []string{}, Interviewers: []string{},
				Media: []archive.Media{{File: tt.file}}, Sealed: []archive.Seal{}},
			HasMeta: true,
			Files:   []archive.File{{Name: "es.srt", Lang: "es", Data: srt}},
		}
		if _, err := f.a.Ingest(context.Background(), src); err != nil {
			t.Fatal(err)
		}
	}
	srv := f.server(archive.Staff)
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u := fmt.Sprintf("/i/media-%d/media/0", i)
			w := get(t, srv, u)
			if w.Code != tt.want {
				t.Fatalf("GET %s (%s): got %d, want %d\n%.200s", u, tt.file, w.Code, tt.want, w.Body.String())
			}
			page := get(t, srv, fmt.Sprintf("/i/media-%d", i)).Body.String()
			if tt.want != 200 {
				body := w.Body.String()
				for _, leak := range []string{top, f.src, "secret", "passwd", "RIFF", "sellado"} {
					if strings.Contains(body, leak) {
						t.Errorf("refusal holds %q", leak)
					}
				}
				if strings.Contains(page, "/media/0") {
					t.Errorf("the page offers a player for %s", tt.file)
				}
				return
			}
			if ct := w.Header().Get("Content-Type"); ct != "audio/wav" || !strings.HasPrefix(w.Body.String(), "RIFF") {
				t.Errorf("got %q, %.4q; want a WAV", ct, w.Body.String())
			}
			if !strings.Contains(page, `src="/i/`+fmt.Sprintf("media-%d", i)+`/media/0"`) {
				t.Errorf("the page offers no player")
			}
		})
	}
}
