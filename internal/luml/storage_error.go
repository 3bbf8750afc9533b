package luml

import (
	"encoding/xml"
	"fmt"
	"net/http"
	"regexp"
	"strings"
)

// StorageError is a failed request to a presigned URL: either the storage host's refusal, with
// the status and the error code and message S3 and Azure put in the answer's XML body (Azure
// also in the x-ms-error-code header), or no answer at all (StatusCode zero, Unreachable set).
// It never holds the URL: its signature grants access to the bucket.
type StorageError struct {
	Method     string
	Host       string
	StatusCode int
	Code       string // e.g. "SignatureDoesNotMatch", "NoSuchBucket", "AuthenticationFailed"
	Message    string // the host's message, first line only, any URL in it removed
	// Unreachable says why no answer came, e.g. "could not connect to the server (...)".
	Unreachable string
}

func (e *StorageError) Error() string {
	if e.StatusCode == 0 {
		return fmt.Sprintf("%s to %s failed: %s", e.Method, e.Host, e.Unreachable)
	}
	text := fmt.Sprintf("%s to %s answered %d %s", e.Method, e.Host, e.StatusCode, http.StatusText(e.StatusCode))
	switch {
	case e.Code != "" && e.Message != "":
		return text + ": " + e.Code + ": " + e.Message
	case e.Code != "":
		return text + ": " + e.Code
	}
	return text
}

// storageErrorBody is the error document of S3 (<Error><Code>..<Message>..) and of Azure
// Blob storage, which has the same two elements.
type storageErrorBody struct {
	Code    string `xml:"Code"`
	Message string `xml:"Message"`
}

// maxStorageMessage bounds the message shown: hosts may explain at length.
const maxStorageMessage = 300

var urlInText = regexp.MustCompile(`[a-zA-Z][a-zA-Z0-9+.-]*://\S+`)

// newStorageError reads the code and message of a refusal from its body and headers.
func newStorageError(method, host string, resp *http.Response, body []byte) *StorageError {
	e := &StorageError{Method: method, Host: host, StatusCode: resp.StatusCode}
	var doc storageErrorBody
	if xml.Unmarshal(body, &doc) == nil {
		e.Code = strings.TrimSpace(doc.Code)
		e.Message = cleanStorageMessage(doc.Message)
	}
	if e.Code == "" {
		// Azure names the error in a header too, which is all a HEAD answer carries.
		e.Code = strings.TrimSpace(resp.Header.Get("x-ms-error-code"))
	}
	return e
}

// cleanStorageMessage keeps the first line (Azure appends RequestId and Time on the next
// ones), removes URLs, which could be the signed one, and bounds the length.
func cleanStorageMessage(m string) string {
	m, _, _ = strings.Cut(strings.TrimSpace(m), "\n")
	m = strings.TrimSpace(urlInText.ReplaceAllString(m, "(URL removed)"))
	if len(m) > maxStorageMessage {
		m = strings.ToValidUTF8(m[:maxStorageMessage], "") + "..."
	}
	return m
}
