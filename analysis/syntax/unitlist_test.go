package syntax

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"slices"
	"sync"
	"testing"
)

// checkList checks the invariants of f's unit list: block sizes, the
// index, extents without gaps, and each chunk's summary against one made
// afresh from its units.
func checkList(t *testing.T, f *File) {
	t.Helper()
	l := &f.list
	n := l.len()
	if n != f.NumItems() || (n == 0) != (len(l.blocks) == 0) {
		t.Fatalf("%d items in %d blocks", n, len(l.blocks))
	}
	i := 0
	for k := range l.blocks {
		b := &l.blocks[k]
		size := len(b.c.units)
		if size == 0 || size > maxBlock || len(l.blocks) > 1 && size < minBlock {
			t.Fatalf("block %d of %d holds %d units", k, len(l.blocks), size)
		}
		if int(l.first[k]) != i {
			t.Fatalf("first[%d] = %d, want %d", k, l.first[k], i)
		}
		want := newChunk(b.c.units)
		if want.horizon != b.c.horizon || want.errs != b.c.errs || want.errStart != b.c.errStart ||
			want.special != b.c.special || want.body != b.c.body || want.other != b.c.other || want.comment != b.c.comment {
			t.Fatalf("block %d: summary %+v, want %+v", k, *b.c, *want)
		}
		for j := range size {
			if got := l.blockOf(i + j); got != k {
				t.Fatalf("blockOf(%d) = %d, want %d", i+j, got, k)
			}
		}
		i += size
	}
	end := Pos(0)
	for i := range n {
		ext := f.ItemExtent(i)
		if ext.Start != end {
			t.Fatalf("item %d's extent %v does not start where the last ended, at %d", i, ext, end)
		}
		end = ext.End
	}
	if f.tail != nil && f.tail.p.start+f.tail.delta != end {
		t.Fatalf("the tail starts at %d, the last item ends at %d", f.tail.p.start+f.tail.delta, end)
	}
}

// blockSizes returns the number of units in each of f's blocks.
func blockSizes(f *File) []int {
	var out []int
	for k := range f.list.blocks {
		out = append(out, len(f.list.blocks[k].c.units))
	}
	return out
}

// TestUnitListSplitsAndMerges pastes a long run of items into a file and
// deletes it again, item by item and at once, and checks after each edit
// that blocks stay between minBlock and maxBlock units and that the File
// equals a full parse.
func TestUnitListSplitsAndMerges(t *testing.T) {
	t.Parallel()
	src := benchScript(t, 1500) // about 190 items: two blocks
	f := Parse("s.bt", src, NewestDialect())
	checkList(t, f)
	if len(f.list.blocks) < 2 {
		t.Fatalf("the script fills only %d block", len(f.list.blocks))
	}
	// Paste 600 probes in the middle: the block there splits.
	var paste bytes.Buffer
	for i := range 600 {
		fmt.Fprintf(&paste, "kprobe:f%d { @n[%d] = count(); }\n", i, i)
	}
	mid := f.ItemExtent(f.NumItems() / 2).Start
	f = reparseChecked(t, f, Edit{Span: Span{mid, mid}, NewText: paste.Bytes()})
	if len(f.list.blocks) < 600/maxBlock+2 {
		t.Fatalf("after pasting 600 items: blocks %v", blockSizes(f))
	}
	// Delete them one item at a time from the front of the run: blocks
	// shrink below minBlock and merge with their neighbours.
	removed := Pos(0)
	for i := range 300 {
		e := Edit{Span: Span{mid, f.ItemExtent(f.itemAt(mid + 1)).End}}
		removed += e.Span.End - mid
		switch {
		case i%50 == 0:
			f = reparseChecked(t, f, e)
		case i%5 == 0:
			f = Reparse(f, e)
			checkList(t, f)
		default:
			f = Reparse(f, e)
		}
	}
	// Then the remaining 300 at once.
	f = reparseChecked(t, f, Edit{Span: Span{mid, mid + Pos(paste.Len()) - removed}})
	if !bytes.Equal(f.Src(), src) {
		t.Fatal("the text did not come back")
	}
	// Delete all but the first two items and the last: one block is left.
	all := Span{f.ItemExtent(2).Start, f.ItemExtent(f.NumItems() - 2).End}
	f = reparseChecked(t, f, Edit{Span: all})
	if len(f.list.blocks) != 1 {
		t.Errorf("after deleting all but three items: blocks %v", blockSizes(f))
	}
}

// reparseChecked applies e to f, then checks the list and the result
// against a full parse.
func reparseChecked(t *testing.T, f *File, e Edit) *File {
	t.Helper()
	got := Reparse(f, e)
	if got.reparsed < 0 {
		t.Fatalf("edit %v fell back to a full parse", e.Span)
	}
	checkList(t, got)
	checkSameFile(t, "s.bt", e, got, Parse("s.bt", got.Src(), got.Dialect))
	return got
}

