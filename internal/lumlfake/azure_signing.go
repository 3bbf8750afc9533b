package lumlfake

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"net/http"
	"strings"
	"time"
)

// azureSASVersion is the sv that azure-storage-blob 12.27, the server's, signs with.
const azureSASVersion = "2025-11-05"

// azureBlob is the container a connection string and bucket name point to.
type azureBlob struct {
	serviceURL string // scheme://host[/path] of the blob service
	container  string
	account    string
	key        string
}

// newAzureBlob builds the container client as the server's AzureBlobClient
// does: a connection string that BlobServiceClient refuses gives 400, and a
// missing AccountName or AccountKey part an uncaught ValueError (500).
func newAzureBlob(cfg bucketConfig) (azureBlob, response, bool) {
	clientErr := detail(http.StatusBadRequest, "Failed to create Azure Blob Service client.")
	conn := deref(cfg.Endpoint)
	if !strings.Contains(conn, "AccountName=") {
		return azureBlob{}, clientErr, false
	}
	serviceURL, ok := azureServiceURL(conn)
	container := deref(cfg.BucketName)
	if !ok || container == "" {
		return azureBlob{}, clientErr, false
	}
	account, okName := connectionField(conn, "AccountName")
	key, okKey := connectionField(conn, "AccountKey")
	if !okName || !okKey {
		return azureBlob{}, internalError(), false
	}
	return azureBlob{serviceURL: serviceURL, container: container, account: account, key: key}, response{}, true
}

// azureServiceURL derives the blob service URL from a connection string as
// the Azure SDK's parse_connection_str and account URL parsing do.
func azureServiceURL(conn string) (string, bool) {
	settings := map[string]string{}
	for _, part := range strings.Split(strings.TrimRight(conn, ";"), ";") {
		k, v, ok := strings.Cut(part, "=")
		if !ok {
			return "", false
		}
		settings[strings.ToUpper(k)] = v
	}
	primary := settings["BLOBENDPOINT"]
	if _, ok := settings["BLOBENDPOINT"]; !ok {
		if _, ok := settings["BLOBSECONDARYENDPOINT"]; ok {
			return "", false
		}
		proto, ok1 := settings["DEFAULTENDPOINTSPROTOCOL"]
		name, ok2 := settings["ACCOUNTNAME"]
		suffix, ok3 := settings["ENDPOINTSUFFIX"]
		if ok1 && ok2 && ok3 {
			primary = proto + "://" + name + ".blob." + suffix
		}
	}
	if primary == "" {
		name, ok := settings["ACCOUNTNAME"]
		if !ok {
			return "", false
		}
		suffix, ok := settings["ENDPOINTSUFFIX"]
		if !ok {
			suffix = "core.windows.net"
		}
		primary = "https://" + name + ".blob." + suffix
	}
	if !strings.HasPrefix(strings.ToLower(primary), "http") {
		primary = "https://" + primary
	}
	scheme, rest, ok := strings.Cut(strings.TrimRight(primary, "/"), "://")
	if i := strings.IndexAny(rest, "?#"); i >= 0 {
		rest = rest[:i]
	}
	netloc, _, _ := strings.Cut(rest, "/")
	if !ok || netloc == "" {
		return "", false
	}
	return strings.ToLower(scheme) + "://" + strings.TrimRight(rest, "/"), true
}

// connectionField is the server's _extract_field_from_connection_string.
func connectionField(conn, field string) (string, bool) {
	for _, part := range strings.Split(conn, ";") {
		if v, ok := strings.CutPrefix(part, field+"="); ok {
			return v, true
		}
	}
	return "", false
}

// sasURL is the blob URL with a service SAS (sr=b) signed, as
// generate_blob_sas signs it, with HMAC-SHA256 of the account key.
func (b azureBlob) sasURL(blob, perm string, expiry time.Time) (string, error) {
	key, err := pyB64Decode(b.key)
	if err != nil {
		return "", err
	}
	se := expiry.UTC().Format("2006-01-02T15:04:05Z")
	stringToSign := strings.Join([]string{
		perm, "", se,
		"/blob/" + b.account + "/" + b.container + "/" + blob,
		"", "", "", // identifier, IP, protocol
		azureSASVersion, "b",
		"", "", // snapshot time, encryption scope
		"", "", "", "", "", // response header overrides
	}, "\n")
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte(stringToSign))
	sig := base64.StdEncoding.EncodeToString(mac.Sum(nil))
	return b.serviceURL + "/" + pyQuote(b.container, "/") + "/" + pyQuote(blob, "/") +
		"?se=" + pyQuote(se, "/") + "&sp=" + perm + "&sv=" + azureSASVersion + "&sr=b&sig=" + pyQuote(sig, "/"), nil
}

// pyB64Decode is Python's lenient base64.b64decode: characters outside the
// alphabet are dropped, but the padding must be right.
func pyB64Decode(s string) ([]byte, error) {
	var data strings.Builder
	padding := 0
	for _, c := range s {
		switch {
		case c == '=':
			padding++
		case c >= 'A' && c <= 'Z', c >= 'a' && c <= 'z', c >= '0' && c <= '9', c == '+', c == '/':
			if padding > 0 {
				return nil, fmt.Errorf("discontinuous padding")
			}
			data.WriteRune(c)
		}
	}
	n := data.Len()
	if n%4 == 1 || (n%4 != 0 && padding < 4-n%4) {
		return nil, fmt.Errorf("incorrect padding")
	}
	return base64.RawStdEncoding.DecodeString(data.String())
}
