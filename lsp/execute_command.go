package lsp

import (
	"context"
	"encoding/json"
	"fmt"

	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"
)

// commandVerify asks for a verification of one document with the real
// bpftrace. Its only argument is the document's URI, as a string or as a
// TextDocumentIdentifier.
const commandVerify = "bpfls.verify"

// commandStatus returns the current bpfls/status value (status.go); it takes
// no arguments.
const commandStatus = "bpfls.status"

// ExecuteCommand answers workspace/executeCommand. bpfls.status returns
// what the analysis targets. bpfls.verify starts a
// verification and answers at once; its diagnostics arrive by
// publishDiagnostics, and with verification turned off the user gets one
// message saying so and nothing runs.
func (s *Server) ExecuteCommand(ctx context.Context, params *protocol.ExecuteCommandParams) (protocol.LSPAny, error) {
	if params.Command == commandStatus {
		return s.currentStatus()
	}
	if params.Command != commandVerify {
		return nil, fmt.Errorf("unknown command %q: %w", params.Command, errInvalidParams)
	}
	u, err := commandURI(params.Arguments)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", commandVerify, err)
	}
	d, err := s.store.get(u)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", commandVerify, err)
	}
	s.verify.start(d, s.verifySettings())
	return protocol.LSPAny("null"), nil
}

// commandURI reads the document URI from a command's arguments.
func commandURI(args []protocol.LSPAny) (uri.URI, error) {
	if len(args) != 1 {
		return "", fmt.Errorf("want one argument, the document URI; got %d: %w", len(args), errInvalidParams)
	}
	var s string
	if err := json.Unmarshal(args[0], &s); err == nil && s != "" {
		return uri.URI(s), nil
	}
	var id struct {
		URI string `json:"uri"`
	}
	if err := json.Unmarshal(args[0], &id); err == nil && id.URI != "" {
		return uri.URI(id.URI), nil
	}
	return "", fmt.Errorf("argument %s is not a document URI: %w", args[0], errInvalidParams)
}
