//go:build unix

package archive

import (
	"errors"
	"os"
	"syscall"

	"golang.org/x/sys/unix"
)

// tryLock takes a lock on f without waiting: exclusive for a writer,
// shared for a reader. It returns errLockHeld when another holds it.
// flock(2) locks belong to the open file, so the holder's own words in
// the file stay readable to the others.
func tryLock(f *os.File, exclusive bool) error {
	how := unix.LOCK_SH
	if exclusive {
		how = unix.LOCK_EX
	}
	err := unix.Flock(int(f.Fd()), how|unix.LOCK_NB)
	if errors.Is(err, unix.EWOULDBLOCK) {
		return errLockHeld
	}
	return err
}

// unlock lets go of tryLock's lock.
func unlock(f *os.File) error { return unix.Flock(int(f.Fd()), unix.LOCK_UN) }

// dirDenied reports whether this process may not create files in dir
// (access(2)'s W_OK): its permissions or a read-only file system.
func dirDenied(dir string) bool { return deniedWrite(unix.Access(dir, unix.W_OK)) }

// readOnlyFS reports whether err says the file system is read-only.
func readOnlyFS(err error) bool { return errors.Is(err, syscall.EROFS) }
