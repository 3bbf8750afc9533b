package lumlfake

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"
)

// s3Out is the exact S3 output for secret id of the env's organization.
func (e *env) s3Out(id, endpoint, bucket, secure, region, certCheck, orbits, updatedAt string) string {
	return fmt.Sprintf(`{"id":"%s","type":"s3","endpoint":"%s","bucket_name":"%s","secure":%s,"region":%s,"cert_check":%s,"orbits":%s,"organization_id":"%s","created_at":"%s","updated_at":%s}`,
		id, endpoint, bucket, secure, region, certCheck, orbits, e.org.ID, epochJSON, updatedAt)
}

func (e *env) azureOut(id, endpoint, bucket, orbits, updatedAt string) string {
	return fmt.Sprintf(`{"id":"%s","type":"azure","endpoint":"%s","bucket_name":"%s","organization_id":"%s","created_at":"%s","updated_at":%s,"orbits":%s}`,
		id, endpoint, bucket, e.org.ID, epochJSON, updatedAt, orbits)
}

func TestCreateAndReadKeyOrder(t *testing.T) {
	e := newEnv(t)
	r := e.as(http.MethodPost, e.secretsPath(), s3Body)
	id := e.create(`{"type":"s3","endpoint":"minio.local:9000","bucket_name":"plain","region":""}`)
	s3ID := r.body[7:43]
	r.expect(t, http.StatusOK, e.s3Out(s3ID, "s3.eu-central-1.amazonaws.com", "models", "true", `"eu-central-1"`, "null", "[]", "null"))
	if strings.Contains(r.body, "AKIAEXAMPLE") || strings.Contains(r.body, "s3cr3t") || strings.Contains(r.body, "access_key") {
		t.Error("credentials in the create response")
	}

	ra := e.as(http.MethodPost, e.secretsPath(), `{"type":"azure","endpoint":"`+azureConn+`","bucket_name":"archive","region":"x","access_key":"ignored","secure":true}`)
	azureID := ra.body[7:43]
	ra.expect(t, http.StatusOK, e.azureOut(azureID, azureConn, "archive", "[]", "null"))
	if sec := e.stored(azureID); sec.Region != nil || sec.AccessKey != nil || sec.Secure != nil {
		t.Errorf("S3-only fields stored for an Azure create: %+v", sec)
	}
	e.clock.advance(time.Second)

	orbit := e.srv.AddOrbit(e.org.ID, s3ID, "churn")
	orbits := fmt.Sprintf(`[{"id":"%s","name":"churn","created_at":"2026-08-17T10:20:31.123456Z","updated_at":null}]`, orbit.ID)
	e.as(http.MethodGet, e.secretPath(s3ID), "").
		expect(t, http.StatusOK, e.s3Out(s3ID, "s3.eu-central-1.amazonaws.com", "models", "true", `"eu-central-1"`, "null", orbits, "null"))
	e.as(http.MethodGet, e.secretPath(azureID), "").expect(t, http.StatusOK, e.azureOut(azureID, azureConn, "archive", "[]", "null"))
	e.as(http.MethodGet, e.secretsPath(), "").expect(t, http.StatusOK, "["+
		e.s3Out(s3ID, "s3.eu-central-1.amazonaws.com", "models", "true", `"eu-central-1"`, "null", orbits, "null")+","+
		e.s3Out(id, "minio.local:9000", "plain", "null", `""`, "null", "[]", "null")+","+
		e.azureOut(azureID, azureConn, "archive", "[]", "null")+"]")

	sec := e.stored(s3ID)
	if *sec.AccessKey != "AKIAEXAMPLE" || *sec.SecretKey != "s3cr3t" || sec.SessionToken != nil || sec.CertCheck != nil {
		t.Errorf("stored credentials: %+v", sec)
	}
}

