package luml_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/luml-ai/terraform-provider-luml/internal/luml"
)

// refusingHost answers every request with this status, headers and body, as a storage host
// refusing a presigned request does.
func refusingHost(t *testing.T, status int, headers map[string]string, body string) string {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		for k, v := range headers {
			w.Header().Set(k, v)
		}
		w.WriteHeader(status)
		_, _ = w.Write([]byte(body))
	}))
	t.Cleanup(srv.Close)
	return strings.TrimPrefix(srv.URL, "http://")
}

// A refused storage request reports the storage's error code and message, never the URL or
// anything beyond the message's first line.
func TestCheckConnectionStorageError(t *testing.T) {
	long := strings.Repeat("word ", 100)
	tests := []struct {
		name          string
		azure         bool
		status        int
		headers       map[string]string
		body          string
		code, message string
		absent        []string
	}{
		{
			name: "S3 region", status: http.StatusBadRequest,
			body: `<?xml version="1.0" encoding="UTF-8"?><Error><Code>AuthorizationQueryParametersError</Code>` +
				`<Message>Error parsing the X-Amz-Credential parameter; the region 'us-east-1' is wrong; expecting 'eu-central-1'</Message>` +
				`<Region>eu-central-1</Region><RequestId>R1</RequestId></Error>`,
			code:    "AuthorizationQueryParametersError",
			message: "Error parsing the X-Amz-Credential parameter; the region 'us-east-1' is wrong; expecting 'eu-central-1'",
			absent:  []string{"R1"},
		},
		{
			name: "S3 message quoting a URL", status: http.StatusForbidden,
			body: `<Error><Code>SignatureDoesNotMatch</Code><Message>Signature for https://bucket.example/test_file?X-Amz-Signature=abc does not match</Message>` +
				`<StringToSign>AWS4-HMAC-SHA256</StringToSign><AWSAccessKeyId>AKIASHOWN</AWSAccessKeyId></Error>`,
			code:    "SignatureDoesNotMatch",
			message: "Signature for (URL removed) does not match",
			absent:  []string{"X-Amz-Signature", "https://", "AKIASHOWN", "AWS4-HMAC"},
		},
		{
			name: "Azure", azure: true, status: http.StatusForbidden,
			headers: map[string]string{"x-ms-error-code": "AuthenticationFailed"},
			body: "\ufeff<?xml version=\"1.0\" encoding=\"utf-8\"?><Error><Code>AuthenticationFailed</Code><Message>Server failed to authenticate the request. " +
				"Make sure the value of Authorization header is formed correctly including the signature.\nRequestId:0c1d\nTime:2026-01-01T00:00:00Z</Message>" +
				"<AuthenticationErrorDetail>Signature did not match. String to sign used was w</AuthenticationErrorDetail></Error>",
			code: "AuthenticationFailed",
			message: "Server failed to authenticate the request. Make sure the value of Authorization header is formed " +
				"correctly including the signature.",
			absent: []string{"RequestId", "String to sign"},
		},
		{
			name: "Azure, code in the header only", azure: true, status: http.StatusNotFound,
			headers: map[string]string{"x-ms-error-code": "ContainerNotFound"},
			code:    "ContainerNotFound",
		},
		{
			name: "a proxy's HTML page", status: http.StatusBadGateway,
			body:   "<html><body>Bad gateway: http://internal.example/</body></html>",
			absent: []string{"internal.example", "html"},
		},
		{
			name: "a long message", status: http.StatusBadRequest,
			body: "<Error><Code>InvalidArgument</Code><Message>" + long + "</Message></Error>",
			code: "InvalidArgument", message: long[:300] + "...",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newTestEnv(t)
			host := refusingHost(t, tt.status, tt.headers, tt.body)
			var spec luml.SecretSpec = s3SpecAt(host)
			if tt.azure {
				spec = azureSpecAt(host)
			}
			err := e.client.CheckConnection(context.Background(), e.org.ID, "", spec)
			var storageErr *luml.StorageError
			if !errors.As(err, &storageErr) {
				t.Fatalf("got %v, want a storage error", err)
			}
			if storageErr.StatusCode != tt.status || storageErr.Code != tt.code || storageErr.Message != tt.message {
				t.Errorf("status %d, code %q, message %q; want %d, %q, %q", storageErr.StatusCode, storageErr.Code,
					storageErr.Message, tt.status, tt.code, tt.message)
			}
			text := err.Error()
			if tt.code != "" && !strings.Contains(text, tt.code) {
				t.Errorf("the error does not name the code %s: %s", tt.code, text)
			}
			for _, leak := range append(tt.absent, "test_file", "X-Amz-Signature", "sig=", "?") {
				if strings.Contains(text, leak) {
					t.Errorf("the error shows %q: %s", leak, text)
				}
			}
		})
	}
}
