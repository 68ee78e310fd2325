package ide

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/bpfls/bpfls/analysis"
	"github.com/bpfls/bpfls/analysis/syntax"
)

// spanTexts returns the text at each span with its offset: "@n@8".
func spanTexts(src []byte, spans []syntax.Span) []string {
	out := make([]string, len(spans))
	for i, sp := range spans {
		out[i] = string(src[sp.Start:sp.End]) + "@" + strconv.Itoa(int(sp.Start))
	}
	return out
}

func TestReferences(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	for _, tc := range []struct {
		name   string
		v      syntax.Version
		src    string
		def    string   // definition text@offset
		refs   []string // every occurrence, definition included
		rename string   // new name
		edited string   // the file after the rename
	}{
		{name: "map across probes", src: "BEGIN { @n = 1; }\nEND { print(@‸n); }",
			def: "@n@8", refs: []string{"@n@8", "@n@30"}, rename: "total",
			edited: "BEGIN { @total = 1; }\nEND { print(@total); }"},
		{name: "map with keys", src: "kprobe:f { @‸bytes[pid] = sum(1); }\nEND { print(@bytes); clear(@bytes); }",
			def: "@bytes@11", refs: []string{"@bytes@11", "@bytes@47", "@bytes@62"}, rename: "@b",
			edited: "kprobe:f { @b[pid] = sum(1); }\nEND { print(@b); clear(@b); }"},
		{name: "variable", src: "BEGIN { $x = 1; $y = $x + 1; print($‸x); }",
			def: "$x@8", refs: []string{"$x@8", "$x@21", "$x@35"}, rename: "$count",
			edited: "BEGIN { $count = 1; $y = $count + 1; print($count); }"},
		{name: "variables of different probes are different", src: "BEGIN { $x = 1; }\nEND { $‸x = 2; print($x); }",
			def: "$x@24", refs: []string{"$x@24", "$x@38"}, rename: "z",
			edited: "BEGIN { $x = 1; }\nEND { $z = 2; print($z); }"},
		{name: "macro", v: syntax.V0_25, src: "macro twice(x) { x * 2 }\nBEGIN { print(tw‸ice(2)); }",
			def: "twice@6", refs: []string{"twice@6", "twice@39"}, rename: "double",
			edited: "macro double(x) { x * 2 }\nBEGIN { print(double(2)); }"},
		{name: "macro parameter", v: syntax.V0_25, src: "macro inc($v, n) { $‸v + n }\nBEGIN { $v = 1; print(inc($v, 2)); }",
			def: "$v@10", refs: []string{"$v@10", "$v@19"}, rename: "$w",
			edited: "macro inc($w, n) { $w + n }\nBEGIN { $v = 1; print(inc($v, 2)); }"},
		{name: "bare macro parameter", v: syntax.V0_25, src: "macro inc($v, n) { $v + ‸n }\nBEGIN { print(inc($x, 2)); }",
			def: "n@14", refs: []string{"n@14", "n@24"}, rename: "step",
			edited: "macro inc($v, step) { $v + step }\nBEGIN { print(inc($x, 2)); }"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			v := tc.v
			if v == (syntax.Version{}) {
				v = syntax.V0_26
			}
			s, pos := featureSnapshot(t, tc.src, v, nil)
			src := s.File.Src()
			def, ok := Definition(ctx, s, pos)
			if !ok {
				t.Fatal("no definition")
			}
			at := strings.LastIndex(tc.def, "@")
			if got := spanTexts(src, []syntax.Span{nameSpan(s.File, def, tc.def[:at])})[0]; got != tc.def {
				t.Errorf("definition = %q, want %q", got, tc.def)
			}
			refs := References(ctx, s, pos, true)
			if got := spanTexts(src, refs); !slices.Equal(got, tc.refs) {
				t.Errorf("references = %q, want %q", got, tc.refs)
			}
			if got := References(ctx, s, pos, false); len(got) != len(tc.refs)-1 {
				t.Errorf("references without the definition: %d, want %d", len(got), len(tc.refs)-1)
			}
			hs := Highlights(ctx, s, pos)
			if len(hs) != len(tc.refs) || !hs[0].Write || hs[len(hs)-1].Write {
				t.Errorf("highlights = %+v, want %d with the definition as the write", hs, len(tc.refs))
			}
			if _, name, err := PrepareRename(ctx, s, pos); err != nil || name == "" {
				t.Errorf("prepare rename: %q, %v", name, err)
			}
			edits, err := Rename(ctx, s, pos, tc.rename)
			if err != nil {
				t.Fatalf("rename: %v", err)
			}
			if got := applyTestEdits(src, edits); got != tc.edited {
				t.Errorf("after rename:\n%s\nwant:\n%s", got, tc.edited)
			}
		})
	}
}

// applyTestEdits applies non-overlapping edits.
func applyTestEdits(src []byte, edits []analysis.Edit) string {
	slices.SortFunc(edits, func(a, b analysis.Edit) int { return int(b.Span.Start - a.Span.Start) })
	out := string(src)
	for _, e := range edits {
		out = out[:e.Span.Start] + e.NewText + out[e.Span.End:]
	}
	return out
}

