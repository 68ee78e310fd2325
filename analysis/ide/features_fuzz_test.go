package ide

import (
	"context"
	"testing"

	"github.com/bpfls/bpfls/analysis"
	"github.com/bpfls/bpfls/analysis/syntax"
)

// FuzzFeatures runs every language feature at every position of arbitrary
// text: none may panic, and every span they return must lie in the text.
func FuzzFeatures(f *testing.F) {
	for _, s := range []string{
		"fentry:tcp_sendmsg,fentry:tcp_recvmsg { args.sk->sk_rcvbuf; @m[args.size] = count(); }",
		"kprobe:tcp_* /pid == 1/ { $s = (struct sock *)arg0; print($s->sk_sndbuf); }",
		"tracepoint:syscalls:sys_enter_read { printf(\"%d %s\", args.fd, str(args.buf)); }",
		"macro add($a, b) { $a + b }\nBEGIN { $x = 1; print(add($x, 2)); for ($kv : @m) { print($kv.0); } }",
		"config = { max_strlen = 64 }\nBEGIN { @c = count(); } END { print(@c); clear(@c); }",
		"BEGIN { if (1) { $in = curtask->comm; } let $n: int8 = 1; printf(\"(,\", $n",
		"t:syscalls:sys_enter_* { @[probe] = count(); }\nfr:tcp_close { print(retval); }",
	} {
		f.Add(s)
	}
	k := newFeatureKernel()
	ctx := context.Background()
	f.Fuzz(func(t *testing.T, src string) {
		if len(src) > 160 {
			return
		}
		d := syntax.Dialect{Version: syntax.Newest}
		s := analysis.Analyze(ctx, syntax.Parse("fuzz.bt", []byte(src), d), analysis.Config{Dialect: d, Kernel: k})
		inText := func(what string, sp syntax.Span) {
			if sp.Start < 0 || sp.End < sp.Start || int(sp.End) > len(src) {
				t.Fatalf("%s span %v outside the text of %d bytes", what, sp, len(src))
			}
		}
		for pos := syntax.Pos(0); int(pos) <= len(src); pos++ {
			inText("completion", Completion(ctx, s, pos).Span)
			if h, ok := Hover(ctx, s, pos); ok {
				inText("hover", h.Span)
			}
			SignatureHelpAt(ctx, s, pos)
			for _, r := range References(ctx, s, pos, true) {
				inText("reference", r)
			}
			if edits, err := Rename(ctx, s, pos, "renamed"); err == nil {
				for _, e := range edits {
					inText("rename", e.Span)
				}
			}
		}
		for _, h := range InlayHints(ctx, s, syntax.Span{Start: 0, End: syntax.Pos(len(src))}) {
			inText("inlay hint", syntax.Span{Start: h.Pos, End: h.Pos})
		}
	})
}
