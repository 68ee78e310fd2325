package ide

import (
	"context"
	"strings"
	"testing"

	"github.com/bpfls/bpfls/analysis"

	"github.com/bpfls/bpfls/analysis/syntax"
)

func TestHover(t *testing.T) {
	t.Parallel()
	k := newFeatureKernel()
	for _, tc := range []struct {
		name     string
		v        syntax.Version
		src      string
		want     []string // substrings of the markdown, in order
		spanText string   // the hovered text
	}{
		{name: "function prototype", src: "fentry:tcp_se‸ndmsg {}", spanText: "tcp_sendmsg",
			want: []string{"```c\nint tcp_sendmsg(struct sock *sk, struct msghdr *msg, size_t size)\n```", "vmlinux", "traceable"}},
		{name: "kprobe with offset", src: "kprobe:tcp_cl‸ose+8 {}", spanText: "tcp_close+8",
			want: []string{"int tcp_close(struct sock *sk, int timeout)"}},
		{name: "wildcard matches", src: "kprobe:tcp_‸* {}", spanText: "tcp_*",
			want: []string{"`tcp_*` matches 4 kernel functions", "- `tcp_close`", "- `tcp_shutdown`"}},
		{name: "tracepoint format", src: "tracepoint:syscalls:sys_enter_r‸ead {}", spanText: "syscalls:sys_enter_read",
			want: []string{"struct _tracepoint_syscalls_sys_enter_read {", "int fd; // offset 16, size 4", "size_t count; // offset 32, size 8"}},
		{name: "tracepoint wildcard", src: "tracepoint:syscalls:sys_enter_‸* {}", spanText: "syscalls:sys_enter_*",
			want: []string{"matches 3 tracepoints"}},
		{name: "provider alias", v: syntax.V0_17, src: "kretf‸unc:tcp_close {}", spanText: "kretfunc",
			want: []string{"**fexit** probe", "`kretfunc`"}},
		{name: "args field type", src: "fentry:tcp_sendmsg { $s = args.si‸ze; }", spanText: "size",
			want: []string{"```c\nsize_t size\n```", "args field of `tcp_sendmsg`"}},
		{name: "args field missing in some attach points", src: "fentry:tcp_sendmsg,fentry:tcp_recvmsg { $s = args.si‸ze; }", spanText: "size",
			want: []string{"size_t size", "missing in `tcp_recvmsg`"}},
		{name: "tracepoint field offset", src: "tracepoint:syscalls:sys_enter_read { $c = args.co‸unt; }", spanText: "count",
			want: []string{"size_t count", "offset 32, size 8"}},
		{name: "struct field offset", src: "fentry:tcp_close { $r = args.sk->sk_sn‸dbuf; }", spanText: "sk_sndbuf",
			want: []string{"```c\nint sk_sndbuf\n```", "offset 260, size 4 in `struct sock`"}},
		{name: "struct layout in a cast", src: "kprobe:tcp_close { $s = (struct so‸ck *)arg0; }", spanText: "sock",
			want: []string{"struct sock { // size 760", "int sk_rcvbuf; // offset 256, size 4"}},
		{name: "args of the probe", src: "fentry:tcp_close { print(ar‸gs); }", spanText: "args",
			want: []string{"args {\n\tstruct sock *sk;\n\tint timeout;\n}", "args of `tcp_close`"}},
		{name: "builtin doc", src: "BEGIN { $t = nse‸cs; }", spanText: "nsecs",
			want: []string{"timestamp nsecs", "nsecs(boot|monotonic|tai|sw_tai)"}},
		{name: "builtin function doc", src: "BEGIN { pri‸ntf(\"x\"); }", spanText: "printf",
			want: []string{"void printf(string fmt, args...)"}},
		{name: "kprobe argument from the prototype", src: "kprobe:tcp_sendmsg { $m = ar‸g1; }", spanText: "arg1",
			want: []string{"```c\nstruct msghdr *msg\n```", "parameter 1 of `int tcp_sendmsg(", "arg0, arg1"}},
		{name: "curtask type", src: "BEGIN { $p = curt‸ask; }", spanText: "curtask",
			want: []string{"struct task_struct *curtask"}},
		{name: "map value type", src: "BEGIN { @c‸alls = count(); }", spanText: "@calls",
			want: []string{"@calls", "count_t"}},
		{name: "variable kernel type", src: "fentry:tcp_close { $s = args.sk; print($‸s); }", spanText: "$s",
			want: []string{"$s: struct sock *"}},
		{name: "positional parameter", src: "BEGIN { print($‸1); }", spanText: "$1",
			want: []string{"$1 .. $N"}},
		{name: "macro", v: syntax.V0_25, src: "macro twice($x) { $x * 2 }\nBEGIN { print(tw‸ice(2)); }", spanText: "twice",
			want: []string{"macro twice($x)"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			v := tc.v
			if v == (syntax.Version{}) {
				v = syntax.V0_26
			}
			s, pos := featureSnapshot(t, tc.src, v, k)
			h, ok := Hover(context.Background(), s, pos)
			if !ok {
				t.Fatalf("no hover")
			}
			if got := string(s.File.Src()[h.Span.Start:h.Span.End]); got != tc.spanText {
				t.Errorf("span covers %q, want %q", got, tc.spanText)
			}
			rest := h.Markdown
			for _, w := range tc.want {
				i := strings.Index(rest, w)
				if i < 0 {
					t.Fatalf("markdown lacks %q (in order):\n%s", w, h.Markdown)
				}
				rest = rest[i+len(w):]
			}
		})
	}
}

func TestHoverNothing(t *testing.T) {
	t.Parallel()
	k := newFeatureKernel()
	for _, src := range []string{
		"fentry:no_such_fn‸ {}",
		"BEGIN { $x = 1; }\n‸",
		"BEGIN { $x = $‸y; }",
		"// a comment‸\nBEGIN {}",
	} {
		s, pos := featureSnapshot(t, src, syntax.V0_26, k)
		if h, ok := Hover(context.Background(), s, pos); ok {
			t.Errorf("%q: unexpected hover %q", src, h.Markdown)
		}
	}
	s, pos := featureSnapshot(t, "fentry:tcp_close‸ {}", syntax.V0_26, nil)
	if h, ok := Hover(context.Background(), s, pos); ok {
		t.Errorf("without a kernel: unexpected hover %q", h.Markdown)
	}
}

func TestCDeclare(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ c, name, want string }{
		{"int", "x", "int x"},
		{"struct sock *", "sk", "struct sock *sk"},
		{"char[16]", "comm", "char comm[16]"},
		{"int (*)(void *)", "fn", "int (*fn)(void *)"},
		{"int", "", "int"},
	} {
		if got := analysis.CDeclare(tc.c, tc.name); got != tc.want {
			t.Errorf("analysis.CDeclare(%q, %q) = %q, want %q", tc.c, tc.name, got, tc.want)
		}
	}
}
