package syntax

import (
	"bytes"
	"sort"

	"github.com/bpfls/bpfls/analysis/rope"
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

// LineEnds says which bytes end a line.
type LineEnds uint8

const (
	// EndLF ends a line after '\n' only, as bpftrace counts lines: a line
	// ending in "\r\n" keeps the '\r' as its last byte.
	EndLF LineEnds = iota
	// EndAny ends a line after "\n", "\r\n" or a lone '\r', as editors
	// count lines.
	EndAny
)

// LineTable maps byte offsets to 1-based lines and byte columns. It keeps
// the line starts in chunks of about chunkLines lines, each with an offset
// to add, so that the table after an edit (Edit) copies the chunk list and
// the edited chunk, not every line start: a keystroke in a long file stays
// cheap. A LineTable is never modified.
type LineTable struct {
	chunks []lineChunk
	lines  int
	size   Pos
	chunk  int // lines per chunk when a chunk is split
	ends   LineEnds
}

// lineChunk is a run of line starts. starts may be shared by several
// tables, so it is never modified.
type lineChunk struct {
	starts []Pos // line starts minus delta
	delta  Pos
	first  int32 // 0-based index of the chunk's first line; 32 bits keep the chunk list small
}

const chunkLines = 256

func (c *lineChunk) start(i int) Pos { return c.starts[i] + c.delta }

// NewLineTable indexes the line starts of src. A line ends after '\n'; "\r\n"
// therefore ends a line too, with the '\r' as its last byte.
func NewLineTable(src []byte) *LineTable { return newLineTable(src, EndLF, chunkLines) }

// NewLineTableEnds indexes the line starts of src, ending lines as ends says.
func NewLineTableEnds(src []byte, ends LineEnds) *LineTable {
	return newLineTable(src, ends, chunkLines)
}

func newLineTable(src []byte, ends LineEnds, chunk int) *LineTable {
	// Counted first so that the starts take no slack: a table lives as
	// long as its document, and its chunks share this one array.
	n := bytes.Count(src, []byte{'\n'}) + 1
	if ends == EndAny {
		n += bytes.Count(src, []byte{'\r'})
	}
	starts := appendEditStarts(make([]Pos, 0, n), src, 0, 0, 0, ends)
	lt := &LineTable{lines: len(starts), size: Pos(len(src)), chunk: max(chunk, 1), ends: ends}
	lt.chunks = appendChunks(nil, starts, 0, lt.chunk)
	return lt
}

// endsLine reports whether a line ends after c when next follows it (0:
// nothing does). Whether an offset starts a line thus depends on the two
// bytes around it only, which is what lets Edit scan just the new bytes.
func endsLine(c, next byte, ends LineEnds) bool {
	return c == '\n' || ends == EndAny && c == '\r' && next != '\n'
}

// appendChunks appends starts (absolute, the first being line first) to
// chunks, cut into pieces of chunk lines.
func appendChunks(chunks []lineChunk, starts []Pos, first, chunk int) []lineChunk {
	for len(starts) > 0 {
		n := min(len(starts), chunk)
		if len(starts) < 2*chunk {
			n = len(starts) // no short chunk at the end
		}
		chunks = append(chunks, lineChunk{starts: starts[:n:n], first: int32(first)})
		starts, first = starts[n:], first+n
	}
	return chunks
}

// Ends reports which bytes end the table's lines.
func (lt *LineTable) Ends() LineEnds { return lt.ends }

// Lines is the number of lines (a file ending in '\n' has an empty last line).
func (lt *LineTable) Lines() int { return lt.lines }

// chunkAt returns the chunk holding the line that contains p.
func (lt *LineTable) chunkAt(p Pos) int {
	return sort.Search(len(lt.chunks), func(k int) bool { return lt.chunks[k].start(0) > p }) - 1
}

// Position returns the 1-based line and 1-based byte column of p. Offsets past
// the end are clamped to the end.
func (lt *LineTable) Position(p Pos) (line, col int) {
	p = min(max(p, 0), lt.size)
	c := &lt.chunks[lt.chunkAt(p)]
	i := sort.Search(len(c.starts), func(i int) bool { return c.start(i) > p }) - 1
	return int(c.first) + i + 1, int(p-c.start(i)) + 1
}

// lineStart returns the start of the 0-based line i, which must exist.
func (lt *LineTable) lineStart(i int) Pos {
	k := sort.Search(len(lt.chunks), func(k int) bool { return int(lt.chunks[k].first) > i }) - 1
	c := &lt.chunks[k]
	return c.start(i - int(c.first))
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
// the column to the line's last byte: the '\n' (or lone '\r') that ends it,
// or the end of the file on the last line.
func (lt *LineTable) Offset(line, col int) (Pos, bool) {
	start, ok := lt.LineStart(line)
	if !ok {
		return NoPos, false
	}
	end := lt.size
	if line < lt.lines {
		end = lt.lineStart(line) - 1
	}
	p := start + Pos(col-1)
	if col < 1 {
		p = start
	}
	return min(p, end), true
}

// Edit returns the table after the bytes span of the table's text were
// replaced by text; lt is not modified. before is the byte before span and
// after the byte at span.End, each 0 where there is none: with text they
// decide every line start that may have changed, so the rest of the text
// is not needed. The chunks holding span's ends become one new chunk
// (split again if long), the chunks before are shared and those after are
// shared with their delta moved. A span outside the table's text is
// clamped into it.
func (lt *LineTable) Edit(span Span, text []byte, before, after byte) *LineTable {
	a := min(max(int(span.Start), 0), int(lt.size))
	b := min(max(int(span.End), a), int(lt.size))
	delta := Pos(len(text) - (b - a))
	// Starts before a keep their place, those after b move by delta, and
	// those in between are found again.
	ka, kb := lt.chunkAt(Pos(a)), lt.chunkAt(Pos(b))
	ca, cb := &lt.chunks[ka], &lt.chunks[kb]
	keep := sort.Search(len(ca.starts), func(i int) bool { return ca.start(i) >= Pos(a) })
	moved := sort.Search(len(cb.starts), func(i int) bool { return cb.start(i) > Pos(b) })
	starts := make([]Pos, 0, keep+len(text)/32+1+len(cb.starts)-moved)
	for i := range keep {
		starts = append(starts, ca.start(i))
	}
	starts = appendEditStarts(starts, text, a, before, after, lt.ends)
	for i := moved; i < len(cb.starts); i++ {
		starts = append(starts, cb.start(i)+delta)
	}
	for len(starts) < lt.chunk/2 && kb+1 < len(lt.chunks) {
		kb++ // deletions would leave ever shorter chunks: take in the next one
		for i := range lt.chunks[kb].starts {
			starts = append(starts, lt.chunks[kb].start(i)+delta)
		}
	}
	nt := &LineTable{size: lt.size + delta, chunk: lt.chunk, ends: lt.ends,
		chunks: make([]lineChunk, 0, len(lt.chunks)+len(starts)/lt.chunk+1)}
	nt.chunks = append(nt.chunks, lt.chunks[:ka]...)
	nt.chunks = appendChunks(nt.chunks, starts, int(ca.first), lt.chunk)
	for _, c := range lt.chunks[kb+1:] {
		last := &nt.chunks[len(nt.chunks)-1]
		c.first = last.first + int32(len(last.starts))
		c.delta += delta
		nt.chunks = append(nt.chunks, c)
	}
	last := &nt.chunks[len(nt.chunks)-1]
	nt.lines = int(last.first) + len(last.starts)
	return nt
}

// Around returns the bytes of text before span and at span.End, each 0
// where there is none: Edit's before and after for an edit of text.
func Around(text *rope.Text, span Span) (before, after byte) {
	if a := int(span.Start); a > 0 && a <= text.Len() {
		before = text.At(a - 1)
	}
	if b := int(span.End); b >= 0 && b < text.Len() {
		after = text.At(b)
	}
	return before, after
}

// appendEditStarts appends the line starts in [a, a+len(text)] of a text
// that holds text at a, with before and after around it (0: nothing).
func appendEditStarts(starts []Pos, text []byte, a int, before, after byte, ends LineEnds) []Pos {
	first := after
	if len(text) > 0 {
		first = text[0]
	}
	if a == 0 || endsLine(before, first, ends) {
		starts = append(starts, Pos(a))
	}
	if ends == EndLF { // the common case, and a pasted document can be long
		for i := 0; ; i++ {
			k := bytes.IndexByte(text[i:], '\n')
			if k < 0 {
				return starts
			}
			i += k
			starts = append(starts, Pos(a+i+1))
		}
	}
	for i, c := range text {
		next := after
		if i+1 < len(text) {
			next = text[i+1]
		}
		if endsLine(c, next, ends) {
			starts = append(starts, Pos(a+i+1))
		}
	}
	return starts
}
