package lsp

import (
	"context"
	"fmt"

	"go.lsp.dev/protocol"

	"github.com/bpfls/bpfls/analysis/ide"
)

// SignatureHelp answers textDocument/signatureHelp for calls of builtins
// and macros.
func (s *Server) SignatureHelp(ctx context.Context, params *protocol.SignatureHelpParams) (*protocol.SignatureHelp, error) {
	doc, err := s.store.get(params.TextDocument.URI)
	if err != nil {
		return nil, err
	}
	pos, err := doc.Mapper.PositionOffset(params.Position)
	if err != nil {
		return nil, fmt.Errorf("signature help in %s: %w: %w", doc.URI, err, errInvalidParams)
	}
	snap := doc.syntaxSnapshot()
	h, ok := ide.SignatureHelpAt(ctx, snap, pos)
	if !ok {
		return nil, nil
	}
	sigs := make([]protocol.SignatureInformation, len(h.Signatures))
	for i, sg := range h.Signatures {
		params := make([]protocol.ParameterInformation, len(sg.Params))
		for j, p := range sg.Params {
			params[j] = protocol.ParameterInformation{Label: protocol.String(sg.Label[p.Start:p.End])}
		}
		sigs[i] = protocol.SignatureInformation{Label: sg.Label, Parameters: params}
		if sg.Doc != "" {
			sigs[i].Documentation = &protocol.MarkupContent{Kind: protocol.MarkupKindMarkdown, Value: sg.Doc}
		}
	}
	active, param := uint32(h.Active), uint32(h.ActiveParam)
	return &protocol.SignatureHelp{Signatures: sigs, ActiveSignature: &active, ActiveParameter: protocol.NewNullable(param)}, nil
}