func TestCreateValues(t *testing.T) {
	tests := []struct {
		name, body           string
		endpoint             string
		secure, certCheck    *bool
		accessKey, secretKey *string
	}{
		{"https stripped", `{"type":"s3","endpoint":"https://s3.x.com","bucket_name":"b","region":"r"}`, "s3.x.com", nil, nil, nil, nil},
		{"http then https stripped", `{"type":"s3","endpoint":"http://https://a","bucket_name":"b","region":"r"}`, "a", nil, nil, nil, nil},
		{"https then http keeps http", `{"type":"s3","endpoint":"https://http://a","bucket_name":"b","region":"r"}`, "http://a", nil, nil, nil, nil},
		{"case-sensitive", `{"type":"s3","endpoint":"HTTPS://a","bucket_name":"b","region":"r"}`, "HTTPS://a", nil, nil, nil, nil},
		{"trailing slash kept", `{"type":"s3","endpoint":"s3.x.com/","bucket_name":"b","region":"r"}`, "s3.x.com/", nil, nil, nil, nil},
		{"azure not stripped", `{"type":"azure","endpoint":"https://a","bucket_name":"b"}`, "https://a", nil, nil, nil, nil},
		{"lax booleans", `{"type":"s3","endpoint":"e","bucket_name":"b","region":"r","secure":"YES","cert_check":0}`, "e", ptr(true), ptr(false), nil, nil},
		{"more lax booleans", `{"type":"s3","endpoint":"e","bucket_name":"b","region":"r","secure":1.0,"cert_check":"off"}`, "e", ptr(true), ptr(false), nil, nil},
		{"empty credentials kept", `{"type":"s3","endpoint":"e","bucket_name":"b","region":"r","access_key":"","secret_key":null}`, "e", nil, nil, ptr(""), nil},
		{"unknown keys ignored", `{"type":"s3","endpoint":"e","bucket_name":"b","region":"r","id":"x","organization_id":5,"colour":"red"}`, "e", nil, nil, nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			sec := e.stored(e.create(tt.body))
			if sec.Endpoint != tt.endpoint || !equalPtr(sec.Secure, tt.secure) || !equalPtr(sec.CertCheck, tt.certCheck) ||
				!equalPtr(sec.AccessKey, tt.accessKey) || !equalPtr(sec.SecretKey, tt.secretKey) {
				t.Errorf("stored %+v", sec)
			}
			if sec.OrganizationID != e.org.ID || sec.UpdatedAt != nil || !sec.CreatedAt.Equal(epoch) {
				t.Errorf("stored %+v", sec)
			}
		})
	}
}

func TestCreateConflicts(t *testing.T) {
	e := newEnv(t)
	const dup = `{"detail":"Bucket secret with the given bucket name and endpoint already exists."}`
	e.create(`{"type":"s3","endpoint":"s3.x.com","bucket_name":"models","region":"r"}`)
	e.as(http.MethodPost, e.secretsPath(), `{"type":"s3","endpoint":"https://s3.x.com","bucket_name":"models","region":"other"}`).
		expect(t, http.StatusConflict, dup)
	e.as(http.MethodPost, e.secretsPath(), `{"type":"azure","endpoint":"s3.x.com","bucket_name":"models"}`).
		expect(t, http.StatusConflict, dup)
	e.create(`{"type":"s3","endpoint":"s3.x.com","bucket_name":"Models","region":"r"}`)

	other := e.srv.AddOrganization("Other")
	e.srv.AddMembership(e.owner.ID, other.ID, RoleOwner)
	if r := e.as(http.MethodPost, "/v1/organizations/"+other.ID+"/bucket-secrets", `{"type":"s3","endpoint":"s3.x.com","bucket_name":"models","region":"r"}`); r.status != http.StatusOK {
		t.Errorf("same pair in another organization: %d %s", r.status, r.body)
	}
	if n := len(e.srv.Secrets(e.org.ID)); n != 2 {
		t.Errorf("%d secrets stored, want 2", n)
	}
}

