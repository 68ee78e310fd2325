// This file implements a File's list of units: the units in blocks of
// minBlock to maxBlock, each block moved by a delta of its own. A re-parse
// shares the blocks before the edit, rebuilds the one or two it touched,
// and moves every later unit by giving each later block a new delta, so
// its cost grows with the number of blocks, not of items.

package syntax

import (
	"math"
	"sync/atomic"
)

const (
	minBlock = 32  // the fewest units in a block, unless the file has fewer
	maxBlock = 128 // the most units in a block
	// lookShift makes a lookup entry cover 1<<lookShift units, no more
	// than minBlock, so an entry is at most one block short of its unit.
	lookShift = 5
)

// unit is a parsed unit moved delta bytes from where it was parsed, not
// counting its block's delta.
type unit struct {
	p     *parsed
	delta Pos
}

// unitChunk is a run of units with what the file-level passes need to know of
// them, so they can skip the chunk as a whole. It is never modified: every
// block over it, in any File, shares it.
type unitChunk struct {
	units    []unit
	horizon  Pos  // the largest of the units' horizons
	errs     int  // how many errors the units hold
	errStart Pos  // the smallest start of those errors
	special  bool // holds a shebang, preamble, config or import, which orderErrors looks at one by one
	body     bool // holds an item that orderErrors counts as body (not special, not bad)
	other    bool // holds an item that is not a shebang
	decls    bool // holds an item that is not a probe (File.Decls)
	comment  int  // the index of the last unit with comments, or -1
}

// block is a unitChunk as a File sees it: moved delta bytes further on.
type block struct {
	c     *unitChunk
	delta Pos
	// shifted holds the chunk's items moved by their delta, each copied
	// on first read (lazy.go). A File that takes a block over unmoved
	// takes it along; a block that moved starts without.
	shifted atomic.Pointer[[]itemSlot]
}

// unitList is a File's units in blocks.
type unitList struct {
	blocks []block
	first  []int32 // first[k] is the index of block k's first unit; one more entry holds the number of units
	look   []int32 // look[q] is the block holding unit q<<lookShift
}

func newChunk(units []unit) *unitChunk {
	c := &unitChunk{units: units, comment: -1}
	for j, u := range units {
		p := u.p
		c.horizon = max(c.horizon, p.horizon+u.delta)
		for _, e := range p.errs() {
			s := shiftSpan(e.Span, u.delta).Start
			if c.errs == 0 || s < c.errStart {
				c.errStart = s
			}
			c.errs++
		}
		if len(p.comments()) > 0 {
			c.comment = j
		}
		if p.kind != kindProbe {
			c.decls = true
		}
		switch p.kind {
		case kindShebang:
			c.special = true
		case kindPreamble, kindConfig, kindImport:
			c.special, c.other = true, true
		case kindBad:
			c.other = true
		default:
			c.body, c.other = true, true
		}
	}
	return c
}

// newUnitList returns the list of units, which it keeps.
func newUnitList(units []unit) unitList {
	var l unitList
	chunks := chunkUnits(units)
	l.blocks = make([]block, len(chunks))
	for k, c := range chunks {
		l.blocks[k].c = c
	}
	l.index()
	return l
}

// chunkUnits splits units into chunks of about equal size, each at most
// maxBlock.
func chunkUnits(units []unit) []*unitChunk {
	n := (len(units) + maxBlock - 1) / maxBlock
	out := make([]*unitChunk, 0, n)
	for i := range n {
		from, to := len(units)*i/n, len(units)*(i+1)/n
		out = append(out, newChunk(units[from:to:to]))
	}
	return out
}

// index fills first and look from blocks.
func (l *unitList) index() {
	n := 0
	for k := range l.blocks {
		n += len(l.blocks[k].c.units)
	}
	nb := len(l.blocks) + 1
	buf := make([]int32, nb+(n+1<<lookShift-1)>>lookShift) // one allocation, without pointers
	l.first, l.look = buf[:nb:nb], buf[nb:]
	for k := range l.blocks {
		l.first[k+1] = l.first[k] + int32(len(l.blocks[k].c.units))
	}
	k := 0
	for q := range l.look {
		for int(l.first[k+1]) <= q<<lookShift {
			k++
		}
		l.look[q] = int32(k)
	}
}

