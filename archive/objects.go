package archive

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// Checksum returns the hex SHA-256 of data, the name an original is kept under.
func Checksum(data []byte) string {
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:])
}

func (a *Archive) objectPath(sum string) string {
	return filepath.Join(a.objectsDir(), "sha256", sum[:2], sum)
}

// putObject stores data under its checksum and reports whether it made a
// new file. Writing is idempotent and atomic: a temporary file is synced
// and renamed into place, so a reader never sees half an original. A
// damaged copy already there is replaced by the good bytes.
func (a *Archive) putObject(sum string, data []byte) (created bool, err error) {
	p := a.objectPath(sum)
	fi, statErr := os.Stat(p)
	if statErr == nil && fi.Size() == int64(len(data)) && a.verifyObject(sum) == nil {
		return false, nil
	}
	dir := filepath.Dir(p)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return false, fmt.Errorf("store original %s: %w", sum[:12], err)
	}
	f, err := os.CreateTemp(dir, ".tmp-*")
	if err != nil {
		return false, fmt.Errorf("store original %s: %w", sum[:12], err)
	}
	tmp := f.Name()
	if writeFault != nil {
		_, err = writeFault(f, data)
	} else {
		_, err = f.Write(data)
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(tmp, 0o444)
	}
	if err == nil {
		err = os.Rename(tmp, p)
	}
	if err != nil {
		os.Remove(tmp)
		return false, fmt.Errorf("store original %s: %w", sum[:12], err)
	}
	return statErr != nil, syncDir(dir)
}

// writeFault, when set by a test, writes an original in place of
// (*os.File).Write: it simulates a full or failing disk.
var writeFault func(f *os.File, data []byte) (int, error)

// removeObject deletes an original that an ingest or import which then
// failed had just stored, and that nothing refers to.
func (a *Archive) removeObject(sum string) {
	os.Remove(a.objectPath(sum))
}

// Original returns the bytes of the original stored under sum.
func (a *Archive) Original(sum string) ([]byte, error) {
	if len(sum) != 64 {
		return nil, fmt.Errorf("original %q: bad checksum", sum)
	}
	data, err := os.ReadFile(a.objectPath(sum))
	if errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("original %s: %w", sum[:12], ErrNotFound)
	}
	return data, err
}

// verifyObject re-reads an original and checks its checksum.
func (a *Archive) verifyObject(sum string) error {
	f, err := os.Open(a.objectPath(sum))
	if err != nil {
		return err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return err
	}
	if got := hex.EncodeToString(h.Sum(nil)); got != sum {
		return fmt.Errorf("content has checksum %s", got[:12])
	}
	return nil
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	if err := d.Sync(); err != nil && !errors.Is(err, os.ErrInvalid) {
		return err
	}
	return nil
}
