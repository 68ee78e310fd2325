package analysis

import (
	"testing"

	"github.com/bpfls/bpfls/analysis/internal/analysistest"
	"github.com/bpfls/bpfls/analysis/syntax"
)

// TestCtxProgramTypes checks that ctx is refused in a probe whose attach
// points compile to different BPF program types, up to 0.24 only.
func TestCtxProgramTypes(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		v    syntax.Version
		src  string
		want int // ctx program-type errors
	}{
		{"kprobe and interval 0.17", syntax.V0_17, "kprobe:tcp_sendmsg, interval:s:1 { @x = (uint64)ctx; }", 1},
		{"kprobe and profile 0.24", syntax.V0_24, "kprobe:tcp_sendmsg, profile:hz:99 { @x = (uint64)ctx; }", 1},
		{"two uses 0.17", syntax.V0_17, "kprobe:tcp_sendmsg, interval:s:1 /ctx != 0/ { @x = (uint64)ctx; }", 2},
		{"kprobe and interval 0.25", syntax.V0_25, "kprobe:tcp_sendmsg, interval:s:1 { @x = (uint64)ctx; }", 0},
		{"kprobe and uprobe 0.17", syntax.V0_17, "kprobe:tcp_sendmsg, uprobe:/bin/sh:main { @x = (uint64)ctx; }", 0},
		{"kprobe pair 0.17", syntax.V0_17, "kprobe:tcp_sendmsg, kretprobe:tcp_sendmsg { @x = (uint64)ctx; }", 0},
		{"no ctx 0.17", syntax.V0_17, "kprobe:tcp_sendmsg, interval:s:1 { @x = 1; }", 0},
		{"field named ctx 0.17", syntax.V0_17, "kprobe:tcp_sendmsg, interval:s:1 { $t = (struct task_struct *)curtask; @x = $t->ctx; }", 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f, diags := probeDiags(t, tc.src, tc.v, analysistest.NewTCPKernel())
			got := 0
			for _, d := range diags {
				if d.Code == CodeBuiltinProbe && d.Severity == SeverityError {
					got++
				}
			}
			if got != tc.want {
				t.Errorf("got %d ctx errors, want %d:\n%s", got, tc.want, fmtDiags(f, diags))
			}
		})
	}
}
