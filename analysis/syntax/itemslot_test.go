package syntax

import (
	"fmt"
	"reflect"
	"runtime"
	"strings"
	"testing"

	"github.com/bpfls/bpfls/analysis/rope"
)

// forgetItems drops every item f holds, as a collection does when no
// reader holds them, so that reading them parses them again. Only for
// single-goroutine tests.
func forgetItems(f *File) {
	for k := range f.list.blocks {
		b := &f.list.blocks[k]
		b.shifted.Store(nil)
		for _, u := range b.c.units {
			u.p.slot = itemSlot{}
		}
	}
	f.fresh = nil
	f.items = weakSlice[Item]{}
	f.comments = weakSlice[Comment]{}
}

// headsDiffer reports the first probe whose attach points, as
// ProbeAttachPoints reads them from got with every item forgotten (its
// head parsed alone), differ from want's, and that reading them parsed no
// whole probe; "" when none.
func headsDiffer(got, want *File) string {
	wantAPs := make([][]*AttachPoint, want.NumItems())
	for i := range wantAPs {
		if p, ok := want.Item(i).(*Probe); ok {
			wantAPs[i] = p.AttachPoints
		}
	}
	forgetItems(got) // after reading want, which may share got's units
	for i, w := range wantAPs {
		if w == nil {
			continue
		}
		if aps := got.ProbeAttachPoints(i); !reflect.DeepEqual(aps, w) {
			return fmt.Sprintf("item %d: ProbeAttachPoints = %s, want %s", i, dumpAPs(aps), dumpAPs(w))
		}
	}
	if held := heldProbes(got); held != 0 {
		return fmt.Sprintf("ProbeAttachPoints parsed %d whole probes", held)
	}
	return ""
}

func dumpAPs(aps []*AttachPoint) string {
	var b strings.Builder
	for _, ap := range aps {
		fmt.Fprintf(&b, "%+v ", *ap)
	}
	return b.String()
}

// heldProbes counts the probes of f still in memory.
func heldProbes(f *File) int { return f.ProbesInMemory() }

// numProbes counts the probes of f.
func numProbes(f *File) int {
	n := 0
	for i := range f.NumItems() {
		if f.IsProbe(i) {
			n++
		}
	}
	return n
}

// TestItemsAreNotKept checks that a File does not keep probes no reader
// holds, but for those its re-parse made, and that reading them again
// gives what a full parse gives, at the position each item has now.
func TestItemsAreNotKept(t *testing.T) {
	src := benchScript(t, 1000)
	f := Parse("big.bt", src, NewestDialect())
	n, np := f.NumItems(), numProbes(f)
	if np < 100 || np == n {
		t.Fatalf("%d items, %d probes", n, np)
	}
	if got := len(f.Items()); got != n {
		t.Fatalf("Items has %d items, want %d", got, n)
	}
	if held := heldProbes(f); held != np {
		t.Fatalf("%d of %d probes are held right after the parse, want all", held, np)
	}
	runtime.GC()
	if held := heldProbes(f); held != 0 {
		t.Errorf("after a collection %d of %d probes are still held, want 0", held, np)
	}
	want := Dump(Parse("big.bt", src, NewestDialect()))
	if got := Dump(f); got != want {
		t.Fatalf("items parsed again differ from a full parse:\n%s\nwant:\n%s", got, want)
	}

	// An edit near the start moves every later item; its fresh item stays
	// held, and moved items are copied or parsed again where they are now.
	first := 0
	for !f.IsProbe(first) {
		first++
	}
	at := f.ItemSpan(first).Start
	e := Edit{Span: Span{Start: at, End: at}, NewText: []byte("\n\n")}
	g := Reparse(f, e)
	runtime.GC()
	freshProbes := 0
	for _, it := range g.fresh {
		if _, ok := it.(*Probe); ok {
			freshProbes++
		}
	}
	if held := heldProbes(g); held != freshProbes || held == 0 {
		t.Errorf("after a re-parse and a collection %d probes are held, want the %d fresh ones", held, freshProbes)
	}
	want = Dump(Parse("big.bt", applyEdit(src, e), NewestDialect()))
	items := g.Items() // shifted copies of the items still held, then parsed again
	if got := Dump(g); got != want {
		t.Fatalf("moved items differ from a full parse:\n%s\nwant:\n%s", got, want)
	}
	runtime.GC()
	if got := Dump(g); got != want {
		t.Fatalf("moved items parsed again differ from a full parse")
	}
	if held := heldProbes(g); held != np {
		t.Errorf("%d of %d probes are held while a caller holds Items, want all", held, np)
	}
	for i, it := range items {
		if g.Item(i) != it {
			t.Fatalf("Item(%d) is not the item Items returned while that is held", i)
		}
	}
	runtime.KeepAlive(items)
}

