package lumlfake

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"
)

// The real API is a FastAPI service: request bodies are read with Python's
// json module and responses written with json.dumps. Error bodies echo the
// parsed input, and 422 json_invalid errors carry the decoder's message and
// character offset, so this file reproduces both sides of Python's json
// rather than relying on encoding/json.

// object is a JSON object that keeps its keys in order. Parsed objects
// behave like Python dicts built by json.loads: a repeated key keeps the
// position of its first occurrence and the value of its last.
type object struct {
	members []member
	index   map[string]int
}

type member struct {
	key string
	val any
}

// obj builds an object from alternating keys and values.
func obj(kv ...any) *object {
	o := &object{}
	for i := 0; i+1 < len(kv); i += 2 {
		key, ok := kv[i].(string)
		if !ok {
			panic(fmt.Sprintf("obj: key %d is a %T, not a string", i/2, kv[i]))
		}
		o.set(key, kv[i+1])
	}
	return o
}

func (o *object) set(key string, val any) {
	if o.index == nil {
		o.index = make(map[string]int)
	}
	if i, ok := o.index[key]; ok {
		o.members[i].val = val
		return
	}
	o.index[key] = len(o.members)
	o.members = append(o.members, member{key, val})
}

func (o *object) get(key string) (any, bool) {
	i, ok := o.index[key]
	if !ok {
		return nil, false
	}
	return o.members[i].val, true
}

// pyInt is a JSON integer kept as the decimal text Python would print, so
// integers of any size round-trip.
type pyInt string

// jsonDecodeError mirrors json.JSONDecodeError: msg without the position
// suffix, pos as a character (not byte) offset.
type jsonDecodeError struct {
	msg string
	pos int
}

// errBodyParse is any failure Python reports as something other than a
// JSONDecodeError (bad UTF-8, too deep, integer too long): FastAPI turns
// those into 400 "There was an error parsing the body".
var errBodyParse = errors.New("error parsing the body")

const (
	maxJSONDepth     = 1000 // Python raises RecursionError around here
	maxIntDigits     = 4300 // sys.int_info.default_max_str_digits
	jsonWhitespace   = " \t\n\r"
	errExpectingVal  = "Expecting value"
	errUnterminated  = "Unterminated string starting at"
	errInvalidUEsc   = "Invalid \\uXXXX escape"
	errExpectingName = "Expecting property name enclosed in double quotes"
)

// decodeJSON parses body as Python's json.loads(bytes) does.
func decodeJSON(body []byte) (any, *jsonDecodeError, error) {
	body = bytes.TrimPrefix(body, []byte("\xef\xbb\xbf"))
	if !utf8.Valid(body) {
		return nil, nil, errBodyParse
	}
	d := decoder{s: []rune(string(body))}
	v, end, err := d.value(d.ws(0), 0)
	if err != nil {
		if err.msg == "" {
			return nil, nil, errBodyParse
		}
		return nil, err, nil
	}
	if end = d.ws(end); end != len(d.s) {
		return nil, &jsonDecodeError{"Extra data", end}, nil
	}
	return v, nil, nil
}

type decoder struct {
	s []rune
}

func (d *decoder) ws(i int) int {
	for i < len(d.s) && strings.ContainsRune(jsonWhitespace, d.s[i]) {
		i++
	}
	return i
}

func (d *decoder) literal(i int, lit string) bool {
	return i+len(lit) <= len(d.s) && string(d.s[i:i+len(lit)]) == lit
}

func (d *decoder) value(i, depth int) (any, int, *jsonDecodeError) {
	if i >= len(d.s) {
		return nil, 0, &jsonDecodeError{errExpectingVal, i}
	}
	switch {
	case d.s[i] == '"':
		return d.str(i + 1)
	case (d.s[i] == '{' || d.s[i] == '[') && depth >= maxJSONDepth:
		return nil, 0, &jsonDecodeError{}
	case d.s[i] == '{':
		return d.object(i+1, depth+1)
	case d.s[i] == '[':
		return d.array(i+1, depth+1)
	case d.literal(i, "null"):
		return nil, i + 4, nil
	case d.literal(i, "true"):
		return true, i + 4, nil
	case d.literal(i, "false"):
		return false, i + 5, nil
	case d.literal(i, "NaN"):
		return math.NaN(), i + 3, nil
	case d.literal(i, "Infinity"):
		return math.Inf(1), i + 8, nil
	case d.literal(i, "-Infinity"):
		return math.Inf(-1), i + 9, nil
	}
	return d.number(i)
}

