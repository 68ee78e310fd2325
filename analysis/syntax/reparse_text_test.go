package syntax

import (
	"math/rand/v2"
	"testing"

	"github.com/bpfls/bpfls/analysis/rope"
)

// TestReparseTextEqualsParse: given the edited source, ReparseText builds
// the same tree as a full parse of it, and as Reparse.
func TestReparseTextEqualsParse(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(7, 11))
	edits := 0
	for name, src := range reparseCorpus(t) {
		f := Parse(name, src, NewestDialect())
		for range 40 {
			e := randomEdit(r, f.Src())
			newSrc := applyEdit(f.Src(), e)
			text := f.Text().Edit(int(e.Span.Start), int(e.Span.End), e.NewText)
			got := ReparseText(f, e, text)
			checkSameFile(t, name, e, got, Parse(name, newSrc, f.Dialect))
			checkSameFile(t, name, e, got, Reparse(f, e))
			if got.Text() != text {
				t.Fatalf("%s: ReparseText did not keep the source it was given", name)
			}
			f = got
			edits++
		}
	}
	if edits == 0 {
		t.Fatal("no scripts found")
	}
}

// TestReparseTextWrongLength: a source that cannot be the edit's result is
// parsed as it is, not trusted.
func TestReparseTextWrongLength(t *testing.T) {
	src := []byte("BEGIN { @a = 1; }\nEND { print(@a); }\n")
	f := Parse("x.bt", src, NewestDialect())
	other := []byte("BEGIN { @b = 2; }\n")
	got := ReparseText(f, Edit{Span: Span{8, 8}, NewText: []byte("x")}, rope.New(other))
	if Dump(got) != Dump(Parse("x.bt", other, NewestDialect())) || got.reparsed != -1 {
		t.Errorf("wrong-length source was not fully parsed:\n%s", Dump(got))
	}
}

// TestReparseInSmallWindows re-parses each item from windows of the text
// far smaller than the items, which must grow until the item's parse no
// longer reaches their end: the result still equals a full parse. Not
// parallel: it changes windowSize.
func TestReparseInSmallWindows(t *testing.T) {
	defer func(n int) { windowSize = n }(windowSize)
	r := rand.New(rand.NewPCG(3, 5))
	edits := 0
	for _, size := range []int{1, 5, 64} {
		windowSize = size
		for name, src := range reparseCorpus(t) {
			f := Parse(name, src, NewestDialect())
			for range 10 {
				e := randomEdit(r, f.Src())
				got := Reparse(f, e)
				checkSameFile(t, name, e, got, Parse(name, applyEdit(f.Src(), e), f.Dialect))
				f = got
				edits++
			}
		}
	}
	if edits == 0 {
		t.Fatal("no scripts found")
	}
}
