// This file implements the output buffer: lines made of text and comment
// segments, where a comment is written as "//" at the end of a line and as
// "/* */" anywhere else, and a block nested at an indent or at the column
// where it starts.

package format

import (
	"slices"
	"strings"
)

// width is a column budget. It is unsigned and wraps below zero on purpose:
// bpftrace's layout decisions depend on that arithmetic, and a budget that
// wrapped behaves as unlimited.
type width = uint64

const indentWidth width = 2

type segment struct {
	text    string
	comment bool
}

// line is indent spaces, then its segments. The indent is kept apart so a
// nested block's lines move into their parent without being copied.
type line struct {
	indent int
	segs   []segment
}

func (l *line) empty() bool { return l.indent == 0 && len(l.segs) == 0 }

func blankText(s string) bool {
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case ' ', '\t', '\r', '\n', '\v', '\f':
		default:
			return false
		}
	}
	return true
}

// blockUnsafe reports whether a comment printed as "/* */" (one with code
// after it on its line) holds "*/", which would end it early.
func (b *buffer) blockUnsafe() bool {
	for i := range b.lines {
		segs := b.lines[i].segs
		for j, s := range segs {
			if s.comment && j < len(segs)-1 && strings.Contains(s.text, "*/") {
				return true
			}
		}
	}
	return false
}

// reify renders the line as bpftrace writes it.
func (l *line) reify() string { return string(l.appendTo(nil)) }

// appendTo appends the line as bpftrace writes it to dst.
func (l *line) appendTo(dst []byte) []byte {
	for i := 0; i < l.indent; i++ {
		dst = append(dst, ' ')
	}
	blank := true
	for i, s := range l.segs {
		if !s.comment {
			dst = append(dst, s.text...)
			blank = blank && blankText(s.text)
			continue
		}
		if !blank {
			dst = append(dst, ' ')
		}
		switch {
		case i < len(l.segs)-1:
			dst = append(dst, "/* "...)
			dst = append(dst, s.text...)
			dst = append(dst, " */"...)
		case s.text == "":
			dst = append(dst, "//"...)
		default:
			dst = append(dst, "// "...)
			dst = append(dst, s.text...)
		}
	}
	return dst
}

// columns is len(l.reify()), counted without building the line.
func (l *line) columns() width {
	n := l.indent
	blank := true
	for i, s := range l.segs {
		if !s.comment {
			n += len(s.text)
			blank = blank && blankText(s.text)
			continue
		}
		if !blank {
			n++
		}
		switch {
		case i < len(l.segs)-1:
			n += len(s.text) + 6
		case s.text == "":
			n += 2
		default:
			n += len(s.text) + 3
		}
	}
	return width(n)
}

// buffer is a sequence of lines; the last one is open for more text.
type buffer struct {
	lines []line
	first [1]line
	a     *arena
}

// arena hands out buffers and segment slices in chunks: a 5,000-line file
// makes hundreds of thousands of small buffers, all dropped together.
type arena struct {
	bufs []buffer
	segs []segment
}

func (a *arena) buf() *buffer {
	if len(a.bufs) == cap(a.bufs) {
		a.bufs = make([]buffer, 0, min(max(2*cap(a.bufs), 16), 512))
	}
	a.bufs = a.bufs[:len(a.bufs)+1]
	b := &a.bufs[len(a.bufs)-1]
	b.a = a
	b.lines = b.first[:]
	return b
}

// segSlice returns an empty slice with room for a few segments.
func (a *arena) segSlice() []segment {
	const n = 4
	if cap(a.segs)-len(a.segs) < n {
		a.segs = make([]segment, 0, min(max(2*cap(a.segs), 64), 2048))
	}
	l := len(a.segs)
	a.segs = a.segs[:l+n]
	return a.segs[l : l : l+n]
}

// newBuffer returns a buffer outside any arena (for tests and one-offs).
func newBuffer() *buffer {
	b := &buffer{}
	b.lines = b.first[:]
	return b
}

func (b *buffer) addSeg(s segment) {
	l := b.last()
	if l.segs == nil && b.a != nil {
		l.segs = b.a.segSlice()
	}
	l.segs = append(l.segs, s)
}

func (b *buffer) last() *line { return &b.lines[len(b.lines)-1] }

func (b *buffer) text(s string) *buffer {
	b.addSeg(segment{text: s})
	return b
}

func (b *buffer) comment(s string) *buffer {
	b.addSeg(segment{text: s, comment: true})
	return b
}

func (b *buffer) lineBreak() *buffer {
	b.lines = append(b.lines, line{})
	return b
}

// numLines counts the lines, the open one only when it holds something.
func (b *buffer) numLines() int {
	if b.last().empty() {
		return len(b.lines) - 1
	}
	return len(b.lines)
}

func (b *buffer) width() width {
	var w width
	for i := range b.lines {
		if c := b.lines[i].columns(); c > w {
			w = c
		}
	}
	return w
}

// appendAt moves o's lines into b; o must not be used afterwards. With
// indent 0 they continue the open line and later lines start at its
// column; with an indent they start on a new line at that indent and the
// block ends with a line break.
func (b *buffer) appendAt(o *buffer, indent width) *buffer {
	if o.numLines() == 0 {
		return b
	}
	col := int(b.last().columns())
	b.lines = slices.Grow(b.lines, len(o.lines)+1)
	if indent > 0 {
		b.lines = append(b.lines, line{})
		col = int(indent)
	}
	for i := range o.lines {
		ol := &o.lines[i]
		l := b.last()
		switch {
		case l.empty():
			// bpftrace pads an empty line to the column, then adds the text.
			l.indent = col + ol.indent
			l.segs = ol.segs
		case ol.indent > 0:
			l.segs = append(l.segs, segment{text: strings.Repeat(" ", ol.indent)})
			l.segs = append(l.segs, ol.segs...)
		default:
			l.segs = append(l.segs, ol.segs...)
		}
		if indent > 0 || i < len(o.lines)-1 {
			b.lines = append(b.lines, line{})
		}
	}
	return b
}

func (b *buffer) append(o *buffer) *buffer { return b.appendAt(o, 0) }

// String renders the buffer, each line right-trimmed and ended by '\n'.
func (b *buffer) String() string {
	n := b.numLines()
	var size width
	for i := 0; i < n; i++ {
		size += b.lines[i].columns() + 1
	}
	out := make([]byte, 0, size)
	for i := 0; i < n; i++ {
		start := len(out)
		out = b.lines[i].appendTo(out)
		for len(out) > start && blankText(string(out[len(out)-1:])) {
			out = out[:len(out)-1]
		}
		out = append(out, '\n')
	}
	return string(out)
}
