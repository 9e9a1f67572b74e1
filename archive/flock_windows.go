//go:build windows

package archive

import (
	"errors"
	"os"

	"golang.org/x/sys/windows"
)

// lockAtHigh is the high half of where the lock's one byte lies (2^62):
// far past the end of the file, because Windows locks keep every other handle from reading the
// bytes they cover, and the holder's words at the start of the file must
// stay readable to those it keeps waiting.
const lockAtHigh = 1 << 30

// tryLock takes a lock on f without waiting: exclusive for a writer,
// shared for a reader. It returns errLockHeld when another holds it.
func tryLock(f *os.File, exclusive bool) error {
	flags := uint32(windows.LOCKFILE_FAIL_IMMEDIATELY)
	if exclusive {
		flags |= windows.LOCKFILE_EXCLUSIVE_LOCK
	}
	ol := &windows.Overlapped{OffsetHigh: lockAtHigh}
	err := windows.LockFileEx(windows.Handle(f.Fd()), flags, 0, 1, 0, ol)
	if errors.Is(err, windows.ERROR_LOCK_VIOLATION) {
		return errLockHeld
	}
	return err
}

// unlock lets go of tryLock's lock.
func unlock(f *os.File) error {
	ol := &windows.Overlapped{OffsetHigh: lockAtHigh}
	return windows.UnlockFileEx(windows.Handle(f.Fd()), 0, 1, 0, ol)
}

// dirDenied reports whether this process may not create files in dir.
// Windows has no access(2) and ignores a folder's read-only attribute:
// only a folder it may not even look at says so here, and the
// catalogue's own open for writing (cannotWrite) says the rest.
func dirDenied(dir string) bool {
	_, err := os.Stat(dir)
	return deniedWrite(err)
}

// readOnlyFS reports whether err says the medium is write-protected.
func readOnlyFS(err error) bool { return errors.Is(err, windows.ERROR_WRITE_PROTECT) }
