package ide

// This file implements the features that follow one symbol (map, variable,
// macro, macro parameter) through the file: go to definition, references,
// document highlight and rename. The symbols come from the file-level
// pass's index ([analysis.Snapshot.SymbolAt]).

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/bpfls/bpfls/analysis"
	"github.com/bpfls/bpfls/analysis/syntax"
)

// Errors of [PrepareRename] and [Rename]; the message is for the user.
var (
	ErrNothingToRename = errors.New("nothing to rename here: only maps, variables, macros, macro parameters and fns can be renamed")
	ErrBuiltinRename   = errors.New("builtins cannot be renamed")
)

// Definition returns where the symbol at pos is defined.
func Definition(ctx context.Context, s *analysis.Snapshot, pos syntax.Pos) (syntax.Span, bool) {
	sym, _, ok := s.SymbolIndex().HeadAt(pos) // not the symbol's every reference
	if !ok {
		return syntax.Span{}, false
	}
	return sym.Def, true
}

// References returns the occurrences of the symbol at pos in source order,
// its definition only when includeDef is set.
func References(ctx context.Context, s *analysis.Snapshot, pos syntax.Pos, includeDef bool) []syntax.Span {
	sym, ok := s.SymbolAt(pos)
	if !ok {
		return nil
	}
	var out []syntax.Span
	for _, r := range sym.Refs {
		if r == sym.Def && !includeDef {
			continue
		}
		out = append(out, r)
	}
	return out
}

// Highlight is one occurrence of the symbol under the cursor; Write marks
// its definition.
type Highlight struct {
	Span  syntax.Span
	Write bool
}

// Highlights returns every occurrence of the symbol at pos.
func Highlights(ctx context.Context, s *analysis.Snapshot, pos syntax.Pos) []Highlight {
	sym, ok := s.SymbolAt(pos)
	if !ok {
		return nil
	}
	out := make([]Highlight, 0, len(sym.Refs))
	for _, r := range sym.Refs {
		out = append(out, Highlight{Span: r, Write: r == sym.Def})
	}
	return out
}

// PrepareRename returns the name under pos that a rename would change,
// and the name as the user should edit it.
func PrepareRename(ctx context.Context, s *analysis.Snapshot, pos syntax.Pos) (syntax.Span, string, error) {
	sym, occ, ok := s.SymbolIndex().HeadAt(pos)
	if !ok {
		if name, at, ok := fnAt(s.File, pos); ok {
			return at, name, nil
		}
		if b := builtinAt(s.File, pos); b != "" {
			return syntax.Span{}, "", fmt.Errorf("%q: %w", b, ErrBuiltinRename)
		}
		return syntax.Span{}, "", ErrNothingToRename
	}
	return nameSpan(s.File, occ, sym.Name), sym.Name, nil
}

// Rename returns the edits that rename the symbol at pos to newName. The
// sigil may be left out ("hits" for "@hits") and is checked when given.
func Rename(ctx context.Context, s *analysis.Snapshot, pos syntax.Pos, newName string) ([]analysis.Edit, error) {
	sym, ok := s.SymbolAt(pos)
	if !ok {
		if name, _, ok := fnAt(s.File, pos); ok {
			return renameFn(s, name, newName)
		}
		if _, _, err := PrepareRename(ctx, s, pos); err != nil {
			return nil, err
		}
		return nil, ErrNothingToRename
	}
	name, err := checkNewName(s, sym, newName)
	if err != nil {
		return nil, err
	}
	if err := checkNameFree(s, sym, name); err != nil {
		return nil, err
	}
	edits := make([]analysis.Edit, 0, len(sym.Refs))
	for _, r := range sym.Refs {
		sp := nameSpan(s.File, r, sym.Name)
		text := name
		if !strings.HasPrefix(s.File.SpanText(sp), sigil(sym.Name)) {
			text = strings.TrimLeft(name, "$@") // an occurrence written without its sigil
		}
		edits = append(edits, analysis.Edit{Span: sp, NewText: text})
	}
	return edits, nil
}

// sigil returns the "$" or "@" a name starts with, or "".
func sigil(name string) string {
	if name != "" && (name[0] == '$' || name[0] == '@') {
		return name[:1]
	}
	return ""
}

