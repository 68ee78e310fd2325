package lsp

import (
	"context"
	"fmt"

	"go.lsp.dev/protocol"

	"github.com/bpfls/bpfls/analysis/ide"
)

// SelectionRange answers textDocument/selectionRange: for each position, the
// chain of enclosing syntax from the innermost node out to the whole file.
func (s *Server) SelectionRange(ctx context.Context, params *protocol.SelectionRangeParams) ([]protocol.SelectionRange, error) {
	doc, err := s.store.get(params.TextDocument.URI)
	if err != nil {
		return nil, err
	}
	snap := doc.syntaxSnapshot()
	out := make([]protocol.SelectionRange, 0, len(params.Positions))
	for _, p := range params.Positions {
		pos, err := doc.Mapper.PositionOffset(p)
		if err != nil {
			return nil, fmt.Errorf("selection range in %s: %w: %w", doc.URI, err, errInvalidParams)
		}
		spans := ide.SelectionRanges(ctx, snap, pos)
		var chain *protocol.SelectionRange
		for i := len(spans) - 1; i >= 0; i-- {
			chain = &protocol.SelectionRange{Range: s.spanRange(doc, spans[i]), Parent: chain}
		}
		out = append(out, *chain)
	}
	return out, nil
}
