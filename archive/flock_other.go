//go:build !unix && !windows

package archive

import (
	"errors"
	"os"
)

// tryLock cannot lock here: recuerdo runs on unix systems and Windows.
func tryLock(f *os.File, exclusive bool) error { return errors.ErrUnsupported }

func unlock(f *os.File) error { return errors.ErrUnsupported }

func dirDenied(dir string) bool { return false }

func readOnlyFS(err error) bool { return false }
