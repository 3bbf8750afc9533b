package lumlfake

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"
)

// This file reproduces the request validation of the real API (pydantic v2
// in the lax "python" mode FastAPI uses) closely enough that the 422 bodies
// match: error types, messages, locations, inputs and their order.

// validation collects pydantic errors in the order pydantic reports them.
type validation struct {
	errs []*object
}

// add records an error with what clients read (type, loc, msg) and the input, which the real
// server echoes, secrets included. pydantic's ctx details are left out: no client reads them.
func (v *validation) add(typ string, loc []any, msg string, input any) {
	v.errs = append(v.errs, obj("type", typ, "loc", loc, "msg", msg, "input", input))
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
		v.add("uuid_parsing", loc, "Input should be a valid UUID, "+err.Error(), raw)
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
	v.add("enum", at(prefix, key), "Input should be 's3' or 'azure'", raw)
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

// stripHTTPProtocol is the schema validator on endpoints: one leading
// "http://", then one leading "https://", case-sensitive.
func stripHTTPProtocol(s string) string {
	return strings.TrimPrefix(strings.TrimPrefix(s, "http://"), "https://")
}

// createBody is BucketSecretCreateIn, the union of the S3 and Azure create
// schemas discriminated on "type". It is also the body of /bucket-secrets/urls.
type createBody struct {
	Type         BucketType
	Endpoint     string
	BucketName   string
	AccessKey    *string
	SecretKey    *string
	SessionToken *string
	Secure       *bool
	Region       *string
	CertCheck    *bool
}

const expectedBucketTags = "<BucketType.S3: 's3'>, <BucketType.AZURE: 'azure'>"

func (v *validation) createBody(body any) createBody {
	var c createBody
	o, ok := v.bodyObject(body)
	if !ok {
		return c
	}
	tag, ok := o.get("type")
	if !ok {
		v.add("union_tag_not_found", bodyLoc, "Unable to extract tag using discriminator 'type'", o)
		return c
	}
	if tag != string(BucketS3) && tag != string(BucketAzure) {
		t := pyStr(tag)
		v.add("union_tag_invalid", bodyLoc,
			fmt.Sprintf("Input tag '%s' found using 'type' does not match any of the expected tags: %s", t, expectedBucketTags),
			o)
		return c
	}
	tagStr, _ := tag.(string) // it equals one of the tags
	c.Type = BucketType(tagStr)
	prefix := []any{"body", tag}
	endpoint := v.str(o, prefix, "endpoint", true, false)
	bucket := v.str(o, prefix, "bucket_name", true, false)
	if c.Type == BucketS3 {
		c.AccessKey = v.str(o, prefix, "access_key", false, true)
		c.SecretKey = v.str(o, prefix, "secret_key", false, true)
		c.SessionToken = v.str(o, prefix, "session_token", false, true)
		c.Secure = v.optBool(o, prefix, "secure")
		c.Region = v.str(o, prefix, "region", true, false)
		c.CertCheck = v.optBool(o, prefix, "cert_check")
	}
	if endpoint != nil {
		c.Endpoint = *endpoint
		if c.Type == BucketS3 {
			c.Endpoint = stripHTTPProtocol(c.Endpoint)
		}
	}
	if bucket != nil {
		c.BucketName = *bucket
	}
	return c
}

// updateBody is BucketSecretUpdateIn (PATCH): every field optional and
// nullable. Present records which keys the body carried, null or not.
type updateBody struct {
	Present      map[string]bool
	Type         BucketType // "" when omitted or null
	Endpoint     *string
	BucketName   *string
	AccessKey    *string
	SecretKey    *string
	SessionToken *string
	Secure       *bool
	Region       *string
	CertCheck    *bool
}

// s3OnlyFields are the update fields an Azure secret refuses, sorted as the
// server sorts them in its error message.
var s3OnlyFields = []string{"access_key", "cert_check", "region", "secret_key", "secure", "session_token"}

func (v *validation) updateFields(o *object) updateBody {
	u := updateBody{Present: map[string]bool{}}
	for _, m := range o.members {
		u.Present[m.key] = true
	}
	u.Type, _ = v.bucketTypeEnum(o, bodyLoc, "type")
	u.Endpoint = v.str(o, bodyLoc, "endpoint", false, true)
	u.BucketName = v.str(o, bodyLoc, "bucket_name", false, true)
	u.AccessKey = v.str(o, bodyLoc, "access_key", false, true)
	u.SecretKey = v.str(o, bodyLoc, "secret_key", false, true)
	u.SessionToken = v.str(o, bodyLoc, "session_token", false, true)
	u.Secure = v.optBool(o, bodyLoc, "secure")
	u.Region = v.str(o, bodyLoc, "region", false, true)
	u.CertCheck = v.optBool(o, bodyLoc, "cert_check")
	if u.Endpoint != nil {
		e := stripHTTPProtocol(*u.Endpoint)
		u.Endpoint = &e
	}
	return u
}

func (v *validation) updateBody(body any) updateBody {
	o, ok := v.bodyObject(body)
	if !ok {
		return updateBody{}
	}
	return v.updateFields(o)
}

// urlsUpdateBody is BucketSecretUpdate, the body of /{secret_id}/urls: the
// PATCH fields plus a required id; an omitted type means "s3".
type urlsUpdateBody struct {
	updateBody
	ID string
}

func (v *validation) urlsUpdateBody(body any) urlsUpdateBody {
	o, ok := v.bodyObject(body)
	if !ok {
		return urlsUpdateBody{}
	}
	u := urlsUpdateBody{updateBody: v.updateFields(o)}
	if !u.Present["type"] {
		u.Type = BucketS3
	}
	u.ID = v.uuid(o, bodyLoc, "id")
	return u
}

// multipartBody is BucketMultipartUpload.
type multipartBody struct {
	BucketID string
	Location string
	Size     int64
	UploadID *string
}

func (v *validation) multipartBody(body any) multipartBody {
	var m multipartBody
	o, ok := v.bodyObject(body)
	if !ok {
		return m
	}
	m.BucketID = v.uuid(o, bodyLoc, "bucket_id")
	if loc := v.str(o, bodyLoc, "bucket_location", true, false); loc != nil {
		m.Location = *loc
	}
	m.Size = v.integer(o, bodyLoc, "size")
	m.UploadID = v.str(o, bodyLoc, "upload_id", false, true)
	return m
}

// orbitCreateBody is OrbitCreateIn.
type orbitCreateBody struct {
	Name     string
	SecretID string
	Members  []orbitMemberIn
}

type orbitMemberIn struct {
	UserID string
	Role   string
}

const maxOrbitNameLength = 100

func (v *validation) orbitCreateBody(body any) orbitCreateBody {
	var c orbitCreateBody
	o, ok := v.bodyObject(body)
	if !ok {
		return c
	}
	if name := v.str(o, bodyLoc, "name", true, false); name != nil {
		if utf8.RuneCountInString(*name) > maxOrbitNameLength {
			v.add("string_too_long", at(bodyLoc, "name"), "String should have at most 100 characters", *name)
		}
		c.Name = *name
	}
	c.SecretID = v.uuid(o, bodyLoc, "bucket_secret_id")
	if raw, ok := v.field(o, bodyLoc, "members", false); ok && raw != nil {
		c.Members = v.orbitMembers(raw, at(bodyLoc, "members"))
	}
	if raw, ok := v.field(o, bodyLoc, "notify", false); ok {
		v.laxBool(raw, at(bodyLoc, "notify"))
	}
	return c
}

func (v *validation) orbitMembers(raw any, loc []any) []orbitMemberIn {
	list, ok := raw.([]any)
	if !ok {
		v.add("list_type", loc, "Input should be a valid list", raw)
		return nil
	}
	members := make([]orbitMemberIn, 0, len(list))
	for i, item := range list {
		itemLoc := append(append([]any{}, loc...), i)
		o, ok := v.model(item, itemLoc)
		if !ok {
			continue
		}
		m := orbitMemberIn{UserID: v.uuid(o, itemLoc, "user_id")}
		if role, ok := v.field(o, itemLoc, "role", true); ok {
			if s, isStr := role.(string); isStr && (s == "admin" || s == "member") {
				m.Role = s
			} else {
				v.add("enum", at(itemLoc, "role"), "Input should be 'admin' or 'member'", role)
			}
		}
		members = append(members, m)
	}
	return members
}

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