func isDigit(r rune) bool { return r >= '0' && r <= '9' }

func (d *decoder) number(start int) (any, int, *jsonDecodeError) {
	s, n, i := d.s, len(d.s), start
	expecting := &jsonDecodeError{errExpectingVal, start}
	if s[i] == '-' {
		if i++; i >= n {
			return nil, 0, expecting
		}
	}
	switch {
	case s[i] >= '1' && s[i] <= '9':
		for i++; i < n && isDigit(s[i]); i++ {
		}
	case s[i] == '0':
		i++
	default:
		return nil, 0, expecting
	}
	isFloat := false
	if i+1 < n && s[i] == '.' && isDigit(s[i+1]) {
		isFloat = true
		for i += 2; i < n && isDigit(s[i]); i++ {
		}
	}
	if i < n && (s[i] == 'e' || s[i] == 'E') {
		e := i
		if i++; i < n && (s[i] == '-' || s[i] == '+') {
			i++
		}
		digits := i
		for i < n && isDigit(s[i]) {
			i++
		}
		if i > digits {
			isFloat = true
		} else {
			i = e
		}
	}
	lit := string(s[start:i])
	if isFloat {
		// Overflow gives ±Inf, as float() does in Python.
		f, _ := strconv.ParseFloat(lit, 64)
		return f, i, nil
	}
	if len(strings.TrimPrefix(lit, "-")) > maxIntDigits {
		return nil, 0, &jsonDecodeError{}
	}
	if lit == "-0" {
		lit = "0"
	}
	return pyInt(lit), i, nil
}

// str parses a string whose opening quote is at i-1.
func (d *decoder) str(i int) (any, int, *jsonDecodeError) {
	s, n, begin := d.s, len(d.s), i-1
	var b strings.Builder
	for {
		j := i
		for j < n && s[j] != '"' && s[j] != '\\' {
			if s[j] <= 0x1f {
				return nil, 0, &jsonDecodeError{"Invalid control character at", j}
			}
			j++
		}
		if j >= n {
			return nil, 0, &jsonDecodeError{errUnterminated, begin}
		}
		b.WriteString(string(s[i:j]))
		if s[j] == '"' {
			return b.String(), j + 1, nil
		}
		if j++; j >= n {
			return nil, 0, &jsonDecodeError{errUnterminated, begin}
		}
		if s[j] != 'u' {
			esc, ok := map[rune]rune{'"': '"', '\\': '\\', '/': '/', 'b': '\b', 'f': '\f', 'n': '\n', 'r': '\r', 't': '\t'}[s[j]]
			if !ok {
				return nil, 0, &jsonDecodeError{"Invalid \\escape", j - 1}
			}
			b.WriteRune(esc)
			i = j + 1
			continue
		}
		j++
		end := j + 4
		if end >= n {
			return nil, 0, &jsonDecodeError{errInvalidUEsc, j - 1}
		}
		c, ok := hex4(s[j:end])
		if !ok {
			return nil, 0, &jsonDecodeError{errInvalidUEsc, end - 5}
		}
		if c >= 0xd800 && c <= 0xdbff && end+6 < n && s[end] == '\\' && s[end+1] == 'u' {
			c2, ok := hex4(s[end+2 : end+6])
			if !ok {
				return nil, 0, &jsonDecodeError{errInvalidUEsc, end + 1}
			}
			if c2 >= 0xdc00 && c2 <= 0xdfff {
				c = 0x10000 + (c-0xd800)<<10 + (c2 - 0xdc00)
				end += 6
			}
		}
		b.WriteRune(c)
		i = end
	}
}

