// This file implements the output buffer: lines made of text and comment
// segments, where a comment is written as "//" at the end of a line and as
// "/* */" anywhere else, and a block nested at an indent or at the column
// where it starts.
//
// Lines and segments are linked lists in one arena per printer, so that
// moving a nested block into its parent relinks it instead of copying it:
// a 5,000-line file builds hundreds of thousands of small buffers.

package format

import (
	"bytes"
	"strings"

	"github.com/bpfls/bpfls/analysis/syntax"
)

// width is a column budget. It is unsigned and wraps below zero on purpose:
// bpftrace's layout decisions depend on that arithmetic, and a budget that
// wrapped behaves as unlimited.
type width = uint64

const indentWidth width = 2

// none ends a list of lines or segments.
const none int32 = -1

// segment is text[off:off+n] of the arena; it holds no pointer, so the
// collector never scans the segments.
type segment struct {
	off, n  int32
	next    int32
	comment bool
}

// line is indent spaces, then its segments. The indent is kept apart so a
// nested block's lines move into their parent without being copied.
type line struct {
	indent     int32
	head, tail int32 // segments
	next       int32 // the buffer's next line
	cols       int32 // columns of the segments; -1 when not yet counted
	comments   bool  // some segment is a comment
}

// arena holds every line and segment of one printing, its buffers and
// the short lists the printer builds on the way.
type arena struct {
	text   []byte
	lines  []line
	segs   []segment
	bufs   []buffer
	free   []*buffer // buffers moved into others, for reuse
	freeLn []int32   // lines whose segments moved, for reuse
	items  slab[listItem]
	exprs  slab[syntax.Expr]
	parts  slab[*buffer]
	widths slab[width]
}

// slab hands out slices from chunks, like a stack: the last one taken can
// be given back.
type slab[T any] struct{ free []T }

// release gives x back when it is the last slice taken.
func (s *slab[T]) release(x []T) {
	if n := len(x); n > 0 && len(s.free) >= n && &s.free[len(s.free)-n] == &x[0] {
		s.free = s.free[:len(s.free)-n]
	}
}

func (s *slab[T]) take(n int) []T {
	if cap(s.free)-len(s.free) < n {
		s.free = make([]T, 0, max(n, min(2*cap(s.free), 1024), 8))
	}
	l := len(s.free)
	s.free = s.free[:l+n]
	return s.free[l : l+n : l+n]
}

// newArena sizes an arena for about n bytes of source.
func newArena(n int) *arena {
	return &arena{text: make([]byte, 0, n+64), lines: make([]line, 0, n/6+16), segs: make([]segment, 0, n/4+16)}
}

func (a *arena) newLine() int32 {
	if k := len(a.freeLn); k > 0 {
		i := a.freeLn[k-1]
		a.freeLn = a.freeLn[:k-1]
		a.lines[i] = line{head: none, tail: none, next: none}
		return i
	}
	a.lines = append(a.lines, line{head: none, tail: none, next: none})
	return int32(len(a.lines) - 1)
}

// seg returns the text of segment s.
func (a *arena) seg(s *segment) []byte { return a.text[s.off : s.off+s.n] }

func (a *arena) buf() *buffer {
	if k := len(a.free); k > 0 {
		b := a.free[k-1]
		a.free = a.free[:k-1]
		b.head = a.newLine()
		b.tail = b.head
		b.n = 1
		return b
	}
	if len(a.bufs) == cap(a.bufs) {
		a.bufs = make([]buffer, 0, min(max(2*cap(a.bufs), 16), 1024))
	}
	a.bufs = a.bufs[:len(a.bufs)+1]
	b := &a.bufs[len(a.bufs)-1]
	b.a = a
	b.head = a.newLine()
	b.tail = b.head
	b.n = 1
	return b
}

// buffer is a sequence of lines; the last one is open for more text.
type buffer struct {
	a          *arena
	head, tail int32 // lines
	n          int   // lines, the open one included
}

// newBuffer returns a buffer in an arena of its own (for tests and one-offs).
func newBuffer() *buffer { return newArena(0).buf() }

