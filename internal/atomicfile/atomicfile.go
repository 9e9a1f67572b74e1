// Package atomicfile writes files that appear whole or not at all, with the
// permissions a plain create would give them.
//
// A file made by os.CreateTemp is readable by its owner alone (0600), and
// renaming it over an existing file would carry that mode along. Here a new
// file gets 0666 less the umask, like a shell redirect, and a file replaced
// keeps the mode it had, so an EDL shared with a colleague stays readable.
//
//	f, err := atomicfile.Create("cuts.edl")
//	if err != nil { ... }
//	if _, err := f.Write(data); err != nil { f.Abort(); ... }
//	return f.Commit()
package atomicfile

import (
	"errors"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
)

// File is a temporary file beside its destination; Commit renames it into place.
type File struct {
	*os.File
	dst  string
	mode fs.FileMode // the replaced file's mode, or 0 for a new file
	done bool
}

// Create opens a temporary file in dst's folder that becomes dst on Commit.
func Create(dst string) (*File, error) {
	var mode fs.FileMode
	if fi, err := os.Stat(dst); err == nil && fi.Mode().IsRegular() {
		mode = fi.Mode().Perm()
	}
	dir, base := filepath.Split(filepath.Clean(dst))
	if dir == "" {
		dir = "."
	}
	for try := 0; ; try++ {
		name := filepath.Join(dir, "."+base+".tmp-"+strconv.FormatUint(uint64(rand.Uint32()), 36))
		// 0666 through the umask, as a plain create would.
		f, err := os.OpenFile(name, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o666)
		if errors.Is(err, fs.ErrExist) && try < 100 {
			continue
		}
		if err != nil {
			return nil, err
		}
		return &File{File: f, dst: dst, mode: mode}, nil
	}
}

// Commit syncs the file, gives it the replaced file's mode and renames it
// over dst. On failure the temporary file is removed and dst is untouched.
func (f *File) Commit() error {
	if f.done {
		return errors.New("atomicfile: already committed or aborted")
	}
	f.done = true
	err := f.Sync()
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil && f.mode != 0 {
		err = os.Chmod(f.Name(), f.mode)
	}
	if err == nil {
		err = os.Rename(f.Name(), f.dst)
	}
	if err != nil {
		os.Remove(f.Name())
		return err
	}
	syncDir(filepath.Dir(f.dst))
	return nil
}

// Abort closes and removes the temporary file; dst is untouched. It does
// nothing after Commit.
func (f *File) Abort() {
	if f.done {
		return
	}
	f.done = true
	f.Close()
	os.Remove(f.Name())
}

// WriteFile writes data to dst atomically: a new file gets 0666 less the
// umask, an existing one keeps its mode.
func WriteFile(dst string, data []byte) error {
	f, err := Create(dst)
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Abort()
		return err
	}
	return f.Commit()
}

// MkdirTemp makes a new folder in dir named prefix plus a random suffix,
// with 0777 less the umask (os.MkdirTemp's are 0700), for a folder that is
// renamed into place once full.
func MkdirTemp(dir, prefix string) (string, error) {
	for try := 0; ; try++ {
		name := filepath.Join(dir, prefix+strconv.FormatUint(uint64(rand.Uint32()), 36))
		err := os.Mkdir(name, 0o777)
		if errors.Is(err, fs.ErrExist) && try < 100 {
			continue
		}
		if err != nil {
			return "", err
		}
		return name, nil
	}
}

// syncDir makes a rename durable; file systems that cannot sync a folder
// are not an error.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}