// checkNewName validates newName for sym and returns it with sym's sigil.
func checkNewName(s *analysis.Snapshot, sym *analysis.Symbol, newName string) (string, error) {
	sg := sigil(sym.Name)
	bare := newName
	if sigil(newName) != "" {
		if sigil(newName) != sg {
			return "", fmt.Errorf("%q cannot name a %s", newName, sym.Kind)
		}
		bare = newName[1:]
	}
	if !analysis.IsIdent(bare) {
		return "", fmt.Errorf("%q is not a valid name", newName)
	}
	if sg == "" {
		if b, ok := analysis.LookupBuiltin(bare); ok {
			if avail, _ := b.Available(s.Config.Dialect); avail {
				return "", fmt.Errorf("%q is a builtin: a %s with that name would hide it", bare, sym.Kind)
			}
		}
	}
	return sg + bare, nil
}

// ErrNameTaken is the error of a [Rename] to a name the symbol's scope
// already has: the rename would merge two maps, variables or macros.
var ErrNameTaken = errors.New("the name is already in use")

// checkNameFree refuses name when it already names something sym's
// occurrences would merge with: any map (maps are global), any macro or fn,
// or a variable or macro parameter in the same probe, fn or macro.
func checkNameFree(s *analysis.Snapshot, sym *analysis.Symbol, name string) error {
	if name == sym.Name {
		return nil
	}
	scope := enclosingItem(s.File, sym.Def)
	for _, other := range s.SymbolIndex().Named(name, sym.Def.Start) { // the globals and sym's probe, not every symbol
		if other == sym || other.Name != name {
			continue
		}
		switch {
		case sym.Kind == analysis.SymbolMap && other.Kind == analysis.SymbolMap,
			sym.Kind == analysis.SymbolMacro && other.Kind == analysis.SymbolMacro:
		case isLocal(sym.Kind) && isLocal(other.Kind) && scope != nil && enclosingItem(s.File, other.Def) == scope:
		default:
			continue
		}
		l, c := s.File.Lines.Position(other.Def.Start)
		return fmt.Errorf("cannot rename %s to %s: %w by the %s defined at line %d, column %d", sym.Name, name, ErrNameTaken, other.Kind, l, c)
	}
	if sym.Kind == analysis.SymbolMacro {
		for _, it := range s.File.Decls() {
			if fn, ok := it.(*syntax.FuncDecl); ok && fn.Name != nil && fn.Name.Name == name {
				l, c := s.File.Lines.Position(fn.Name.Pos())
				return fmt.Errorf("cannot rename %s to %s: %w by the fn defined at line %d, column %d", sym.Name, name, ErrNameTaken, l, c)
			}
		}
	}
	return nil
}

// isLocal reports whether symbols of kind k live in one probe, fn or macro.
func isLocal(k analysis.SymbolKind) bool {
	return k == analysis.SymbolVariable || k == analysis.SymbolMacroParam
}

// enclosingItem is the top-level item holding span, or nil. It reads only
// that item.
func enclosingItem(f *syntax.File, span syntax.Span) syntax.Item {
	for i := max(0, f.ItemIndexAt(span.Start)); i < f.NumItems() && f.ItemSpan(i).Start <= span.Start; i++ {
		if sp := f.ItemSpan(i); sp.Start <= span.Start && span.End <= sp.End {
			return f.Item(i)
		}
	}
	return nil
}

// nameSpan narrows an occurrence to the name itself: a map occurrence
// "@m[k]" becomes "@m".
func nameSpan(f *syntax.File, r syntax.Span, name string) syntax.Span {
	if int(r.End) > f.Len() || r.Start < 0 || r.End < r.Start {
		return r
	}
	text := f.SpanText(r)
	switch {
	case strings.HasPrefix(text, name):
		return syntax.Span{Start: r.Start, End: r.Start + syntax.Pos(len(name))}
	case sigil(name) != "" && strings.HasPrefix(text, name[1:]):
		return syntax.Span{Start: r.Start, End: r.Start + syntax.Pos(len(name)-1)}
	}
	return r
}

// builtinAt returns the builtin name under pos, "" when there is none.
func builtinAt(f *syntax.File, pos syntax.Pos) string {
	item := itemAt(f, pos)
	if item == nil {
		return ""
	}
	path := nodePath(item, pos)
	if len(path) == 0 {
		return ""
	}
	if id, ok := path[len(path)-1].(*syntax.Ident); ok {
		if _, ok := analysis.LookupBuiltin(id.Name); ok {
			return id.Name
		}
	}
	return ""
}
