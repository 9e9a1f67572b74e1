package archive

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// writeTree writes files (name -> content) under dir; a content starting
// with "-> " makes a symlink to the rest.
func writeTree(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, body := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		var err error
		if target, ok := strings.CutPrefix(body, "-> "); ok {
			err = os.Symlink(filepath.FromSlash(target), p)
		} else {
			err = os.WriteFile(p, []byte(body), 0o644)
		}
		if err != nil {
			t.Skipf("cannot make %s here: %v", name, err)
		}
	}
}

func TestResolveFile(t *testing.T) {
	top := t.TempDir()
	writeTree(t, top, map[string]string{
		"secret.mp4":                   "outside",
		"secret.txt":                   "outside",
		"elsewhere/x.mp4":              "outside",
		"tio/video/beto.mp4":           "inside",
		"tio/inside.mp4":               "-> video/beto.mp4",
		"tio/out.mp4":                  "-> ../secret.mp4",
		"tio/abs-out.mp4":              "-> " + filepath.ToSlash(filepath.Join(top, "secret.mp4")),
		"tio/dirlink":                  "-> ../elsewhere",
		"tio/notes.txt":                "-> ../secret.txt",
		"tio/sub/keep":                 "",
		"media/tio/beto.wav":           "in the media folder",
		"media/linked.wav":             "-> ../secret.mp4",
		"link-to-tio":                  "-> tio",
		"tio/video/loop.mp4":           "-> loop.mp4",
		"tio/video/dangling.mp4":       "-> nowhere.mp4",
		"tio/video/../video/again.mp4": "inside",
	})
	tio, media := filepath.Join(top, "tio"), filepath.Join(top, "media")
	tests := []struct {
		name, folder, file string
		want               string // the real path, relative to top
		err                error  // ErrOutside, ErrNotRegular or fs.ErrNotExist
	}{
		{"relative", tio, "video/beto.mp4", "tio/video/beto.mp4", nil},
		{"absolute inside, as ingest records it", tio, filepath.Join(tio, "video", "beto.mp4"), "tio/video/beto.mp4", nil},
		{"dot dot that stays inside", tio, "video/../video/again.mp4", "tio/video/again.mp4", nil},
		{"symlink inside", tio, "inside.mp4", "tio/video/beto.mp4", nil},
		{"folder reached through a symlink", filepath.Join(top, "link-to-tio"), "inside.mp4", "tio/video/beto.mp4", nil},
		{"media root", media, "tio/beto.wav", "media/tio/beto.wav", nil},
		{"absolute elsewhere", tio, "/etc/passwd", "", ErrOutside},
		{"absolute next to the folder", tio, filepath.Join(top, "secret.mp4"), "", ErrOutside},
		{"dot dot", tio, "../secret.mp4", "", ErrOutside},
		{"dot dot inside a name", tio, "video/../../secret.mp4", "", ErrOutside},
		{"symlink out", tio, "out.mp4", "", ErrOutside},
		{"symlink out, absolute", tio, "abs-out.mp4", "", ErrOutside},
		{"symlinked folder out", tio, "dirlink/x.mp4", "", ErrOutside},
		{"symlinked transcript out", tio, "notes.txt", "", ErrOutside},
		{"symlink out of a media root", media, "linked.wav", "", ErrOutside},
		{"a folder", tio, "sub", "", ErrNotRegular},
		{"the folder itself", tio, ".", "", ErrNotRegular},
		{"missing", tio, "falta.mp4", "", fs.ErrNotExist},
		{"dangling symlink", tio, "video/dangling.mp4", "", fs.ErrNotExist},
		{"empty", tio, "", "", ErrOutside},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ResolveFile(tt.folder, tt.file)
			if tt.err != nil {
				if !errors.Is(err, tt.err) {
					t.Fatalf("ResolveFile(%q, %q): got %q, %v; want error %v", tt.folder, tt.file, got, err, tt.err)
				}
				if _, ok := err.(*FileError); ok && !strings.Contains(err.Error(), tt.file) {
					t.Errorf("error %q does not name %q", err, tt.file)
				}
				return
			}
			if err != nil {
				t.Fatalf("ResolveFile(%q, %q): %v", tt.folder, tt.file, err)
			}
			realTop, _ := filepath.EvalSymlinks(top)
			if want := filepath.Join(realTop, filepath.FromSlash(tt.want)); got != want {
				t.Errorf("ResolveFile(%q, %q): got %q, want %q", tt.folder, tt.file, got, want)
			}
		})
	}
}

