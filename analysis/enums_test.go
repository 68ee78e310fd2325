package analysis

import (
	"context"
	"strings"
	"testing"

	"github.com/bpfls/bpfls/analysis/internal/analysistest"
	"github.com/bpfls/bpfls/analysis/syntax"
)

// TestRealEnumIdents: bare identifiers are BTF enum constants, the
// script's own enum constants or #defines, or errors (as bpftrace 0.17,
// 0.24 and 0.26 report "Unknown identifier"), with a did-you-mean from the
// kernel's constants.
func TestRealEnumIdents(t *testing.T) {
	ix := analysistest.RealKernel(t)
	tests := []struct {
		name, src string
		wantFix   string // "" when clean
	}{
		{"btf constant", "kprobe:vfs_read { @a = TCP_ESTABLISHED; }", ""},
		{"misspelt", "kprobe:vfs_read { @a = TCP_ESTABLISHD; }", "TCP_ESTABLISHED"},
		{"script enum", "enum ee { E1 = 3, E2 };\nkprobe:vfs_read { @a = E1 + E2; }", ""},
		{"script define", "#define MYC 3\nkprobe:vfs_read { @a = MYC; }", ""},
		{"lower case unknown", "kprobe:vfs_read { @a = tcp_established; }", ""},
	}
	for _, tc := range tests {
		for _, v := range []syntax.Version{syntax.V0_17, syntax.V0_24, syntax.V0_26} {
			t.Run(tc.name+"/"+v.String(), func(t *testing.T) {
				d := syntax.Dialect{Version: v}
				f := syntax.Parse("t.bt", []byte(tc.src), d)
				s := Analyze(context.Background(), f, Config{Dialect: d, Kernel: ix})
				got := string(renderDiags(s.Diagnostics, []byte(tc.src)))
				switch {
				case tc.name == "lower case unknown":
					if !strings.Contains(got, CodeUnknownIdent) {
						t.Errorf("want an unknown identifier, got %s", got)
					}
				case tc.wantFix == "":
					if len(s.Diagnostics) != 0 {
						t.Errorf("got %s", got)
					}
				default:
					if len(s.Diagnostics) != 1 || s.Diagnostics[0].Code != CodeUnknownIdent || !strings.Contains(got, "with \""+tc.wantFix+"\"") {
						t.Errorf("want an unknown identifier with a fix to %s, got %s", tc.wantFix, got)
					}
				}
			})
		}
	}
}
