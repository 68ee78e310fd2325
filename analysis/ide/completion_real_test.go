package ide

import (
	"context"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/bpfls/bpfls/analysis/internal/analysistest"
	"github.com/bpfls/bpfls/analysis/syntax"
)

// TestFeaturesRealKernel runs completion and hover against the running
// kernel's BTF and tracefs.
func TestFeaturesRealKernel(t *testing.T) {
	k := analysistest.RealKernel(t)
	ctx := context.Background()
	complete := func(t *testing.T, src string) CompletionList {
		s, pos := featureSnapshot(t, src, syntax.V0_26, k)
		return Completion(ctx, s, pos)
	}
	t.Run("every kernel function is capped", func(t *testing.T) {
		l := complete(t, "fentry:‸")
		if !l.Incomplete || len(l.Items) != maxCompletionItems {
			t.Errorf("fentry: gave %d items, incomplete %v", len(l.Items), l.Incomplete)
		}
	})
	t.Run("prototype of vfs_read", func(t *testing.T) {
		it, ok := findItem(complete(t, "fentry:vfs_rea‸").Items, "vfs_read")
		if !ok || !strings.Contains(it.Detail, "vfs_read(struct file *file, ") {
			t.Errorf("vfs_read item = %+v", it)
		}
	})
	t.Run("tracepoint", func(t *testing.T) {
		got := labels(complete(t, "tracepoint:sched:sched_sw‸").Items)
		if !slices.Contains(got, "sched:sched_switch") {
			t.Errorf("items = %q, want sched:sched_switch", got)
		}
	})
	t.Run("args of tcp_sendmsg", func(t *testing.T) {
		got := labels(complete(t, "fentry:tcp_sendmsg { args.‸ }").Items)
		if !slices.Equal(got, []string{"sk", "msg", "size"}) {
			t.Errorf("items = %q, want sk msg size", got)
		}
	})
	t.Run("task_struct fields", func(t *testing.T) {
		got := labels(complete(t, "BEGIN { print(curtask->tgi‸) }").Items)
		if !slices.Contains(got, "tgid") {
			t.Errorf("items = %q, want tgid", got)
		}
	})
	t.Run("hover on a wildcard", func(t *testing.T) {
		s, pos := featureSnapshot(t, "kprobe:vfs_re‸ad* {}", syntax.V0_26, k)
		h, ok := Hover(ctx, s, pos)
		if !ok || !strings.Contains(h.Markdown, "- `vfs_read`") {
			t.Errorf("hover = %q", h.Markdown)
		}
	})
}

// BenchmarkCompletionFentry measures completion at a fentry: prefix over
// every kernel function of the running kernel.
func BenchmarkCompletionFentry(b *testing.B) {
	k := analysistest.RealKernel(b)
	for _, prefix := range []string{"", "v", "tcp_", "vfs_rea"} {
		s, pos := featureSnapshot(b, "BEGIN { @n = count(); }\nfentry:"+prefix+cursor, syntax.V0_26, k)
		Completion(context.Background(), s, pos) // warm the name list
		b.Run("prefix="+prefix, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				Completion(context.Background(), s, pos)
			}
		})
	}
}

// BenchmarkCompletionArgsWildcard measures args completion in a probe whose
// wildcard expands to many kernel functions, each with its own args.
func BenchmarkCompletionArgsWildcard(b *testing.B) {
	k := analysistest.RealKernel(b)
	for _, ap := range []string{"fentry:vfs_*", "fentry:tcp_*"} {
		s, pos := featureSnapshot(b, ap+" { print(args."+cursor+") }", syntax.V0_26, k)
		b.Run(ap, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				Completion(context.Background(), s, pos)
			}
		})
	}
}

// BenchmarkCompletionBody measures identifier, map and field completion at
// the end of a long script (testdata/bench/probes.bt repeated 40 times),
// with the running kernel.
func BenchmarkCompletionBody(b *testing.B) {
	k := analysistest.RealKernel(b)
	body, err := os.ReadFile("../../testdata/bench/probes.bt")
	if err != nil {
		b.Fatal(err)
	}
	src := strings.Repeat(string(body), 40)
	for _, tail := range []string{"kprobe:vfs_read { pri", "kprobe:vfs_read { @", "fentry:tcp_sendmsg { print(args.sk->sk_"} {
		s, pos := featureSnapshot(b, src+"\n"+tail+cursor, syntax.V0_26, k)
		b.Run(tail, func(b *testing.B) {
			b.SetBytes(int64(len(src)))
			b.ReportAllocs()
			for b.Loop() {
				Completion(context.Background(), s, pos)
			}
		})
	}
}

// BenchmarkInlayHints measures the hints of a whole long script
// (testdata/bench/probes.bt repeated 40 times) with the running kernel.
func BenchmarkInlayHints(b *testing.B) {
	k := analysistest.RealKernel(b)
	body, err := os.ReadFile("../../testdata/bench/probes.bt")
	if err != nil {
		b.Fatal(err)
	}
	src := strings.Repeat(string(body), 40)
	s, end := featureSnapshot(b, src+cursor, syntax.V0_26, k)
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	for b.Loop() {
		InlayHints(context.Background(), s, syntax.Span{Start: 0, End: end})
	}
}
