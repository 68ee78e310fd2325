// This file implements the file-level checks that look across items: the
// order of the preamble, config and imports, and duplicates. They run after
// every (re)parse, so items themselves stay context-free.

package syntax

import "strings"

// orderErrors checks where items appear relative to each other.
func (f *File) orderErrors() []Error {
	var errs []Error
	add := func(n Node, msg string) {
		errs = append(errs, Error{Span: Span{n.Pos(), n.Pos() + 1}, Code: "syntax/misplaced-item", Msg: msg})
	}
	seenBody, seenConfig, seenOther := false, false, false
	for i, it := range f.Items {
		switch it := it.(type) {
		case *Shebang:
			// Before 0.26 the lexer skipped "#!" lines anywhere.
			if i > 0 && f.Dialect.Version.AtLeast(V0_26) {
				add(it, "a shebang line must be the first line of the file")
			}
			continue
		case *Preamble:
			if seenOther {
				add(it, "C definitions must appear before probes and functions")
			}
		case *ConfigBlock:
			switch {
			case seenConfig:
				add(it, "duplicate config block")
			case seenBody:
				add(it, "config must appear before probes and functions")
			}
			seenConfig = true
		case *ImportDecl:
			if seenBody {
				add(it, "root imports must appear before probes and functions")
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

func (f *File) lastComment() *Comment {
	if n := len(f.Comments); n > 0 {
		return &f.Comments[n-1]
	}
	return nil
}
