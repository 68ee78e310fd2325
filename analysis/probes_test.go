package analysis

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/bpfls/bpfls/analysis/internal/analysistest"
	"github.com/bpfls/bpfls/analysis/syntax"
)

// testBody stands in for the body checks in unit tests: it reports builtins
// the probe type lacks and args fields the context lacks, the way the real
// checks do, so the merge can be tested on its own.
func testBody(p *syntax.Probe, pc *ProbeContext, _ bool) BodyResult {
	r := &Reporter{}
	res := BodyResult{}
	var argsUses []syntax.Span
	res.ArgUses, res.RetvalUses, argsUses = scanBody(p)
	res.UsesArgs = len(argsUses) > 0
	res.UsesRetval = len(res.RetvalUses) > 0
	fields := map[*syntax.Ident]bool{}
	visit := func(n syntax.Node) bool {
		switch x := n.(type) {
		case *syntax.FieldExpr:
			fields[x.Field] = true
		case *syntax.Ident:
			if fields[x] {
				return true
			}
			if ok, why := allowedBuiltin(pc, x.Name); !ok {
				r.Errorf(syntax.Span{Start: x.Pos(), End: x.End()}, CodeBuiltinProbe, "%s", why)
			}
		}
		return true
	}
	if p.Pred != nil {
		syntax.Inspect(p.Pred, visit)
	}
	syntax.Inspect(p.Body, visit)
	for _, u := range res.ArgUses {
		if _, ok, known := pc.Arg(u.Field); pc.HasArgs && known && !ok {
			r.Errorf(u.Span, CodeArgsUnknownField, "%s has no field %q", pc.Target, u.Field)
		}
	}
	res.Diags = r.Diags
	return res
}

// probeDiags runs the probe pass with testBody over src.
func probeDiags(t *testing.T, src string, v syntax.Version, k Kernel) (*syntax.File, []Diagnostic) {
	t.Helper()
	f := syntax.Parse("test.bt", []byte(src), syntax.Dialect{Version: v})
	if len(f.Errors) > 0 {
		t.Fatalf("parse %q: %v", src, f.Errors)
	}
	cfg := Config{Dialect: f.Dialect, Kernel: k}
	diags, _ := runProbePass(context.Background(), testBody, f, cfg, newProbeCache(f, cfg, nil), nil)
	SortDiagnostics(diags)
	return f, diags
}

// fmtDiag renders a diagnostic for comparisons: "1:8-15 error [code] message".
func fmtDiag(f *syntax.File, d Diagnostic) string {
	l, c := f.Lines.Position(d.Span.Start)
	_, c2 := f.Lines.Position(d.Span.End)
	return fmt.Sprintf("%d:%d-%d %s [%s] %s", l, c, c2, d.Severity, d.Code, d.Message)
}

func fmtDiags(f *syntax.File, ds []Diagnostic) string {
	var b strings.Builder
	for _, d := range ds {
		b.WriteString(fmtDiag(f, d) + "\n")
	}
	return b.String()
}

