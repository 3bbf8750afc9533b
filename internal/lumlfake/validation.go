package lumlfake

import (
	"encoding/json"
	"math"
	"strconv"
	"strings"
)

// This file reproduces the field validation of the real API (pydantic v2 in the lax "python"
// mode FastAPI uses) closely enough that a 422 lists the same errors: types, messages,
// locations, inputs and their order. bodies.go applies it to each route's body.

// validation collects pydantic errors in the order pydantic reports them.
type validation struct {
	errs []*object
}

// add records an error: its type, loc, msg and the input, which the real server echoes,
// secrets included.
func (v *validation) add(typ string, loc []any, msg string, input any) {
	v.errs = append(v.errs, obj("type", typ, "loc", loc, "msg", msg, "input", input))
}

// addWithContext records an error of a type for which pydantic adds a ctx member: the
// values its message was built from.
func (v *validation) addWithContext(typ string, loc []any, msg string, input any, ctx *object) {
	v.errs = append(v.errs, obj("type", typ, "loc", loc, "msg", msg, "input", input, "ctx", ctx))
}

func at(prefix []any, key string) []any {
	return append(append([]any{}, prefix...), key)
}

const (
	msgMissing    = "Field required"
	msgString     = "Input should be a valid string"
	msgBool       = "Input should be a valid boolean"
	msgBoolParse  = "Input should be a valid boolean, unable to interpret input"
	msgModelAttrs = "Input should be a valid dictionary or object to extract fields from"
)

// field looks key up in o, reporting "missing" when a required key is absent.
func (v *validation) field(o *object, prefix []any, key string, required bool) (any, bool) {
	raw, ok := o.get(key)
	if !ok && required {
		v.add("missing", at(prefix, key), msgMissing, o)
	}
	return raw, ok
}

// str validates a str (nullable: str | None) field.
func (v *validation) str(o *object, prefix []any, key string, required, nullable bool) *string {
	raw, ok := v.field(o, prefix, key, required)
	if !ok || (raw == nil && nullable) {
		return nil
	}
	if s, isStr := raw.(string); isStr {
		return &s
	}
	v.add("string_type", at(prefix, key), msgString, raw)
	return nil
}

// optBool validates a bool | None field with pydantic's lax conversions:
// 0/1, 0.0/1.0 and the usual yes/no words.
func (v *validation) optBool(o *object, prefix []any, key string) *bool {
	raw, ok := v.field(o, prefix, key, false)
	if !ok || raw == nil {
		return nil
	}
	return v.laxBool(raw, at(prefix, key))
}

func (v *validation) laxBool(raw any, loc []any) *bool {
	yes, no := true, false
	switch x := raw.(type) {
	case bool:
		return &x
	case string:
		switch strings.ToLower(x) {
		case "0", "f", "n", "no", "off", "false":
			return &no
		case "1", "t", "y", "on", "yes", "true":
			return &yes
		}
		v.add("bool_parsing", loc, msgBoolParse, raw)
		return nil
	case json.Number:
		f, err := x.Float64()
		switch {
		case err != nil:
		case f == 0:
			return &no
		case f == 1:
			return &yes
		case f == math.Trunc(f):
			v.add("bool_parsing", loc, msgBoolParse, raw)
			return nil
		}
	}
	v.add("bool_type", loc, msgBool, raw)
	return nil
}

// uuid validates a required UUID field and returns it lower-case hyphenated.
func (v *validation) uuid(o *object, prefix []any, key string) string {
	raw, ok := v.field(o, prefix, key, true)
	if !ok {
		return ""
	}
	return v.uuidValue(raw, at(prefix, key))
}

func (v *validation) uuidValue(raw any, loc []any) string {
	s, isStr := raw.(string)
	if !isStr {
		v.add("uuid_type", loc, "UUID input should be a string, bytes or UUID object", raw)
		return ""
	}
	id, err := parseUUID(s)
	if err != nil {
		v.addWithContext("uuid_parsing", loc, "Input should be a valid UUID, "+err.Error(), raw, obj("error", err.Error()))
	}
	return id
}

// pathUUID validates a UUID path parameter.
func (v *validation) pathUUID(name, raw string) string {
	return v.uuidValue(raw, []any{"path", name})
}

// integer validates a required int field. Values that do not fit an int64
// are reported as too large to parse; the real server would accept them and
// then spend hours building billions of URLs.
func (v *validation) integer(o *object, prefix []any, key string) int64 {
	raw, ok := v.field(o, prefix, key, true)
	if !ok {
		return 0
	}
	loc := at(prefix, key)
	parse := func(s string) (int64, bool) {
		n, err := strconv.ParseInt(s, 10, 64)
		return n, err == nil
	}
	switch x := raw.(type) {
	case json.Number:
		if n, ok := parse(x.String()); ok {
			return n
		}
		f, err := x.Float64()
		switch {
		case !strings.ContainsAny(x.String(), ".eE"), err != nil, f <= math.MinInt64, f >= math.MaxInt64:
			v.add("int_parsing_size", loc, "Unable to parse input string as an integer, exceeded maximum size", raw)
		case f != math.Trunc(f):
			v.add("int_from_float", loc, "Input should be a valid integer, got a number with a fractional part", raw)
		default:
			return int64(f)
		}
		return 0
	case bool:
		if x {
			return 1
		}
		return 0
	case string:
		s := strings.TrimSpace(x)
		if n, ok := parse(s); ok {
			return n
		}
		if i := strings.IndexByte(s, '.'); i >= 0 && strings.Trim(s[i+1:], "0") == "" {
			if n, ok := parse(s[:i]); ok {
				return n
			}
		}
		v.add("int_parsing", loc, "Input should be a valid integer, unable to parse string as an integer", raw)
		return 0
	}
	v.add("int_type", loc, "Input should be a valid integer", raw)
	return 0
}

// bucketTypeEnum validates `type: BucketType | None` (the PATCH body).
func (v *validation) bucketTypeEnum(o *object, prefix []any, key string) (BucketType, bool) {
	raw, ok := v.field(o, prefix, key, false)
	if !ok || raw == nil {
		return "", false
	}
	if s, isStr := raw.(string); isStr && (s == string(BucketS3) || s == string(BucketAzure)) {
		return BucketType(s), true
	}
	v.addWithContext("enum", at(prefix, key), "Input should be 's3' or 'azure'", raw, obj("expected", "'s3' or 'azure'"))
	return "", false
}

// model checks that the body can be validated as a model at all.
func (v *validation) model(body any, loc []any) (*object, bool) {
	if o, ok := body.(*object); ok {
		return o, true
	}
	v.add("model_attributes_type", loc, msgModelAttrs, body)
	return nil, false
}

var bodyLoc = []any{"body"}

// bodyObject checks the request body itself: absent or JSON null is a
// missing body, anything but an object cannot be a model.
func (v *validation) bodyObject(body any) (*object, bool) {
	if body == nil {
		v.add("missing", bodyLoc, msgMissing, nil)
		return nil, false
	}
	return v.model(body, bodyLoc)
}
