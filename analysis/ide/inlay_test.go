package ide

import (
	"context"
	"slices"
	"strconv"
	"testing"

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
