package ide

import (
	"context"
	"strings"

	"github.com/bpfls/bpfls/analysis"
	"github.com/bpfls/bpfls/analysis/syntax"
)

// DocSymbolKind is what a document symbol names.
type DocSymbolKind uint8

// Kinds of [DocSymbol].
const (
	DocSymbolProbe DocSymbolKind = iota
	DocSymbolMacro
	DocSymbolFunc
	DocSymbolMap
	DocSymbolConfig
)

// DocSymbol is one entry of a document's outline.
type DocSymbol struct {
	Name     string
	Detail   string
	Kind     DocSymbolKind
	Span     syntax.Span // the whole definition
	NameSpan syntax.Span // the part to select; inside Span
	Children []DocSymbol
}

// DocumentSymbols returns the outline of the file: probes (with the maps
// each one writes), macros, functions, map declarations and the config
// block, in source order.
func DocumentSymbols(ctx context.Context, snap *analysis.Snapshot) []DocSymbol {
	var out []DocSymbol
	for _, it := range snap.File.Items() {
		if ctx.Err() != nil {
			return nil
		}
		if sym, ok := itemSymbol(it); ok {
			out = append(out, sym)
		}
	}
	return out
}

// itemSymbol is the outline entry of a top-level item, if it has one.
func itemSymbol(it syntax.Item) (DocSymbol, bool) {
	whole := syntax.Span{Start: it.Pos(), End: it.End()}
	switch x := it.(type) {
	case *syntax.Probe:
		return probeSymbol(x, whole), true
	case *syntax.MacroDecl:
		if x.Name != nil {
			return DocSymbol{Name: x.Name.Name, Detail: "macro", Kind: DocSymbolMacro, Span: whole, NameSpan: nodeSpan(x.Name)}, true
		}
	case *syntax.FuncDecl:
		if x.Name != nil {
			return DocSymbol{Name: x.Name.Name, Detail: "fn", Kind: DocSymbolFunc, Span: whole, NameSpan: nodeSpan(x.Name)}, true
		}
	case *syntax.MapDecl:
		if x.Map != nil {
			detail := ""
			if x.Kind != nil {
				detail = x.Kind.Name
			}
			return DocSymbol{Name: "@" + x.Map.Name, Detail: detail, Kind: DocSymbolMap, Span: whole, NameSpan: mapNameSpanOf(x.Map)}, true
		}
	case *syntax.ConfigBlock:
		return DocSymbol{Name: "config", Kind: DocSymbolConfig, Span: whole, NameSpan: syntax.Span{Start: x.Config, End: x.Config + syntax.Pos(len("config"))}}, true
	}
	return DocSymbol{}, false
}

// probeSymbol names a probe by its attach points and lists the maps it
// writes as children.
func probeSymbol(p *syntax.Probe, whole syntax.Span) DocSymbol {
	names := make([]string, 0, len(p.AttachPoints))
	for _, ap := range p.AttachPoints {
		names = append(names, ap.Raw)
	}
	last := p.AttachPoints[len(p.AttachPoints)-1]
	sym := DocSymbol{
		Name:     strings.Join(names, ", "),
		Kind:     DocSymbolProbe,
		Span:     whole,
		NameSpan: syntax.Span{Start: p.AttachPoints[0].Pos(), End: last.End()},
	}
	seen := map[string]bool{}
	syntax.Inspect(p.Body, func(n syntax.Node) bool {
		var m *syntax.MapExpr
		switch x := n.(type) {
		case *syntax.AssignStmt:
			m, _ = x.LHS.(*syntax.MapExpr)
		case *syntax.IncDecStmt:
			m, _ = x.X.(*syntax.MapExpr)
		}
		if m != nil && !seen[m.Name] {
			seen[m.Name] = true
			ns := mapNameSpanOf(m)
			sym.Children = append(sym.Children, DocSymbol{Name: "@" + m.Name, Kind: DocSymbolMap, Span: ns, NameSpan: ns})
		}
		return true
	})
	return sym
}

func nodeSpan(n syntax.Node) syntax.Span { return syntax.Span{Start: n.Pos(), End: n.End()} }

// mapNameSpanOf is the span of "@name" without any keys.
func mapNameSpanOf(m *syntax.MapExpr) syntax.Span {
	return syntax.Span{Start: m.At, End: m.At + 1 + syntax.Pos(len(m.Name))}
}
