package ide

// This file implements completion inside probe, macro and function bodies:
// fields after '.' and '->', maps after '@', variables after '$', and
// otherwise builtins, macros, keywords and kernel struct names.

import (
	"context"
	"sort"
	"strconv"
	"strings"

	"github.com/bpfls/bpfls/analysis"
	"github.com/bpfls/bpfls/analysis/syntax"
	"github.com/bpfls/bpfls/btfindex"
)

// completeBody completes the word ending at pos inside item's body.
func completeBody(ctx context.Context, s *analysis.Snapshot, item syntax.Node, pos syntax.Pos) CompletionList {
	n := nearPos(s.File, pos)
	src := n.src // indexed by n.rel(offset)
	start := n.base + wordStart(src, n.rel(pos))
	word := string(src[n.rel(start):n.rel(pos)])
	span := syntax.Span{Start: start, End: pos}
	if l, ok := completeOffsetof(ctx, s, item, start, word, span); ok {
		return l
	}
	if opPos, ok := accessBefore(src, n.rel(start)); ok && word == strings.TrimLeft(word, "$@") {
		return completeFields(ctx, s, item, n.base+opPos, word, span)
	}
	var items []CompletionItem
	switch {
	case strings.HasPrefix(word, "@"):
		items = mapItems(s, start)
	case strings.HasPrefix(word, "$"):
		items = varItems(item, start, s.Config.Dialect.Version)
	case typeKeywordBefore(src, n.rel(start)) != "":
		return completeTypeNames(ctx, s, typeKeywordBefore(src, n.rel(start)), word, span)
	default:
		items = identItems(ctx, s, item)
		items = append(items, cConstItems(ctx, s, word)...)
		items = append(items, enumItems(s.Config.Kernel, word)...)
		items = append(items, mapItems(s, start)...)
		items = append(items, varItems(item, start, s.Config.Dialect.Version)...)
	}
	items, capped := filterPrefix(items, word)
	return CompletionList{Items: items, Span: span, Incomplete: capped}
}

// accessBefore reports whether the word starting at start follows '.' or
// '->' (a field access), and where that operator is.
func accessBefore(src []byte, start syntax.Pos) (syntax.Pos, bool) {
	i := int(start)
	for i > 0 && (src[i-1] == ' ' || src[i-1] == '\t') {
		i--
	}
	switch {
	case i >= 2 && src[i-2] == '-' && src[i-1] == '>':
		return syntax.Pos(i - 2), true
	case i >= 1 && src[i-1] == '.' && (i < 2 || src[i-2] != '.') && (i < 2 || !isDecDigit(src[i-2]) || isWordBefore(src, i-1)):
		return syntax.Pos(i - 1), true
	}
	return 0, false
}

func isDecDigit(c byte) bool { return c >= '0' && c <= '9' }

// isWordBefore reports whether an identifier (not a number) ends at i:
// "$t.0." is a tuple field, "1." is not an access.
func isWordBefore(src []byte, i int) bool {
	j := i
	for j > 0 && isWordByte(src[j-1]) {
		j--
	}
	return j < i && !isDecDigit(src[j])
}

// accessBase finds the expression before the access operator at opPos.
func accessBase(item syntax.Node, opPos syntax.Pos) syntax.Expr {
	var base syntax.Expr
	syntax.Inspect(item, func(n syntax.Node) bool {
		if n == nil {
			return true
		}
		if n.Pos() > opPos || n.End() < opPos {
			return false // opPos is not inside: skip the subtree
		}
		if fe, ok := n.(*syntax.FieldExpr); ok && fe.OpPos == opPos {
			base = fe.X
			return false
		}
		if e, ok := n.(syntax.Expr); ok && base == nil && isOperand(e) && n.End() == opPos {
			base = e // the outermost operand ending at the operator
		}
		return true
	})
	return base
}

// isOperand reports whether e can be the left side of a field access as
// written (a binary expression ending before '.' is not: '.' binds tighter).
func isOperand(e syntax.Expr) bool {
	switch e.(type) {
	case *syntax.Ident, *syntax.VarExpr, *syntax.MapExpr, *syntax.FieldExpr, *syntax.IndexExpr,
		*syntax.ParenExpr, *syntax.CallExpr:
		return true
	}
	return false
}

