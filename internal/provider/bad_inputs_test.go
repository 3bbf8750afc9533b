package provider

import (
	"context"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/luml-ai/terraform-provider-luml/internal/luml"
	"github.com/luml-ai/terraform-provider-luml/internal/lumlfake"
)

// The bad inputs of the provider block, of luml_bucket_secret alone, of the data sources and of
// the multipart URLs have their own tables beside those types' tests. This file adds what they
// do not show: a bad input stops an apply before anything is created, even with a valid
// resource beside it; and the server's refusals reach the user as readable sentences that say
// what concerns them and what to do, without secrets.

// validSecret is a resource the apply would create if a bad input did not stop it first.
const validSecret = `
resource "luml_bucket_secret" "valid" {
  endpoint    = "s3.eu-central-1.amazonaws.com"
  bucket_name = "valid"
  region      = "eu-central-1"
}
`

func TestAccBadInputs_stopTheApplyBeforeAnyChange(t *testing.T) {
	cases := map[string]struct {
		config string
		want   string
	}{
		"data source with id and bucket_name": {
			config: `data "luml_bucket_secret" "bad" {
  id          = "` + multipartUnknownSecretID + `"
  bucket_name = "valid"
}`,
			want: `Invalid Attribute Combination`,
		},
		"data source with neither id nor bucket_name": {
			config: `data "luml_bucket_secret" "bad" {}`,
			want:   `Exactly one of these attributes must be configured: \[id,bucket_name\]`,
		},
		"data source with a non-UUID id": {
			config: `data "luml_bucket_secret" "bad" {
  id = "valid"
}`,
			want: `id must be a UUID`,
		},
		"s3 secret without region": {
			config: `resource "luml_bucket_secret" "bad" {
  endpoint    = "s3.example.com"
  bucket_name = "bad"
}`,
			want: `Missing region`,
		},
		"azure secret with S3 fields": {
			config: `resource "luml_bucket_secret" "bad" {
  type              = "azure"
  connection_string = "AccountName=x;AccountKey=y"
  bucket_name       = "bad"
  region            = "eu-central-1"
}`,
			want: `Attribute not allowed for Azure`,
		},
		"endpoint with a path": {
			config: `resource "luml_bucket_secret" "bad" {
  endpoint    = "s3.example.com/bad"
  bucket_name = "bad"
  region      = "eu-central-1"
}`,
			want: `Invalid endpoint`,
		},
		"plain and write-only secret key": {
			config: `resource "luml_bucket_secret" "bad" {
  endpoint      = "s3.example.com"
  bucket_name   = "bad"
  region        = "eu-central-1"
  access_key    = "a"
  secret_key    = "b"
  secret_key_wo = "b"
}`,
			want: `Invalid Attribute Combination`,
		},
		"unknown type": {
			config: `resource "luml_bucket_secret" "bad" {
  type        = "gcs"
  bucket_name = "bad"
}`,
			want: `value must be one of`,
		},
		"s3 bucket name with upper case": {
			config: `resource "luml_bucket_secret" "bad" {
  endpoint    = "s3.eu-central-1.amazonaws.com"
  bucket_name = "Models"
  region      = "eu-central-1"
}`,
			want: `(?s)Invalid bucket name.*upper-case letter 'M'`,
		},
		"s3 bucket name formatted as an IP address": {
			config: `resource "luml_bucket_secret" "bad" {
  endpoint    = "s3.eu-central-1.amazonaws.com"
  bucket_name = "192.168.5.4"
  region      = "eu-central-1"
}`,
			want: `(?s)Invalid bucket name.*formatted as an IP address`,
		},
		"s3 bucket name of 2 characters": {
			config: `resource "luml_bucket_secret" "bad" {
  type        = "s3"
  endpoint    = "s3.eu-central-1.amazonaws.com"
  bucket_name = "ab"
  region      = "eu-central-1"
}`,
			want: `(?s)Invalid bucket name.*2 characters, not 3 to 63`,
		},
		"azure container name with a dot": {
			config: `resource "luml_bucket_secret" "bad" {
  type              = "azure"
  connection_string = "AccountName=acme;AccountKey=a2V5"
  bucket_name       = "acme.models"
}`,
			want: `(?s)Invalid bucket name.*'\.'.*Azure container name`,
		},
		"azure container name with two hyphens": {
			config: `resource "luml_bucket_secret" "bad" {
  type              = "azure"
  connection_string = "AccountName=acme;AccountKey=a2V5"
  bucket_name       = "acme--models"
}`,
			want: `(?s)Invalid bucket name.*two hyphens`,
		},
		"azure SAS URL as connection string": {
			config: `resource "luml_bucket_secret" "bad" {
  type              = "azure"
  connection_string = "https://acme.blob.core.windows.net/models?sv=2025-11-05&sp=rwd&sig=c2ln"
  bucket_name       = "models"
}`,
			want: `(?s)Invalid Azure connection string.*is a URL`,
		},
		"azure connection string without the account key": {
			config: `resource "luml_bucket_secret" "bad" {
  type              = "azure"
  connection_string = "DefaultEndpointsProtocol=https;AccountName=acme;EndpointSuffix=core.windows.net"
  bucket_name       = "models"
}`,
			want: `(?s)Invalid Azure connection string.*has no AccountKey`,
		},
		"write-only azure connection string without the account name": {
			config: `resource "luml_bucket_secret" "bad" {
  type                 = "azure"
  connection_string_wo = "AccountKey=a2V5;EndpointSuffix=core.windows.net"
  bucket_name          = "models"
}`,
			want: `(?s)Invalid Azure connection string.*connection_string_wo has no AccountName`,
		},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			e := newTestEnv(t)
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				Steps: []resource.TestStep{{
					Config:      e.providerConfig() + validSecret + c.config,
					ExpectError: regexp.MustCompile(c.want),
				}},
			})
			if n := e.mutatingRequests(); n != 0 {
				t.Errorf("%d mutating requests sent", n)
			}
		})
	}

	// A base URL with a path used to reach the server at a path the user never wrote.
	for name, c := range map[string]struct {
		baseURL func(e *testEnv) string
		fromEnv bool // given as LUML_BASE_URL rather than base_url
		want    string
	}{
		"base_url with /v1": {
			baseURL: func(e *testEnv) string { return e.URL + "/v1" },
			want:    `(?s)Invalid LUML base URL.*ends with /v1`,
		},
		"base_url with a path": {
			baseURL: func(e *testEnv) string { return e.URL + "/luml" },
			want:    `(?s)Invalid LUML base URL.*has a path \(/luml\)`,
		},
		"base_url without a scheme": {
			baseURL: func(e *testEnv) string { return strings.TrimPrefix(e.URL, "http://") },
			want:    `(?s)Invalid LUML base URL.*has no scheme`,
		},
		"LUML_BASE_URL with /v1": {
			baseURL: func(e *testEnv) string { return e.URL + "/v1" },
			fromEnv: true,
			want:    `(?s)Invalid LUML base URL.*LUML_BASE_URL.*ends with /v1`,
		},
	} {
		t.Run(name, func(t *testing.T) {
			e := newTestEnv(t)
			configured := fmt.Sprintf("base_url     = %q", e.URL)
			replacement := fmt.Sprintf("base_url     = %q", c.baseURL(e))
			if c.fromEnv {
				t.Setenv(envBaseURL, c.baseURL(e))
				replacement = ""
			}
			config := strings.Replace(e.providerConfig(), configured, replacement, 1)
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				Steps:                    []resource.TestStep{{Config: config + validSecret, ExpectError: regexp.MustCompile(c.want)}},
			})
			if n := len(e.Fake.Requests()); n != 0 {
				t.Errorf("%d requests reached the server", n)
			}
		})
	}

	multipart := map[string]struct {
		replaced map[string]string
		want     string
	}{
		"size 0":            {map[string]string{"size": "0"}, `size value must be between 1 and 5497558138880`},
		"size above 5 TiB":  {map[string]string{"size": "5497558138881"}, `size value must be between 1 and 5497558138880`},
		"non-UUID id":       {map[string]string{"bucket_secret_id": `"valid"`}, `bucket_secret_id must be a UUID`},
		"s3 with no upload": {map[string]string{"upload_id": ""}, `Missing upload_id for an S3 bucket`},
	}
	for kind, config := range multipartConfigs {
		for name, c := range multipart {
			t.Run(kind+" "+name, func(t *testing.T) {
				e := newTestEnv(t)
				secret := insertMultipartSecret(t, e, "s3")
				replaced := map[string]string{"bucket_secret_id": fmt.Sprintf("%q", secret.ID)}
				for k, v := range c.replaced {
					replaced[k] = v
				}
				resource.Test(t, resource.TestCase{
					TerraformVersionChecks:   multipartVersionChecks(kind),
					ProtoV6ProviderFactories: multipartEchoProviderFactories,
					Steps: []resource.TestStep{{
						Config:      e.providerConfig() + validSecret + config(multipartArguments(replaced)),
						ExpectError: multipartErrorText(c.want),
					}},
				})
				if n := e.mutatingRequests(); n != 0 {
					t.Errorf("%d mutating requests sent", n)
				}
				if n := e.Fake.CountRequests(http.MethodPost, multipartEndpointPath); n != 0 {
					t.Errorf("%d multipart URL requests sent", n)
				}
			})
		}
	}
}

