// Package planmodifiers holds the provider's own attribute plan modifiers, each in a file
// named for what it plans.
package planmodifiers
