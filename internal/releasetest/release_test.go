package releasetest

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
)

const (
	projectName = "terraform-provider-luml"

	// buildAnchor is the first line of the build in .goreleaser.yml; the snapshot test adds
	// its own lines below it.
	buildAnchor = "  - id: " + projectName + "\n"

	// The plugin protocol of the provider, as the manifest and the handshake declare it.
	protocolVersion = "6"
)

// registryPlatforms are the platforms of a release, os_arch as in the archive names: Linux,
// macOS, Windows and FreeBSD on amd64, arm64, 386 and arm, where Go supports them.
var registryPlatforms = []string{
	"darwin_amd64", "darwin_arm64",
	"freebsd_386", "freebsd_amd64", "freebsd_arm", "freebsd_arm64",
	"linux_386", "linux_amd64", "linux_arm", "linux_arm64",
	"windows_386", "windows_amd64", "windows_arm64",
}

// hostPlatform is the platform whose binary the tests can run.
var hostPlatform = runtime.GOOS + "_" + runtime.GOARCH

// TestSnapshotRelease builds a snapshot release from the repository with goreleaser and
// checks it. Only the host's binary is compiled: the build tool of the other platforms is
// a script that writes a stand-in, which goreleaser then names, zips, sums and signs like
// any binary. That keeps the test to one compilation while every archive name, the
// manifest, the checksums and the signature of the real configuration are still checked.
func TestSnapshotRelease(t *testing.T) {
	goreleaser := os.Getenv("LUML_GORELEASER")
	if goreleaser == "" {
		t.Skip("set LUML_GORELEASER to a goreleaser v2 binary to build a snapshot release (make release-check)")
	}
	if !slices.Contains(registryPlatforms, hostPlatform) {
		t.Skipf("the host platform %s is not a release platform, so its binary cannot be run", hostPlatform)
	}
	clis := releaseCLIs(t)
	root := repoRoot(t)
	dir := t.TempDir()
	dist := filepath.Join(dir, "dist")

	fakeGo := filepath.Join(dir, "fake-go")
	writeFile(t, fakeGo, fakeGoScript, 0o755)
	config := filepath.Join(dir, "goreleaser.yml")
	writeFile(t, config, snapshotConfig(t, root, dist, fakeGo), 0o644)

	args := []string{"release", "--snapshot", "--clean", "--config", config}
	env := os.Environ()
	signer, ok := newSigningKey(t, dir)
	if ok {
		env = append(env, "GNUPGHOME="+signer.home, "GPG_FINGERPRINT="+signer.fingerprint)
	} else {
		args = append(args, "--skip=sign")
	}
	cmd := exec.CommandContext(t.Context(), goreleaser, args...)
	cmd.Dir = root
	cmd.Env = env
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("goreleaser %s: %v\n%s", strings.Join(args, " "), err, out)
	}

	rel := checkDist(t, root, dist)
	if ok {
		checkSignature(t, rel, signer.home)
	} else if _, err := os.Stat(rel.sums + ".sig"); err == nil {
		t.Errorf("%s.sig exists although signing was skipped", filepath.Base(rel.sums))
	}
	if len(clis) == 0 || t.Failed() {
		return
	}
	if !ok {
		t.Fatal("LUML_RELEASE_CLIS: installing from a registry needs a signed release, so gpg must be installed")
	}
	exportPublicKey(t, &signer)
	checkInstall(t, rel, signer, clis)
}

// TestReleaseDist checks a release goreleaser has written, such as the full snapshot of
// `make release-snapshot`: every archive holds a real binary.
func TestReleaseDist(t *testing.T) {
	dist := os.Getenv("LUML_RELEASE_DIST")
	if dist == "" {
		t.Skip("set LUML_RELEASE_DIST to a goreleaser dist directory to check it (make release-snapshot)")
	}
	rel := checkDist(t, repoRoot(t), dist)
	for _, platform := range registryPlatforms {
		if platform == hostPlatform {
			continue
		}
		bin := extractBinary(t, rel, platform)
		if info, err := os.Stat(bin); err != nil || info.Size() < 1<<20 {
			t.Errorf("%s: the binary is missing or smaller than 1 MiB: a stand-in, not a release build", platform)
		}
	}
	if _, err := os.Stat(rel.sums + ".sig"); err == nil {
		checkSignature(t, rel, "")
	}
}

// release is what checkDist found in a dist directory.
type release struct {
	dist    string
	version string
	sums    string // path of the SHA256SUMS file
	license []byte // the repository's LICENSE, which every archive must hold
}

