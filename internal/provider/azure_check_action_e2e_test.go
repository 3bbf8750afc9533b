package provider

import (
	"context"
	"encoding/base64"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/luml-ai/terraform-provider-luml/internal/lumlfake"
)

// TestAccAzureBucketSecretCheckAction runs action "luml_bucket_secret_check" on Azure secrets
// against Azurite, which verifies the SAS signatures LUML made with the stored account keys:
// the right key passes every step and leaves no test blob; a wrong one fails at the upload
// with a 403 and the Azure hint, and neither the progress nor the error shows a URL or the
// connection string.
func TestAccAzureBucketSecretCheckAction(t *testing.T) {
	if os.Getenv(resource.EnvTfAcc) == "" {
		t.Skipf("acceptance test: set %s=1", resource.EnvTfAcc)
	}
	az := startAzurite(t, azureE2EContainer)
	proxy := startRecordingProxy(t, az)
	// LUML signs URLs for the blob endpoint of the connection string: pointing it at the proxy
	// lets the test see what reached Azurite. The SAS signs the account, container and blob,
	// not the host, so Azurite verifies them as it would directly.
	viaProxy := *az
	viaProxy.blobEndpoint = proxy.url + "/" + az.account
	wrongKey := base64.StdEncoding.EncodeToString(randomBytes(t, 64))
	env := newTestEnv(t)
	// Saved with a key that is not the account's, as after a key rotation LUML never heard of.
	stale := env.Fake.InsertSecret(env.Org.ID, lumlfake.StoredSecret{
		Type: "azure", Endpoint: viaProxy.connectionStringWithKey(wrongKey), BucketName: azureE2EContainer,
	})
	invocations := &actionRecorder{}
	secrets := []string{az.key, wrongKey, "AccountKey=", "AccountName=", "://", "sig=", "?"}

	resource.Test(t, resource.TestCase{
		TerraformVersionChecks:   terraform114,
		ProtoV6ProviderFactories: invocations.factories(),
		CheckDestroy:             onlyStaleSecretLeft(env, stale.ID),
		Steps: []resource.TestStep{
			{
				Config: checkedAzureSecretConfig(env, viaProxy.connectionString()),
				Check: func(*terraform.State) error {
					progress, diags := invocations.only(t)
					// Checked before anything is logged: the test output must not show them either.
					if err := noneContains(slices.Concat(progress, diags), secrets); err != nil {
						return err
					}
					t.Logf("right key: progress %q; Azurite answered %v", progress, proxy.requests())
					if err := wantInOrder("progress", progress, azureE2EContainer+" (azure): ",
						"test URLs", "(PUT)", "expecting 206", "(DELETE)", "connection check passed"); err != nil {
						return err
					}
					if len(diags) != 0 {
						return fmt.Errorf("the check passed with diagnostics: %q", diags)
					}
					testBlob := azureE2EContainer + "/test_file"
					if err := proxy.want("PUT "+testBlob+" 201", "GET "+testBlob+" 206", "DELETE "+testBlob+" 202"); err != nil {
						return err
					}
					if _, ok := az.blob(t, azureE2EContainer, "test_file"); ok {
						return fmt.Errorf("the connection check left its test blob in the container")
					}
					return nil
				},
			},
			{
				PreConfig: func() {
					invocations.reset()
					proxy.reset()
				},
				Config: checkedAzureSecretConfig(env, viaProxy.connectionString()) + checkOnCreateConfig("stale", stale.ID),
				// Words only: the CLI wraps the detail's lines.
				ExpectError: regexp.MustCompile(`(?s)Bucket connection check failed.*` + stale.ID +
					`.*` + azureE2EContainer + ` \(azure\).*failed at step\s+"upload".*answered\s+403\s+Forbidden:\s+AuthorizationFailure` +
					`.*AccountKey\s+is\s+a\s+current\s+access\s+key\s+of\s+the\s+account` +
					`.*apply\s+the\s+secret\s+again\s+with\s+the\s+right\s+connection_string`),
			},
		},
	})

	// After the failed step: only the destroy ran since, which invokes no action.
	progress, diags := invocations.only(t)
	if err := noneContains(slices.Concat(progress, diags), secrets); err != nil {
		t.Fatal(err)
	}
	t.Logf("wrong key: progress %q; Azurite answered %v; error %q", progress, proxy.requests(), diags)
	if err := wantInOrder("progress", progress, azureE2EContainer+" (azure): ", "test URLs", "(PUT)"); err != nil {
		t.Error(err)
	}
	if len(progress) != 2 {
		t.Errorf("%d progress lines after the failed upload, want 2 (the check stops there)", len(progress))
	}
	if err := proxy.want("PUT " + azureE2EContainer + "/test_file 403"); err != nil {
		t.Error(err)
	}
	if _, ok := az.blob(t, azureE2EContainer, "test_file"); ok {
		t.Error("the refused upload created the test blob")
	}
}

// checkedAzureSecretConfig manages an Azure secret whose check runs after every create and
// update.
func checkedAzureSecretConfig(env *testEnv, connectionString string) string {
	return checkedResourceConfig(env, fmt.Sprintf(`
  type              = "azure"
  connection_string = %q
  bucket_name       = %q
`, connectionString, azureE2EContainer))
}

