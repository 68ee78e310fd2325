// This file implements the file-level checks that look across items: the
// order of the preamble, config and imports, and duplicates. They run after
// every (re)parse, so items themselves stay context-free.

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
	for i, u := range f.units {
		at = u.span().Start
		switch u.kind().(type) { // only the type: the item may be unshifted
		case *Shebang:
			// Before 0.26 the lexer skipped "#!" lines anywhere.
			if i > 0 && f.Dialect.Version.AtLeast(V0_26) {
				add("a shebang line must be the first line of the file")
			}
			continue
		case *Preamble:
			if seenOther {
				add("C definitions must appear before probes and functions")
			}
		case *ConfigBlock:
			switch {
			case seenConfig:
				add("duplicate config block")
			case seenBody:
				add("config must appear before probes and functions")
			}
			seenConfig = true
		case *ImportDecl:
			if seenBody {
				add("root imports must appear before probes and functions")
			}
		case *BadItem:
		default:
			seenBody = true
		}
		seenOther = true
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
	for i := len(f.units); i >= 0; i-- {
		u := f.tail
		if i < len(f.units) {
			u = f.units[i]
		}
		if u != nil && len(u.p.comments) > 0 {
			c := u.p.comments[len(u.p.comments)-1]
			c.Span = shiftSpan(c.Span, u.delta)
			return &c
		}
	}
	return nil
}