// TestAttachPoints checks the attach-point rules of every provider on a fake
// kernel: exactly the listed diagnostics, in order.
func TestAttachPoints(t *testing.T) {
	t.Parallel()
	v17, v24, v26 := syntax.V0_17, syntax.V0_24, syntax.V0_26
	cases := []struct {
		name string
		v    syntax.Version
		src  string
		want []string // "code substring-of-message"
	}{
		{"kprobe ok", v17, `kprobe:tcp_sendmsg { @x = arg0; }`, nil},
		{"kprobe alias and offset", v17, `k:tcp_sendmsg+16 { @x = arg0; }`, nil},
		{"kprobe bad offset", v17, `kprobe:tcp_sendmsg+x1 { @x = arg0; }`, []string{"probe/attach-syntax offset \"x1\""}},
		{"kprobe unknown function warns", v17, `kprobe:tcp_sendmsgg { @x = arg0; }`, []string{"probe/unknown-function no function \"tcp_sendmsgg\""}},
		{"kprobe module before 0.20", v17, `kprobe:mod:tcp_sendmsg { @x = arg0; }`, []string{"probe/attach-syntax take 1 part"}},
		{"kprobe module from 0.20", v24, `kprobe:mod:tcp_sendmsg { @x = arg0; }`, nil},
		{"kprobe wildcard", v17, `kprobe:tcp_* { @x = arg0; }`, nil},
		{"kprobe wildcard no match 0.17 warns", v17, `kprobe:nope_* { @x = arg0; }`, []string{"probe/no-match no kernel function matches \"nope_*\""}},
		{"kretprobe offset", v17, `kretprobe:tcp_sendmsg+4 { @x = retval; }`, []string{"probe/attach-syntax do not take an offset"}},
		{"not traceable", v26, `kprobe:secret_fn { @x = arg0; }`, []string{"probe/not-traceable not traceable"}},
		{"unknown provider", v26, `kprobee:tcp_sendmsg { @x = arg0; }`, []string{"probe/unknown unknown probe type \"kprobee\", did you mean \"kprobe\"?"}},
		{"fentry in 0.17", v17, `fentry:tcp_sendmsg { @x = args->size; }`, []string{"version/probe needs bpftrace 0.20 or newer (target is 0.17), use \"kfunc\""}},
		{"kfunc hint in 0.20+", v26, `kfunc:tcp_sendmsg { @x = args.size; }`, []string{"probe/legacy-name old name of \"fentry\""}},
		{"fentry unknown function", v26, `fentry:tcp_sendmsgx { @x = args.size; }`, []string{"probe/unknown-function kernel has no function \"tcp_sendmsgx\", did you mean \"tcp_sendmsg\"?"}},
		{"fentry wildcard no match", v26, `fentry:nope_* { @x = 1; }`, []string{"probe/no-match no kernel function matches"}},
		{"tracepoint ok", v17, `tracepoint:syscalls:sys_enter_read { @x = args->count; }`, nil},
		{"tracepoint one part", v17, `tracepoint:syscalls { @x = 1; }`, []string{"probe/attach-syntax take 2 parts"}},
		{"tracepoint unknown", v17, `tracepoint:syscalls:sys_enter_reed { @x = 1; }`, []string{"probe/unknown-tracepoint no tracepoint \"syscalls:sys_enter_reed\", did you mean \"syscalls:sys_enter_read\"?"}},
		{"tracepoint wildcard no match", v17, `tracepoint:syscalls:nope_* { @x = 1; }`, []string{"probe/no-match no tracepoint matches"}},
		{"lowercase begin in 0.17", v17, `begin { @x = 1; }`, []string{"version/probe must be written \"BEGIN\""}},
		{"lowercase begin in 0.24", v24, `begin { @x = 1; }`, nil},
		{"BEGIN with parts", v17, `BEGIN:foo { @x = 1; }`, []string{"probe/attach-syntax take 0 parts"}},
		{"two BEGIN before 0.25", v24, "BEGIN { @x = 1; }\nBEGIN { @y = 1; }", []string{"probe/attach-syntax only one BEGIN"}},
		{"two BEGIN in 0.25", syntax.V0_25, "BEGIN { @x = 1; }\nBEGIN { @y = 1; }", nil},
		{"profile unit", v17, `profile:hs:99 { @x = 1; }`, []string{"probe/attach-syntax \"hs\" is not a unit of time (hz, s, ms or us), did you mean \"hz\"?"}},
		{"interval one part in 0.17", v17, `interval:1s { @x = 1; }`, []string{"probe/attach-syntax take 2 parts"}},
		{"interval duration in 0.24", v24, `interval:1s { @x = 1; }`, nil},
		{"interval too short", v24, `interval:10ns { @x = 1; }`, []string{"probe/attach-syntax below the minimum"}},
		{"software event", v17, `software:faults:100 { @x = 1; }`, nil},
		{"software unknown event", v17, `software:fault { @x = 1; }`, []string{"probe/unknown-event \"fault\" is not a software event, did you mean \"faults\"?"}},
		{"hardware count", v17, `hardware:cache-misses:x { @x = 1; }`, []string{"probe/attach-syntax \"x\" is not a count"}},
		{"watchpoint length and mode", v17, `watchpoint:0x1000:3:rq { @x = 1; }`, []string{"probe/attach-syntax length must be 1, 2, 4 or 8", "probe/attach-syntax mode must be"}},
		{"iter alone", v26, `iter:task, kprobe:tcp_sendmsg { @x = 1; }`, []string{"probe/iter-alone single attach point"}},
		{"iter unknown", v26, `iter:nope { @x = 1; }`, []string{"probe/unknown-iter no iterator \"nope\""}},
		{"iter 0.17 names", v17, `iter:task_vma { @x = 1; }`, []string{"probe/attach-syntax only has the iter probes"}},
		{"rawtracepoint in 0.17", v17, `rawtracepoint:sched_switch { @x = 1; }`, []string{"version/probe needs bpftrace 0.18"}},
		{"self signal", v26, `self:signal:SIGUSR2 { @x = 1; }`, []string{"probe/attach-syntax only support SIGUSR1"}},
		{"positional param part", v17, `kprobe:$1 { @x = arg0; }`, nil},
		{"positional param provider 0.17", v17, `$1:tcp_sendmsg { @x = 1; }`, nil},
		{"asyncwatchpoint removed", syntax.V0_25, `aw:0x1000:4:w { @x = 1; }`, []string{"version/probe was removed in bpftrace 0.25"}},
		{"uprobe needs binary in 0.17 shape", v17, `uprobe:/bin/bash:readline { @x = arg0; }`, nil},
		{"usdt", v17, `usdt:/bin/x:a:b:c { @x = arg0; }`, []string{"probe/attach-syntax take 1 to 3 parts"}},
		{"argN in tracepoint", v17, `tracepoint:syscalls:sys_enter_read { @x = arg0; }`, []string{"builtin/probe-type \"arg0\" builtin cannot be used in tracepoint probes"}},
		{"ctx in tracepoint", v17, `tracepoint:syscalls:sys_enter_read { @x = ctx; }`, []string{"builtin/probe-type use args instead of ctx"}},
		{"func in BEGIN", v17, `BEGIN { @x = func; }`, []string{"builtin/probe-type \"func\" builtin cannot be used in BEGIN probes"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f, diags := probeDiags(t, tc.src, tc.v, analysistest.NewTCPKernel())
			if len(diags) != len(tc.want) {
				t.Fatalf("got %d diagnostics, want %d:\n%s", len(diags), len(tc.want), fmtDiags(f, diags))
			}
			for i, w := range tc.want {
				code, msg, _ := strings.Cut(w, " ")
				if diags[i].Code != code || !strings.Contains(diags[i].Message, msg) {
					t.Errorf("diagnostic %d = %s, want [%s] …%s…", i, fmtDiag(f, diags[i]), code, msg)
				}
			}
		})
	}
}

