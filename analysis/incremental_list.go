package analysis

// This file implements the list of item records an incremental state keeps
// (incremental.go). A keystroke replaces a few records; copying a flat list
// of them per version cost a pointer per item of the file, so the list is
// cut into chunks that versions share, and a version copies only the chunks
// its edit touched and the (short) list of chunks.

import (
	"slices"
	"sync"
)

// recChunk is how many records a chunk holds when a list is built.
const recChunk = 256

// recList is an immutable list of item records, by item index.
type recList struct {
	chunks [][]*itemRec
	ends   []int // ends[k] is one past the index of chunks[k]'s last record; shared by lists of one layout
	// looks[k] holds the sets of names chunks[k]'s walks looked up; the
	// lists sharing a chunk share it.
	looks []*chunkLooks
}

// chunkLooks is the distinct sets of names (fileEnv.lookup) the walks of
// a chunk's records looked up among the declarations, made when first
// read: an edit of declarations then reads the records of the chunks
// that hold a set naming a changed name, not every record (declUsers).
type chunkLooks struct {
	once sync.Once
	sets []dictSet
}

// dictSet is a set of names of a walk dictionary.
type dictSet struct {
	dict *factDict
	set  uint32
}

// newRecList makes a list of recs, which it keeps.
func newRecList(recs []*itemRec) recList {
	var l recList
	for lo := 0; lo < len(recs); lo += recChunk {
		hi := min(lo+recChunk, len(recs))
		l.chunks = append(l.chunks, recs[lo:hi:hi])
		l.ends = append(l.ends, hi)
		l.looks = append(l.looks, &chunkLooks{})
	}
	return l
}

// lookedUp returns the sets of names chunk k's walks looked up.
func (l recList) lookedUp(k int) []dictSet {
	c := l.looks[k]
	c.once.Do(func() {
		for _, rec := range l.chunks[k] {
			if pf := rec.facts; pf != nil && pf.looked != 0 {
				if ds := (dictSet{pf.dict, pf.looked}); !slices.Contains(c.sets, ds) {
					c.sets = append(c.sets, ds)
				}
			}
		}
	})
	return c.sets
}

func (l recList) len() int {
	if len(l.ends) == 0 {
		return 0
	}
	return l.ends[len(l.ends)-1]
}

// chunkOf returns the chunk holding index i and the index of its first
// record.
func (l recList) chunkOf(i int) (k, start int) {
	lo, hi := 0, len(l.ends)
	for lo < hi { // the first chunk ending after i
		m := int(uint(lo+hi) >> 1)
		if l.ends[m] <= i {
			lo = m + 1
		} else {
			hi = m
		}
	}
	if lo > 0 {
		start = l.ends[lo-1]
	}
	return lo, start
}

func (l recList) at(i int) *itemRec {
	k, start := l.chunkOf(i)
	return l.chunks[k][i-start]
}

// slice returns the records [lo, hi) in a new slice.
func (l recList) slice(lo, hi int) []*itemRec {
	out := make([]*itemRec, 0, hi-lo)
	for i := lo; i < hi; {
		k, start := l.chunkOf(i)
		c := l.chunks[k][i-start : min(len(l.chunks[k]), hi-start)]
		out = append(out, c...)
		i += len(c)
	}
	return out
}

// splice returns the list with the records [lo, hi) replaced by recs,
// which may be more or fewer: the chunks before lo are shared, the ones
// [lo, hi) touches are rebuilt, and the later ones are shared too, at
// indexes the new ends give. It costs O(chunks + the chunks it rebuilds).
func (l recList) splice(lo, hi int, recs []*itemRec) recList {
	if hi-lo == len(recs) {
		return l.set(lo, recs)
	}
	n := l.len()
	if n == 0 || lo >= n {
		all := append(l.slice(0, n), recs...)
		return newRecList(all)
	}
	kLo, startLo := l.chunkOf(lo)
	kHi, startHi := kLo, startLo
	if hi > lo {
		kHi, startHi = l.chunkOf(min(hi, n) - 1)
	}
	mid := make([]*itemRec, 0, lo-startLo+len(recs)+len(l.chunks[kHi])-(hi-startHi))
	mid = append(mid, l.chunks[kLo][:lo-startLo]...)
	mid = append(mid, recs...)
	mid = append(mid, l.chunks[kHi][min(hi, n)-startHi:]...)
	var out recList
	out.chunks = append(out.chunks, l.chunks[:kLo]...)
	out.ends = append(out.ends, l.ends[:kLo]...)
	out.looks = append(out.looks, l.looks[:kLo]...)
	end := startLo
	for from := 0; from < len(mid); from += recChunk {
		to := min(from+recChunk, len(mid))
		out.chunks = append(out.chunks, mid[from:to:to])
		end += to - from
		out.ends = append(out.ends, end)
		out.looks = append(out.looks, &chunkLooks{})
	}
	d := len(recs) - (hi - lo)
	for k := kHi + 1; k < len(l.chunks); k++ {
		out.chunks = append(out.chunks, l.chunks[k])
		out.ends = append(out.ends, l.ends[k]+d)
		out.looks = append(out.looks, l.looks[k])
	}
	return out
}

// set returns the list with the records from lo on replaced by recs, which
// keeps every index: only the chunks they fall in are copied.
func (l recList) set(lo int, recs []*itemRec) recList {
	if len(recs) == 0 {
		return l
	}
	out := recList{chunks: append([][]*itemRec(nil), l.chunks...), ends: l.ends, looks: append([]*chunkLooks(nil), l.looks...)}
	for j := 0; j < len(recs); {
		k, start := l.chunkOf(lo + j)
		c := append([]*itemRec(nil), l.chunks[k]...)
		n := copy(c[lo+j-start:], recs[j:])
		out.chunks[k], out.looks[k] = c, &chunkLooks{}
		j += n
	}
	return out
}

// setAt returns the list with the record at index at[k] replaced by
// recs[k], for every k: the list of chunks, and each chunk an index falls
// in, are copied once.
func (l recList) setAt(at []int, recs []*itemRec) recList {
	if len(at) == 0 {
		return l
	}
	out := recList{chunks: append([][]*itemRec(nil), l.chunks...), ends: l.ends, looks: append([]*chunkLooks(nil), l.looks...)}
	copied := map[int]bool{}
	for j, i := range at {
		k, start := l.chunkOf(i)
		if !copied[k] {
			copied[k] = true
			out.chunks[k], out.looks[k] = append([]*itemRec(nil), l.chunks[k]...), &chunkLooks{}
		}
		out.chunks[k][i-start] = recs[j]
	}
	return out
}
