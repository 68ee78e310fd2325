package analysis

import (
	"context"
	"testing"

	"github.com/bpfls/bpfls/analysis/internal/analysistest"
	"github.com/bpfls/bpfls/analysis/syntax"
)

// TestBodyCheckedOncePerContext counts body checks: instances with equal
// contexts share one, whatever their number.
func TestBodyCheckedOncePerContext(t *testing.T) {
	t.Parallel()
	cases := []struct {
		src  string
		want int
	}{
		{`kprobe:tcp_sendmsg, kprobe:tcp_recvmsg, kprobe:tcp_* { @c = count(); }`, 1},
		{`tracepoint:syscalls:sys_enter_read, tracepoint:syscalls:sys_enter_write { @c = count(); }`, 1},
		{`tracepoint:syscalls:sys_enter_* { @c = count(); }`, 2},
		{`fentry:tcp_* { @c = count(); }`, 4},
		{`fentry:tcp_sendmsg, kprobe:tcp_sendmsg, BEGIN { @c = count(); }`, 3},
	}
	for _, tc := range cases {
		f := syntax.Parse("t.bt", []byte(tc.src), syntax.Dialect{Version: syntax.V0_26})
		calls := 0
		body := func(p *syntax.Probe, pc *ProbeContext, _ bool) BodyResult { calls++; return BodyResult{} }
		cfg := Config{Dialect: f.Dialect, Kernel: analysistest.NewTCPKernel()}
		runProbePass(context.Background(), body, f, cfg, newProbeCache(f, cfg, nil), nil)
		if calls != tc.want {
			t.Errorf("%s: body checked %d times, want %d", tc.src, calls, tc.want)
		}
	}
}
