package provider

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"io"
	"net"
	"os"
	"os/exec"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/storage/azblob"
	"github.com/Azure/azure-sdk-for-go/sdk/storage/azblob/bloberror"
	"github.com/Azure/azure-sdk-for-go/sdk/storage/azblob/blockblob"
)

const (
	// azuriteEnv is the path of Azurite's blob service, node_modules/azurite/dist/src/blob/main.js.
	azuriteEnv = "LUML_AZURITE"
	// requireAzuriteEnv, when set, makes a missing Azurite fail the tests instead of skipping them.
	requireAzuriteEnv = "LUML_REQUIRE_AZURITE"
)

// azurite is a running Azurite blob service with one storage account that the test generated.
type azurite struct {
	account, key string
	blobEndpoint string // http://127.0.0.1:port/<account>: Azurite addresses accounts by path
	client       *azblob.Client
}

// connectionString is the account's connection string with its key, as LUML stores it.
func (a *azurite) connectionString() string {
	return a.connectionStringWithKey(a.key)
}

func (a *azurite) connectionStringWithKey(key string) string {
	return "DefaultEndpointsProtocol=http;AccountName=" + a.account + ";AccountKey=" + key +
		";BlobEndpoint=" + a.blobEndpoint + ";"
}

// startAzurite runs Azurite's blob service until the test ends, on a free loopback port, with
// a fresh storage account and key, and creates the given containers. It skips the test when
// Azurite or Node.js is missing, unless LUML_REQUIRE_AZURITE is set.
func startAzurite(t *testing.T, containers ...string) *azurite {
	t.Helper()
	unavailable := func(reason string) {
		t.Helper()
		if os.Getenv(requireAzuriteEnv) != "" {
			t.Fatalf("%s, and %s is set: the Azure end-to-end tests must run. `make test` installs Azurite "+
				"with npm (Node.js and npm are needed).", reason, requireAzuriteEnv)
		}
		t.Skipf("SKIPPED, %s: the Azure end-to-end tests need Azurite. Install Node.js and npm and run them "+
			"with `make testacc`, which installs Azurite into .bin/ (or set %s to Azurite's "+
			"dist/src/blob/main.js).", reason, azuriteEnv)
	}
	mainJS := os.Getenv(azuriteEnv)
	if mainJS == "" {
		unavailable(azuriteEnv + " is not set")
	}
	if _, err := os.Stat(mainJS); err != nil {
		unavailable(azuriteEnv + ": " + err.Error())
	}
	node, err := exec.LookPath("node")
	if err != nil {
		unavailable("node is not on PATH")
	}

	a := &azurite{account: "lumle2e" + hex.EncodeToString(randomBytes(t, 4)), key: base64.StdEncoding.EncodeToString(randomBytes(t, 64))}
	address := freeLoopbackAddress(t)
	host, port, _ := net.SplitHostPort(address) // never fails: net.Listen wrote it
	a.blobEndpoint = "http://" + address + "/" + a.account

	// Strict mode (no --loose): Azurite refuses what the real service refuses.
	cmd := exec.Command(node, mainJS, "--blobHost", host, "--blobPort", port, "--location", t.TempDir(), "--silent")
	cmd.Env = append(os.Environ(), "AZURITE_ACCOUNTS="+a.account+":"+a.key)
	startService(t, "Azurite", cmd, a.blobEndpoint+"?comp=list", 60*time.Second)

	// Microsoft's Go SDK, with Shared Key authorization, stands for an Azure user here: it
	// creates the containers and reads the blobs back, independently of the provider.
	credential, err := azblob.NewSharedKeyCredential(a.account, a.key)
	if err != nil {
		t.Fatal(err)
	}
	a.client, err = azblob.NewClientWithSharedKeyCredential(a.blobEndpoint+"/", credential,
		&azblob.ClientOptions{ClientOptions: policy.ClientOptions{Retry: policy.RetryOptions{MaxRetries: -1}}})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range containers {
		if _, err := a.client.CreateContainer(context.Background(), c, nil); err != nil {
			t.Fatalf("creating container %s: %v", c, err)
		}
	}
	return a
}

func randomBytes(t *testing.T, n int) []byte {
	t.Helper()
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return b
}

// blob reads a blob back; ok is false when it does not exist.
func (a *azurite) blob(t *testing.T, container, name string) (data []byte, ok bool) {
	t.Helper()
	resp, err := a.client.DownloadStream(context.Background(), container, name, nil)
	if bloberror.HasCode(err, bloberror.BlobNotFound) {
		return nil, false
	}
	if err != nil {
		t.Fatalf("reading blob %s/%s: %v", container, name, err)
	}
	defer resp.Body.Close()
	data, err = io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("reading blob %s/%s: %v", container, name, err)
	}
	return data, true
}

// committedBlocks lists the IDs and sizes of a blob's committed blocks, in the blob's order.
func (a *azurite) committedBlocks(t *testing.T, container, name string) ([]string, []int64) {
	t.Helper()
	list, err := a.client.ServiceClient().NewContainerClient(container).NewBlockBlobClient(name).
		GetBlockList(context.Background(), blockblob.BlockListTypeCommitted, nil)
	if err != nil {
		t.Fatalf("listing the blocks of %s/%s: %v", container, name, err)
	}
	var ids []string
	var sizes []int64
	for _, b := range list.CommittedBlocks {
		ids = append(ids, *b.Name)
		sizes = append(sizes, *b.Size)
	}
	return ids, sizes
}

func sha256Hex(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}
