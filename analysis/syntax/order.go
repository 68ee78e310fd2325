// This file implements the file-level checks that look across items: the
// order of the preamble, config and imports, and duplicates. They run after
// every (re)parse, so items themselves stay context-free; they look at the
// items of a block one by one only when it holds an item whose place
// matters, so their cost grows with the number of blocks.

package syntax

import "strings"

// orderErrors checks where items appear relative to each other.
func (f *File) orderErrors() []Error {
	var errs []Error
	var at Pos // the current item's start
	add := func(msg string) {
		errs = append(errs, Error{Span: Span{at, at + 1}, Code: "syntax/misplaced-item", Msg: msg})
	}
	seenBody, seenConfig, seenOther := false, false, false
	l := &f.list
	for k := range l.blocks {
		b := &l.blocks[k]
		if !b.c.special { // no error here, and its items count in bulk
			seenBody = seenBody || b.c.body
			seenOther = seenOther || b.c.other
			continue
		}
		for j, u := range b.c.units {
			at = shiftSpan(u.p.span, u.delta+b.delta).Start
			switch u.p.kind {
			case kindShebang:
				// Before 0.26 the lexer skipped "#!" lines anywhere.
				if int(l.first[k])+j > 0 && f.Dialect.Version.AtLeast(V0_26) {
					add("a shebang line must be the first line of the file")
				}
				continue
			case kindPreamble:
				if seenOther {
					add("C definitions must appear before probes and functions")
				}
			case kindConfig:
				switch {
				case seenConfig:
					add("duplicate config block")
				case seenBody:
					add("config must appear before probes and functions")
				}
				seenConfig = true
			case kindImport:
				if seenBody {
					add("root imports must appear before probes and functions")
				}
			case kindBad:
			default:
				seenBody = true
			}
			seenOther = true
		}
	}
	if c := f.lastComment(); c != nil && !f.Dialect.Version.AtLeast(V0_26) &&
		strings.HasPrefix(c.Text, "/*") && (len(c.Text) < 4 || !strings.HasSuffix(c.Text, "*/")) {
		errs = append(errs, Error{Span: Span{c.Span.Start, c.Span.Start + 2}, Code: "syntax/unterminated-comment",
			Msg: "end of file during comment"})
	}
	return errs
}

// lastComment returns the file's last comment, shifting only that one.
func (f *File) lastComment() *Comment {
	if t := f.tail; t != nil && len(t.p.comments()) > 0 {
		c := t.p.comments()[len(t.p.comments())-1]
		c.Span = shiftSpan(c.Span, t.delta)
		return &c
	}
	for k := len(f.list.blocks) - 1; k >= 0; k-- {
		b := &f.list.blocks[k]
		if b.c.comment < 0 {
			continue
		}
		u := b.c.units[b.c.comment]
		c := u.p.comments()[len(u.p.comments())-1]
		c.Span = shiftSpan(c.Span, u.delta+b.delta)
		return &c
	}
	return nil
}
