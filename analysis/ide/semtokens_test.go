package ide_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/bpfls/bpfls/analysis"
	"github.com/bpfls/bpfls/analysis/benchtest"
	"github.com/bpfls/bpfls/analysis/ide"
	"github.com/bpfls/bpfls/analysis/syntax"
)

func TestSemanticTokens(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		src  string
		want []string // "text:type" or "text:type/modifier+modifier"
	}{
		{
			name: "probe with builtins",
			src: `// count reads
kprobe:vfs_read /pid == $1/ {
	$n = (uint64)arg2;
	if ($n > 100) { @big[comm] = count(); }
	printf("%s\n", str(args.buf));
}
macro twice(x) { x * 2 }
`,
			want: []string{
				"// count reads:comment", "kprobe:namespace", "vfs_read:function", "pid:variable/defaultLibrary", "$1:parameter",
				"$n:variable", "uint64:type", "arg2:variable/defaultLibrary", "if:keyword", "$n:variable", "100:number",
				"@big:variable/static", "comm:variable/defaultLibrary", "count:function/defaultLibrary",
				"printf:function/defaultLibrary", `"%s\n":string`, "str:function/defaultLibrary", "args:variable/defaultLibrary", "buf:property",
				"macro:keyword", "twice:macro/declaration", "x:parameter/declaration", "x:parameter", "2:number",
			},
		},
		{
			name: "kernel attach points",
			src:  "kprobe:vfs_read, kretprobe:nf_conntrack:nf_ct_delete, fentry:tcp_*, k:vfs_write+0x10 {}",
			want: []string{
				"kprobe:namespace", "vfs_read:function", "kretprobe:namespace", "nf_conntrack:namespace", "nf_ct_delete:function",
				"fentry:namespace", "tcp_*:function", "k:namespace", "vfs_write+0x10:function",
			},
		},
		{
			name: "event attach points",
			src:  "tracepoint:syscalls:sys_enter_openat, rawtracepoint:sched_switch, software:cpu-clock:100000, iter:task {}",
			want: []string{
				"tracepoint:namespace", "syscalls:namespace", "sys_enter_openat:event", "rawtracepoint:namespace", "sched_switch:event",
				"software:namespace", "cpu-clock:event", "100000:number", "iter:namespace", "task:event",
			},
		},
		{
			name: "user-space attach points",
			src:  "uprobe:/bin/bash:readline, usdt:/usr/lib/libc.so.6:libc:setjmp, uprobe:/bin/bash:0x1234 {}",
			want: []string{
				"uprobe:namespace", "readline:function", "usdt:namespace", "libc:namespace", "setjmp:event",
				"uprobe:namespace", "0x1234:number",
			},
		},
		{
			name: "attach points without a traced name",
			src:  "BEGIN {} interval:s:1 {} profile:hz:99 {} kprobe:$1 {} nosuch:thing {}",
			want: []string{
				"BEGIN:namespace", "interval:namespace", "1:number", "profile:namespace", "99:number",
				"kprobe:namespace", "nosuch:namespace",
			},
		},
		{
			name: "declarations take a builtin's name",
			src:  "macro comm(pid) { pid + 1 }\nBEGIN { print(comm(2)); print(nsecs); }",
			want: []string{
				"macro:keyword", "comm:macro/declaration", "pid:parameter/declaration", "pid:parameter", "1:number",
				"BEGIN:namespace", "print:function/defaultLibrary", "comm:function", "2:number", "print:function/defaultLibrary", "nsecs:variable/defaultLibrary",
			},
		},
		{
			name: "names that are not values",
			src:  "config = { max_map_keys = 10 }\nBEGIN { $r = (pid = 1, comm = 2); print($r.pid); print(offsetof(struct task, pid)); }",
			want: []string{
				"config:keyword", "max_map_keys:property", "10:number",
				"BEGIN:namespace", "$r:variable", "pid:property", "1:number", "comm:property", "2:number",
				"print:function/defaultLibrary", "$r:variable", "pid:property",
				"print:function/defaultLibrary", "offsetof:keyword", "struct:keyword", "task:type",
			},
		},
		{
			name: "typeof type without a name",
			src:  "BEGIN { $s = (typeof(@m))2; }",
			want: []string{"BEGIN:namespace", "$s:variable", "typeof:keyword", "@m:variable/static", "2:number"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got := semTokenStrings(t, tc.src)
			if strings.Join(got, "  ") != strings.Join(tc.want, "  ") {
				t.Errorf("tokens:\n got %s\nwant %s", strings.Join(got, "  "), strings.Join(tc.want, "  "))
			}
		})
	}
}

