package luml_test

import (
	"context"
	"errors"
	"net/http"
	"reflect"
	"slices"
	"testing"

	"github.com/google/uuid"

	"github.com/luml-ai/terraform-provider-luml/internal/luml"
)

func TestCheckStoredSecret(t *testing.T) {
	tests := []struct {
		name string
		spec func(host string) luml.SecretSpec
	}{
		{name: "S3", spec: func(h string) luml.SecretSpec { return s3SpecAt(h) }},
		{name: "Azure", spec: func(h string) luml.SecretSpec { return azureSpecAt(h) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newTestEnv(t)
			store, host := objectStore(t)
			secret := e.create(tt.spec(host))
			before := e.stored(secret.ID)

			var steps []string
			err := e.client.CheckStoredSecret(context.Background(), e.org.ID, secret.ID, secret.Type,
				func(step string) { steps = append(steps, step) })
			if err != nil {
				t.Fatal(err)
			}
			if want := []string{"urls", "upload", "range", "delete"}; !slices.Equal(steps, want) {
				t.Errorf("progress %v, want %v", steps, want)
			}
			for _, m := range []string{http.MethodPut, http.MethodGet, http.MethodDelete} {
				if n := store.Count(m); n != 1 {
					t.Errorf("%d %s requests reached the bucket, want 1", n, m)
				}
			}
			// Only the ID and the type: every other key would override what LUML stores.
			urls := e.lastRequest(http.MethodPost, secretsPath(e.org.ID)+"/"+secret.ID+"/urls")
			if keys := bodyKeys(t, urls); !slices.Equal(keys, []string{"id", "type"}) {
				t.Errorf("the /urls body has keys %v, want [id type]", keys)
			}
			if after := e.stored(secret.ID); !reflect.DeepEqual(after, before) {
				t.Errorf("the check changed the stored secret")
			}
		})
	}
}

func TestCheckStoredSecretFailures(t *testing.T) {
	e := newTestEnv(t)
	store, host := objectStore(t)
	secret := e.create(s3SpecAt(host))

	store.SetFailPut(http.StatusForbidden)
	err := e.client.CheckStoredSecret(context.Background(), e.org.ID, secret.ID, secret.Type, nil)
	var checkErr *luml.ConnectionCheckError
	if !errors.As(err, &checkErr) || checkErr.Step != "upload" {
		t.Fatalf("got %v, want a failed upload step", err)
	}

	// A wrong type is the server's 400, reported as the URL step.
	err = e.client.CheckStoredSecret(context.Background(), e.org.ID, secret.ID, luml.BucketTypeAzure, nil)
	var apiErr *luml.Error
	if !errors.As(err, &checkErr) || checkErr.Step != "urls" || !errors.As(err, &apiErr) || apiErr.StatusCode != http.StatusBadRequest {
		t.Fatalf("got %v, want the URL step failing with 400", err)
	}

	err = e.client.CheckStoredSecret(context.Background(), e.org.ID, uuid.NewString(), luml.BucketTypeS3, nil)
	if !errors.As(err, &checkErr) || checkErr.Step != "urls" || !luml.IsNotFound(err) {
		t.Fatalf("got %v, want the URL step failing with 404", err)
	}
}
