package lumlfake

import (
	"encoding/json"
	"errors"
	"testing"
)

// A parsed body is echoed as the client sent it: keys in order, a repeated key at its first
// place with its last value, numbers as written, no HTML escaping.
func TestBodiesRoundTrip(t *testing.T) {
	v, err := decodeJSON([]byte("\ufeff" + `{"b":1,"a":[true,null,-0,1.5e3,"<&>\ud83d\ude00\n"],"b":{"c":12345678901234567890123}}`))
	if err != nil {
		t.Fatalf("decoding: %v", err)
	}
	out, err := encodeJSON(v)
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"b":{"c":12345678901234567890123},"a":[true,null,-0,1.5e3,"<&>😀\n"]}`; string(out) != want {
		t.Errorf("got %s, want %s", out, want)
	}
}

// Malformed bodies give Python's json.loads message and character position (Python 3.13:
// a trailing comma has its own message), which FastAPI reports in a json_invalid error.
func TestMalformedBodies(t *testing.T) {
	type pyErr struct {
		msg string
		pos int
	}
	for in, want := range map[string]pyErr{
		`{not json`: {"Expecting property name enclosed in double quotes", 1},
		`{`:         {"Expecting property name enclosed in double quotes", 1},
		`{"a":}`:    {"Expecting value", 5},
		`{"a" 1}`:   {"Expecting ':' delimiter", 5},
		`{"a":1`:    {"Expecting ',' delimiter", 6},
		`{"a":1,}`:  {"Illegal trailing comma before end of object", 6},
		`[1,]`:      {"Illegal trailing comma before end of array", 2},
		`[1 2]`:     {"Expecting ',' delimiter", 3},
		`[`:         {"Expecting value", 1},
		`{"a":1}x`:  {"Extra data", 7},
		`  `:        {"Expecting value", 2},
		``:          {"Expecting value", 0},
		`tru`:       {"Expecting value", 0},
		`-`:         {"Expecting value", 0},
		`"abc`:      {"Unterminated string starting at", 0},
		"\"a\x01\"": {"Invalid control character at", 2},
		`"\x"`:      {"Invalid \\escape", 1},
		`"\u12"`:    {"Invalid \\uXXXX escape", 2},
		`["é", x]`:  {"Expecting value", 6}, // characters, not bytes
		`NaN`:       {"Expecting value", 0}, // Python accepts it; the emulator does not
	} {
		var malformed *malformedJSON
		_, err := decodeJSON([]byte(in))
		if !errors.As(err, &malformed) || malformed.msg != want.msg || malformed.pos != want.pos {
			t.Errorf("%q: %v, want %q at %d", in, err, want.msg, want.pos)
		}
	}
	if _, err := decodeJSON([]byte("\xff")); err != errBodyParse {
		t.Errorf("invalid UTF-8 gave %v, want the body parse error", err)
	}
}

func TestPyStr(t *testing.T) {
	for want, v := range map[string]any{"None": nil, "True": true, "gcs": "gcs", "5": json.Number("5"), `["a"]`: []any{"a"}} {
		if got := pyStr(v); got != want {
			t.Errorf("str(%v) = %s, want %s", v, got, want)
		}
	}
}

func TestUUIDParsing(t *testing.T) {
	const id = "0198b2c4-1e2f-7abc-8def-0123456789ab"
	for _, in := range []string{id, "0198B2C41E2F7ABC8DEF0123456789AB", "{" + id + "}", "urn:uuid:" + id} {
		if got, err := parseUUID(in); err != nil || got != id {
			t.Errorf("%q: %q, %v", in, got, err)
		}
	}
	const badChar = "invalid character: expected an optional prefix of `urn:uuid:` followed by [0-9a-fA-F-], found "
	errs := map[string]string{
		"not-a-uuid":                              badChar + "`n` at 1",
		"abcde":                                   "invalid length: expected length 32 for simple format, found 5",
		"0198b2c4-1e2f-7abc-8def":                 "invalid group count: expected 5, found 4",
		"0198b2c41-e2f-7abc-8def-0123456789ab":    "invalid group length in group 0: expected 8, found 9",
		"0198b2c4-1e2f-7abc-8def-0123456789abc":   "invalid group length in group 4: expected 12, found 13",
		"{0198b2c4-1e2f-7abc-8def-0123456789ag}":  badChar + "`g` at 37",
		"URN:UUID:0198b2c4-1e2f-7abc-8def-012345": badChar + "`U` at 1",
		"0198b2c4-1e2f-7abc-8def-0123456789aé":    badChar + "`é` at 36",
	}
	for in, want := range errs {
		if _, err := parseUUID(in); err == nil || err.Error() != want {
			t.Errorf("%q: %v, want %s", in, err, want)
		}
	}
}
