// This file implements incremental re-parsing (STYLE rule 6).

package syntax

import (
	"sync"
	"weak"

	"github.com/bpfls/bpfls/analysis/rope"
)

// Edit replaces the bytes Span of the old source with NewText.
type Edit struct {
	Span    Span // in the old File's source
	NewText []byte
}

// Reparse returns the File for old's source with e applied. It re-parses only the
// items the edit touches: parsing restarts at the start of the first touched
// item and stops as soon as an item ends where an old item ended (shifted),
// after the edit. The items after that are the old ones, shared when the
// edit did not change the file's length and otherwise recorded as moved,
// to be copied with shifted positions when first read (lazy.go): moving
// them costs one record per block of items (unitlist.go). old is not
// modified. The result equals Parse(old.Name, newSrc, old.Dialect), which
// FuzzParse checks; [File.ReparsedFrom] tells which items were parsed
// afresh.
func Reparse(old *File, e Edit) *File {
	a, b := editBounds(old, e)
	return reparse(old, a, b, e.NewText, old.text.Edit(a, b, e.NewText))
}

// ReparseText is Reparse for a caller that already holds the edited source:
// src must be old's source with e applied, as the language server keeps it
// for each document version. A src whose length does not fit the edit gets
// a full parse.
func ReparseText(old *File, e Edit, src *rope.Text) *File {
	a, b := editBounds(old, e)
	if src.Len() != old.Len()-(b-a)+len(e.NewText) {
		return ParseText(old.Name, src, old.Dialect)
	}
	return reparse(old, a, b, e.NewText, src)
}

// editBounds returns e's span in old's source, clamped into it.
func editBounds(old *File, e Edit) (a, b int) {
	a, b = int(e.Span.Start), int(e.Span.End)
	if n := old.Len(); a < 0 || b < a || b > n {
		a, b = clampEdit(a, b, n)
	}
	return a, b
}

// reparse re-parses old with [a, b) replaced by text; src is the result.
func reparse(old *File, a, b int, text []byte, src *rope.Text) *File {
	delta := Pos(len(text) - (b - a))

	first, ok := firstTouched(old, a, b)
	if !ok || old.tail == nil { // old.tail is nil in a File not made by Parse
		return ParseText(old.Name, src, old.Dialect)
	}
	before, after := Around(old.text, Span{Pos(a), Pos(b)})
	f := &File{Name: old.Name, text: src, Lines: old.Lines.Edit(Span{Pos(a), Pos(b)}, text, before, after), Dialect: old.Dialect}
	start := int(old.tail.p.start + old.tail.delta) // re-parse from here
	if first < old.NumItems() {
		start = int(old.ItemExtent(first).Start)
	}
	var p parser
	fresh, items, tail, resume := reparseUnits(&p, f, old, start, first, b, delta)
	f.fresh = items
	f.list = old.list.splice(first, resume, fresh, delta)
	if tail == nil {
		tail = &unit{p: old.tail.p, delta: old.tail.delta + delta}
	}
	f.tail = tail
	f.reparsed = len(fresh)
	f.base, f.lo, f.hiOld, f.hiNew = weak.Make(old), first, resume, first+len(fresh)
	f.assemble()
	return f
}

// ReparsedFrom reports which items were parsed afresh when [Reparse] or
// [ReparseText] built f from old: items [lo, hiOld) of old became items
// [lo, hiNew) of f. The items before lo are old's, with the same IDs and
// spans; item hiOld+k of old is item hiNew+k of f, with the same ID, moved
// by the edit's change in length. The items of f in [lo, hiNew) have IDs
// of their own (an empty run when the edit only touched the layout after
// the last item). It is what comparing the [ItemID]s of old and f from
// both ends finds, in O(1) instead of O(NumItems). ok is false when f was
// not re-parsed from old itself (a full parse, a File built by hand, or
// an older ancestor): callers then compare the items.
func (f *File) ReparsedFrom(old *File) (lo, hiOld, hiNew int, ok bool) {
	if old == nil || f.base.Value() != old {
		return 0, 0, 0, false
	}
	return f.lo, f.hiOld, f.hiNew, true
}

