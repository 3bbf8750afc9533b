package main

import "testing"

func TestBlockID(t *testing.T) {
	tests := []struct{ url, want string }{
		{"http://127.0.0.1:10000/acct/c/b?se=x&sp=cw&sv=2025-11-05&sr=b&sig=a%2Bb&comp=block&blockid=YmxvY2stMDAwMDAwMDE=", "YmxvY2stMDAwMDAwMDE="},
		// Written unescaped by the server: a '+' stays a plus.
		{"https://a.blob.core.windows.net/c/b?sig=s&comp=block&blockid=ab+c/d==", "ab+c/d=="},
		{"https://a.blob.core.windows.net/c/b?comp=block&blockid=ab%2Bc%3D%3D", "ab+c=="},
	}
	for _, tt := range tests {
		if got, err := blockID(tt.url); err != nil || got != tt.want {
			t.Errorf("%s: %q, %v; want %q", tt.url, got, err, tt.want)
		}
	}
	for _, bad := range []string{"https://a.blob.core.windows.net/c/b?comp=blocklist", "https://a/c/b?blockid=", "https://a/c/b?blockid=%zz"} {
		if _, err := blockID(bad); err == nil {
			t.Errorf("%s: no error", bad)
		}
	}
}