// completeFields proposes the fields of the expression before opPos.
func completeFields(ctx context.Context, s *analysis.Snapshot, item syntax.Node, opPos syntax.Pos, word string, span syntax.Span) CompletionList {
	base := accessBase(item, opPos)
	if base == nil {
		return CompletionList{}
	}
	t := analysis.NewTyper(ctx, s, item)
	var items []CompletionItem
	if analysis.IsArgs(base) {
		items = argsFieldItems(t.Contexts())
	} else if r, ok := t.Record(t.TypeOf(base)); ok {
		items = recordFieldItems(r)
	}
	items, capped := filterPrefix(items, word)
	return CompletionList{Items: items, Span: span, Incomplete: capped}
}

// argsFieldItems lists the args fields of every instance; a field missing
// from some instances says where it exists ("only in tcp_sendmsg").
func argsFieldItems(pcs []*analysis.ProbeContext) []CompletionItem {
	type field struct {
		typ string
		in  []string
	}
	fields := map[string]*field{}
	var order []string
	known := 0
	for _, pc := range pcs {
		if !pc.HasArgs || pc.Args == nil {
			continue
		}
		known++
		for _, a := range pc.Args {
			f := fields[a.Name]
			if f == nil {
				f = &field{typ: a.Type.C}
				fields[a.Name] = f
				order = append(order, a.Name)
			}
			f.in = append(f.in, pc.Target)
		}
	}
	items := make([]CompletionItem, 0, len(order))
	for _, name := range order {
		f := fields[name]
		it := CompletionItem{Label: name, Kind: CompleteField, Insert: name, Detail: f.typ, Sort: "0"}
		if len(f.in) < known {
			it.Detail = f.typ + " — only in " + targetList(f.in)
			it.Sort = "1"
		}
		items = append(items, it)
	}
	return items
}

// targetList names up to three targets: "a, b, c and 4 more".
func targetList(in []string) string {
	if len(in) <= 3 {
		return strings.Join(in, ", ")
	}
	return strings.Join(in[:3], ", ") + " and " + strconv.Itoa(len(in)-3) + " more"
}

// recordFieldItems lists the members of a kernel struct or union.
func recordFieldItems(r *btfindex.Record) []CompletionItem {
	items := make([]CompletionItem, 0, len(r.Members))
	for _, m := range r.Members {
		if m.Name == "" {
			continue
		}
		items = append(items, CompletionItem{Label: m.Name, Kind: CompleteField, Insert: m.Name,
			Detail: m.Type.C, Doc: memberPlace(m)})
	}
	return items
}

// mapItems lists the maps of the file, except a word being typed at skip.
// The names come from the analysis, so that no probe is read, and from
// the declarations (macro and fn bodies, map declarations); only without
// the analysis' names is every item read.
func mapItems(s *analysis.Snapshot, skip syntax.Pos) []CompletionItem {
	f := s.File
	seen := map[string]bool{}
	var items []CompletionItem
	add := func(name string) {
		if name == "" || seen[name] {
			return
		}
		seen[name] = true
		items = append(items, CompletionItem{Label: "@" + name, Kind: CompleteMap, Insert: "@" + name, Detail: "map", Sort: "3"})
	}
	scan := func(it syntax.Node) {
		syntax.Inspect(it, func(n syntax.Node) bool {
			if m, ok := n.(*syntax.MapExpr); ok && m.At != skip {
				add(m.Name)
			}
			return true
		})
	}
	if names, ok := s.MapNames(); ok {
		typed := typedMap(s, skip)
		for _, name := range names {
			if name != typed {
				add(strings.TrimPrefix(name, "@"))
			}
		}
		for _, it := range f.Decls() {
			scan(it)
		}
	} else {
		for _, it := range f.Items() {
			scan(it)
		}
	}
	sort.SliceStable(items, func(i, j int) bool { return items[i].Label < items[j].Label })
	return items
}

// typedMap is the name ("@name") of the map whose only use the analysis
// knows is the word being typed at skip, which completion does not
// propose; "" when none.
func typedMap(s *analysis.Snapshot, skip syntax.Pos) string {
	sym, ok := s.SymbolIndex().StartingAt(skip)
	if !ok || sym.Kind != analysis.SymbolMap {
		return ""
	}
	for _, r := range sym.Refs {
		if r.Start != skip {
			return ""
		}
	}
	return sym.Name
}
