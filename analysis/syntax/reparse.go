// This file implements incremental re-parsing (STYLE rule 6).

package syntax

import "github.com/bpfls/bpfls/analysis/rope"

// Edit replaces the bytes Span of the old source with NewText.
type Edit struct {
	Span    Span // in the old File's source
	NewText []byte
}

// Reparse returns the File for old's source with e applied. It re-parses only the
// items the edit touches: parsing restarts at the start of the first touched
// item and stops as soon as an item ends where an old item ended (shifted),
// after the edit. The items after that are the old ones, shared when the
// edit did not change the file's length and otherwise recorded as moved,
// to be copied with shifted positions when first read (lazy.go); old is
// not modified. The result equals Parse(old.Name, newSrc, old.Dialect),
// which FuzzParse checks.
func Reparse(old *File, e Edit) *File {
	a, b := editBounds(old, e)
	return reparse(old, a, b, e.NewText, old.text.Edit(a, b, e.NewText))
}

// ReparseText is Reparse for a caller that already holds the edited source:
// src must be old's source with e applied, as the language server keeps it
// for each document version. A src whose length does not fit the edit gets
// a full parse.
func ReparseText(old *File, e Edit, src *rope.Text) *File {
	a, b := editBounds(old, e)
	if src.Len() != old.Len()-(b-a)+len(e.NewText) {
		return ParseText(old.Name, src, old.Dialect)
	}
	return reparse(old, a, b, e.NewText, src)
}

// editBounds returns e's span in old's source, clamped into it.
func editBounds(old *File, e Edit) (a, b int) {
	a, b = int(e.Span.Start), int(e.Span.End)
	if n := old.Len(); a < 0 || b < a || b > n {
		a, b = clampEdit(a, b, n)
	}
	return a, b
}

// reparse re-parses old with [a, b) replaced by text; src is the result.
func reparse(old *File, a, b int, text []byte, src *rope.Text) *File {
	delta := Pos(len(text) - (b - a))

	first, ok := firstTouched(old, a, b)
	if !ok || old.tail == nil { // old.tail is nil in a File not made by Parse
		return ParseText(old.Name, src, old.Dialect)
	}
	before, after := Around(old.text, Span{Pos(a), Pos(b)})
	f := &File{Name: old.Name, text: src, Lines: old.Lines.Edit(Span{Pos(a), Pos(b)}, text, before, after), Dialect: old.Dialect}
	start := int(old.tail.start()) // re-parse from here
	if first < len(old.units) {
		start = int(old.units[first].start())
	}
	var p parser
	fresh, tail, resume := reparseUnits(&p, f, old, start, first, b, delta)
	f.units = make([]*unit, 0, first+len(fresh)+len(old.units)-resume)
	f.units = append(append(f.units, old.units[:first]...), fresh...)
	f.units = appendMoved(f.units, old.units[resume:], delta)
	if tail == nil {
		tail = appendMoved(nil, []*unit{old.tail}, delta)[0]
	}
	f.tail = tail
	f.reparsed = len(fresh)
	f.assemble()
	return f
}

func clampEdit(a, b, n int) (int, int) {
	a = max(0, min(a, n))
	b = max(a, min(b, n))
	return a, b
}

// firstTouched returns the index of the first unit to re-parse for an edit
// of [a, b) (len(units) for the tail): the first one whose parse looked at a
// byte at or after a. Units before it cannot change. It reports false when
// the edit touches the preamble, the shebang or the config block: those
// change what every probe means, so callers re-check everything anyway,
// and they are few.
func firstTouched(old *File, a, b int) (int, bool) {
	i := len(old.units)
	for j, u := range old.units {
		if int(u.horizon()) >= a {
			i = j
			break
		}
	}
	for j := i; j < len(old.units) && int(old.units[j].start()) <= b; j++ {
		u := old.units[j]
		switch u.kind().(type) {
		case *Preamble, *Shebang, *ConfigBlock:
			if sp := u.span(); int(sp.Start) <= b && a <= int(sp.End) { // not just the comments before it
				return 0, false
			}
		}
	}
	return i, true
}

// reparseUnits parses units of f's source from start until one ends where
// an old unit (at index ≥ first, ending at or after the edit end b) ended,
// shifted by delta. It returns the fresh units, the new tail when parsing
// reached EOF, and the index of the first old unit to reuse.
//
// Each unit is parsed from a window of the source, not the whole of it: a
// parse whose horizon reaches the window's end (before the end of the
// source) may have mistaken that end for EOF, so it is retried in a window
// twice as large.
func reparseUnits(p *parser, f *File, old *File, start, first, b int, delta Pos) ([]*unit, *unit, int) {
	var fresh []*unit
	k := first // old units before k end before the current offset
	a := &arena{}
	size := f.Len()
	var w window
	for off := start; ; {
		var u *unit
		for reach := windowSize; ; reach *= 2 {
			if w.src == nil || off+reach > w.end() && w.end() < size {
				w = f.window(off, reach)
			}
			*p = parser{comments: p.comments[:0], errs: p.errs[:0], a: a}
			p.init(w.src, w.base, f.Lines, f.Dialect, off)
			whole := w.end() == size
			if p.tok == EOF && (whole || p.horizon < w.end()) {
				return fresh, tailUnit(p, off, size), len(old.units)
			}
			if p.tok != EOF {
				u = parseUnit(p, off)
				if whole || p.horizon < w.end() {
					break
				}
			}
			reach = max(reach, w.end()-off) // grow past the window just read
		}
		fresh = append(fresh, u)
		end := u.end()
		off = int(end)
		for k < len(old.units) && (int(old.units[k].end()) < b || old.units[k].end()+delta < end) {
			k++
		}
		if k < len(old.units) && old.units[k].end()+delta == end {
			return fresh, nil, k + 1
		}
	}
}

// appendMoved appends units to out as seen delta bytes further on. Their
// items stay where they are until read (lazy.go).
func appendMoved(out, units []*unit, delta Pos) []*unit {
	if delta == 0 { // the old units are right as they are, and immutable: share them
		return append(out, units...)
	}
	moved := make([]unit, len(units)) // one allocation for all
	for i, u := range units {
		out = append(out, u.moved(delta, &moved[i]))
	}
	return out
}

// windowSize is how far past a unit's start its first window reaches; most
// items are much shorter. Tests make it tiny, to grow windows often.
var windowSize = 8 << 10

// window is a part of a File's source: src starts at the absolute offset
// base, at a line start.
type window struct {
	src  []byte
	base int
}

func (w window) end() int { return w.base + len(w.src) }

// window returns the source from the start of off's line to reach bytes
// past off, clamped to the source. It is not copied when it lies in one
// chunk of the text.
func (f *File) window(off, reach int) window {
	_, col := f.Lines.Position(Pos(off))
	base := off - (col - 1)
	return window{src: f.text.Slice(base, off+reach), base: base}
}
