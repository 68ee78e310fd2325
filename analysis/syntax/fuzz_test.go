package syntax

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
)

// FuzzParse checks that parsing never panics, that every span is in bounds
// with End >= Pos and lies inside its parent's span, and that Reparse after
// an edit equals a full parse. Seeds are our own scripts.
func FuzzParse(f *testing.F) {
	for _, src := range reparseCorpus(f) {
		f.Add(src, uint16(len(src)/2), uint8(1), []byte("{"))
	}
	for _, s := range []string{"", "k:f{", "BEGIN { $x = ((((", "#!x\n#y\nstruct a {", "config = {", "\"", "/*",
		"k:f /a/ { @x[1,2] = (a=1, b=(1,)); }", "macro m($a, @b, c) { }", "fn f($a: int8*[2]): void {}"} {
		f.Add([]byte(s), uint16(1), uint8(0), []byte("}"))
	}
	f.Fuzz(func(t *testing.T, src []byte, at uint16, del uint8, ins []byte) {
		// Re-parse in tiny windows, which must grow until they hold the
		// whole parse of each item.
		defer func(n int) { windowSize = n }(windowSize)
		windowSize = 1 + int(at)%61
		for _, d := range []Dialect{NewestDialect(), {Version: V0_17}} {
			file := Parse("fuzz.bt", src, d)
			if msg := checkSpans(file); msg != "" {
				t.Fatalf("%s: %s\n%s", d.Version, msg, Dump(file))
			}
			a := min(int(at), len(src))
			b := min(a+int(del), len(src))
			e := Edit{Span: Span{Pos(a), Pos(b)}, NewText: ins}
			got := Reparse(file, e)
			want := Parse("fuzz.bt", applyEdit(src, e), d)
			if g, w := Dump(got), Dump(want); g != w {
				t.Fatalf("%s: Reparse(%v, %q) differs from Parse\n--- reparse:\n%s--- parse:\n%s", d.Version, e.Span, ins, g, w)
			}
			if msg := checkSpans(got); msg != "" {
				t.Fatalf("after edit: %s", msg)
			}
			forgetItems(got)
			if g, w := Dump(got), Dump(want); g != w {
				t.Fatalf("%s: after Reparse(%v, %q), items parsed again differ from Parse\n--- parsed again:\n%s--- parse:\n%s", d.Version, e.Span, ins, g, w)
			}
			if msg := headsDiffer(got, want); msg != "" {
				t.Fatalf("%s: after Reparse(%v, %q): %s", d.Version, e.Span, ins, msg)
			}
		}
	})
}

// checkSpans returns a description of the first span invariant f breaks.
func checkSpans(f *File) string {
	size := Pos(f.Len())
	var stack []Node
	var bad string
	prevEnd := Pos(0)
	for _, it := range f.Items() {
		if it.Pos() < prevEnd {
			return fmt.Sprintf("item %T at %d overlaps the previous item ending at %d", it, it.Pos(), prevEnd)
		}
		prevEnd = it.End()
		Inspect(it, func(n Node) bool {
			if n == nil {
				stack = stack[:len(stack)-1]
				return false
			}
			if bad != "" {
				return false
			}
			switch {
			case n.Pos() < 0 || n.End() > size:
				bad = fmt.Sprintf("%T [%d,%d) outside [0,%d)", n, n.Pos(), n.End(), size)
			case n.End() < n.Pos():
				bad = fmt.Sprintf("%T [%d,%d) ends before it starts", n, n.Pos(), n.End())
			case len(stack) > 0 && (n.Pos() < stack[len(stack)-1].Pos() || n.End() > stack[len(stack)-1].End()):
				p := stack[len(stack)-1]
				bad = fmt.Sprintf("%T [%d,%d) outside its parent %T [%d,%d)", n, n.Pos(), n.End(), p, p.Pos(), p.End())
			}
			stack = append(stack, n)
			return true
		})
		if bad != "" {
			return bad
		}
	}
	for _, e := range f.Errors {
		if e.Span.Start < 0 || e.Span.End > size || e.Span.End < e.Span.Start || !strings.HasPrefix(e.Code, "syntax") {
			return fmt.Sprintf("bad error %+v", e)
		}
	}
	if len(f.Errors) > maxErrors {
		return fmt.Sprintf("%d errors", len(f.Errors))
	}
	return ""
}

// TestMutatedInputs is a deterministic cousin of FuzzParse that runs in
// every test run: it mutates our scripts byte by byte (and makes up short
// random ones from bpftrace-ish bytes), then checks the span invariants and
// that Reparse after a random edit equals Parse. It found the bugs behind
// the seeds in testdata/fuzz/FuzzParse.
func TestMutatedInputs(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(3, 4))
	alphabet := []byte("{}()[];,:?./*-+!~&|^<>=@$#\"\\ \n\tabkprobeBEGINifelsewhileforletmacrofnconfigimportstructsizeof__attribute__0123456789x_")
	var srcs [][]byte
	for _, s := range reparseCorpus(t) {
		srcs = append(srcs, s)
	}
	for range 3000 {
		src := mutate(r, srcs[r.IntN(len(srcs))], alphabet)
		if r.IntN(2) == 0 {
			src = make([]byte, r.IntN(300))
			for i := range src {
				src[i] = alphabet[r.IntN(len(alphabet))]
			}
		}
		for _, d := range []Dialect{NewestDialect(), {Version: V0_17}} {
			f := Parse("m.bt", src, d)
			if msg := checkSpans(f); msg != "" {
				t.Fatalf("%s on %q", msg, src)
			}
			e := randomEdit(r, src)
			if Dump(Reparse(f, e)) != Dump(Parse("m.bt", applyEdit(src, e), d)) {
				t.Fatalf("Reparse(%v, %q) differs from Parse on %q", e.Span, e.NewText, src)
			}
		}
	}
}

// mutate returns a copy of src with up to 30 random byte changes,
// deletions and insertions.
func mutate(r *rand.Rand, src, alphabet []byte) []byte {
	out := append([]byte(nil), src...)
	for k := r.IntN(30); k >= 0 && len(out) > 0; k-- {
		i := r.IntN(len(out))
		switch r.IntN(3) {
		case 0:
			out[i] = alphabet[r.IntN(len(alphabet))]
		case 1:
			out = append(out[:i], out[min(len(out), i+r.IntN(10)):]...)
		default:
			out = append(out[:i], append([]byte{alphabet[r.IntN(len(alphabet))]}, out[i:]...)...)
		}
	}
	return out
}
