package syntax

import "sort"

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

// LineTable maps byte offsets to 1-based lines and byte columns.
type LineTable struct {
	starts []Pos // offset of the first byte of each line
	size   Pos
}

// NewLineTable indexes the line starts of src. A line ends after '\n'; "\r\n"
// therefore ends a line too, with the '\r' as its last byte.
func NewLineTable(src []byte) *LineTable {
	starts := make([]Pos, 1, len(src)/32+1)
	for i, c := range src {
		if c == '\n' {
			starts = append(starts, Pos(i+1))
		}
	}
	return &LineTable{starts: starts, size: Pos(len(src))}
}

// Lines is the number of lines (a file ending in '\n' has an empty last line).
func (lt *LineTable) Lines() int { return len(lt.starts) }

// Position returns the 1-based line and 1-based byte column of p. Offsets past
// the end are clamped to the end.
func (lt *LineTable) Position(p Pos) (line, col int) {
	if p < 0 {
		p = 0
	}
	if p > lt.size {
		p = lt.size
	}
	i := sort.Search(len(lt.starts), func(i int) bool { return lt.starts[i] > p }) - 1
	return i + 1, int(p-lt.starts[i]) + 1
}

// LineStart returns the offset of the first byte of the 1-based line, and
// false when there is no such line.
func (lt *LineTable) LineStart(line int) (Pos, bool) {
	if line < 1 || line > len(lt.starts) {
		return NoPos, false
	}
	return lt.starts[line-1], true
}

// Offset converts a 1-based line and byte column back to an offset, clamping
// the column to the line's length.
func (lt *LineTable) Offset(line, col int) (Pos, bool) {
	start, ok := lt.LineStart(line)
	if !ok {
		return NoPos, false
	}
	end := lt.size
	if line < len(lt.starts) {
		end = lt.starts[line] - 1 // before the '\n'
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
// giving a source of newSize bytes. Lines before the edit are copied, lines
// after it are shifted; lt is not modified.
func (lt *LineTable) edit(a, b int, text []byte, newSize int) *LineTable {
	delta := Pos(len(text) - (b - a))
	// starts[:i] are at or before a; starts[j:] are after b.
	i := sort.Search(len(lt.starts), func(k int) bool { return lt.starts[k] > Pos(a) })
	j := sort.Search(len(lt.starts), func(k int) bool { return lt.starts[k] > Pos(b) })
	starts := make([]Pos, 0, len(lt.starts)+len(text)/32+1)
	starts = append(starts, lt.starts[:i]...)
	for k, c := range text {
		if c == '\n' {
			starts = append(starts, Pos(a+k+1))
		}
	}
	for _, s := range lt.starts[j:] {
		starts = append(starts, s+delta)
	}
	return &LineTable{starts: starts, size: Pos(newSize)}
}