func TestResolveFileSymlinkLoop(t *testing.T) {
	dir := t.TempDir()
	writeTree(t, dir, map[string]string{"a.mp4": "-> b.mp4", "b.mp4": "-> a.mp4"})
	if _, err := ResolveFile(dir, "a.mp4"); err == nil {
		t.Error("a symlink loop resolved")
	}
}

// TestLoadFolderRefusesOutside checks that an interview folder cannot
// bring in files from elsewhere: a recording named absolute, with "..",
// or through a symlink out, and a transcript symlinked from outside, each
// refused naming the file, the line and the path.
func TestLoadFolderRefusesOutside(t *testing.T) {
	const srt = "1\n00:00:01,000 --> 00:00:02,000\nHola.\n"
	tests := []struct {
		name  string
		files map[string]string
		want  string // in the error
	}{
		{"media absolute", map[string]string{"interview.yaml": "title: T\nlanguage: es\nmedia:\n  - fps: 25\n  - file: /etc/passwd\n", "es.srt": srt},
			`interview.yaml": line 5: media 2: "/etc/passwd" is an absolute path`},
		{"media dot dot", map[string]string{"interview.yaml": "title: T\nlanguage: es\nmedia:\n  - file: ../secret.mp4\n", "es.srt": srt},
			`line 4: media 1: "../secret.mp4" leads out of the folder`},
		{"media symlink out", map[string]string{"interview.yaml": "title: T\nlanguage: es\nmedia:\n  - file: video.mp4\n", "es.srt": srt, "video.mp4": "-> ../secret.mp4"},
			`line 4: media 1: "video.mp4" leads to "`},
		{"media a folder", map[string]string{"interview.yaml": "title: T\nlanguage: es\nmedia:\n  - file: video.mp4\n", "es.srt": srt, "video.mp4/x": "x"},
			`media 1: "video.mp4" is not a regular file`},
		{"transcript symlink out, found by scanning", map[string]string{"interview.yaml": "title: T\nlanguage: es\n", "es.srt": srt, "notes.txt": "-> ../secret.txt"},
			`track "notes.txt" leads to "`},
		{"listed track symlink out", map[string]string{"interview.yaml": "title: T\nlanguage: es\ntracks:\n  - file: es.srt\n  - file: en.srt\n", "es.srt": srt, "en.srt": "-> ../secret.txt"},
			`line 5: track "en.srt" leads to "`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			top := t.TempDir()
			writeTree(t, top, map[string]string{"secret.mp4": "x", "secret.txt": "[00:00:01] A: secreto\n"})
			dir := filepath.Join(top, "tio")
			writeTree(t, dir, tt.files)
			src, err := LoadFolder(dir)
			if err == nil {
				t.Fatalf("got %+v, want an error", src.Interview.Media)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("got %q, want it to hold %q", err, tt.want)
			}
		})
	}
}

// TestLoadFolderKeepsInside checks what an interview folder may hold: a
// recording and a transcript symlinked inside the folder, and a recording
// it does not hold (kept by name for serve --media).
func TestLoadFolderKeepsInside(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "tio")
	writeTree(t, dir, map[string]string{
		"interview.yaml":     "title: T\nlanguage: es\nmedia:\n  - file: beto.mp4\n  - file: video/falta.mp4\n",
		"originales/es.srt":  "1\n00:00:01,000 --> 00:00:02,000\nHola.\n",
		"es.srt":             "-> originales/es.srt",
		"originales/b.mp4":   "x",
		"beto.mp4":           "-> originales/b.mp4",
		"originales/nota.md": "not scanned",
	})
	src, err := LoadFolder(dir)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{filepath.Join(dir, "beto.mp4"), "video/falta.mp4"}
	for i, m := range src.Interview.Media {
		if m.File != want[i] {
			t.Errorf("media %d: got %q, want %q", i+1, m.File, want[i])
		}
	}
	if len(src.Files) != 1 || src.Files[0].Name != "es.srt" || !strings.Contains(string(src.Files[0].Data), "Hola") {
		t.Errorf("got files %+v, want es.srt", src.Files)
	}
}

