package btfindex

import (
	"os"
	"testing"
)

// requireReal skips a test that needs a real kernel part, unless
// BPFLS_REQUIRE_REAL=1 (as in CI), where the missing part is a failure.
func requireReal(t testing.TB, why string) {
	t.Helper()
	if os.Getenv("BPFLS_REQUIRE_REAL") == "1" {
		t.Fatalf("BPFLS_REQUIRE_REAL=1 but %s", why)
	}
	t.Skip(why)
}