// TestNoKernel checks that kernel checks are skipped without a kernel while
// syntax checks still run.
func TestNoKernel(t *testing.T) {
	t.Parallel()
	f, diags := probeDiags(t, "fentry:nope_fn { @x = args.whatever; }\nkretprobe:f+1 { @y = retval; }", syntax.V0_26, nil)
	got := fmtDiags(f, diags)
	if len(diags) != 1 || diags[0].Code != CodeAttachSyntax {
		t.Fatalf("want only the offset error, got:\n%s", got)
	}
}

// TestProbePassSurvivesBrokenInput runs the probe pass over every prefix of
// every golden script: broken attach points and bodies must never panic or
// produce spans outside the file.
func TestProbePassSurvivesBrokenInput(t *testing.T) {
	t.Parallel()
	ars := analysistest.Archives(t, goldenGlob)
	for file, ar := range ars {
		src, _ := analysistest.Section(ar, "input.bt")
		for n := 0; n <= len(src); n++ {
			for _, v := range []syntax.Version{syntax.V0_17, syntax.V0_26} {
				f := syntax.Parse("p.bt", src[:n], syntax.Dialect{Version: v})
				cfg := Config{Dialect: f.Dialect, Kernel: analysistest.NewTCPKernel()}
				diags, _ := runProbePass(context.Background(), testBody, f, cfg, newProbeCache(f, cfg, nil), nil)
				for _, d := range diags {
					if d.Span.Start < 0 || d.Span.End > syntax.Pos(n) || d.Span.End < d.Span.Start {
						t.Fatalf("%s[:%d] (%s): span %v out of range: %s", file, n, v, d.Span, d.Message)
					}
				}
			}
		}
	}
}

// TestNoTracefs checks that a kernel without tracepoint facts (no tracefs)
// leaves tracepoints unchecked instead of unknown.
func TestNoTracefs(t *testing.T) {
	t.Parallel()
	k := analysistest.NewTCPKernel()
	k.Tracepoints = nil
	f, diags := probeDiags(t, "tracepoint:syscalls:sys_enter_read { @x = args->count; }", syntax.V0_17, k)
	if len(diags) != 0 {
		t.Errorf("want no diagnostics without tracefs, got:\n%s", fmtDiags(f, diags))
	}
}