func hex4(r []rune) (rune, bool) {
	var v rune
	for _, c := range r {
		switch {
		case c >= '0' && c <= '9':
			v = v<<4 | (c - '0')
		case c >= 'a' && c <= 'f':
			v = v<<4 | (c - 'a' + 10)
		case c >= 'A' && c <= 'F':
			v = v<<4 | (c - 'A' + 10)
		default:
			return 0, false
		}
	}
	return v, true
}

func (d *decoder) object(i, depth int) (any, int, *jsonDecodeError) {
	s, n := d.s, len(d.s)
	o := &object{}
	if i = d.ws(i); i < n && s[i] == '}' {
		return o, i + 1, nil
	}
	for {
		if i >= n || s[i] != '"' {
			return nil, 0, &jsonDecodeError{errExpectingName, i}
		}
		key, next, err := d.str(i + 1)
		if err != nil {
			return nil, 0, err
		}
		if i = d.ws(next); i >= n || s[i] != ':' {
			return nil, 0, &jsonDecodeError{"Expecting ':' delimiter", i}
		}
		val, next, err := d.value(d.ws(i+1), depth)
		if err != nil {
			return nil, 0, err
		}
		name, _ := key.(string) // d.str returns a string or an error
		o.set(name, val)
		if i = d.ws(next); i < n && s[i] == '}' {
			return o, i + 1, nil
		}
		if i >= n || s[i] != ',' {
			return nil, 0, &jsonDecodeError{"Expecting ',' delimiter", i}
		}
		comma := i
		if i = d.ws(i + 1); i < n && s[i] == '}' {
			return nil, 0, &jsonDecodeError{"Illegal trailing comma before end of object", comma}
		}
	}
}

func (d *decoder) array(i, depth int) (any, int, *jsonDecodeError) {
	s, n := d.s, len(d.s)
	arr := []any{}
	if i = d.ws(i); i < n && s[i] == ']' {
		return arr, i + 1, nil
	}
	for {
		val, next, err := d.value(i, depth)
		if err != nil {
			return nil, 0, err
		}
		arr = append(arr, val)
		if i = d.ws(next); i < n && s[i] == ']' {
			return arr, i + 1, nil
		}
		if i >= n || s[i] != ',' {
			return nil, 0, &jsonDecodeError{"Expecting ',' delimiter", i}
		}
		comma := i
		if i = d.ws(i + 1); i < n && s[i] == ']' {
			return nil, 0, &jsonDecodeError{"Illegal trailing comma before end of array", comma}
		}
	}
}

// errNotJSONCompliant is json.dumps(allow_nan=False) refusing NaN or
// Infinity; Starlette then answers 500.
var errNotJSONCompliant = errors.New("out of range float values are not JSON compliant")

