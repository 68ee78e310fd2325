package analysis

import (
	"context"
	"testing"

	"github.com/bpfls/bpfls/analysis/internal/analysistest"
	"github.com/bpfls/bpfls/analysis/syntax"
)

// TestMissingProbesConfig checks that the config block's missing_probes
// decides how attach points the kernel lacks are reported (from 0.21).
func TestMissingProbesConfig(t *testing.T) {
	t.Parallel()
	const probes = "tracepoint:syscalls:sys_enter_reed { @x = 1; }\nkprobe:nope_* { @y = 1; }\nfentry:tcp_sendmsgx { @z = 1; }\n"
	cases := []struct {
		name   string
		v      syntax.Version
		config string
		want   Severity // of every diagnostic; 0: none at all
	}{
		{"unset", syntax.V0_26, "", SeverityError},
		{"error", syntax.V0_26, `config = { missing_probes = "error" }`, SeverityError},
		{"warn", syntax.V0_26, `config = { missing_probes = "warn" }`, SeverityWarning},
		{"warn unquoted alias", syntax.V0_24, `config = { BPFTRACE_MISSING_PROBES = warn }`, SeverityWarning},
		{"ignore", syntax.V0_26, `config = { missing_probes = "ignore" }`, 0},
		{"last entry wins", syntax.V0_26, `config = { missing_probes = "ignore"; missing_probes = "warn" }`, SeverityWarning},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f, diags := probeDiags(t, tc.config+"\n"+probes, tc.v, analysistest.NewTCPKernel())
			if tc.want == 0 {
				if len(diags) != 0 {
					t.Fatalf("got diagnostics, want none:\n%s", fmtDiags(f, diags))
				}
				return
			}
			if len(diags) != 3 {
				t.Fatalf("got %d diagnostics, want 3:\n%s", len(diags), fmtDiags(f, diags))
			}
			for _, d := range diags {
				if d.Severity != tc.want {
					t.Errorf("%s: severity %v, want %v", fmtDiag(f, d), d.Severity, tc.want)
				}
			}
		})
	}
}

// TestMissingProbesConfigCache checks that editing the config block does
// not reuse the probe results cached under the old setting.
func TestMissingProbesConfigCache(t *testing.T) {
	t.Parallel()
	run := func(src string, prev *probeCache) ([]Diagnostic, *probeCache) {
		f := syntax.Parse("test.bt", []byte(src), syntax.Dialect{Version: syntax.V0_26})
		cfg := Config{Dialect: f.Dialect, Kernel: analysistest.NewTCPKernel()}
		return runProbePass(context.Background(), testBody, f, cfg, newProbeCache(f, cfg, nil), prev)
	}
	const probe = "\ntracepoint:syscalls:sys_enter_reed { @x = 1; }\n"
	d1, c1 := run(`config = { missing_probes = "error" }`+probe, nil)
	d2, c2 := run(`config = { missing_probes = "warn"  }`+probe, c1)
	if len(d1) != 1 || d1[0].Severity != SeverityError {
		t.Fatalf("error setting: got %v", d1)
	}
	if len(d2) != 1 || d2[0].Severity != SeverityWarning || c2.hits != 0 {
		t.Fatalf("warn setting after error: got %v (cache hits %d)", d2, c2.hits)
	}
}
