package web

import (
	"net/http"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/recuerdo-archive/recuerdo/archive"
)

// mediaPath finds a recording the catalogue names on this computer and
// reports whether it may be served. Nothing from a request ever becomes
// part of the path, and the catalogue is not trusted either (it may come
// from an earlier build): every candidate is resolved again by
// archive.ResolveFile, symlinks followed, and must be a regular file with
// an audio or video type inside an allowed folder:
//   - an absolute name, as ingest records a recording its interview
//     folder holds, inside that folder: the nearest one above it holding
//     an interview.yaml;
//   - else, or for a relative name, inside a --media folder, as
//     DIR/ID/NAME or DIR/NAME (an absolute name by its base name, for a
//     folder that moved).
func (s *Server) mediaPath(iv *archive.Interview, m archive.Media) (string, bool) {
	type candidate struct{ folder, name string }
	var cs []candidate
	name := m.File
	switch {
	case name == "":
		return "", false
	case filepath.IsAbs(filepath.FromSlash(name)) || strings.HasPrefix(name, "/"):
		p := filepath.Clean(filepath.FromSlash(name))
		if dir, ok := interviewFolder(p); ok {
			cs = append(cs, candidate{dir, p})
		}
		name = filepath.Base(p)
	case !filepath.IsLocal(filepath.FromSlash(name)):
		return "", false
	}
	for _, d := range s.opt.MediaDirs {
		cs = append(cs, candidate{d, path.Join(iv.ID, filepath.ToSlash(name))}, candidate{d, name})
	}
	for _, c := range cs {
		if real, err := archive.ResolveFile(c.folder, c.name); err == nil && mediaType(real) != "" {
			return real, true
		}
	}
	return "", false
}

// interviewFolder is the nearest folder above the file p that holds an
// interview.yaml.
func interviewFolder(p string) (string, bool) {
	for dir := filepath.Dir(p); ; dir = filepath.Dir(dir) {
		if fi, err := os.Stat(filepath.Join(dir, archive.SidecarName)); err == nil && fi.Mode().IsRegular() {
			return dir, true
		}
		if filepath.Dir(dir) == dir {
			return "", false
		}
	}
}

// mediaType is the audio or video type of a file by its extension, ""
// for any other file (a transcript, a sidecar, a document), which is
// never served as a recording.
func mediaType(p string) string {
	ct := mediaTypes[strings.ToLower(filepath.Ext(p))]
	if !strings.HasPrefix(ct, "audio/") && !strings.HasPrefix(ct, "video/") {
		return ""
	}
	return ct
}

// serveMedia serves the recording at p, which mediaPath found, with range
// requests. Whatever goes wrong is a plain 404 that names no path.
func (s *Server) serveMedia(w http.ResponseWriter, r *http.Request, p string) {
	ct := mediaType(p)
	if ct == "" {
		s.notFound(w, r)
		return
	}
	f, err := os.Open(p)
	if err != nil {
		s.notFound(w, r)
		return
	}
	defer f.Close()
	// What was opened must be the file mediaPath resolved, not a symlink
	// put in its place since.
	fi, err := f.Stat()
	li, lerr := os.Lstat(p)
	if err != nil || lerr != nil || !fi.Mode().IsRegular() || !os.SameFile(fi, li) {
		s.notFound(w, r)
		return
	}
	w.Header().Set("Content-Type", ct)
	w.Header().Set("Cache-Control", "private, no-cache")
	http.ServeContent(w, r, "", fi.ModTime(), f)
}