// The 422 bodies the conformance corpus does not record (TestConformance checks those it
// does: no type, unknown and upper-case type, missing region, no body, malformed JSON, bad
// UUIDs in the path and the body), built by the same pydantic rules.
func TestValidationErrors(t *testing.T) {
	e := newEnv(t)
	id := e.create(s3Body)
	create := e.secretsPath()
	tests := []struct {
		name, method, path, body, want string
	}{
		{"null type", http.MethodPost, create, `{"type":null}`,
			`[{"type":"union_tag_invalid","loc":["body"],"msg":"Input tag 'None' found using 'type' does not match any of the expected tags: <BucketType.S3: 's3'>, <BucketType.AZURE: 'azure'>","input":{"type":null},"ctx":{"discriminator":"'type'","tag":"None","expected_tags":"<BucketType.S3: 's3'>, <BucketType.AZURE: 'azure'>"}}]`},
		{"azure without fields", http.MethodPost, create, `{"type":"azure"}`,
			`[{"type":"missing","loc":["body","azure","endpoint"],"msg":"Field required","input":{"type":"azure"}},{"type":"missing","loc":["body","azure","bucket_name"],"msg":"Field required","input":{"type":"azure"}}]`},
		{"wrong types", http.MethodPost, create, `{"type":"s3","endpoint":5,"bucket_name":"b","region":"r","secure":"maybe","cert_check":[],"access_key":1.5}`,
			`[{"type":"string_type","loc":["body","s3","endpoint"],"msg":"Input should be a valid string","input":5},{"type":"string_type","loc":["body","s3","access_key"],"msg":"Input should be a valid string","input":1.5},{"type":"bool_parsing","loc":["body","s3","secure"],"msg":"Input should be a valid boolean, unable to interpret input","input":"maybe"},{"type":"bool_type","loc":["body","s3","cert_check"],"msg":"Input should be a valid boolean","input":[]}]`},
		{"array body", http.MethodPost, create, `[]`,
			`[{"type":"model_attributes_type","loc":["body"],"msg":"Input should be a valid dictionary or object to extract fields from","input":[]}]`},
		{"string body", http.MethodPatch, e.secretPath(id), `"abc"`,
			`[{"type":"model_attributes_type","loc":["body"],"msg":"Input should be a valid dictionary or object to extract fields from","input":"abc"}]`},
		{"null body", http.MethodPatch, e.secretPath(id), `null`,
			`[{"type":"missing","loc":["body"],"msg":"Field required","input":null}]`},
		{"patch bad type", http.MethodPatch, e.secretPath(id), `{"type":"gcs"}`,
			`[{"type":"enum","loc":["body","type"],"msg":"Input should be 's3' or 'azure'","input":"gcs","ctx":{"expected":"'s3' or 'azure'"}}]`},
		{"path and body together", http.MethodPatch, "/v1/organizations/nope/bucket-secrets/abcde", `{"type":"gcs","secure":2}`,
			`[{"type":"uuid_parsing","loc":["path","organization_id"],"msg":"Input should be a valid UUID, invalid character: expected an optional prefix of ` + "`urn:uuid:`" + ` followed by [0-9a-fA-F-], found ` + "`n`" + ` at 1","input":"nope","ctx":{"error":"invalid character: expected an optional prefix of ` + "`urn:uuid:`" + ` followed by [0-9a-fA-F-], found ` + "`n`" + ` at 1"}},` +
				`{"type":"uuid_parsing","loc":["path","secret_id"],"msg":"Input should be a valid UUID, invalid length: expected length 32 for simple format, found 5","input":"abcde","ctx":{"error":"invalid length: expected length 32 for simple format, found 5"}},` +
				`{"type":"enum","loc":["body","type"],"msg":"Input should be 's3' or 'azure'","input":"gcs","ctx":{"expected":"'s3' or 'azure'"}},` +
				`{"type":"bool_parsing","loc":["body","secure"],"msg":"Input should be a valid boolean, unable to interpret input","input":2}]`},
		{"urls without id", http.MethodPost, e.secretPath(id) + "/urls", `{"type":"s3"}`,
			`[{"type":"missing","loc":["body","id"],"msg":"Field required","input":{"type":"s3"}}]`},
		{"multipart fields", http.MethodPost, "/v1/bucket-secrets/upload/multipart", `{"bucket_id":7,"size":1.5,"upload_id":3}`,
			`[{"type":"uuid_type","loc":["body","bucket_id"],"msg":"UUID input should be a string, bytes or UUID object","input":7},{"type":"missing","loc":["body","bucket_location"],"msg":"Field required","input":{"bucket_id":7,"size":1.5,"upload_id":3}},{"type":"int_from_float","loc":["body","size"],"msg":"Input should be a valid integer, got a number with a fractional part","input":1.5},{"type":"string_type","loc":["body","upload_id"],"msg":"Input should be a valid string","input":3}]`},
		{"echoed input keeps the body's order and text", http.MethodPost, create, `{"type":"s3","b":1e5,"a":0,"b":"<&>"}`,
			`[{"type":"missing","loc":["body","s3","endpoint"],"msg":"Field required","input":{"type":"s3","b":"<&>","a":0}},{"type":"missing","loc":["body","s3","bucket_name"],"msg":"Field required","input":{"type":"s3","b":"<&>","a":0}},{"type":"missing","loc":["body","s3","region"],"msg":"Field required","input":{"type":"s3","b":"<&>","a":0}}]`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e.as(tt.method, tt.path, tt.body).expect(t, http.StatusUnprocessableEntity, `{"detail":`+tt.want+`}`)
		})
	}
	t.Run("not JSON at all", func(t *testing.T) {
		req, _ := http.NewRequest(http.MethodPost, e.url+create, strings.NewReader("\xff\xfe"))
		req.Header.Set("Authorization", "Bearer "+e.owner.APIKey)
		e.send(req).expect(t, http.StatusBadRequest, `{"detail":"There was an error parsing the body"}`)
	})
	t.Run("text content type", func(t *testing.T) {
		req, _ := http.NewRequest(http.MethodPost, e.url+create, strings.NewReader(`{"type":"s3"}`))
		req.Header.Set("Authorization", "Bearer "+e.owner.APIKey)
		req.Header.Set("Content-Type", "text/plain")
		e.send(req).expect(t, http.StatusUnprocessableEntity,
			`{"detail":[{"type":"model_attributes_type","loc":["body"],"msg":"Input should be a valid dictionary or object to extract fields from","input":"{\"type\":\"s3\"}"}]}`)
	})
}

