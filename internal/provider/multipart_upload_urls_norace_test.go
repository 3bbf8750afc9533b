//go:build !race

package provider

// multipartRaceSlowdown scales timing budgets; without the race detector they hold as they are.
const multipartRaceSlowdown = 1
