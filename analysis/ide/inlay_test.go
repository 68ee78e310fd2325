package ide

import (
	"context"
	"runtime"
	"slices"
	"strconv"
	"testing"

	"github.com/bpfls/bpfls/analysis"
	"github.com/bpfls/bpfls/analysis/benchtest"
	"github.com/bpfls/bpfls/analysis/syntax"
)

// hintTexts spells hints as "offset label".
func hintTexts(hs []InlayHint) []string {
	out := make([]string, len(hs))
	for i, h := range hs {
		out[i] = strconv.Itoa(int(h.Pos)) + " " + h.Label
	}
	return out
}

func TestInlayHints(t *testing.T) {
	t.Parallel()
	k := newFeatureKernel()
	for _, tc := range []struct {
		name string
		src  string
		want []string
	}{
		{name: "map and variable types at first assignment",
			src:  "BEGIN { @c = count(); $x = \"a\"; $x = \"b\"; @c = count(); }‸",
			want: []string{"10 : count_t", "24 : string"}},
		{name: "map keys before the type", src: "BEGIN { @m[1] = 2; }‸", want: []string{"13 : int64"}},
		{name: "kernel type", src: "fentry:tcp_close { $sk = args.sk; }‸", want: []string{"22 : struct sock *"}},
		{name: "let without a type", src: "BEGIN { let $n = 1; let $m: int8 = 2; }‸", want: []string{"14 : int64"}},
		{name: "wildcard function count", src: "kprobe:tcp_* {}‸", want: []string{"12 4 matches"}},
		{name: "wildcard tracepoint count", src: "tracepoint:syscalls:sys_enter_* {}‸", want: []string{"31 3 matches"}},
		{name: "parameter names before literals", src: "BEGIN { @h = lhist(1, 0, 100, 10); $s = strncmp(comm, \"bash\", 4); }‸",
			want: []string{"10 : lhist_t", "19 n:", "22 min:", "25 max:", "30 step:", "37 : int64", "54 s2:", "62 n:"}},
		{name: "no hint for a format or a single argument", src: "BEGIN { printf(\"%d\", 1); exit(1); }‸", want: nil},
		{name: "one match", src: "fentry:vfs_* {}‸", want: []string{"12 1 match"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s, end := featureSnapshot(t, tc.src, syntax.V0_26, k)
			got := hintTexts(InlayHints(context.Background(), s, syntax.Span{Start: 0, End: end}))
			if !slices.Equal(got, tc.want) {
				t.Errorf("hints = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestInlayHintsRange(t *testing.T) {
	t.Parallel()
	src := "BEGIN { @a = 1; }\nEND { @a = 2; $y = 3; }‸"
	s, end := featureSnapshot(t, src, syntax.V0_26, nil)
	got := hintTexts(InlayHints(context.Background(), s, syntax.Span{Start: 18, End: end}))
	if want := []string{"34 : int64"}; !slices.Equal(got, want) {
		t.Errorf("hints in the second probe = %q, want %q (the map's first assignment is in BEGIN)", got, want)
	}
}

// TestInlayHintsRangeMatchesWhole asks for the hints of ranges of every
// script of the shared corpora, and of a long generated one, and requires
// the hints of the whole file that lie in the range's items: a range
// reads only its items and the earlier uses of the maps it assigns
// (whose first assignment decides where a map's hint goes). The probes
// are collected first, as an open document's are, so items are parsed
// again on demand.
func TestInlayHintsRangeMatchesWhole(t *testing.T) {
	t.Parallel()
	srcs := map[string][]byte{}
	for _, s := range benchtest.CorpusScripts(t) {
		srcs[s.Path] = s.Src
	}
	// Maps assigned in several probes, and read before their first assignment.
	srcs["generated"] = []byte("BEGIN { @r = @late; }\nmacro m(@x) { @x = 1; }\n" +
		"kprobe:f { @late[1] = 2; @a = count(); }\nkprobe:g { m(@b); @b = 3; @a = count(); $v = 1; }\n" +
		"kprobe:h { @late[2] = 5; @c = @a; }\nEND { @c = 1; @b = 4; }\n")
	for name, src := range srcs {
		for _, v := range []syntax.Version{syntax.V0_17, syntax.V0_26} {
			d := syntax.Dialect{Version: v}
			f := syntax.Parse(name, src, d)
			s := analysis.Analyze(context.Background(), f, analysis.Config{Dialect: d})
			whole := InlayHints(context.Background(), s, syntax.Span{Start: 0, End: syntax.Pos(len(src))})
			runtime.GC()
			n := f.NumItems()
			for i := 0; i < n; i += 1 + n/7 {
				for _, j := range []int{i, min(n-1, i+2)} {
					span := syntax.Span{Start: f.ItemSpan(i).Start, End: f.ItemSpan(j).End}
					from, to := f.ItemsOverlapping(span)
					var want []string
					for _, h := range whole {
						if h.Pos >= f.ItemSpan(from).Start && h.Pos <= f.ItemSpan(to-1).End {
							want = append(want, strconv.Itoa(int(h.Pos))+" "+h.Label)
						}
					}
					if got := hintTexts(InlayHints(context.Background(), s, span)); !slices.Equal(got, want) {
						t.Errorf("%s under %s, items %d to %d: hints = %q, want those of the whole file there, %q", name, v, i, j, got, want)
					}
				}
			}
		}
	}
}
