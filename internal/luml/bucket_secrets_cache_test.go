package luml_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/luml-ai/terraform-provider-luml/internal/luml"
	"github.com/luml-ai/terraform-provider-luml/internal/lumlfake"
)

// lists counts the requests that listed the test organization's secrets.
func (e *testEnv) lists() int { return len(e.requests(http.MethodGet, secretsPath(e.org.ID))) }

// named looks up bucket through the client and fails the test on error.
func (e *testEnv) named(bucket string) []luml.BucketSecret {
	e.t.Helper()
	found, err := e.client.BucketSecretsNamed(context.Background(), e.org.ID, bucket)
	if err != nil {
		e.t.Fatalf("looking up %q: %v", bucket, err)
	}
	return found
}

func TestBucketSecretsNamed_concurrentLookupsShareOneList(t *testing.T) {
	e := newTestEnv(t)
	e.fake.SetLatency(20 * time.Millisecond) // keep the first list in flight while the others ask
	for _, b := range []string{"models", "Models", "models-2"} {
		e.create(s3Spec(b))
	}
	var wg sync.WaitGroup
	for range 20 {
		wg.Go(func() {
			found, err := e.client.BucketSecretsNamed(context.Background(), e.org.ID, "models")
			if err != nil {
				t.Errorf("lookup: %v", err)
				return
			}
			if len(found) != 1 || found[0].BucketName != "models" {
				t.Errorf("found %+v, want exactly the secret of bucket models", found)
			}
		})
	}
	wg.Wait()
	if n := e.lists(); n != 1 {
		t.Errorf("20 concurrent lookups sent %d list requests, want 1", n)
	}
}

func TestBucketSecretsNamed_ownChangesAreSeen(t *testing.T) {
	e := newTestEnv(t)
	if got := e.named("models"); len(got) != 0 {
		t.Fatalf("found %d secrets before any was created", len(got))
	}
	created := e.create(s3Spec("models"))
	if got := e.named("models"); len(got) != 1 || got[0].ID != created.ID {
		t.Fatalf("after create, found %+v, want %s", got, created.ID)
	}
	if _, err := e.client.UpdateBucketSecret(context.Background(), e.org.ID, created.ID, s3Spec("renamed")); err != nil {
		t.Fatal(err)
	}
	if got := e.named("renamed"); len(got) != 1 {
		t.Fatalf("after update, found %d secrets of the new bucket name, want 1", len(got))
	}
	// The organization ID in another letter case is the same organization.
	if err := e.client.DeleteBucketSecret(context.Background(), strings.ToUpper(e.org.ID), created.ID); err != nil {
		t.Fatal(err)
	}
	if got := e.named("renamed"); len(got) != 0 {
		t.Fatalf("after delete, found %d secrets, want none", len(got))
	}
	if n := e.lists(); n != 4 {
		t.Errorf("4 lookups around 3 changes sent %d list requests, want 4", n)
	}
}

func TestBucketSecretsNamed_othersChangesAreSeenAfterTheLifetime(t *testing.T) {
	e := newTestEnv(t)
	now := time.Now()
	e.client.SetSecretListClock(func() time.Time { return now })
	e.named("models")
	other := e.newClient(e.owner.APIKey) // another provider process
	if _, err := other.CreateBucketSecret(context.Background(), e.org.ID, s3Spec("models")); err != nil {
		t.Fatal(err)
	}
	if got := e.named("models"); len(got) != 0 {
		t.Fatalf("within the lifetime, found %d secrets, want the cached answer (none)", len(got))
	}
	now = now.Add(time.Minute)
	if got := e.named("models"); len(got) != 1 {
		t.Fatalf("after the lifetime, found %d secrets, want 1", len(got))
	}
	if n := e.lists(); n != 2 {
		t.Errorf("sent %d list requests, want 2", n)
	}
}

func TestBucketSecretsNamed_failuresAreNotKept(t *testing.T) {
	e := newTestEnv(t)
	e.create(s3Spec("models"))
	e.fake.FailNext(1, lumlfake.Fault{Kind: lumlfake.Fault500})
	if _, err := e.client.BucketSecretsNamed(context.Background(), e.org.ID, "models"); err == nil {
		t.Fatal("the failed list gave no error")
	}
	if got := e.named("models"); len(got) != 1 {
		t.Fatalf("after a failure, found %d secrets, want 1", len(got))
	}
	if n := e.lists(); n != 2 {
		t.Errorf("sent %d list requests, want 2: the failure is not kept", n)
	}
}

func TestGetBucketSecret_neverServedFromTheList(t *testing.T) {
	e := newTestEnv(t)
	created := e.create(s3Spec("models"))
	e.named("models")
	if _, err := e.client.GetBucketSecret(context.Background(), e.org.ID, created.ID); err != nil {
		t.Fatal(err)
	}
	if n := len(e.requests(http.MethodGet, secretPath(e.org.ID, created.ID))); n != 1 {
		t.Errorf("GetBucketSecret sent %d requests for the secret, want 1", n)
	}
}

// The lookup that sent the shared list request gives up while it is in flight: a lookup waiting
// for the same list still gets it, not the other caller's cancellation.
func TestBucketSecretsNamed_oneCallerGivingUpDoesNotFailTheOthers(t *testing.T) {
	e := newTestEnv(t)
	e.create(s3Spec("models"))
	e.fake.SetLatency(500 * time.Millisecond) // the list stays in flight while the second lookup joins
	sent := make(chan struct{})
	var once sync.Once
	e.logs.onLine = func(msg string, _ map[string]any) {
		if msg == "LUML API request" {
			once.Do(func() { close(sent) })
		}
	}
	first, cancelFirst := context.WithCancel(context.Background())
	firstErr := make(chan error, 1)
	go func() {
		_, err := e.client.BucketSecretsNamed(first, e.org.ID, "models")
		firstErr <- err
	}()
	<-sent
	cancelFirst()
	if err := <-firstErr; !errors.Is(err, context.Canceled) {
		t.Errorf("the lookup that gave up returned %v, want its cancellation", err)
	}
	if got := e.named("models"); len(got) != 1 {
		t.Errorf("the waiting lookup found %d secrets, want 1", len(got))
	}
	if n := e.lists(); n != 1 {
		t.Errorf("sent %d list requests, want the 1 both lookups shared", n)
	}
}
