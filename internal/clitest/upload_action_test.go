package clitest_test

import (
	"bytes"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/luml-ai/terraform-provider-luml/internal/clitest"
	"github.com/luml-ai/terraform-provider-luml/internal/lumlfake"
)

const (
	uploadKey = "models/model.luml"
	// uploadSize is three parts: two of 32 MiB and one of 5 bytes.
	uploadSize = 64<<20 + 5
)

// uploadConfig uploads var.model_file whenever its hash changes, and on -invoke.
func uploadConfig(secretID string) string {
	return fmt.Sprintf(`
variable "model_file" {
  type = string
}

resource "terraform_data" "model" {
  input = filesha256(var.model_file)

  lifecycle {
    action_trigger {
      events  = [after_create, after_update]
      actions = [action.luml_multipart_upload.model]
    }
  }
}

action "luml_multipart_upload" "model" {
  config {
    bucket_secret_id = %q
    bucket_location  = %q
    source           = var.model_file
    upload_id        = "clitest-upload-1"
  }
}
`, secretID, uploadKey)
}

// uploadEnv prepares a working directory with the upload configuration, a bucket secret of a
// multipart store, and a model file of uploadSize bytes; it skips, after checking the CLI's
// refusal, when the CLI has no actions.
func uploadEnv(t *testing.T, s *leakScanner) (*clitest.Env, *multipartStore, string) {
	t.Helper()
	var e *clitest.Env
	if s != nil {
		e = clitest.New(t, s.middleware)
	} else {
		e = clitest.New(t)
	}
	store := startMultipartStore(t)
	secure := false
	secret := e.Fake.InsertSecret(e.Org.ID, lumlfake.StoredSecret{
		Type: "s3", Endpoint: store.host, BucketName: "models", Region: ptr("eu-central-1"),
		AccessKey: ptr("AKIAUPLOADCLITEST"), SecretKey: ptr("upload-clitest-secret-key"), Secure: &secure,
	})
	e.WriteConfig(uploadConfig(secret.ID))
	if ok, why := supports(t, e, actionsFeature); !ok {
		r := e.Run("validate", "-no-color")
		if r.ExitCode == 0 || !strings.Contains(r.Stderr, `Unsupported block type`) {
			t.Fatalf("%s; yet it accepted an action block or failed differently (%d):\n%s", why, r.ExitCode, e.Tail(r.Stdout+r.Stderr, 20))
		}
		t.Skipf("SKIPPED: %s; checked that it refuses the action block as unsupported", why)
	}
	file := filepath.Join(t.TempDir(), "model.luml")
	writeModel(t, file, 1)
	e.Setenv("TF_VAR_model_file", file)
	return e, store, file
}

// writeModel writes uploadSize pseudo-random bytes of this version to path.
func writeModel(t *testing.T, path string, version byte) []byte {
	t.Helper()
	content := make([]byte, uploadSize)
	_, _ = rand.NewChaCha8([32]byte{'m', version}).Read(content)
	writeFile(t, path, string(content))
	return content
}

