package analysis

import (
	"context"
	"os"
	"sync"
	"testing"

	"github.com/bpfls/bpfls/btfindex"
)

// requireReal skips a test that needs a real part of the machine (kernel
// BTF, tracefs, bpftrace), unless BPFLS_REQUIRE_REAL=1 makes that a failure.
func requireReal(t testing.TB, why string) {
	t.Helper()
	if os.Getenv("BPFLS_REQUIRE_REAL") == "1" {
		t.Fatalf("BPFLS_REQUIRE_REAL=1 but %s", why)
	}
	t.Skip(why)
}

// realIndex opens the running kernel's index once for all tests.
var realIndex = sync.OnceValues(func() (*btfindex.Index, error) {
	return btfindex.Open(context.Background(), btfindex.Options{CacheDir: "-"})
})

// realKernel returns the running kernel's index, or skips.
func realKernel(t testing.TB) *btfindex.Index {
	t.Helper()
	ix, err := realIndex()
	if err != nil {
		requireReal(t, "no kernel BTF: "+err.Error())
	}
	if _, ok := ix.Tracepoint("syscalls", "sys_enter_read"); !ok {
		requireReal(t, "tracefs with syscall tracepoints is not readable")
	}
	return ix
}
