package lumlfake

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// parseUUID accepts what the Rust uuid crate behind pydantic accepts (simple,
// hyphenated, braced and urn forms, either hex case) and returns the
// canonical lower-case hyphenated form. Its errors read like that crate's.
func parseUUID(s string) (string, error) {
	inner := s
	switch {
	case len(s) == 38 && s[0] == '{' && s[37] == '}':
		inner = s[1:37]
	case len(s) == 45 && strings.HasPrefix(s, "urn:uuid:"):
		inner = s[9:]
	}
	var hex string
	switch len(inner) {
	case 32:
		if len(s) == 32 {
			hex = inner
		}
	case 36:
		if inner[8] == '-' && inner[13] == '-' && inner[18] == '-' && inner[23] == '-' {
			hex = inner[:8] + inner[9:13] + inner[14:18] + inner[19:23] + inner[24:]
		}
	}
	if len(hex) == 32 && isHex(hex) {
		h := strings.ToLower(hex)
		return h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:], nil
	}
	return "", uuidError(s)
}

func isHex(s string) bool {
	return strings.Trim(s, "0123456789abcdefABCDEF") == ""
}

// uuidError explains why s is not a UUID, following uuid::Error's analysis:
// first bad character, else the length or grouping at fault.
func uuidError(s string) error {
	body, offset, simple := s, 0, true
	switch {
	case len(s) >= 2 && s[0] == '{' && s[len(s)-1] == '}':
		body, offset, simple = s[1:len(s)-1], 1, false
	case strings.HasPrefix(s, "urn:uuid:"):
		body, offset, simple = s[9:], 9, false
	}
	hyphens := 0
	var bounds [4]int
	for i, r := range body {
		switch {
		case r == '-':
			if hyphens < 4 {
				bounds[hyphens] = i
			}
			hyphens++
		case r >= utf8.RuneSelf || !isHex(string(r)):
			return fmt.Errorf("invalid character: expected an optional prefix of `urn:uuid:` followed by [0-9a-fA-F-], found `%c` at %d", r, i+offset+1)
		}
	}
	switch {
	case hyphens == 0 && simple:
		return fmt.Errorf("invalid length: expected length 32 for simple format, found %d", len(s))
	case hyphens != 4:
		return fmt.Errorf("invalid group count: expected 5, found %d", hyphens+1)
	}
	starts := [5]int{0, 9, 14, 19, 24}
	expected := [5]int{8, 4, 4, 4, 12}
	for i := range 4 {
		if bounds[i] != starts[i+1]-1 {
			return fmt.Errorf("invalid group length in group %d: expected %d, found %d", i, expected[i], bounds[i]-starts[i])
		}
	}
	return fmt.Errorf("invalid group length in group 4: expected 12, found %d", len(s)-starts[4])
}
