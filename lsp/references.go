package lsp

import (
	"context"
	"fmt"

	"go.lsp.dev/protocol"

	"github.com/bpfls/bpfls/analysis/ide"
)

// References answers textDocument/references for maps, variables, macros
// and macro parameters.
func (s *Server) References(ctx context.Context, params *protocol.ReferenceParams) ([]protocol.Location, error) {
	doc, err := s.store.get(params.TextDocument.URI)
	if err != nil {
		return nil, err
	}
	pos, err := doc.Mapper.PositionOffset(params.Position)
	if err != nil {
		return nil, fmt.Errorf("references in %s: %w: %w", doc.URI, err, errInvalidParams)
	}
	spans := ide.References(ctx, doc.Snapshot(), pos, params.Context.IncludeDeclaration)
	if len(spans) == 0 {
		return nil, nil
	}
	out := make([]protocol.Location, len(spans))
	for i, sp := range spans {
		out[i] = protocol.Location{URI: doc.URI, Range: s.spanRange(doc, sp)}
	}
	return out, nil
}
