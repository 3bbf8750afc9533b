package main

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"
	"golang.org/x/sync/errgroup"

	"github.com/luml-ai/terraform-provider-luml/internal/luml"
	"github.com/luml-ai/terraform-provider-luml/internal/lumlfake"
)

// The upload section measures action luml_multipart_upload uploading a file of 1 GiB + 1 byte
// (17 parts of 64 MiB) to versitygw, against the physical limit on the same machine: the same
// parts, through URLs from the same API, PUT by a plain Go loop with the same concurrency to
// the same versitygw, then completed the same way. They take turns at going first, reps times
// each. The action's time is the whole `terraform apply -invoke`; the provider's peak resident
// set is read while it runs. To tell the two costs apart, each run also times the provider's
// upload code alone in this process, and the action uploading a 1-byte file (Terraform's fixed
// cost).

const (
	uploadFileSize    = gib + 1
	uploadConcurrency = 4
	// targetUploadRatio: the action's time within this factor of the plain loop's.
	targetUploadRatio = 1.3
	// targetUploadMemory: the provider's peak resident set during the upload.
	targetUploadMemory = memoryPeak(150 << 20)
	uploadBucket       = "bench-upload"
	uploadKeyPrefix    = "models/bench-"
	uploadAccessKey    = "bench-upload-access"
	uploadSecretKey    = "bench-upload-secret-key-0123456789"
	uploadRegion       = "us-east-1"
)

// uploadConfig is the section's part of the configuration.
type uploadConfig struct {
	terraform string // a Terraform of 1.14 or later; "" skips the section
	versitygw string
	only      bool
}

func uploadFlags(fs *flag.FlagSet, c *uploadConfig) {
	fs.StringVar(&c.terraform, "upload-terraform", "", "a terraform binary of 1.14 or later, for the upload action section (empty: skip it)")
	fs.StringVar(&c.versitygw, "versitygw", "../.bin/versitygw-v1.8.0/versitygw", "versitygw binary, the S3 server of the upload section")
	fs.BoolVar(&c.only, "upload-only", false, "run the upload section alone and print it, writing no results")
}

// uploadResults are the section's measurements.
type uploadResults struct {
	terraformVersion string
	action, loop     []time.Duration
	// engine is the provider's upload code called in this process, without Terraform;
	// fixed is the action uploading a 1-byte file: Terraform's and the provider's fixed cost.
	engine, fixed []time.Duration
	memory        []memoryPeak
}

