package lsp

import (
	"context"
	"fmt"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"

	"github.com/bpfls/bpfls/analysis/ide"
)

// PrepareRename answers textDocument/prepareRename: the name under the
// cursor, or an error the client shows when it cannot be renamed.
func (s *Server) PrepareRename(ctx context.Context, params *protocol.PrepareRenameParams) (protocol.PrepareRenameResult, error) {
	doc, err := s.store.get(params.TextDocument.URI)
	if err != nil {
		return nil, err
	}
	pos, err := doc.Mapper.PositionOffset(params.Position)
	if err != nil {
		return nil, fmt.Errorf("prepare rename in %s: %w: %w", doc.URI, err, errInvalidParams)
	}
	span, name, err := ide.PrepareRename(ctx, doc.Snapshot(), pos)
	if err != nil {
		return nil, jsonrpc2.NewError(jsonrpc2.InvalidParams, err.Error())
	}
	return &protocol.PrepareRenamePlaceholder{Range: s.spanRange(doc, span), Placeholder: name}, nil
}

// Rename answers textDocument/rename with the edits to this document.
func (s *Server) Rename(ctx context.Context, params *protocol.RenameParams) (*protocol.WorkspaceEdit, error) {
	doc, err := s.store.get(params.TextDocument.URI)
	if err != nil {
		return nil, err
	}
	pos, err := doc.Mapper.PositionOffset(params.Position)
	if err != nil {
		return nil, fmt.Errorf("rename in %s: %w: %w", doc.URI, err, errInvalidParams)
	}
	edits, err := ide.Rename(ctx, doc.Snapshot(), pos, params.NewName)
	if err != nil {
		return nil, jsonrpc2.NewError(jsonrpc2.InvalidParams, err.Error())
	}
	out := make([]protocol.TextEdit, len(edits))
	for i, e := range edits {
		out[i] = protocol.TextEdit{Range: s.spanRange(doc, e.Span), NewText: e.NewText}
	}
	return &protocol.WorkspaceEdit{Changes: map[uri.URI][]protocol.TextEdit{doc.URI: out}}, nil
}
