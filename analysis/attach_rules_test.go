package analysis

import (
	"strings"
	"testing"

	"github.com/bpfls/bpfls/analysis/internal/analysistest"
	"github.com/bpfls/bpfls/analysis/syntax"
)

// attachRuleCase is one script on the fake kernel with the diagnostics it
// must produce, each as "code substring-of-message", in order.
type attachRuleCase struct {
	name string
	v    syntax.Version
	src  string
	want []string
}

func runAttachRuleCases(t *testing.T, cases []attachRuleCase) {
	t.Helper()
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

// TestUprobeSourceLocation checks uprobe:BINARY@FILE:LINE[:COL]: accepted
// from 0.26 with its parts checked, refused before, never on uretprobe.
func TestUprobeSourceLocation(t *testing.T) {
	t.Parallel()
	v17, v25, v26 := syntax.V0_17, syntax.V0_25, syntax.V0_26
	runAttachRuleCases(t, []attachRuleCase{
		{"line", v26, `uprobe:/bin/bash@shell.c:120 { @x = arg0; }`, nil},
		{"line and column", v26, `uprobe:/bin/bash@shell.c:120:7 { @x = args; }`, nil},
		{"alias and hex line", v26, `u:/bin/bash@shell.c:0x10 { @x = 1; }`, nil},
		{"column 0 means any", v26, `uprobe:/bin/bash@shell.c:120:0 { @x = 1; }`, nil},
		{"positional line", v26, `uprobe:/bin/bash@shell.c:$1 { @x = 1; }`, nil},
		{"line 0", v26, `uprobe:/bin/bash@shell.c:0 { @x = 1; }`, []string{`probe/attach-syntax line "0" is not a positive integer`}},
		{"line not a number", v26, `uprobe:/bin/bash@shell.c:main { @x = 1; }`, []string{`probe/attach-syntax line "main" is not a positive integer`}},
		{"column not a number", v26, `uprobe:/bin/bash@shell.c:12:x { @x = 1; }`, []string{`probe/attach-syntax column "x" is not a non-negative integer`}},
		{"no line", v26, `uprobe:/bin/bash@shell.c { @x = 1; }`, []string{"probe/attach-syntax written uprobe:BINARY@FILE:LINE[:COL]"}},
		{"empty file", v26, `uprobe:/bin/bash@:12 { @x = 1; }`, []string{"probe/attach-syntax written uprobe:BINARY@FILE:LINE[:COL]"}},
		{"too many parts", v26, `uprobe:/bin/bash@shell.c:1:2:3 { @x = 1; }`, []string{"probe/attach-syntax written uprobe:BINARY@FILE:LINE[:COL]"}},
		{"wildcard binary", v26, `uprobe:/bin/ba*@shell.c:12 { @x = 1; }`, []string{"probe/attach-syntax wildcard binary cannot be combined with a source location"}},
		{"0.25", v25, `uprobe:/bin/bash@shell.c:120 { @x = 1; }`, []string{"version/probe source-location uprobes need bpftrace 0.26 or newer (target is 0.25)"}},
		{"0.17", v17, `uprobe:/bin/bash@shell.c:120 { @x = 1; }`, []string{"version/probe source-location uprobes need bpftrace 0.26 or newer"}},
		{"uretprobe", v26, `uretprobe:/bin/bash@shell.c:120 { @x = retval; }`, []string{"probe/attach-syntax uretprobe probes do not take a source location"}},
		{"uretprobe 0.17", v17, `ur:/bin/bash@shell.c:120 { @x = retval; }`, []string{"probe/attach-syntax ur probes do not take a source location"}},
		{"quoted at is a path", v26, `uprobe:"/bin/a@b":main { @x = 1; }`, nil},
	})
}

// TestAttachParamQuote checks that a '$' in an attach point that is not a
// positional parameter must be quoted, in every version, and that the fix
// leaves a script without the diagnostic.
func TestAttachParamQuote(t *testing.T) {
	t.Parallel()
	v17, v24, v26 := syntax.V0_17, syntax.V0_24, syntax.V0_26
	runAttachRuleCases(t, []attachRuleCase{
		{"name 0.24", v24, `uprobe:/bin/bash:$a { @x = 1; }`, []string{`probe/positional-param "$a" is not a positional parameter`}},
		{"name 0.17", v17, `kprobe:$abc { @x = 1; }`, []string{`probe/positional-param "$abc" is not a positional parameter`}},
		{"zero", v26, `uprobe:/bin/bash:$0 { @x = 1; }`, []string{`probe/positional-param "$0" is not`}},
		{"trailing dollar", v26, `uprobe:/bin/bash:f$ { @x = 1; }`, []string{`probe/positional-param "$" is not`}},
		{"two in one part", v26, `uprobe:/bin/bash:$a$b { @x = 1; }`, []string{`probe/positional-param "$a"`, `probe/positional-param "$b"`}},
		{"in the probe type 0.26", v26, `$a:vfs_read { @x = 1; }`, []string{`probe/positional-param "$a" is not`}},
		{"params are fine", v26, `uprobe:$2:"aa"$1"aa" { @x = 1; }`, nil},
		{"param with text", v26, `uprobe:aa$1aa:$2func$4 { @x = 1; }`, nil},
		{"param in a kprobe 0.17", v17, `kprobe:vfs_$1 { @x = arg0; }`, nil},
		{"quoted", v17, `uprobe:/bin/bash:"$a" { @x = 1; }`, nil},
		{"partly quoted", v26, `uprobe:/bin/bash:x"$a"y { @x = 1; }`, nil},
		{"probe type 0.17", v17, `$1:tcp_sendmsg { @x = 1; }`, nil}, // the real 0.17 substitutes it
		// Before 0.26, "$a:…" is a syntax error the parser reports
		// (syntax.FeatVarAttachStart, in TestDialectGates).
	})
	src := "uprobe:/bin/bash:$a$1 { @x = 1; }"
	f, diags := probeDiags(t, src, v24, analysistest.NewTCPKernel())
	if len(diags) != 1 || len(diags[0].Fixes) != 1 {
		t.Fatalf("want one diagnostic with one fix:\n%s", fmtDiags(f, diags))
	}
	fix := diags[0].Fixes[0]
	if fix.Title != `Quote "$a"` || len(fix.Edits) != 1 {
		t.Fatalf("fix = %+v", fix)
	}
	e := fix.Edits[0]
	fixed := src[:e.Span.Start] + e.NewText + src[e.Span.End:]
	if want := `uprobe:/bin/bash:"$a"$1 { @x = 1; }`; fixed != want {
		t.Fatalf("fixed = %q, want %q", fixed, want)
	}
	if f, diags := probeDiags(t, fixed, v24, analysistest.NewTCPKernel()); len(diags) != 0 {
		t.Errorf("fixed script still has diagnostics:\n%s", fmtDiags(f, diags))
	}
}

// TestBuiltinRulesPerVersion checks signal() (refused by 0.17–0.24 outside
// kprobe, uprobe, usdt, tracepoint, profile and fentry-style probes, allowed
// everywhere from 0.25) and usermode (allowed in every probe: bpftrace folds
// it to a constant where it cannot be read).
func TestBuiltinRulesPerVersion(t *testing.T) {
	t.Parallel()
	cases := []struct {
		v                 syntax.Version
		provider, builtin string
		ok                bool
	}{
		{syntax.V0_17, "BEGIN", "signal", false},
		{syntax.V0_17, "END", "signal", false},
		{syntax.V0_17, "interval", "signal", false},
		{syntax.V0_17, "software", "signal", false},
		{syntax.V0_17, "hardware", "signal", false},
		{syntax.V0_17, "watchpoint", "signal", false},
		{syntax.V0_17, "asyncwatchpoint", "signal", false},
		{syntax.V0_17, "iter", "signal", false},
		{syntax.V0_17, "kprobe", "signal", true},
		{syntax.V0_17, "kretprobe", "signal", true},
		{syntax.V0_17, "uprobe", "signal", true},
		{syntax.V0_17, "usdt", "signal", true},
		{syntax.V0_17, "tracepoint", "signal", true},
		{syntax.V0_17, "profile", "signal", true},
		{syntax.V0_17, "fentry", "signal", true},
		{syntax.V0_18, "rawtracepoint", "signal", true},
		{syntax.V0_24, "BEGIN", "signal", false},
		{syntax.V0_24, "bench", "signal", false},
		{syntax.V0_24, "interval", "signal", false},
		{syntax.V0_25, "BEGIN", "signal", true},
		{syntax.V0_25, "interval", "signal", true},
		{syntax.V0_26, "iter", "signal", false},
		{syntax.V0_26, "BEGIN", "signal", false},
		{syntax.V0_26, "kprobe", "signal", true},
		{syntax.V0_24, "fentry", "usermode", true},
		{syntax.V0_24, "BEGIN", "usermode", true},
		{syntax.V0_26, "END", "usermode", true},
		{syntax.V0_26, "tracepoint", "usermode", true},
		{syntax.V0_26, "kprobe", "usermode", true},
	}
	for _, tc := range cases {
		pc := &ProbeContext{Provider: tc.provider, Dialect: syntax.Dialect{Version: tc.v}}
		ok, why := allowedBuiltin(pc, tc.builtin)
		if ok != tc.ok {
			t.Errorf("%s in %s for %s: allowed %v (%q), want %v", tc.builtin, tc.provider, tc.v, ok, why, tc.ok)
		}
		if !ok && !strings.Contains(why, `"`+tc.builtin+`" builtin cannot be used in `+tc.provider+" probes") {
			t.Errorf("%s in %s for %s: message %q", tc.builtin, tc.provider, tc.v, why)
		}
	}
	// Through the probe pass on the fake kernel, per attach point.
	runAttachRuleCases(t, []attachRuleCase{
		{"signal in BEGIN 0.17", syntax.V0_17, `BEGIN { signal(9); }`, []string{`builtin/probe-type "signal" builtin cannot be used in BEGIN probes`}},
		{"signal in interval 0.24", syntax.V0_24, `interval:s:1 { signal("KILL"); }`, []string{`builtin/probe-type "signal" builtin cannot be used in interval probes`}},
		{"signal in kprobe and END 0.17", syntax.V0_17, `kprobe:tcp_sendmsg, END { signal(9); }`, []string{`builtin/probe-type "signal" builtin cannot be used in END probes`}},
		{"signal in BEGIN 0.25", syntax.V0_25, `BEGIN { signal(9); }`, nil},
		{"signal in BEGIN 0.26", syntax.V0_26, `BEGIN { signal(9); }`, []string{`builtin/probe-type "signal" builtin cannot be used in BEGIN probes`}},
		{"usermode in fentry 0.24", syntax.V0_24, `fentry:tcp_sendmsg { @x = usermode; }`, nil},
		{"usermode in BEGIN 0.26", syntax.V0_26, `BEGIN { @x = usermode; }`, nil},
	})
}
