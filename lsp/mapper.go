// This file implements Mapper, the only place where LSP positions meet the
// byte offsets of the core.
//
// Position representations, and where each one lives:
//
//   - syntax.Pos: a byte offset into the document's UTF-8 text. Everything in
//     analysis/ and analysis/syntax uses it, together with syntax.Span.
//   - protocol.Position: a 0-based line and a 0-based character on that line.
//     The character counts UTF-16 code units unless the client and server
//     agreed on "utf-8" at initialize, in which case it counts bytes.
//
// Lines end at "\n", "\r\n" or a lone "\r", as the LSP specification says; a
// character past the end of a line means the end of that line.

package lsp

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"sync"
	"unicode/utf8"

	"go.lsp.dev/protocol"

	"github.com/bpfls/bpfls/analysis/rope"
	"github.com/bpfls/bpfls/analysis/syntax"
)

// Encoding is the unit in which protocol.Position.Character counts.
type Encoding uint8

// Position encodings the server supports.
const (
	UTF16 Encoding = iota // the LSP default
	UTF8
)

// String returns the LSP name of the encoding.
func (e Encoding) String() string {
	if e == UTF8 {
		return string(protocol.PositionEncodingKindUTF8)
	}
	return string(protocol.PositionEncodingKindUTF16)
}

// Errors returned by Mapper conversions; callers branch with errors.Is.
var (
	ErrPositionOutOfRange = errors.New("lsp: position out of range")
	ErrOffsetOutOfRange   = errors.New("lsp: offset out of range")
	ErrInvertedRange      = errors.New("lsp: range ends before it starts")
)

// Mapper converts between byte offsets and LSP positions for one version of
// one document. It is immutable; its line table is built on first use.
type Mapper struct {
	text *rope.Text
	enc  Encoding

	once sync.Once
	// lines: lines end at "\n", "\r\n" or a lone "\r". It may be the
	// parser's table, which ends them at '\n' only, when the text has no
	// lone '\r' (useLines).
	lines *syntax.LineTable
	ascii bool // no byte >= 0x80: every encoding counts bytes
}

// NewMapper returns a Mapper for text. The text must not change afterwards.
func NewMapper(text []byte, enc Encoding) *Mapper {
	return &Mapper{text: rope.New(text), enc: enc}
}

// NewTextMapper returns a Mapper for text.
func NewTextMapper(text *rope.Text, enc Encoding) *Mapper {
	return &Mapper{text: text, enc: enc}
}

// Encoding reports the unit the mapper's positions count in.
func (m *Mapper) Encoding() Encoding { return m.enc }

// index returns the line table, building it on first use.
func (m *Mapper) index() *syntax.LineTable {
	m.once.Do(func() {
		all := m.text.Bytes()
		m.lines = syntax.NewLineTableEnds(all, syntax.EndAny)
		m.ascii = isASCII(all)
	})
	return m.lines
}

// useLines makes lt, the syntax tree's table of m's text, m's table too
// when the text has no lone '\r', where the two count the same lines, and
// m has built none yet. A large document then keeps one table, and the
// tables of its later versions, derived from it by the same edits, share
// every chunk an edit did not touch.
func (m *Mapper) useLines(lt *syntax.LineTable) {
	m.once.Do(func() {
		all := m.text.Bytes()
		if lt.Ends() == syntax.EndAny || !hasLoneCR(all) {
			m.lines = lt
		} else {
			m.lines = syntax.NewLineTableEnds(all, syntax.EndAny)
		}
		m.ascii = isASCII(all)
	})
}

// hasLoneCR reports whether b has a '\r' not followed by '\n'.
func hasLoneCR(b []byte) bool {
	for {
		i := bytes.IndexByte(b, '\r')
		if i < 0 {
			return false
		}
		if i+1 == len(b) || b[i+1] != '\n' {
			return true
		}
		b = b[i+2:]
	}
}

