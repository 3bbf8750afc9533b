package main

import "testing"

func TestWithAnalysis(t *testing.T) {
	generated := "# Provider performance\n\nnew figures\n"
	for _, tc := range []struct{ name, previous, want string }{
		{"no previous results", "", generated},
		{"previous results without analysis", "# Provider performance\n\nold figures\n", generated},
		{"analysis kept, old figures dropped", "# Provider performance\n\nold figures\n\n## Analysis\n\nby hand\n",
			generated + "\n## Analysis\n\nby hand\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := withAnalysis(generated, tc.previous); got != tc.want {
				t.Errorf("withAnalysis = %q, want %q", got, tc.want)
			}
		})
	}
}
