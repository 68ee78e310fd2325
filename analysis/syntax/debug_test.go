package syntax

import (
	"os"
	"testing"
)

// TestDebugDump prints the Dump of the file named by BPFLS_DUMP (a manual
// debugging aid; skipped otherwise).
func TestDebugDump(t *testing.T) {
	name := os.Getenv("BPFLS_DUMP")
	if name == "" {
		t.Skip("BPFLS_DUMP not set")
	}
	src, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	d := NewestDialect()
	if v := os.Getenv("BPFLS_DUMP_VERSION"); v != "" {
		if d.Version, err = ParseVersion(v); err != nil {
			t.Fatal(err)
		}
	}
	t.Log("\n" + Dump(Parse(name, src, d)))
}
