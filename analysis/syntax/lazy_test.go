package syntax

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"strings"
	"sync"
	"testing"

	"github.com/bpfls/bpfls/analysis/rope"
)

// dumpItem is Dump for one item.
func dumpItem(it Item) string {
	var b strings.Builder
	dumpNode(&b, "", it, 0)
	return b.String()
}

// lazyEdit returns a script, a File reparsed from it after an insertion
// near its start (so almost every item is recorded as moved, not yet
// shifted) and the full parse of the edited text to compare with.
func lazyEdit(t *testing.T) (old, lazy, want *File) {
	t.Helper()
	src := benchScript(t, 300)
	old = Parse("l.bt", src, NewestDialect())
	at := Pos(bytes.Index(src, []byte("count()")))
	e := Edit{Span: Span{at, at}, NewText: []byte("xy\n")}
	lazy = Reparse(old, e)
	if lazy.reparsed < 0 {
		t.Fatal("the edit fell back to a full parse")
	}
	return old, lazy, Parse("l.bt", applyEdit(src, e), NewestDialect())
}

// TestReparseLeavesOldFile checks that neither a Reparse nor reading the
// moved items of its result changes the old File, whether the old File was
// read before or not, and that a File whose items are still unshifted is
// itself a correct old File for the next Reparse.
func TestReparseLeavesOldFile(t *testing.T) {
	t.Parallel()
	src := benchScript(t, 300)
	at := Pos(bytes.Index(src, []byte("count()")))
	ins := Edit{Span: Span{at, at}, NewText: []byte("z\n")}
	for _, readOldFirst := range []bool{false, true} {
		t.Run(fmt.Sprintf("readOldFirst=%v", readOldFirst), func(t *testing.T) {
			t.Parallel()
			f1 := Parse("o.bt", src, NewestDialect())
			f2 := Reparse(f1, ins) // f2's later items are not shifted yet
			want1 := Dump(Parse("o.bt", f1.Src(), NewestDialect()))
			want2 := Dump(Parse("o.bt", f2.Src(), NewestDialect()))
			if readOldFirst {
				if Dump(f2) != want2 {
					t.Fatal("Reparse differs from Parse")
				}
			}
			f3 := Reparse(f2, Edit{Span: Span{at, at + 2}}) // delete the "z\n" again
			if got := Dump(f3); got != want1 {
				t.Fatal("a Reparse of an unread reparsed File differs from Parse")
			}
			if Dump(f2) != want2 {
				t.Error("the old File changed after a Reparse and a read of the new one")
			}
			if Dump(f1) != want1 {
				t.Error("the oldest File changed")
			}
		})
	}
}

// TestLazyItemAccess checks Item, ItemSpan, NumItems, Items, Comments and
// NodeAt on a File whose items are mostly still unshifted, and that NodeAt
// and ItemSpan shift no more than they must.
func TestLazyItemAccess(t *testing.T) {
	t.Parallel()
	_, f, want := lazyEdit(t)
	if f.NumItems() != want.NumItems() {
		t.Fatalf("NumItems = %d, want %d", f.NumItems(), want.NumItems())
	}
	for i := range f.NumItems() {
		if f.ItemSpan(i) != want.ItemSpan(i) {
			t.Fatalf("ItemSpan(%d) = %v, want %v", i, f.ItemSpan(i), want.ItemSpan(i))
		}
	}
	if n := shiftedCount(f); n != 0 {
		t.Fatalf("ItemSpan shifted %d items", n)
	}
	last := f.NumItems() - 1
	pos := f.ItemSpan(last).Start + 1
	path, wantPath := f.NodeAt(pos), want.NodeAt(pos)
	if len(path) == 0 || len(path) != len(wantPath) || dumpItem(path[0].(Item)) != dumpItem(wantPath[0].(Item)) {
		t.Fatalf("NodeAt(%d) differs from a full parse's", pos)
	}
	if n := shiftedCount(f); n != 1 {
		t.Errorf("NodeAt shifted %d items, want 1", n)
	}
	if got, w := dumpItem(f.Item(last/2)), dumpItem(want.Item(last/2)); got != w {
		t.Errorf("Item(%d):\n%s\nwant:\n%s", last/2, got, w)
	}
	if fmt.Sprint(f.Comments()) != fmt.Sprint(want.Comments()) {
		t.Error("Comments differ from a full parse's")
	}
	items := f.Items()
	if len(items) != f.NumItems() || items[last] != f.Item(last) {
		t.Error("Items and Item disagree")
	}
}