// Edit returns the Mapper of text, which must be m's text with span
// replaced by newText. Its line table is m's after the edit, which costs
// the inserted bytes and a copy of the table's chunk list, not a scan of
// the whole document.
func (m *Mapper) Edit(span syntax.Span, newText string, text *rope.Text) *Mapper {
	n := &Mapper{text: text, enc: m.enc}
	if span.Start < 0 || span.End < span.Start || int(span.End) > m.text.Len() ||
		text.Len() != m.text.Len()-span.Len()+len(newText) {
		return n // not an edit of m: build the table from scratch
	}
	inserted := text.Slice(int(span.Start), int(span.Start)+len(newText))
	before, after := syntax.Around(m.text, span)
	old := m.index()
	if old.Ends() == syntax.EndLF && (before == '\r' || bytes.IndexByte(inserted, '\r') >= 0) {
		return n // the edit may leave a lone '\r', which the parser's table does not count
	}
	lines := old.Edit(span, inserted, before, after)
	ascii := m.ascii && isASCII(inserted)
	n.once.Do(func() { n.lines, n.ascii = lines, ascii })
	return n
}

// isASCII reports whether b has no byte >= 0x80, eight bytes at a time.
func isASCII(b []byte) bool {
	for ; len(b) >= 8; b = b[8:] {
		if binary.LittleEndian.Uint64(b)&0x8080808080808080 != 0 {
			return false
		}
	}
	for _, c := range b {
		if c >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// countsBytes reports whether characters can be counted in bytes: the
// encoding is UTF-8, or the text is ASCII, where UTF-16 units equal bytes.
func (m *Mapper) countsBytes() bool {
	m.index()
	return m.enc == UTF8 || m.ascii
}

// lineCount is the number of lines.
func (m *Mapper) lineCount() int { return m.index().Lines() }

// lineStart returns the offset of the 0-based line, which must exist.
func (m *Mapper) lineStart(line int) int {
	s, _ := m.index().LineStart(line + 1)
	return int(s)
}

// lineBounds returns the offsets where line's content starts and ends; the
// end excludes the line terminator.
func (m *Mapper) lineBounds(line int) (start, end int) {
	start = m.lineStart(line)
	if line+1 == m.lineCount() {
		return start, m.text.Len()
	}
	end = m.lineStart(line + 1)
	if end > start && m.text.At(end-1) == '\n' {
		end--
	}
	if end > start && m.text.At(end-1) == '\r' {
		end--
	}
	return start, end
}

// PositionOffset converts p to a byte offset. A character past the end of
// its line means the end of the line; a character inside a multi-unit
// character (half of a surrogate pair) means the start of that character. A
// line past the last one is an error.
func (m *Mapper) PositionOffset(p protocol.Position) (syntax.Pos, error) {
	if n := m.lineCount(); int64(p.Line) >= int64(n) {
		return syntax.NoPos, fmt.Errorf("line %d of a %d-line document: %w", p.Line, n, ErrPositionOutOfRange)
	}
	start, end := m.lineBounds(int(p.Line))
	want := int64(p.Character)
	if m.countsBytes() {
		off := start + int(min(want, int64(end-start)))
		for off > start && off < m.text.Len() && !utf8.RuneStart(m.text.At(off)) {
			off--
		}
		return syntax.Pos(off), nil
	}
	line := m.text.Slice(start, end) // offsets below minus start index it
	col := int64(0)
	off := start
	for off < end && col < want {
		r, size := utf8.DecodeRune(line[off-start:])
		n := int64(utf16Len(r))
		if col+n > want {
			break // inside a surrogate pair: stay at the character's start
		}
		col += n
		off += size
	}
	return syntax.Pos(off), nil
}

// OffsetPosition converts a byte offset to a position. An offset inside a line
// terminator maps to the end of the line's content; one inside a multi-byte
// character maps to the character's start.
func (m *Mapper) OffsetPosition(off syntax.Pos) (protocol.Position, error) {
	p, _, err := m.offsetPosition(off)
	return p, err
}

// offsetPosition is OffsetPosition, which also returns where the content
// of the position's line ends.
func (m *Mapper) offsetPosition(off syntax.Pos) (protocol.Position, int, error) {
	if off < 0 || int(off) > m.text.Len() {
		return protocol.Position{}, 0, fmt.Errorf("offset %d in a %d-byte document: %w", off, m.text.Len(), ErrOffsetOutOfRange)
	}
	line, _ := m.index().Position(off)
	line-- // 1-based
	start, end := m.lineBounds(line)
	o := min(int(off), end)
	for o > start && o < m.text.Len() && !utf8.RuneStart(m.text.At(o)) {
		o--
	}
	if m.countsBytes() {
		return protocol.Position{Line: uint32(line), Character: uint32(o - start)}, end, nil
	}
	text := m.text.Slice(start, o)
	col := 0
	for i := start; i < o; {
		r, size := utf8.DecodeRune(text[i-start:])
		col += utf16Len(r)
		i += size
	}
	return protocol.Position{Line: uint32(line), Character: uint32(col)}, end, nil
}

// SpanRange converts a byte span to a range.
func (m *Mapper) SpanRange(s syntax.Span) (protocol.Range, error) {
	if s.End < s.Start {
		return protocol.Range{}, fmt.Errorf("span [%d,%d): %w", s.Start, s.End, ErrInvertedRange)
	}
	start, err := m.OffsetPosition(s.Start)
	if err != nil {
		return protocol.Range{}, err
	}
	end, err := m.OffsetPosition(s.End)
	if err != nil {
		return protocol.Range{}, err
	}
	return protocol.Range{Start: start, End: end}, nil
}

// RangeSpan converts a range to a byte span.
func (m *Mapper) RangeSpan(r protocol.Range) (syntax.Span, error) {
	start, err := m.PositionOffset(r.Start)
	if err != nil {
		return syntax.Span{}, err
	}
	end, err := m.PositionOffset(r.End)
	if err != nil {
		return syntax.Span{}, err
	}
	if end < start {
		return syntax.Span{}, fmt.Errorf("range %d:%d-%d:%d: %w", r.Start.Line, r.Start.Character, r.End.Line, r.End.Character, ErrInvertedRange)
	}
	return syntax.Span{Start: start, End: end}, nil
}

// utf16Len is the number of UTF-16 code units r takes; invalid bytes decode
// to utf8.RuneError and count as one unit, in both directions alike.
func utf16Len(r rune) int {
	if r >= 0x10000 {
		return 2
	}
	return 1
}

// cursor converts increasing offsets to positions in one pass: each
// conversion counts only from the previous offset when both are on the same
// line, so converting every token of a long line costs one scan of it.
type cursor struct {
	m    *Mapper
	off  syntax.Pos // last converted offset, or NoPos
	pos  protocol.Position
	end  int // end of off's line content
	line int
}

func newCursor(m *Mapper) *cursor { return &cursor{m: m, off: syntax.NoPos} }

// position converts off, which should not be less than the previous one.
func (c *cursor) position(off syntax.Pos) (protocol.Position, error) {
	if c.off == syntax.NoPos || off < c.off || int(off) > c.end {
		p, end, err := c.m.offsetPosition(off)
		if err != nil {
			return p, err
		}
		c.off, c.pos, c.line, c.end = off, p, int(p.Line), end
		return p, nil
	}
	o := int(off)
	for o > int(c.off) && o < c.m.text.Len() && !utf8.RuneStart(c.m.text.At(o)) {
		o--
	}
	n := o - int(c.off)
	if !c.m.countsBytes() {
		n = 0
		text := c.m.text.Slice(int(c.off), o)
		for i := int(c.off); i < o; {
			r, size := utf8.DecodeRune(text[i-int(c.off):])
			n += utf16Len(r)
			i += size
		}
	}
	c.pos.Character += uint32(n)
	c.off = syntax.Pos(o)
	return c.pos, nil
}
