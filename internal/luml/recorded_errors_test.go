package luml_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/luml-ai/terraform-provider-luml/internal/luml"
)

// Every error answer the real server gave (the recorded 400, 401, 403, 404, 405, 409, 422 and
// bare 500 answers) must come out of the client as a *luml.Error with the status, the server's
// detail and, for a 422, its issues at their locations; and no error text may carry the
// credentials that 422 answers echo.
func TestRecordedErrorAnswers(t *testing.T) {
	var current recordedStep
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		if current.AnswerContentType != "" {
			w.Header().Set("Content-Type", current.AnswerContentType)
		}
		w.WriteHeader(current.Status)
		_, _ = w.Write(current.answerBody())
	}))
	t.Cleanup(srv.Close)
	client, err := luml.New(luml.Config{BaseURL: srv.URL, APIKey: "dfs_recorded", UserAgent: testUserAgent})
	if err != nil {
		t.Fatal(err)
	}
	secrets := []string{"RECORDEDACCESSKEY", "recordedSecretKey", "cmVjb3JkZWQta2V5"}
	checked := 0
	for _, st := range recordedSteps(t) {
		if st.Status < 400 {
			continue
		}
		checked++
		current = st
		err := client.RawCall(context.Background(), http.MethodPost, "/v1/recorded", "", nil)
		where := fmt.Sprintf("step %d %q", st.Step, st.Label)
		var apiErr *luml.Error
		if !errors.As(err, &apiErr) || apiErr.StatusCode != st.Status {
			t.Errorf("%s: got %v, want a *luml.Error with status %d", where, err, st.Status)
			continue
		}
		detail := map[string]any{}
		if m, ok := st.Answer.(map[string]any); ok {
			detail = m
		}
		switch d := detail["detail"].(type) {
		case string:
			if apiErr.Detail != d {
				t.Errorf("%s: detail %q, want the server's %q", where, apiErr.Detail, d)
			}
		case []any:
			checkRecordedIssues(t, where, apiErr.Validation, d)
		default:
			if apiErr.Detail != http.StatusText(st.Status) {
				t.Errorf("%s: detail %q, want the status text for a body without detail", where, apiErr.Detail)
			}
		}
		for _, secret := range secrets {
			if strings.Contains(err.Error(), secret) {
				t.Errorf("%s: the error %q carries a credential the server echoed", where, err)
			}
		}
	}
	if checked < 40 {
		t.Fatalf("only %d recorded error answers", checked)
	}
}

func checkRecordedIssues(t *testing.T, where string, got []luml.ValidationIssue, want []any) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("%s: %d validation issues, the server's answer has %d", where, len(got), len(want))
		return
	}
	for i, w := range want {
		issue, _ := w.(map[string]any)
		loc, _ := issue["loc"].([]any)
		if got[i].Type != issue["type"] || got[i].Message != issue["msg"] || fmt.Sprint(got[i].Location) != fmt.Sprint(loc) {
			t.Errorf("%s: issue %d is %s %v %q; the server's is %v %v %q", where, i, got[i].Type, got[i].Location, got[i].Message,
				issue["type"], loc, issue["msg"])
		}
	}
}
