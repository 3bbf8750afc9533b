package lumlfake

import (
	"cmp"
	"context"
	"encoding/base64"
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"
	"github.com/minio/minio-go/v7/pkg/s3utils"
	"github.com/minio/minio-go/v7/pkg/signer"

	"github.com/luml-ai/terraform-provider-luml/internal/partplan"
)

const (
	urlExpiry      = 12 * time.Hour
	testObjectName = "test_file"
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
		s3, ok := newS3Signer(cfg)
		if !ok {
			return internalError()
		}
		for _, u := range []struct {
			dst          *string
			method, what string
		}{{&put, http.MethodPut, "upload"}, {&get, http.MethodGet, "download"}, {&del, http.MethodDelete, "delete"}} {
			var err error
			if *u.dst, err = s3.presign(u.method, testObjectName, nil); err != nil {
				return detail(http.StatusBadRequest, fmt.Sprintf("Failed to generate %s URL: %v", u.what, err))
			}
		}
	}
	return jsonResponse(http.StatusOK, obj("presigned_url", put, "download_url", get, "delete_url", del))
}

// multipartURLs is create_multipart_upload of the storage clients. For S3
// the server never contacts the bucket: the client started the upload and
// passes its upload_id, which the server requires with a bare ValueError
// (500) when it is missing.
func (s *Server) multipartURLs(cfg bucketConfig, location string, size int64, uploadID *string) response {
	partSize := partplan.PartSize(size)
	count := partplan.Count(size)
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
	s3, ok := newS3Signer(cfg)
	if !ok || uploadID == nil {
		return internalError()
	}
	if err := s3.presignParts(location, *uploadID, urls); err != nil {
		return detail(http.StatusBadRequest, "Failed to generate URL: "+err.Error())
	}
	complete, err := s3.presign(http.MethodPost, location, url.Values{"uploadId": {*uploadID}})
	if err != nil {
		return detail(http.StatusBadRequest, "Failed to generate complete URL: "+err.Error())
	}
	return jsonResponse(http.StatusOK, obj(
		"type", string(BucketS3),
		"upload_id", *uploadID,
		"parts", partDetails(urls, size, partSize),
		"complete_url", complete,
	))
}

// newS3Signer builds a minio client as the server's Minio(...) call does.
// Failures there are uncaught exceptions (500): no endpoint, a path, query,
// fragment, user info or bad port in the endpoint, an invalid region, or an
// access key without a secret key. Unlike the server, which may look an
// empty region up over the network, the emulator never does I/O: it takes
// the region from an AWS host name, else us-east-1.
func newS3Signer(cfg bucketConfig) (s3Signer, bool) {
	if cfg.Endpoint == nil {
		return s3Signer{}, false
	}
	host, ok := minioHost(*cfg.Endpoint)
	if !ok {
		return s3Signer{}, false
	}
	region := deref(cfg.Region)
	if region != "" && !validRegion(region) {
		return s3Signer{}, false
	}
	s := s3Signer{
		bucket:       deref(cfg.BucketName),
		accessKey:    deref(cfg.AccessKey),
		secretKey:    deref(cfg.SecretKey),
		sessionToken: deref(cfg.SessionToken),
		region:       region,
	}
	if s.accessKey != "" && cfg.SecretKey == nil {
		return s3Signer{}, false
	}
	creds := credentials.NewStaticV4(s.accessKey, s.secretKey, s.sessionToken)
	if s.unsigned() {
		// minio-py then returns unsigned URLs, while minio-go refuses to
		// presign anonymously: sign with placeholder keys and strip the
		// signature (see presign).
		creds = credentials.NewStaticV4("anonymous", "anonymous", "")
	}
	secure := cfg.Secure == nil || *cfg.Secure
	if s.region == "" {
		scheme := "http"
		if secure {
			scheme = "https"
		}
		if s.region = s3utils.GetRegionFromURL(url.URL{Scheme: scheme, Host: host}); s.region == "" {
			s.region = "us-east-1"
		}
	}
	client, err := minio.New(host, &minio.Options{Creds: creds, Secure: secure, Region: s.region})
	if err != nil {
		return s3Signer{}, false
	}
	// minio-py addresses AWS hosts without the dual-stack name.
	client.SetS3EnableDualstack(false)
	s.client = client
	return s, true
}

