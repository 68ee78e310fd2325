package lsp

import (
	"context"

	"go.lsp.dev/protocol"

	"github.com/bpfls/bpfls/analysis/ide"
)

// symbolKinds maps outline entries to protocol symbol kinds.
var symbolKinds = map[ide.DocSymbolKind]protocol.SymbolKind{
	ide.DocSymbolProbe:  protocol.SymbolKindEvent,
	ide.DocSymbolMacro:  protocol.SymbolKindFunction,
	ide.DocSymbolFunc:   protocol.SymbolKindFunction,
	ide.DocSymbolMap:    protocol.SymbolKindVariable,
	ide.DocSymbolConfig: protocol.SymbolKindNamespace,
}

// DocumentSymbol answers textDocument/documentSymbol with the outline:
// probes, macros, functions and maps. Editors ask after nearly every
// change; the document's FileCache reads only the items changed since.
func (s *Server) DocumentSymbol(ctx context.Context, params *protocol.DocumentSymbolParams) (protocol.DocumentSymbolResult, error) {
	doc, err := s.store.get(params.TextDocument.URI)
	if err != nil {
		return nil, err
	}
	syms := doc.whole.DocumentSymbols(ctx, doc.syntaxSnapshot())
	return protocol.DocumentSymbolSlice(s.toDocumentSymbols(doc, syms)), nil
}

func (s *Server) toDocumentSymbols(doc *Document, syms []ide.DocSymbol) []protocol.DocumentSymbol {
	out := make([]protocol.DocumentSymbol, 0, len(syms))
	for _, sym := range syms {
		ds := protocol.DocumentSymbol{
			Name:           sym.Name,
			Kind:           symbolKinds[sym.Kind],
			Range:          s.spanRange(doc, sym.Span),
			SelectionRange: s.spanRange(doc, sym.NameSpan),
			Children:       s.toDocumentSymbols(doc, sym.Children),
		}
		if sym.Detail != "" {
			ds.Detail = &sym.Detail
		}
		out = append(out, ds)
	}
	return out
}
