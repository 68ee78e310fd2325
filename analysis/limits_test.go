package analysis

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/bpfls/bpfls/analysis/syntax"
)

// TestAnalyzeHugeChains checks the inputs that overflowed the checker's
// stack (generated here, about 1.2 MB each): the parser refuses them with
// one syntax error, and analysis of what remains completes. A chain just
// below the limit is checked in full.
func TestAnalyzeHugeChains(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, expr string
		tooDeep    bool
	}{
		{"binary", "1" + strings.Repeat(" + 1", 270000), true},
		{"index", "@m[0]" + strings.Repeat("[1]", 400000), true},
		{"field", "$t" + strings.Repeat("->f", 600000), true},
		{"binary below limit", "1" + strings.Repeat(" + 1", 900), false},
		{"index below limit", "@m[0]" + strings.Repeat("[1]", 900), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			src := "BEGIN { @m[0] = 1; $t = (struct task_struct *)curtask; $y = " + tc.expr + "; print($y); }\n"
			f := syntax.Parse("huge.bt", []byte(src), syntax.NewestDialect())
			s := Analyze(context.Background(), f, Config{Dialect: f.Dialect})
			deep := 0
			for _, d := range s.Diagnostics {
				if d.Code == "syntax/too-deep" {
					deep++
				}
			}
			if tc.tooDeep != (deep == 1) || deep > 1 {
				t.Errorf("%d too-deep diagnostics, want tooDeep=%v: %v", deep, tc.tooDeep, s.Diagnostics)
			}
		})
	}
}

// TestMacroCallFanOut checks macros that each call all the later ones:
// re-walking every call under the probe's context was exponential (40
// macros never finished), so the re-walks are bounded.
func TestMacroCallFanOut(t *testing.T) {
	t.Parallel()
	var b strings.Builder
	const n = 40
	for i := range n {
		fmt.Fprintf(&b, "macro m%d(x) { ", i)
		for j := i + 1; j < n; j++ {
			fmt.Fprintf(&b, "m%d(x) + ", j)
		}
		b.WriteString("x }\n")
	}
	b.WriteString("kprobe:vfs_read { $y = m0(arg0); print($y); }\n")
	f := syntax.Parse("fan.bt", []byte(b.String()), syntax.NewestDialect())
	s := Analyze(context.Background(), f, Config{Dialect: f.Dialect})
	for _, d := range s.Diagnostics {
		if d.Severity == SeverityError {
			t.Errorf("unexpected error: %v", d)
		}
	}
}
