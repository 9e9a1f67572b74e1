//go:build race

package main

// raceEnabled: the kill tests run fewer times under the race detector,
// which slows every child process several times over.
const raceEnabled = true
