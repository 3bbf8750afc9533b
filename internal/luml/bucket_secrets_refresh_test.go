package luml_test

import (
	"context"
	"errors"
	"net/http"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/luml-ai/terraform-provider-luml/internal/luml"
	"github.com/luml-ai/terraform-provider-luml/internal/lumlfake"
)

// gets counts the requests that read one of the test organization's secrets.
func (e *testEnv) gets() int {
	n := 0
	for _, r := range e.fake.Requests() {
		if r.Method == http.MethodGet && strings.HasPrefix(r.Path, secretsPath(e.org.ID)+"/") {
			n++
		}
	}
	return n
}

// refreshAll refreshes ids at once through client, as Terraform refreshes resources in
// parallel, and returns what each read gave, by ID.
func refreshAll(t *testing.T, client *luml.Client, orgID string, ids []string) map[string]*luml.BucketSecret {
	t.Helper()
	var mu sync.Mutex
	out := map[string]*luml.BucketSecret{}
	var wg sync.WaitGroup
	for _, id := range ids {
		wg.Go(func() {
			s, err := client.RefreshBucketSecret(context.Background(), orgID, id)
			if err != nil {
				if !luml.IsNotFound(err) {
					t.Errorf("refreshing %s: %v", id, err)
				}
				return
			}
			mu.Lock()
			defer mu.Unlock()
			out[id] = s
		})
	}
	wg.Wait()
	return out
}

// createSecrets creates n S3 secrets and returns their IDs.
func (e *testEnv) createSecrets(n int) []string {
	ids := make([]string, n)
	for i := range ids {
		ids[i] = e.create(s3Spec("refresh-" + string(rune('a'+i%26)) + strings.Repeat("x", i/26))).ID
	}
	return ids
}

func TestRefreshBucketSecret_aloneSendsOneGet(t *testing.T) {
	e := newTestEnv(t)
	id := e.create(s3Spec("models")).ID
	e.createSecrets(30) // an organization of many secrets
	e.fake.ResetRequests()
	got, err := e.client.RefreshBucketSecret(context.Background(), e.org.ID, id)
	if err != nil {
		t.Fatal(err)
	}
	if got.ID != id || got.BucketName != "models" {
		t.Errorf("refreshed %+v, want the secret %s", got, id)
	}
	if n, lists := e.gets(), e.lists(); n != 1 || lists != 0 {
		t.Errorf("one refresh sent %d GET and %d list requests, want 1 GET", n, lists)
	}
}

func TestRefreshBucketSecret_fewerThanTheQuorumSendGets(t *testing.T) {
	e := newTestEnv(t)
	ids := e.createSecrets(luml.RefreshListQuorum - 1)
	e.fake.ResetRequests()
	if got := refreshAll(t, e.client, e.org.ID, ids); len(got) != len(ids) {
		t.Fatalf("refreshed %d of %d secrets", len(got), len(ids))
	}
	if n, lists := e.gets(), e.lists(); n != len(ids) || lists != 0 {
		t.Errorf("%d refreshes sent %d GET and %d list requests, want a GET each", len(ids), n, lists)
	}
}

// A quorum of reads at once share one list, and each gets exactly what its GET would give,
// orbits included.
func TestRefreshBucketSecret_quorumSharesOneList(t *testing.T) {
	e := newTestEnv(t)
	e.client.SetReadGathering(time.Minute) // only the quorum ends the wait: no read gives up early
	ids := e.createSecrets(3 * luml.RefreshListQuorum)
	e.create(luml.AzureSpec{ConnectionString: "DefaultEndpointsProtocol=https;AccountName=a;AccountKey=a2V5;EndpointSuffix=core.windows.net", ContainerName: "azure-one"})
	e.fake.AddOrbit(e.org.ID, ids[0], "churn")
	other := e.newClient(e.owner.APIKey)
	want := map[string]*luml.BucketSecret{}
	for _, id := range ids {
		s, err := other.GetBucketSecret(context.Background(), e.org.ID, id)
		if err != nil {
			t.Fatal(err)
		}
		want[id] = s
	}
	e.fake.ResetRequests()
	got := refreshAll(t, e.client, e.org.ID, ids)
	if !reflect.DeepEqual(got, want) {
		t.Errorf("the refreshes read\n%+v\nwant what GET returns\n%+v", got, want)
	}
	if n, lists := e.gets(), e.lists(); n != 0 || lists != 1 {
		t.Errorf("%d refreshes at once sent %d GET and %d list requests, want 1 list", len(ids), n, lists)
	}
	// Later reads within the list's lifetime use it too, whatever their number.
	if _, err := e.client.RefreshBucketSecret(context.Background(), e.org.ID, ids[1]); err != nil {
		t.Fatal(err)
	}
	if n, lists := e.gets(), e.lists(); n != 0 || lists != 1 {
		t.Errorf("a later refresh sent %d GET and %d list requests, want none", n, lists)
	}
}

