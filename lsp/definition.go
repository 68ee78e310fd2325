package lsp

import (
	"context"
	"fmt"

	"go.lsp.dev/protocol"

	"github.com/bpfls/bpfls/analysis/ide"
)

// Definition answers textDocument/definition for maps, variables, macros
// and macro parameters.
func (s *Server) Definition(ctx context.Context, params *protocol.DefinitionParams) (protocol.DefinitionResult, error) {
	doc, err := s.store.get(params.TextDocument.URI)
	if err != nil {
		return nil, err
	}
	pos, err := doc.Mapper.PositionOffset(params.Position)
	if err != nil {
		return nil, fmt.Errorf("definition in %s: %w: %w", doc.URI, err, errInvalidParams)
	}
	span, ok := ide.Definition(ctx, doc.Snapshot(), pos)
	if !ok {
		return nil, nil
	}
	return &protocol.Location{URI: doc.URI, Range: s.spanRange(doc, span)}, nil
}
