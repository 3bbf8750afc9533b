package lumlfake

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"unicode/utf8"
)

// Request bodies are read, and answers written, with encoding/json. Objects keep their keys in
// order because a 422 echoes the body it refuses as "input", credentials and all, as the real
// server does: a client must mask such answers in its logs, and its tests need to see them.

// object is a JSON object that keeps its keys in order. A repeated key keeps the position of
// its first occurrence and the value of its last, as in a Python dict.
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

func (o *object) MarshalJSON() ([]byte, error) { return encodeJSON(o) }

// encodeJSON writes v compactly, without escaping <, > and &, as Python's json.dumps.
func encodeJSON(v any) ([]byte, error) {
	var b bytes.Buffer
	err := writeJSON(&b, v)
	return b.Bytes(), err
}

// writeJSON writes objects and lists itself and leaves only their members to encoding/json,
// which would otherwise re-read a MarshalJSON's output at every level of nesting: the 5120
// part URLs of a 5 TiB upload took longer to encode than to sign.
func writeJSON(b *bytes.Buffer, v any) error {
	switch v := v.(type) {
	case *object:
		if v == nil {
			b.WriteString("null")
			return nil
		}
		b.WriteByte('{')
		for i, m := range v.members {
			if i > 0 {
				b.WriteByte(',')
			}
			if err := writeJSON(b, m.key); err != nil {
				return err
			}
			b.WriteByte(':')
			if err := writeJSON(b, m.val); err != nil {
				return err
			}
		}
		b.WriteByte('}')
		return nil
	case []any:
		return writeJSONList(b, v)
	case []*object:
		return writeJSONList(b, v)
	case int:
		b.WriteString(strconv.Itoa(v))
		return nil
	case int64:
		b.WriteString(strconv.FormatInt(v, 10))
		return nil
	case string:
		if plainJSONString(v) {
			b.WriteByte('"')
			b.WriteString(v)
			b.WriteByte('"')
			return nil
		}
	}
	enc := json.NewEncoder(b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return err
	}
	b.Truncate(b.Len() - 1) // Encode's newline
	return nil
}

// plainJSONString reports whether s is printable ASCII without a quote or backslash, which JSON
// writes as it is: URLs and IDs, most of a large answer.
func plainJSONString(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c > 0x7e || c == '"' || c == '\\' {
			return false
		}
	}
	return true
}

// writeJSONList writes a nil list as null, as encoding/json does.
func writeJSONList[E any](b *bytes.Buffer, list []E) error {
	if list == nil {
		b.WriteString("null")
		return nil
	}
	b.WriteByte('[')
	for i, e := range list {
		if i > 0 {
			b.WriteByte(',')
		}
		if err := writeJSON(b, e); err != nil {
			return err
		}
	}
	b.WriteByte(']')
	return nil
}

// errBodyParse is a body Python cannot even decode to text: FastAPI answers it with 400
// "There was an error parsing the body".
var errBodyParse = errors.New("error parsing the body")

// malformedJSON is a body that is text but not JSON: FastAPI answers it with a 422
// json_invalid at pos, a character offset, with Python's message in ctx.
type malformedJSON struct {
	msg string
	pos int
}

func (e *malformedJSON) Error() string { return fmt.Sprintf("malformed JSON at %d: %s", e.pos, e.msg) }

// decodeJSON parses a request body into objects, []any, strings, json.Numbers, bools and nil.
func decodeJSON(body []byte) (any, error) {
	body = bytes.TrimPrefix(body, []byte("\xef\xbb\xbf"))
	if !utf8.Valid(body) {
		return nil, errBodyParse
	}
	d := json.NewDecoder(bytes.NewReader(body))
	d.UseNumber()
	v, err := decodeValue(d)
	if err == nil {
		if _, extra := d.Token(); extra != io.EOF {
			err = errors.New("extra data")
		}
	}
	if err != nil {
		msg, pos, found := pythonJSONError(string(body))
		if !found {
			// Text Python decodes but this decoder refuses (such as NaN): an approximation.
			msg, pos = "Expecting value", utf8.RuneCount(body[:d.InputOffset()])
		}
		return nil, &malformedJSON{msg: msg, pos: pos}
	}
	return v, nil
}

func decodeValue(d *json.Decoder) (any, error) {
	tok, err := d.Token()
	if err != nil {
		return nil, err
	}
	switch tok {
	case json.Delim('{'):
		o := obj()
		for d.More() {
			key, err := d.Token()
			if err != nil {
				return nil, err
			}
			val, err := decodeValue(d)
			if err != nil {
				return nil, err
			}
			name, _ := key.(string) // the decoder allows only strings as keys
			o.set(name, val)
		}
		_, err := d.Token()
		return o, err
	case json.Delim('['):
		arr := []any{}
		for d.More() {
			val, err := decodeValue(d)
			if err != nil {
				return nil, err
			}
			arr = append(arr, val)
		}
		_, err := d.Token()
		return arr, err
	}
	return tok, nil
}

// pyStr renders a parsed JSON value as Python's str() would, as pydantic does for a
// discriminator tag it cannot match.
func pyStr(v any) string {
	switch v := v.(type) {
	case nil:
		return "None"
	case bool:
		if v {
			return "True"
		}
		return "False"
	case string:
		return v
	case json.Number:
		return v.String()
	}
	raw, _ := encodeJSON(v)
	return string(raw)
}
