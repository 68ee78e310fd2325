package syntax

import (
	"slices"
	"sort"
	"weak"

	"github.com/bpfls/bpfls/analysis/internal/chunk"
	"github.com/bpfls/bpfls/analysis/rope"
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
//
// The source is a [rope.Text]: a re-parsed File shares every part of it the
// edit did not touch. [File.Slice] reads part of it; [File.Src] builds the
// whole of it once, for the readers that need it contiguous.
type File struct {
	Name    string
	text    *rope.Text
	Lines   *LineTable
	Dialect Dialect
	Errors  []Error // at most one per line, at most 25, in source order

	list unitList // per-item parse results, reused by Reparse
	tail *unit    // comments after the last item; nil in a File built by hand
	// reparsed is how many items Reparse parsed afresh; -1 after a full parse.
	reparsed int
	// base is the File Reparse built this one from; items [lo, hiOld) of
	// base became items [lo, hiNew) of this one (ReparsedFrom).
	base             weak.Pointer[File]
	lo, hiOld, hiNew int

	// fresh holds the items Reparse parsed afresh, which are the ones
	// read next; every other item is held only while in use (itemslot.go).
	fresh    []Item
	items    weakSlice[Item]    // Items' result
	comments weakSlice[Comment] // Comments' result
}

// parsed is one top-level item with the layout before it, as a parse
// produced it: the text [start, end) where start is the previous item's
// end, at the positions of the source it was parsed from. Items are parsed
// independently, so a unit can be re-parsed alone (reparse.go). A parsed
// is never modified, but for its slot, which caches the item; every File
// derived from that parse shares it.
type parsed struct {
	slot       itemSlot // the item at these positions (itemslot.go)
	span       Span     // the item's
	start, end Pos
	horizon    Pos // one past the last byte its parse looked at
	kind       itemKind
	notes      *unitNotes // nil when it has neither comments nor errors
}

// unitNotes are the comments in a unit's layout and the errors of its
// parse, which most units lack.
type unitNotes struct {
	comments []Comment
	errs     []Error
}

func (p *parsed) comments() []Comment {
	if p.notes == nil {
		return nil
	}
	return p.notes.comments
}

func (p *parsed) errs() []Error {
	if p.notes == nil {
		return nil
	}
	return p.notes.errs
}

// Parse parses src under dialect d. It never fails: errors are in
// File.Errors. The File keeps src, which must not change afterwards.
func Parse(name string, src []byte, d Dialect) *File {
	return parse(name, rope.New(src), src, d, nil)
}

// ParseText is Parse for a source held as a rope.Text.
func ParseText(name string, t *rope.Text, d Dialect) *File {
	return parse(name, t, t.Bytes(), d, nil)
}

// ParseTextEach is ParseText calling each with every item, in order, as
// it is parsed: before the File may drop it (a File holds its probes
// weakly, itemslot.go), so that a caller who needs every item once does
// not parse the dropped ones again. f is the File being built: each may
// read its text and its Lines, nothing else; id is what f.ItemID will
// return for the item.
func ParseTextEach(name string, t *rope.Text, d Dialect, each func(f *File, id ItemID, it Item)) *File {
	return parse(name, t, t.Bytes(), d, each)
}

// parse parses src, which is all of t, calling each (unless nil) with
// every item.
func parse(name string, t *rope.Text, src []byte, d Dialect, each func(f *File, id ItemID, it Item)) *File {
	f := &File{Name: name, text: t, Lines: NewLineTable(src), Dialect: d, reparsed: -1}
	var p parser
	var seen func(*parsed, Item)
	if each != nil {
		seen = func(u *parsed, it Item) { each(f, ItemID{u}, it) }
	}
	units, tail := parseUnits(&p, src, f.Lines, d, 0, seen)
	f.list, f.tail = newUnitList(units), tail
	f.assemble()
	return f
}

// Unparsed returns a File of t with no items, for a caller that must not
// (or could not) parse it.
func Unparsed(name string, t *rope.Text, d Dialect) *File {
	if t == nil {
		t = rope.New(nil)
	}
	return &File{Name: name, text: t, Lines: NewLineTable(t.Bytes()), Dialect: d}
}

// Text returns the source.
func (f *File) Text() *rope.Text { return f.text }

// Len returns the length of the source in bytes.
func (f *File) Len() int { return f.text.Len() }

// Src returns the whole source, contiguous. It is built on first use (once
// per File version), so callers on the typing path use Slice instead. The
// result must not be modified.
func (f *File) Src() []byte { return f.text.Bytes() }

// Slice returns the source between from and to, clamped into it; it is not
// copied when it lies inside one chunk, and must not be modified.
func (f *File) Slice(from, to Pos) []byte { return f.text.Slice(int(from), int(to)) }

// SpanText returns the source of sp as a string (clamped).
func (f *File) SpanText(sp Span) string { return f.text.String(int(sp.Start), int(sp.End)) }

// parseUnits parses the items of src from off to the end, and returns
// their units and the trailing layout unit. Each unit holds its probe only
// weakly from the moment it is parsed, so that the parse of a large file
// never holds the whole tree: a probe a collection drops before it is read
// is parsed again, alone, when it is (itemslot.go).
func parseUnits(p *parser, src []byte, lines *LineTable, d Dialect, off int, seen func(*parsed, Item)) ([]unit, *unit) {
	var units []unit
	var recs unitAlloc
	a, pa := &arena{}, &arena{}
	batch := off // where the probes pa holds start
	for {
		if off-batch >= probeBatch {
			pa, batch = &arena{}, off
		}
		*p = parser{comments: p.comments[:0], errs: p.errs[:0], a: a, probeArena: pa}
		p.init(src, 0, lines, d, off)
		if p.tok == EOF {
			return units, tailUnit(p, off, len(src))
		}
		u, item := parseUnit(p, off, &recs)
		if seen != nil {
			seen(u.p, item)
		}
		u.p.slot.set(item)
		units = append(units, u)
		off = int(u.p.end)
	}
}

// probeBatch is how many bytes of text the probes of one arena span. A
// chunk stays alive while any node carved from it does, and nodes point
// into chunks of other types carved at other times, so one probe in use
// keeps most of its arena alive: one arena for all the probes of a large
// file kept most of its tree alive through the whole parse. An arena per
// probe would make its chunks small, and the parse a third slower.
const probeBatch = 64 << 10

// unitAlloc is where the records of a parse's units and their comments
// are allocated from, so that they, which live as long as their File, lie
// together instead of among nodes that are collected.
type unitAlloc struct {
	parsed   chunk.Alloc[parsed]
	notes    chunk.Alloc[unitNotes]
	comments chunk.Alloc[Comment]
}

// parseUnit parses one item; an item that nests too deeply is abandoned up
// to the next item start. The unit holds a probe only weakly: the caller
// holds it until it is read.
func parseUnit(p *parser, off int, recs *unitAlloc) (unit, Item) {
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
	u := recs.parsed.New()
	u.kind, u.span, u.start, u.end, u.horizon = kindOf(item), Span{item.Pos(), item.End()}, Pos(off), p.prevEnd, Pos(p.horizon)
	if u.end < item.End() {
		u.end = item.End()
	}
	// Comments scanned as lookahead after the item belong to the next unit.
	n := len(p.comments)
	for n > 0 && p.comments[n-1].Span.Start >= u.end {
		n--
	}
	if n > 0 || len(p.errs) > 0 {
		u.notes = recs.notes.New()
		u.notes.comments = recs.comments.Copy(p.comments[:n])
		u.notes.errs = append([]Error(nil), p.errs...)
	}
	return unit{p: u}, item
}

// tailUnit returns the unit of the layout from off to the end of the
// source, size bytes, whose comments p has just scanned.
func tailUnit(p *parser, off, size int) *unit {
	tail := &parsed{start: Pos(off), end: Pos(size)}
	if len(p.comments) > 0 {
		tail.notes = &unitNotes{comments: cloneComments(p.comments)}
	}
	return &unit{p: tail}
}

func cloneComments(cs []Comment) []Comment {
	if len(cs) == 0 {
		return nil
	}
	return append([]Comment(nil), cs...)
}

// assemble fills Errors from the units, then adds the file-level checks
// that look across items. It reads no item, so it shifts nothing, and it
// reads the units' errors only up to the last block that can hold one of
// the errors kept: its cost grows with the number of blocks and of errors,
// not of items.
func (f *File) assemble() {
	order := f.orderErrors()
	bs := f.list.blocks
	var errs []Error
	var rest []Pos
	for k := range bs {
		if bs[k].c.errs == 0 {
			continue
		}
		errs = bs[k].appendErrors(errs)
		if len(errs) < maxErrors {
			continue
		}
		if rest == nil {
			rest = f.list.errStarts()
		}
		// Stop once the errors kept so far come before any error to come.
		if kept := f.filterErrors(append(slices.Clip(errs), order...)); len(kept) == maxErrors &&
			kept[maxErrors-1].Span.Start < rest[k+1] {
			break
		}
	}
	f.Errors = f.filterErrors(append(errs, order...))
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