// notProse are signs of text written for programs: a JSON body, a Go error chain, a format
// mistake.
var notProse = []string{`{"`, `"detail"`, `\"`, `Get "`, `Post "`, `Patch "`, `Delete "`, "dial tcp", ": EOF",
	"context canceled", "context deadline exceeded", "%!", "<nil>", "&{", "\n"}

// checkProse fails unless text reads as plain sentences.
func checkProse(t *testing.T, what, text string) {
	t.Helper()
	for _, bad := range notProse {
		if strings.Contains(text, bad) {
			t.Errorf("%s contains %q, which no user should have to read: %s", what, bad, text)
		}
	}
}

// refusal is what the diagnostic of a server refusal must tell, checked as facts rather than
// sentences, so that a rewording does not break the test: the attribute it is attached to
// ("" when it concerns the object as a whole), the words of the summary (what failed), and
// what the detail must mention (the status, the objects concerned by name or ID, and the words
// of the action the user must take).
type refusal struct {
	attribute string
	summary   []string
	mentions  []string
}

// checkRefusal expects exactly one error diagnostic that tells what want says in plain
// sentences and carries none of the secrets.
func checkRefusal(t *testing.T, diags []*tfprotov6.Diagnostic, want refusal, secrets ...string) {
	t.Helper()
	if len(diags) != 1 || diags[0].Severity != tfprotov6.DiagnosticSeverityError {
		t.Fatalf("want one error diagnostic, got %d", len(diags))
	}
	d := diags[0]
	switch {
	case want.attribute == "" && d.Attribute != nil:
		t.Errorf("the refusal is attached to %s, not to the object as a whole", d.Attribute)
	case want.attribute != "" && !d.Attribute.Equal(tftypes.NewAttributePath().WithAttributeName(want.attribute)):
		t.Errorf("the refusal is attached to %v, want %s", d.Attribute, want.attribute)
	}
	checkMentions(t, "the summary", d.Summary, want.summary...)
	checkMentions(t, "the detail", d.Detail, want.mentions...)
	for _, secret := range secrets {
		if strings.Contains(d.Summary+d.Detail, secret) {
			t.Errorf("the diagnostic shows a secret: %s: %s", d.Summary, d.Detail)
		}
	}
	checkProse(t, "the summary", d.Summary)
	checkProse(t, "the detail", d.Detail)
}