func (r release) archive(platform string) string {
	return fmt.Sprintf("%s_%s_%s.zip", projectName, r.version, platform)
}

func (r release) binary(platform string) string {
	name := projectName + "_v" + r.version
	if strings.HasPrefix(platform, "windows_") {
		name += ".exe"
	}
	return name
}

// checkDist checks the registry-facing files of a goreleaser dist directory and that the
// host's binary answers the plugin handshake.
func checkDist(t *testing.T, root, dist string) release {
	var meta struct {
		ProjectName string `json:"project_name"`
		Version     string `json:"version"`
	}
	if err := json.Unmarshal(readFile(t, filepath.Join(dist, "metadata.json")), &meta); err != nil {
		t.Fatalf("metadata.json: %v", err)
	}
	if meta.ProjectName != projectName || meta.Version == "" {
		t.Fatalf("metadata.json: project %q version %q, want project %q and a version", meta.ProjectName, meta.Version, projectName)
	}
	rel := release{dist: dist, version: meta.Version, license: readFile(t, filepath.Join(root, "LICENSE"))}
	prefix := projectName + "_" + rel.version + "_"
	rel.sums = filepath.Join(dist, prefix+"SHA256SUMS")
	manifest := prefix + "manifest.json"

	// Exactly one zip per platform, and nothing else under the project's name but the
	// checksums and their signature. (goreleaser uploads the manifest with the release, from
	// terraform-registry-manifest.json; a snapshot, which publishes nothing, does not copy
	// it into dist.)
	var zips []string
	for _, p := range registryPlatforms {
		zips = append(zips, rel.archive(p))
	}
	want := append([]string{filepath.Base(rel.sums)}, zips...)
	var got []string
	entries, err := os.ReadDir(dist)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if name := e.Name(); !e.IsDir() && strings.HasPrefix(name, projectName+"_") &&
			name != filepath.Base(rel.sums)+".sig" && name != manifest {
			got = append(got, name)
		}
	}
	slices.Sort(want)
	slices.Sort(got)
	if !slices.Equal(got, want) {
		t.Errorf("release files:\n got  %q\n want %q", got, want)
	}

	// The manifest is terraform-registry-manifest.json, which declares protocol 6.
	source := filepath.Join(root, "terraform-registry-manifest.json")
	var m struct {
		Version  int `json:"version"`
		Metadata struct {
			ProtocolVersions []string `json:"protocol_versions"`
		} `json:"metadata"`
	}
	if err := json.Unmarshal(readFile(t, source), &m); err != nil {
		t.Errorf("terraform-registry-manifest.json: %v", err)
	}
	if m.Version != 1 || !slices.Equal(m.Metadata.ProtocolVersions, []string{protocolVersion + ".0"}) {
		t.Errorf("terraform-registry-manifest.json: version %d, protocol versions %q; want 1 and [%q]",
			m.Version, m.Metadata.ProtocolVersions, protocolVersion+".0")
	}
	if _, err := os.Stat(filepath.Join(dist, manifest)); err == nil && sha256File(t, filepath.Join(dist, manifest)) != sha256File(t, source) {
		t.Errorf("%s differs from terraform-registry-manifest.json", manifest)
	}

	// SHA256SUMS lists every zip and the manifest, with their digests.
	sums := map[string]string{}
	for i, line := range strings.Split(strings.TrimSuffix(string(readFile(t, rel.sums)), "\n"), "\n") {
		sum, name, ok := strings.Cut(line, "  ")
		if !ok || len(sum) != sha256.Size*2 {
			t.Errorf("%s line %d is not \"<sha256>  <file>\": %q", filepath.Base(rel.sums), i+1, line)
			continue
		}
		sums[name] = sum
	}
	files := map[string]string{manifest: source}
	for _, name := range zips {
		files[name] = filepath.Join(dist, name)
	}
	for _, name := range slices.Sorted(maps.Keys(files)) {
		path := files[name]
		sum, ok := sums[name]
		if !ok {
			t.Errorf("%s does not list %s", filepath.Base(rel.sums), name)
			continue
		}
		delete(sums, name)
		if actual := sha256File(t, path); actual != sum {
			t.Errorf("%s: sha256 %s, but %s says %s", name, actual, filepath.Base(rel.sums), sum)
		}
	}
	for _, name := range slices.Sorted(maps.Keys(sums)) {
		t.Errorf("%s lists %s, which is not part of the release", filepath.Base(rel.sums), name)
	}
	if t.Failed() {
		t.FailNow()
	}

	// Each zip holds the binary, named as the registry expects, at its top level.
	for _, p := range registryPlatforms {
		checkArchive(t, rel, p)
	}
	checkHandshake(t, extractBinary(t, rel, hostPlatform))
	return rel
}

