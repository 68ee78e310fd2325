package fix

import (
	"context"
	"errors"
	"testing"

	"github.com/bpfls/bpfls/analysis"
	"github.com/bpfls/bpfls/analysis/format"
	"github.com/bpfls/bpfls/analysis/internal/analysistest"
	"github.com/bpfls/bpfls/analysis/syntax"
)

// maxFixesPerInput bounds the fixes one fuzz input applies, so that an
// input with hundreds of diagnostics does not stall the fuzzer.
const maxFixesPerInput = 16

// FuzzPipeline runs what the server runs on any text: parse, analysis with
// the refactorings plugged in (over a small kernel, so that mixed-argument
// conflicts and their fixes arise), every code action applied and its
// result parsed and analysed again, and formatting. Nothing may panic, every
// diagnostic and edit must lie inside the text, a fix's edits must not
// overlap, and formatting a file without syntax errors must give one
// without syntax errors.
func FuzzPipeline(f *testing.F) {
	for _, ar := range analysistest.Archives(f, analysistest.RepoPath("testdata/analysis/*.txtar")) {
		if src, ok := analysistest.Section(ar, "input.bt"); ok {
			f.Add(src, uint8(2))
		}
	}
	f.Add([]byte("kprobe:tcp_sendmsg, kprobe:tcp_recvmsg { @[args.size] = count(); }\n"), uint8(0))
	f.Add([]byte("fentry:tcp_sendmsg, fentry:tcp_recvmsg { @b[args.len] = sum(args.size); }\n"), uint8(1))
	f.Add([]byte("tracepoint:syscalls:sys_enter_read,tracepoint:syscalls:sys_enter_write { @[args->count] = count(); }\n"), uint8(2))
	f.Add([]byte("BEGIN { @x = 1 +; $y = comm(; }\nkprobe:tcp_close { printf(\"%s\\n\", args.sk); }\n"), uint8(3))
	kernel := analysistest.NewTCPKernel()
	f.Fuzz(func(t *testing.T, src []byte, which uint8) {
		if analysis.TooLarge(src) {
			return
		}
		d := syntax.Dialect{Version: []syntax.Version{syntax.Oldest, syntax.V0_24, syntax.Newest, syntax.V0_21}[which%4]}
		cfg := analysis.Config{Dialect: d, Kernel: kernel, Refactorer: Refactorings{}}
		snap := pipelineCheck(t, src, cfg)
		fixes := 0
		for _, dg := range snap.Diagnostics {
			for _, fix := range dg.Fixes {
				if fixes++; fixes > maxFixesPerInput {
					return
				}
				pipelineApply(t, src, fix, cfg)
			}
		}
		if fix, ok := analysis.MigrationFix(snap); ok {
			pipelineApply(t, src, fix, cfg)
		}
	})
}

// pipelineCheck parses, analyses and formats src, checking the invariants.
func pipelineCheck(t *testing.T, src []byte, cfg analysis.Config) *analysis.Snapshot {
	t.Helper()
	file := syntax.Parse("fuzz.bt", src, cfg.Dialect)
	snap := analysis.Analyze(context.Background(), file, cfg)
	for _, dg := range snap.Diagnostics {
		if dg.Span.Start < 0 || dg.Span.End < dg.Span.Start || int(dg.Span.End) > len(src) {
			t.Fatalf("diagnostic %q [%s] has span %v outside [0, %d]", dg.Message, dg.Code, dg.Span, len(src))
		}
	}
	out, err := format.Source(file)
	switch {
	case errors.Is(err, format.ErrSyntax):
	case err != nil:
		t.Fatalf("formatting: %v", err)
	default:
		if again := syntax.Parse("fuzz.bt", out, cfg.Dialect); len(again.Errors) > 0 {
			t.Fatalf("formatted text has syntax errors %v:\n%s", again.Errors, out)
		}
	}
	return snap
}

// pipelineApply applies fix to src and runs the pipeline on the result.
func pipelineApply(t *testing.T, src []byte, fix analysis.Fix, cfg analysis.Config) {
	t.Helper()
	out, _, err := applyFix(src, fix)
	if err != nil {
		t.Fatalf("fix %q: %v", fix.Title, err)
	}
	if !analysis.TooLarge(out) {
		pipelineCheck(t, out, cfg)
	}
}

// TestPipelineSeedsOfferFixes keeps FuzzPipeline's seeds meaningful: over
// its small kernel, the mixed-argument seeds must offer fixes to apply.
func TestPipelineSeedsOfferFixes(t *testing.T) {
	t.Parallel()
	for _, v := range []syntax.Version{syntax.Oldest, syntax.V0_24, syntax.Newest} {
		cfg := analysis.Config{Dialect: syntax.Dialect{Version: v}, Kernel: analysistest.NewTCPKernel(), Refactorer: Refactorings{}}
		n := 0
		for _, src := range []string{
			"kprobe:tcp_sendmsg, kprobe:tcp_recvmsg { @[args.size] = count(); }\n",
			"fentry:tcp_sendmsg, fentry:tcp_recvmsg { @b[args.len] = sum(args.size); }\n",
		} {
			for _, dg := range pipelineCheck(t, []byte(src), cfg).Diagnostics {
				n += len(dg.Fixes)
			}
		}
		if n == 0 {
			t.Errorf("%s: no fixes offered", v)
		}
	}
}