// semTokenStrings renders the tokens of src as "text:type/modifiers",
// checking that they are sorted and do not overlap.
func semTokenStrings(t *testing.T, src string) []string {
	t.Helper()
	var got []string
	end := -1
	for _, tok := range ide.SemanticTokens(context.Background(), parsed(src)) {
		if int(tok.Span.Start) < end {
			t.Errorf("token %q overlaps the one before", src[tok.Span.Start:tok.Span.End])
		}
		end = int(tok.Span.End)
		s := src[tok.Span.Start:tok.Span.End] + ":" + ide.SemTokenTypeNames[tok.Type]
		var mods []string
		for i, name := range ide.SemTokenModNames {
			if tok.Mods&(1<<i) != 0 {
				mods = append(mods, name)
			}
		}
		if len(mods) > 0 {
			s += "/" + strings.Join(mods, "+")
		}
		got = append(got, s)
	}
	return got
}

// TestSemanticTokensBrokenInput classifies every script of the shared
// corpora cut short at many points: no panic, and tokens stay sorted,
// non-empty and inside the text.
func TestSemanticTokensBrokenInput(t *testing.T) {
	t.Parallel()
	for _, script := range benchtest.CorpusScripts(t) {
		file, src := script.Path, script.Src
		for cut := 0; cut <= len(src); cut += 1 + len(src)/50 {
			text := src[:cut]
			end := syntax.Pos(0)
			for _, tok := range ide.SemanticTokens(context.Background(), &analysis.Snapshot{File: syntax.Parse(file, text, syntax.NewestDialect())}) {
				if tok.Span.Start < end || tok.Span.End <= tok.Span.Start || int(tok.Span.End) > len(text) {
					t.Fatalf("%s cut at %d: token %v after one ending at %d", file, cut, tok, end)
				}
				end = tok.Span.End
			}
		}
	}
}

// TestSemanticTokensRangeMatchesFull asks for the tokens of ranges of every
// script of the shared corpora and requires those of the whole file that
// lie in the range's items, and its comments.
func TestSemanticTokensRangeMatchesFull(t *testing.T) {
	t.Parallel()
	checked := 0
	for _, script := range benchtest.CorpusScripts(t) {
		file, src := script.Path, script.Src
		snap := &analysis.Snapshot{File: syntax.Parse(file, src, syntax.NewestDialect())}
		f := snap.File
		full := ide.SemanticTokens(context.Background(), snap)
		for start := 0; start <= len(src); start += 1 + len(src)/9 {
			for _, size := range []int{0, 30, 300} {
				span := syntax.Span{Start: syntax.Pos(start), End: syntax.Pos(start + size)}
				from, to := f.ItemsOverlapping(span)
				var want []ide.SemToken
				for _, tok := range full {
					inItems := from < to && tok.Span.Start >= f.ItemSpan(from).Start && tok.Span.End <= f.ItemSpan(to-1).End
					isComment := tok.Type == ide.SemComment && tok.Span.End >= span.Start && tok.Span.Start <= span.End
					if inItems && tok.Type != ide.SemComment || isComment {
						want = append(want, tok)
					}
				}
				got := ide.SemanticTokensRange(context.Background(), snap, span)
				if !slices.Equal(got, want) {
					t.Fatalf("%s, range %v: tokens\n%v\nwant\n%v", file, span, got, want)
				}
				checked += len(want)
			}
		}
	}
	if checked == 0 {
		t.Fatal("no token checked")
	}
}