// s3Signer presigns URLs for one bucket.
type s3Signer struct {
	client       *minio.Client
	bucket       string
	accessKey    string
	secretKey    string
	sessionToken string
	region       string
}

func (s s3Signer) unsigned() bool { return s.accessKey == "" }

// presign returns the URL for method on object, with extra query
// parameters, valid for 12 hours.
func (s s3Signer) presign(method, object string, params url.Values) (string, error) {
	u, err := s.client.Presign(context.Background(), method, s.bucket, object, urlExpiry, params)
	if err != nil {
		return "", err
	}
	if s.unsigned() {
		u.RawQuery = s3utils.QueryEncode(withoutSignature(u.Query()))
	}
	minioPyOrder(u)
	return u.String(), nil
}

// sigV4Rank places the SigV4 query parameters after the request's own, in the order
// minio-py appends them.
var sigV4Rank = map[string]int{
	"X-Amz-Algorithm":     1,
	"X-Amz-Credential":    2,
	"X-Amz-Date":          3,
	"X-Amz-Expires":       4,
	"X-Amz-SignedHeaders": 5,
	"X-Amz-Signature":     6,
}

// minioPyOrder puts a presigned URL's query in minio-py's order: the request's own
// parameters sorted by name (partNumber and uploadId, after X-Amz-Security-Token when
// there is one), then the SigV4 parameters, the signature last. minio-go sorts them all
// by name. The signature does not depend on the order, but clients that split or log
// the URLs see what the real server writes.
func minioPyOrder(u *url.URL) {
	pairs := strings.Split(u.RawQuery, "&")
	rank := func(pair string) int {
		name, _, _ := strings.Cut(pair, "=")
		return sigV4Rank[name]
	}
	// Stable: the request's own parameters stay sorted by name, as minio-go wrote them.
	slices.SortStableFunc(pairs, func(a, b string) int { return cmp.Compare(rank(a), rank(b)) })
	u.RawQuery = strings.Join(pairs, "&")
}

func withoutSignature(q url.Values) url.Values {
	for k := range q {
		if strings.HasPrefix(k, "X-Amz-") {
			q.Del(k)
		}
	}
	return q
}

// presignParts fills urls with the presigned PUT of each part, spreading
// the work over the CPUs: a 5 TiB upload has 5120 parts.
func (s s3Signer) presignParts(location, uploadID string, urls []string) error {
	if len(urls) == 0 {
		return nil
	}
	params := func(n int) url.Values {
		return url.Values{"partNumber": {strconv.Itoa(n)}, "uploadId": {uploadID}}
	}
	first, err := s.presign(http.MethodPut, location, params(1))
	if err != nil {
		return err
	}
	urls[0] = first
	sign := s.partSigner(first)
	if sign == nil {
		sign = func(n int) (string, error) { return s.presign(http.MethodPut, location, params(n)) }
	}
	workers := min(runtime.GOMAXPROCS(0), len(urls)-1)
	errs := make([]error, workers)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for i := 1 + w; i < len(urls); i += workers {
				if urls[i], errs[w] = sign(i + 1); errs[w] != nil {
					return
				}
			}
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// partSigner signs further parts from the client's URL for part 1 by
// changing partNumber and calling minio-go's SigV4 signer directly. That
// skips the client's per-request endpoint analysis (dozens of regular
// expressions, very slow under the race detector). It returns nil, and the
// client signs every part, unless the shortcut reproduces part 1 exactly.
func (s s3Signer) partSigner(first string) func(n int) (string, error) {
	template, err := url.Parse(first)
	if err != nil {
		return nil
	}
	query := withoutSignature(template.Query())
	sign := func(n int) (string, error) {
		q := maps.Clone(query)
		q.Set("partNumber", strconv.Itoa(n))
		u := *template
		u.RawQuery = s3utils.QueryEncode(q)
		if s.unsigned() {
			return u.String(), nil
		}
		// Only signed, never sent: no context to carry.
		req, err := http.NewRequestWithContext(context.Background(), http.MethodPut, u.String(), nil)
		if err != nil {
			return "", err
		}
		signed := signer.PreSignV4(*req, s.accessKey, s.secretKey, s.sessionToken, s.region, int64(urlExpiry/time.Second))
		minioPyOrder(signed.URL)
		return signed.URL.String(), nil
	}
	if again, err := sign(1); err != nil || again != first {
		return nil
	}
	return sign
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
	var hostname, port string
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
	return strings.Trim(r, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_") == ""
}
