package lumlfake

import (
	"math"
	"strings"
	"testing"
)

// The expected messages and offsets are those of CPython 3.14's json.loads.
func TestDecodeJSONErrors(t *testing.T) {
	tests := []struct {
		in  string
		msg string
		pos int
	}{
		{"", "Expecting value", 0},
		{"  ", "Expecting value", 2},
		{"{", "Expecting property name enclosed in double quotes", 1},
		{`{"a" 1}`, "Expecting ':' delimiter", 5},
		{`{"a":1 "b":2}`, "Expecting ',' delimiter", 7},
		{`{"a":1,}`, "Illegal trailing comma before end of object", 6},
		{`[1,]`, "Illegal trailing comma before end of array", 2},
		{`[1 2]`, "Expecting ',' delimiter", 3},
		{`[`, "Expecting value", 1},
		{`{"a":}`, "Expecting value", 5},
		{`{'a':1}`, "Expecting property name enclosed in double quotes", 1},
		{`{"a":1}x`, "Extra data", 7},
		{`01`, "Extra data", 1},
		{`-`, "Expecting value", 0},
		{`"abc`, "Unterminated string starting at", 0},
		{`{"é":"\q"}`, "Invalid \\escape", 6},
		{`"\u12"`, "Invalid \\uXXXX escape", 2},
		{`"\u12x4"`, "Invalid \\uXXXX escape", 2},
		{"\"a\nb\"", "Invalid control character at", 2},
		{`tru`, "Expecting value", 0},
	}
	for _, tt := range tests {
		_, jerr, err := decodeJSON([]byte(tt.in))
		if err != nil || jerr == nil || jerr.msg != tt.msg || jerr.pos != tt.pos {
			t.Errorf("%q: got %+v, %v; want %q at %d", tt.in, jerr, err, tt.msg, tt.pos)
		}
	}
}

func TestDecodeJSONValues(t *testing.T) {
	v, jerr, err := decodeJSON([]byte("\ufeff" + `{"b":1,"a":[true,null,-0,1.5e3,"\ud83d\ude00\n"],"b":{"c":-Infinity}}`))
	if jerr != nil || err != nil {
		t.Fatal(jerr, err)
	}
	out, err := encodeJSON(v.(*object).members[1].val)
	if err != nil || string(out) != `[true,null,0,1500.0,"😀\n"]` {
		t.Errorf("encoded %s, %v", out, err)
	}
	if b, _ := v.(*object).get("b"); !math.IsInf(b.(*object).members[0].val.(float64), -1) || v.(*object).members[0].key != "b" {
		t.Errorf("duplicate key handling: %+v", v)
	}
	if _, err := encodeJSON(v); err != errNotJSONCompliant {
		t.Errorf("Infinity encoded: %v", err)
	}
	deep := strings.Repeat("[", maxJSONDepth+1) + strings.Repeat("]", maxJSONDepth+1)
	for _, in := range []string{"\xff", deep, "1" + strings.Repeat("0", maxIntDigits)} {
		if _, _, err := decodeJSON([]byte(in)); err != errBodyParse {
			t.Errorf("%.20q: %v, want a parse error", in, err)
		}
	}
}

func TestPythonFormatting(t *testing.T) {
	floats := []struct {
		f    float64
		want string
	}{
		{1, "1.0"}, {1e16, "1e+16"}, {1.5e-7, "1.5e-07"}, {0.0001, "0.0001"}, {123456789012345.6, "123456789012345.6"},
		{math.Copysign(0, -1), "-0.0"}, {1e22, "1e+22"}, {0.1, "0.1"},
	}
	for _, tt := range floats {
		if got := pyFloatRepr(tt.f); got != tt.want {
			t.Errorf("repr(%v) = %s, want %s", tt.f, got, tt.want)
		}
	}
	reprs := map[string]any{
		"None": nil, "True": true, "5": pyInt("5"), "[1, 'a', None]": []any{pyInt("1"), "a", nil},
		`{'k': "it's"}`: obj("k", "it's"), `'a\\b\n'`: "a\\b\n",
	}
	for want, v := range reprs {
		if got := pyRepr(v); got != want {
			t.Errorf("repr %v = %s, want %s", v, got, want)
		}
	}
	if out, _ := encodeJSON("<&>\u2028\x01\"é"); string(out) != `"<&>`+"\u2028"+`\u0001\"é"` {
		t.Errorf("string escaping: %s", out)
	}
}

func TestUUIDParsing(t *testing.T) {
	const id = "0198b2c4-1e2f-7abc-8def-0123456789ab"
	for _, in := range []string{id, "0198B2C41E2F7ABC8DEF0123456789AB", "{" + id + "}", "urn:uuid:" + id} {
		if got, err := parseUUID(in); err != nil || got != id {
			t.Errorf("%q: %q, %v", in, got, err)
		}
	}
	errs := map[string]string{
		"not-a-uuid":                              "invalid character: found `n` at 1",
		"abcde":                                   "invalid length: expected length 32 for simple format, found 5",
		"0198b2c4-1e2f-7abc-8def":                 "invalid group count: expected 5, found 4",
		"0198b2c41-e2f-7abc-8def-0123456789ab":    "invalid group length in group 0: expected 8, found 9",
		"0198b2c4-1e2f-7abc-8def-0123456789abc":   "invalid group length in group 4: expected 12, found 13",
		"{0198b2c4-1e2f-7abc-8def-0123456789ag}":  "invalid character: found `g` at 37",
		"URN:UUID:0198b2c4-1e2f-7abc-8def-012345": "invalid character: found `U` at 1",
		"0198b2c4-1e2f-7abc-8def-0123456789aé":    "invalid character: found `é` at 36",
	}
	for in, want := range errs {
		if _, err := parseUUID(in); err == nil || err.Error() != want {
			t.Errorf("%q: %v, want %s", in, err, want)
		}
	}
}
