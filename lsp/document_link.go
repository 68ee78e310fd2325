package lsp

import (
	"context"

	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"
)

// DocumentLink answers textDocument/documentLink: each #include line
// whose header is found links to that header.
func (s *Server) DocumentLink(ctx context.Context, params *protocol.DocumentLinkParams) ([]protocol.DocumentLink, error) {
	doc, err := s.store.get(params.TextDocument.URI)
	if err != nil {
		return nil, err
	}
	var out []protocol.DocumentLink
	for _, in := range doc.syntaxSnapshot().Includes() {
		if in.Path == "" {
			continue
		}
		target, tip := uri.File(in.Path), in.Path
		out = append(out, protocol.DocumentLink{Range: s.spanRange(doc, in.Span), Target: &target, Tooltip: &tip})
	}
	return out, nil
}
