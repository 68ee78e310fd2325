package analysis_test

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/bpfls/bpfls/analysis"
	"github.com/bpfls/bpfls/analysis/fix"
	"github.com/bpfls/bpfls/analysis/internal/analysistest"
	"github.com/bpfls/bpfls/analysis/syntax"
)

// TestMixedMessages pins the exact messages, severities, related
// information and fix titles of the mixed-arguments analysis on the fake
// kernel, under the 0.17–0.24 rule and the 0.25+ rule.
func TestMixedMessages(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		v    syntax.Version
		src  string
		want string // fmtDiag lines, then "  related L:C msg" and "  fix title"
	}{
		{
			name: "field missing 0.25",
			v:    syntax.V0_25,
			src:  `fentry:tcp_sendmsg, fentry:tcp_recvmsg { @b = sum(args.size); }`,
			want: `1:56-60 error [args/mixed] args.size: tcp_sendmsg has size_t size, tcp_recvmsg has no parameter "size" (it has "len")
  related 1:1 tcp_sendmsg: has size_t size
  related 1:21 tcp_recvmsg: has no parameter "size"
  fix Split into one probe per argument list sharing macro "shared_body"
  fix Split into one probe per argument list, using args.len for args.size in fentry:tcp_recvmsg
`,
		},
		{
			name: "common field is fine from 0.25",
			v:    syntax.V0_25,
			src:  `fentry:tcp_sendmsg, fentry:tcp_recvmsg { @s[args.sk] = count(); }`,
			want: "",
		},
		{
			name: "common field is a probe error up to 0.24",
			v:    syntax.V0_24,
			src:  `fentry:tcp_sendmsg, fentry:tcp_recvmsg { @s[args.sk] = count(); }`,
			want: `1:21-39 error [args/mixed-probe] probe has attach points with mixed arguments
  related 1:1 tcp_sendmsg(struct sock *sk, struct msghdr *msg, size_t size)
  related 1:21 tcp_recvmsg(struct sock *sk, struct msghdr *msg, size_t len, int flags, int *addr_len)
  fix Split into one probe per argument list sharing macro "shared_body" (sets unstable_macro = enable: macros are unstable in bpftrace 0.24)
  fix Split into one probe per argument list
`,
		},
		{
			name: "kfunc names only compared before 0.19",
			v:    syntax.V0_17,
			src:  `kfunc:tcp_sendmsg, kfunc:udp_sendmsg { @s[args->sk] = count(); }`,
			want: `1:20-37 error [args/mixed-probe] probe has attach points with mixed arguments
  related 1:1 tcp_sendmsg(struct sock *sk, struct msghdr *msg, size_t size)
  related 1:20 udp_sendmsg(struct sock *sk, struct msghdr *msg, size_t len)
  fix Split into one probe per argument list sharing #define SHARED_BODY
  fix Split into one probe per argument list
`,
		},
		{
			name: "probes without args or retval are never mixed",
			v:    syntax.V0_17,
			src:  `kfunc:tcp_sendmsg, kfunc:tcp_close { @c = count(); }`,
			want: "",
		},
		{
			name: "retval typed differently warns from 0.25",
			v:    syntax.V0_26,
			src:  `fexit:tcp_sendmsg, fexit:tcp_close { @r = sum(retval); }`,
			want: `1:47-53 warning [args/mixed] retval: tcp_sendmsg returns int, tcp_close returns void
  related 1:1 tcp_sendmsg: returns int
  related 1:20 tcp_close: returns void
  fix Split into one probe per argument list sharing macro "shared_body"
  fix Split into one probe per argument list
`,
		},
		{
			name: "wildcard summary",
			v:    syntax.V0_26,
			src:  `fentry:*_sendmsg, fentry:tcp_* { @h = sum(args.how); }`,
			want: `1:48-51 error [args/mixed] args.how: no parameter "how" in 5 of 6 matches: tcp_sendmsg, udp_sendmsg, tcp_close, …, tcp_shutdown has int how
  related 1:1 fentry:*_sendmsg (2 of 2 matches): has no parameter "how"
  related 1:19 fentry:tcp_* (3 of 4 matches): has no parameter "how"
  related 1:19 fentry:tcp_* (1 of 4 matches): has int how
`,
		},
		{
			name: "builtin missing in some attach points names them",
			v:    syntax.V0_26,
			src:  `kprobe:tcp_close, kretprobe:tcp_close { @r = retval; }`,
			want: `1:46-52 error [builtin/probe-type] the "retval" builtin cannot be used in kprobe probes (only in kretprobe, uretprobe, fexit) (for kprobe:tcp_close)
  related 1:1 kprobe:tcp_close: here
`,
		},
		{
			name: "probe types mixed with args 0.21 to 0.24",
			v:    syntax.V0_22,
			src:  `fentry:tcp_sendmsg, tracepoint:syscalls:sys_enter_read { @f = count(); @s = args.sk; }`,
			want: `1:77-81 error [args/mixed-provider] the args builtin can only be used in probes of a single probe type before bpftrace 0.25
  related 1:1 fentry:tcp_sendmsg: probe type "fentry"
  related 1:21 tracepoint:syscalls:sys_enter_read: probe type "tracepoint"
1:82-84 error [args/mixed] args.sk: fentry:tcp_sendmsg has struct sock *sk, tracepoint:syscalls:sys_enter_read has no field "sk"
  related 1:1 fentry:tcp_sendmsg: has struct sock *sk
  related 1:21 tracepoint:syscalls:sys_enter_read: has no field "sk"
`,
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f := syntax.Parse("test.bt", []byte(tc.src), syntax.Dialect{Version: tc.v})
			if len(f.Errors) > 0 {
				t.Fatalf("parse %q: %v", tc.src, f.Errors)
			}
			s := analysis.Analyze(context.Background(), f, analysis.Config{Dialect: f.Dialect, Kernel: analysistest.NewTCPKernel(), Refactorer: fix.Refactorings{}})
			var diags []analysis.Diagnostic
			for _, d := range s.Diagnostics {
				if probePassCode(d.Code) {
					diags = append(diags, d)
				}
			}
			var b strings.Builder
			for _, d := range diags {
				if d.Code == analysis.CodeLegacyProvider {
					continue
				}
				b.WriteString(fmtDiag(f, d) + "\n")
				for _, r := range d.Related {
					l, c := f.Lines.Position(r.Span.Start)
					b.WriteString("  related " + strconv.Itoa(l) + ":" + strconv.Itoa(c) + " " + r.Message + "\n")
				}
				for _, fx := range d.Fixes {
					b.WriteString("  fix " + fx.Title + "\n")
				}
			}
			if got := b.String(); got != tc.want {
				t.Errorf("got:\n%s\nwant:\n%s", got, tc.want)
			}
		})
	}
}

// fmtDiag renders a diagnostic for comparisons: "1:8-15 error [code] message".
func fmtDiag(f *syntax.File, d analysis.Diagnostic) string {
	l, c := f.Lines.Position(d.Span.Start)
	_, c2 := f.Lines.Position(d.Span.End)
	return fmt.Sprintf("%d:%d-%d %s [%s] %s", l, c, c2, d.Severity, d.Code, d.Message)
}
