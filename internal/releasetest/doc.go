// Package releasetest checks the release that .goreleaser.yml describes, in the shape the
// Terraform and OpenTofu registries expect: the zip of every platform and what it holds (the
// binary and LICENSE), the registry manifest, the SHA256SUMS file and its signature, and that
// the provider binary answers Terraform's plugin handshake; then that terraform and tofu
// install it from a registry as they install a published release.
//
// The package holds tests only, and they are skipped unless asked for:
//
//   - TestSnapshotRelease runs goreleaser (LUML_GORELEASER) in snapshot mode on the
//     repository, signing with a throwaway GPG key, and checks the result. Only the
//     machine's own platform is compiled; the other platforms get a stand-in binary, so
//     that every archive name is still checked without a dozen cross-compilations. With
//     LUML_RELEASE_CLIS (terraform and tofu binaries), each of them installs the snapshot
//     with `init` from a registry served on loopback and runs a plan with it against the
//     emulator. This is `make release-check`, part of `make test`.
//   - TestReleaseDist checks a release goreleaser has already written (LUML_RELEASE_DIST,
//     a dist directory) with every binary real. `make release-snapshot` runs it on the
//     full, unsigned snapshot build.
package releasetest
