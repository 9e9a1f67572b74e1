//go:build race

package subtitles

// raceEnabled turns off the memory bounds of the tests: under the race
// detector sync.Pool drops what it is given, so every regexp match
// allocates a new machine.
const raceEnabled = true
