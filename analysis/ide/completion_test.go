package ide

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/bpfls/bpfls/analysis/syntax"
)

func TestCompletion(t *testing.T) {
	t.Parallel()
	k := newFeatureKernel()
	for _, tc := range []struct {
		name    string
		v       syntax.Version
		src     string
		want    []string // labels that must be offered
		notWant []string // labels that must not be offered
		exact   bool     // want is the whole list, in order
	}{
		{name: "providers newest", v: syntax.V0_26, src: "fen‸", want: []string{"fentry"}, exact: true},
		{name: "providers lower-case begin from 0.24", v: syntax.V0_24, src: "beg‸", want: []string{"begin"}},
		{name: "providers 0.17 has kfunc not fentry", v: syntax.V0_17, src: "k‸", want: []string{"kfunc", "kprobe", "kretfunc", "kretprobe", "k", "kr"}, notWant: []string{"fentry"}},
		{name: "providers 0.17 has no lower-case begin", v: syntax.V0_17, src: "b‸", notWant: []string{"begin"}},
		{name: "top-level keywords by version", v: syntax.V0_25, src: "ma‸", want: []string{"macro"}},
		{name: "no macro keyword in 0.17", v: syntax.V0_17, src: "ma‸", notWant: []string{"macro"}},
		{name: "second attach point", v: syntax.V0_26, src: "BEGIN {}\nkprobe:tcp_close, kr‸", want: []string{"kr", "kretprobe"}},
		{name: "fentry functions", v: syntax.V0_26, src: "fentry:tcp_‸", want: []string{"tcp_close", "tcp_recvmsg", "tcp_sendmsg", "tcp_shutdown"}, exact: true},
		{name: "kfunc alias in 0.17", v: syntax.V0_17, src: "kfunc:tcp_s‸", want: []string{"tcp_sendmsg", "tcp_shutdown"}, exact: true},
		{name: "kprobe with module", v: syntax.V0_26, src: "kprobe:mod:tcp_c‸", want: []string{"tcp_close"}, exact: true},
		{name: "kretprobe short alias", v: syntax.V0_26, src: "kr:vfs‸ {}", want: []string{"vfs_read"}, exact: true},
		{name: "named probe", v: syntax.V0_25, src: "mine=fentry:tcp_cl‸", want: []string{"tcp_close"}, exact: true},
		{name: "tracepoints as category:event", v: syntax.V0_26, src: "tracepoint:sys‸", want: []string{"syscalls:sys_enter_openat", "syscalls:sys_enter_read", "syscalls:sys_enter_write"}, exact: true},
		{name: "tracepoint events", v: syntax.V0_26, src: "t:syscalls:sys_enter_w‸", want: []string{"syscalls:sys_enter_write"}, exact: true},
		{name: "iterators from their context structs", v: syntax.V0_26, src: "iter:ta‸", want: []string{"task", "task_file"}, exact: true},
		{name: "interval units", v: syntax.V0_26, src: "interval:m‸", want: []string{"ms"}, exact: true},
		{name: "software events", v: syntax.V0_26, src: "software:page‸", want: []string{"page-faults"}, exact: true},
		{name: "args fields across attach points", v: syntax.V0_26, src: "fentry:tcp_sendmsg,fentry:tcp_recvmsg { args.‸ }", want: []string{"sk", "msg", "size", "len", "flags"}, exact: true},
		{name: "args fields by prefix", v: syntax.V0_26, src: "fentry:tcp_sendmsg { args.s‸ }", want: []string{"sk", "size"}, exact: true},
		{name: "args arrow in 0.17", v: syntax.V0_17, src: "tracepoint:syscalls:sys_enter_read { args->‸ }", want: []string{"fd", "count"}, exact: true},
		{name: "pointer field of args", v: syntax.V0_26, src: "fentry:tcp_close { $r = args.sk->sk_r‸ }", want: []string{"sk_rcvbuf"}, exact: true},
		{name: "cast to kernel struct", v: syntax.V0_26, src: "kprobe:tcp_close { $s = (struct sock *)arg0; print($s->‸) }", want: []string{"sk_rcvbuf", "sk_sndbuf"}, exact: true},
		{name: "parenthesised cast", v: syntax.V0_26, src: "kprobe:tcp_close { print(((struct sock *)arg0)->sk_s‸) }", want: []string{"sk_sndbuf"}, exact: true},
		{name: "unclosed body", v: syntax.V0_26, src: "fentry:tcp_close { print(args.‸", want: []string{"sk", "timeout"}, exact: true},
		{name: "unclosed body after a statement", v: syntax.V0_26, src: "kprobe:tcp_close { $s = (struct sock *)arg0;\n  $s->‸", want: []string{"sk_rcvbuf", "sk_sndbuf"}, exact: true},
		{name: "predicate", v: syntax.V0_26, src: "tracepoint:syscalls:sys_enter_read /args.f‸/ {}", want: []string{"fd"}, exact: true},
		{name: "curtask", v: syntax.V0_26, src: "BEGIN { print(curtask->‸) }", want: []string{"pid", "comm"}, exact: true},
		{name: "struct names after struct", v: syntax.V0_26, src: "kprobe:f { $s = (struct so‸", want: []string{"sock"}, exact: true},
		{name: "builtins allowed in kprobe", v: syntax.V0_26, src: "kprobe:tcp_close { ar‸ }", want: []string{"arg0", "arg5"}, notWant: []string{"args"}},
		{name: "builtins allowed in tracepoint", v: syntax.V0_26, src: "tracepoint:syscalls:sys_enter_read { ar‸ }", want: []string{"args"}, notWant: []string{"arg0"}},
		{name: "builtin functions", v: syntax.V0_26, src: "BEGIN { pri‸ }", want: []string{"printf", "print"}},
		{name: "no has_key in 0.17", v: syntax.V0_17, src: "BEGIN { has‸ }", notWant: []string{"has_key"}},
		{name: "maps of the file", v: syntax.V0_26, src: "BEGIN { @hits = count(); @bytes = sum(1); }\nEND { print(@h‸) }", want: []string{"@hits"}, notWant: []string{"@bytes"}},
		{name: "variables of the probe", v: syntax.V0_26, src: "BEGIN { $abc = 1; $abd = 2; }\nEND { $zz = 1; print($ab‸) }", notWant: []string{"$abc"}},
		{name: "variables in scope", v: syntax.V0_26, src: "BEGIN { $abc = 1; $abd = 2; print($ab‸) }", want: []string{"$abc", "$abd"}, exact: true},
		{name: "block-scoped variables from 0.22", v: syntax.V0_26, src: "BEGIN { if (1) { $in = 1; } $out = 2; print($‸) }", want: []string{"$out"}, exact: true},
		{name: "probe-wide variables before 0.22", v: syntax.V0_17, src: "BEGIN { if (1) { $in = 1; } $out = 2; print($‸) }", want: []string{"$in", "$out"}, exact: true},
		{name: "variables defined later are not offered", v: syntax.V0_26, src: "BEGIN { $a = 1; print($‸); $later = 1; }", want: []string{"$a"}, exact: true},
		{name: "for variable inside the loop", v: syntax.V0_26, src: "BEGIN { @m[1] = 1; for ($kv : @m) { print($k‸) } }", want: []string{"$kv"}, exact: true},
		{name: "let variable", v: syntax.V0_26, src: "BEGIN { let $n: int8 = 1; print($‸) }", want: []string{"$n"}, exact: true},
		{name: "macros", v: syntax.V0_25, src: "macro add_one($x) { $x + 1 }\nBEGIN { add‸ }", want: []string{"add_one"}},
		{name: "config keys", v: syntax.V0_26, src: "config = { max_s‸ }", want: []string{"max_strlen"}, exact: true},
		{name: "nothing in a comment", v: syntax.V0_26, src: "BEGIN { // pri‸\n}", exact: true},
		{name: "nothing in a string", v: syntax.V0_26, src: `BEGIN { printf("pri‸") }`, exact: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s, pos := featureSnapshot(t, tc.src, tc.v, k)
			got := labels(Completion(context.Background(), s, pos).Items)
			if tc.exact && !slices.Equal(got, tc.want) && !(len(got) == 0 && len(tc.want) == 0) {
				t.Fatalf("items = %q, want exactly %q", got, tc.want)
			}
			for _, w := range tc.want {
				if !slices.Contains(got, w) {
					t.Errorf("items %q lack %q", got, w)
				}
			}
			for _, w := range tc.notWant {
				if slices.Contains(got, w) {
					t.Errorf("items %q offer %q", got, w)
				}
			}
		})
	}
}

