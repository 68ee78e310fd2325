// Package chunk allocates many small values of one type from shared
// chunks: one allocation per chunk instead of one per value. Records that
// live as long as a document then lie together, instead of among short-lived
// objects whose collection would leave their memory pages in use, and
// each costs its exact size. A chunk stays alive as long as any value
// carved from it does.
package chunk

import "unsafe"

// maxBytes is the most bytes a chunk holds: chunks grow to just over
// the runtime's largest small-object size, so that a full chunk gets
// memory pages of its own, freed with it, instead of sharing them with
// chunks that live longer.
const maxBytes = 40 << 10

func maxLenOf[T any]() int {
	var v T
	return max(1, maxBytes/max(1, int(unsafe.Sizeof(v))))
}

// Alloc hands out values and slices carved from its current chunk. Chunks
// grow from 8 to maxLen values, so that a small batch stays small. The
// zero Alloc is ready to use; it is not safe for concurrent use.
type Alloc[T any] struct{ buf []T }

// New returns a pointer to a new zero T, for a T that must not be copied.
func (a *Alloc[T]) New() *T { return &a.Slice(1)[0] }

// Put returns a pointer to a new copy of v.
func (a *Alloc[T]) Put(v T) *T {
	p := a.New()
	*p = v
	return p
}

// Slice returns a new slice of n zero values, of capacity n. A slice of
// more than a quarter of a chunk gets an allocation of its own.
func (a *Alloc[T]) Slice(n int) []T {
	maxLen := maxLenOf[T]()
	if n > maxLen/4 {
		return make([]T, n)
	}
	if cap(a.buf)-len(a.buf) < n {
		a.buf = make([]T, 0, max(n, min(max(8, 2*cap(a.buf)), maxLen)))
	}
	c := a.buf[:len(a.buf)+n]
	a.buf = c
	return c[len(c)-n : len(c) : len(c)]
}

// Copy returns a copy of s carved from a, nil when s is empty.
func (a *Alloc[T]) Copy(s []T) []T {
	if len(s) == 0 {
		return nil
	}
	out := a.Slice(len(s))
	copy(out, s)
	return out
}