// shiftedCount returns how many of f's items have made their shifted copy.
// Only for single-goroutine tests.
func shiftedCount(f *File) int {
	n := 0
	for k := range f.list.blocks {
		if s := f.list.blocks[k].shifted.Load(); s != nil {
			for j := range *s {
				if (*s)[j].peek() != nil {
					n++
				}
			}
		}
	}
	return n
}

// TestLazyItemsConcurrent reads a reparsed File's unshifted items from many
// goroutines at once, in different orders and through every accessor; run
// with -race it shows the first read of an item is safe, and each item is
// shifted once: all goroutines see the same node.
func TestLazyItemsConcurrent(t *testing.T) {
	t.Parallel()
	_, f, want := lazyEdit(t)
	n := f.NumItems()
	wantDumps := make([]string, n)
	for i := range n {
		wantDumps[i] = dumpItem(want.Item(i))
	}
	const readers = 8
	got := make([][]Item, readers)
	var wg sync.WaitGroup
	for g := range readers {
		wg.Go(func() {
			items := make([]Item, n)
			for k := range n {
				i := (k + g*n/readers) % n // a different order per reader
				if g%2 == 1 {
					i = n - 1 - k
				}
				switch g % 3 {
				case 0:
					items[i] = f.Item(i)
				case 1:
					items[i] = f.NodeAt(f.ItemSpan(i).Start)[0].(Item)
				default:
					items[i] = f.Items()[i]
				}
			}
			f.Comments()
			got[g] = items
		})
	}
	wg.Wait()
	for i := range n {
		if d := dumpItem(got[0][i]); d != wantDumps[i] {
			t.Fatalf("item %d differs from a full parse's:\n%s\nwant:\n%s", i, d, wantDumps[i])
		}
		for g := 1; g < readers; g++ {
			if got[g][i] != got[0][i] {
				t.Fatalf("item %d: readers %d and 0 got different nodes", i, g)
			}
		}
	}
}

// TestReparseHandMadeFile checks that Reparse of a File not made by Parse
// (as lsp makes one when parsing failed) falls back to a full parse.
func TestReparseHandMadeFile(t *testing.T) {
	t.Parallel()
	src := []byte("BEGIN { @a = 1; }\n")
	f := Unparsed("h.bt", rope.New(src), NewestDialect())
	if f.NumItems() != 0 || len(f.Items()) != 0 || len(f.Comments()) != 0 || f.NodeAt(3) != nil {
		t.Fatal("a File without units has items")
	}
	e := Edit{Span: Span{0, 0}, NewText: []byte("// x\n")}
	if Dump(Reparse(f, e)) != Dump(Parse("h.bt", applyEdit(src, e), NewestDialect())) {
		t.Error("Reparse differs from Parse")
	}
}

// TestReparseChainUnread applies chains of random edits without reading
// any File in between, as an editor typing faster than analysis does, then
// checks every File of the chain, newest first, against a full parse: the
// lazily moved items compose and reading a newer File never changes an
// older one.
func TestReparseChainUnread(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(5, 6))
	for name, src := range reparseCorpus(t) {
		for range 5 {
			chain := []*File{Parse(name, src, NewestDialect())}
			for range 12 {
				prev := chain[len(chain)-1]
				chain = append(chain, Reparse(prev, randomEdit(r, prev.Src())))
			}
			for i := len(chain) - 1; i >= 0; i-- {
				f := chain[i]
				if Dump(f) != Dump(Parse(name, f.Src(), NewestDialect())) {
					t.Fatalf("%s: file %d of the chain differs from a full parse", name, i)
				}
			}
		}
	}
}
