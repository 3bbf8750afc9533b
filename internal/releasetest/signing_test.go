package releasetest

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

type signingKey struct {
	home        string // GNUPGHOME
	fingerprint string
	keyID       string // the long key ID, as a registry lists it (exportPublicKey)
	publicKey   string // ASCII-armored (exportPublicKey)
}

// newSigningKey makes a throwaway GPG key, without passphrase, in its own GNUPGHOME, to
// test the signing step as a release runs it. It returns false when gpg is not installed.
func newSigningKey(t *testing.T, dir string) (signingKey, bool) {
	t.Helper()
	if _, err := exec.LookPath("gpg"); err != nil {
		t.Log("gpg is not installed: the snapshot is built without its signature")
		return signingKey{}, false
	}
	home := filepath.Join(dir, "gnupg")
	if err := os.Mkdir(home, 0o700); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		// Stop the gpg-agent that gpg started for this GNUPGHOME.
		cmd := exec.Command("gpgconf", "--kill", "gpg-agent")
		cmd.Env = append(os.Environ(), "GNUPGHOME="+home)
		_ = cmd.Run()
	})
	gpg := func(args ...string) string {
		cmd := exec.CommandContext(t.Context(), "gpg", append([]string{"--batch", "--homedir", home}, args...)...)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("gpg %s: %v\n%s", strings.Join(args, " "), err, stderr.String())
		}
		return string(out)
	}
	gpg("--passphrase", "", "--quick-gen-key", "LUML release test <release-test@example.invalid>", "ed25519", "sign", "never")
	for _, line := range strings.Split(gpg("--with-colons", "--list-secret-keys"), "\n") {
		if fields := strings.Split(line, ":"); fields[0] == "fpr" && len(fields) > 9 {
			return signingKey{home: home, fingerprint: fields[9]}, true
		}
	}
	t.Fatal("gpg made a key but lists no fingerprint")
	return signingKey{}, false
}

// checkSignature verifies the detached signature of SHA256SUMS with the keys of GNUPGHOME
// home, or the user's keyring when home is empty.
func checkSignature(t *testing.T, rel release, home string) {
	t.Helper()
	args := []string{"--batch"}
	if home != "" {
		args = append(args, "--homedir", home)
	}
	args = append(args, "--verify", rel.sums+".sig", rel.sums)
	if out, err := exec.CommandContext(t.Context(), "gpg", args...).CombinedOutput(); err != nil {
		t.Errorf("gpg --verify %s.sig: %v\n%s", filepath.Base(rel.sums), err, out)
	}
}

// exportPublicKey adds the armored public key and the long key ID to signer, as a registry
// lists them.
func exportPublicKey(t *testing.T, signer *signingKey) {
	t.Helper()
	gpg := func(args ...string) []byte {
		cmd := exec.CommandContext(t.Context(), "gpg", append([]string{"--batch", "--homedir", signer.home}, args...)...)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("gpg %s: %v\n%s", strings.Join(args, " "), err, stderr.String())
		}
		return out
	}
	signer.publicKey = string(gpg("--armor", "--export", signer.fingerprint))
	// The long key ID is the last 16 hex digits of a v4 fingerprint.
	signer.keyID = signer.fingerprint[len(signer.fingerprint)-16:]
}
