// This file implements the handler chain under the protocol methods.
//
// Notifications run inline on the connection's read loop, so they are
// applied strictly in wire order (go.lsp.dev's default chain releases them
// concurrently and reorders didChange). They must be fast: text sync only
// updates the store and schedules analysis. Requests are released with
// jsonrpc2.Async before anything derives a cancellable context from theirs
// (deriving first crashes jsonrpc2 v1.0.1), then run concurrently and can be
// cancelled with $/cancelRequest. A request therefore sees every
// notification that arrived before it.
//
// protocol.ServerHandler decodes params before it dispatches and calls a
// decoding failure a ParseError (-32700). The frame was valid JSON by then,
// so serveCall answers InvalidParams (-32602) instead, and MethodNotFound
// (-32601) for a method the protocol does not define, whatever its params.
//
// Panics are recovered here, logged with their stack, and answered with
// InternalError; the connection keeps serving. A notification never returns
// an error, because jsonrpc2 v1 ends the connection when one does.

package lsp

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"
	"go.uber.org/zap"
)

var errNoLogger = errors.New("lsp: Config.Logger is nil")

// handler returns the connection's jsonrpc2 handler.
func (s *Server) handler() jsonrpc2.Handler {
	methods := protocol.ServerHandler(s, jsonrpc2.MethodNotFoundHandler)
	calls, cancel := jsonrpc2.CancelHandler(func(ctx context.Context, req *jsonrpc2.Request) (any, error) {
		return s.serveCall(ctx, req, methods)
	})
	return func(ctx context.Context, req *jsonrpc2.Request) (any, error) {
		if !req.IsCall() {
			s.serveNotification(ctx, req, methods, cancel)
			return nil, nil
		}
		if err := s.admit(req.Method()); err != nil {
			s.log.Debug("rejecting request", zap.String("method", req.Method()), zap.Error(err))
			return nil, err
		}
		if req.Method() == protocol.MethodInitialize {
			// Inline, not released: the messages after it must see the
			// negotiated position encoding and settings.
			return s.serveCall(ctx, req, methods)
		}
		jsonrpc2.Async(ctx)
		return calls(ctx, req)
	}
}

// admit applies the lifecycle rules to a request.
func (s *Server) admit(method string) error {
	switch state := s.state.Load(); {
	case state == stateNew && method != protocol.MethodInitialize:
		return jsonrpc2.NewError(jsonrpc2.ServerNotInitialized, "server not initialized")
	case state != stateNew && method == protocol.MethodInitialize:
		return jsonrpc2.NewError(jsonrpc2.InvalidRequest, "initialize was already called")
	case state == stateShutdown:
		return jsonrpc2.NewError(jsonrpc2.InvalidRequest, "server is shutting down")
	}
	return nil
}

// serveCall runs one request, recovering panics and turning a cancelled
// context into RequestCancelled.
func (s *Server) serveCall(ctx context.Context, req *jsonrpc2.Request, methods jsonrpc2.Handler) (result any, err error) {
	method := req.Method()
	start := time.Now()
	defer func() {
		if r := recover(); r != nil {
			logPanic(s.log, "handling a request", r, zap.String("method", method))
			result, err = nil, jsonrpc2.Errorf(jsonrpc2.InternalError, "internal error in %s: %v", method, r)
		}
	}()
	if !serverMethods[method] {
		return nil, jsonrpc2.Errorf(jsonrpc2.MethodNotFound, "method not found: %s", method)
	}
	if s.cfg.BeforeRequest != nil {
		s.cfg.BeforeRequest(ctx, method)
	}
	result, err = methods(ctx, req)
	if errors.Is(err, jsonrpc2.ErrParse) {
		result, err = nil, jsonrpc2.Errorf(jsonrpc2.InvalidParams, "invalid params for %s: %s", method,
			strings.TrimPrefix(err.Error(), jsonrpc2.ErrParse.Error()+": "))
	}
	if ctx.Err() != nil {
		result, err = nil, protocol.ErrRequestCancelled
	}
	s.log.Debug("request", zap.String("method", method), zap.Duration("took", time.Since(start)), zap.Error(err))
	return result, err
}

// serveNotification runs one notification inline. Errors and panics are
// logged, never returned.
func (s *Server) serveNotification(ctx context.Context, req *jsonrpc2.Request, methods jsonrpc2.Handler, cancel func(jsonrpc2.ID)) {
	method := req.Method()
	defer func() {
		if r := recover(); r != nil {
			logPanic(s.log, "handling a notification", r, zap.String("method", method))
		}
	}()
	switch state := s.state.Load(); {
	case method == protocol.MethodCancelRequest:
		s.cancelRequest(req.Params(), cancel)
		return
	case method == protocol.MethodExit:
	case state == stateNew:
		s.log.Warn("dropping notification before initialize", zap.String("method", method))
		return
	case state == stateShutdown:
		s.log.Warn("dropping notification after shutdown", zap.String("method", method))
		return
	}
	if method == protocol.MethodTextDocumentDidChange {
		if params, ok := decodeDidChange(req.Params()); ok { // the fast path for whole documents
			if err := s.DidChange(ctx, params); err != nil {
				s.log.Warn("notification failed", zap.String("method", method), zap.Error(err))
			}
			return
		}
	}
	if _, err := methods(ctx, req); err != nil {
		level := zap.WarnLevel
		if errors.Is(err, jsonrpc2.ErrMethodNotFound) {
			level = zap.DebugLevel // "$/…" and other optional notifications
		}
		s.log.Log(level, "notification failed", zap.String("method", method), zap.Error(err))
	}
}

