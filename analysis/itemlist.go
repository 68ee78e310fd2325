package analysis

// This file implements itemList, an ascending list of item indexes that
// versions of a document share: the probes whose walks touch a map
// (incState.mapIdx), the probes referencing a global of the symbol index.
// An edit that adds or removes items moves every later item's index. A
// flat list then had to be copied whole, 40 KB at 50,000 lines for a map
// every probe uses, and the copies made most of such an edit's garbage.
// An itemList is cut into chunks, each read with an offset: moving the
// later entries copies the list of chunks with new offsets and rebuilds
// only the chunk the edit falls in, O(entries/itemChunk + itemChunk).

import (
	"iter"
	"slices"
)

// itemChunk is how many entries a chunk holds when a list is built; an
// insertion splits one grown to twice as many.
const itemChunk = 128

// itemList is immutable: every operation returns a new list, sharing
// what did not change. It is one slice header, as the flat list was: the
// symbol index keeps one per global.
type itemList struct {
	chunks []itemRun
}

// itemRun is a chunk: its entries are vals[k]+off; vals is never written
// once made, and never empty.
type itemRun struct {
	vals []int32
	off  int32
}

func (c itemRun) first() int32 { return c.vals[0] + c.off }
func (c itemRun) last() int32  { return c.vals[len(c.vals)-1] + c.off }

// newItemList makes a list of vals, ascending, which it keeps.
func newItemList(vals []int32) itemList {
	var l itemList
	for lo := 0; lo < len(vals); lo += itemChunk {
		hi := min(lo+itemChunk, len(vals))
		l.chunks = append(l.chunks, itemRun{vals: vals[lo:hi:hi]})
	}
	return l
}

func (l itemList) empty() bool { return len(l.chunks) == 0 }

// len costs O(chunks).
func (l itemList) len() int {
	n := 0
	for _, c := range l.chunks {
		n += len(c.vals)
	}
	return n
}

// same reports whether m is l, as an operation returns a list it did not
// change.
func (l itemList) same(m itemList) bool {
	return len(l.chunks) == len(m.chunks) && (len(l.chunks) == 0 || &l.chunks[0] == &m.chunks[0])
}

// all yields the entries in order.
func (l itemList) all() iter.Seq[int32] {
	return func(yield func(int32) bool) {
		for _, c := range l.chunks {
			for _, v := range c.vals {
				if !yield(v + c.off) {
					return
				}
			}
		}
	}
}

// slice returns the entries in a new slice.
func (l itemList) slice() []int32 {
	out := make([]int32, 0, l.len())
	for i := range l.all() {
		out = append(out, i)
	}
	return out
}

// first is the smallest entry; false for an empty list.
func (l itemList) first() (int32, bool) {
	if len(l.chunks) == 0 {
		return 0, false
	}
	return l.chunks[0].first(), true
}

// chunkOf is the chunk where i is or would go: the last one starting at
// or before i, or the first.
func (l itemList) chunkOf(i int32) int {
	k, _ := slices.BinarySearchFunc(l.chunks, i, func(c itemRun, t int32) int {
		if c.first() <= t {
			return -1
		}
		return 1
	})
	return max(k-1, 0)
}

func (l itemList) contains(i int32) bool {
	if len(l.chunks) == 0 {
		return false
	}
	c := l.chunks[l.chunkOf(i)]
	_, found := slices.BinarySearch(c.vals, i-c.off)
	return found
}

// entries returns the entries of c, with its offset.
func (c itemRun) entries() []int32 {
	out := make([]int32, len(c.vals), len(c.vals)+1)
	for k, v := range c.vals {
		out[k] = v + c.off
	}
	return out
}

// with returns the list with i in it.
func (l itemList) with(i int32) itemList {
	if len(l.chunks) == 0 {
		return newItemList([]int32{i})
	}
	k := l.chunkOf(i)
	c := l.chunks[k]
	at, found := slices.BinarySearch(c.vals, i-c.off)
	if found {
		return l
	}
	vals := slices.Insert(c.entries(), at, i)
	runs := []itemRun{{vals: vals}}
	if len(vals) >= 2*itemChunk {
		h := len(vals) / 2
		runs = []itemRun{{vals: vals[:h:h]}, {vals: vals[h:]}}
	}
	return itemList{chunks: slices.Concat(l.chunks[:k], runs, l.chunks[k+1:])}
}

// without returns the list without i.
func (l itemList) without(i int32) itemList {
	if len(l.chunks) == 0 {
		return l
	}
	k := l.chunkOf(i)
	c := l.chunks[k]
	at, found := slices.BinarySearch(c.vals, i-c.off)
	if !found {
		return l
	}
	var runs []itemRun
	if len(c.vals) > 1 {
		runs = []itemRun{{vals: slices.Delete(c.entries(), at, at+1)}}
	}
	return itemList{chunks: slices.Concat(l.chunks[:k], runs, l.chunks[k+1:])}
}

// shift returns the list after an edit replaced the items [lo, hi) by
// hi-lo+d others: the entries in [lo, hi) go and those from hi on move by
// d. The chunks before lo are shared, those after hi are shared with
// another offset.
func (l itemList) shift(lo, hi, d int32) itemList {
	k, _ := slices.BinarySearchFunc(l.chunks, lo, func(c itemRun, t int32) int {
		if c.last() < t {
			return -1
		}
		return 1
	})
	if k == len(l.chunks) || d == 0 && l.chunks[k].first() >= hi {
		return l // nothing at or after lo, or nothing to move
	}
	out := itemList{chunks: make([]itemRun, k, len(l.chunks))}
	copy(out.chunks, l.chunks[:k])
	for _, c := range l.chunks[k:] {
		if c.first() >= hi {
			out.chunks = append(out.chunks, itemRun{vals: c.vals, off: c.off + d})
			continue
		}
		vals := make([]int32, 0, len(c.vals))
		for _, v := range c.vals {
			switch i := v + c.off; {
			case i < lo:
				vals = append(vals, i)
			case i >= hi:
				vals = append(vals, i+d)
			}
		}
		if len(vals) > 0 {
			out.chunks = append(out.chunks, itemRun{vals: vals})
		}
	}
	return out
}
