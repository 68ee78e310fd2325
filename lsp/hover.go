package lsp

import (
	"context"
	"fmt"

	"go.lsp.dev/protocol"
	"go.uber.org/zap"

	"github.com/bpfls/bpfls/analysis/ide"
)

// Hover answers textDocument/hover. It only translates; ide.Hover
// decides what to show.
func (s *Server) Hover(ctx context.Context, params *protocol.HoverParams) (*protocol.Hover, error) {
	doc, err := s.store.get(params.TextDocument.URI)
	if err != nil {
		return nil, err
	}
	pos, err := doc.Mapper.PositionOffset(params.Position)
	if err != nil {
		return nil, fmt.Errorf("hover in %s: %w: %w", doc.URI, err, errInvalidParams)
	}
	h, ok := ide.Hover(ctx, doc.Snapshot(), pos)
	if !ok {
		return nil, nil
	}
	rng := s.spanRange(doc, h.Span)
	s.log.Debug("hover", zap.String("uri", string(doc.URI)), zap.Int32("version", doc.Version))
	return &protocol.Hover{Contents: &protocol.MarkupContent{Kind: protocol.MarkupKindMarkdown, Value: h.Markdown}, Range: &rng}, nil
}
