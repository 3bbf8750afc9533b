// Command multipartupload uploads a file through the presigned URLs of a
// luml_multipart_upload_urls ephemeral resource or data source, from a local-exec
// provisioner:
//
//	provisioner "local-exec" {
//	  command     = "multipartupload ${var.file}"
//	  environment = { MULTIPART_UPLOAD = jsonencode(ephemeral.luml_multipart_upload_urls.file) }
//	}
//
// It PUTs each part's byte range to its URL. For S3 it then POSTs the CompleteMultipartUpload
// XML with the parts' ETags to complete_url; for Azure each part is a block (Put Block), and
// it PUTs the block list XML to complete_url (Put Block List). It exits non-zero on any failure
// and never prints a URL: they grant write access to the bucket.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"time"
)

const uploadEnv = "MULTIPART_UPLOAD"

// upload is the part of the Terraform object this command needs. part_urls[i] is the URL of
// parts[i].
type upload struct {
	Type        string   `json:"type"`
	Parts       []part   `json:"parts"`
	PartURLs    []string `json:"part_urls"`
	CompleteURL string   `json:"complete_url"`
}

type part struct {
	PartNumber int    `json:"part_number"`
	URL        string `json:"-"`
	StartByte  int64  `json:"start_byte"`
	EndByte    int64  `json:"end_byte"`
}

// size is the part's length in bytes (end_byte is inclusive).
func (p part) size() int64 { return p.EndByte - p.StartByte + 1 }

type completedPart struct {
	PartNumber int    `xml:"PartNumber"`
	ETag       string `xml:"ETag"`
}

type completeMultipartUpload struct {
	XMLName xml.Name        `xml:"CompleteMultipartUpload"`
	Parts   []completedPart `xml:"Part"`
}

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintf(os.Stderr, "usage: %s FILE (with the upload's JSON in $%s)\n", os.Args[0], uploadEnv)
		os.Exit(2)
	}
	if err := run(context.Background(), os.Args[1], os.Getenv(uploadEnv)); err != nil {
		fmt.Fprintln(os.Stderr, "multipartupload:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, filePath, uploadJSON string) error {
	var u upload
	if err := json.Unmarshal([]byte(uploadJSON), &u); err != nil {
		return fmt.Errorf("$%s does not hold the upload's JSON: %w", uploadEnv, err)
	}
	if len(u.Parts) == 0 || u.CompleteURL == "" || len(u.PartURLs) != len(u.Parts) {
		return fmt.Errorf("$%s has no parts, no complete_url, or not one URL per part in part_urls", uploadEnv)
	}
	for i := range u.Parts {
		u.Parts[i].URL = u.PartURLs[i]
	}
	f, err := os.Open(filePath)
	if err != nil {
		return err
	}
	defer f.Close()

	client := &http.Client{Timeout: 30 * time.Minute}
	var uploaded int64
	switch u.Type {
	case "s3":
		uploaded, err = uploadS3(ctx, client, f, u)
	case "azure":
		uploaded, err = uploadAzure(ctx, client, f, u)
	default:
		return fmt.Errorf("$%s: unknown storage type %q", uploadEnv, u.Type)
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "multipartupload: uploaded %d parts (%s), %d bytes\n", len(u.Parts), u.Type, uploaded)
	return nil
}

// putPart PUTs a part's byte range of f to its URL.
func putPart(ctx context.Context, client *http.Client, f *os.File, p part) (*response, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPut, p.URL, io.NewSectionReader(f, p.StartByte, p.size()))
	if err != nil {
		return nil, fmt.Errorf("part %d: invalid URL", p.PartNumber)
	}
	req.ContentLength = p.size()
	resp, err := send(client, req)
	if err != nil {
		return nil, fmt.Errorf("part %d: %w", p.PartNumber, err)
	}
	return resp, nil
}

// uploadS3 PUTs the parts, then completes the upload with their ETags.
func uploadS3(ctx context.Context, client *http.Client, f *os.File, u upload) (int64, error) {
	done := completeMultipartUpload{Parts: make([]completedPart, 0, len(u.Parts))}
	var uploaded int64
	for _, p := range u.Parts {
		resp, err := putPart(ctx, client, f, p)
		if err != nil {
			return 0, err
		}
		etag := resp.header.Get("ETag")
		if etag == "" {
			return 0, fmt.Errorf("part %d: the answer has no ETag header", p.PartNumber)
		}
		done.Parts = append(done.Parts, completedPart{PartNumber: p.PartNumber, ETag: etag})
		uploaded += p.size()
	}

	body, err := xml.Marshal(done)
	if err != nil {
		return 0, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u.CompleteURL, bytes.NewReader(body))
	if err != nil {
		return 0, errors.New("complete: invalid URL")
	}
	req.Header.Set("Content-Type", "application/xml")
	resp, err := send(client, req)
	if err != nil {
		return 0, fmt.Errorf("complete: %w", err)
	}
	// S3 may report a failed completion in the body of a 200 answer.
	if bytes.Contains(resp.body, []byte("<Error>")) {
		return 0, errors.New("complete: the server reported an error in its answer")
	}
	return uploaded, nil
}

type response struct {
	header http.Header
	body   []byte
}

// send makes one request and fails on a non-2xx status. Its errors never carry the URL.
func send(client *http.Client, req *http.Request) (*response, error) {
	resp, err := client.Do(req)
	if err != nil {
		var urlErr *url.Error
		if errors.As(err, &urlErr) {
			err = urlErr.Err
		}
		return nil, fmt.Errorf("%s failed: %v", req.Method, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return nil, fmt.Errorf("%s: reading the answer: %v", req.Method, err)
	}
	if resp.StatusCode/100 != 2 {
		return nil, fmt.Errorf("%s answered %s", req.Method, resp.Status)
	}
	return &response{header: resp.Header, body: body}, nil
}
