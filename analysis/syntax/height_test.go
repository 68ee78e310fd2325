package syntax

import (
	"strings"
	"testing"
)

// treeHeight is the height of the tree under n. It recurses, so it is only
// called on trees the parser accepted, whose height is bounded.
func treeHeight(n Node) int {
	h := 0
	eachChild(n, func(c Node) { h = max(h, treeHeight(c)) })
	return h + 1
}

// TestRecoveryTooTall checks that chains the parser builds in a loop count
// against the height limit: each later pass recurses once per link, and a
// Go stack overflow cannot be recovered. The inputs are those that crashed
// bpfls (about 1.2 MB each) and are generated here, never committed.
func TestRecoveryTooTall(t *testing.T) {
	t.Parallel()
	nested := nestedChains(40, 60) // 2,400 levels in all
	for name, expr := range map[string]string{
		"binary": "1" + strings.Repeat(" + 1", 270000),
		"index":  "@m[0]" + strings.Repeat("[1]", 400000),
		"field":  "$t" + strings.Repeat("->f", 600000),
		"dot":    "$t" + strings.Repeat(".f", 600000),
		"mixed":  "$t" + strings.Repeat("->f[1] * 2", 100000),
		"nested": nested,
		"cond":   "(1" + strings.Repeat(" + 1", 200000) + ") {}",
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			body := "$y = " + expr + ";"
			if name == "cond" {
				body = "if " + expr
			}
			src := "kprobe:tall { " + body + " }\nkprobe:next { @ok = 1; }\n"
			f := Parse("tall.bt", []byte(src), NewestDialect())
			deep := 0
			for _, e := range f.Errors {
				if e.Code == "syntax/too-deep" {
					deep++
				}
			}
			if deep != 1 {
				t.Errorf("got %d too-deep errors: %v", deep, f.Errors)
			}
			if got := probeNames(f); !strings.HasSuffix(got, "kprobe:next") {
				t.Errorf("probe after the tall one lost: %q", got)
			}
		})
	}
}

// TestHeightBelowLimit checks that chains below the limit parse clean and
// that every accepted tree stays within a small multiple of the limit.
func TestHeightBelowLimit(t *testing.T) {
	t.Parallel()
	for name, expr := range map[string]string{
		"binary": "1" + strings.Repeat(" + 1", 900),
		"field":  "$t" + strings.Repeat("->f", 900),
		"index":  "@m[0]" + strings.Repeat("[1]", 900),
		"nested": nestedChains(10, 60),
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			f := Parse("ok.bt", []byte("kprobe:f { $y = "+expr+"; }\n"), NewestDialect())
			if len(f.Errors) != 0 {
				t.Fatalf("unexpected errors: %v", f.Errors)
			}
			for _, it := range f.Items() {
				if h := treeHeight(it); h > 2*maxHeight {
					t.Errorf("tree height %d, limit %d", h, maxHeight)
				}
			}
		})
	}
}

// nestedChains returns n chains of k links, each the first operand of the
// next: ((1 + 1 …) + 1 …) + 1 ….
func nestedChains(n, k int) string {
	s := "1"
	for range n {
		s = "(" + s + strings.Repeat(" + 1", k) + ")"
	}
	return s
}
