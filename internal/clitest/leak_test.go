package clitest_test

import (
	"archive/zip"
	"bytes"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/luml-ai/terraform-provider-luml/internal/clitest"
)

// leakConfig manages an S3 and an Azure secret with plain sensitive credentials, the same
// with write-only ones from ephemeral variables, and asks for multipart upload URLs, which a
// provisioner uses: through the ephemeral resource, and through the data source, which keeps
// them in the state.
const leakConfig = `
variable "api_key" {
  type      = string
  sensitive = true
  ephemeral = true
}

variable "access_key" {
  type      = string
  sensitive = true
}

variable "secret_key" {
  type      = string
  sensitive = true
}

variable "session_token" {
  type      = string
  sensitive = true
}

variable "connection_string" {
  type      = string
  sensitive = true
}

variable "access_key_wo" {
  type      = string
  sensitive = true
  ephemeral = true
}

variable "secret_key_wo" {
  type      = string
  sensitive = true
  ephemeral = true
}

variable "session_token_wo" {
  type      = string
  sensitive = true
  ephemeral = true
}

variable "connection_string_wo" {
  type      = string
  sensitive = true
  ephemeral = true
}

provider "luml" {
  api_key = var.api_key
}

resource "luml_bucket_secret" "s3_plain" {
  endpoint      = "https://s3.eu-central-1.amazonaws.com"
  bucket_name   = "leak-plain"
  region        = "eu-central-1"
  access_key    = var.access_key
  secret_key    = var.secret_key
  session_token = var.session_token
}

resource "luml_bucket_secret" "s3_wo" {
  endpoint               = "https://s3.eu-central-1.amazonaws.com"
  bucket_name            = "leak-wo"
  region                 = "eu-central-1"
  access_key_wo          = var.access_key_wo
  secret_key_wo          = var.secret_key_wo
  session_token_wo       = var.session_token_wo
  credentials_wo_version = 1
}

resource "luml_bucket_secret" "azure_plain" {
  type              = "azure"
  bucket_name       = "leak-azure-plain"
  connection_string = var.connection_string
}

resource "luml_bucket_secret" "azure_wo" {
  type                   = "azure"
  bucket_name            = "leak-azure-wo"
  connection_string_wo   = var.connection_string_wo
  credentials_wo_version = 1
}

data "luml_bucket_secrets" "all" {
  depends_on = [
    luml_bucket_secret.s3_plain, luml_bucket_secret.s3_wo,
    luml_bucket_secret.azure_plain, luml_bucket_secret.azure_wo,
  ]
}

ephemeral "luml_multipart_upload_urls" "upload" {
  bucket_secret_id = luml_bucket_secret.s3_wo.id
  bucket_location  = "models/leak-check.bin"
  size             = 100 * 1024 * 1024
  upload_id        = "leak-check-upload"
}

resource "terraform_data" "upload" {
  provisioner "local-exec" {
    command = "test -n \"$COMPLETE_URL\" && test -n \"$FIRST_PART_URL\""
    environment = {
      COMPLETE_URL   = ephemeral.luml_multipart_upload_urls.upload.complete_url
      FIRST_PART_URL = ephemeral.luml_multipart_upload_urls.upload.part_urls[0]
    }
  }
}

data "luml_multipart_upload_urls" "upload" {
  bucket_secret_id = luml_bucket_secret.s3_plain.id
  bucket_location  = "` + leakDataSourceLocation + `"
  size             = 100 * 1024 * 1024
  upload_id        = "leak-check-upload"
}

resource "terraform_data" "upload_from_data_source" {
  provisioner "local-exec" {
    command = "test -n \"$PARTS\""
    environment = {
      PARTS = jsonencode([for i, p in data.luml_multipart_upload_urls.upload.parts :
        merge(p, { url = data.luml_multipart_upload_urls.upload.part_urls[i] })
      ])
    }
  }
}
`

