package syntax

import (
	"math/rand/v2"
	"testing"
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
			e := randomEdit(r, f.Src)
			newSrc := applyEdit(f.Src, e)
			got := ReparseText(f, e, newSrc)
			checkSameFile(t, name, e, got, Parse(name, newSrc, f.Dialect))
			checkSameFile(t, name, e, got, Reparse(f, e))
			if len(newSrc) > 0 && (len(got.Src) == 0 || &got.Src[0] != &newSrc[0]) {
				t.Fatalf("%s: ReparseText copied the source it was given", name)
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
	got := ReparseText(f, Edit{Span: Span{8, 8}, NewText: []byte("x")}, other)
	if Dump(got) != Dump(Parse("x.bt", other, NewestDialect())) || got.reparsed != -1 {
		t.Errorf("wrong-length source was not fully parsed:\n%s", Dump(got))
	}
}