// len returns the number of units.
func (l *unitList) len() int {
	if len(l.first) == 0 {
		return 0
	}
	return int(l.first[len(l.first)-1])
}

// blockOf returns the index of the block holding unit i, 0 <= i < len.
func (l *unitList) blockOf(i int) int {
	k := int(l.look[i>>lookShift])
	for int(l.first[k+1]) <= i {
		k++
	}
	return k
}

// at returns unit i's parse and how far it moved, all deltas included.
func (l *unitList) at(i int) (*parsed, Pos) {
	k := l.blockOf(i)
	b := &l.blocks[k]
	u := b.c.units[i-int(l.first[k])]
	return u.p, u.delta + b.delta
}

// appendUnits appends units [from, to) of b to out, moved by b's delta
// and d more.
func (b *block) appendUnits(out []unit, from, to int, d Pos) []unit {
	for _, u := range b.c.units[from:to] {
		out = append(out, unit{p: u.p, delta: u.delta + b.delta + d})
	}
	return out
}

// splice returns the list after a re-parse that replaced units [lo, hi)
// of l with fresh, whose deltas are their own, and moved the units from hi
// on by d. It rebuilds the blocks that held units lo-1 to hi (with a
// neighbour when they would end up smaller than minBlock), shares the
// blocks before them and gives the blocks after them a new delta.
func (l *unitList) splice(lo, hi int, fresh []unit, d Pos) unitList {
	n := l.len()
	if n == 0 {
		return newUnitList(fresh)
	}
	kLo := l.blockOf(min(lo, n-1))
	kHi := kLo
	if hi > lo {
		kHi = l.blockOf(hi - 1)
	}
	before, after := lo-int(l.first[kLo]), int(l.first[kHi+1])-hi // the units kept in the blocks rebuilt
	rs := make([]unit, 0, max(minBlock, before+len(fresh)+after))
	rs = l.blocks[kLo].appendUnits(rs, 0, before, 0)
	rs = append(rs, fresh...)
	rs = l.blocks[kHi].appendUnits(rs, len(l.blocks[kHi].c.units)-after, len(l.blocks[kHi].c.units), d)
	for len(rs) < minBlock && (kHi+1 < len(l.blocks) || kLo > 0) {
		if kHi+1 < len(l.blocks) {
			kHi++
			rs = l.blocks[kHi].appendUnits(rs, 0, len(l.blocks[kHi].c.units), d)
		} else {
			kLo--
			rs = append(l.blocks[kLo].appendUnits(nil, 0, len(l.blocks[kLo].c.units), 0), rs...)
		}
	}
	chunks := chunkUnits(rs)
	var out unitList
	out.blocks = make([]block, kLo+len(chunks)+len(l.blocks)-kHi-1)
	for k := range kLo {
		out.blocks[k].take(&l.blocks[k], 0)
	}
	for k, c := range chunks {
		out.blocks[kLo+k].c = c
	}
	for k := kHi + 1; k < len(l.blocks); k++ {
		out.blocks[k-kHi-1+kLo+len(chunks)].take(&l.blocks[k], d)
	}
	out.index()
	return out
}

// take makes b the block old moved by d more.
func (b *block) take(old *block, d Pos) {
	b.c, b.delta = old.c, old.delta+d
	if d == 0 { // the same items at the same places: share their copies
		b.shifted.Store(old.shifted.Load())
	}
}

// errStarts returns, for each block k and for len(blocks), the smallest
// start of an error in blocks k and later, math.MaxInt32 where there is
// none.
func (l *unitList) errStarts() []Pos {
	rest := make([]Pos, len(l.blocks)+1)
	rest[len(l.blocks)] = math.MaxInt32
	for k := len(l.blocks) - 1; k >= 0; k-- {
		rest[k] = rest[k+1]
		if b := &l.blocks[k]; b.c.errs > 0 {
			s := b.c.errStart
			if s.IsValid() {
				s += b.delta
			}
			rest[k] = min(rest[k], s)
		}
	}
	return rest
}