// leakDataSourceLocation is the object key the data source asks URLs for. Its URLs are in
// the state by design, and nowhere else.
const leakDataSourceLocation = "models/leak-check-data-source.bin"

// leakSecret is a value that must not be written where it does not belong.
type leakSecret struct {
	name  string
	value string
	// stored: a plain sensitive attribute, which the state and the plan hold by design.
	stored bool
}

// leakScanner collects every text the CLI wrote and scans them at the end, when the presigned
// URLs handed out are all known.
type leakScanner struct {
	t       *testing.T
	secrets []leakSecret
	texts   []leakText

	mu   sync.Mutex
	urls []multipartAnswer
}

// multipartAnswer is a response body of the multipart endpoint; stored: it answered the data
// source, whose URLs the state and the plan hold by design.
type multipartAnswer struct {
	body   []byte
	stored bool
}

type leakText struct {
	where string
	// stored: the state, a plan or its JSON rendering, which may hold plain sensitive values.
	stored bool
	data   []byte
}

// middleware keeps the emulator's answers to multipart URL requests.
func (s *leakScanner) middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/v1/bucket-secrets/upload/multipart" {
			next.ServeHTTP(w, r)
			return
		}
		request, err := io.ReadAll(r.Body)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(request))
		rec := httptest.NewRecorder()
		next.ServeHTTP(rec, r)
		s.mu.Lock()
		s.urls = append(s.urls, multipartAnswer{
			body:   rec.Body.Bytes(),
			stored: bytes.Contains(request, []byte(leakDataSourceLocation)),
		})
		s.mu.Unlock()
		for k, v := range rec.Header() {
			w.Header()[k] = v
		}
		w.WriteHeader(rec.Code)
		_, _ = w.Write(rec.Body.Bytes())
	})
}

func (s *leakScanner) output(r clitest.Result) {
	cmd := strings.Join(r.Args[:1], "")
	s.texts = append(s.texts,
		leakText{where: "stdout of " + cmd, data: []byte(r.Stdout)},
		leakText{where: "stderr of " + cmd, data: []byte(r.Stderr)})
}

// file adds a file of the working directory; a plan file (a zip archive) is added entry by
// entry, uncompressed.
func (s *leakScanner) file(path string, stored bool) {
	s.t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		s.t.Fatal(err)
	}
	name := filepath.Base(path)
	zr, err := zip.NewReader(bytes.NewReader(raw), int64(len(raw)))
	if err != nil {
		s.texts = append(s.texts, leakText{where: name, stored: stored, data: raw})
		return
	}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			s.t.Fatal(err)
		}
		data, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			s.t.Fatal(err)
		}
		s.texts = append(s.texts, leakText{where: name + ":" + f.Name, stored: stored, data: data})
	}
}

// presignedURL is a URL the emulator handed out, or its signature, which any partial copy of
// the URL would contain.
type presignedURL struct {
	value  string
	stored bool // from the data source: the state and the plan may hold it
}

// presigned returns the URLs the emulator handed out, and the signature of each.
func (s *leakScanner) presigned() []presignedURL {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []presignedURL
	for _, a := range s.urls {
		var answer struct {
			Parts []struct {
				URL string `json:"url"`
			} `json:"parts"`
			CompleteURL string `json:"complete_url"`
		}
		if err := json.Unmarshal(a.body, &answer); err != nil {
			s.t.Fatalf("a multipart answer is not JSON: %v", err)
		}
		urls := []string{answer.CompleteURL}
		for _, p := range answer.Parts {
			urls = append(urls, p.URL)
		}
		for _, raw := range urls {
			u, err := url.Parse(raw)
			if err != nil {
				s.t.Fatal("a presigned URL does not parse")
			}
			out = append(out, presignedURL{raw, a.stored}, presignedURL{u.Query().Get("X-Amz-Signature"), a.stored})
		}
	}
	return out
}