// measureUpload runs the section when cfg.upload.terraform is set.
func measureUpload(ctx context.Context, cfg config, work, pluginDir string, api *emulator, res *results, log io.Writer) error {
	if cfg.upload.terraform == "" {
		fmt.Fprintln(log, "upload section skipped: set -upload-terraform to a Terraform of 1.14 or later")
		return nil
	}
	tf, err := newTerraform(cfg.upload.terraform, work, pluginDir, api.env(), cfg.parallelism)
	if err != nil {
		return err
	}
	endpoint, stop, err := startVersityGW(ctx, cfg.upload.versitygw, work)
	if err != nil {
		return err
	}
	defer stop()
	s3, err := minio.NewCore(endpoint, &minio.Options{
		Creds: credentials.NewStaticV4(uploadAccessKey, uploadSecretKey, ""), Region: uploadRegion,
	})
	if err != nil {
		return err
	}
	if err := s3.MakeBucket(ctx, uploadBucket, minio.MakeBucketOptions{Region: uploadRegion}); err != nil {
		return err
	}
	secure := false
	secret := api.fake.InsertSecret(api.org.ID, lumlfake.StoredSecret{
		Type: "s3", Endpoint: endpoint, BucketName: uploadBucket, Region: ptr(uploadRegion),
		AccessKey: ptr(uploadAccessKey), SecretKey: ptr(uploadSecretKey), Secure: &secure,
	})
	file := filepath.Join(work, "upload.luml")
	if err := writeUploadFile(file); err != nil {
		return err
	}
	defer os.Remove(file)
	oneByte := filepath.Join(work, "one-byte.luml")
	if err := os.WriteFile(oneByte, []byte{1}, 0o600); err != nil {
		return err
	}
	client, err := luml.New(luml.Config{BaseURL: api.url, APIKey: api.apiKey})
	if err != nil {
		return err
	}

	u := &uploadResults{terraformVersion: tf.version}
	res.upload = u
	// The three uploads of 1 GiB take turns at going first, and each starts with the disk's
	// dirty pages written: versitygw writes 2 GiB per upload (the parts, then the object), and
	// the kernel's writeback of one upload would otherwise slow down the next.
	type variant struct {
		name string
		run  func(key string) (measured, error)
	}
	variants := []variant{
		{"plain loop", func(key string) (measured, error) {
			d, err := uploadByLoop(ctx, s3, client, secret.ID, key, file)
			return measured{wall: d}, err
		}},
		{"action", func(key string) (measured, error) { return uploadByAction(ctx, tf, s3, secret.ID, key, file) }},
		{"upload code in process", func(key string) (measured, error) {
			d, err := uploadByEngine(ctx, s3, client, secret.ID, key, file)
			return measured{wall: d}, err
		}},
	}
	for rep := range cfg.reps {
		times := map[string]measured{}
		for i := range variants {
			v := variants[(rep+i)%len(variants)]
			key := fmt.Sprintf("%s%s-%d.luml", uploadKeyPrefix, strings.ReplaceAll(v.name, " ", "-"), rep)
			syscall.Sync()
			res.waited += waitForQuiet(ctx, cfg.quietWait)
			m, err := v.run(key)
			if err != nil {
				return fmt.Errorf("%s: %w", v.name, err)
			}
			if err := checkUploaded(ctx, s3, key); err != nil {
				return err
			}
			_ = s3.RemoveObject(ctx, uploadBucket, key, minio.RemoveObjectOptions{})
			times[v.name] = m
		}
		small, err := uploadByAction(ctx, tf, s3, secret.ID, uploadKeyPrefix+"one-byte.luml", oneByte)
		if err != nil {
			return fmt.Errorf("upload action, 1 byte: %w", err)
		}
		loop, action, engine := times["plain loop"].wall, times["action"], times["upload code in process"].wall
		u.loop, u.action, u.engine = append(u.loop, loop), append(u.action, action.wall), append(u.engine, engine)
		u.memory, u.fixed = append(u.memory, action.memory), append(u.fixed, small.wall)
		fmt.Fprintf(log, "upload 1 GiB + 1 byte run %d: plain loop %.2fs, action %.2fs (provider peak RSS %s), ratio %.2f; "+
			"upload code in process %.2fs; action of 1 byte %.2fs\n", rep+1, loop.Seconds(), action.wall.Seconds(),
			formatMemory(int64(action.memory)), action.wall.Seconds()/loop.Seconds(), engine.Seconds(), small.wall.Seconds())
	}
	return nil
}

// writeUploadFile writes the file to upload: random bytes, so that nothing on the way can
// take a shortcut.
func writeUploadFile(path string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	_, err = io.Copy(f, io.LimitReader(rand.NewChaCha8([32]byte{'b', 'e', 'n', 'c', 'h'}), uploadFileSize))
	return errors.Join(err, f.Close())
}

func checkUploaded(ctx context.Context, s3 *minio.Core, key string) error {
	info, err := s3.StatObject(ctx, uploadBucket, key, minio.StatObjectOptions{})
	if err != nil {
		return fmt.Errorf("object %s: %w", key, err)
	}
	if info.Size != uploadFileSize {
		return fmt.Errorf("object %s has %d bytes, want %d", key, info.Size, uploadFileSize)
	}
	return nil
}

// uploadByAction runs `terraform apply -invoke` of the action in a fresh directory.
func uploadByAction(ctx context.Context, tf *terraform, s3 *minio.Core, secretID, key, file string) (measured, error) {
	uploadID, err := s3.NewMultipartUpload(ctx, uploadBucket, key, minio.PutObjectOptions{})
	if err != nil {
		return measured{}, err
	}
	dir, err := os.MkdirTemp(tf.work, "upload-")
	if err != nil {
		return measured{}, err
	}
	defer os.RemoveAll(dir)
	config := fmt.Sprintf(`terraform {
  required_providers {
    luml = {
      source = "luml-ai/luml"
    }
  }
}

action "luml_multipart_upload" "bench" {
  config {
    bucket_secret_id = %q
    bucket_location  = %q
    source           = %q
    upload_id        = %q
    concurrency      = %d
  }
}
`, secretID, key, file, uploadID, uploadConcurrency)
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(config), 0o600); err != nil {
		return measured{}, err
	}
	cmd := tf.command(ctx, dir, "apply", "-auto-approve", "-input=false", "-no-color", "-invoke=action.luml_multipart_upload.bench")
	var output bytes.Buffer
	cmd.Stdout, cmd.Stderr = &output, &output
	m, err := runMeasured(cmd)
	if err != nil {
		return measured{}, fmt.Errorf("%w\n%s", err, tail(output.String(), 30))
	}
	return m, nil
}