func TestLoadFilesRefusesSymlinkOut(t *testing.T) {
	top := t.TempDir()
	writeTree(t, top, map[string]string{
		"secret.txt":    "[00:00:01] A: secreto\n",
		"tio/es.srt":    "1\n00:00:01,000 --> 00:00:02,000\nHola.\n",
		"tio/en.srt":    "-> es.srt",
		"tio/notes.txt": "-> ../secret.txt",
	})
	if _, err := LoadFiles("tio", "", []string{filepath.Join(top, "tio", "es.srt"), filepath.Join(top, "tio", "en.srt")}); err != nil {
		t.Errorf("a symlink inside the folder: %v", err)
	}
	_, err := LoadFiles("tio", "", []string{filepath.Join(top, "tio", "es.srt"), filepath.Join(top, "tio", "notes.txt")})
	if !errors.Is(err, ErrOutside) || !strings.Contains(err.Error(), "notes.txt") {
		t.Errorf("got %v, want notes.txt refused as outside its folder", err)
	}
}

// TestManifestRefusesOutside checks each row of a manifest: files and
// recordings must be the manifest folder's own.
func TestManifestRefusesOutside(t *testing.T) {
	top := t.TempDir()
	srt := "1\n00:00:01,000 --> 00:00:02,000\nHola.\n"
	writeTree(t, top, map[string]string{
		"secret.txt":     "[00:00:01] A: secreto\n",
		"secret.mp4":     "x",
		"lote/es.srt":    srt,
		"lote/sub/e.srt": srt,
		"lote/notes.txt": "-> ../secret.txt",
		"lote/video.mp4": "-> ../secret.mp4",
		"lote/ok.mp4":    "x",
		"lote/lote.csv": "id,title,language,media,files\n" +
			"bueno,Bueno,es,ok.mp4,es.srt; sub/e.srt\n" +
			"abs,Abs,es,," + filepath.Join(top, "secret.txt") + "\n" +
			"dotdot,Dotdot,es,,../secret.txt\n" +
			"link,Link,es,,es.srt;notes.txt\n" +
			"media-abs,Media,es,/etc/passwd,es.srt\n" +
			"media-dotdot,Media,es,../secret.mp4,es.srt\n" +
			"media-link,Media,es,video.mp4,es.srt\n" +
			"media-elsewhere,Media,es,falta/x.mp4,es.srt\n",
	})
	srcs, bad, err := LoadManifest(filepath.Join(top, "lote", "lote.csv"))
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, s := range srcs {
		id := s.Interview.ID
		for _, m := range s.Interview.Media {
			id += "=" + m.File
		}
		ids = append(ids, id)
	}
	if got := strings.Join(ids, " "); got != "bueno=ok.mp4 media-elsewhere=falta/x.mp4" {
		t.Errorf("read %s, want bueno and media-elsewhere with their names as written", got)
	}
	want := []string{
		`line 3: file "` + filepath.Join(top, "secret.txt") + `" is an absolute path`,
		`line 4: file "../secret.txt" leads out of the folder`,
		`line 5: file "notes.txt" leads to "`,
		`line 6: media 1: "/etc/passwd" is an absolute path`,
		`line 7: media 1: "../secret.mp4" leads out of the folder`,
		`line 8: media 1: "video.mp4" leads to "`,
	}
	if len(bad) != len(want) {
		t.Fatalf("got %d bad rows %v, want %d", len(bad), bad, len(want))
	}
	for i, err := range bad {
		if !strings.Contains(err.Error(), want[i]) {
			t.Errorf("row error %d: got %q, want it to hold %q", i+1, err, want[i])
		}
	}
}

func TestImportMedia(t *testing.T) {
	tests := []struct {
		in, want string // want "" for an error
	}{
		{"video/beto.mp4", "video/beto.mp4"},
		{"beto.mp4", "beto.mp4"},
		{"/home/lucia/entrevistas/tio/beto.mp4", "beto.mp4"},
		{"/etc/shadow", "shadow"},
		{"/", ""},
		{"../beto.mp4", ""},
		{"video/../../beto.mp4", ""},
		{"..", ""},
	}
	for _, tt := range tests {
		m := []Media{{File: tt.in}}
		err := importMedia("interviews/tio/interview.json", m)
		switch {
		case tt.want == "" && err == nil:
			t.Errorf("%q: kept as %q, want an error", tt.in, m[0].File)
		case tt.want == "" && !strings.Contains(err.Error(), "interviews/tio/interview.json: media 1: "+`"`+tt.in):
			t.Errorf("%q: got error %q, want it to name the file, the entry and the name", tt.in, err)
		case tt.want != "" && (err != nil || m[0].File != tt.want):
			t.Errorf("%q: got %q, %v; want %q", tt.in, m[0].File, err, tt.want)
		}
	}
}