func clampEdit(a, b, n int) (int, int) {
	a = max(0, min(a, n))
	b = max(a, min(b, n))
	return a, b
}

// firstTouched returns the index of the first unit to re-parse for an edit
// of [a, b) (len(units) for the tail): the first one whose parse looked at a
// byte at or after a. Units before it cannot change. It reports false when
// the edit touches the shebang, which is read with the first line. The
// parser reads nothing of the C part's or the config block's meaning, so
// they are re-parsed alone, and the analysis re-checks only the probes
// that their changes reach.
func firstTouched(old *File, a, b int) (int, bool) {
	l := &old.list
	n := l.len()
	i := n
	for k := range l.blocks { // a block's horizon is the largest of its units'
		if bl := &l.blocks[k]; int(bl.c.horizon+bl.delta) >= a {
			for j, u := range bl.c.units {
				if int(u.p.horizon+u.delta+bl.delta) >= a {
					i = int(l.first[k]) + j
					break
				}
			}
			break
		}
	}
	for j := i; j < n && int(old.ItemExtent(j).Start) <= b; j++ {
		p, d := l.at(j)
		switch p.kind {
		case kindShebang:
			if sp := shiftSpan(p.span, d); int(sp.Start) <= b && a <= int(sp.End) { // not just the comments before it
				return 0, false
			}
		}
	}
	return i, true
}

// reparseUnits parses units of f's source from start until one ends where
// an old unit (at index ≥ first, ending at or after the edit end b) ended,
// shifted by delta. It returns the fresh units, their items, the new tail
// when parsing reached EOF, and the index of the first old unit to reuse.
//
// Each unit is parsed from a window of the source, not the whole of it: a
// parse whose horizon reaches the window's end (before the end of the
// source) may have mistaken that end for EOF, so it is retried in a window
// twice as large.
func reparseUnits(p *parser, f *File, old *File, start, first, b int, delta Pos) ([]unit, []Item, *unit, int) {
	var fresh []unit
	var items []Item
	var recs unitAlloc
	n := old.NumItems()
	k := first // old units before k end before the current offset
	a, pa := &arena{}, &arena{}
	size := f.Len()
	var w window
	for off := start; ; {
		var u unit
		var item Item
		for reach := windowSize; ; reach *= 2 {
			if w.src == nil || off+reach > w.end() && w.end() < size {
				w = f.window(off, reach)
			}
			*p = parser{comments: p.comments[:0], errs: p.errs[:0], a: a, probeArena: pa}
			p.init(w.src, w.base, f.Lines, f.Dialect, off)
			whole := w.end() == size
			if p.tok == EOF && (whole || p.horizon < w.end()) {
				for i, u := range fresh {
					u.p.slot.set(items[i])
				}
				return fresh, items, tailUnit(p, off, size), n
			}
			if p.tok != EOF {
				u, item = parseUnit(p, off, &recs)
				if whole || p.horizon < w.end() {
					break
				}
			}
			reach = max(reach, w.end()-off) // grow past the window just read
		}
		fresh = append(fresh, u)
		items = append(items, item)
		end := u.p.end
		off = int(end)
		for k < n && (int(old.ItemExtent(k).End) < b || old.ItemExtent(k).End+delta < end) {
			k++
		}
		if k < n && old.ItemExtent(k).End+delta == end {
			for i, u := range fresh {
				u.p.slot.set(items[i])
			}
			return fresh, items, nil, k + 1
		}
	}
}

// parseItem parses the item whose unit starts at off in f's source, alone,
// from a window of the source grown as in reparseUnits; the result equals
// that item of a full parse.
func (f *File) parseItem(off Pos) Item {
	var p parser
	a := &arena{}
	pa := probeArenas.Get().(*pooledArena)
	size := f.Len()
	for reach := windowSize; ; reach *= 2 {
		w := f.window(int(off), reach)
		p = parser{a: a, probeArena: &pa.arena}
		p.init(w.src, w.base, f.Lines, f.Dialect, int(off))
		_, item := parseUnit(&p, int(off), &unitAlloc{})
		if w.end() == size || p.horizon < w.end() {
			pa.put(int(item.End() - off))
			return item
		}
		reach = max(reach, w.end()-int(off))
	}
}

