package ide

// This file implements inlay hints: the inferred type of each variable and
// map at its first assignment, the number of matches after a wildcard
// attach point, and parameter names before literal arguments.

import (
	"context"
	"sort"
	"strconv"
	"strings"

	"github.com/bpfls/bpfls/analysis"
	"github.com/bpfls/bpfls/analysis/syntax"
	"github.com/bpfls/bpfls/btfindex"
)

// InlayKind says what an inlay hint shows.
type InlayKind uint8

// Kinds of [InlayHint].
const (
	InlayType  InlayKind = iota + 1 // ": count_t" after a variable or map
	InlayCount                      // "37 matches" after a wildcard attach point
	InlayParam                      // "min:" before a literal argument
)

// InlayHint is a label shown at Pos, between the characters.
type InlayHint struct {
	Pos   syntax.Pos
	Label string
	Kind  InlayKind
}

// InlayHints returns the hints of the items overlapping span, in order. It
// reads those items and the file's declarations; of the probes before the
// span, only those holding an earlier use of a map the span assigns, to
// learn whether the span's assignment is the map's first.
func InlayHints(ctx context.Context, s *analysis.Snapshot, span syntax.Span) []InlayHint {
	var hints []InlayHint
	f := s.File
	from, to := f.ItemsOverlapping(span)
	if from == to {
		return nil
	}
	idx := s.SymbolIndex()
	seen := &seenMaps{s: s, idx: idx, names: map[string]bool{}, before: f.ItemSpan(from).Start}
	for _, d := range f.Decls() { // maps first assigned in a macro or fn body before the span
		if d.End() < seen.before {
			assignHints(ctx, s, idx, d, seen, false)
		}
	}
	for i := from; i < to; i++ {
		if ctx.Err() != nil {
			break
		}
		item := f.Item(i)
		if p, ok := item.(*syntax.Probe); ok {
			hints = append(hints, wildcardHints(s, p)...)
		}
		hints = append(hints, assignHints(ctx, s, idx, item, seen, true)...)
		hints = append(hints, paramHints(s, item)...)
	}
	sort.SliceStable(hints, func(i, j int) bool { return hints[i].Pos < hints[j].Pos })
	return hints
}

// seenMaps tells whether a map was assigned with "=" before, in source
// order: names holds those seen in the items read so far, and the uses
// of a map before the first item read are looked up through the symbol
// index, reading only the items that hold them.
type seenMaps struct {
	s      *analysis.Snapshot
	idx    *analysis.SymbolIndex
	names  map[string]bool
	before syntax.Pos // the start of the first item read in full
}

// first reports whether m, assigned with "=", is its map's first such
// assignment, and notes it.
func (sm *seenMaps) first(m *syntax.MapExpr) bool {
	if sm.names[m.Name] {
		return false
	}
	sm.names[m.Name] = true
	return !sm.assignedBefore(m)
}

// assignedBefore reports whether the map of m is assigned with "=" in a
// probe before sm.before.
func (sm *seenMaps) assignedBefore(m *syntax.MapExpr) bool {
	f := sm.s.File
	sym, ok := sm.idx.StartingAt(m.Pos())
	if !ok || sym.Kind != analysis.SymbolMap {
		// No map symbol (a macro's map parameter): the probes before it
		// cannot assign the parameter.
		return false
	}
	for _, r := range sym.Refs {
		if r.Start >= sm.before {
			break
		}
		i := f.ItemIndexAt(r.Start)
		if i < 0 || !f.IsProbe(i) { // declarations were read in full
			continue
		}
		if assignsMapAt(f.Item(i), r.Start) {
			return true
		}
	}
	return false
}

// assignsMapAt reports whether item assigns, with "=", the map named at
// pos.
func assignsMapAt(item syntax.Node, pos syntax.Pos) bool {
	found := false
	syntax.Inspect(item, func(n syntax.Node) bool {
		if a, ok := n.(*syntax.AssignStmt); ok && a.Op == syntax.Assign {
			if m, ok := a.LHS.(*syntax.MapExpr); ok && m.Pos() == pos {
				found = true
			}
		}
		return !found
	})
	return found
}

// wildcardHints counts the matches of each wildcard attach point of p.
func wildcardHints(s *analysis.Snapshot, p *syntax.Probe) []InlayHint {
	k := s.Config.Kernel
	if k == nil {
		return nil
	}
	var hints []InlayHint
	for _, ap := range p.AttachPoints {
		if !ap.HasWildcard() {
			continue
		}
		n, ok := countMatches(k, ap, s.Config.Dialect.Version)
		if !ok {
			continue
		}
		hints = append(hints, InlayHint{Pos: ap.End(), Label: strconv.Itoa(n) + " " + pluralNoun(n, "match"), Kind: InlayCount})
	}
	return hints
}