func TestCompletionDetails(t *testing.T) {
	t.Parallel()
	k := newFeatureKernel()
	ctx := context.Background()

	t.Run("prototype as detail", func(t *testing.T) {
		s, pos := featureSnapshot(t, "fentry:tcp_send‸", syntax.V0_26, k)
		l := Completion(ctx, s, pos)
		it, ok := findItem(l.Items, "tcp_sendmsg")
		if !ok {
			t.Fatalf("no tcp_sendmsg in %q", labels(l.Items))
		}
		if want := "int tcp_sendmsg(struct sock *sk, struct msghdr *msg, size_t size)"; it.Detail != want {
			t.Errorf("detail = %q, want %q", it.Detail, want)
		}
		if l.Span != (syntax.Span{Start: 7, End: 15}) {
			t.Errorf("span = %v, want the function part 7..15", l.Span)
		}
	})
	t.Run("args field only in some attach points", func(t *testing.T) {
		s, pos := featureSnapshot(t, "fentry:tcp_sendmsg,fentry:tcp_recvmsg { args.‸ }", syntax.V0_26, k)
		items := Completion(ctx, s, pos).Items
		size, _ := findItem(items, "size")
		if !strings.Contains(size.Detail, "only in tcp_sendmsg") || !strings.HasPrefix(size.Detail, "size_t") {
			t.Errorf("size detail = %q, want its type and \"only in tcp_sendmsg\"", size.Detail)
		}
		sk, _ := findItem(items, "sk")
		if sk.Detail != "struct sock *" {
			t.Errorf("sk detail = %q, want the type alone", sk.Detail)
		}
	})
	t.Run("snippet for a builtin function", func(t *testing.T) {
		s, pos := featureSnapshot(t, "BEGIN { printf‸ }", syntax.V0_26, k)
		it, ok := findItem(Completion(ctx, s, pos).Items, "printf")
		if !ok || !it.Snippet || it.Insert != "printf(${1:fmt})" {
			t.Errorf("printf item = %+v, want snippet printf(${1:fmt})", it)
		}
	})
	t.Run("macro snippet escapes sigils", func(t *testing.T) {
		s, pos := featureSnapshot(t, "macro add($a, b) { $a + b }\nBEGIN { ad‸ }", syntax.V0_25, k)
		it, ok := findItem(Completion(ctx, s, pos).Items, "add")
		if want := `add(${1:\$a}, ${2:b})`; !ok || !it.Snippet || it.Insert != want {
			t.Errorf("add item = %+v, want snippet %s", it, want)
		}
	})
	t.Run("docs per target version", func(t *testing.T) {
		s, pos := featureSnapshot(t, "BEGIN { comm‸ }", syntax.V0_17, k)
		it, _ := findItem(Completion(ctx, s, pos).Items, "comm")
		if !strings.Contains(it.Doc, "In 0.17:") {
			t.Errorf("0.17 doc of comm = %q, want its 0.17 note", it.Doc)
		}
		s, pos = featureSnapshot(t, "BEGIN { comm‸ }", syntax.V0_26, k)
		it, _ = findItem(Completion(ctx, s, pos).Items, "comm")
		if strings.Contains(it.Doc, "In 0.17:") {
			t.Errorf("0.26 doc of comm = %q mentions 0.17", it.Doc)
		}
	})
	t.Run("field offset in doc", func(t *testing.T) {
		s, pos := featureSnapshot(t, "BEGIN { print(curtask->co‸) }", syntax.V0_26, k)
		it, _ := findItem(Completion(ctx, s, pos).Items, "comm")
		if it.Detail != "char[16]" || it.Doc != "offset 3000, size 16" {
			t.Errorf("comm = %+v, want type char[16] and offset 3000, size 16", it)
		}
	})
}