// Reads one after the other, as with -parallelism=1, reach the quorum too.
func TestRefreshBucketSecret_sequentialReadsReachTheQuorum(t *testing.T) {
	e := newTestEnv(t)
	e.client.SetReadGathering(time.Millisecond)
	ids := e.createSecrets(3 * luml.RefreshListQuorum)
	e.fake.ResetRequests()
	for _, id := range ids {
		if _, err := e.client.RefreshBucketSecret(context.Background(), e.org.ID, id); err != nil {
			t.Fatal(err)
		}
	}
	if n, lists := e.gets(), e.lists(); n != luml.RefreshListQuorum-1 || lists != 1 {
		t.Errorf("%d refreshes in a row sent %d GET and %d list requests, want %d GET, then 1 list",
			len(ids), n, lists, luml.RefreshListQuorum-1)
	}
}

// A secret missing from the list is read with its own GET: one created since the list was
// taken is found, one deleted is not found.
func TestRefreshBucketSecret_missingFromTheListIsConfirmed(t *testing.T) {
	e := newTestEnv(t)
	e.client.SetReadGathering(time.Minute)
	ids := e.createSecrets(luml.RefreshListQuorum)
	refreshAll(t, e.client, e.org.ID, ids) // takes the list
	other := e.newClient(e.owner.APIKey)
	late, err := other.CreateBucketSecret(context.Background(), e.org.ID, s3Spec("late"))
	if err != nil {
		t.Fatal(err)
	}
	if err := other.DeleteBucketSecret(context.Background(), e.org.ID, ids[0]); err != nil {
		t.Fatal(err)
	}
	e.fake.ResetRequests()
	got, err := e.client.RefreshBucketSecret(context.Background(), e.org.ID, late.ID)
	if err != nil || got.ID != late.ID {
		t.Errorf("refreshing the secret created after the list: %+v, %v; want it", got, err)
	}
	// Within the lifetime the list still shows the deleted secret, as a GET just before the
	// deletion would have.
	if _, err := e.client.RefreshBucketSecret(context.Background(), e.org.ID, ids[0]); err != nil {
		t.Errorf("refreshing a secret of the list: %v", err)
	}
	if n, lists := e.gets(), e.lists(); n != 1 || lists != 0 {
		t.Errorf("sent %d GET and %d list requests, want 1 GET, of the secret missing from the list", n, lists)
	}
	if _, err := e.client.RefreshBucketSecret(context.Background(), e.org.ID, unknownID); !luml.IsNotFound(err) {
		t.Errorf("refreshing a secret that does not exist gave %v, want not found", err)
	}
}

// This client's own changes drop the list: a read after them sees the change.
func TestRefreshBucketSecret_ownChangesDropTheList(t *testing.T) {
	e := newTestEnv(t)
	e.client.SetReadGathering(time.Minute)
	ids := e.createSecrets(luml.RefreshListQuorum)
	refreshAll(t, e.client, e.org.ID, ids)
	if _, err := e.client.UpdateBucketSecret(context.Background(), e.org.ID, ids[0], s3Spec("renamed")); err != nil {
		t.Fatal(err)
	}
	got, err := e.client.RefreshBucketSecret(context.Background(), e.org.ID, ids[0])
	if err != nil || got.BucketName != "renamed" {
		t.Errorf("after an update, refreshed %+v, %v; want the new bucket name", got, err)
	}
	if err := e.client.DeleteBucketSecret(context.Background(), e.org.ID, ids[1]); err != nil {
		t.Fatal(err)
	}
	if _, err := e.client.RefreshBucketSecret(context.Background(), e.org.ID, ids[1]); !luml.IsNotFound(err) {
		t.Errorf("after a delete, refreshing the secret gave %v, want not found", err)
	}
}

func TestRefreshBucketSecret_listNeverOlderThanItsLifetime(t *testing.T) {
	e := newTestEnv(t)
	e.client.SetReadGathering(time.Minute)
	now := time.Now()
	e.client.SetSecretListClock(func() time.Time { return now })
	ids := e.createSecrets(luml.RefreshListQuorum)
	refreshAll(t, e.client, e.org.ID, ids)
	other := e.newClient(e.owner.APIKey)
	if _, err := other.UpdateBucketSecret(context.Background(), e.org.ID, ids[0], s3Spec("renamed")); err != nil {
		t.Fatal(err)
	}
	now = now.Add(time.Minute)
	e.fake.ResetRequests()
	got := refreshAll(t, e.client, e.org.ID, ids)
	if got[ids[0]] == nil || got[ids[0]].BucketName != "renamed" {
		t.Errorf("after the lifetime, refreshed %+v, want the new bucket name", got[ids[0]])
	}
	if n, lists := e.gets(), e.lists(); n != 0 || lists != 1 {
		t.Errorf("after the lifetime, sent %d GET and %d list requests, want 1 new list", n, lists)
	}
}

