// This file implements lazily shifted items and the File's item accessors.
// Reparse does not copy the items after an edit: each stays its stored
// item, and its block records how far it moved (unitlist.go); the copy
// with shifted positions (shift.go) is made when the item is first read.
// A re-parse thus costs the edited items plus a small record per block,
// not a copy of the rest of the file.

package syntax

import (
	"sort"
)

// item returns the j'th item of b at f's positions. An item that is no
// longer held (itemslot.go) is made again: copied with shifted positions
// from its stored parse when that is still held, else parsed afresh from
// f's text. sh is the shifter to allocate from; nil makes a fresh one.
func (b *block) item(f *File, j int, sh *shifter) Item {
	u := b.c.units[j]
	d := u.delta + b.delta
	if u.p.kind == kindNone {
		return nil
	}
	if d == 0 {
		return u.p.slot.get(func() Item { return f.parseItem(u.p.start) })
	}
	s := b.shifted.Load()
	if s == nil {
		made := make([]itemSlot, len(b.c.units))
		b.shifted.CompareAndSwap(nil, &made)
		s = b.shifted.Load() // the one every reader shares
	}
	return (*s)[j].get(func() Item {
		if it := u.p.slot.peek(); it != nil {
			if sh == nil {
				sh = &shifter{}
			}
			sh.d = d
			return sh.item(it)
		}
		return f.parseItem(u.p.start + d)
	})
}

// appendComments appends the comments of p, moved by d, to out.
func appendComments(out []Comment, p *parsed, d Pos) []Comment {
	for _, c := range p.comments() {
		c.Span = shiftSpan(c.Span, d)
		out = append(out, c)
	}
	return out
}

