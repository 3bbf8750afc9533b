//go:build !race

package lumlfake

const raceEnabled = false
