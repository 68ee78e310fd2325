// This file implements the Mapper's line table. It keeps the line starts
// in chunks of about chunkLines lines, each with an offset to add, so that
// the table after an edit rescans the edited chunk and shares the others:
// a keystroke in a long document copies a list of chunks, not every line
// start.

package lsp

import (
	"sort"

	"github.com/bpfls/bpfls/analysis/rope"
	"github.com/bpfls/bpfls/analysis/syntax"
)

const chunkLines = 256

// lineIndex is the line starts of one text. It is never modified; chunks'
// starts may be shared by several indexes.
type lineIndex struct {
	chunks []lineChunk
	n      int // lines
	chunk  int // lines per chunk when one is cut
}

type lineChunk struct {
	starts []syntax.Pos // line starts minus delta
	delta  syntax.Pos
	first  int // index of the chunk's first line
}

func (c *lineChunk) start(i int) syntax.Pos { return c.starts[i] + c.delta }

// scanLines indexes the line starts of text: a line ends at "\n", "\r\n"
// or a lone "\r". It also reports whether text is ASCII.
func scanLines(text []byte, chunk int) (lineIndex, bool) {
	starts := make([]syntax.Pos, 1, len(text)/32+1)
	starts, ascii := appendLineStarts(starts, text, 0, len(text))
	x := lineIndex{n: len(starts), chunk: chunk}
	x.chunks = appendChunks(nil, starts, 0, chunk)
	return x, ascii
}

// appendLineStarts appends the starts of the lines that begin after a
// terminator in text[from:to] (a "\r" at to-1 pairs with a "\n" at to).
func appendLineStarts(starts []syntax.Pos, text []byte, from, to int) ([]syntax.Pos, bool) {
	ascii := true
	for i := from; i < to; i++ {
		c := text[i]
		if c >= 0x80 {
			ascii = false
		}
		switch c {
		case '\n':
		case '\r':
			if i+1 < len(text) && text[i+1] == '\n' {
				i++
			}
		default:
			continue
		}
		starts = append(starts, syntax.Pos(i+1))
	}
	return starts, ascii
}

// appendChunks cuts starts (absolute, the first being line first) into
// chunks of about chunk lines.
func appendChunks(chunks []lineChunk, starts []syntax.Pos, first, chunk int) []lineChunk {
	for len(starts) > 0 {
		n := min(len(starts), chunk)
		if len(starts) < 2*chunk {
			n = len(starts) // no short chunk at the end
		}
		chunks = append(chunks, lineChunk{starts: starts[:n:n], first: first})
		starts, first = starts[n:], first+n
	}
	return chunks
}

// count is the number of lines.
func (x *lineIndex) count() int { return x.n }

// chunkOf returns the chunk holding line i.
func (x *lineIndex) chunkOf(i int) int {
	return sort.Search(len(x.chunks), func(k int) bool { return x.chunks[k].first > i }) - 1
}

// start returns the offset of line i, 0 <= i < count.
func (x *lineIndex) start(i int) syntax.Pos {
	c := &x.chunks[x.chunkOf(i)]
	return c.start(i - c.first)
}

// lineOf returns the last line that starts at or before off.
func (x *lineIndex) lineOf(off syntax.Pos) int {
	k := sort.Search(len(x.chunks), func(k int) bool { return x.chunks[k].start(0) > off }) - 1
	c := &x.chunks[k]
	return c.first + sort.Search(len(c.starts), func(i int) bool { return c.start(i) > off }) - 1
}

// all returns every line start.
func (x *lineIndex) all() []syntax.Pos {
	out := make([]syntax.Pos, 0, x.n)
	for _, c := range x.chunks {
		for i := range c.starts {
			out = append(out, c.start(i))
		}
	}
	return out
}

// edit returns the index of text, which is old text with span replaced by
// newText, and whether it could be derived: the chunks before the edit are
// shared, the edited ones rescanned, and the later ones shared with their
// offset moved.
func (x *lineIndex) edit(span syntax.Span, newText string, text *rope.Text) (lineIndex, bool) {
	delta := syntax.Pos(len(newText) - span.Len())
	newEnd := span.Start + syntax.Pos(len(newText))
	// From the line before the edit: a "\r" ending it may pair with an
	// inserted "\n".
	from := max(x.lineOf(span.Start)-1, 0)
	ka := x.chunkOf(from)
	first := x.chunks[ka].first
	starts := []syntax.Pos{x.chunks[ka].start(0)}
	// Scan until a line start after the edit that is the first of an old
	// chunk, shifted; from there on the old chunks hold.
	kb := len(x.chunks)
	var piece []byte // the part of text at base that holds i
	base, size := 0, text.Len()
	for i := int(starts[0]); i < size; i++ {
		if i-base >= len(piece) || i < base {
			piece, base = text.ChunkAt(i)
		}
		switch piece[i-base] {
		case '\n':
		case '\r':
			if i+1 < size && text.At(i+1) == '\n' {
				i++
			}
		default:
			continue
		}
		s := syntax.Pos(i + 1)
		if s > newEnd+1 { // past the edit and a "\r\n" it may split
			old := x.lineOf(s - delta)
			if x.start(old) != s-delta {
				return lineIndex{}, false
			}
			if k := x.chunkOf(old); x.chunks[k].first == old {
				kb = k
				break
			}
		}
		starts = append(starts, s)
	}
	n := lineIndex{chunk: x.chunk, chunks: make([]lineChunk, 0, len(x.chunks)+len(starts)/max(x.chunk, 1)+1)}
	n.chunks = append(n.chunks, x.chunks[:ka]...)
	n.chunks = appendChunks(n.chunks, starts, first, x.chunk)
	for _, c := range x.chunks[kb:] {
		last := &n.chunks[len(n.chunks)-1]
		c.first = last.first + len(last.starts)
		c.delta += delta
		n.chunks = append(n.chunks, c)
	}
	last := &n.chunks[len(n.chunks)-1]
	n.n = last.first + len(last.starts)
	return n, true
}
