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
// probes are most of a script.
type itemSlot struct {
	mu    sync.Mutex
	item  Item                // an item that is not a probe
	probe weak.Pointer[Probe] // a probe
}

// peek returns the item if it is held, else nil.
func (s *itemSlot) peek() Item {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.held()
}

func (s *itemSlot) held() Item {
	if s.item != nil {
		return s.item
	}
	if p := s.probe.Value(); p != nil {
		return p
	}
	return nil
}

// set stores it, which the caller holds.
func (s *itemSlot) set(it Item) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.store(it)
}

func (s *itemSlot) store(it Item) {
	if p, ok := it.(*Probe); ok {
		s.probe = weak.Make(p)
	} else {
		s.item = it
	}
}

// get returns the item, made by parse when it is not held. Readers of an
// empty slot wait for the one that fills it, so all get the same item.
func (s *itemSlot) get(parse func() Item) Item {
	s.mu.Lock()
	defer s.mu.Unlock()
	if it := s.held(); it != nil {
		return it
	}
	it := parse()
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

// put stores s, which the caller holds, unless a slice is stored.
func (c *weakSlice[T]) put(s []T) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.built {
		c.keep(s)
	}
}

func (c *weakSlice[T]) keep(s []T) {
	c.built, c.n = true, len(s)
	if len(s) > 0 {
		c.first = weak.Make(&s[0])
	}
}
