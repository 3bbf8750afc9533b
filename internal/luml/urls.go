package luml

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
)

// ConnectionURLs are presigned URLs for the object "test_file" at the bucket's root.
type ConnectionURLs struct {
	PresignedURL string `json:"presigned_url"` // PUT
	DownloadURL  string `json:"download_url"`  // GET
	DeleteURL    string `json:"delete_url"`    // DELETE
}

// ConnectionTestURLs asks for test URLs for a configuration that is not saved.
func (c *Client) ConnectionTestURLs(ctx context.Context, spec SecretSpec) (*ConnectionURLs, error) {
	var out ConnectionURLs
	err := c.do(ctx, request{method: http.MethodPost, path: "/v1/bucket-secrets/urls", body: spec.createBody(), out: &out})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// ExistingSecretURLs asks for test URLs for a saved secret overlaid with spec, for checking
// an edit before it is saved.
func (c *Client) ExistingSecretURLs(ctx context.Context, orgID, id string, spec SecretSpec) (*ConnectionURLs, error) {
	var out ConnectionURLs
	err := c.do(ctx, request{method: http.MethodPost, path: secretPath(orgID, id) + "/urls", body: spec.urlsBody(id), out: &out})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// ConnectionCheckError says which step of the connection check failed.
type ConnectionCheckError struct {
	Step string // "urls", "upload", "range" or "delete"
	Err  error
}

func (e *ConnectionCheckError) Error() string {
	switch e.Step {
	case "urls":
		return "could not get test URLs for the bucket: " + e.Err.Error()
	case "upload":
		return "could not upload a test file to the bucket: " + e.Err.Error()
	case "range":
		return "the bucket failed the range-request check: " + e.Err.Error()
	default:
		return "could not delete the test file from the bucket: " + e.Err.Error()
	}
}

func (e *ConnectionCheckError) Unwrap() error { return e.Err }

var connectionTestBody = []byte("Connection test.")

// CheckConnection runs the check of the official client against the bucket: PUT a small
// object through a presigned URL, GET a byte range of it (the bucket must answer 206) and
// DELETE it. existingID, when set, checks an edit of a saved secret. The storage requests go
// straight to the bucket, without the API key.
func (c *Client) CheckConnection(ctx context.Context, orgID, existingID string, spec SecretSpec) error {
	var urls *ConnectionURLs
	var err error
	if existingID != "" {
		urls, err = c.ExistingSecretURLs(ctx, orgID, existingID, spec)
	} else {
		urls, err = c.ConnectionTestURLs(ctx, spec)
	}
	if err != nil {
		return &ConnectionCheckError{Step: "urls", Err: err}
	}
	return c.checkWithURLs(ctx, urls, spec.Type(), func(string) {})
}

// CheckStoredSecret runs the same check on a saved secret exactly as LUML stores it: the
// request for test URLs names only the secret, so the server signs them with the credentials
// it holds and the caller needs none. progress, when not nil, hears each step ("urls",
// "upload", "range", "delete") before it starts.
func (c *Client) CheckStoredSecret(ctx context.Context, orgID, id string, bucketType BucketType, progress func(step string)) error {
	if progress == nil {
		progress = func(string) {}
	}
	progress("urls")
	var urls ConnectionURLs
	// Keys left out of the body keep their stored values; type must match the stored one.
	body := struct {
		ID   string     `json:"id"`
		Type BucketType `json:"type"`
	}{ID: id, Type: bucketType}
	if err := c.do(ctx, request{method: http.MethodPost, path: secretPath(orgID, id) + "/urls", body: body, out: &urls}); err != nil {
		return &ConnectionCheckError{Step: "urls", Err: err}
	}
	return c.checkWithURLs(ctx, &urls, bucketType, progress)
}

// checkWithURLs is the part of the check that talks to the bucket.
func (c *Client) checkWithURLs(ctx context.Context, urls *ConnectionURLs, bucketType BucketType, progress func(step string)) error {
	storage := c.storage

	put := map[string]string{"Content-Type": "application/octet-stream"}
	if bucketType == BucketTypeAzure {
		put["x-ms-blob-type"] = "BlockBlob"
	}
	progress("upload")
	if _, err := storageCall(ctx, storage, http.MethodPut, urls.PresignedURL, connectionTestBody, put); err != nil {
		return &ConnectionCheckError{Step: "upload", Err: err}
	}
	progress("range")
	status, err := storageCall(ctx, storage, http.MethodGet, urls.DownloadURL, nil, map[string]string{"Range": "bytes=0-10"})
	if err == nil && status != http.StatusPartialContent {
		err = fmt.Errorf("the bucket does not support range requests (expected 206, got %d)", status)
	}
	// The test object is removed whatever the range check said.
	progress("delete")
	_, delErr := storageCall(ctx, storage, http.MethodDelete, urls.DeleteURL, nil, nil)
	if err != nil {
		return &ConnectionCheckError{Step: "range", Err: err}
	}
	if delErr != nil {
		return &ConnectionCheckError{Step: "delete", Err: delErr}
	}
	return nil
}

// storageCall sends one request to a presigned URL. Its errors never quote the URL: the
// signature in it grants access to the bucket.
func storageCall(ctx context.Context, hc *http.Client, method, rawURL string, body []byte, headers map[string]string) (int, error) {
	var reader io.Reader
	if body != nil {
		reader = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, rawURL, reader)
	if err != nil {
		return 0, fmt.Errorf("the server returned an unusable %s URL", method)
	}
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	resp, err := hc.Do(req)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return 0, &StorageError{Method: method, Host: req.URL.Host, Unreachable: transportText(err)}
	}
	defer resp.Body.Close()
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		// An error document is small; what is left of a larger body is drained below.
		raw, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<20))
		return resp.StatusCode, newStorageError(method, req.URL.Host, resp, raw)
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<20))
	return resp.StatusCode, nil
}