// One unreadable secret fails the organization's list as a whole (a 500, as the real server
// answers): every read falls back to its own GET, the list is not asked again, and the
// fallback is logged once.
func TestRefreshBucketSecret_corruptRowFallsBackToGets(t *testing.T) {
	e := newTestEnv(t)
	e.client.SetReadGathering(time.Minute)
	ids := e.createSecrets(2 * luml.RefreshListQuorum)
	broken := e.create(s3Spec("broken"))
	// A PATCH without region stores a NULL region and answers 500: the row is corrupt.
	err := e.newClient(e.owner.APIKey).RawCall(context.Background(), http.MethodPatch, secretPath(e.org.ID, broken.ID),
		`{"endpoint":"s3.eu-west-1.amazonaws.com","bucket_name":"broken"}`, nil)
	if statusCode(err) != http.StatusInternalServerError {
		t.Fatalf("corrupting the row gave %v, want a 500", err)
	}
	e.fake.ResetRequests()
	got := refreshAll(t, e.client, e.org.ID, ids)
	if len(got) != len(ids) {
		t.Errorf("refreshed %d of %d readable secrets", len(got), len(ids))
	}
	if _, err := e.client.RefreshBucketSecret(context.Background(), e.org.ID, broken.ID); statusCode(err) != http.StatusInternalServerError {
		t.Errorf("refreshing the corrupt secret gave %v, want its 500", err)
	}
	if n, lists := e.gets(), e.lists(); n != len(ids)+1 || lists != 1 {
		t.Errorf("sent %d GET and %d list requests, want 1 list, then a GET of each secret", n, lists)
	}
	if n := len(e.logs.fieldOf("Listing the organization's bucket secrets failed; refreshes read each secret with its own request", "organization_id")); n != 1 {
		t.Errorf("the fallback was logged %d times, want once", n)
	}
}

func TestRefreshBucketSecret_organizationsAreApart(t *testing.T) {
	e := newTestEnv(t)
	e.client.SetReadGathering(time.Minute)
	ids := e.createSecrets(luml.RefreshListQuorum)
	otherOrg := e.fake.AddOrganization("Other")
	e.fake.AddMembership(e.owner.ID, otherOrg.ID, lumlfake.RoleOwner)
	theirs, err := e.client.CreateBucketSecret(context.Background(), otherOrg.ID, s3Spec("theirs"))
	if err != nil {
		t.Fatal(err)
	}
	refreshAll(t, e.client, e.org.ID, ids)
	e.client.SetReadGathering(time.Millisecond) // a read alone waits for no one
	e.fake.ResetRequests()
	got, err := e.client.RefreshBucketSecret(context.Background(), otherOrg.ID, theirs.ID)
	if err != nil || got.ID != theirs.ID {
		t.Fatalf("refreshing the other organization's secret: %+v, %v", got, err)
	}
	// Read from the first organization's list, it is missing; its own GET there is a 404.
	if _, err := e.client.RefreshBucketSecret(context.Background(), e.org.ID, theirs.ID); !luml.IsNotFound(err) {
		t.Errorf("refreshing it under the first organization gave %v, want not found", err)
	}
	if n := len(e.requests(http.MethodGet, secretsPath(otherOrg.ID))); n != 0 {
		t.Errorf("one refresh in the other organization sent %d list requests, want none", n)
	}
}

// statusCode is the HTTP status of an API error, 0 for any other.
func statusCode(err error) int {
	var apiErr *luml.Error
	if errors.As(err, &apiErr) {
		return apiErr.StatusCode
	}
	return 0
}

// A read alone uses the list that lookups by bucket name are taking, rather than a GET.
func TestRefreshBucketSecret_joinsTheListOfLookups(t *testing.T) {
	e := newTestEnv(t)
	id := e.create(s3Spec("models")).ID
	e.fake.ResetRequests()
	e.fake.SetLatency(200 * time.Millisecond) // the list stays in flight while the read comes
	sent := make(chan struct{})
	var once sync.Once
	e.logs.onLine = func(msg string, _ map[string]any) {
		if msg == "LUML API request" {
			once.Do(func() { close(sent) })
		}
	}
	looked := make(chan error, 1)
	go func() {
		_, err := e.client.BucketSecretsNamed(context.Background(), e.org.ID, "models")
		looked <- err
	}()
	<-sent
	got, err := e.client.RefreshBucketSecret(context.Background(), e.org.ID, id)
	if err != nil || got.ID != id {
		t.Fatalf("refreshed %+v, %v; want the secret", got, err)
	}
	if err := <-looked; err != nil {
		t.Fatal(err)
	}
	if n, lists := e.gets(), e.lists(); n != 0 || lists != 1 {
		t.Errorf("a lookup and a refresh sent %d GET and %d list requests, want the 1 list", n, lists)
	}
}
