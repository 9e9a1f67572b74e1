//go:build !race

package subtitles

// raceEnabled reports a build with the race detector, under which the
// memory bounds of the tests do not hold.
const raceEnabled = false
