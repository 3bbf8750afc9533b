//go:build race

package provider

// multipartRaceSlowdown scales timing budgets: the race detector makes allocation-heavy code
// several times slower.
const multipartRaceSlowdown = 5
