package lsp

import (
	"context"
	"fmt"

	"go.lsp.dev/protocol"

	"github.com/bpfls/bpfls/analysis/ide"
)

// DocumentHighlight answers textDocument/documentHighlight: every
// occurrence of the symbol under the cursor, its definition as a write.
func (s *Server) DocumentHighlight(ctx context.Context, params *protocol.DocumentHighlightParams) ([]protocol.DocumentHighlight, error) {
	doc, err := s.store.get(params.TextDocument.URI)
	if err != nil {
		return nil, err
	}
	pos, err := doc.Mapper.PositionOffset(params.Position)
	if err != nil {
		return nil, fmt.Errorf("highlight in %s: %w: %w", doc.URI, err, errInvalidParams)
	}
	hs := ide.Highlights(ctx, doc.Snapshot(), pos)
	if len(hs) == 0 {
		return nil, nil
	}
	out := make([]protocol.DocumentHighlight, len(hs))
	for i, h := range hs {
		kind := protocol.DocumentHighlightKindRead
		if h.Write {
			kind = protocol.DocumentHighlightKindWrite
		}
		out[i] = protocol.DocumentHighlight{Range: s.spanRange(doc, h.Span), Kind: kind}
	}
	return out, nil
}
