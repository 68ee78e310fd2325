package analysis

import (
	"context"
	"strings"
	"testing"

	"github.com/bpfls/bpfls/analysis/internal/analysistest"
	"github.com/bpfls/bpfls/analysis/syntax"
	"github.com/bpfls/bpfls/btfindex"
)

// TestRealKprobeSymbols: kprobes attach by symbol, so compiler clones
// ("foo.constprop.0", "foo.isra.0") that BTF lacks are found through the
// live kernel's kallsyms, by exact name and by wildcard, in every version;
// a name in neither is still flagged (a warning for an exact name, and for
// a wildcard an error from 0.24, as bpftrace reports).
func TestRealKprobeSymbols(t *testing.T) {
	ix := analysistest.RealKernel(t)
	var clone string
	for _, suf := range []string{"*.constprop.*", "*.isra.*", "*.part.*"} {
		for _, n := range ix.Match(btfindex.NameSymbol, suf) {
			if _, ok := ix.Func(n); !ok {
				clone = n
				break
			}
		}
		if clone != "" {
			break
		}
	}
	if clone == "" {
		analysistest.RequireReal(t, "the kernel's symbols have no compiler clone without BTF")
	}
	base, _, _ := strings.Cut(clone, ".")
	tests := []struct {
		name, src string
		want      map[syntax.Version]string // version → severity of the one diagnostic; missing: clean
	}{
		{"exact clone", "kprobe:" + clone + " { @ = count(); }", nil},
		{"kretprobe clone", "kretprobe:" + clone + " { @ = count(); }", nil},
		{"clone wildcard", "kprobe:" + base + ".* { @ = count(); }", nil},
		{"missing exact", "kprobe:" + base + "_nope_xyz { @ = count(); }",
			map[syntax.Version]string{syntax.V0_17: "warning", syntax.V0_24: "warning", syntax.V0_26: "warning"}},
		{"missing wildcard", "kprobe:" + base + "_nope_xyz* { @ = count(); }",
			map[syntax.Version]string{syntax.V0_17: "warning", syntax.V0_24: "error", syntax.V0_26: "error"}},
	}
	for _, tc := range tests {
		for _, v := range []syntax.Version{syntax.V0_17, syntax.V0_24, syntax.V0_26} {
			t.Run(tc.name+"/"+v.String(), func(t *testing.T) {
				d := syntax.Dialect{Version: v}
				f := syntax.Parse("t.bt", []byte(tc.src), d)
				s := Analyze(context.Background(), f, Config{Dialect: d, Kernel: ix})
				want := tc.want[v]
				if want == "" {
					if len(s.Diagnostics) != 0 {
						t.Errorf("%s: got %s", tc.src, renderDiags(s.Diagnostics, []byte(tc.src)))
					}
					return
				}
				if len(s.Diagnostics) != 1 || !strings.Contains(string(renderDiags(s.Diagnostics, []byte(tc.src))), want) {
					t.Errorf("%s: want one %s, got %s", tc.src, want, renderDiags(s.Diagnostics, []byte(tc.src)))
				}
			})
		}
	}
}
