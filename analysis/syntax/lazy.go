// This file implements lazily shifted items. Reparse does not copy the
// items after an edit: it records each as its stored item plus the number
// of bytes it moved, and the copy with shifted positions (shift.go) is made
// when the item is first read. A re-parse thus costs the edited items plus
// a small record per item, not a copy of the rest of the file.

package syntax

import (
	"sort"
	"sync"
	"sync/atomic"
)

// unit is a parsed unit as its File sees it: moved delta bytes from where
// it was parsed. Files that share a unit unchanged share the *unit, and
// with it the shifted item once made; a File in which the unit moved gets
// a new unit over the same parsed, so a chain of edits shifts each item at
// most once per File that reads it, from the original.
type unit struct {
	p     *parsed
	delta Pos
	// shifted is p.item moved by delta, made on first read. It is apart
	// from the unit so that the units an edit moves stay small: a
	// keystroke in a long file makes one per later item.
	shifted atomic.Pointer[shiftedItem]
}

type shiftedItem struct {
	once sync.Once
	item Item
}

func (u *unit) start() Pos   { return u.p.start + u.delta }
func (u *unit) end() Pos     { return u.p.end + u.delta }
func (u *unit) horizon() Pos { return u.p.horizon + u.delta }
func (u *unit) span() Span   { return shiftSpan(u.p.span, u.delta) }

// kind returns the item as parsed. Only its dynamic type may be used: its
// positions may be off by delta.
func (u *unit) kind() Item { return u.p.item }

// moved returns u as seen d more bytes further on, allocated in m.
func (u *unit) moved(d Pos, m *unit) *unit {
	m.p, m.delta = u.p, u.delta+d
	return m
}

// item returns the item at its File's positions, shifting it on first use.
// sh is the shifter to allocate from; nil makes a fresh one.
func (u *unit) item(sh *shifter) Item {
	if u.delta == 0 || u.p.item == nil {
		return u.p.item
	}
	si := u.shifted.Load()
	if si == nil {
		u.shifted.CompareAndSwap(nil, &shiftedItem{})
		si = u.shifted.Load() // the one every reader shares
	}
	si.once.Do(func() {
		if sh == nil {
			sh = &shifter{}
		}
		sh.d = u.delta
		si.item = sh.item(u.p.item)
	})
	return si.item
}

// appendComments appends u's comments at its File's positions to out.
func (u *unit) appendComments(out []Comment) []Comment {
	if u == nil {
		return out
	}
	for _, c := range u.p.comments {
		c.Span = shiftSpan(c.Span, u.delta)
		out = append(out, c)
	}
	return out
}

// appendErrors appends u's errors at its File's positions to out.
func (u *unit) appendErrors(out []Error) []Error {
	for _, e := range u.p.errs {
		e.Span = shiftSpan(e.Span, u.delta)
		out = append(out, e)
	}
	return out
}

// shiftSpan moves the valid ends of sp by d.
func shiftSpan(sp Span, d Pos) Span {
	if d == 0 {
		return sp
	}
	s := shifter{d: d}
	return s.span(sp)
}

// NumItems returns the number of top-level items.
func (f *File) NumItems() int { return len(f.units) }

// Item returns the i'th top-level item, 0 <= i < NumItems.
func (f *File) Item(i int) Item { return f.units[i].item(nil) }

// ItemSpan returns the span of the i'th top-level item without reading
// (and so possibly shifting) the item itself.
func (f *File) ItemSpan(i int) Span { return f.units[i].span() }

// Items returns the top-level items in source order. The slice is shared:
// callers must not modify it.
func (f *File) Items() []Item {
	f.itemsOnce.Do(func() {
		items := make([]Item, len(f.units))
		sh := &shifter{} // one arena for all the copies made here
		for i := range f.units {
			items[i] = f.units[i].item(sh)
		}
		f.items = items
	})
	return f.items
}

// Comments returns all comments in source order. The slice is shared:
// callers must not modify it.
func (f *File) Comments() []Comment {
	f.commentsOnce.Do(func() {
		n := 0
		if f.tail != nil {
			n = len(f.tail.p.comments)
		}
		for _, u := range f.units {
			n += len(u.p.comments)
		}
		if n == 0 {
			return
		}
		out := make([]Comment, 0, n)
		for _, u := range f.units {
			out = u.appendComments(out)
		}
		f.comments = f.tail.appendComments(out)
	})
	return f.comments
}

// itemAt returns the index of the first item whose span contains pos, both
// ends inclusive, or -1. Items do not overlap and are sorted, so their ends
// are too.
func (f *File) itemAt(pos Pos) int {
	i := sort.Search(len(f.units), func(k int) bool { return f.units[k].span().End >= pos })
	if i < len(f.units) && f.units[i].span().Start <= pos {
		return i
	}
	return -1
}

// ItemID identifies the parse of a top-level item. A File derived by
// Reparse keeps the IDs of the items it did not re-parse, wherever they
// moved, so an analysis can keep per-item results under it; an item parsed
// afresh gets a new ID even when its text is unchanged.
type ItemID struct{ p *parsed }

// ItemID returns the ID of the i'th top-level item.
func (f *File) ItemID(i int) ItemID { return ItemID{f.units[i].p} }

// ItemExtent returns the text the i'th item owns: the layout and comments
// before it, then the item. The extents of a File's items follow each
// other without gaps.
func (f *File) ItemExtent(i int) Span {
	u := f.units[i]
	return Span{Start: u.start(), End: u.end()}
}

// IsProbe reports whether the i'th top-level item is a probe, without
// reading (and so possibly shifting) it.
func (f *File) IsProbe(i int) bool {
	_, ok := f.units[i].p.item.(*Probe)
	return ok
}
