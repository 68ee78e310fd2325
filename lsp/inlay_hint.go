package lsp

import (
	"context"
	"fmt"

	"go.lsp.dev/protocol"

	"github.com/bpfls/bpfls/analysis/ide"
)

// InlayHint answers textDocument/inlayHint: inferred types at first
// assignments, the match counts of wildcard attach points, and parameter
// names before literal arguments.
func (s *Server) InlayHint(ctx context.Context, params *protocol.InlayHintParams) ([]protocol.InlayHint, error) {
	doc, err := s.store.get(params.TextDocument.URI)
	if err != nil {
		return nil, err
	}
	span, err := doc.Mapper.RangeSpan(params.Range)
	if err != nil {
		return nil, fmt.Errorf("inlay hints in %s: %w: %w", doc.URI, err, errInvalidParams)
	}
	hints := ide.InlayHints(ctx, doc.Snapshot(), span)
	out := make([]protocol.InlayHint, 0, len(hints))
	padded := true
	for _, h := range hints {
		pos, err := doc.Mapper.OffsetPosition(h.Pos)
		if err != nil {
			continue // a hint outside the text is an analysis bug, not the client's
		}
		ih := protocol.InlayHint{Position: pos, Label: protocol.String(h.Label)}
		switch h.Kind {
		case ide.InlayType:
			ih.Kind = protocol.InlayHintKindType
		case ide.InlayCount:
			ih.PaddingLeft = &padded
		case ide.InlayParam:
			ih.Kind = protocol.InlayHintKindParameter
			ih.PaddingRight = &padded
		}
		out = append(out, ih)
	}
	return out, nil
}