// checkMentions fails unless text contains every word, ignoring letter case.
func checkMentions(t *testing.T, what, text string, words ...string) {
	t.Helper()
	for _, w := range words {
		if !strings.Contains(strings.ToLower(text), strings.ToLower(w)) {
			t.Errorf("%s does not mention %q: %s", what, w, text)
		}
	}
}

func TestServerRefusalsReadAsSentences(t *testing.T) {
	e := newTestEnv(t)
	other := e.Fake.AddOrganization("Other")
	taken := e.Fake.InsertSecret(e.Org.ID, lumlfake.StoredSecret{
		Type: "s3", Endpoint: "s3.eu-central-1.amazonaws.com", BucketName: "taken", Region: ptr("eu-central-1"),
	})
	s3 := func(bucket string) map[string]tftypes.Value {
		return map[string]tftypes.Value{
			"endpoint": str("https://s3.eu-central-1.amazonaws.com"), "bucket_name": str(bucket),
			"region": str("eu-central-1"), "no_credentials": tftypes.NewValue(tftypes.Bool, true),
		}
	}
	configured := func(t *testing.T) *protoProvider {
		t.Helper()
		p := newProtoProvider(t)
		if diags := p.configure(e.URL, e.APIKey, e.Org.ID); len(diags) > 0 {
			t.Fatalf("configure: %s: %s", diags[0].Summary, diags[0].Detail)
		}
		return p
	}

	t.Run("401", func(t *testing.T) {
		rejected := "dfs_" + strings.Repeat("x", 43)
		diags := newProtoProvider(t).configure(e.URL, rejected, e.Org.ID)
		checkRefusal(t, diags, refusal{attribute: "api_key", summary: []string{"API key"}, mentions: []string{"401", "api_key"}}, rejected)
	})
	t.Run("403", func(t *testing.T) {
		diags := configured(t).readDataSource("luml_bucket_secrets", map[string]tftypes.Value{"organization_id": str(other.ID)})
		checkRefusal(t, diags, refusal{summary: []string{"bucket secrets"}, mentions: []string{"403", other.ID, "Not enough rights"}}, e.APIKey)
	})
	t.Run("404", func(t *testing.T) {
		diags := configured(t).readDataSource("luml_bucket_secret", map[string]tftypes.Value{"id": str(multipartUnknownSecretID)})
		checkRefusal(t, diags, refusal{attribute: "id", summary: []string{"not found"}, mentions: []string{multipartUnknownSecretID, "organization_id"}}, e.APIKey)
	})
	t.Run("409", func(t *testing.T) {
		diags := configured(t).create("luml_bucket_secret", s3("taken"))
		checkRefusal(t, diags, refusal{summary: []string{"already exists"}, mentions: []string{taken.ID, "import"}}, e.APIKey)
	})
	t.Run("500 text", func(t *testing.T) {
		e.Fake.FailNext(1, lumlfake.Fault{Kind: lumlfake.Fault500, Methods: []string{http.MethodPost}})
		diags := configured(t).create("luml_bucket_secret", s3("crash"))
		checkRefusal(t, diags, refusal{summary: []string{"create", "bucket secret"}, mentions: []string{"500"}}, e.APIKey)
	})
	// The provider checks every input the server would answer with a 422, so only the client
	// can show how one reads.
	t.Run("422", func(t *testing.T) {
		client, err := luml.New(luml.Config{BaseURL: e.URL, APIKey: e.APIKey})
		if err != nil {
			t.Fatal(err)
		}
		_, err = client.GetBucketSecret(context.Background(), e.Org.ID, "not-a-uuid")
		if err == nil {
			t.Fatal("no error")
		}
		checkMentions(t, "the error", err.Error(), "422", "secret_id", "UUID")
		checkProse(t, "the error", err.Error())
	})
}
