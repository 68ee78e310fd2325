// Package rope holds a document's text as an immutable sequence of chunks of
// a few KiB. An edit copies only the chunks it touches and the small chunk
// index; every other chunk is shared with the text it was made from, so a
// keystroke in a large document costs the same as in a small one. Readers
// take slices: a slice inside one chunk is not copied. The few readers that
// need the whole text contiguous call [Text.Bytes], which builds it once per
// text.
package rope

import (
	"bytes"
	"sort"
	"sync"
	"sync/atomic"
)

const (
	chunkSize = 4 << 10       // the size New cuts text into
	minChunk  = chunkSize / 4 // an edited chunk smaller than this absorbs a neighbour
	maxChunk  = 2 * chunkSize // an edited chunk larger than this is split
)

// Text is an immutable byte string. The zero value is the empty text. A Text
// is safe for concurrent use.
type Text struct {
	chunks [][]byte // never empty slices, never modified
	starts []int    // starts[i] is the offset of chunks[i]
	size   int

	flatOnce sync.Once
	flat     atomic.Pointer[[]byte] // the whole text, once Bytes built it
}

// New returns the text of b. b must not be modified afterwards: the text
// keeps it, which also makes its first Bytes free.
func New(b []byte) *Text {
	t := &Text{size: len(b)}
	t.chunks, t.starts = appendPieces(nil, nil, 0, b)
	t.flatOnce.Do(func() { b = b[:len(b):len(b)]; t.flat.Store(&b) })
	return t
}

// FromString returns the text of s.
func FromString(s string) *Text { return New([]byte(s)) }

// appendPieces appends b, cut into chunks of about chunkSize bytes, to
// chunks and starts, the first piece starting at off. The pieces are
// slices of b, which is never modified.
func appendPieces(chunks [][]byte, starts []int, off int, b []byte) ([][]byte, []int) {
	if len(b) == 0 {
		return chunks, starts
	}
	n := (len(b) + chunkSize - 1) / chunkSize
	if len(b) <= maxChunk {
		n = 1
	}
	size := (len(b) + n - 1) / n
	for len(b) > 0 {
		k := min(size, len(b))
		chunks = append(chunks, b[:k:k]) // capped: no append can reach the next piece
		starts = append(starts, off)
		b, off = b[k:], off+k
	}
	return chunks, starts
}

// Len returns the length of the text in bytes.
func (t *Text) Len() int {
	if t == nil {
		return 0
	}
	return t.size
}

// chunkAt returns the index of the chunk holding offset off, which must be
// in [0, Len()).
func (t *Text) chunkAt(off int) int {
	return sort.Search(len(t.starts), func(i int) bool { return t.starts[i] > off }) - 1
}

// Edit returns the text with bytes [start, end) replaced by ins; start and
// end are clamped into the text. t is not modified; the result shares every
// chunk the edit does not touch.
func (t *Text) Edit(start, end int, ins []byte) *Text {
	size := t.Len()
	start = max(0, min(start, size))
	end = max(start, min(end, size))
	n := &Text{size: size - (end - start) + len(ins)}
	if t == nil || len(t.chunks) == 0 {
		buf := append([]byte(nil), ins...)
		n.chunks, n.starts = appendPieces(nil, nil, 0, buf)
		return n
	}
	// The touched chunks: i holds start (or is the last one, at the end),
	// j holds the last byte replaced (or is i for an insertion).
	i := t.chunkAt(min(start, size-1))
	j := i
	if end > start {
		j = t.chunkAt(end - 1)
	}
	if start == t.starts[i] && i > 0 && end == start {
		// An insertion at a chunk boundary extends the chunk before it,
		// so typing at the end of a chunk does not make tiny chunks.
		i, j = i-1, i-1
	}
	from, to := t.starts[i], t.starts[j]+len(t.chunks[j])
	// Absorb a neighbour when the edited run gets small, so that chunks
	// stay large however the text is edited.
	if to-from-(end-start)+len(ins) < minChunk {
		if j+1 < len(t.chunks) {
			j++
			to += len(t.chunks[j])
		} else if i > 0 {
			i--
			from = t.starts[i]
		}
	}
	buf := make([]byte, 0, to-from-(end-start)+len(ins))
	buf = t.appendRange(buf, from, start)
	buf = append(buf, ins...)
	buf = t.appendRange(buf, end, to)

	n.chunks = make([][]byte, 0, len(t.chunks)-(j-i+1)+len(buf)/chunkSize+1)
	n.starts = make([]int, 0, cap(n.chunks))
	n.chunks = append(n.chunks, t.chunks[:i]...)
	n.starts = append(n.starts, t.starts[:i]...)
	n.chunks, n.starts = appendPieces(n.chunks, n.starts, from, buf)
	delta := len(ins) - (end - start)
	n.chunks = append(n.chunks, t.chunks[j+1:]...)
	for _, s := range t.starts[j+1:] {
		n.starts = append(n.starts, s+delta)
	}
	return n
}

