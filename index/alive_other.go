//go:build !unix && !windows

package index

// alive cannot tell here: a holder note is taken as a running holder's.
func alive(pid int) bool { return true }