// encodeJSON writes v as Starlette's JSONResponse does:
// json.dumps(v, ensure_ascii=False, allow_nan=False, separators=(",", ":")).
func encodeJSON(v any) ([]byte, error) {
	var b bytes.Buffer
	if err := writeJSON(&b, v); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

func writeJSON(b *bytes.Buffer, v any) error {
	switch v := v.(type) {
	case nil:
		b.WriteString("null")
	case bool:
		b.WriteString(strconv.FormatBool(v))
	case string:
		writeJSONString(b, v)
	case *string:
		if v == nil {
			b.WriteString("null")
		} else {
			writeJSONString(b, *v)
		}
	case *bool:
		if v == nil {
			b.WriteString("null")
		} else {
			b.WriteString(strconv.FormatBool(*v))
		}
	case pyInt:
		b.WriteString(string(v))
	case int:
		b.WriteString(strconv.Itoa(v))
	case int64:
		b.WriteString(strconv.FormatInt(v, 10))
	case float64:
		if math.IsInf(v, 0) || math.IsNaN(v) {
			return errNotJSONCompliant
		}
		b.WriteString(pyFloatRepr(v))
	case []any:
		b.WriteByte('[')
		for i, e := range v {
			if i > 0 {
				b.WriteByte(',')
			}
			if err := writeJSON(b, e); err != nil {
				return err
			}
		}
		b.WriteByte(']')
	case []*object:
		b.WriteByte('[')
		for i, e := range v {
			if i > 0 {
				b.WriteByte(',')
			}
			if err := writeJSON(b, e); err != nil {
				return err
			}
		}
		b.WriteByte(']')
	case []string:
		b.WriteByte('[')
		for i, e := range v {
			if i > 0 {
				b.WriteByte(',')
			}
			writeJSONString(b, e)
		}
		b.WriteByte(']')
	case *object:
		b.WriteByte('{')
		for i, m := range v.members {
			if i > 0 {
				b.WriteByte(',')
			}
			writeJSONString(b, m.key)
			b.WriteByte(':')
			if err := writeJSON(b, m.val); err != nil {
				return err
			}
		}
		b.WriteByte('}')
	default:
		panic(fmt.Sprintf("lumlfake: cannot encode %T", v))
	}
	return nil
}

// writeJSONString escapes as Python's json.dumps with ensure_ascii=False:
// only quote, backslash and control characters. Invalid UTF-8 (possible in
// a path parameter) becomes U+FFFD, as Python's unquote makes it.
func writeJSONString(b *bytes.Buffer, s string) {
	const hex = "0123456789abcdef"
	s = strings.ToValidUTF8(s, "\uFFFD")
	b.WriteByte('"')
	start := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' {
			continue
		}
		b.WriteString(s[start:i])
		start = i + 1
		switch c {
		case '"':
			b.WriteString(`\"`)
		case '\\':
			b.WriteString(`\\`)
		case '\n':
			b.WriteString(`\n`)
		case '\r':
			b.WriteString(`\r`)
		case '\t':
			b.WriteString(`\t`)
		case '\b':
			b.WriteString(`\b`)
		case '\f':
			b.WriteString(`\f`)
		default:
			b.WriteString(`\u00`)
			b.WriteByte(hex[c>>4])
			b.WriteByte(hex[c&0xf])
		}
	}
	b.WriteString(s[start:])
	b.WriteByte('"')
}

// pyFloatRepr formats f as Python's repr(float): shortest round-trip
// digits, fixed notation for exponents -4..15 (with ".0" when integral),
// scientific otherwise.
func pyFloatRepr(f float64) string {
	switch {
	case math.IsNaN(f):
		return "nan"
	case math.IsInf(f, 1):
		return "inf"
	case math.IsInf(f, -1):
		return "-inf"
	}
	sci := strconv.FormatFloat(f, 'e', -1, 64)
	exp, _ := strconv.Atoi(sci[strings.IndexByte(sci, 'e')+1:])
	if exp < -4 || exp >= 16 {
		return sci
	}
	s := strconv.FormatFloat(f, 'f', -1, 64)
	if !strings.ContainsRune(s, '.') {
		s += ".0"
	}
	return s
}

// pyStr renders a parsed JSON value as Python's str() would, as pydantic
// does for a discriminator tag it cannot match.
func pyStr(v any) string {
	if s, ok := v.(string); ok {
		return s
	}
	return pyRepr(v)
}

func pyRepr(v any) string {
	switch v := v.(type) {
	case nil:
		return "None"
	case bool:
		if v {
			return "True"
		}
		return "False"
	case string:
		return pyStringRepr(v)
	case pyInt:
		return string(v)
	case float64:
		return pyFloatRepr(v)
	case []any:
		parts := make([]string, len(v))
		for i, e := range v {
			parts[i] = pyRepr(e)
		}
		return "[" + strings.Join(parts, ", ") + "]"
	case *object:
		parts := make([]string, len(v.members))
		for i, m := range v.members {
			parts[i] = pyStringRepr(m.key) + ": " + pyRepr(m.val)
		}
		return "{" + strings.Join(parts, ", ") + "}"
	}
	return ""
}

// pyStringRepr quotes s as Python's repr(str) does for printable text.
func pyStringRepr(s string) string {
	quote := byte('\'')
	if strings.ContainsRune(s, '\'') && !strings.ContainsRune(s, '"') {
		quote = '"'
	}
	var b strings.Builder
	b.WriteByte(quote)
	for _, r := range s {
		switch {
		case r == '\\':
			b.WriteString(`\\`)
		case r == rune(quote):
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case r < 0x20 || r == 0x7f:
			b.WriteString(`\x`)
			b.WriteString(strconv.FormatInt(int64(r)|0x100, 16)[1:])
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte(quote)
	return b.String()
}