// TestReparseAcrossBlocks applies chains of edits that each start in one
// block and end in another (deleting the items on both sides of a
// boundary, replacing them with several items, or joining two items into
// one), unread and read, and checks every File of each chain against a
// full parse and ReparsedFrom against the items' IDs.
func TestReparseAcrossBlocks(t *testing.T) {
	t.Parallel()
	src := benchScript(t, 2000) // about 250 items: two or three blocks
	r := rand.New(rand.NewPCG(7, 8))
	for chainNo := range 3 {
		chain := []*File{Parse("x.bt", src, NewestDialect())}
		for range 10 {
			f := chain[len(chain)-1]
			l := &f.list
			k := 1 + r.IntN(len(l.blocks)-1)
			at := int(l.first[k]) // the first item of block k
			lo, hi := max(0, at-1-r.IntN(3)), min(f.NumItems()-1, at+r.IntN(3))
			var text []byte
			switch r.IntN(3) {
			case 0: // several items in their place
				text = []byte("BEGIN { @a = 1; }\nEND { @b = 2; }\n// c\ni:s:1 { @c = 3; }\n")
			case 1: // join the first and last: cut from inside one item to inside the other
				a, b := f.ItemSpan(lo), f.ItemSpan(hi)
				e := Edit{Span: Span{a.Start + (a.End-a.Start)/2, b.Start + (b.End-b.Start)/2}}
				chain = append(chain, Reparse(f, e))
				continue
			}
			e := Edit{Span: Span{f.ItemExtent(lo).Start, f.ItemExtent(hi).End}, NewText: text}
			chain = append(chain, Reparse(f, e))
			if chainNo%2 == 1 { // read as it goes, as the server does
				chain[len(chain)-1].Items()
			}
		}
		for i := len(chain) - 1; i >= 0; i-- {
			f := chain[i]
			checkList(t, f)
			if Dump(f) != Dump(Parse("x.bt", f.Src(), NewestDialect())) {
				t.Fatalf("chain %d: file %d differs from a full parse", chainNo, i)
			}
			if i > 0 {
				checkReparsedFrom(t, chain[i-1], f)
			}
		}
	}
}

// TestReparseRandomAcrossBlocks applies chains of random edits to a
// script of several blocks, unread, and checks each File's list and, now
// and then, the File against a full parse.
func TestReparseRandomAcrossBlocks(t *testing.T) {
	t.Parallel()
	src := benchScript(t, 1200) // about 150 items: two blocks
	r := rand.New(rand.NewPCG(13, 14))
	for range 3 {
		f := Parse("y.bt", src, NewestDialect())
		for i := range 40 {
			f = Reparse(f, randomEdit(r, f.Src()))
			checkList(t, f)
			if i%8 == 7 && Dump(f) != Dump(Parse("y.bt", f.Src(), NewestDialect())) {
				t.Fatalf("edit %d: Reparse differs from Parse", i)
			}
		}
	}
}

// checkReparsedFrom checks that f.ReparsedFrom(old) gives what comparing
// their items' IDs from both ends gives.
func checkReparsedFrom(t *testing.T, old, f *File) {
	t.Helper()
	lo, hiOld, hiNew, ok := f.ReparsedFrom(old)
	if !ok {
		if f.reparsed >= 0 {
			t.Fatal("ReparsedFrom reports false for a File Reparse built from old")
		}
		return
	}
	n, m := old.NumItems(), f.NumItems()
	wlo, whiOld, whiNew := 0, n, m
	for wlo < n && wlo < m && old.ItemID(wlo) == f.ItemID(wlo) {
		wlo++
	}
	for whiOld > wlo && whiNew > wlo && old.ItemID(whiOld-1) == f.ItemID(whiNew-1) {
		whiOld--
		whiNew--
	}
	if lo != wlo || hiOld != whiOld || hiNew != whiNew {
		t.Fatalf("ReparsedFrom = %d, %d, %d; the IDs say %d, %d, %d", lo, hiOld, hiNew, wlo, whiOld, whiNew)
	}
	d := Pos(f.Len() - old.Len())
	for k := 0; hiOld+k < n; k++ {
		if os, ns := old.ItemSpan(hiOld+k), f.ItemSpan(hiNew+k); ns != shiftSpan(os, d) {
			t.Fatalf("item %d moved from %v to %v, not by %d", hiOld+k, os, ns, d)
		}
	}
}