// check reports every secret found where it does not belong, by name and line, never by value.
func (s *leakScanner) check() {
	s.t.Helper()
	urls := s.presigned()
	var fromDataSource, fromEphemeral int
	for _, u := range urls {
		if u.stored {
			fromDataSource++
		} else {
			fromEphemeral++
		}
	}
	if fromDataSource == 0 || fromEphemeral == 0 {
		s.t.Fatal("the ephemeral resource or the data source never asked for URLs: no presigned URL to look for")
	}
	storedSomewhere := false
	for _, text := range s.texts {
		for _, sec := range s.secrets {
			if line := lineOf(text.data, sec.value); line > 0 && !(text.stored && sec.stored) {
				s.t.Errorf("%s leaked in %s, line %d", sec.name, text.where, line)
			}
		}
		leaked, first := 0, 0
		for _, u := range urls {
			line := lineOf(text.data, u.value)
			if line > 0 && u.stored && text.stored {
				storedSomewhere = true
				continue
			}
			if line > 0 {
				leaked++
				if first == 0 || line < first {
					first = line
				}
			}
		}
		if line := lineOf(text.data, "X-Amz-Signature"); line > 0 && !text.stored {
			leaked++
			if first == 0 || line < first {
				first = line
			}
		}
		if leaked > 0 {
			s.t.Errorf("%d presigned URLs, signatures or signature parameters leaked in %s, first in line %d", leaked, text.where, first)
		}
	}
	if !storedSomewhere {
		s.t.Error("the data source's URLs are in no state or plan: the scan cannot tell where they went")
	}
}

// lineOf returns the line of the first occurrence of value in data, or 0 when there is none.
func lineOf(data []byte, value string) int {
	i := bytes.Index(data, []byte(value))
	if value == "" || i < 0 {
		return 0
	}
	return bytes.Count(data[:i], []byte("\n")) + 1
}

func distinctive(t *testing.T, prefix string) string {
	t.Helper()
	b := make([]byte, 12)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return prefix + hex.EncodeToString(b)
}

func azureConnectionString(t *testing.T) (conn, accountKey string) {
	t.Helper()
	accountKey = base64.StdEncoding.EncodeToString([]byte(distinctive(t, "leak-account-key-")))
	return "DefaultEndpointsProtocol=https;AccountName=leakcheck;AccountKey=" + accountKey +
		";EndpointSuffix=core.windows.net", accountKey
}

