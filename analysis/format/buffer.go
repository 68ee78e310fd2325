// This file implements the output buffer: lines made of text and comment
// segments, where a comment is written as "//" at the end of a line and as
// "/* */" anywhere else, and a block nested at an indent or at the column
// where it starts.

package format

import "strings"

// width is a column budget. It is unsigned and wraps below zero on purpose:
// bpftrace's layout decisions depend on that arithmetic, and a budget that
// wrapped behaves as unlimited.
type width = uint64

const indentWidth width = 2

type segment struct {
	text    string
	comment bool
}

type line struct {
	segs []segment
}

// reify renders the line as bpftrace writes it.
func (l *line) reify() string {
	var sb strings.Builder
	blank := true
	for i, s := range l.segs {
		if !s.comment {
			sb.WriteString(s.text)
			blank = blank && strings.TrimLeft(s.text, " \t\r\n\v\f") == ""
			continue
		}
		if !blank {
			sb.WriteByte(' ')
		}
		switch {
		case i < len(l.segs)-1:
			sb.WriteString("/* " + s.text + " */")
		case s.text == "":
			sb.WriteString("//")
		default:
			sb.WriteString("// " + s.text)
		}
	}
	return sb.String()
}

// columns is len(l.reify()), counted without building the line.
func (l *line) columns() width {
	n := 0
	blank := true
	for i, s := range l.segs {
		if !s.comment {
			n += len(s.text)
			blank = blank && strings.TrimLeft(s.text, " \t\r\n\v\f") == ""
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
}

func newBuffer() *buffer { return &buffer{lines: make([]line, 1, 2)} }

func (b *buffer) last() *line { return &b.lines[len(b.lines)-1] }

func (b *buffer) text(s string) *buffer {
	l := b.last()
	l.segs = append(l.segs, segment{text: s})
	return b
}

func (b *buffer) comment(s string) *buffer {
	l := b.last()
	l.segs = append(l.segs, segment{text: s, comment: true})
	return b
}

func (b *buffer) lineBreak() *buffer {
	b.lines = append(b.lines, line{})
	return b
}

// numLines counts the lines, the open one only when it holds something.
func (b *buffer) numLines() int {
	if len(b.last().segs) == 0 {
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

// appendAt adds o's lines. With indent 0 they continue the open line and
// later lines start at its column; with an indent they start on a new line
// at that indent and the block ends with a line break.
func (b *buffer) appendAt(o *buffer, indent width) *buffer {
	n := o.numLines()
	if n == 0 {
		return b
	}
	col := b.last().columns()
	if indent > 0 {
		b.lines = append(b.lines, line{})
		col = indent
	}
	for i := 0; i < len(o.lines); i++ {
		if col != 0 && len(b.last().segs) == 0 {
			b.last().segs = append(b.last().segs, segment{text: strings.Repeat(" ", int(col))})
		}
		l := b.last()
		l.segs = append(l.segs, o.lines[i].segs...)
		if indent > 0 || i < len(o.lines)-1 {
			b.lines = append(b.lines, line{})
		}
	}
	return b
}

func (b *buffer) append(o *buffer) *buffer { return b.appendAt(o, 0) }

// String renders the buffer, each line right-trimmed and ended by '\n'.
func (b *buffer) String() string {
	var sb strings.Builder
	for i := 0; i < b.numLines(); i++ {
		sb.WriteString(strings.TrimRight(b.lines[i].reify(), " \t\r\n\v\f"))
		sb.WriteByte('\n')
	}
	return sb.String()
}
