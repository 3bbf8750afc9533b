package lumlfake

import (
	"fmt"
	"strings"
)

// The request bodies of the routes, validated as pydantic does.

// stripHTTPProtocol is the schema validator on endpoints: one leading
// "http://", then one leading "https://", case-sensitive.
func stripHTTPProtocol(s string) string {
	return strings.TrimPrefix(strings.TrimPrefix(s, "http://"), "https://")
}

// createBody is BucketSecretCreateIn, the union of the S3 and Azure create
// schemas discriminated on "type". It is also the body of /bucket-secrets/urls.
type createBody struct {
	Type       BucketType
	Endpoint   string
	BucketName string
	s3Fields
}

// s3Fields are the S3 settings of a create or PATCH body, nil where the body has none.
type s3Fields struct {
	AccessKey    *string
	SecretKey    *string
	SessionToken *string
	Secure       *bool
	Region       *string
	CertCheck    *bool
}

// storeIn writes every setting into the row, an absent one as NULL, as the server's
// INSERT and its PATCH (which passes all fields to the repository) both do.
func (f s3Fields) storeIn(sec *StoredSecret) {
	sec.AccessKey = f.AccessKey
	sec.SecretKey = f.SecretKey
	sec.SessionToken = f.SessionToken
	sec.Region = f.Region
	sec.Secure = f.Secure
	sec.CertCheck = f.CertCheck
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
		v.addWithContext("union_tag_not_found", bodyLoc, "Unable to extract tag using discriminator 'type'", o,
			obj("discriminator", "'type'"))
		return c
	}
	if tag != string(BucketS3) && tag != string(BucketAzure) {
		t := pyStr(tag)
		v.addWithContext("union_tag_invalid", bodyLoc,
			fmt.Sprintf("Input tag '%s' found using 'type' does not match any of the expected tags: %s", t, expectedBucketTags),
			o, obj("discriminator", "'type'", "tag", t, "expected_tags", expectedBucketTags))
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
	Present    map[string]bool
	Type       BucketType // "" when omitted or null
	Endpoint   *string
	BucketName *string
	s3Fields
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
