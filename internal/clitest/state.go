package clitest

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// StateResource is one resource instance of the state file.
type StateResource struct {
	Address    string
	Attributes map[string]any
}

// State reads terraform.tfstate. It is empty when there is no state yet.
func (e *Env) State() []StateResource {
	e.t.Helper()
	raw, err := os.ReadFile(filepath.Join(e.Dir, "terraform.tfstate"))
	if os.IsNotExist(err) {
		return nil
	}
	if err != nil {
		e.t.Fatal(err)
	}
	var st struct {
		Resources []struct {
			Mode      string `json:"mode"`
			Type      string `json:"type"`
			Name      string `json:"name"`
			Instances []struct {
				IndexKey   any            `json:"index_key"`
				Attributes map[string]any `json:"attributes"`
			} `json:"instances"`
		} `json:"resources"`
	}
	if err := json.Unmarshal(raw, &st); err != nil {
		e.t.Fatalf("reading the state: %v", err)
	}
	var out []StateResource
	for _, r := range st.Resources {
		addr := r.Type + "." + r.Name
		if r.Mode == "data" {
			addr = "data." + addr
		}
		for _, in := range r.Instances {
			a := addr
			switch k := in.IndexKey.(type) {
			case float64:
				a += fmt.Sprintf("[%d]", int(k))
			case string:
				a += fmt.Sprintf("[%q]", k)
			}
			out = append(out, StateResource{Address: a, Attributes: in.Attributes})
		}
	}
	return out
}

// SecretIDs maps the ID of every luml_bucket_secret in the state to its address.
func (e *Env) SecretIDs() map[string]string {
	e.t.Helper()
	ids := map[string]string{}
	for _, r := range e.State() {
		if strings.HasPrefix(r.Address, "luml_bucket_secret.") {
			id, _ := r.Attributes["id"].(string)
			ids[id] = r.Address
		}
	}
	return ids
}

// CheckStateMatchesServer fails the test unless the bucket secrets in the state are exactly
// those of the emulator's organization, and no two of them have the same bucket name.
func (e *Env) CheckStateMatchesServer() {
	e.t.Helper()
	inState := e.SecretIDs()
	names := map[string]int{}
	for _, s := range e.Fake.Secrets(e.Org.ID) {
		names[s.BucketName]++
		if _, ok := inState[s.ID]; !ok {
			e.t.Errorf("secret %s (bucket %s) exists on the server but not in the state: orphaned", s.ID, s.BucketName)
		}
		delete(inState, s.ID)
	}
	for id, addr := range inState {
		e.t.Errorf("%s has ID %s, which the server does not have", addr, id)
	}
	for name, n := range names {
		if n > 1 {
			e.t.Errorf("%d secrets on the server for bucket %s: duplicated", n, name)
		}
	}
}

// CheckEmptyPlan fails the test unless a plan proposes no change.
func (e *Env) CheckEmptyPlan() {
	e.t.Helper()
	r := e.Run("plan", "-input=false", "-no-color", "-detailed-exitcode")
	switch r.ExitCode {
	case 0:
	case 2:
		e.t.Errorf("the plan is not empty:\n%s", e.Tail(r.Stdout, 40))
	default:
		e.t.Errorf("plan failed with %d:\n%s", r.ExitCode, e.Tail(r.Stdout+r.Stderr, 40))
	}
}
