package syntax

import (
	"sort"
	"sync"
)

// Node is any syntax tree node. End is one past the node's last byte.
type Node interface {
	Pos() Pos
	End() Pos
}

// Error is a syntax error. Code always starts with "syntax".
type Error struct {
	Span Span
	Code string
	Msg  string
}

// File is a parsed script. Parse never returns nil and always yields every
// item, so later passes see every probe even when parts of the file are
// broken. A File is immutable once built and safe for concurrent use; its
// items and comments are read through methods ([File.Items], [File.Item],
// [File.ItemSpan], [File.Comments]) because a re-parsed File shifts the
// items after the edit only when they are first read (lazy.go).
type File struct {
	Name    string
	Src     []byte
	Lines   *LineTable
	Dialect Dialect
	Errors  []Error // at most one per line, at most 25, in source order

	units []*unit // per-item parse results, reused by Reparse
	tail  *unit   // comments after the last item; nil in a File built by hand
	// reparsed is how many items Reparse parsed afresh; -1 after a full parse.
	reparsed int

	itemsOnce    sync.Once
	items        []Item // Items' result
	commentsOnce sync.Once
	comments     []Comment // Comments' result
}

// parsed is one top-level item with the layout before it, as a parse
// produced it: the text [start, end) where start is the previous item's
// end, at the positions of the source it was parsed from. Items are parsed
// independently, so a unit can be re-parsed alone (reparse.go). A parsed
// is never modified; every File derived from that parse shares it.
type parsed struct {
	item       Item // nil for the tail
	span       Span // the item's
	start, end Pos
	horizon    Pos // one past the last byte its parse looked at
	comments   []Comment
	errs       []Error
}

// Parse parses src under dialect d. It never fails: errors are in
// File.Errors.
func Parse(name string, src []byte, d Dialect) *File {
	f := &File{Name: name, Src: src, Lines: NewLineTable(src), Dialect: d, reparsed: -1}
	var p parser
	f.units, f.tail = parseUnits(&p, src, f.Lines, d, 0)
	f.assemble()
	return f
}

// parseUnits parses the items of src from off to the end, and returns them
// with the trailing layout unit.
func parseUnits(p *parser, src []byte, lines *LineTable, d Dialect, off int) ([]*unit, *unit) {
	var units []*unit
	a := &arena{}
	for {
		*p = parser{comments: p.comments[:0], errs: p.errs[:0], a: a}
		p.init(src, lines, d, off)
		if p.tok == EOF {
			return units, tailUnit(p, off, len(src))
		}
		u := parseUnit(p, off)
		units = append(units, u)
		off = int(u.end())
	}
}

// parseUnit parses one item; an item that nests too deeply is abandoned up
// to the next item start.
func parseUnit(p *parser, off int) *unit {
	start := p.pos
	var item Item
	func() {
		defer func() {
			if r := recover(); r != nil {
				if _, ok := r.(bailout); !ok {
					panic(r)
				}
				p.depth, p.high, p.inPred = 0, 0, false
				item = &BadItem{From: start, To: p.skipItem()}
			}
		}()
		item = p.parseItem()
	}()
	u := &parsed{item: item, span: Span{item.Pos(), item.End()}, start: Pos(off), end: p.prevEnd, horizon: Pos(p.horizon)}
	if u.end < item.End() {
		u.end = item.End()
	}
	// Comments scanned as lookahead after the item belong to the next unit.
	n := len(p.comments)
	for n > 0 && p.comments[n-1].Span.Start >= u.end {
		n--
	}
	u.comments = cloneComments(p.comments[:n])
	u.errs = append([]Error(nil), p.errs...)
	return &unit{p: u}
}

// tailUnit returns the unit of the layout from off to the end of the
// source, size bytes, whose comments p has just scanned.
func tailUnit(p *parser, off, size int) *unit {
	return &unit{p: &parsed{start: Pos(off), end: Pos(size), comments: cloneComments(p.comments)}}
}

func cloneComments(cs []Comment) []Comment {
	if len(cs) == 0 {
		return nil
	}
	return append([]Comment(nil), cs...)
}

// assemble fills Errors from the units, then adds the file-level checks
// that look across items. It reads no item, so it shifts nothing.
func (f *File) assemble() {
	var errs []Error
	for _, u := range f.units {
		errs = u.appendErrors(errs)
	}
	errs = append(errs, f.orderErrors()...)
	f.Errors = f.filterErrors(errs)
}

// filterErrors sorts errs by position and keeps the first error per line,
// at most maxErrors.
func (f *File) filterErrors(errs []Error) []Error {
	sort.SliceStable(errs, func(i, j int) bool { return errs[i].Span.Start < errs[j].Span.Start })
	var out []Error
	lastLine := 0
	for _, e := range errs {
		line, _ := f.Lines.Position(e.Span.Start)
		if line == lastLine {
			continue
		}
		lastLine = line
		out = append(out, e)
		if len(out) == maxErrors {
			break
		}
	}
	return out
}

// Position returns the 1-based line and byte column of p.
func (f *File) Position(p Pos) (line, col int) { return f.Lines.Position(p) }