// countMatches counts what a wildcard attach point of a kernel-function or
// tracepoint probe matches.
func countMatches(k analysis.Kernel, ap *syntax.AttachPoint, v syntax.Version) (int, bool) {
	prov, ok := analysis.LookupProbeType(ap.Provider, v)
	if !ok || len(ap.Parts) < 2 {
		return 0, false
	}
	last := ap.Parts[len(ap.Parts)-1]
	switch prov.Name {
	case "kprobe", "kretprobe", "fentry", "fexit":
		if !last.Wildcard || strings.Contains(last.Value, "$") {
			return 0, false
		}
		return len(k.Match(btfindex.NameFunc, last.Value)), true
	case "tracepoint":
		if len(ap.Parts) != 3 {
			return 0, false
		}
		return len(k.Match(btfindex.NameTracepoint, ap.Parts[1].Value+":"+last.Value)), true
	}
	return 0, false
}

// assignHints adds a type hint at the first assignment of each variable of
// item and of each map of the file (seen carries maps across items), from
// the symbol index or else the assigned value; hints are kept only when
// emit is set.
func assignHints(ctx context.Context, s *analysis.Snapshot, idx *analysis.SymbolIndex, item syntax.Node, seen *seenMaps, emit bool) []InlayHint {
	var t *analysis.Typer
	typer := func() *analysis.Typer {
		if t == nil {
			t = analysis.NewTyper(ctx, s, item)
		}
		return t
	}
	var hints []InlayHint
	seenVars := map[string]bool{}
	add := func(at, name syntax.Pos, value syntax.Expr) {
		if !emit {
			return
		}
		typ := aggregateType(value)
		if sym, ok := idx.StartingAt(name); ok && typ == "" { // a search of the item, not of the file
			typ = sym.Type
		}
		if typ == "" {
			typ = valueTypeName(typer(), value)
		}
		if typ != "" {
			hints = append(hints, InlayHint{Pos: at, Label: ": " + typ, Kind: InlayType})
		}
	}
	syntax.Inspect(item, func(n syntax.Node) bool {
		switch x := n.(type) {
		case *syntax.AssignStmt:
			switch lhs := x.LHS.(type) {
			case *syntax.VarExpr:
				if !seenVars[lhs.Name] && x.Op == syntax.Assign {
					seenVars[lhs.Name] = true
					add(lhs.End(), lhs.Pos(), x.RHS)
				}
			case *syntax.MapExpr:
				if x.Op == syntax.Assign && seen.first(lhs) {
					add(lhs.End(), lhs.Pos(), x.RHS)
				}
			}
		case *syntax.LetStmt:
			if x.Var != nil && !seenVars[x.Var.Name] {
				seenVars[x.Var.Name] = true
				if x.Type == nil && x.Value != nil {
					add(x.Var.End(), x.Var.Pos(), x.Value)
				}
			}
		}
		return true
	})
	return hints
}

// paramHints names the parameters that literal arguments bind to in calls
// of two or more arguments: lhist(n, min: 0, max: 100, step: 10).
func paramHints(s *analysis.Snapshot, item syntax.Node) []InlayHint {
	var hints []InlayHint
	syntax.Inspect(item, func(n syntax.Node) bool {
		c, ok := n.(*syntax.CallExpr)
		if !ok || c.Fun == nil || len(c.Args) < 2 {
			return true
		}
		names := callParamNames(s, c.Fun.Name, len(c.Args))
		for i, a := range c.Args {
			if i >= len(names) || names[i] == "" || !isLiteral(a) {
				continue
			}
			hints = append(hints, InlayHint{Pos: a.Pos(), Label: names[i] + ":", Kind: InlayParam})
		}
		return true
	})
	return hints
}

// callParamNames names the parameters of the first call form of name that
// takes n arguments; "" marks a parameter not worth a hint (a format, a
// variadic tail).
func callParamNames(s *analysis.Snapshot, name string, n int) []string {
	for _, sg := range callSignatures(s, name) {
		if len(sg.Params) < n && !variadic(sg) {
			continue
		}
		names := make([]string, len(sg.Params))
		for i, p := range sg.Params {
			text := sg.Label[p.Start:p.End]
			if !strings.HasSuffix(text, "...") && !strings.Contains(text, "fmt") {
				names[i] = strings.TrimLeft(paramName(text), "$@")
			}
		}
		return names
	}
	return nil
}

func isLiteral(e syntax.Expr) bool {
	switch e.(type) {
	case *syntax.IntLit, *syntax.StrLit, *syntax.BoolLit:
		return true
	}
	return false
}