// uploadByEngine is the provider's upload code alone: luml.Client.UploadFile in this process.
func uploadByEngine(ctx context.Context, s3 *minio.Core, client *luml.Client, secretID, key, file string) (time.Duration, error) {
	uploadID, err := s3.NewMultipartUpload(ctx, uploadBucket, key, minio.PutObjectOptions{})
	if err != nil {
		return 0, err
	}
	started := time.Now()
	_, err = client.UploadFile(ctx, file, luml.MultipartRequest{BucketSecretID: secretID, BucketLocation: key, UploadID: &uploadID},
		luml.UploadOptions{Concurrency: uploadConcurrency})
	return time.Since(started), err
}

// uploadByLoop is the floor: the URLs from the same API, each part PUT from a section reader
// of the file by a plain Go loop, uploadConcurrency at a time, then the upload completed.
func uploadByLoop(ctx context.Context, s3 *minio.Core, client *luml.Client, secretID, key, file string) (time.Duration, error) {
	uploadID, err := s3.NewMultipartUpload(ctx, uploadBucket, key, minio.PutObjectOptions{})
	if err != nil {
		return 0, err
	}
	f, err := os.Open(file)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	started := time.Now()
	upload, err := client.MultipartUploadURLs(ctx, luml.MultipartRequest{
		BucketSecretID: secretID, BucketLocation: key, Size: uploadFileSize, UploadID: &uploadID,
	})
	if err != nil {
		return 0, err
	}
	etags := make([]string, len(upload.Parts))
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(uploadConcurrency)
	for i, p := range upload.Parts {
		g.Go(func() error {
			size := p.EndByte - p.StartByte + 1
			req, err := http.NewRequestWithContext(gctx, http.MethodPut, p.URL, io.NewSectionReader(f, p.StartByte, size))
			if err != nil {
				return err
			}
			req.ContentLength = size
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				return err
			}
			_, _ = io.Copy(io.Discard, resp.Body)
			_ = resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				return fmt.Errorf("part %d: %s", p.PartNumber, resp.Status)
			}
			etags[i] = resp.Header.Get("ETag")
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return 0, err
	}
	var body strings.Builder
	body.WriteString("<CompleteMultipartUpload>")
	for i, etag := range etags {
		fmt.Fprintf(&body, "<Part><PartNumber>%d</PartNumber><ETag>", i+1)
		_ = xml.EscapeText(&body, []byte(etag))
		body.WriteString("</ETag></Part>")
	}
	body.WriteString("</CompleteMultipartUpload>")
	resp, err := http.Post(upload.CompleteURL, "application/xml", strings.NewReader(body.String())) //nolint:noctx // the loop stands for the simplest client
	if err != nil {
		return 0, err
	}
	answer, _ := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	if resp.StatusCode != http.StatusOK || bytes.Contains(answer, []byte("<Error>")) {
		return 0, fmt.Errorf("completing: %s", resp.Status)
	}
	return time.Since(started), nil
}

// startVersityGW runs versitygw on a free loopback port with a posix root under work.
func startVersityGW(ctx context.Context, bin, work string) (string, func(), error) {
	if _, err := os.Stat(bin); err != nil {
		return "", nil, fmt.Errorf("versitygw: %w (build it with `make tools`, or pass -versitygw)", err)
	}
	root, err := os.MkdirTemp(work, "versitygw-")
	if err != nil {
		return "", nil, err
	}
	ln, err := (&net.ListenConfig{}).Listen(ctx, "tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	endpoint := ln.Addr().String()
	_ = ln.Close()
	cmd := exec.CommandContext(ctx, bin, "--access", uploadAccessKey, "--secret", uploadSecretKey, "--port", endpoint, "posix", root) //nolint:gosec // the binary the user chose
	if err := cmd.Start(); err != nil {
		return "", nil, err
	}
	stop := func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		_ = os.RemoveAll(root)
	}
	for deadline := time.Now().Add(30 * time.Second); ; {
		resp, err := http.Get("http://" + endpoint + "/") //nolint:noctx // a probe
		if err == nil {
			_ = resp.Body.Close()
			return endpoint, stop, nil
		}
		if time.Now().After(deadline) {
			stop()
			return "", nil, fmt.Errorf("versitygw did not answer on %s", endpoint)
		}
		time.Sleep(100 * time.Millisecond)
	}
}
