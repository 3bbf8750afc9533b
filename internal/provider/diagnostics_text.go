package provider

import "strings"

// upperFirst capitalizes the first letter of an error's text, which Go writes in lower case,
// so that it can begin a diagnostic's sentence.
func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