// TestReparsedFrom checks ReparsedFrom after random edits of every corpus
// script, and that it reports false for any File but the one Reparse
// started from.
func TestReparsedFrom(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(9, 10))
	for name, src := range reparseCorpus(t) {
		f := Parse(name, src, NewestDialect())
		if _, _, _, ok := f.ReparsedFrom(f); ok {
			t.Fatalf("%s: a parsed File reports it was re-parsed from itself", name)
		}
		for range 30 {
			g := Reparse(f, randomEdit(r, f.Src()))
			checkReparsedFrom(t, f, g)
			if g.reparsed >= 0 {
				if _, _, _, ok := Reparse(g, Edit{}).ReparsedFrom(f); ok {
					t.Fatalf("%s: ReparsedFrom reports true for an older File", name)
				}
				if _, _, _, ok := g.ReparsedFrom(Parse(name, f.Src(), f.Dialect)); ok {
					t.Fatalf("%s: ReparsedFrom reports true for an equal File", name)
				}
			}
			f = g
		}
	}
}

// TestReparseErrorsAcrossBlocks edits a file with errors in every block,
// more than the 25 kept, so Errors reads only the first blocks' errors:
// it must still equal a full parse's after edits that add and remove
// errors before, among and after those kept.
func TestReparseErrorsAcrossBlocks(t *testing.T) {
	t.Parallel()
	var b bytes.Buffer
	for i := range 400 {
		if i%7 == 3 {
			fmt.Fprintf(&b, "kprobe:f%d { @n[%d] = ; }\n", i, i) // an error
		} else {
			fmt.Fprintf(&b, "kprobe:f%d { @n[%d] = count(); }\n", i, i)
		}
	}
	src := b.Bytes()
	f := Parse("e.bt", src, NewestDialect())
	if len(f.Errors) != maxErrors {
		t.Fatalf("%d errors, want %d", len(f.Errors), maxErrors)
	}
	r := rand.New(rand.NewPCG(11, 12))
	for range 200 {
		i := r.IntN(f.NumItems())
		sp := f.ItemSpan(i)
		var e Edit
		switch r.IntN(3) {
		case 0: // break an item
			e = Edit{Span: Span{sp.End - 3, sp.End - 3}, NewText: []byte("+")}
		case 1: // replace it with a sound one
			e = Edit{Span: sp, NewText: []byte("BEGIN { @x = 1; }")}
		default: // a broken item on the same line as one after it
			e = Edit{Span: Span{sp.End, sp.End}, NewText: []byte(" i:s:1 { ( }")}
		}
		f = Reparse(f, e)
		want := Parse("e.bt", f.Src(), NewestDialect())
		if !slices.Equal(f.Errors, want.Errors) {
			t.Fatalf("after edit %v %q: errors\n%v\nwant\n%v", e.Span, e.NewText, f.Errors, want.Errors)
		}
	}
	checkList(t, f)
}

// TestReadOldAndNewConcurrently reads a chain of Files, each re-parsed
// from the one before and sharing its blocks, from many goroutines at
// once while more Files are re-parsed from them; run with -race it shows
// that blocks and their shifted items are shared safely, and every File
// still equals a full parse.
func TestReadOldAndNewConcurrently(t *testing.T) {
	t.Parallel()
	src := benchScript(t, 2000)
	at := Pos(bytes.Index(src, []byte("count()")))
	chain := []*File{Parse("r.bt", src, NewestDialect())}
	for i := range 4 {
		prev := chain[len(chain)-1]
		var e Edit
		if i%2 == 0 { // a line break near the start: every later item moves
			e = Edit{Span: Span{at, at}, NewText: []byte("\n")}
		} else { // an edit in the middle that keeps the length: blocks before it are shared unmoved
			mid := prev.ItemSpan(prev.NumItems() / 2).Start
			e = Edit{Span: Span{mid + 1, mid + 2}, NewText: prev.Src()[mid+1 : mid+2]}
		}
		chain = append(chain, Reparse(prev, e))
	}
	wants := make([]string, len(chain))
	for i, f := range chain {
		wants[i] = Dump(Parse("r.bt", f.Src(), NewestDialect()))
	}
	var wg sync.WaitGroup
	for g := range 12 {
		wg.Go(func() {
			f := chain[g%len(chain)]
			n := f.NumItems()
			switch g % 4 {
			case 0:
				f.Items()
			case 1:
				for i := n - 1; i >= 0; i-- {
					f.Item(i)
				}
			case 2:
				for i := range n {
					f.NodeAt(f.ItemSpan(i).Start)
				}
				f.Comments()
			default:
				g := Reparse(f, Edit{Span: Span{at, at}, NewText: []byte("x")})
				g.Item(n - 1)
			}
		})
	}
	wg.Wait()
	for i, f := range chain {
		if Dump(f) != wants[i] {
			t.Errorf("file %d of the chain differs from a full parse", i)
		}
		for k := range f.NumItems() {
			if f.Item(k) != f.Items()[k] {
				t.Fatalf("file %d: Item(%d) and Items()[%d] are different nodes", i, k, k)
			}
		}
	}
}
