package lsp

import (
	"context"

	"go.lsp.dev/protocol"

	"github.com/bpfls/bpfls/analysis/ide"
)

var foldKinds = map[ide.FoldKind]protocol.FoldingRangeKind{
	ide.FoldRegion:  protocol.FoldingRangeKindRegion,
	ide.FoldComment: protocol.FoldingRangeKindComment,
	ide.FoldImports: protocol.FoldingRangeKindImports,
}

// FoldingRanges answers textDocument/foldingRange. Folds are whole lines: a
// block folds up to the line before its closing brace, which stays visible.
// The document's FileCache reads only the items changed since it last
// answered.
func (s *Server) FoldingRanges(ctx context.Context, params *protocol.FoldingRangeParams) ([]protocol.FoldingRange, error) {
	doc, err := s.store.get(params.TextDocument.URI)
	if err != nil {
		return nil, err
	}
	end := doc.largeRun() // may parse every item again
	folds := doc.whole.Folds(ctx, doc.syntaxSnapshot())
	end()
	defer s.afterWholeFile(doc)
	out := make([]protocol.FoldingRange, 0, len(folds))
	for _, f := range folds {
		r := s.spanRange(doc, f.Span)
		end := r.End.Line
		if f.Kind == ide.FoldRegion && r.End.Character > 0 {
			end-- // keep the closing brace's line visible
		}
		if end <= r.Start.Line {
			continue
		}
		out = append(out, protocol.FoldingRange{StartLine: r.Start.Line, EndLine: end, Kind: foldKinds[f.Kind]})
	}
	return out, nil
}