func TestGetAndDelete(t *testing.T) {
	e := newEnv(t)
	id := e.create(s3Body)
	other := e.srv.AddOrganization("Other")
	foreign := e.srv.InsertSecret(other.ID, StoredSecret{Endpoint: "x", BucketName: "y", Region: ptr("r")})
	const notFound = `{"detail":"Secret not found"}`
	missing := "0198b2c4-0000-7000-8000-000000000000"
	for _, sid := range []string{missing, foreign.ID} {
		e.as(http.MethodGet, e.secretPath(sid), "").expect(t, http.StatusNotFound, notFound)
		e.as(http.MethodPatch, e.secretPath(sid), `{"endpoint":"e","bucket_name":"b","region":"r"}`).expect(t, http.StatusNotFound, notFound)
		e.as(http.MethodDelete, e.secretPath(sid), "").expect(t, http.StatusNotFound, notFound)
	}
	if _, ok := e.srv.Secret(foreign.ID); !ok {
		t.Error("a foreign secret was deleted")
	}
	// Upper-case and braced UUIDs address the same secret.
	if r := e.as(http.MethodGet, e.secretPath("{"+strings.ToUpper(id)+"}"), ""); r.status != http.StatusOK {
		t.Errorf("upper-case braced UUID: %d %s", r.status, r.body)
	}

	orbit := e.srv.AddOrbit(e.org.ID, id, "fraud")
	e.as(http.MethodDelete, e.secretPath(id), "").
		expect(t, http.StatusConflict, `{"detail":"Cannot delete bucket secret that is currently used by orbits"}`)
	e.srv.RemoveOrbit(orbit.ID)
	r := e.as(http.MethodDelete, e.secretPath(id), "")
	r.expect(t, http.StatusNoContent, "")
	e.as(http.MethodDelete, e.secretPath(id), "").expect(t, http.StatusNotFound, notFound)
	e.as(http.MethodGet, e.secretsPath(), "").expect(t, http.StatusOK, "[]")
}

