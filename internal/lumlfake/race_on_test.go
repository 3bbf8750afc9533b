//go:build race

package lumlfake

// raceEnabled reports whether the race detector, which slows signing about
// tenfold, is on.
const raceEnabled = true