// ProbeAttachPoints returns the attach points of the i'th item, which must
// be a probe: the probe's own when it is in memory, else parsed alone from
// the text of its head, which costs a small part of parsing the probe. A
// reader that needs only the attach points of every probe of a large file
// uses it, so that the probes a collection dropped are not parsed again
// for them (itemslot.go).
func (f *File) ProbeAttachPoints(i int) []*AttachPoint {
	k := f.list.blockOf(i)
	b := &f.list.blocks[k]
	j := i - int(f.list.first[k])
	u := b.c.units[j]
	d := u.delta + b.delta
	if d == 0 {
		if it, ok := u.p.slot.peek().(*Probe); ok {
			return it.AttachPoints
		}
	} else if s := b.shifted.Load(); s != nil {
		if it, ok := (*s)[j].peek().(*Probe); ok {
			return it.AttachPoints
		}
	}
	if u.p.kind != kindProbe {
		panic("syntax: ProbeAttachPoints of an item that is not a probe")
	}
	off := int(u.p.start + d)
	var p parser
	for reach := windowSize; ; reach *= 2 {
		w := f.window(off, reach)
		p = parser{}
		p.init(w.src, w.base, f.Lines, f.Dialect, off)
		var aps []*AttachPoint
		for p.tok != EOF { // as parseProbe
			aps = append(aps, p.parseAttachPoint())
			if p.tok != Comma {
				break
			}
			p.next()
			if p.tok == Slash || p.tok == LBrace || !p.canStartAttachPoint() {
				break
			}
		}
		if w.end() == f.Len() || p.horizon < w.end() {
			return aps
		}
	}
}

// probeArenas are the arenas probes parsed alone are carved from. A
// large file whose probes a collection dropped parses them again one
// after another (analyze, in package analysis): with a fresh arena each,
// its small first chunks made that three times as costly as the same
// probes in a full parse. As in a full parse, an arena is replaced after
// probeBatch bytes of probes, so that a probe in use keeps at most one
// batch of others alive.
var probeArenas = sync.Pool{New: func() any { return &pooledArena{} }}

type pooledArena struct {
	arena
	used int // bytes of probes parsed into it
}

// put returns pa to the pool after n more bytes were parsed into it.
func (pa *pooledArena) put(n int) {
	pa.used += n
	if pa.used >= probeBatch {
		*pa = pooledArena{}
	} else {
		pa.exprStack, pa.stmtStack = pa.exprStack[:0], pa.stmtStack[:0] // an abandoned item may leave lists pushed
	}
	probeArenas.Put(pa)
}

// windowSize is how far past a unit's start its first window reaches; most
// items are much shorter. Tests make it tiny, to grow windows often.
var windowSize = 8 << 10

// window is a part of a File's source: src starts at the absolute offset
// base, at a line start.
type window struct {
	src  []byte
	base int
}

func (w window) end() int { return w.base + len(w.src) }

// window returns the source from the start of off's line to reach bytes
// past off, clamped to the source. It is not copied when it lies in one
// chunk of the text, so it ends early, at the end of the chunk, when that
// still holds more than most items.
func (f *File) window(off, reach int) window {
	_, col := f.Lines.Position(Pos(off))
	base := off - (col - 1)
	end := off + reach
	if base < f.text.Len() {
		c, at := f.text.ChunkAt(base)
		if chunkEnd := at + len(c); end > chunkEnd && chunkEnd >= off+min(reach, minWindow) {
			end = chunkEnd
		}
	}
	return window{src: f.text.Slice(base, end), base: base}
}

// minWindow is how much of a chunk past a unit's start is enough for a
// first window.
const minWindow = 2 << 10