// TestPatch covers every row of the PATCH table: the body replaces all
// fields, omitted ones included.
func TestPatch(t *testing.T) {
	const dup = `{"detail":"Bucket secret with the given bucket name and endpoint already exists."}`
	full := `{"endpoint":"https://s3.new.com","bucket_name":"new","region":"us-west-2","access_key":"AK2","secret_key":"SK2","session_token":"T2","secure":false,"cert_check":true}`
	tests := []struct {
		name   string
		azure  bool
		body   string
		status int
		resp   string // "" to skip the body check; {id} and {org} are replaced
		check  func(t *testing.T, before, after StoredSecret)
	}{
		{name: "empty body", body: `{}`, status: http.StatusConflict, resp: dup, check: unchanged},
		{name: "endpoint only", body: `{"endpoint":"s3.x.com"}`, status: http.StatusConflict, resp: dup, check: unchanged},
		{name: "bucket name only", body: `{"bucket_name":"x"}`, status: http.StatusConflict, resp: dup, check: unchanged},
		{name: "explicit null endpoint", body: `{"endpoint":null,"bucket_name":"x","region":"r"}`, status: http.StatusConflict, resp: dup, check: unchanged},
		{
			name: "no region corrupts the row", body: `{"endpoint":"s3.x.com","bucket_name":"b2"}`,
			status: http.StatusInternalServerError, resp: "Internal Server Error",
			check: func(t *testing.T, _, after StoredSecret) {
				if after.Region != nil || after.AccessKey != nil || after.Secure != nil || after.BucketName != "b2" {
					t.Errorf("stored %+v", after)
				}
			},
		},
		{
			name: "endpoint, bucket and region wipe the rest", body: `{"endpoint":"http://s3.x.com","bucket_name":"b2","region":"r2"}`,
			status: http.StatusOK,
			resp:   `{"id":"{id}","type":"s3","endpoint":"s3.x.com","bucket_name":"b2","secure":null,"region":"r2","cert_check":null,"orbits":[],"organization_id":"{org}","created_at":"` + epochJSON + `","updated_at":"2026-08-17T10:20:31.123456Z"}`,
			check: func(t *testing.T, _, after StoredSecret) {
				if after.AccessKey != nil || after.SecretKey != nil || after.SessionToken != nil || after.Secure != nil || after.CertCheck != nil {
					t.Errorf("stored %+v", after)
				}
			},
		},
		{
			name: "full body replaces everything", body: full, status: http.StatusOK,
			resp: `{"id":"{id}","type":"s3","endpoint":"s3.new.com","bucket_name":"new","secure":false,"region":"us-west-2","cert_check":true,"orbits":[],"organization_id":"{org}","created_at":"` + epochJSON + `","updated_at":"2026-08-17T10:20:31.123456Z"}`,
			check: func(t *testing.T, _, after StoredSecret) {
				want := StoredSecret{Endpoint: "s3.new.com", BucketName: "new", AccessKey: ptr("AK2"), SecretKey: ptr("SK2"), SessionToken: ptr("T2"),
					Region: ptr("us-west-2"), Secure: ptr(false), CertCheck: ptr(true), Type: BucketS3}
				if !sameFields(after, want) {
					t.Errorf("stored %+v", after)
				}
			},
		},
		{
			name: "type is ignored", body: `{"type":"azure","endpoint":"e","bucket_name":"b","region":"r"}`, status: http.StatusOK,
			check: func(t *testing.T, _, after StoredSecret) {
				if after.Type != BucketS3 {
					t.Errorf("type changed to %s", after.Type)
				}
			},
		},
		{name: "conflict with another secret", body: `{"endpoint":"s3.other.com","bucket_name":"taken","region":"r"}`, status: http.StatusConflict, resp: dup, check: unchanged},
		{
			name: "azure refuses S3 fields, even null", azure: true, body: `{"endpoint":"e","bucket_name":"b","region":null,"access_key":"a","colour":"red"}`,
			status: http.StatusBadRequest, resp: `{"detail":"Fields ['access_key', 'region'] cannot be set for Azure bucket secrets"}`, check: unchanged,
		},
		{
			name: "azure refuses every S3 field", azure: true, body: `{"session_token":1,"secure":true,"secret_key":null,"cert_check":null,"access_key":null,"region":null}`,
			status: http.StatusUnprocessableEntity, check: unchanged,
		},
		{
			name: "azure refuses every S3 field, sorted", azure: true, body: `{"session_token":"t","secure":true,"secret_key":null,"cert_check":null,"access_key":null,"region":null}`,
			status: http.StatusBadRequest, resp: `{"detail":"Fields ['access_key', 'cert_check', 'region', 'secret_key', 'secure', 'session_token'] cannot be set for Azure bucket secrets"}`, check: unchanged,
		},
		{name: "azure without bucket name", azure: true, body: `{"endpoint":"e"}`, status: http.StatusConflict, resp: dup, check: unchanged},
		{
			name: "azure endpoint and bucket", azure: true, body: `{"endpoint":"https://` + azureConn + `","bucket_name":"b2"}`, status: http.StatusOK,
			resp: `{"id":"{id}","type":"azure","endpoint":"` + azureConn + `","bucket_name":"b2","organization_id":"{org}","created_at":"` + epochJSON + `","updated_at":"2026-08-17T10:20:31.123456Z","orbits":[]}`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			e.create(`{"type":"s3","endpoint":"s3.other.com","bucket_name":"taken","region":"r"}`)
			body := `{"type":"s3","endpoint":"s3.x.com","bucket_name":"models","region":"eu-central-1","access_key":"AK","secret_key":"SK"}`
			if tt.azure {
				body = azureBody("models")
			}
			id := e.create(body)
			e.srv.AddOrbit(e.org.ID, id, "in-use")
			before := e.stored(id)
			e.clock.advance(time.Second)
			r := e.as(http.MethodPatch, e.secretPath(id), tt.body)
			if r.status != tt.status {
				t.Fatalf("status %d, want %d: %s", r.status, tt.status, r.body)
			}
			if want := strings.NewReplacer("{id}", id, "{org}", e.org.ID).Replace(tt.resp); tt.resp != "" && r.body != want {
				t.Errorf("body %s\nwant %s", r.body, want)
			}
			if tt.check != nil {
				tt.check(t, before, e.stored(id))
			}
		})
	}
}

