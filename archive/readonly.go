package archive

import (
	"database/sql"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// ErrReadOnly is returned when something would write to an archive that
// was opened read-only.
var ErrReadOnly = errors.New("archive is read-only")

// ErrOldFormat is returned when a read-only archive is of a format this
// recuerdo can only read after upgrading it, which it cannot do there.
var ErrOldFormat = errors.New("archive needs an upgrade")

// oldestReadable is the oldest format this code reads without upgrading
// it, as it must on a read-only archive: what later formats added is read
// as absent where a.format says so (History, hasWords, hasLexicon). A
// migration whose tables or columns cannot be read that way raises it.
const oldestReadable = 1

// OpenReadOnly opens the archive in dir without writing anything there:
// no lock file, no journal, no upgrade. It holds a shared lock on the
// archive's lock file, when there is one, so no recuerdo writes to the
// archive while it is open; Lock and everything that writes fail with
// ErrReadOnly. Open does the same by itself when dir cannot be written.
func OpenReadOnly(dir string) (*Archive, error) {
	return OpenWith(dir, Options{ReadOnly: true})
}

func openReadOnlyWith(dir string, opt Options) (*Archive, error) {
	if _, err := os.Stat(filepath.Join(dir, catalogueName)); err != nil {
		return nil, fmt.Errorf("open archive %s: %w", dir, ErrNoArchive)
	}
	a, err := openReadOnly(dir, opt.LockWait)
	if err != nil {
		return nil, fmt.Errorf("open archive %s (read-only): %w", dir, err)
	}
	return a, nil
}

// ReadOnly reports whether the archive was opened read-only.
func (a *Archive) ReadOnly() bool { return a.readOnly }

// cannotWrite reports whether this process may not write the archive in
// dir: its catalogue or its folder are on a read-only file system, or
// their permissions forbid it. It writes nothing to find out.
func cannotWrite(dir string) bool {
	f, err := os.OpenFile(filepath.Join(dir, catalogueName), os.O_RDWR, 0)
	if err == nil {
		f.Close()
	} else if deniedWrite(err) {
		return true
	}
	// SQLite writes its journal next to the catalogue.
	return dirDenied(dir)
}

// deniedWrite reports whether err says a write is not allowed.
func deniedWrite(err error) bool {
	return errors.Is(err, os.ErrPermission) || readOnlyFS(err)
}

func openReadOnly(dir string, wait time.Duration) (*Archive, error) {
	a := &Archive{dir: dir, readOnly: true}
	a.SetLockWait(wait)
	if err := a.shareLock(a.LockWait()); err != nil {
		return nil, err
	}
	if err := a.openCatalogueReadOnly(); err != nil {
		a.Close()
		return nil, err
	}
	v, err := a.formatVersion()
	switch {
	case err != nil:
	case v > FormatVersion:
		err = fmt.Errorf("%w: format %d, this recuerdo reads up to format %d; install a newer recuerdo (the archive was not changed)", ErrNewerFormat, v, FormatVersion)
	case v < oldestReadable:
		err = fmt.Errorf("%w: format %d must be upgraded to format %d, which a read-only archive cannot be: copy the folder somewhere writable and open the copy (the archive was not changed)", ErrOldFormat, v, FormatVersion)
	}
	if err != nil {
		a.Close()
		return nil, err
	}
	a.format = v
	return a, nil
}

// openCatalogueReadOnly opens the catalogue so that SQLite writes nothing
// in the archive's folder. A catalogue with no pending write-ahead log is
// opened immutable: SQLite then creates no -wal or -shm file, and the
// shared lock keeps every recuerdo from writing to it meanwhile. One
// whose log holds changes (left by a process that is still running, or by
// a copy taken while one was) is read with them: through SQLite's shared
// memory when another process has it open in a folder SQLite may write
// to, else from a private copy of the two files.
func (a *Archive) openCatalogueReadOnly() error {
	db := filepath.Join(a.dir, catalogueName)
	const params = "&_pragma=busy_timeout(10000)&_pragma=foreign_keys(1)"
	wal, err := os.Stat(db + "-wal")
	hot := err == nil && wal.Size() > 0
	var dsn string
	switch {
	case !hot:
		dsn = sqliteURI(db) + "?mode=ro&immutable=1" + params
	case exists(db+"-shm") && !cannotWrite(a.dir):
		dsn = sqliteURI(db) + "?mode=ro" + params
	default:
		tmp, err := os.MkdirTemp("", "recuerdo-catalogue-")
		if err != nil {
			return fmt.Errorf("copy catalogue to read its journal: %w", err)
		}
		a.tmp = tmp
		for _, suffix := range []string{"", "-wal"} {
			if err := copyFile(db+suffix, filepath.Join(tmp, catalogueName+suffix)); err != nil {
				return fmt.Errorf("copy catalogue to read its journal: %w", err)
			}
		}
		dsn = sqliteURI(filepath.Join(tmp, catalogueName)) + "?mode=ro" + params
	}
	sdb, err := sql.Open("sqlite", dsn)
	if err != nil {
		return fmt.Errorf("open catalogue: %w", err)
	}
	if err := sdb.Ping(); err != nil {
		sdb.Close()
		return fmt.Errorf("open catalogue %s: %w", db, err)
	}
	boundPool(sdb)
	a.db = sdb
	return nil
}

// sqliteURI is the file: URI of path, with the characters SQLite's URI
// parser would read as syntax escaped.
func sqliteURI(path string) string {
	return "file:" + strings.NewReplacer("%", "%25", "?", "%3f", "#", "%23").Replace(path)
}

func exists(p string) bool {
	_, err := os.Lstat(p)
	return err == nil
}

func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// shareLock takes a shared hold on the archive's lock file, which every
// writer takes exclusively, waiting up to wait for a writer to finish. An
// archive without a lock file (or one this process cannot read) is
// opened without it: nothing of recuerdo's has written to it.
func (a *Archive) shareLock(wait time.Duration) error {
	p := filepath.Join(a.dir, "lock")
	f, err := os.Open(p)
	if errors.Is(err, os.ErrNotExist) || deniedWrite(err) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("lock archive for reading: %w", err)
	}
	deadline := time.Now().Add(wait)
	for {
		err = tryLock(f, false)
		if err == nil {
			a.shared = f
			return nil
		}
		if !errors.Is(err, errLockHeld) || time.Now().After(deadline) {
			holder, _ := os.ReadFile(p)
			f.Close()
			if h := strings.TrimSpace(string(holder)); h != "" {
				return fmt.Errorf("%w: held by %s", ErrBusy, h)
			}
			return fmt.Errorf("%w: %v", ErrBusy, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// closeReadOnly lets go of what a read-only archive holds besides its
// catalogue.
func (a *Archive) closeReadOnly() {
	if a.shared != nil {
		unlock(a.shared)
		a.shared.Close()
		a.shared = nil
	}
	if a.tmp != "" {
		os.RemoveAll(a.tmp)
		a.tmp = ""
	}
}

// holdToRead keeps writers out while a reader needs a consistent view of
// the whole archive (an export): the write lock on a writable archive; on
// a read-only one, the shared lock it already holds (on PostgreSQL, one
// taken for the while: shareLockPG).
func (a *Archive) holdToRead(what string) (*Lock, error) {
	if a.readOnly && a.pg != nil {
		return a.shareLockPG(what, a.LockWait())
	}
	if a.readOnly {
		return nil, nil
	}
	return a.Lock(what, a.LockWait())
}
