package ide_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/bpfls/bpfls/analysis"
	"github.com/bpfls/bpfls/analysis/ide"
	"github.com/bpfls/bpfls/analysis/syntax"
)

func parsed(src string) *analysis.Snapshot {
	return &analysis.Snapshot{File: syntax.Parse("t.bt", []byte(src), syntax.NewestDialect())}
}

// outline renders symbols as "kind name [detail] (name text) {children}".
func outline(src string, syms []ide.DocSymbol) string {
	var b strings.Builder
	for _, s := range syms {
		fmt.Fprintf(&b, "%d %s [%s] (%s)", s.Kind, s.Name, s.Detail, src[s.NameSpan.Start:s.NameSpan.End])
		if !(s.Span.Start <= s.NameSpan.Start && s.NameSpan.End <= s.Span.End) {
			b.WriteString(" NAME-OUTSIDE-SPAN")
		}
		if len(s.Children) > 0 {
			b.WriteString(" {" + outline(src, s.Children) + "}")
		}
		b.WriteString("; ")
	}
	return b.String()
}

func TestDocumentSymbols(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, src, want string
	}{
		{"probes with maps", "kprobe:vfs_read, kprobe:vfs_write { @bytes[comm] = sum(arg2); @n++; @bytes[pid] = 1; }\nEND { clear(@bytes); }\n",
			"0 kprobe:vfs_read, kprobe:vfs_write [] (kprobe:vfs_read, kprobe:vfs_write) {3 @bytes [] (@bytes); 3 @n [] (@n); }; 0 END [] (END); "},
		{"macro and fn", "macro add_one(x) { x + 1 }\nfn twice($a: int64): int64 { return $a * 2; }\nBEGIN { }\n",
			"1 add_one [macro] (add_one); 2 twice [fn] (twice); 0 BEGIN [] (BEGIN); "},
		{"map declaration and config", "config = { max_map_keys = 10 }\nlet @m = hash(100);\nBEGIN { @m[1] = 2; }\n",
			"4 config [] (config); 3 @m [hash] (@m); 0 BEGIN [] (BEGIN) {3 @m [] (@m); }; "},
		{"broken probe still listed", "BEGIN { @x = ; }\ntracepoint:syscalls:sys_enter_read { @r = count(); }\n",
			"0 BEGIN [] (BEGIN) {3 @x [] (@x); }; 0 tracepoint:syscalls:sys_enter_read [] (tracepoint:syscalls:sys_enter_read) {3 @r [] (@r); }; "},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got := outline(tc.src, ide.DocumentSymbols(context.Background(), parsed(tc.src)))
			if got != tc.want {
				t.Errorf("outline:\n got %s\nwant %s", got, tc.want)
			}
		})
	}
}
