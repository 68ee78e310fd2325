package lsp

import (
	"context"
	"fmt"

	"go.lsp.dev/protocol"

	"github.com/bpfls/bpfls/analysis/ide"
)

// SemanticTokensRange answers textDocument/semanticTokens/range: the
// tokens of the items the range overlaps, which are all it reads, so an
// editor showing part of a long file gets its colours at the cost of what
// it shows.
func (s *Server) SemanticTokensRange(ctx context.Context, params *protocol.SemanticTokensRangeParams) (*protocol.SemanticTokens, error) {
	doc, err := s.store.get(params.TextDocument.URI)
	if err != nil {
		return nil, err
	}
	span, err := doc.Mapper.RangeSpan(params.Range)
	if err != nil {
		return nil, fmt.Errorf("semantic tokens in %s: %w: %w", doc.URI, err, errInvalidParams)
	}
	toks := ide.SemanticTokensRange(ctx, doc.syntaxSnapshot(), span)
	return &protocol.SemanticTokens{Data: encodeSemanticTokens(doc.Mapper, toks)}, nil
}
