// This file implements how a File holds its probes: weakly. A syntax tree
// takes about ten times the memory of its text, and an open document is
// read item by item (the analysis keeps what it needs of a probe in
// records of its own), so a File keeps each probe only while some reader
// holds it. A probe nobody holds is collected, and parsed again from the
// File's text when it is next read: items are parsed independently, so
// the parse of one item alone from its start equals its part of a full
// parse.

package syntax

import (
	"sync"
	"unsafe"
	"weak"
)

// itemKind is the type of an item, kept so that the type can be known
// without the item.
type itemKind uint8

const (
	kindNone itemKind = iota // the tail: layout after the last item
	kindShebang
	kindPreamble
	kindConfig
	kindImport
	kindMapDecl
	kindMacro
	kindFunc
	kindProbe
	kindBad
)

func kindOf(it Item) itemKind {
	switch it.(type) {
	case *Shebang:
		return kindShebang
	case *Preamble:
		return kindPreamble
	case *ConfigBlock:
		return kindConfig
	case *ImportDecl:
		return kindImport
	case *MapDecl:
		return kindMapDecl
	case *MacroDecl:
		return kindMacro
	case *FuncDecl:
		return kindFunc
	case *Probe:
		return kindProbe
	case *BadItem:
		return kindBad
	}
	return kindNone
}

// itemSlot holds one item: a probe weakly, any other item strongly. The
// analysis keeps the declarations it reads (macros, fns) anyway, and
// probes are most of a script. ref is nil, the Item, or, for a probe, a
// weak.Pointer[Probe]. A slot is guarded by one of slotLocks, chosen by
// its address: a lock in every slot would make each item's record a
// sixth larger.
type itemSlot struct{ ref any }

var slotLocks [64]sync.Mutex

func (s *itemSlot) lock() *sync.Mutex {
	return &slotLocks[uintptr(unsafe.Pointer(s))/8%uintptr(len(slotLocks))]
}

// peek returns the item if it is held, else nil.
func (s *itemSlot) peek() Item {
	mu := s.lock()
	mu.Lock()
	defer mu.Unlock()
	return s.held()
}

func (s *itemSlot) held() Item {
	switch r := s.ref.(type) {
	case Item:
		return r
	case weak.Pointer[Probe]:
		if p := r.Value(); p != nil {
			return p
		}
	}
	return nil
}

// set stores it, which the caller holds.
func (s *itemSlot) set(it Item) {
	mu := s.lock()
	mu.Lock()
	defer mu.Unlock()
	s.store(it)
}

func (s *itemSlot) store(it Item) {
	if p, ok := it.(*Probe); ok {
		s.ref = weak.Make(p)
	} else {
		s.ref = it
	}
}

// get returns the item, made by parse when it is not held. Readers racing
// to fill an empty slot may each parse the item, but all return the one
// stored first. parse runs without the lock, as it may take another.
func (s *itemSlot) get(parse func() Item) Item {
	if it := s.peek(); it != nil {
		return it
	}
	it := parse()
	mu := s.lock()
	mu.Lock()
	defer mu.Unlock()
	if held := s.held(); held != nil {
		return held
	}
	s.store(it)
	return it
}

// weakSlice caches a slice built from a File's items for as long as some
// caller holds it, so that callers reading all items one after another
// share one, without the File keeping every item.
type weakSlice[T any] struct {
	mu    sync.Mutex
	built bool
	first weak.Pointer[T] // the slice's first element, which holds its array
	n     int
}

// get returns the slice, made by build when it is no longer held.
func (c *weakSlice[T]) get(build func() []T) []T {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.built {
		if c.n == 0 {
			return nil
		}
		if p := c.first.Value(); p != nil {
			return unsafe.Slice(p, c.n)
		}
	}
	s := build()
	c.keep(s)
	return s[:len(s):len(s)]
}

func (c *weakSlice[T]) keep(s []T) {
	c.built, c.n = true, len(s)
	if len(s) > 0 {
		c.first = weak.Make(&s[0])
	}
}

// ProbesInMemory counts the probes f holds in memory, at its positions or
// at their parse's: those some reader still holds, or that no collection
// has dropped since they were read. Tests use it to check that a path
// reads only the probes it should.
func (f *File) ProbesInMemory() int {
	n := 0
	for k := range f.list.blocks {
		b := &f.list.blocks[k]
		s := b.shifted.Load()
		for j, u := range b.c.units {
			if u.p.kind == kindProbe && (u.p.slot.peek() != nil || s != nil && (*s)[j].peek() != nil) {
				n++
			}
		}
	}
	return n
}