// TestItemAccessorsReadNoProbe checks the accessors that find items by
// position or kind against a scan of every item, and that they read no
// probe: after a collection, none is held again.
func TestItemAccessorsReadNoProbe(t *testing.T) {
	src := benchScript(t, 1000)
	f := Parse("big.bt", src, NewestDialect())
	all := f.Items()
	var wantDecls []string
	for _, it := range all {
		if _, ok := it.(*Probe); !ok {
			wantDecls = append(wantDecls, dumpItem(it))
		}
	}
	spans := make([]Span, len(all))
	for i, it := range all {
		spans[i] = Span{it.Pos(), it.End()}
	}
	all = nil
	runtime.GC()
	decls := f.Decls()
	if len(decls) != len(wantDecls) || len(decls) == 0 {
		t.Fatalf("Decls has %d items, want %d", len(decls), len(wantDecls))
	}
	for i, d := range decls {
		if dumpItem(d) != wantDecls[i] {
			t.Fatalf("Decls()[%d] = %s, want %s", i, dumpItem(d), wantDecls[i])
		}
	}
	for _, sp := range []Span{{0, 0}, {spans[3].Start, spans[3].Start}, {spans[3].End + 1, spans[7].Start}, {spans[5].Start + 2, spans[9].End}, {Pos(len(src)), Pos(len(src) + 5)}} {
		from, to := f.ItemsOverlapping(sp)
		wantFrom, wantTo := -1, -1
		for i, s := range spans {
			if s.End >= sp.Start && s.Start <= sp.End {
				if wantFrom < 0 {
					wantFrom = i
				}
				wantTo = i + 1
			}
		}
		if wantFrom < 0 {
			if from != to {
				t.Errorf("ItemsOverlapping(%v) = [%d, %d), want none", sp, from, to)
			}
		} else if from != wantFrom || to != wantTo {
			t.Errorf("ItemsOverlapping(%v) = [%d, %d), want [%d, %d)", sp, from, to, wantFrom, wantTo)
		}
		if i := f.ItemIndexAt(sp.Start); i >= 0 && (spans[i].Start > sp.Start || spans[i].End < sp.Start) {
			t.Errorf("ItemIndexAt(%d) = %d, whose span %v does not hold it", sp.Start, i, spans[i])
		}
	}
	if held := heldProbes(f); held != 0 {
		t.Errorf("the accessors read %d probes, want none", held)
	}
	runtime.KeepAlive(decls)
}