func TestCompletionCap(t *testing.T) {
	t.Parallel()
	k := newFeatureKernel()
	for i := range 500 {
		k.extra = append(k.extra, fmt.Sprintf("zz_fn%03d", i))
	}
	s, pos := featureSnapshot(t, "fentry:zz_‸", syntax.V0_26, k)
	l := Completion(context.Background(), s, pos)
	if !l.Incomplete || len(l.Items) != maxCompletionItems {
		t.Fatalf("got %d items, incomplete %v; want %d and incomplete", len(l.Items), l.Incomplete, maxCompletionItems)
	}
	if l.Items[0].Detail != "" || l.Items[0].Resolve != "zz_fn000" {
		t.Errorf("long lists must be resolved lazily: %+v", l.Items[0])
	}
	s, pos = featureSnapshot(t, "fentry:zz_fn49‸", syntax.V0_26, k)
	if l := Completion(context.Background(), s, pos); l.Incomplete || len(l.Items) != 10 {
		t.Errorf("zz_fn49: %d items, incomplete %v; want 10, complete", len(l.Items), l.Incomplete)
	}
}

func TestResolveCompletion(t *testing.T) {
	t.Parallel()
	k := newFeatureKernel()
	it := CompletionItem{Label: "tcp_close", Resolve: "tcp_close"}
	ResolveCompletion(context.Background(), k, &it)
	if it.Detail != "int tcp_close(struct sock *sk, int timeout)" || !strings.Contains(it.Doc, "traceable") {
		t.Errorf("resolved = %+v", it)
	}
	missing := CompletionItem{Label: "nope", Resolve: "nope"}
	ResolveCompletion(context.Background(), k, &missing)
	if missing.Detail != "" {
		t.Errorf("an unknown function resolved to %q", missing.Detail)
	}
}

func TestInCommentOrString(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		src  string
		want bool
	}{
		{`BEGIN { x‸ }`, false},
		{`BEGIN { "ab‸" }`, true},
		{`BEGIN { "ab"‸ }`, false},
		{`BEGIN { "a\"b‸" }`, true},
		{"// c‸\nBEGIN", true},
		{"// c\nBE‸GIN", false},
		{"/* a ‸ */ BEGIN", true},
		{"/* a */ BE‸GIN", false},
		{`BEGIN { "unterminated‸`, true},
	} {
		at := strings.Index(tc.src, cursor)
		src := tc.src[:at] + tc.src[at+len(cursor):]
		if got := inCommentOrString([]byte(src), syntax.Pos(at)); got != tc.want {
			t.Errorf("%q: got %v, want %v", tc.src, got, tc.want)
		}
	}
}
