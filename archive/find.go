package archive

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// ErrLooseFile is returned by FindSources for a subtitle or transcript
// file outside an interview folder: which interview it belongs to must be
// said (LoadFiles), or the file put in a folder with an interview.yaml.
var ErrLooseFile = errors.New("a loose file, not an interview folder")

// ErrNoInterviews is returned by FindSources for a folder with no
// interview.yaml, in it or in its subfolders.
var ErrNoInterviews = errors.New("no " + SidecarName + " here or in its subfolders")

// SourceFailure is an interview FindSources found but could not read: a
// subfolder whose interview.yaml or files are wrong, or a bad row of a
// batch manifest. The others found with it are still read.
type SourceFailure struct {
	Origin string // the subfolder, or the manifest the row is in
	Err    error
}

func (f SourceFailure) Error() string { return f.Err.Error() }

func (f SourceFailure) Unwrap() error { return f.Err }

// FindSources reads the interviews a path names for ingest:
//
//   - an interview folder (with an interview.yaml): that interview;
//   - a folder of interview folders: each subfolder with an interview.yaml,
//     in name order (subfolders without one are passed over);
//   - an interview.yaml: its folder's interview;
//   - a batch manifest (a .csv or .tsv with "id" and "files" columns; see
//     LoadManifest): one interview per row.
//
// An interview that cannot be read (a subfolder, a manifest row) is a
// SourceFailure of its own and the others still come. The error is for a
// path that gives nothing: one that does not exist, a folder with no
// interview in it (ErrNoInterviews), a loose subtitle file (ErrLooseFile),
// an interview folder or manifest that cannot be read.
func FindSources(path string) ([]*Source, []SourceFailure, error) {
	fi, err := os.Stat(path)
	if err != nil {
		// The path is named once: "ingest x: no such file or directory".
		if u := errors.Unwrap(err); u != nil {
			err = u
		}
		return nil, nil, fmt.Errorf("ingest %s: %w", path, err)
	}
	if !fi.IsDir() {
		if ext := strings.ToLower(filepath.Ext(path)); (ext == ".csv" || ext == ".tsv") && IsManifest(path) {
			srcs, bad, err := LoadManifest(path)
			if err != nil {
				return nil, nil, err
			}
			var failed []SourceFailure
			for _, e := range bad {
				failed = append(failed, SourceFailure{Origin: path, Err: e})
			}
			return srcs, failed, nil
		}
		if filepath.Base(path) == SidecarName {
			src, err := LoadFolder(filepath.Dir(path))
			if err != nil {
				return nil, nil, err
			}
			return []*Source{src}, nil, nil
		}
		return nil, nil, fmt.Errorf("ingest %s: %w", path, ErrLooseFile)
	}
	if isInterviewFolder(path) {
		src, err := LoadFolder(path)
		if err != nil {
			return nil, nil, err
		}
		return []*Source{src}, nil, nil
	}
	entries, err := os.ReadDir(path)
	if err != nil {
		return nil, nil, err
	}
	var dirs []string
	for _, e := range entries {
		if e.IsDir() {
			dirs = append(dirs, filepath.Join(path, e.Name()))
		}
	}
	sort.Strings(dirs)
	var out []*Source
	var failed []SourceFailure
	for _, d := range dirs {
		if !isInterviewFolder(d) {
			continue
		}
		src, err := LoadFolder(d)
		if err != nil {
			failed = append(failed, SourceFailure{Origin: d, Err: err})
			continue
		}
		out = append(out, src)
	}
	if len(out) == 0 && len(failed) == 0 {
		return nil, nil, fmt.Errorf("ingest %s: %w", path, ErrNoInterviews)
	}
	return out, failed, nil
}

// isInterviewFolder reports whether dir has an interview.yaml.
func isInterviewFolder(dir string) bool {
	_, err := os.Stat(filepath.Join(dir, SidecarName))
	return err == nil
}
