package lumlfake

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestConformance replays the requests the real LUML server answered (testdata/conformance,
// whose README says how they were recorded and how to replay them) against the emulator, and
// compares every answer with the recorded one: status, kind, content type, Location, the
// normalized body and, for the long part lists the corpus abbreviates, their summary.
//
// No step is excepted. The README's "Known differences of lumlfake" describe the emulator the
// corpus was recorded against; its seed here is the recorded server's (two organizations of
// the owner, one of another user), so step 1 and step 25 compare as recorded.
func TestConformance(t *testing.T) {
	steps := readCorpus(t)
	r := newReplay(t)
	for _, st := range steps {
		for _, d := range r.run(st) {
			t.Errorf("step %d %q: %s", st.req.Step, st.req.Label, d)
		}
	}
}

type corpusRequest struct {
	Step     int               `json:"step"`
	Label    string            `json:"label"`
	Method   string            `json:"method"`
	Path     string            `json:"path"`
	Headers  map[string]string `json:"headers"`
	BodyKind string            `json:"body_kind"`
	Body     json.RawMessage   `json:"body"`
	Captures map[string]string `json:"captures"`
}

type corpusAnswer struct {
	Step         int             `json:"step"`
	Status       int             `json:"status"`
	Kind         string          `json:"kind"`
	ContentType  *string         `json:"content_type"`
	Body         json.RawMessage `json:"body"`
	Location     *string         `json:"location"`
	PartsSummary *partsSummary   `json:"parts_summary"`
}

type partsSummary struct {
	Count        int       `json:"count"`
	FirstPart    int64     `json:"first_part_number"`
	LastPart     int64     `json:"last_part_number"`
	PartSizeRuns [][]int64 `json:"part_size_runs"`
	Contiguous   bool      `json:"contiguous"`
	URLsUniform  bool      `json:"urls_uniform"`
}

type corpusStep struct {
	req corpusRequest
	ans corpusAnswer
}

func readCorpus(t *testing.T) []corpusStep {
	t.Helper()
	reqs := readJSONLines[corpusRequest](t, "requests.jsonl")
	answers := readJSONLines[corpusAnswer](t, "answers.jsonl")
	if len(reqs) != len(answers) || len(reqs) == 0 {
		t.Fatalf("the corpus has %d requests and %d answers", len(reqs), len(answers))
	}
	steps := make([]corpusStep, len(reqs))
	for i := range reqs {
		if reqs[i].Step != i+1 || answers[i].Step != i+1 {
			t.Fatalf("line %d holds steps %d and %d", i+1, reqs[i].Step, answers[i].Step)
		}
		steps[i] = corpusStep{req: reqs[i], ans: answers[i]}
	}
	return steps
}

func readJSONLines[T any](t *testing.T, name string) []T {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", "conformance", name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []T
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var v T
		if err := json.Unmarshal(sc.Bytes(), &v); err != nil {
			t.Fatalf("%s line %d: %v", name, len(out)+1, err)
		}
		out = append(out, v)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// replay holds the emulator, seeded as the recorded server was, and the placeholders' values.
type replay struct {
	t       *testing.T
	baseURL string
	client  *http.Client
	values  map[string]string
}

// conformanceClock is the emulator's clock: it fixes the date in signed S3 URLs.
var conformanceClock = time.Date(2026, 12, 7, 4, 0, 0, 0, time.UTC)

func newReplay(t *testing.T) *replay {
	srv := New(Options{Clock: func() time.Time { return conformanceClock }})
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)

	// The seed of the README's "Seed state the sequence assumes": the owner's personal
	// organization, the member's, and "Second Org", which the requests target.
	owner := srv.AddUser("owner@example.com")
	member := srv.AddUser("member@example.com")
	personal := srv.AddOrganization("Owner's organization")
	srv.AddMembership(owner.ID, personal.ID, RoleOwner)
	srv.AddMembership(member.ID, personal.ID, RoleMember)
	foreign := srv.AddOrganization("Member's organization")
	srv.AddMembership(member.ID, foreign.ID, RoleOwner)
	second := srv.AddOrganization("Second Org")
	srv.AddMembership(owner.ID, second.ID, RoleOwner)

	return &replay{
		t:       t,
		baseURL: ts.URL,
		// One connection per request and no redirects followed, as recorded.
		client: &http.Client{
			Transport:     &http.Transport{DisableKeepAlives: true},
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
			Timeout:       60 * time.Second,
		},
		values: map[string]string{
			"api_key":               owner.APIKey,
			"org":                   second.ID,
			"foreign_org":           foreign.ID,
			"base_url":              ts.URL,
			"s3_endpoint":           "127.0.0.1:17070",
			"s3_endpoint_other":     "10.1.1.1:9000",
			"s3_access_key":         "CONFORMANCEACCESSKEY",
			"s3_secret_key":         "conformanceSecretKey0123456789",
			"s3_session_token":      "conformanceSessionToken",
			"azure_account":         "diffacct",
			"azure_account_key":     "Y29uZm9ybWFuY2Uta2V5LW9uZQ==",
			"azure_account_key_new": "Y29uZm9ybWFuY2Uta2V5LXR3bw==",
			"amz_date":              conformanceClock.Format("20060102"),
		},
	}
}

// fill replaces every {{name}} whose value is known.
func (r *replay) fill(s string) string {
	for name, v := range r.values {
		s = strings.ReplaceAll(s, "{{"+name+"}}", v)
	}
	return s
}

// run sends one step and returns its differences from the recorded answer.
func (r *replay) run(st corpusStep) []string {
	req, err := r.request(st.req)
	if err != nil {
		return []string{err.Error()}
	}
	resp, err := r.client.Do(req)
	if err != nil {
		return []string{err.Error()}
	}
	raw, err := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	if err != nil {
		return []string{err.Error()}
	}

	var diffs []string
	if resp.StatusCode != st.ans.Status {
		diffs = append(diffs, fmt.Sprintf("status: want %d, got %d", st.ans.Status, resp.StatusCode))
	}
	if want, got := st.ans.ContentType, resp.Header.Values("Content-Type"); !sameHeader(want, got) {
		diffs = append(diffs, fmt.Sprintf("Content-Type: want %s, got %q", describeHeader(want), got))
	}
	if want, got := st.ans.Location, resp.Header.Values("Location"); want != nil || len(got) > 0 {
		if w := r.fill(deref(want)); !sameHeader(&w, got) {
			diffs = append(diffs, fmt.Sprintf("Location: want %q, got %q", w, got))
		}
	}

	kind, body := "json", any(nil)
	if len(raw) > 0 {
		if v, err := decodeCorpusJSON(raw); err == nil {
			body = v
		} else {
			kind, body = "text", string(raw)
		}
	}
	if kind != st.ans.Kind {
		return append(diffs, fmt.Sprintf("kind: want %s, got %s (%q)", st.ans.Kind, kind, raw))
	}
	want, err := decodeCorpusJSON(st.ans.Body)
	if err != nil {
		return append(diffs, fmt.Sprintf("recorded body: %v", err))
	}
	diffs = append(diffs, diffJSON("$", fillStrings(want, r.fill), shape(body, ""))...)
	if st.ans.PartsSummary != nil {
		diffs = append(diffs, diffPartsSummary(*st.ans.PartsSummary, body)...)
	}
	r.capture(st, resp.StatusCode, body)
	return diffs
}

func (r *replay) request(in corpusRequest) (*http.Request, error) {
	var body io.Reader
	switch in.BodyKind {
	case "json":
		body = strings.NewReader(r.fill(string(in.Body)))
	case "raw":
		var text string
		if err := json.Unmarshal(in.Body, &text); err != nil {
			return nil, fmt.Errorf("raw body: %w", err)
		}
		body = strings.NewReader(r.fill(text))
	case "none":
	default:
		return nil, fmt.Errorf("unknown body_kind %q", in.BodyKind)
	}
	req, err := http.NewRequest(in.Method, r.baseURL+r.fill(in.Path), body)
	if err != nil {
		return nil, err
	}
	req.Close = true
	for k, v := range in.Headers {
		req.Header.Set(k, r.fill(v))
	}
	return req, nil
}

// capture applies the step's captures: the id of a 2xx object answer names a secret.
func (r *replay) capture(st corpusStep, status int, body any) {
	name := st.req.Captures["id"]
	if name == "" {
		return
	}
	id, _ := body.(map[string]any)["id"].(string)
	if status/100 != 2 || id == "" {
		// The recorder's stand-in, so that later steps still run.
		id = "00000000-0000-7000-8000-000000000000"
	}
	r.values[name] = id
}

// diffPartsSummary checks the parts the abbreviated list leaves out, against what the full
// recorded answer was.
func diffPartsSummary(want partsSummary, body any) []string {
	parts, _ := body.(map[string]any)["parts"].([]any)
	got := partsSummary{Count: len(parts), Contiguous: true, URLsUniform: true}
	var firstURL string
	var next int64
	for i, p := range parts {
		part, _ := p.(map[string]any)
		n, start, end, size := number(part["part_number"]), number(part["start_byte"]), number(part["end_byte"]), number(part["part_size"])
		if i == 0 {
			got.FirstPart = n
		}
		got.LastPart = n
		if n != int64(i+1) || start != next || end != start+size-1 {
			got.Contiguous = false
		}
		next = end + 1
		if k := len(got.PartSizeRuns); k > 0 && got.PartSizeRuns[k-1][0] == size {
			got.PartSizeRuns[k-1][1]++
		} else {
			got.PartSizeRuns = append(got.PartSizeRuns, []int64{size, 1})
		}
		u, _ := part["url"].(string)
		u = maskPartIndex(normURL(u))
		if i == 0 {
			firstURL = u
		} else if u != firstURL {
			got.URLsUniform = false
		}
	}
	if compact(got) != compact(want) {
		return []string{fmt.Sprintf("parts_summary: want %s, got %s", compact(want), compact(got))}
	}
	return nil
}

// maskPartIndex replaces the values of partNumber and blockid, which differ from part to part.
func maskPartIndex(u string) string {
	base, query, _ := strings.Cut(u, "?")
	pairs := strings.Split(query, "&")
	for i, p := range pairs {
		if name, _, _ := strings.Cut(p, "="); name == "partNumber" || name == "blockid" {
			pairs[i] = name + "=*"
		}
	}
	return base + "?" + strings.Join(pairs, "&")
}

func number(v any) int64 {
	num, _ := v.(json.Number)
	n, _ := num.Int64()
	return n
}

func sameHeader(want *string, got []string) bool {
	if want == nil {
		return len(got) == 0
	}
	return len(got) == 1 && got[0] == *want
}

func describeHeader(h *string) string {
	if h == nil {
		return "none"
	}
	return fmt.Sprintf("%q", *h)
}