func (b *buffer) line(i int32) *line { return &b.a.lines[i] }

func (b *buffer) last() *line { return &b.a.lines[b.tail] }

func (l *line) empty() bool { return l.indent == 0 && l.head == none }

func (b *buffer) addSeg(text string, comment bool) {
	a := b.a
	if l := &a.lines[b.tail]; !comment && l.tail != none {
		// Text right after the open line's last text is one segment.
		if s := &a.segs[l.tail]; !s.comment && int(s.off+s.n) == len(a.text) {
			a.text = append(a.text, text...)
			s.n += int32(len(text))
			l.grow(int32(len(text)))
			return
		}
	}
	a.segs = append(a.segs, segment{off: int32(len(a.text)), n: int32(len(text)), next: none, comment: comment})
	a.text = append(a.text, text...)
	i := int32(len(a.segs) - 1)
	l := &a.lines[b.tail]
	if l.head == none {
		l.head = i
	} else {
		a.segs[l.tail].next = i
	}
	l.tail = i
	if comment || l.comments {
		// A comment's columns depend on what surrounds it.
		l.cols = -1
	} else {
		l.grow(int32(len(text)))
	}
	l.comments = l.comments || comment
}

// grow counts n more columns of text on l, while they are counted.
func (l *line) grow(n int32) {
	if l.cols >= 0 {
		l.cols += n
	}
}

func (b *buffer) text(s string) *buffer {
	b.addSeg(s, false)
	return b
}

func (b *buffer) comment(s string) *buffer {
	b.addSeg(s, true)
	return b
}

func (b *buffer) lineBreak() *buffer {
	i := b.a.newLine()
	b.a.lines[b.tail].next = i
	b.tail = i
	b.n++
	return b
}

// numLines counts the lines, the open one only when it holds something.
func (b *buffer) numLines() int {
	if b.last().empty() {
		return b.n - 1
	}
	return b.n
}

func blankText(s []byte) bool {
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case ' ', '\t', '\r', '\n', '\v', '\f':
		default:
			return false
		}
	}
	return true
}

// columns is the length of line i as bpftrace writes it.
func (b *buffer) columns(i int32) width {
	a := b.a
	l := &a.lines[i]
	if l.cols < 0 && !l.comments {
		n := 0
		for j := l.head; j != none; j = a.segs[j].next {
			n += int(a.segs[j].n)
		}
		l.cols = int32(n)
	}
	if l.cols < 0 {
		n := 0
		blank := true
		for j := l.head; j != none; j = a.segs[j].next {
			s := &a.segs[j]
			if !s.comment {
				n += int(s.n)
				blank = blank && blankText(a.seg(s))
				continue
			}
			if !blank {
				n++
			}
			switch {
			case s.next != none:
				n += int(s.n) + 6
			case s.n == 0:
				n += 2
			default:
				n += int(s.n) + 3
			}
		}
		l.cols = int32(n)
	}
	return width(l.indent) + width(l.cols)
}

// appendLine appends line i as bpftrace writes it to dst.
func (b *buffer) appendLine(dst []byte, i int32) []byte {
	a := b.a
	l := &a.lines[i]
	for k := int32(0); k < l.indent; k++ {
		dst = append(dst, ' ')
	}
	blank := true
	for j := l.head; j != none; j = a.segs[j].next {
		s := &a.segs[j]
		if !s.comment {
			dst = append(dst, a.seg(s)...)
			blank = blank && blankText(a.seg(s))
			continue
		}
		if !blank {
			dst = append(dst, ' ')
		}
		switch {
		case s.next != none:
			dst = append(dst, "/* "...)
			dst = append(dst, a.seg(s)...)
			dst = append(dst, " */"...)
		case s.n == 0:
			dst = append(dst, "//"...)
		default:
			dst = append(dst, "// "...)
			dst = append(dst, a.seg(s)...)
		}
	}
	return dst
}

