package cdecl

// This file lays a script's C parts out for the front end from their own
// text and positions alone, so reading them (and the cache key) costs
// what the C part costs, not what the script does, and the result can be
// moved with the C part when an edit before it shifts it.

import (
	"bytes"
	"slices"
	"sort"
	"strconv"

	"github.com/bpfls/bpfls/analysis/syntax"
)

// Part is one C definition or preprocessor line of a script: its span,
// the 1-based line and byte column it starts at, and its text.
type Part struct {
	Span      syntax.Span
	Line, Col int
	Text      []byte
}

// PartsOf returns the parts of src at spans, for a caller holding the
// whole script.
func PartsOf(src []byte, spans []syntax.Span) []Part {
	lines := syntax.NewLineTable(src)
	out := make([]Part, 0, len(spans))
	for _, sp := range spans {
		sp.Start = min(max(sp.Start, 0), syntax.Pos(len(src)))
		sp.End = min(max(sp.End, sp.Start), syntax.Pos(len(src)))
		line, col := lines.Position(sp.Start)
		out = append(out, Part{Span: sp, Line: line, Col: col, Text: src[sp.Start:sp.End]})
	}
	return out
}

// layout is the source the front end reads: line 1 is the first part's
// line, each part at its own column and on its own line relative to the
// first, everything between parts blank. Positions in it are turned into
// positions relative to base (the start of the first part's line) by rel;
// lines in it are the script's less line0-1.
type layout struct {
	c      []byte
	starts []int // each part's offset in c
	parts  []Part
	base   syntax.Pos
	line0  int
}

func layOut(parts []Part) *layout {
	l := &layout{parts: parts}
	if len(parts) == 0 {
		return l
	}
	first := parts[0]
	l.base, l.line0 = first.Span.Start-syntax.Pos(first.Col-1), first.Line
	c := bytes.Repeat([]byte{' '}, max(first.Col-1, 0))
	line, col := first.Line, first.Col // where c ends, in the script
	for _, p := range parts {
		switch {
		case p.Line > line:
			c = append(c, bytes.Repeat([]byte{'\n'}, p.Line-line)...)
			c = append(c, bytes.Repeat([]byte{' '}, max(p.Col-1, 0))...)
		case p.Line == line && p.Col > col:
			c = append(c, bytes.Repeat([]byte{' '}, p.Col-col)...)
		}
		l.starts = append(l.starts, len(c))
		c = append(c, p.Text...)
		line, col = p.Line, p.Col
		if i := bytes.LastIndexByte(p.Text, '\n'); i >= 0 {
			line, col = line+bytes.Count(p.Text, []byte{'\n'}), len(p.Text)-i
		} else {
			col += len(p.Text)
		}
	}
	l.c = c
	return l
}

// rel turns an offset in the laid-out source into a position relative to
// base. An offset between parts goes to the end of the part before it.
func (l *layout) rel(o syntax.Pos) syntax.Pos {
	i := sort.SearchInts(l.starts, int(o)+1) - 1
	if i < 0 {
		return o // the first part's indentation
	}
	p := l.parts[i]
	if d := int(o) - l.starts[i]; d <= len(p.Text) {
		return p.Span.Start - l.base + syntax.Pos(d)
	}
	return p.Span.End - l.base
}

func (l *layout) relSpan(sp syntax.Span) syntax.Span {
	return syntax.Span{Start: l.rel(sp.Start), End: l.rel(sp.End)}
}

// braceEnds are the offsets in c right after each part ending in '}'.
func (l *layout) braceEnds() []int {
	var ends []int
	for i, p := range l.parts {
		if endsWithBrace(p.Text) {
			ends = append(ends, l.starts[i]+len(p.Text))
		}
	}
	return ends
}

// key is what the front end's result depends on in the parts: their text
// and their places relative to each other (c has those in lines and
// columns, the offsets in bytes).
func (l *layout) key() []byte {
	k := slices.Clip(l.c)
	for _, p := range l.parts {
		k = strconv.AppendInt(append(k, 0), int64(p.Span.Start-l.base), 10)
	}
	return k
}

// place moves d, whose positions are relative to the layout, to the
// script's positions; d itself is not changed.
func (l *layout) place(d *Decls) *Decls {
	if l.base == 0 && l.line0 == 1 || d == nil {
		return d
	}
	out := *d
	out.Includes = slices.Clone(d.Includes)
	for i := range out.Includes {
		out.Includes[i].Span = shiftSpan(out.Includes[i].Span, l.base)
	}
	out.Problems = slices.Clone(d.Problems)
	for i := range out.Problems {
		out.Problems[i].Span = shiftSpan(out.Problems[i].Span, l.base)
	}
	if l.line0 != 1 {
		out.Consts = make(map[string]Const, len(d.Consts))
		for n, c := range d.Consts {
			if c.File == "" {
				c.Line += l.line0 - 1
			}
			out.Consts[n] = c
		}
	}
	return &out
}

func shiftSpan(sp syntax.Span, by syntax.Pos) syntax.Span {
	return syntax.Span{Start: sp.Start + by, End: sp.End + by}
}