// wantInOrder checks that each line starts with prefix and that the lines say the wanted
// words, one line each, in order.
func wantInOrder(what string, lines []string, prefix string, words ...string) error {
	i := 0
	for _, line := range lines {
		if !strings.HasPrefix(line, prefix) {
			return fmt.Errorf("%s line %q does not start with %q", what, line, prefix)
		}
		if i < len(words) && strings.Contains(line, words[i]) {
			i++
		}
	}
	if i < len(words) {
		return fmt.Errorf("no %s line says %q after the earlier ones; the lines are %q", what, words[i], lines)
	}
	return nil
}

// noneContains fails when a text shows one of the secrets; it names the secret by its
// position only, never quoting it.
func noneContains(texts, secrets []string) error {
	for _, text := range texts {
		for i, s := range secrets {
			if strings.Contains(text, s) {
				return fmt.Errorf("a progress line or diagnostic shows forbidden text #%d (a key, a URL or a connection string part)", i)
			}
		}
	}
	return nil
}

// actionProviderServer is the provider's server with its action RPCs, which the plugin
// server finds by a type assertion, so a wrapper must keep them.
type actionProviderServer interface {
	tfprotov6.ProviderServer
	tfprotov6.ActionServer
}

// actionRecorder serves the provider to the CLI and notes, per action invocation, the
// progress messages and the diagnostics sent to the CLI, which prints them as they are.
type actionRecorder struct {
	mu          sync.Mutex
	invocations []*invocation
}

type invocation struct {
	progress, diagnostics []string
}

func (r *actionRecorder) factories() map[string]func() (tfprotov6.ProviderServer, error) {
	return map[string]func() (tfprotov6.ProviderServer, error){
		"luml": func() (tfprotov6.ProviderServer, error) {
			server, err := providerserver.NewProtocol6WithError(New("test")())()
			if err != nil {
				return nil, err
			}
			return &recordingServer{actionProviderServer: server.(actionProviderServer), recorder: r}, nil
		},
	}
}

func (r *actionRecorder) reset() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.invocations = nil
}

// only returns what the single invocation since the last reset sent.
func (r *actionRecorder) only(t *testing.T) (progress, diagnostics []string) {
	t.Helper()
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.invocations) != 1 {
		t.Fatalf("the action was invoked %d times, want once", len(r.invocations))
	}
	return r.invocations[0].progress, r.invocations[0].diagnostics
}

type recordingServer struct {
	actionProviderServer
	recorder *actionRecorder
}

func (s *recordingServer) InvokeAction(ctx context.Context, req *tfprotov6.InvokeActionRequest) (*tfprotov6.InvokeActionServerStream, error) {
	stream, err := s.actionProviderServer.InvokeAction(ctx, req)
	if err != nil || stream == nil {
		return stream, err
	}
	inv := &invocation{}
	s.recorder.mu.Lock()
	s.recorder.invocations = append(s.recorder.invocations, inv)
	s.recorder.mu.Unlock()
	events := stream.Events
	stream.Events = func(yield func(tfprotov6.InvokeActionEvent) bool) {
		for event := range events {
			s.recorder.mu.Lock()
			switch e := event.Type.(type) {
			case tfprotov6.ProgressInvokeActionEventType:
				inv.progress = append(inv.progress, e.Message)
			case tfprotov6.CompletedInvokeActionEventType:
				for _, d := range e.Diagnostics {
					inv.diagnostics = append(inv.diagnostics, d.Summary+": "+d.Detail)
				}
			}
			s.recorder.mu.Unlock()
			if !yield(event) {
				return
			}
		}
	}
	return stream, nil
}

// recordingProxy passes requests on to Azurite and notes each one's method, blob and the
// status Azurite answered; never the query, which holds the SAS.
type recordingProxy struct {
	url  string
	mu   sync.Mutex
	seen []string
}

func startRecordingProxy(t *testing.T, az *azurite) *recordingProxy {
	t.Helper()
	target, err := url.Parse(az.blobEndpoint)
	if err != nil {
		t.Fatal(err)
	}
	target.Path = ""
	p := &recordingProxy{}
	note := func(r *http.Request, status int) {
		blob := strings.TrimPrefix(r.URL.Path, "/"+az.account+"/")
		p.mu.Lock()
		defer p.mu.Unlock()
		p.seen = append(p.seen, fmt.Sprintf("%s %s %d", r.Method, blob, status))
	}
	server := httptest.NewServer(&httputil.ReverseProxy{
		Rewrite: func(r *httputil.ProxyRequest) { r.SetURL(target) },
		ModifyResponse: func(resp *http.Response) error {
			note(resp.Request, resp.StatusCode)
			return nil
		},
		ErrorHandler: func(w http.ResponseWriter, r *http.Request, _ error) {
			note(r, http.StatusBadGateway)
			w.WriteHeader(http.StatusBadGateway)
		},
	})
	t.Cleanup(server.Close)
	p.url = server.URL
	return p
}

func (p *recordingProxy) reset() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.seen = nil
}

func (p *recordingProxy) requests() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.seen...)
}

// want checks that Azurite got exactly these requests since the last reset.
func (p *recordingProxy) want(requests ...string) error {
	if got := p.requests(); fmt.Sprint(got) != fmt.Sprint(requests) {
		return fmt.Errorf("Azurite answered %q, want %q", got, requests)
	}
	return nil
}
