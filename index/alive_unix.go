//go:build unix

package index

import (
	"errors"

	"golang.org/x/sys/unix"
)

// alive reports whether a process with this id is running: kill(pid, 0)
// checks without signalling, and EPERM means it runs as someone else.
func alive(pid int) bool {
	err := unix.Kill(pid, 0)
	return err == nil || errors.Is(err, unix.EPERM)
}
