package verify

import (
	"context"
	"os"
	"os/exec"
	"testing"

	"github.com/bpfls/bpfls/analysis/syntax"
)

// requireReal skips a test that needs the real bpftrace, or fails it when
// BPFLS_REQUIRE_REAL=1 (CI), where a skip would hide a broken setup.
func requireReal(t *testing.T, why string) {
	t.Helper()
	if os.Getenv("BPFLS_REQUIRE_REAL") == "1" {
		t.Fatalf("BPFLS_REQUIRE_REAL=1 but %s", why)
	}
	t.Skip(why)
}

// realOptions returns options that run the installed bpftrace as we are
// (root in CI), and its version.
func realOptions(t *testing.T) (Options, syntax.Version) {
	t.Helper()
	path, err := exec.LookPath("bpftrace")
	if err != nil {
		requireReal(t, "bpftrace is not installed")
	}
	if os.Geteuid() != 0 {
		requireReal(t, "bpftrace needs root and this test adds no privilege prefix")
	}
	opts := Options{Enabled: true, Path: path}
	v, err := DetectVersion(context.Background(), opts)
	if err != nil {
		t.Fatalf("DetectVersion: %v", err)
	}
	opts.Version = v
	return opts, v
}