// TestCommentsIn compares the comments CommentsIn finds with those of the
// whole file that overlap the span, at many spans of every script, after
// an edit that moved most of them.
func TestCommentsIn(t *testing.T) {
	t.Parallel()
	found := 0
	for name, src := range reparseCorpus(t) {
		f := Parse(name, src, NewestDialect())
		if f.NumItems() > 1 {
			at := f.ItemSpan(1).Start
			f = Reparse(f, Edit{Span: Span{Start: at, End: at}, NewText: []byte("// moved\n")})
		}
		all := f.Comments()
		for from := 0; from <= f.Len(); from += 1 + f.Len()/23 {
			for _, size := range []int{0, 1, 40, 400} {
				sp := Span{Start: Pos(from), End: Pos(from + size)}
				var want []Comment
				for _, c := range all {
					if c.Span.End >= sp.Start && c.Span.Start <= sp.End {
						want = append(want, c)
					}
				}
				if got := f.CommentsIn(sp); fmt.Sprint(got) != fmt.Sprint(want) {
					t.Fatalf("%s: CommentsIn(%v) = %v, want %v", name, sp, got, want)
				}
				found += len(want)
			}
		}
	}
	if found < 100 {
		t.Fatalf("only %d comments found in spans: the corpus has too few", found)
	}
}

// TestItemsParsedAgainConcurrently reads every item of a File whose items
// were dropped from several goroutines at once, as requests and an
// analysis may: each parses the probes it finds missing from the shared
// pool of arenas (probeArenas), and every reader must see the items of a
// full parse. Run with -race, it checks that an arena serves one parse at
// a time.
func TestItemsParsedAgainConcurrently(t *testing.T) {
	t.Parallel()
	src := benchScript(t, 2000)
	want := Parse("big.bt", src, NewestDialect())
	wantItems := make([]string, want.NumItems())
	for i := range wantItems {
		wantItems[i] = dumpItem(want.Item(i))
	}
	f := Parse("big.bt", src, NewestDialect())
	forgetItems(f)
	errs := make(chan string, 4)
	for g := range 4 {
		go func() {
			for k := range f.NumItems() {
				i := (k + g*f.NumItems()/4) % f.NumItems() // each from its own start
				if got := dumpItem(f.Item(i)); got != wantItems[i] {
					errs <- fmt.Sprintf("item %d: %s, want %s", i, got, wantItems[i])
					return
				}
				if f.IsProbe(i) && len(f.ProbeAttachPoints(i)) == 0 {
					errs <- fmt.Sprintf("item %d: no attach points", i)
					return
				}
				if k%64 == 0 {
					runtime.GC() // drop what the others read
				}
			}
			errs <- ""
		}()
	}
	for range 4 {
		if msg := <-errs; msg != "" {
			t.Fatal(msg)
		}
	}
}

// TestParseTextEach checks that ParseTextEach hands over every item once,
// in order, under the ID the File gives it, and that each item is the one
// the File reads (again, once forgotten) at that place.
func TestParseTextEach(t *testing.T) {
	src := "config = { max_strlen = 64 }\n#include <linux/sched.h>\nmacro m(x) { x }\n" +
		"kprobe:vfs_read { @r = count(); }\n// note\nfn f(): int64 { return 1; }\ntracepoint:syscalls:sys_enter_openat { printf(\"%s\", str(args.filename)); }\nBEGIN {\n"
	type seen struct {
		id   ItemID
		span Span
		kind string
	}
	var got []seen
	f := ParseTextEach("each.bt", rope.New([]byte(src)), NewestDialect(), func(f *File, id ItemID, it Item) {
		if f.Text().Len() != len(src) || f.Lines.Lines() != strings.Count(src, "\n")+1 {
			t.Errorf("the File handed over with %T has no text or lines yet", it)
		}
		got = append(got, seen{id, Span{it.Pos(), it.End()}, fmt.Sprintf("%T", it)})
	})
	forgetItems(f)
	if len(got) != f.NumItems() {
		t.Fatalf("%d items handed over, the File has %d", len(got), f.NumItems())
	}
	for i, s := range got {
		it := f.Item(i)
		if want := (seen{f.ItemID(i), f.ItemSpan(i), fmt.Sprintf("%T", it)}); s != want || s.span != (Span{it.Pos(), it.End()}) {
			t.Errorf("item %d handed over as %+v, the File has %+v", i, s, want)
		}
	}
}