// cancelRequest handles $/cancelRequest, whose id may be a number or a string.
func (s *Server) cancelRequest(params jsonrpc2.RawMessage, cancel func(jsonrpc2.ID)) {
	var p protocol.CancelParams
	if err := protocol.Unmarshal(params, &p); err != nil {
		s.log.Warn("ignoring malformed $/cancelRequest", zap.Error(err))
		return
	}
	switch id := p.ID.(type) {
	case protocol.Integer:
		cancel(jsonrpc2.NewNumberID(int64(id)))
	case protocol.String:
		cancel(jsonrpc2.NewStringID(string(id)))
	default:
		s.log.Warn("ignoring $/cancelRequest without an id", zap.String("id", fmt.Sprint(p.ID)))
	}
}

// logPanic logs a recovered panic with its stack at Error: a panic is a bug.
// It must be called from the deferred function that recovered, so that the
// stack still shows where the panic happened.
func logPanic(log *zap.Logger, doing string, r any, fields ...zap.Field) {
	log.Error("panic while "+doing, append(fields, zap.Any("panic", r), zap.StackSkip("stack", 1))...)
}

// serverMethods are the client-to-server methods protocol.ServerHandler
// decodes (go.lsp.dev/protocol v1.0.1's serverDispatch). Immutable.
var serverMethods = map[string]bool{
	protocol.MethodInitialize: true, protocol.MethodInitialized: true, protocol.MethodShutdown: true,
	protocol.MethodExit: true, protocol.MethodSetTrace: true, protocol.MethodProgress: true,
	protocol.MethodWindowWorkDoneProgressCancel: true, protocol.MethodTextDocumentDidOpen: true,
	protocol.MethodTextDocumentDidChange: true, protocol.MethodTextDocumentWillSave: true,
	protocol.MethodTextDocumentWillSaveWaitUntil: true, protocol.MethodTextDocumentDidSave: true,
	protocol.MethodTextDocumentDidClose: true, protocol.MethodNotebookDocumentDidOpen: true,
	protocol.MethodNotebookDocumentDidChange: true, protocol.MethodNotebookDocumentDidSave: true,
	protocol.MethodNotebookDocumentDidClose: true, protocol.MethodTextDocumentDeclaration: true,
	protocol.MethodTextDocumentDefinition: true, protocol.MethodTextDocumentTypeDefinition: true,
	protocol.MethodTextDocumentImplementation: true, protocol.MethodTextDocumentReferences: true,
	protocol.MethodTextDocumentPrepareCallHierarchy: true, protocol.MethodCallHierarchyIncomingCalls: true,
	protocol.MethodCallHierarchyOutgoingCalls: true, protocol.MethodTextDocumentPrepareTypeHierarchy: true,
	protocol.MethodTypeHierarchySupertypes: true, protocol.MethodTypeHierarchySubtypes: true,
	protocol.MethodTextDocumentDocumentHighlight: true, protocol.MethodTextDocumentDocumentLink: true,
	protocol.MethodDocumentLinkResolve: true, protocol.MethodTextDocumentHover: true,
	protocol.MethodTextDocumentCodeLens: true, protocol.MethodCodeLensResolve: true,
	protocol.MethodTextDocumentFoldingRange: true, protocol.MethodTextDocumentSelectionRange: true,
	protocol.MethodTextDocumentDocumentSymbol: true, protocol.MethodTextDocumentSemanticTokensFull: true,
	protocol.MethodTextDocumentSemanticTokensFullDelta: true, protocol.MethodTextDocumentSemanticTokensRange: true,
	protocol.MethodTextDocumentInlineValue: true, protocol.MethodTextDocumentInlayHint: true,
	protocol.MethodInlayHintResolve: true, protocol.MethodTextDocumentMoniker: true,
	protocol.MethodTextDocumentCompletion: true, protocol.MethodCompletionItemResolve: true,
	protocol.MethodTextDocumentDiagnostic: true, protocol.MethodWorkspaceDiagnostic: true,
	protocol.MethodTextDocumentSignatureHelp: true, protocol.MethodTextDocumentCodeAction: true,
	protocol.MethodCodeActionResolve: true, protocol.MethodTextDocumentDocumentColor: true,
	protocol.MethodTextDocumentColorPresentation: true, protocol.MethodTextDocumentFormatting: true,
	protocol.MethodTextDocumentRangeFormatting: true, protocol.MethodTextDocumentRangesFormatting: true,
	protocol.MethodTextDocumentOnTypeFormatting: true, protocol.MethodTextDocumentRename: true,
	protocol.MethodTextDocumentPrepareRename: true, protocol.MethodTextDocumentLinkedEditingRange: true,
	protocol.MethodTextDocumentInlineCompletion: true, protocol.MethodWorkspaceSymbol: true,
	protocol.MethodWorkspaceSymbolResolve: true, protocol.MethodWorkspaceDidChangeConfiguration: true,
	protocol.MethodWorkspaceDidChangeWorkspaceFolders: true, protocol.MethodWorkspaceWillCreateFiles: true,
	protocol.MethodWorkspaceWillRenameFiles: true, protocol.MethodWorkspaceWillDeleteFiles: true,
	protocol.MethodWorkspaceDidCreateFiles: true, protocol.MethodWorkspaceDidRenameFiles: true,
	protocol.MethodWorkspaceDidDeleteFiles: true, protocol.MethodWorkspaceDidChangeWatchedFiles: true,
	protocol.MethodWorkspaceExecuteCommand: true, protocol.MethodWorkspaceTextDocumentContent: true,
}
