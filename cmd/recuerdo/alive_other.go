//go:build !unix && !windows

package main

// alive cannot tell here: a marker is taken as a running server's.
func alive(pid int) bool { return true }
