// Package validators holds the provider's own attribute validators, each in a file named for
// what it checks, and the checks of the provider block that Configure repeats on values from
// the environment. It knows the attribute names of the schemas it serves, not the provider.
package validators