// appendRange appends bytes [from, to) of t to buf.
func (t *Text) appendRange(buf []byte, from, to int) []byte {
	if from >= to {
		return buf
	}
	for i := t.chunkAt(from); i < len(t.chunks) && t.starts[i] < to; i++ {
		c, s := t.chunks[i], t.starts[i]
		buf = append(buf, c[max(from-s, 0):min(to-s, len(c))]...)
	}
	return buf
}

// Slice returns bytes [start, end) of the text, clamped into it. The result
// must not be modified: it is not copied when it lies inside one chunk (or
// when the whole text was built already).
func (t *Text) Slice(start, end int) []byte {
	size := t.Len()
	start = max(0, min(start, size))
	end = max(start, min(end, size))
	if start == end {
		return nil
	}
	if flat := t.flat.Load(); flat != nil {
		return (*flat)[start:end:end]
	}
	i := t.chunkAt(start)
	if s := t.starts[i]; end-s <= len(t.chunks[i]) {
		return t.chunks[i][start-s : end-s : end-s]
	}
	return t.appendRange(make([]byte, 0, end-start), start, end)
}

// String returns bytes [start, end) of the text as a string, clamped.
func (t *Text) String(start, end int) string { return string(t.Slice(start, end)) }

// Bytes returns the whole text, contiguous, building it on first use. The
// result must not be modified.
func (t *Text) Bytes() []byte {
	if t == nil {
		return nil
	}
	t.flatOnce.Do(func() {
		var b []byte
		switch len(t.chunks) {
		case 0:
			b = []byte{}
		case 1:
			b = t.chunks[0]
		default:
			b = t.appendRange(make([]byte, 0, t.size), 0, t.size)
		}
		t.flat.Store(&b)
	})
	return *t.flat.Load()
}

// At returns the byte at offset i, or 0 outside the text.
func (t *Text) At(i int) byte {
	if i < 0 || i >= t.Len() {
		return 0
	}
	k := t.chunkAt(i)
	return t.chunks[k][i-t.starts[k]]
}

// IndexByte returns the offset of the first c at or after from, or -1.
func (t *Text) IndexByte(from int, c byte) int {
	if from < 0 {
		from = 0
	}
	if from >= t.Len() {
		return -1
	}
	for k := t.chunkAt(from); k < len(t.chunks); k++ {
		ch, s := t.chunks[k], t.starts[k]
		if j := bytes.IndexByte(ch[max(from-s, 0):], c); j >= 0 {
			return max(from, s) + j
		}
	}
	return -1
}

// LastIndexByte returns the offset of the last c before end, or -1.
func (t *Text) LastIndexByte(end int, c byte) int {
	end = min(end, t.Len())
	if end <= 0 {
		return -1
	}
	for k := t.chunkAt(end - 1); k >= 0; k-- {
		ch, s := t.chunks[k], t.starts[k]
		if j := bytes.LastIndexByte(ch[:min(end-s, len(ch))], c); j >= 0 {
			return s + j
		}
	}
	return -1
}

// Equal reports whether t and u hold the same bytes.
func (t *Text) Equal(u *Text) bool {
	if t == u {
		return true
	}
	if t.Len() != u.Len() {
		return false
	}
	off := 0
	for _, c := range t.chunks {
		if !bytes.Equal(c, u.Slice(off, off+len(c))) {
			return false
		}
		off += len(c)
	}
	return true
}

// Chunks calls yield with the text's chunks in order, until it returns
// false. The chunks must not be modified.
func (t *Text) Chunks(yield func([]byte) bool) {
	if t == nil {
		return
	}
	for _, c := range t.chunks {
		if !yield(c) {
			return
		}
	}
}

// ChunkAt returns a piece of the text that holds offset off, and the offset
// where the piece starts, for readers that scan byte by byte; off must be in
// [0, Len()). The piece must not be modified.
func (t *Text) ChunkAt(off int) ([]byte, int) {
	if flat := t.flat.Load(); flat != nil {
		return *flat, 0
	}
	k := t.chunkAt(off)
	return t.chunks[k], t.starts[k]
}

// Built reports whether the whole text has been built contiguous (by New or
// Bytes), for tests that check a path never builds it.
func (t *Text) Built() bool { return t != nil && t.flat.Load() != nil }
