package luml_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The real server's recorded answers (internal/lumlfake/testdata/conformance, whose README
// says how they were recorded) are the oracle of the client's own copies of the server's
// rules: the tests here check those rules against what the server answered, not against the
// emulator.

// recordedStep is one request of the corpus and the real server's answer, placeholders
// filled with recordedValues.
type recordedStep struct {
	Step   int
	Label  string
	Method string
	Path   string
	Body   map[string]any // nil unless a JSON object was sent
	Status int
	Answer any
	// AnswerKind is "json" (an empty or JSON body) or "text"; AnswerContentType is "" when
	// the server sent none.
	AnswerKind        string
	AnswerContentType string
}

// answerBody is the answer's body as the server sent it, up to the corpus's normalization.
func (st recordedStep) answerBody() []byte {
	if text, ok := st.Answer.(string); ok && st.AnswerKind == "text" {
		return []byte(text)
	}
	if st.Answer == nil {
		return nil
	}
	b, _ := json.Marshal(st.Answer)
	return b
}

// recordedValues fill the corpus's placeholders: any values do, as long as requests and
// answers get the same.
var recordedValues = strings.NewReplacer(
	"{{org}}", "00000000-0000-7000-8000-0000000000aa",
	"{{s3_endpoint}}", "127.0.0.1:17070",
	"{{s3_endpoint_other}}", "10.1.1.1:9000",
	"{{s3_access_key}}", "RECORDEDACCESSKEY",
	"{{s3_secret_key}}", "recordedSecretKey",
	"{{azure_account}}", "diffacct",
	"{{azure_account_key}}", "cmVjb3JkZWQta2V5",
)

func recordedSteps(t *testing.T) []recordedStep {
	t.Helper()
	dir := filepath.Join("..", "lumlfake", "testdata", "conformance")
	reqs := readRecordedLines(t, filepath.Join(dir, "requests.jsonl"))
	answers := readRecordedLines(t, filepath.Join(dir, "answers.jsonl"))
	if len(reqs) != len(answers) || len(reqs) == 0 {
		t.Fatalf("the corpus has %d requests and %d answers", len(reqs), len(answers))
	}
	steps := make([]recordedStep, len(reqs))
	for i, r := range reqs {
		a := answers[i]
		var st recordedStep
		for _, f := range []struct {
			raw json.RawMessage
			out any
		}{
			{r["step"], &st.Step}, {r["label"], &st.Label}, {r["method"], &st.Method}, {r["path"], &st.Path},
			{a["status"], &st.Status}, {a["body"], &st.Answer}, {a["kind"], &st.AnswerKind},
		} {
			if err := unmarshalNumbers(f.raw, f.out); err != nil {
				t.Fatalf("step %d: %v", i+1, err)
			}
		}
		_ = json.Unmarshal(a["content_type"], &st.AnswerContentType) // null stays ""
		if body, ok := r["body"]; ok && strings.HasPrefix(string(body), "{") {
			if err := unmarshalNumbers(body, &st.Body); err != nil {
				t.Fatalf("step %d: %v", i+1, err)
			}
		}
		steps[i] = st
	}
	return steps
}

// readRecordedLines reads a JSON Lines file with its placeholders filled.
func readRecordedLines(t *testing.T, name string) []map[string]json.RawMessage {
	t.Helper()
	f, err := os.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []map[string]json.RawMessage
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var line map[string]json.RawMessage
		if err := json.Unmarshal([]byte(recordedValues.Replace(sc.Text())), &line); err != nil {
			t.Fatalf("%s line %d: %v", name, len(out)+1, err)
		}
		out = append(out, line)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// unmarshalNumbers keeps numbers as json.Number: sizes go up to 5 TiB + 1.
func unmarshalNumbers(raw json.RawMessage, out any) error {
	d := json.NewDecoder(bytes.NewReader(raw))
	d.UseNumber()
	return d.Decode(out)
}

// str returns the string member key of a JSON object, "" when there is none.
func str(v any, key string) string {
	m, _ := v.(map[string]any)
	s, _ := m[key].(string)
	return s
}
