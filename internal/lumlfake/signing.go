package lumlfake

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"
	"github.com/minio/minio-go/v7/pkg/s3utils"
)

const (
	urlExpiry      = 12 * time.Hour
	testObjectName = "test_file"
	// azureSASVersion is the sv the Azure SDK signs with.
	azureSASVersion = "2025-11-05"
	// maxParts bounds a multipart answer. The real server has no limit and
	// would spend minutes signing a petabyte's parts; 5 TiB needs 5120.
	maxParts = 100_000
)

// bucketConfig is what the server builds a storage client from: a stored
// secret, possibly overlaid with request fields, or a create body.
type bucketConfig struct {
	Type         BucketType
	Endpoint     *string
	BucketName   *string
	AccessKey    *string
	SecretKey    *string
	SessionToken *string
	Region       *string
	Secure       *bool
}

func configOf(sec StoredSecret) bucketConfig {
	return bucketConfig{
		Type:         sec.Type,
		Endpoint:     &sec.Endpoint,
		BucketName:   &sec.BucketName,
		AccessKey:    sec.AccessKey,
		SecretKey:    sec.SecretKey,
		SessionToken: sec.SessionToken,
		Region:       sec.Region,
		Secure:       sec.Secure,
	}
}

func deref(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

// objectURLs answers the connection-test endpoints: upload, download and
// delete URLs for the object test_file.
func (s *Server) objectURLs(cfg bucketConfig) response {
	var put, get, del string
	if cfg.Type == BucketAzure {
		blob, resp, ok := newAzureBlob(cfg)
		if !ok {
			return resp
		}
		expiry := s.clock().Add(urlExpiry)
		for _, u := range []struct {
			dst  *string
			perm string
		}{{&put, "cw"}, {&get, "r"}, {&del, "d"}} {
			var err error
			if *u.dst, err = blob.sasURL(testObjectName, u.perm, expiry); err != nil {
				return detail(http.StatusBadRequest, "Failed to generate SAS URL.")
			}
		}
	} else {
		client, ok := newS3Client(cfg)
		if !ok {
			return internalError()
		}
		ctx, bucket := context.Background(), deref(cfg.BucketName)
		signers := []struct {
			dst  *string
			what string
			sign func() (*url.URL, error)
		}{
			{&put, "upload", func() (*url.URL, error) {
				return client.PresignedPutObject(ctx, bucket, testObjectName, urlExpiry)
			}},
			{&get, "download", func() (*url.URL, error) {
				return client.PresignedGetObject(ctx, bucket, testObjectName, urlExpiry, nil)
			}},
			{&del, "delete", func() (*url.URL, error) {
				return client.Presign(ctx, http.MethodDelete, bucket, testObjectName, urlExpiry, nil)
			}},
		}
		for _, sg := range signers {
			u, err := sg.sign()
			if err != nil {
				return detail(http.StatusBadRequest, fmt.Sprintf("Failed to generate %s URL: %v", sg.what, err))
			}
			*sg.dst = u.String()
		}
	}
	return jsonResponse(http.StatusOK, obj("presigned_url", put, "download_url", get, "delete_url", del))
}

// optimalPartSize is _calculate_optimal_chunk_size; the thresholds are
// inclusive.
func optimalPartSize(size int64) int64 {
	switch {
	case size <= 1<<30:
		return 32 << 20
	case size <= 5<<30:
		return 64 << 20
	case size <= 10<<30:
		return 128 << 20
	case size <= 100<<30:
		return 512 << 20
	}
	return 1 << 30
}

// partsCount is math.ceil(size / part_size), which is 0 for size <= 0.
func partsCount(size, partSize int64) int64 {
	if size <= 0 {
		return 0
	}
	return (size-1)/partSize + 1
}

func partDetails(urls []string, size, partSize int64) []*object {
	parts := make([]*object, len(urls))
	var start int64
	for i, u := range urls {
		n := min(partSize, size-int64(i)*partSize)
		parts[i] = obj("part_number", i+1, "url", u, "start_byte", start, "end_byte", start+n-1, "part_size", n)
		start += n
	}
	return parts
}

// multipartURLs is create_multipart_upload of the storage clients. For S3
// the server never contacts the bucket: the client started the upload and
// passes its upload_id, which the server requires with a bare ValueError
// (500) when it is missing.
func (s *Server) multipartURLs(cfg bucketConfig, location string, size int64, uploadID *string) response {
	partSize := optimalPartSize(size)
	count := partsCount(size, partSize)
	if count > maxParts {
		return internalError()
	}
	urls := make([]string, count)
	if cfg.Type == BucketAzure {
		blob, resp, ok := newAzureBlob(cfg)
		if !ok {
			return resp
		}
		sas, err := blob.sasURL(location, "cw", s.clock().Add(urlExpiry))
		if err != nil {
			if count > 0 {
				return detail(http.StatusBadRequest, "Failed to generate multipart upload URLs.")
			}
			return detail(http.StatusBadRequest, "Failed to generate SAS URL.")
		}
		for i := range urls {
			blockID := base64.StdEncoding.EncodeToString(fmt.Appendf(nil, "block-%08d", i+1))
			urls[i] = sas + "&comp=block&blockid=" + blockID
		}
		return jsonResponse(http.StatusOK, obj(
			"type", string(BucketAzure),
			"parts", partDetails(urls, size, partSize),
			"complete_url", sas+"&comp=blocklist",
		))
	}
	client, ok := newS3Client(cfg)
	if !ok || uploadID == nil {
		return internalError()
	}
	bucket := deref(cfg.BucketName)
	if err := presignParts(client, bucket, location, *uploadID, urls); err != nil {
		return detail(http.StatusBadRequest, "Failed to generate URL: "+err.Error())
	}
	complete, err := client.Presign(context.Background(), http.MethodPost, bucket, location, urlExpiry, url.Values{"uploadId": {*uploadID}})
	if err != nil {
		return detail(http.StatusBadRequest, "Failed to generate complete URL: "+err.Error())
	}
	return jsonResponse(http.StatusOK, obj(
		"type", string(BucketS3),
		"upload_id", *uploadID,
		"parts", partDetails(urls, size, partSize),
		"complete_url", complete.String(),
	))
}

// presignParts fills urls with the presigned PUT of each part. Signing is
// spread over the CPUs: a 5 TiB upload has 5120 parts.
func presignParts(client *minio.Client, bucket, location, uploadID string, urls []string) error {
	workers := min(runtime.GOMAXPROCS(0), len(urls))
	errs := make([]error, workers)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for i := w; i < len(urls); i += workers {
				u, err := client.Presign(context.Background(), http.MethodPut, bucket, location, urlExpiry, url.Values{
					"partNumber": {strconv.Itoa(i + 1)},
					"uploadId":   {uploadID},
				})
				if err != nil {
					errs[w] = err
					return
				}
				urls[i] = u.String()
			}
		})
	}
	wg.Wait()
	return errors.Join(errs...)
}