// TestImportKeepsMediaNamesOnly checks that an export cannot point the
// importing computer at its own files: an absolute name keeps only its
// base name, and a name leading out of its folder refuses the import
// before anything is written.
func TestImportKeepsMediaNamesOnly(t *testing.T) {
	ctx := context.Background()
	for _, tt := range []struct{ file, want string }{{"/etc/shadow", "shadow"}, {"../../etc/shadow", ""}} {
		a := newArchive(t)
		src := ohmsSource()
		src.Interview.Media = []Media{{File: tt.file}} // as an earlier build, or a hand-made export, would have it
		if _, err := a.Ingest(ctx, src); err != nil {
			t.Fatal(err)
		}
		out := filepath.Join(t.TempDir(), "export")
		if _, err := a.Export(ctx, out, ExportOptions{}); err != nil {
			t.Fatal(err)
		}
		b := newArchive(t)
		_, err := b.Import(ctx, out)
		if tt.want == "" {
			if err == nil || !strings.Contains(err.Error(), `interviews/cocina-2/interview.json: media 1: "../../etc/shadow" leads out`) {
				t.Errorf("import of %q: got %v, want a refusal naming it", tt.file, err)
			}
			if ivs, _ := b.Interviews(ctx); len(ivs) != 0 {
				t.Errorf("import of %q refused but wrote %d interview(s)", tt.file, len(ivs))
			}
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		iv, err := b.Interview(ctx, "cocina-2", false)
		if err != nil {
			t.Fatal(err)
		}
		if iv.Media[0].File != tt.want {
			t.Errorf("import of %q: got %q, want %q", tt.file, iv.Media[0].File, tt.want)
		}
	}
}

// FuzzResolveFile checks the rule's promise for any name: what it allows
// is a regular file inside the folder's real path, and what an import
// keeps is a relative name inside its folder; it never panics.
func FuzzResolveFile(f *testing.F) {
	top := f.TempDir()
	dir := filepath.Join(top, "tio")
	for name, body := range map[string]string{
		"secret.wav": "outside", "tio/a.wav": "inside", "tio/v/b.wav": "inside",
		"tio/in.wav": "-> v/b.wav", "tio/out.wav": "-> ../secret.wav", "tio/up": "-> ..", "tio/loop": "-> loop",
	} {
		p := filepath.Join(top, filepath.FromSlash(name))
		os.MkdirAll(filepath.Dir(p), 0o755)
		if target, ok := strings.CutPrefix(body, "-> "); ok {
			if err := os.Symlink(target, p); err != nil {
				f.Skip(err)
			}
		} else if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			f.Fatal(err)
		}
	}
	realDir, err := filepath.EvalSymlinks(dir)
	if err != nil {
		f.Fatal(err)
	}
	for _, s := range []string{"a.wav", "v/b.wav", "in.wav", "out.wav", "up/secret.wav", "up/tio/a.wav", "loop", "../secret.wav",
		"/etc/passwd", filepath.Join(dir, "a.wav"), filepath.Join(dir, "..", "secret.wav"), "v/../a.wav", "v/../../secret.wav", "", ".", "..", `..\secret.wav`, "/"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, name string) {
		if real, err := ResolveFile(dir, name); err == nil {
			rel, rerr := filepath.Rel(realDir, real)
			fi, serr := os.Lstat(real)
			if rerr != nil || !filepath.IsLocal(rel) || serr != nil || !fi.Mode().IsRegular() {
				t.Errorf("ResolveFile(%q) allowed %q, which is not a regular file inside %q", name, real, realDir)
			}
		}
		m := []Media{{File: name}}
		if importMedia("x.json", m) == nil && m[0].File != "" && checkName(m[0].File) != nil {
			t.Errorf("import kept %q as %q, which leads out of its folder", name, m[0].File)
		}
	})
}