// TestUploadActionInvoke uploads a file with the action both ways: after the terraform_data
// whose input is the file's hash changes (an apply with an unchanged file uploads nothing),
// and with -invoke. All of it with TF_LOG=TRACE: no presigned URL, signature or key may be in
// the CLI's output, the log or the state.
func TestUploadActionInvoke(t *testing.T) {
	s := &leakScanner{t: t}
	e, store, file := uploadEnv(t, s)
	log := filepath.Join(t.TempDir(), "terraform.log")
	e.Setenv("TF_LOG", "TRACE")
	e.Setenv("TF_LOG_PATH", log)
	s.secrets = []leakSecret{
		{name: "the API key", value: e.APIKey},
		{name: "the secret key", value: "upload-clitest-secret-key"},
	}
	run := func(args ...string) clitest.Result {
		t.Helper()
		r := e.MustRun(args...)
		s.output(r)
		return r
	}
	wantObject := func(step string, content []byte, completions int) {
		t.Helper()
		got, n := store.object("models/" + uploadKey)
		if n != completions || !bytes.Equal(got, content) {
			t.Fatalf("%s: %d uploads completed, want %d; the object (%d bytes) equals the file: %v", step, n, completions,
				len(got), bytes.Equal(got, content))
		}
	}
	content, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}

	r := run("apply", "-auto-approve", "-input=false", "-no-color")
	wantObject("first apply", content, 1)
	progress := progressLines(r.Stdout)
	for _, want := range []string{"3 parts of up to 32.0 MiB, 4 at a time", "64.0 MiB (67108869 bytes) in 3 parts in"} {
		if !strings.Contains(progress, want) {
			t.Errorf("no progress line says %q:\n%s", want, progress)
		}
	}
	e.Report("upload-action", "%s apply (action_trigger) progress:\n%s", e.Name(), progress)

	run("apply", "-auto-approve", "-input=false", "-no-color")
	wantObject("apply with the file unchanged", content, 1)

	content = writeModel(t, file, 2)
	run("apply", "-auto-approve", "-input=false", "-no-color")
	wantObject("apply after the file changed", content, 2)

	r = run("apply", "-auto-approve", "-input=false", "-no-color", "-invoke=action.luml_multipart_upload.model")
	wantObject("-invoke", content, 3)
	if !strings.Contains(r.Stdout, "(triggered by CLI)") || !strings.Contains(progressLines(r.Stdout), "in 3 parts in") {
		t.Errorf("-invoke shows no upload:\n%s", e.Tail(r.Stdout, 12))
	}

	logged, err := os.ReadFile(log)
	if err != nil || !bytes.Contains(logged, []byte("LUML API response")) || !bytes.Contains(logged, []byte("luml_multipart_upload")) {
		t.Fatalf("the log has no trace of the action's API calls (%v): the scan would prove nothing", err)
	}
	s.file(log, false)
	err = filepath.WalkDir(e.Dir, func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && filepath.Ext(path) != ".tf" {
			s.file(path, false)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	s.checkNoURL(3)
}

// progressLines returns the action's progress lines of a CLI output.
func progressLines(stdout string) string {
	var lines []string
	for _, line := range strings.Split(stdout, "\n") {
		if strings.Contains(line, "action.luml_multipart_upload.model") && strings.Contains(line, "models (") {
			lines = append(lines, strings.TrimSpace(line))
		}
	}
	return strings.Join(lines, "\n")
}

// checkNoURL fails when any text holds a secret, a presigned URL the emulator handed out in
// one of its answers (want of them), or a signature.
func (s *leakScanner) checkNoURL(want int) {
	s.t.Helper()
	s.mu.Lock()
	answers := len(s.urls)
	s.mu.Unlock()
	if answers != want {
		s.t.Fatalf("the emulator handed out URLs %d times, want %d", answers, want)
	}
	urls := s.presigned()
	for _, text := range s.texts {
		for _, sec := range s.secrets {
			if line := lineOf(text.data, sec.value); line > 0 {
				s.t.Errorf("%s leaked in %s, line %d", sec.name, text.where, line)
			}
		}
		for _, u := range urls {
			if line := lineOf(text.data, u.value); line > 0 {
				s.t.Errorf("a presigned URL or its signature leaked in %s, line %d", text.where, line)
				break
			}
		}
		for _, marker := range []string{"X-Amz-Signature", "X-Amz-Credential", "uploadId=", "partNumber="} {
			if line := lineOf(text.data, marker); line > 0 {
				s.t.Errorf("%s, part of a presigned URL, is in %s, line %d", marker, text.where, line)
			}
		}
	}
}

// TestUploadActionInterrupt presses Ctrl-C while parts are in flight: the action stops at
// once (it abandons the parts in flight, whose PUTs the storage holds), completes nothing, and
// says how many parts were uploaded and that the S3 upload stays incomplete. Terraform drops
// the events of an action it interrupted, so the message is looked for in the log.
func TestUploadActionInterrupt(t *testing.T) {
	e, store, _ := uploadEnv(t, nil)
	store.holdParts()
	log := filepath.Join(t.TempDir(), "terraform.log")
	e.Setenv("TF_LOG_PROVIDER", "WARN")
	e.Setenv("TF_LOG_PATH", log)
	p := e.Start("apply", "-auto-approve", "-input=false", "-no-color", "-invoke=action.luml_multipart_upload.model")
	waitFor(t, 2*time.Minute, "one part uploaded and the others in flight", func() bool {
		done, held, _ := store.inFlight()
		return done == 1 && held == 2
	})
	p.Interrupt()
	r := p.Wait(time.Minute)
	t.Logf("%s -invoke interrupted (exit %d):\n%s", e.Name(), r.ExitCode, e.Tail(r.Stdout+r.Stderr, 8))
	if strings.Contains(r.Stdout+r.Stderr, "TERRAFORM CRASH") {
		t.Errorf("%s crashed after the interrupt", e.Name())
	}
	if _, _, abandoned := store.inFlight(); abandoned != 2 {
		t.Errorf("the provider abandoned %d of the 2 parts in flight", abandoned)
	}
	if _, completions := store.object("models/" + uploadKey); completions != 0 {
		t.Error("the interrupted upload was completed")
	}
	logged, err := os.ReadFile(log)
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Join(strings.Fields(string(logged)), " ")
	// Part 1 is stored; whether its answer reached the provider before the interrupt is a race
	// the unit tests need not run (TestUploadFileCancelled counts exactly).
	report := regexp.MustCompile(`Upload interrupted: The upload of \S+ to models/model.luml stopped after [01] of 3 ` +
		`parts were uploaded\. The S3 multipart upload clitest-upload-1 stays incomplete, .* until its owner aborts it`)
	if !report.MatchString(text) {
		i := strings.Index(text, "Upload interrupted")
		t.Errorf("the provider's log does not report the interrupted upload (from %d: %.400s)", i, text[max(i, 0):])
	}
}
