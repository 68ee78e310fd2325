package lsp

import (
	"context"
	"slices"

	"go.lsp.dev/protocol"
	"go.uber.org/zap"
)

// serverVersion is reported in serverInfo.
const serverVersion = "0.1.0-dev"

// Initialize answers initialize: it picks the position encoding, reads the
// settings in initializationOptions, and advertises what is implemented.
func (s *Server) Initialize(ctx context.Context, params *protocol.InitializeParams) (*protocol.InitializeResult, error) {
	enc := UTF16
	if g := params.Capabilities.General; g != nil && slices.Contains(g.PositionEncodings, protocol.PositionEncodingKindUTF8) {
		enc = UTF8
	}
	s.encoding.Store(uint32(enc))
	s.store.setEncoding(enc)
	s.snippets.Store(snippetSupport(params.Capabilities))

	settings := DefaultSettings()
	if len(params.InitializationOptions) > 0 {
		var problems []string
		settings, problems = ParseSettings(params.InitializationOptions)
		s.reportSettingsProblems(problems)
	}
	s.applySettings(settings)
	s.state.Store(stateInitialized)
	s.log.Info("initialized",
		zap.String("client", params.ClientInfo.Name),
		zap.Stringer("positionEncoding", enc),
		zap.Bool("snippets", s.snippets.Load()),
		zap.Bool("workspace", params.RootURI != nil || !params.WorkspaceFolders.IsZero()))
	return &protocol.InitializeResult{
		Capabilities: capabilities(enc),
		ServerInfo:   protocol.ServerInfo{Name: "bpfls", Version: protocol.NewOptional(serverVersion)},
	}, nil
}

// snippetSupport reports whether the client accepts snippet syntax in
// completion items; without it, completion sends plain text (completion.go).
func snippetSupport(c protocol.ClientCapabilities) bool {
	td := c.TextDocument
	if td == nil || td.Completion == nil || td.Completion.CompletionItem == nil {
		return false
	}
	ok := td.Completion.CompletionItem.SnippetSupport
	return ok != nil && *ok
}

// capabilities lists what the server implements; nothing else is advertised.
func capabilities(enc Encoding) protocol.ServerCapabilities {
	openClose := true
	change := protocol.TextDocumentSyncKindIncremental
	return protocol.ServerCapabilities{
		PositionEncoding: protocol.PositionEncodingKind(enc.String()),
		TextDocumentSync: &protocol.TextDocumentSyncOptions{OpenClose: &openClose, Change: &change,
			Save: &protocol.SaveOptions{IncludeText: new(false)}}, // didSave triggers verification (verify.go)
		ExecuteCommandProvider: protocol.ExecuteCommandOptions{Commands: []string{commandVerify, commandStatus}},

		CompletionProvider:              &protocol.CompletionOptions{TriggerCharacters: []string{":", ".", ">", "@", "$"}, ResolveProvider: new(true)},
		HoverProvider:                   protocol.Boolean(true),
		SignatureHelpProvider:           &protocol.SignatureHelpOptions{TriggerCharacters: []string{"(", ","}},
		DefinitionProvider:              protocol.Boolean(true),
		ReferencesProvider:              protocol.Boolean(true),
		DocumentHighlightProvider:       protocol.Boolean(true),
		RenameProvider:                  &protocol.RenameOptions{PrepareProvider: new(true)},
		InlayHintProvider:               protocol.Boolean(true),
		CodeActionProvider:              &protocol.CodeActionOptions{CodeActionKinds: codeActionKinds},
		DocumentSymbolProvider:          protocol.Boolean(true),
		FoldingRangeProvider:            protocol.Boolean(true),
		DocumentLinkProvider:            &protocol.DocumentLinkOptions{},
		SelectionRangeProvider:          protocol.Boolean(true),
		DocumentFormattingProvider:      protocol.Boolean(true),
		DocumentRangeFormattingProvider: protocol.Boolean(true),
		SemanticTokensProvider: &protocol.SemanticTokensOptions{
			Legend: semanticTokensLegend(),
			Full:   protocol.Boolean(true),
			Range:  protocol.Boolean(true),
		},
	}
}

// Initialized handles the initialized notification: from now on the client
// may receive bpfls/status notifications.
func (s *Server) Initialized(ctx context.Context, params *protocol.InitializedParams) error {
	s.log.Debug("client initialized")
	s.statusMu.Lock()
	s.statusReady = true
	s.statusMu.Unlock()
	s.sendStatus() // settings applied during initialize
	return nil
}
