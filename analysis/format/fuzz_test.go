package format

import (
	"os"
	"testing"

	"github.com/bpfls/bpfls/analysis/syntax"
)

// FuzzFormat checks on any input that parses: format is idempotent, the
// tree survives, and comments are neither lost nor duplicated.
func FuzzFormat(f *testing.F) {
	for _, path := range scripts(&testing.T{}) {
		if src, err := os.ReadFile(path); err == nil {
			f.Add(src, uint8(0))
		}
	}
	f.Add([]byte("BEGIN { if (1) { $x = 1; } // c\n @a = 1; }\n"), uint8(1))
	f.Fuzz(func(t *testing.T, src []byte, v uint8) {
		d := syntax.NewestDialect()
		if v%2 == 1 {
			d.Version = syntax.V0_17
		}
		checkProperties(t, "fuzz.bt", src, d)
	})
}
