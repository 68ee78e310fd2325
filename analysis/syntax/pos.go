package syntax

import (
	"bytes"
	"sort"
)

// Pos is a byte offset from the start of a file. The zero value is the first
// byte; NoPos marks a position that is not known.
type Pos int32

// NoPos is the invalid position.
const NoPos Pos = -1

// IsValid reports whether p is a real position.
func (p Pos) IsValid() bool { return p >= 0 }

// Span is the half-open byte range [Start, End).
type Span struct{ Start, End Pos }

// Len is the number of bytes the span covers.
func (s Span) Len() int { return int(s.End - s.Start) }

// Contains reports whether p lies inside s; a position at End counts, so that a
// cursor just after an identifier still finds it.
func (s Span) Contains(p Pos) bool { return s.Start <= p && p <= s.End }

// LineTable maps byte offsets to 1-based lines and byte columns. It keeps
// the line starts in chunks of about chunkLines lines, each with an offset
// to add, so that the table after an edit (edit) copies the chunk list and
// the edited chunk, not every line start: Reparse stays cheap in long
// files. A LineTable is never modified.
type LineTable struct {
	chunks []lineChunk
	lines  int
	size   Pos
	chunk  int // lines per chunk when a chunk is split
}

// lineChunk is a run of line starts. starts may be shared by several
// tables, so it is never modified.
type lineChunk struct {
	starts []Pos // line starts minus delta
	delta  Pos
	first  int // 0-based index of the chunk's first line
}

const chunkLines = 256

func (c *lineChunk) start(i int) Pos { return c.starts[i] + c.delta }

// NewLineTable indexes the line starts of src. A line ends after '\n'; "\r\n"
// therefore ends a line too, with the '\r' as its last byte.
func NewLineTable(src []byte) *LineTable { return newLineTable(src, chunkLines) }

func newLineTable(src []byte, chunk int) *LineTable {
	starts := make([]Pos, 1, len(src)/32+1)
	for i, c := range src {
		if c == '\n' {
			starts = append(starts, Pos(i+1))
		}
	}
	lt := &LineTable{lines: len(starts), size: Pos(len(src)), chunk: chunk}
	lt.chunks = appendChunks(nil, starts, 0, chunk)
	return lt
}

// appendChunks appends starts (absolute, the first being line first) to
// chunks, cut into pieces of chunk lines.
func appendChunks(chunks []lineChunk, starts []Pos, first, chunk int) []lineChunk {
	if chunk < 1 {
		chunk = chunkLines
	}
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

// Lines is the number of lines (a file ending in '\n' has an empty last line).
func (lt *LineTable) Lines() int { return lt.lines }

// chunkAt returns the chunk holding the line that contains p.
func (lt *LineTable) chunkAt(p Pos) int {
	return sort.Search(len(lt.chunks), func(k int) bool { return lt.chunks[k].start(0) > p }) - 1
}

// Position returns the 1-based line and 1-based byte column of p. Offsets past
// the end are clamped to the end.
func (lt *LineTable) Position(p Pos) (line, col int) {
	if p < 0 {
		p = 0
	}
	if p > lt.size {
		p = lt.size
	}
	c := &lt.chunks[lt.chunkAt(p)]
	i := sort.Search(len(c.starts), func(i int) bool { return c.start(i) > p }) - 1
	return c.first + i + 1, int(p-c.start(i)) + 1
}

// lineStart returns the start of the 0-based line i, which must exist.
func (lt *LineTable) lineStart(i int) Pos {
	k := sort.Search(len(lt.chunks), func(k int) bool { return lt.chunks[k].first > i }) - 1
	c := &lt.chunks[k]
	return c.start(i - c.first)
}

// LineStart returns the offset of the first byte of the 1-based line, and
// false when there is no such line.
func (lt *LineTable) LineStart(line int) (Pos, bool) {
	if line < 1 || line > lt.lines {
		return NoPos, false
	}
	return lt.lineStart(line - 1), true
}

// Offset converts a 1-based line and byte column back to an offset, clamping
// the column to the line's length.
func (lt *LineTable) Offset(line, col int) (Pos, bool) {
	start, ok := lt.LineStart(line)
	if !ok {
		return NoPos, false
	}
	end := lt.size
	if line < lt.lines {
		end = lt.lineStart(line) - 1 // before the '\n'
	}
	p := start + Pos(col-1)
	if col < 1 {
		p = start
	}
	if p > end {
		p = end
	}
	return p, true
}

// edit returns the line table after old bytes [a, b) were replaced by text,
// giving a source of newSize bytes; lt is not modified. The chunks holding
// a and b become one new chunk (split again if long); the chunks before
// are shared and those after are shared with their delta moved.
func (lt *LineTable) edit(a, b int, text []byte, newSize int) *LineTable {
	delta := Pos(len(text) - (b - a))
	ka, kb := lt.chunkAt(Pos(a)), lt.chunkAt(Pos(b))
	// The new starts of chunks ka..kb, absolute: usually about one chunk.
	starts := make([]Pos, 0, len(lt.chunks[ka].starts)+len(lt.chunks[kb].starts)+bytes.Count(text, []byte("\n")))
	for k := ka; k <= kb; k++ {
		c := &lt.chunks[k]
		for i := range c.starts {
			if s := c.start(i); s <= Pos(a) {
				starts = append(starts, s)
			}
		}
	}
	for k, c := range text {
		if c == '\n' {
			starts = append(starts, Pos(a+k+1))
		}
	}
	for k := ka; k <= kb; k++ {
		c := &lt.chunks[k]
		for i := range c.starts {
			if s := c.start(i); s > Pos(b) {
				starts = append(starts, s+delta)
			}
		}
	}
	n := &LineTable{size: Pos(newSize), chunk: lt.chunk,
		chunks: make([]lineChunk, 0, len(lt.chunks)+len(starts)/max(lt.chunk, 1)+1)}
	n.chunks = append(n.chunks, lt.chunks[:ka]...)
	n.chunks = appendChunks(n.chunks, starts, lt.chunks[ka].first, lt.chunk)
	for _, c := range lt.chunks[kb+1:] {
		last := &n.chunks[len(n.chunks)-1]
		c.first = last.first + len(last.starts)
		c.delta += delta
		n.chunks = append(n.chunks, c)
	}
	last := &n.chunks[len(n.chunks)-1]
	n.lines = last.first + len(last.starts)
	return n
}
