package validators

import (
	"strings"
	"testing"
)

func TestAzureConnectionStringProblem(t *testing.T) {
	const key = "dGVzdC1henVyZS1rZXktMTIzNA=="
	for conn, want := range map[string]string{
		"DefaultEndpointsProtocol=https;AccountName=acme;AccountKey=" + key + ";EndpointSuffix=core.windows.net": "",
		"AccountName=acme;AccountKey=" + key + ";":                                                               "",
		"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=" + key +
			";BlobEndpoint=http://127.0.0.1:10000/devstoreaccount1;": "",
		"":    "is empty",
		"   ": "is empty",
		"https://acme.blob.core.windows.net/models?sv=2025-11-05&sig=abc": "is a URL",
		"AccountName=acme;broken":               "is not a list of key=value pairs",
		"=x;AccountName=acme;AccountKey=" + key: "is not a list of key=value pairs",
		"AccountName=acme;;AccountKey=" + key:   "is not a list of key=value pairs",
		"BlobEndpoint=https://acme.blob.core.windows.net/;SharedAccessSignature=sv=2025&sig=abc": "has no AccountName",
		"AccountName=acme;SharedAccessSignature=sv=2025&sig=abc":                                 "has no AccountKey",
		"AccountName=acme;AccountKey=":                                                           "has no AccountKey",
		"accountname=acme;accountkey=" + key:                                                     "has no AccountName",
	} {
		got := azureConnectionStringProblem(conn)
		if (want == "") != (got == "") || !strings.HasPrefix(got, want) {
			t.Errorf("azureConnectionStringProblem(#%d) = %q, want %q...", len(conn), got, want)
		}
		if strings.Contains(got, key) || (conn != "" && strings.TrimSpace(conn) != "" && strings.Contains(got, conn)) {
			t.Errorf("the problem quotes the connection string: %q", got)
		}
	}
}
