package lsp

import (
	"context"

	"go.lsp.dev/protocol"
	"go.uber.org/zap"

	"github.com/bpfls/bpfls/analysis/ide"
	"github.com/bpfls/bpfls/analysis/syntax"
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
	end := doc.largeRun() // may parse every item again
	syms := doc.whole.DocumentSymbols(ctx, doc.syntaxSnapshot())
	end()
	defer s.afterWholeFile(doc)
	return protocol.DocumentSymbolSlice(s.toDocumentSymbols(doc, syms)), nil
}

// toDocumentSymbols converts an outline. The offsets of each symbol are
// converted in source order (start, name, children, end) by one cursor,
// which needs no line-table search for offsets on the line of the last.
func (s *Server) toDocumentSymbols(doc *Document, syms []ide.DocSymbol) []protocol.DocumentSymbol {
	return s.convertSymbols(doc, newCursor(doc.Mapper), syms)
}

func (s *Server) convertSymbols(doc *Document, c *cursor, syms []ide.DocSymbol) []protocol.DocumentSymbol {
	out := make([]protocol.DocumentSymbol, 0, len(syms))
	for _, sym := range syms {
		ds := protocol.DocumentSymbol{Name: sym.Name, Kind: symbolKinds[sym.Kind]}
		ds.Range.Start = s.symbolPosition(doc, c, sym.Span, false)
		ds.SelectionRange.Start = s.symbolPosition(doc, c, sym.NameSpan, false)
		ds.SelectionRange.End = s.symbolPosition(doc, c, sym.NameSpan, true)
		ds.Children = s.convertSymbols(doc, c, sym.Children)
		ds.Range.End = s.symbolPosition(doc, c, sym.Span, true)
		if sym.Detail != "" {
			ds.Detail = &sym.Detail
		}
		out = append(out, ds)
	}
	return out
}

// symbolPosition converts the start or end of sp: by c when sp lies in
// the document, else as spanRange does (clamped, logged).
func (s *Server) symbolPosition(doc *Document, c *cursor, sp syntax.Span, end bool) protocol.Position {
	if sp.Start < 0 || sp.End < sp.Start || int(sp.End) > doc.Text.Len() {
		if r := s.spanRange(doc, sp); end {
			return r.End
		} else {
			return r.Start
		}
	}
	off := sp.Start
	if end {
		off = sp.End
	}
	p, err := c.position(off)
	if err != nil { // cannot happen for an offset in the document
		s.log.Error("converting an offset", zap.Error(err))
	}
	return p
}
