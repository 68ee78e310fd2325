package analysis

import (
	"context"
	"testing"

	"github.com/bpfls/bpfls/analysis/syntax"
)

// TestBlockValueEndingInStatement checks a map assigned a block whose last
// statement is not an expression, which once dereferenced nil (the test
// fails by panicking).
func TestBlockValueEndingInStatement(t *testing.T) {
	t.Parallel()
	src := "BEGIN { @m = { $x = 1; if (1) { } }; }"
	f := syntax.Parse("block.bt", []byte(src), syntax.NewestDialect())
	if s := Analyze(context.Background(), f, Config{Dialect: f.Dialect}); s.File != f {
		t.Error("the snapshot is not of the analysed file")
	}
}
