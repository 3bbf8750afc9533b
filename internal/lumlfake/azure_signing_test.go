package lumlfake

import "testing"

// TestAzureServiceURL compares the blob service URL derived from a connection string with the
// URL azure-storage-blob 12.27.1 builds for it: BlobServiceClient.from_connection_string(conn)
// .get_container_client("models").get_blob_client("b").url, less "/models/b".
func TestAzureServiceURL(t *testing.T) {
	tests := []struct{ conn, want string }{
		{"DefaultEndpointsProtocol=http;AccountName=acct;AccountKey=a2V5;EndpointSuffix=core.chinacloudapi.cn", "http://acct.blob.core.chinacloudapi.cn"},
		{"AccountName=acct;AccountKey=a2V5", "https://acct.blob.core.windows.net"},
		{"AccountName=acct;AccountKey=a2V5;EndpointSuffix=core.usgovcloudapi.net", "https://acct.blob.core.usgovcloudapi.net"},
		{"DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=a2V5", "https://acct.blob.core.windows.net"},
		{"DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=a2V5;EndpointSuffix=core.windows.net;", "https://acct.blob.core.windows.net"},
		{"AccountName=acct;AccountKey=a2V5;BlobEndpoint=https://custom.example.com/", "https://custom.example.com"},
		{"AccountName=acct;AccountKey=a2V5;BlobEndpoint=custom.example.com:8443/base", "https://custom.example.com:8443/base"},
		{"AccountName=acct;AccountKey=a2V5;BlobEndpoint=HTTP://Custom.Example.com/Base/", "http://Custom.Example.com/Base"},
		{"AccountName=acct;AccountKey=a2V5;BlobEndpoint=http://127.0.0.1:10000/acct?x=1", "http://127.0.0.1:10000/acct"},
		{"accountname=acct;accountkey=a2V5;defaultendpointsprotocol=http;endpointsuffix=x.net", "http://acct.blob.x.net"},
		{"AccountName=acct;AccountKey=a2V5;QueueEndpoint=https://q.example.com", "https://acct.blob.core.windows.net"},
	}
	for _, tt := range tests {
		got, ok := azureServiceURL(tt.conn)
		if !ok || got != tt.want {
			t.Errorf("%s: %q (%v), want %q", tt.conn, got, ok, tt.want)
		}
	}
}
