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
		// The dialects whose printing differs: parentheses before 0.24,
		// '->' and "?:" before 0.25.
		d := syntax.NewestDialect()
		switch v % 4 {
		case 1:
			d.Version = syntax.V0_17
		case 2:
			d.Version = syntax.V0_24
		case 3:
			d.Version = syntax.V0_25
		}
		checkProperties(t, "fuzz.bt", src, d)
	})
}
