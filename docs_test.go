package main

import (
	"os"
	"slices"
	"strings"
	"testing"
)

// versionTable returns the rows of the table under the heading that starts with heading.
func versionTable(t *testing.T, file, heading string) []string {
	t.Helper()
	text, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	_, section, found := strings.Cut(string(text), "\n"+heading)
	if !found {
		t.Fatalf("%s has no heading %q", file, heading)
	}
	var rows []string
	for _, line := range strings.Split(section, "\n") {
		if strings.HasPrefix(line, "#") {
			break
		}
		if strings.HasPrefix(line, "|") && !strings.HasPrefix(line, "|---") {
			rows = append(rows, line)
		}
		if len(rows) > 0 && !strings.HasPrefix(line, "|") {
			break
		}
	}
	if len(rows) < 2 {
		t.Fatalf("%s: no version table under %q", file, heading)
	}
	return rows
}

// The provider's documentation and the README give the same versions for every feature.
func TestVersionTablesAgree(t *testing.T) {
	readme := versionTable(t, "README.md", "## Compatibility")
	docs := versionTable(t, "docs/index.md", "## Terraform and OpenTofu Versions")
	for _, row := range readme {
		if !slices.Contains(docs, row) {
			t.Errorf("docs/index.md's version table lacks README's row %s", row)
		}
	}
	for _, row := range docs {
		if !slices.Contains(readme, row) {
			t.Errorf("README's version table lacks docs/index.md's row %s", row)
		}
	}
}
