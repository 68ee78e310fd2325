// Package analysistest holds what the tests of analysis and of the packages
// built on it share: the running kernel's index, name matching for fake
// kernels, and the runner of txtar golden files.
package analysistest

import (
	"context"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/bpfls/bpfls/btfindex"
)

// RequireReal skips a test that needs a real part of the machine (kernel
// BTF, tracefs, bpftrace), unless BPFLS_REQUIRE_REAL=1 makes that a failure.
func RequireReal(t testing.TB, why string) {
	t.Helper()
	if os.Getenv("BPFLS_REQUIRE_REAL") == "1" {
		t.Fatalf("BPFLS_REQUIRE_REAL=1 but %s", why)
	}
	t.Skip(why)
}

// realIndex opens the running kernel's index once per test binary.
var realIndex = sync.OnceValues(func() (*btfindex.Index, error) {
	return btfindex.Open(context.Background(), btfindex.Options{CacheDir: "-"})
})

// RealKernel returns the running kernel's index, or skips (fails under
// BPFLS_REQUIRE_REAL=1) when there is no BTF or no readable tracefs.
func RealKernel(t testing.TB) *btfindex.Index {
	t.Helper()
	ix, err := realIndex()
	if err != nil {
		RequireReal(t, "no kernel BTF: "+err.Error())
	}
	if _, ok := ix.Tracepoint("syscalls", "sys_enter_read"); !ok {
		RequireReal(t, "tracefs with syscall tracepoints is not readable")
	}
	return ix
}

// Match is Kernel.Match over a fake kernel's sorted names: tracepoints
// match category and event separately, as btfindex does.
func Match(names []string, kind btfindex.NameKind, pattern string) []string {
	var out []string
	for _, n := range names {
		if kind == btfindex.NameTracepoint {
			pc, pe, _ := strings.Cut(pattern, ":")
			nc, ne, _ := strings.Cut(n, ":")
			if btfindex.WildcardMatch(pc, nc) && btfindex.WildcardMatch(pe, ne) {
				out = append(out, n)
			}
		} else if btfindex.WildcardMatch(pattern, n) {
			out = append(out, n)
		}
	}
	return out
}

// Complete is Kernel.Complete over a fake kernel's sorted names.
func Complete(names []string, prefix string, limit int) []string {
	var out []string
	for _, n := range names {
		if strings.HasPrefix(n, prefix) && (limit <= 0 || len(out) < limit) {
			out = append(out, n)
		}
	}
	return out
}
