package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"time"
)

// goBenchmark is one result of `go test -bench`.
type goBenchmark struct {
	name        string
	pkg         string
	perOp       time.Duration
	bytesPerOp  int64
	allocsPerOp int64
}

// runGoBenchmarks runs every Go benchmark of the repository, without acceptance tests.
func runGoBenchmarks(ctx context.Context, repo string) ([]goBenchmark, error) {
	cmd := exec.CommandContext(ctx, "go", "test", "-run", "^$", "-bench", ".", "-benchmem", "./...")
	cmd.Dir = repo
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "TF_ACC") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	out, err := cmd.CombinedOutput()
	if err != nil {
		return nil, fmt.Errorf("go test -bench: %w\n%s", err, tail(string(out), 40))
	}
	return parseGoBenchmarks(out), nil
}

// parseGoBenchmarks reads lines such as
//
//	pkg: github.com/luml-ai/terraform-provider-luml/internal/provider
//	BenchmarkX-2   	      54	  21438113 ns/op	 9120346 B/op	  148231 allocs/op
func parseGoBenchmarks(out []byte) []goBenchmark {
	var list []goBenchmark
	pkg := ""
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) == 2 && f[0] == "pkg:" {
			pkg = f[1]
			continue
		}
		if len(f) < 4 || !strings.HasPrefix(f[0], "Benchmark") {
			continue
		}
		b := goBenchmark{name: f[0], pkg: pkg}
		if i := strings.LastIndexByte(b.name, '-'); i > 0 {
			b.name = b.name[:i] // the GOMAXPROCS suffix
		}
		for i := 2; i+1 < len(f); i += 2 {
			v, err := strconv.ParseFloat(f[i], 64)
			if err != nil {
				continue
			}
			switch f[i+1] {
			case "ns/op":
				b.perOp = time.Duration(v)
			case "B/op":
				b.bytesPerOp = int64(v)
			case "allocs/op":
				b.allocsPerOp = int64(v)
			}
		}
		list = append(list, b)
	}
	return list
}