// appendErrors appends the errors of b's units at its File's positions to
// out.
func (b *block) appendErrors(out []Error) []Error {
	for _, u := range b.c.units {
		for _, e := range u.p.errs() {
			e.Span = shiftSpan(e.Span, u.delta+b.delta)
			out = append(out, e)
		}
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
func (f *File) NumItems() int { return f.list.len() }

// Item returns the i'th top-level item, 0 <= i < NumItems. Finding it
// costs O(1); an item Reparse moved is copied with shifted positions on
// its first read from f.
func (f *File) Item(i int) Item {
	k := f.list.blockOf(i)
	return f.list.blocks[k].item(f, i-int(f.list.first[k]), nil)
}

// ItemSpan returns the span of the i'th top-level item without reading
// (and so possibly shifting) the item itself. It costs O(1).
func (f *File) ItemSpan(i int) Span {
	p, d := f.list.at(i)
	return shiftSpan(p.span, d)
}

// Items returns the top-level items in source order. The slice is shared
// while any caller holds it: callers must not modify it. A call costs
// O(NumItems) unless another caller still holds the slice, and it shifts
// every item a re-parse moved, so code run on every keystroke uses
// NumItems, ItemSpan, IsProbe and Item instead. A caller that reads the
// items in several passes holds the slice throughout, so that they are
// not collected and parsed again in between (itemslot.go).
func (f *File) Items() []Item {
	return f.items.get(func() []Item {
		items := make([]Item, 0, f.NumItems())
		// One arena for the copies of the probes made here, one for the
		// other items', as the parser's (parser.probeArena).
		probes, others := &shifter{}, &shifter{}
		for k := range f.list.blocks {
			b := &f.list.blocks[k]
			for j, u := range b.c.units {
				sh := others
				if u.p.kind == kindProbe {
					sh = probes
				}
				items = append(items, b.item(f, j, sh))
			}
		}
		return items
	})
}

// Comments returns all comments in source order. The slice is shared
// while any caller holds it: callers must not modify it. A call costs
// O(NumItems) unless another caller still holds the slice.
func (f *File) Comments() []Comment {
	return f.comments.get(func() []Comment {
		var out []Comment
		for k := range f.list.blocks {
			b := &f.list.blocks[k]
			if b.c.comment < 0 {
				continue
			}
			for _, u := range b.c.units {
				out = appendComments(out, u.p, u.delta+b.delta)
			}
		}
		if f.tail != nil {
			out = appendComments(out, f.tail.p, f.tail.delta)
		}
		return out
	})
}

// ItemIndexAt returns the index of the first item whose span contains pos,
// both ends inclusive, or -1. It costs O(log NumItems) and reads no item.
func (f *File) ItemIndexAt(pos Pos) int { return f.itemAt(pos) }

// ItemsOverlapping returns the indexes [from, to) of the items whose spans
// overlap sp, both ends inclusive. It costs O(log NumItems) and reads no
// item: requests about part of a file read only those.
func (f *File) ItemsOverlapping(sp Span) (from, to int) {
	n := f.NumItems()
	from = sort.Search(n, func(k int) bool { return f.ItemSpan(k).End >= sp.Start })
	to = sort.Search(n, func(k int) bool { return f.ItemSpan(k).Start > sp.End })
	return from, max(from, to)
}

// Decls returns the items that are not probes, in source order. It reads
// no probe, so it costs O(NumItems) record checks plus the declarations,
// which a File keeps (itemslot.go).
func (f *File) Decls() []Item {
	var out []Item
	for k := range f.list.blocks {
		b := &f.list.blocks[k]
		if !b.c.decls {
			continue
		}
		for j, u := range b.c.units {
			if u.p.kind != kindProbe {
				out = append(out, b.item(f, j, nil))
			}
		}
	}
	return out
}

// CommentsIn returns the comments that overlap sp, in source order. It
// costs O(log NumItems) and the comments of the items around sp.
func (f *File) CommentsIn(sp Span) []Comment {
	var out []Comment
	keep := func(p *parsed, d Pos) {
		for _, c := range p.comments() {
			if c.Span = shiftSpan(c.Span, d); c.Span.End >= sp.Start && c.Span.Start <= sp.End {
				out = append(out, c)
			}
		}
	}
	// A unit's comments lie in its extent, before its item; extents
	// follow each other, so the units are those whose extents overlap sp.
	n := f.NumItems()
	i := sort.Search(n, func(k int) bool { return f.ItemExtent(k).End >= sp.Start })
	for ; i < n && f.ItemExtent(i).Start <= sp.End; i++ {
		p, d := f.list.at(i)
		keep(p, d)
	}
	if i == n && f.tail != nil {
		keep(f.tail.p, f.tail.delta)
	}
	return out
}

// itemAt returns the index of the first item whose span contains pos, both
// ends inclusive, or -1. Items do not overlap and are sorted, so their ends
// are too.
func (f *File) itemAt(pos Pos) int {
	n := f.NumItems()
	i := sort.Search(n, func(k int) bool { return f.ItemSpan(k).End >= pos })
	if i < n && f.ItemSpan(i).Start <= pos {
		return i
	}
	return -1
}

// ItemID identifies the parse of a top-level item. A File derived by
// Reparse keeps the IDs of the items it did not re-parse, wherever they
// moved, so an analysis can keep per-item results under it; an item parsed
// afresh gets a new ID even when its text is unchanged.
type ItemID struct{ p *parsed }

// ItemID returns the ID of the i'th top-level item. It costs O(1).
func (f *File) ItemID(i int) ItemID {
	p, _ := f.list.at(i)
	return ItemID{p}
}

// ItemExtent returns the text the i'th item owns: the layout and comments
// before it, then the item. The extents of a File's items follow each
// other without gaps. It costs O(1).
func (f *File) ItemExtent(i int) Span {
	p, d := f.list.at(i)
	return Span{Start: p.start + d, End: p.end + d}
}

// IsProbe reports whether the i'th top-level item is a probe, without
// reading (and so possibly shifting) it. It costs O(1).
func (f *File) IsProbe(i int) bool {
	p, _ := f.list.at(i)
	return p.kind == kindProbe
}
