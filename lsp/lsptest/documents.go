package lsptest

import (
	"time"

	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"
)

// Open opens a bpftrace document at version 1.
func (e *Env) Open(u uri.URI, text string) {
	e.T.Helper()
	e.version[u] = 1
	e.Notify(protocol.MethodTextDocumentDidOpen, &protocol.DidOpenTextDocumentParams{
		TextDocument: protocol.TextDocumentItem{URI: u, LanguageID: "bpftrace", Version: 1, Text: text},
	})
}

// Change sends changes as the next version of u and returns that version.
func (e *Env) Change(u uri.URI, changes ...protocol.TextDocumentContentChangeEvent) int32 {
	e.T.Helper()
	e.version[u]++
	v := e.version[u]
	e.ChangeAt(u, v, changes...)
	return v
}

// ChangeAt sends changes as version v of u, whatever the last version was.
func (e *Env) ChangeAt(u uri.URI, v int32, changes ...protocol.TextDocumentContentChangeEvent) {
	e.T.Helper()
	if v > e.version[u] {
		e.version[u] = v
	}
	e.Notify(protocol.MethodTextDocumentDidChange, &protocol.DidChangeTextDocumentParams{
		TextDocument:   protocol.VersionedTextDocumentIdentifier{TextDocumentIdentifier: protocol.TextDocumentIdentifier{URI: u}, Version: v},
		ContentChanges: changes,
	})
}

// Close closes u.
func (e *Env) Close(u uri.URI) {
	e.T.Helper()
	e.Notify(protocol.MethodTextDocumentDidClose, &protocol.DidCloseTextDocumentParams{
		TextDocument: protocol.TextDocumentIdentifier{URI: u},
	})
}

// Edit is a range replacement, for Change.
func Edit(startLine, startChar, endLine, endChar uint32, text string) protocol.TextDocumentContentChangeEvent {
	return &protocol.TextDocumentContentChangePartial{
		Range: protocol.Range{
			Start: protocol.Position{Line: startLine, Character: startChar},
			End:   protocol.Position{Line: endLine, Character: endChar},
		},
		Text: text,
	}
}

// Whole replaces the whole text, for Change.
func Whole(text string) protocol.TextDocumentContentChangeEvent {
	return &protocol.TextDocumentContentChangeWholeDocument{Text: text}
}

// WaitDiagnostics waits for a publication for u that pred accepts and fails
// the test when none arrives in time.
func (e *Env) WaitDiagnostics(u uri.URI, pred func(*protocol.PublishDiagnosticsParams) bool, timeout time.Duration) *protocol.PublishDiagnosticsParams {
	e.T.Helper()
	p := e.Client.Wait(u, pred, timeout)
	if p == nil {
		e.T.Fatalf("no matching diagnostics for %s within %v; got %d publications", u, timeout, len(e.Client.Published(u)))
	}
	return p
}
