//go:build !unix

package bench

// peakRSS is unknown here.
func peakRSS() int64 { return 0 }

// flushDisk does nothing here.
func flushDisk() {}