// newS3Client builds the minio client as the server's Minio(...) call does.
// Failures there are uncaught exceptions (500): no endpoint, a path, query,
// fragment, user info or bad port in the endpoint, an invalid region, or an
// access key without a secret key. Unlike the server, which may look an
// empty region up over the network, the emulator never does I/O: it takes
// the region from an AWS host name, else us-east-1.
func newS3Client(cfg bucketConfig) (*minio.Client, bool) {
	if cfg.Endpoint == nil {
		return nil, false
	}
	host, ok := minioHost(*cfg.Endpoint)
	if !ok {
		return nil, false
	}
	region := deref(cfg.Region)
	if region != "" && !validRegion(region) {
		return nil, false
	}
	accessKey := deref(cfg.AccessKey)
	if accessKey != "" && cfg.SecretKey == nil {
		return nil, false
	}
	client, err := minio.New(host, &minio.Options{
		Creds:  credentials.NewStaticV4(accessKey, deref(cfg.SecretKey), deref(cfg.SessionToken)),
		Secure: cfg.Secure == nil || *cfg.Secure,
		Region: region,
		CustomRegionViaURL: func(u url.URL) string {
			if r := s3utils.GetRegionFromURL(u); r != "" {
				return r
			}
			return "us-east-1"
		},
	})
	return client, err == nil
}

// minioHost checks the endpoint as minio-py's BaseURL checks
// urlsplit("https://" + endpoint) and returns its host[:port].
func minioHost(endpoint string) (string, bool) {
	netloc, rest := endpoint, ""
	if i := strings.IndexAny(endpoint, "/?#"); i >= 0 {
		netloc, rest = endpoint[:i], endpoint[i:]
	}
	rest, fragment, _ := strings.Cut(rest, "#")
	path, query, _ := strings.Cut(rest, "?")
	if (path != "" && path != "/") || query != "" || fragment != "" {
		return "", false
	}
	hostinfo := netloc
	if i := strings.LastIndexByte(netloc, '@'); i >= 0 {
		if netloc[:i] != "" && netloc[:i] != ":" {
			return "", false // user name or password
		}
		hostinfo = netloc[i+1:]
	}
	hostname, port := hostinfo, ""
	if strings.HasPrefix(hostinfo, "[") {
		end := strings.IndexByte(hostinfo, ']')
		if end < 0 {
			return "", false
		}
		hostname = hostinfo[1:end]
		_, port, _ = strings.Cut(hostinfo[end+1:], ":")
	} else {
		hostname, port, _ = strings.Cut(hostinfo, ":")
	}
	if port != "" {
		if _, err := strconv.ParseUint(port, 10, 16); err != nil {
			return "", false
		}
	}
	return hostinfo, hostname != ""
}

// validRegion is minio-py's region check:
// ^((?!_)(?!-)[a-z_\d-]{1,63}(?<!-)(?<!_))$, ignoring case.
func validRegion(r string) bool {
	if len(r) > 63 || strings.ContainsAny(r[:1]+r[len(r)-1:], "-_") {
		return false
	}
	for _, c := range r {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

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