// TestSecretsDoNotLeak runs apply, plan, import and destroy with TF_LOG=TRACE, and looks for
// every credential in the log, the CLI's output, the state and the saved plan.
func TestSecretsDoNotLeak(t *testing.T) {
	s := &leakScanner{t: t}
	e := clitest.New(t, s.middleware)
	e.WriteConfig(leakConfig)
	log := filepath.Join(t.TempDir(), "terraform.log")
	e.Setenv("TF_LOG", "TRACE")
	e.Setenv("TF_LOG_PATH", log)

	conn, accountKey := azureConnectionString(t)
	connWO, accountKeyWO := azureConnectionString(t)
	variables := []struct {
		variable string
		leakSecret
	}{
		{"api_key", leakSecret{name: "the API key", value: e.APIKey}},
		{"access_key", leakSecret{name: "access_key", value: distinctive(t, "AKIALEAK"), stored: true}},
		{"secret_key", leakSecret{name: "secret_key", value: distinctive(t, "leak-secret-key-"), stored: true}},
		{"session_token", leakSecret{name: "session_token", value: distinctive(t, "leak-session-token-"), stored: true}},
		{"connection_string", leakSecret{name: "connection_string", value: conn, stored: true}},
		{"access_key_wo", leakSecret{name: "access_key_wo", value: distinctive(t, "AKIAWOLEAK")}},
		{"secret_key_wo", leakSecret{name: "secret_key_wo", value: distinctive(t, "leak-wo-secret-key-")}},
		{"session_token_wo", leakSecret{name: "session_token_wo", value: distinctive(t, "leak-wo-session-token-")}},
		{"connection_string_wo", leakSecret{name: "connection_string_wo", value: connWO}},
	}
	for _, v := range variables {
		e.Setenv("TF_VAR_"+v.variable, v.value)
		e.Redact(v.value)
		s.secrets = append(s.secrets, v.leakSecret)
	}
	s.secrets = append(s.secrets,
		leakSecret{name: "connection_string's account key", value: accountKey, stored: true},
		leakSecret{name: "connection_string_wo's account key", value: accountKeyWO})

	run := func(args ...string) clitest.Result {
		t.Helper()
		r := e.MustRun(args...)
		s.output(r)
		return r
	}
	state := filepath.Join(e.Dir, "terraform.tfstate")
	plan := filepath.Join(e.Dir, "tfplan")

	run("plan", "-input=false", "-no-color", "-out="+plan)
	s.file(plan, true)
	show := run("show", "-json", plan)
	s.texts[len(s.texts)-2].stored = true // show -json prints plain sensitive values by design
	if !json.Valid([]byte(show.Stdout)) {
		t.Fatal("show -json did not print JSON")
	}
	run("apply", "-input=false", "-no-color", plan)
	s.file(state, true)
	run("show", "-no-color") // the state as Terraform renders it
	e.CheckEmptyPlan()

	imported := []string{"luml_bucket_secret.s3_wo", "luml_bucket_secret.azure_plain", "luml_bucket_secret.azure_wo"}
	ids := map[string]string{}
	for id, addr := range e.SecretIDs() {
		ids[addr] = id
	}
	run(append([]string{"state", "rm"}, imported...)...)
	for _, addr := range imported {
		run("import", "-input=false", "-no-color", addr, ids[addr])
	}
	s.file(state, true)
	run("plan", "-input=false", "-no-color")
	run("destroy", "-auto-approve", "-input=false", "-no-color")
	if left := len(e.Fake.Secrets(e.Org.ID)); left != 0 {
		t.Errorf("%d secrets left after destroy", left)
	}

	if logged, err := os.ReadFile(log); err != nil || !bytes.Contains(logged, []byte("LUML API response")) {
		t.Fatalf("the log has no trace of the provider's API calls (%v): the scan would prove nothing", err)
	}
	s.file(log, false)
	// Every file the CLI left behind: state, its backups, the plan.
	err := filepath.WalkDir(e.Dir, func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && filepath.Ext(path) != ".tf" {
			s.file(path, true)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	s.check()
}

// TestPolicyExampleDoesNotLeak plans examples/policy with distinctive credentials: its JSON
// plan is what policy checks read and reviewers pass around, so neither it nor the saved plan
// may hold a credential or the API key. (The example asks for no presigned URLs.)
func TestPolicyExampleDoesNotLeak(t *testing.T) {
	s := &leakScanner{t: t, secrets: []leakSecret{
		{name: "models_access_key", value: distinctive(t, "AKIAPOLICYLEAK")},
		{name: "models_secret_key", value: distinctive(t, "policy-leak-secret-key-")},
	}}
	e := clitest.New(t)
	copyPolicyExample(t, e.Dir)
	s.secrets = append(s.secrets, leakSecret{name: "the API key", value: e.APIKey})
	for _, sec := range s.secrets[:2] {
		e.Setenv("TF_VAR_"+sec.name, sec.value)
		e.Redact(sec.value)
	}
	plan := filepath.Join(e.Dir, "tfplan")
	s.output(e.MustRun("plan", "-input=false", "-no-color", "-out="+plan))
	s.file(plan, false)
	show := e.MustRun("show", "-json", plan)
	if !json.Valid([]byte(show.Stdout)) || !strings.Contains(show.Stdout, "luml_bucket_secret.models") {
		t.Fatal("show -json did not print the JSON plan of examples/policy")
	}
	s.output(show)
	for _, text := range s.texts {
		for _, sec := range s.secrets {
			if line := lineOf(text.data, sec.value); line > 0 {
				t.Errorf("%s leaked in %s, line %d", sec.name, text.where, line)
			}
		}
	}
}