// startsWith reports whether b's first line begins with the text c.
func (b *buffer) startsWith(c byte) bool {
	a := b.a
	l := &a.lines[b.head]
	if l.indent != 0 {
		return false
	}
	for j := l.head; j != none; j = a.segs[j].next {
		if s := &a.segs[j]; s.n > 0 {
			return !s.comment && a.text[s.off] == c
		}
	}
	return false
}

func (b *buffer) width() width {
	var w width
	for i := b.head; i != none; i = b.a.lines[i].next {
		if c := b.columns(i); c > w {
			w = c
		}
	}
	return w
}

// comments counts the comment segments of b.
func (b *buffer) comments() int {
	a := b.a
	n := 0
	for i := b.head; i != none; i = a.lines[i].next {
		for j := a.lines[i].head; j != none; j = a.segs[j].next {
			if a.segs[j].comment {
				n++
			}
		}
	}
	return n
}

// blockUnsafe reports whether a comment printed as "/* */" (one with code
// after it on its line) holds "*/", which would end it early.
func (b *buffer) blockUnsafe() bool {
	a := b.a
	for i := b.head; i != none; i = a.lines[i].next {
		for j := a.lines[i].head; j != none; j = a.segs[j].next {
			s := &a.segs[j]
			if s.comment && s.next != none && bytes.Contains(a.seg(s), []byte("*/")) {
				return true
			}
		}
	}
	return false
}

// link appends the segments of line o to line l.
func (b *buffer) link(l, o *line) {
	if o.head == none {
		return
	}
	if l.head == none {
		l.head = o.head
	} else {
		b.a.segs[l.tail].next = o.head
	}
	l.tail = o.tail
	if l.comments || o.comments || o.cols < 0 {
		// A comment's columns depend on what surrounds it.
		l.cols = -1
	} else {
		l.grow(o.cols)
	}
	l.comments = l.comments || o.comments
}

// appendAt moves o's lines into b; o must not be used afterwards. With
// indent 0 they continue the open line and later lines start at its
// column; with an indent they start on a new line at that indent and the
// block ends with a line break.
func (b *buffer) appendAt(o *buffer, indent width) *buffer {
	if o.numLines() == 0 {
		return b
	}
	col := int32(b.columns(b.tail))
	if indent > 0 {
		b.lineBreak()
		col = int32(indent)
	}
	a := b.a
	// o's first line joins the open line.
	first := &a.lines[o.head]
	l := &a.lines[b.tail]
	switch {
	case l.empty():
		// bpftrace pads an empty line to the column, then adds the text.
		l.indent = col + first.indent
		b.link(l, first)
	case first.indent > 0:
		b.text(strings.Repeat(" ", int(first.indent)))
		b.link(&a.lines[b.tail], first)
	default:
		b.link(l, first)
	}
	// Its later lines are relinked, each starting at the column.
	for i := first.next; i != none; i = a.lines[i].next {
		a.lines[i].indent += col
		a.lines[b.tail].next = i
		b.tail = i
		b.n++
	}
	a.lines[b.tail].next = none
	if indent > 0 {
		b.lineBreak()
	}
	b.a.free = append(b.a.free, o)
	b.a.freeLn = append(b.a.freeLn, o.head)
	return b
}

func (b *buffer) append(o *buffer) *buffer { return b.appendAt(o, 0) }

// String renders the buffer, each line right-trimmed and ended by '\n'.
func (b *buffer) String() string { return string(b.bytes()) }

// bytes is String as a new slice.
func (b *buffer) bytes() []byte {
	n := b.numLines()
	var size width
	k := 0
	for i := b.head; i != none && k < n; i, k = b.a.lines[i].next, k+1 {
		size += b.columns(i) + 1
	}
	out := make([]byte, 0, size)
	k = 0
	for i := b.head; i != none && k < n; i, k = b.a.lines[i].next, k+1 {
		start := len(out)
		out = b.appendLine(out, i)
		for len(out) > start && blankText(out[len(out)-1:]) {
			out = out[:len(out)-1]
		}
		out = append(out, '\n')
	}
	return out
}