func TestRenameRejects(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	for _, tc := range []struct {
		name, src, newName string
		want               error // nil: any error
	}{
		{name: "builtin", src: "BEGIN { print(ni‸d); }", want: ErrNothingToRename},
		{name: "builtin function", src: "BEGIN { pri‸ntf(\"x\"); }", want: ErrBuiltinRename},
		{name: "builtin variable", src: "BEGIN { $x = pi‸d; }", want: ErrBuiltinRename},
		{name: "sigil mismatch", src: "BEGIN { @‸a = 1; }", newName: "$a"},
		{name: "not an identifier", src: "BEGIN { $‸a = 1; }", newName: "$1a"},
		{name: "macro named like a builtin", src: "macro twice(x) { x }\nBEGIN { tw‸ice(1); }", newName: "printf"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s, pos := featureSnapshot(t, tc.src, syntax.V0_26, nil)
			newName := tc.newName
			if newName == "" {
				newName = "other"
			}
			_, err := Rename(ctx, s, pos, newName)
			if err == nil || tc.want != nil && !errors.Is(err, tc.want) {
				t.Errorf("rename to %q: %v, want %v", newName, err, tc.want)
			}
		})
	}
}

// TestRenameRefusesTakenName: a rename to a name the scope already has would
// merge two symbols, so it is refused with the other symbol's place; the same
// name elsewhere (another probe's variable) does not count.
func TestRenameRefusesTakenName(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	for _, tc := range []struct {
		name, src, newName string
		taken              bool
	}{
		{name: "map", src: "BEGIN { @‸bytes = 1; @big = 2; }", newName: "@big", taken: true},
		{name: "map without sigil", src: "BEGIN { @‸bytes = 1; }\nEND { @big[1] = 2; }", newName: "big", taken: true},
		{name: "variable in one probe", src: "BEGIN { $‸x = 1; $y = 2; print($x + $y); }", newName: "$y", taken: true},
		{name: "variable in another probe", src: "BEGIN { $‸x = 1; print($x); }\nEND { $y = 2; print($y); }", newName: "$y"},
		{name: "macro", src: "macro a(x) { x }\nmacro b(x) { x + 1 }\nBEGIN { print(‸a(1) + b(2)); }", newName: "b", taken: true},
		{name: "macro to a fn's name", src: "macro a(x) { x }\nfn b($v: int64): int64 { return $v; }\nBEGIN { print(‸a(1)); }", newName: "b", taken: true},
		{name: "macro parameter", src: "macro a($x, $y) { $‸x + $y }\nBEGIN { $p = 1; $q = 2; print(a($p, $q)); }", newName: "$y", taken: true},
		{name: "fn variable", src: "fn f($v: int64): int64 { $‸w = $v; return $w; }\nBEGIN { exit(); }", newName: "$v", taken: true},
		{name: "same name", src: "BEGIN { @‸bytes = 1; }", newName: "@bytes"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s, pos := featureSnapshot(t, tc.src, syntax.V0_26, nil)
			if _, _, err := PrepareRename(ctx, s, pos); err != nil {
				t.Fatalf("prepare rename: %v", err)
			}
			edits, err := Rename(ctx, s, pos, tc.newName)
			if tc.taken {
				if !errors.Is(err, ErrNameTaken) || !strings.Contains(err.Error(), "line ") {
					t.Errorf("rename to %q: edits %v, error %v; want ErrNameTaken naming where", tc.newName, edits, err)
				}
				return
			}
			if err != nil || len(edits) == 0 {
				t.Errorf("rename to %q: %v, %v", tc.newName, edits, err)
			}
		})
	}
}

// TestRenameFn: a fn is renamed at its declaration and at every call, from
// either place; names a fn, macro or builtin already has are refused.
func TestRenameFn(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	const prog = "fn ‸add($a: int64, $b: int64): int64 { return $a + $b; }\nfn twice($v: int64): int64 { return add($v, $v); }\nmacro m(x) { x }\nBEGIN { print(add(1, 2)); }\n"
	for _, tc := range []struct {
		name, src, newName string
		want               string // the renamed file, "" when refused
		taken              bool
	}{
		{name: "from the declaration", src: prog, newName: "plus",
			want: "fn plus($a: int64, $b: int64): int64 { return $a + $b; }\nfn twice($v: int64): int64 { return plus($v, $v); }\nmacro m(x) { x }\nBEGIN { print(plus(1, 2)); }\n"},
		{name: "from a call", src: strings.Replace(strings.Replace(prog, "‸", "", 1), "print(add", "print(a‸dd", 1), newName: "plus",
			want: "fn plus($a: int64, $b: int64): int64 { return $a + $b; }\nfn twice($v: int64): int64 { return plus($v, $v); }\nmacro m(x) { x }\nBEGIN { print(plus(1, 2)); }\n"},
		{name: "another fn's name", src: prog, newName: "twice", taken: true},
		{name: "a macro's name", src: prog, newName: "m", taken: true},
		{name: "a builtin", src: prog, newName: "sum"},
		{name: "a sigil", src: prog, newName: "$sum"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s, pos := featureSnapshot(t, tc.src, syntax.V0_26, nil)
			if sp, name, err := PrepareRename(ctx, s, pos); err != nil || name != "add" || string(s.File.Src()[sp.Start:sp.End]) != "add" {
				t.Fatalf("prepare rename: %v %q %v", sp, name, err)
			}
			edits, err := Rename(ctx, s, pos, tc.newName)
			if tc.want == "" {
				if err == nil || tc.taken != errors.Is(err, ErrNameTaken) {
					t.Errorf("rename to %q: edits %v, error %v; want a refusal (taken %v)", tc.newName, edits, err, tc.taken)
				}
				return
			}
			if err != nil {
				t.Fatalf("rename to %q: %v", tc.newName, err)
			}
			if got := applyTestEdits(s.File.Src(), edits); got != tc.want {
				t.Errorf("rename to %q:\n%s\nwant\n%s", tc.newName, got, tc.want)
			}
		})
	}
}
