package ide

// This file extends rename to user-defined functions ("fn name(…)"), which
// the symbol index does not hold: a fn is found by its declaration and its
// calls, all of which share one file-wide name.

import (
	"fmt"

	"github.com/bpfls/bpfls/analysis"
	"github.com/bpfls/bpfls/analysis/syntax"
)

// fnAt returns the name of the fn declared or called at pos, with the span
// of the name there; ok is false when pos is on no fn of this file.
func fnAt(f *syntax.File, pos syntax.Pos) (name string, at syntax.Span, ok bool) {
	decls := fnDecls(f)
	if len(decls) == 0 {
		return "", syntax.Span{}, false
	}
	for _, sp := range fnOccurrences(f, decls) {
		if sp.Start <= pos && pos <= sp.End {
			return f.SpanText(sp), sp, true
		}
	}
	return "", syntax.Span{}, false
}

// fnDecls maps each fn name of f to its declaration.
func fnDecls(f *syntax.File) map[string]*syntax.FuncDecl {
	out := map[string]*syntax.FuncDecl{}
	for _, it := range f.Decls() {
		if fn, ok := it.(*syntax.FuncDecl); ok && fn.Name != nil {
			if _, dup := out[fn.Name.Name]; !dup {
				out[fn.Name.Name] = fn
			}
		}
	}
	return out
}

// fnOccurrences lists the names of every fn declaration and every call of
// a declared fn, in source order.
func fnOccurrences(f *syntax.File, decls map[string]*syntax.FuncDecl) []syntax.Span {
	var out []syntax.Span
	for _, it := range f.Items() {
		if fn, ok := it.(*syntax.FuncDecl); ok && fn.Name != nil {
			out = append(out, syntax.Span{Start: fn.Name.Pos(), End: fn.Name.End()})
		}
		syntax.Inspect(it, func(n syntax.Node) bool {
			if c, ok := n.(*syntax.CallExpr); ok && c.Fun != nil && decls[c.Fun.Name] != nil {
				out = append(out, syntax.Span{Start: c.Fun.Pos(), End: c.Fun.End()})
			}
			return true
		})
	}
	return out
}

// renameFn returns the edits renaming fn name to newName everywhere,
// refusing a name a builtin, macro or other fn already has.
func renameFn(s *analysis.Snapshot, name, newName string) ([]analysis.Edit, error) {
	if sigil(newName) != "" || !analysis.IsIdent(newName) {
		return nil, fmt.Errorf("%q is not a valid fn name", newName)
	}
	if newName == name {
		return nil, nil
	}
	if b, ok := analysis.LookupBuiltin(newName); ok {
		if avail, _ := b.Available(s.Config.Dialect); avail {
			return nil, fmt.Errorf("%q is a builtin: a fn with that name would hide it", newName)
		}
	}
	decls := fnDecls(s.File)
	if other := decls[newName]; other != nil {
		l, c := s.File.Lines.Position(other.Name.Pos())
		return nil, fmt.Errorf("cannot rename %s to %s: %w by the fn defined at line %d, column %d", name, newName, ErrNameTaken, l, c)
	}
	for _, sym := range s.SymbolIndex().Named(newName, -1) {
		if sym.Kind == analysis.SymbolMacro {
			l, c := s.File.Lines.Position(sym.Def.Start)
			return nil, fmt.Errorf("cannot rename %s to %s: %w by the macro defined at line %d, column %d", name, newName, ErrNameTaken, l, c)
		}
	}
	var edits []analysis.Edit
	for _, sp := range fnOccurrences(s.File, decls) {
		if s.File.SpanText(sp) == name {
			edits = append(edits, analysis.Edit{Span: sp, NewText: newName})
		}
	}
	return edits, nil
}
