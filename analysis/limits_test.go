package analysis

import (
	"bytes"
	"context"
	"fmt"
	"runtime"
	"runtime/debug"
	"strings"
	"testing"

	"github.com/bpfls/bpfls/analysis/benchtest"
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

// TestItemsNotHeldAnalysis analyses a document over holdItemsMax (the
// corpus scripts, repeated), whose items the full pass does not hold
// across its passes, with collections frequent enough that most probes
// are dropped and parsed again, alone, between and within the passes. Its
// diagnostics and symbols must equal those of the same analysis of a
// parse whose items the test holds throughout, and it must leave no probe
// held. It does not run in parallel, as it makes collections frequent.
func TestItemsNotHeldAnalysis(t *testing.T) {
	var b bytes.Buffer
	for b.Len() <= holdItemsMax {
		for _, s := range benchtest.CorpusScripts(t) {
			b.Write(s.Src)
			b.WriteString("\n")
		}
	}
	src := b.Bytes()
	dump := func(s *Snapshot) string {
		var out strings.Builder
		for _, d := range s.Diagnostics {
			fmt.Fprintf(&out, "%v %s %s\n", d.Span, d.Code, d.Message)
		}
		for _, sym := range s.Symbols() {
			fmt.Fprintf(&out, "%v %s %v %v\n", sym.Kind, sym.Name, sym.Def, sym.Refs)
		}
		return out.String()
	}
	for _, d := range []syntax.Dialect{syntax.NewestDialect(), {Version: syntax.V0_17}} {
		cfg := Config{Dialect: d}
		held := syntax.Parse("big.bt", src, d)
		items := held.Items()
		want := dump(Reanalyze(context.Background(), &Snapshot{Config: cfg}, held))
		runtime.KeepAlive(items)

		old := debug.SetGCPercent(1)
		f := syntax.Parse("big.bt", src, d)
		s := Reanalyze(context.Background(), &Snapshot{Config: cfg}, f)
		debug.SetGCPercent(old)
		if got := dump(s); got != want {
			t.Fatalf("%s: the analysis differs when its items are not held:\n%s", d.Version, firstDiff(got, want))
		}
		if len(s.Diagnostics) < 100 || len(s.Symbols()) < 100 {
			t.Fatalf("%s: %d diagnostics, %d symbols: the corpus checks too little", d.Version, len(s.Diagnostics), len(s.Symbols()))
		}
		runtime.GC()
		if n := f.ProbesInMemory(); n != 0 {
			t.Errorf("%s: %d probes still held after the first analysis, want none", d.Version, n)
		}
		runtime.KeepAlive(s)
	}
}

// firstDiff shows the first line where got and want differ.
func firstDiff(got, want string) string {
	g, w := strings.Split(got, "\n"), strings.Split(want, "\n")
	for i := range min(len(g), len(w)) {
		if g[i] != w[i] {
			return fmt.Sprintf("line %d:\n got  %s\n want %s", i+1, g[i], w[i])
		}
	}
	return fmt.Sprintf("%d lines, want %d", len(g), len(w))
}
