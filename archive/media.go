package archive

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
)

// Errors a FileError wraps.
var (
	ErrOutside    = errors.New("outside its folder")
	ErrNotRegular = errors.New("not a regular file")
)

// FileError is a file an interview names that recuerdo will not read or
// serve: an absolute name, one with "..", one leading (through symlinks)
// out of the folder it must stay in, or something other than a regular file.
type FileError struct {
	Name   string // as the interview names it
	Folder string // the folder it must stay in, when one was given
	Target string // where it really leads, when a symlink takes it out
	Err    error  // ErrOutside or ErrNotRegular
}

func (e *FileError) Error() string {
	switch {
	case e.Err == ErrNotRegular:
		return fmt.Sprintf("%q is not a regular file", e.Name)
	case e.Target != "":
		return fmt.Sprintf("%q leads to %q, outside %q", e.Name, e.Target, e.Folder)
	case e.Folder != "":
		return fmt.Sprintf("%q is outside %q", e.Name, e.Folder)
	case isAbsName(e.Name):
		return fmt.Sprintf("%q is an absolute path: name it relative to the folder", e.Name)
	default:
		return fmt.Sprintf("%q leads out of the folder", e.Name)
	}
}

func (e *FileError) Unwrap() error { return e.Err }

// isAbsName reports whether name is absolute here, or written absolute
// with forward slashes as catalogues and exports keep names.
func isAbsName(name string) bool {
	return filepath.IsAbs(filepath.FromSlash(name)) || strings.HasPrefix(name, "/")
}

// checkName checks a file name as metadata from elsewhere may give it:
// relative, and staying inside its folder ("video/abuelo.mp4", not
// "/etc/passwd" nor "../x.mp4").
func checkName(name string) error {
	if isAbsName(name) || !filepath.IsLocal(filepath.FromSlash(name)) {
		return &FileError{Name: name, Err: ErrOutside}
	}
	return nil
}

// ResolveFile is the one rule for every file an interview names, its
// recordings (at ingest, and again by the web page before serving one)
// and its transcripts: it returns the real path of name under folder, with
// every symlink followed, if that is a regular file inside folder's own
// real path. name is relative to folder ("video/abuelo.mp4") or absolute
// inside it, as ingest records a recording. Anything else is a *FileError;
// a file that is not there is the *fs.PathError of looking for it.
func ResolveFile(folder, name string) (string, error) {
	root, err := filepath.Abs(folder)
	if err != nil {
		return "", err
	}
	rel := filepath.FromSlash(name)
	if filepath.IsAbs(rel) {
		if rel, err = filepath.Rel(root, filepath.Clean(rel)); err != nil || !filepath.IsLocal(rel) {
			return "", &FileError{Name: name, Folder: folder, Err: ErrOutside}
		}
	} else if err := checkName(name); err != nil {
		return "", err
	}
	realRoot, err := filepath.EvalSymlinks(root)
	if err != nil {
		return "", err
	}
	real, err := filepath.EvalSymlinks(filepath.Join(root, rel))
	if err != nil {
		return "", err
	}
	if r, err := filepath.Rel(realRoot, real); err != nil || !filepath.IsLocal(r) {
		return "", &FileError{Name: name, Folder: folder, Target: real, Err: ErrOutside}
	}
	fi, err := os.Stat(real)
	if err != nil {
		return "", err
	}
	if !fi.Mode().IsRegular() {
		return "", &FileError{Name: name, Folder: folder, Err: ErrNotRegular}
	}
	return real, nil
}

// readFileIn reads the file metadata names, relative to folder, if
// checkName and ResolveFile allow it.
func readFileIn(folder, name string) ([]byte, error) {
	if err := checkName(name); err != nil {
		return nil, err
	}
	real, err := ResolveFile(folder, name)
	if err != nil {
		return nil, err
	}
	return os.ReadFile(real)
}

// fileProblem says what is wrong with a file, for a message that already
// names it: "no such file or directory", or a FileError whole.
func fileProblem(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

// importMedia makes the recordings an export names safe to keep: each is
// kept by a relative name only, for serve to look for under its media
// folders. An absolute name, as every earlier build recorded a recording
// found in its interview folder, keeps its base name; a name leading out
// of its folder ("../x.mp4") is refused. where names the export's file.
func importMedia(where string, media []Media) error {
	for i, m := range media {
		if m.File == "" || checkName(m.File) == nil {
			continue
		}
		base := path.Base(strings.ReplaceAll(m.File, `\`, "/"))
		if !isAbsName(m.File) || checkName(base) != nil {
			return fmt.Errorf("%s: media %d: %w", where, i+1, &FileError{Name: m.File, Err: ErrOutside})
		}
		media[i].File = base
	}
	return nil
}
