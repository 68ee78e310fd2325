package lsp

import (
	"context"

	"go.lsp.dev/protocol"

	"github.com/bpfls/bpfls/analysis/format"
)

// RangeFormatting answers textDocument/rangeFormatting: the top-level items
// (probes, functions, macros, …) the range touches are formatted whole.
func (s *Server) RangeFormatting(ctx context.Context, params *protocol.DocumentRangeFormattingParams) ([]protocol.TextEdit, error) {
	doc, err := s.store.get(params.TextDocument.URI)
	if err != nil {
		return nil, err
	}
	sp, err := doc.Mapper.RangeSpan(params.Range)
	if err != nil {
		return nil, err
	}
	cover, text, ok, err := format.Range(doc.File(), sp)
	if err != nil || !ok {
		return nil, nil
	}
	edits := format.Edits(doc.Text.Slice(int(cover.Start), int(cover.End)), text)
	return s.textEdits(doc, edits, cover.Start), nil
}
