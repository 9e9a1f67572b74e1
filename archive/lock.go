package archive

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// ErrBusy is returned when another process is writing to the archive.
var ErrBusy = errors.New("archive is busy")

// errLockHeld means another process holds a lock tryLock asked for.
var errLockHeld = errors.New("lock held by another process")

// Lock is an exclusive hold on an archive for writing: an OS lock on
// ARCHIVE/lock, or on PostgreSQL an advisory lock held by one connection
// (pglock.go).
type Lock struct {
	f  *os.File
	pg *pgLock
}

// Lock takes the archive's write lock for the command named what, waiting
// up to wait for another writer to finish. The error says who holds it.
// On an archive opened read-only it fails with ErrReadOnly.
func (a *Archive) Lock(what string, wait time.Duration) (*Lock, error) {
	if a.readOnly {
		return nil, fmt.Errorf("%s: %w", what, ErrReadOnly)
	}
	if a.pg != nil {
		return a.lockPG(what, wait)
	}
	p := filepath.Join(a.dir, "lock")
	f, err := os.OpenFile(p, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("lock archive: %w", err)
	}
	deadline := time.Now().Add(wait)
	for {
		err = tryLock(f, true)
		if err == nil {
			break
		}
		if !errors.Is(err, errLockHeld) || time.Now().After(deadline) {
			holder, _ := os.ReadFile(p)
			f.Close()
			if h := strings.TrimSpace(string(holder)); h != "" {
				return nil, fmt.Errorf("%w: held by %s", ErrBusy, h)
			}
			return nil, fmt.Errorf("%w: held by a recuerdo that did not say which (one reading it read-only holds it shared)", ErrBusy)
		}
		time.Sleep(50 * time.Millisecond)
	}
	f.Truncate(0)
	fmt.Fprintf(f, "pid %d (%s) since %s\n", os.Getpid(), what, time.Now().Format(time.RFC3339))
	f.Sync()
	return &Lock{f: f}, nil
}

// Unlock releases the lock.
func (l *Lock) Unlock() error {
	if l != nil && l.pg != nil {
		err := l.pg.unlock()
		l.pg = nil
		return err
	}
	if l == nil || l.f == nil {
		return nil
	}
	l.f.Truncate(0)
	err := unlock(l.f)
	l.f.Close()
	l.f = nil
	return err
}