// checkArchive checks that the zip of platform holds, at its top level, the executable binary
// named as the registries expect and the repository's LICENSE, and nothing else.
func checkArchive(t *testing.T, rel release, platform string) {
	name := rel.archive(platform)
	zr, err := zip.OpenReader(filepath.Join(rel.dist, name))
	if err != nil {
		t.Errorf("%s: %v", name, err)
		return
	}
	defer zr.Close()
	var names []string
	for _, f := range zr.File {
		names = append(names, f.Name)
		switch f.Name {
		case rel.binary(platform):
			if f.Mode()&0o111 == 0 {
				t.Errorf("%s: %s is not executable (mode %v)", name, f.Name, f.Mode())
			}
		case "LICENSE":
			if got := readZipFile(t, f); !bytes.Equal(got, rel.license) {
				t.Errorf("%s: LICENSE differs from the repository's LICENSE", name)
			}
		}
	}
	slices.Sort(names)
	if want := []string{"LICENSE", rel.binary(platform)}; !slices.Equal(names, want) {
		t.Errorf("%s holds %q, want %q at its top level", name, names, want)
	}
}

func readZipFile(t *testing.T, f *zip.File) []byte {
	t.Helper()
	r, err := f.Open()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	b, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// extractBinary unzips the binary of platform into a temporary directory.
func extractBinary(t *testing.T, rel release, platform string) string {
	t.Helper()
	zr, err := zip.OpenReader(filepath.Join(rel.dist, rel.archive(platform)))
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	f, err := zr.Open(rel.binary(platform))
	if err != nil {
		t.Fatalf("%s: %v", rel.archive(platform), err)
	}
	defer f.Close()
	path := filepath.Join(t.TempDir(), rel.binary(platform))
	out, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_EXCL, 0o755)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(out, f); err != nil {
		t.Fatal(err)
	}
	if err := out.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

// snapshotVersion is the version of the snapshot: a release version, not goreleaser's
// default "<version>-SNAPSHOT-<commit>", since a version constraint such as "~> 0.1" never
// matches a pre-release.
const snapshotVersion = "0.1.0"

// snapshotConfig is .goreleaser.yml with dist and the snapshot's version set and the build
// tool replaced by fakeGo for every platform but the host's.
func snapshotConfig(t *testing.T, root, dist, fakeGo string) string {
	t.Helper()
	src := string(readFile(t, filepath.Join(root, ".goreleaser.yml")))
	if strings.Count(src, buildAnchor) != 1 {
		t.Fatalf(".goreleaser.yml: expected one build starting with %q; update snapshotConfig", strings.TrimSpace(buildAnchor))
	}
	for _, key := range []string{"\ndist:", "\n    tool:", "\nsnapshot:"} {
		if strings.Contains(src, key) {
			t.Fatalf(".goreleaser.yml sets %s itself; update snapshotConfig", strings.TrimSpace(key))
		}
	}
	tool := fmt.Sprintf(`{{ if and (eq .Os %q) (eq .Arch %q) }}go{{ else }}%s{{ end }}`, runtime.GOOS, runtime.GOARCH, fakeGo)
	src = strings.Replace(src, buildAnchor, buildAnchor+"    tool: "+strconv.Quote(tool)+"\n", 1)
	return src + "\ndist: " + strconv.Quote(dist) + "\n" +
		"snapshot:\n  version_template: " + strconv.Quote(snapshotVersion) + "\n"
}

// fakeGoScript stands in for `go build -o <file> ...`: it writes a small file instead of
// compiling.
const fakeGoScript = `#!/bin/sh
out=
while [ $# -gt 0 ]; do
	if [ "$1" = "-o" ]; then out=$2; fi
	shift
done
[ -n "$out" ] || { echo "fake-go: no -o argument" >&2; exit 2; }
printf 'stand-in for the %s/%s build\n' "$GOOS" "$GOARCH" > "$out"
`

func repoRoot(t *testing.T) string {
	t.Helper()
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, ".goreleaser.yml")); err != nil {
		t.Fatalf("repository root: %v", err)
	}
	return root
}

func readFile(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func writeFile(t *testing.T, path, text string, mode os.FileMode) {
	t.Helper()
	if err := os.WriteFile(path, []byte(text), mode); err != nil {
		t.Fatal(err)
	}
}

func sha256File(t *testing.T, path string) string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(h.Sum(nil))
}