func unchanged(t *testing.T, before, after StoredSecret) {
	t.Helper()
	if !sameFields(before, after) || !equalPtr(before.UpdatedAt, after.UpdatedAt) {
		t.Errorf("secret changed:\n%+v\n%+v", before, after)
	}
}

// sameFields compares the stored columns a PATCH may change.
func sameFields(a, b StoredSecret) bool {
	return a.Type == b.Type && a.Endpoint == b.Endpoint && a.BucketName == b.BucketName &&
		equalPtr(a.AccessKey, b.AccessKey) && equalPtr(a.SecretKey, b.SecretKey) && equalPtr(a.SessionToken, b.SessionToken) &&
		equalPtr(a.Region, b.Region) && equalPtr(a.Secure, b.Secure) && equalPtr(a.CertCheck, b.CertCheck)
}

func TestPatchUpdatedAt(t *testing.T) {
	e := newEnv(t)
	plain := e.create(`{"type":"s3","endpoint":"p","bucket_name":"p","region":"r","secure":true}`)
	e.clock.advance(time.Minute)
	e.as(http.MethodPatch, e.secretPath(plain), `{"endpoint":"https://p","bucket_name":"p","region":"r","secure":"yes"}`)
	if at := e.stored(plain).UpdatedAt; at != nil {
		t.Errorf("an identical PATCH set updated_at to %v", at)
	}

	id := e.create(`{"type":"s3","endpoint":"e","bucket_name":"b","region":"r","access_key":"AK","secret_key":"SK"}`)
	same := `{"endpoint":"e","bucket_name":"b","region":"r","access_key":"AK","secret_key":"SK"}`
	e.as(http.MethodPatch, e.secretPath(id), same)
	first := e.stored(id).UpdatedAt
	if first == nil || !first.Equal(epoch.Add(time.Minute)) {
		t.Fatalf("credentials did not count as a change: %v", first)
	}
	e.clock.advance(time.Minute)
	e.as(http.MethodPatch, e.secretPath(id), same)
	if second := e.stored(id).UpdatedAt; !second.Equal(epoch.Add(2 * time.Minute)) {
		t.Errorf("re-sent credentials did not move updated_at: %v", second)
	}
	e.clock.advance(time.Minute)
	e.as(http.MethodPatch, e.secretPath(id), `{"endpoint":"e","bucket_name":"b","region":"r"}`)
	e.clock.advance(time.Minute)
	e.as(http.MethodPatch, e.secretPath(id), `{"endpoint":"e","bucket_name":"b","region":"r","access_key":"","secret_key":null}`)
	e.clock.advance(time.Minute)
	e.as(http.MethodPatch, e.secretPath(id), `{"endpoint":"e","bucket_name":"b","region":"r","access_key":""}`)
	if last := e.stored(id).UpdatedAt; !last.Equal(epoch.Add(4 * time.Minute)) {
		t.Errorf("an unchanged empty credential moved updated_at: %v", last)
	}
}

// TestCorruptSecret follows a PATCH without region: the row is saved with
// region NULL and every read of it fails until it is deleted.
func TestCorruptSecret(t *testing.T) {
	e := newEnv(t)
	id := e.create(s3Body)
	healthy := e.create(`{"type":"s3","endpoint":"h","bucket_name":"h","region":"r"}`)
	e.as(http.MethodPatch, e.secretPath(id), `{"endpoint":"s3.x.com","bucket_name":"models"}`).expectInternalError(t)

	e.as(http.MethodGet, e.secretPath(id), "").expectInternalError(t)
	e.as(http.MethodGet, e.secretsPath(), "").expectInternalError(t)
	e.as(http.MethodPatch, e.secretPath(id), `{"endpoint":"s3.x.com","bucket_name":"models","region":"r"}`).expectInternalError(t)
	e.as(http.MethodPost, e.secretPath(id)+"/urls", `{"id":"`+id+`"}`).expectInternalError(t)
	e.as(http.MethodPost, "/v1/bucket-secrets/upload/multipart", `{"bucket_id":"`+id+`","bucket_location":"x","size":1,"upload_id":"u"}`).expectInternalError(t)
	if r := e.as(http.MethodGet, e.secretPath(healthy), ""); r.status != http.StatusOK {
		t.Errorf("another secret of the organization: %d", r.status)
	}

	e.as(http.MethodDelete, e.secretPath(id), "").expect(t, http.StatusNoContent, "")
	if r := e.as(http.MethodGet, e.secretsPath(), ""); r.status != http.StatusOK {
		t.Errorf("list after deleting the corrupt row: %d %s", r.status, r.body)
	}
}

func TestPatchForeignAzureIsNotFound(t *testing.T) {
	e := newEnv(t)
	other := e.srv.AddOrganization("Other")
	foreign := e.srv.InsertSecret(other.ID, StoredSecret{Type: BucketAzure, Endpoint: azureConn, BucketName: "x"})
	e.as(http.MethodPatch, e.secretPath(foreign.ID), `{"access_key":"a"}`).expect(t, http.StatusNotFound, `{"detail":"Secret not found"}`)
}

func TestOutOfBandHelpers(t *testing.T) {
	e := newEnv(t)
	id := e.create(s3Body)
	e.clock.advance(time.Hour)
	if !e.srv.ModifySecret(id, func(s *StoredSecret) { s.BucketName = "renamed"; s.ID = "ignored" }) {
		t.Fatal("ModifySecret: not found")
	}
	sec := e.stored(id)
	if sec.BucketName != "renamed" || sec.UpdatedAt == nil || !sec.UpdatedAt.Equal(epoch.Add(time.Hour)) {
		t.Errorf("modified secret %+v", sec)
	}
	*sec.AccessKey = "changed through the copy"
	if *e.stored(id).AccessKey == "changed through the copy" {
		t.Error("Secret returned shared pointers")
	}
	e.srv.AddOrbit(e.org.ID, id, "o")
	if len(e.srv.Orbits(e.org.ID)) != 1 || !e.srv.DeleteSecret(id) || len(e.srv.Orbits(e.org.ID)) != 0 {
		t.Error("DeleteSecret did not cascade to the orbit")
	}
	if e.srv.DeleteSecret(id) || e.srv.ModifySecret(id, func(*StoredSecret) {}) {
		t.Error("helpers report a deleted secret as present")
	}
	e.as(http.MethodGet, e.secretPath(id), "").expect(t, http.StatusNotFound, `{"detail":"Secret not found"}`)
}
