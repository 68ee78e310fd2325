package lsp_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"

	"github.com/bpfls/bpfls/lsp"
	"github.com/bpfls/bpfls/lsp/lsptest"
)

const wait = 10 * time.Second

// code returns the JSON-RPC error code of err, or 0.
func code(err error) jsonrpc2.Code {
	var werr *jsonrpc2.Error
	if errors.As(err, &werr) {
		return werr.Code
	}
	return 0
}

// stillServes fails the test unless the server answers a real request about
// an open document.
func stillServes(t *testing.T, e *lsptest.Env) {
	t.Helper()
	const u = uri.URI("file:///still-serves.bt")
	e.Open(u, "BEGIN { exit(); }\n")
	var actions []protocol.CommandOrCodeAction
	err := e.Call(protocol.MethodTextDocumentCodeAction, &protocol.CodeActionParams{
		TextDocument: protocol.TextDocumentIdentifier{URI: u},
	}, &actions)
	if err != nil {
		t.Fatalf("a later request failed: %v", err)
	}
	e.Close(u)
}

func TestRequestBeforeInitialize(t *testing.T) {
	t.Parallel()
	e := lsptest.New(t, lsptest.Options{SkipInitialize: true})
	err := e.Call(protocol.MethodTextDocumentCodeAction, &protocol.CodeActionParams{}, nil)
	if code(err) != jsonrpc2.ServerNotInitialized {
		t.Fatalf("request before initialize: %v, want code %d", err, jsonrpc2.ServerNotInitialized)
	}
	e.Notify(protocol.MethodTextDocumentDidOpen, &protocol.DidOpenTextDocumentParams{
		TextDocument: protocol.TextDocumentItem{URI: "file:///early.bt", Version: 1, Text: "BEGIN {}"},
	})
	e.Initialize(lsptest.Options{})
	err = e.Call(protocol.MethodTextDocumentCodeAction, &protocol.CodeActionParams{TextDocument: protocol.TextDocumentIdentifier{URI: "file:///early.bt"}}, nil)
	if !strings.Contains(fmt.Sprint(err), "not open") {
		t.Errorf("a didOpen before initialize must be dropped; codeAction on it: %v", err)
	}
	err = e.Call(protocol.MethodInitialize, &protocol.InitializeParams{}, nil)
	if code(err) != jsonrpc2.InvalidRequest {
		t.Errorf("second initialize: %v, want code %d", err, jsonrpc2.InvalidRequest)
	}
	stillServes(t, e)
}

func TestPositionEncodingNegotiation(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		offer []string
		want  protocol.PositionEncodingKind
	}{
		{nil, protocol.PositionEncodingKindUTF16},
		{[]string{"utf-16"}, protocol.PositionEncodingKindUTF16},
		{[]string{"utf-32", "utf-8", "utf-16"}, protocol.PositionEncodingKindUTF8},
	} {
		t.Run(fmt.Sprint(tc.offer), func(t *testing.T) {
			t.Parallel()
			e := lsptest.New(t, lsptest.Options{PositionEncodings: tc.offer})
			if got := e.Init.Capabilities.PositionEncoding; got != tc.want {
				t.Errorf("positionEncoding = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestUnknownMethods(t *testing.T) {
	t.Parallel()
	e := lsptest.New(t, lsptest.Options{})
	if err := e.Call("bpfls/noSuchMethod", map[string]int{"x": 1}, nil); code(err) != jsonrpc2.MethodNotFound {
		t.Errorf("unknown request: %v, want code %d", err, jsonrpc2.MethodNotFound)
	}
	if err := e.Call(protocol.MethodTextDocumentDocumentColor, &protocol.DocumentColorParams{}, nil); code(err) != jsonrpc2.MethodNotFound {
		t.Errorf("unimplemented request: %v, want code %d", err, jsonrpc2.MethodNotFound)
	}
	e.Notify("bpfls/noSuchNotification", nil)
	e.Notify("$/setTrace", map[string]string{"value": "verbose"})
	e.Notify("$/somethingOptional", nil)
	stillServes(t, e)
}

func TestShutdownThenExit(t *testing.T) {
	t.Parallel()
	e := lsptest.New(t, lsptest.Options{})
	if err := e.Call(protocol.MethodShutdown, nil, nil); err != nil {
		t.Fatalf("shutdown: %v", err)
	}
	err := e.Call(protocol.MethodTextDocumentCodeAction, &protocol.CodeActionParams{}, nil)
	if code(err) != jsonrpc2.InvalidRequest {
		t.Errorf("request after shutdown: %v, want code %d", err, jsonrpc2.InvalidRequest)
	}
	e.Notify(protocol.MethodExit, nil)
	if done, err := e.Served(wait); !done || err != nil {
		t.Fatalf("after exit: served=%v err=%v, want the server to stop cleanly", done, err)
	}
	if got := e.Exits(); len(got) != 1 || got[0] != 0 {
		t.Errorf("exit codes = %v, want [0]", got)
	}
}

func TestExitWithoutShutdown(t *testing.T) {
	t.Parallel()
	e := lsptest.New(t, lsptest.Options{})
	e.Notify(protocol.MethodExit, nil)
	if done, _ := e.Served(wait); !done {
		t.Fatal("server still running after exit")
	}
	if got := e.Exits(); len(got) != 1 || got[0] != 1 {
		t.Errorf("exit codes = %v, want [1]", got)
	}
}

func TestCancelRequest(t *testing.T) {
	t.Parallel()
	started := make(chan string, 4)
	var hold atomic.Bool
	hold.Store(true)
	e := lsptest.New(t, lsptest.Options{Config: lsp.Config{
		BeforeRequest: func(ctx context.Context, method string) {
			if method == protocol.MethodTextDocumentCodeAction && hold.Load() {
				started <- method
				<-ctx.Done() // held until cancelled
			}
		},
	}})
	e.Open("file:///c.bt", "BEGIN {}\n")
	params := `{"textDocument":{"uri":"file:///c.bt"},"range":{"start":{"line":0,"character":0},"end":{"line":0,"character":0}},"context":{"diagnostics":[]}}`
	for _, id := range []string{`987654`, `"cancel-me"`} {
		e.WriteRaw(lsptest.Frame(`{"jsonrpc":"2.0","id":` + id + `,"method":"textDocument/codeAction","params":` + params + `}`))
		select {
		case <-started:
		case <-time.After(wait):
			t.Fatalf("request %s never started", id)
		}
		e.WriteRaw(lsptest.Frame(`{"jsonrpc":"2.0","method":"$/cancelRequest","params":{"id":` + id + `}}`))
		want := `"id":` + id + `,"error":{"code":-32800`
		if !e.Wire.WaitFor(wait, want) {
			t.Fatalf("no RequestCancelled answer for id %s; wire:\n%s", id, e.Wire)
		}
	}
	e.Notify(protocol.MethodCancelRequest, map[string]any{"id": 424242}) // unknown id: ignored
	e.Notify(protocol.MethodCancelRequest, map[string]any{"nope": true}) // malformed: ignored
	hold.Store(false)
	stillServes(t, e)
}

func TestPanicInHandlerIsRecovered(t *testing.T) {
	t.Parallel()
	var boom atomic.Bool
	boom.Store(true)
	e := lsptest.New(t, lsptest.Options{Config: lsp.Config{
		BeforeRequest: func(ctx context.Context, method string) {
			if method == protocol.MethodTextDocumentCodeAction && boom.Load() {
				panic("test panic")
			}
		},
	}})
	err := e.Call(protocol.MethodTextDocumentCodeAction, &protocol.CodeActionParams{}, nil)
	if code(err) != jsonrpc2.InternalError {
		t.Fatalf("panicking handler: %v, want code %d", err, jsonrpc2.InternalError)
	}
	boom.Store(false)
	stillServes(t, e)
}

func TestMalformedInput(t *testing.T) {
	t.Parallel()
	e := lsptest.New(t, lsptest.Options{})
	e.WriteRaw(lsptest.Frame(`{"jsonrpc":"2.0","id":1,"method":`))                            // truncated JSON
	e.WriteRaw(lsptest.Frame(`hello, world`))                                                 // not JSON
	e.WriteRaw(lsptest.Frame(`[1,2,3]`))                                                      // a batch: not LSP
	e.WriteRaw(lsptest.Frame(`{"jsonrpc":"2.0","id":7,"method":"x","result":1}`))             // mixed roles
	e.WriteRaw("Garbage-Header-Without-Length\r\n\r\n")                                       // no Content-Length
	e.WriteRaw("Content-Length: nope\r\n\r\n")                                                // bad Content-Length
	e.WriteRaw(lsptest.Frame(`{"jsonrpc":"2.0","method":"textDocument/didOpen","params":5}`)) // bad params
	e.WriteRaw(lsptest.Frame(`{"jsonrpc":"2.0","method":"textDocument/didChange","params":{"textDocument":{"uri":"file:///nowhere.bt","version":2},"contentChanges":[]}}`))
	if !e.Wire.WaitFor(wait, `"code":-32700`, `"code":-32600`) {
		t.Fatalf("no ParseError and InvalidRequest answers; wire:\n%s", e.Wire)
	}
	stillServes(t, e)
}

func TestOpenAndClosePublish(t *testing.T) {
	t.Parallel()
	e := lsptest.New(t, lsptest.Options{Settings: map[string]any{"bpfls": map[string]any{"diagnosticsDelay": 0}}})
	const a, b = uri.URI("file:///a.bt"), uri.URI("untitled:b")
	e.Open(a, "BEGIN { exit(); }\n")
	e.Open(b, "END {}\n")
	e.WaitDiagnostics(a, lsptest.AtVersion(1), wait)
	e.WaitDiagnostics(b, lsptest.AtVersion(1), wait)
	e.Close(a)
	e.WaitDiagnostics(a, func(p *protocol.PublishDiagnosticsParams) bool {
		_, versioned := p.Version.Get()
		return !versioned && len(p.Diagnostics) == 0
	}, wait)
	if !e.Wire.WaitFor(wait, `"uri":"file:///a.bt","diagnostics":[]`) {
		t.Errorf("close must publish [] (never null); wire:\n%s", e.Wire)
	}
	stillServes(t, e)
}

func TestBadSettingsAreReported(t *testing.T) {
	t.Parallel()
	e := lsptest.New(t, lsptest.Options{Settings: map[string]any{"targetVersion": "9.9", "diagnosticsDelay": -5}})
	deadline := time.Now().Add(wait)
	for len(e.Client.Messages()) == 0 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	msgs := strings.Join(e.Client.Messages(), "\n")
	if !strings.Contains(msgs, "targetVersion") || !strings.Contains(msgs, "diagnosticsDelay") {
		t.Errorf("showMessage = %q, want both bad settings named", msgs)
	}
	e.Notify(protocol.MethodWorkspaceDidChangeConfiguration, map[string]any{"settings": map[string]any{"bpfls": map[string]any{"targetVersion": "0.17"}}})
	e.Notify(protocol.MethodWorkspaceDidChangeConfiguration, map[string]any{"settings": nil})
	stillServes(t, e)
}

// TestRequestsDuringEdits sends requests from several goroutines while
// edits stream in; with -race it checks that readers of documents need no
// lock and that every request is answered.
func TestRequestsDuringEdits(t *testing.T) {
	t.Parallel()
	e := lsptest.New(t, lsptest.Options{Settings: map[string]any{"diagnosticsDelay": 0}})
	const u = uri.URI("file:///busy.bt")
	e.Open(u, "BEGIN { @x = 1; }\n")
	errs := make(chan error, 4)
	for range 4 {
		go func() {
			var err error
			for range 50 {
				var syms []protocol.DocumentSymbol
				err = errors.Join(err, e.Call(protocol.MethodTextDocumentDocumentSymbol, &protocol.DocumentSymbolParams{TextDocument: protocol.TextDocumentIdentifier{URI: u}}, &syms))
				var toks protocol.SemanticTokens
				err = errors.Join(err, e.Call(protocol.MethodTextDocumentSemanticTokensFull, &protocol.SemanticTokensParams{TextDocument: protocol.TextDocumentIdentifier{URI: u}}, &toks))
			}
			errs <- err
		}()
	}
	for i := range 200 {
		e.Change(u, lsptest.Edit(0, 8, 0, 8, fmt.Sprintf("@a%d = %d; ", i, i)))
	}
	for range 4 {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
	var syms []protocol.DocumentSymbol
	if err := e.Call(protocol.MethodTextDocumentDocumentSymbol, &protocol.DocumentSymbolParams{TextDocument: protocol.TextDocumentIdentifier{URI: u}}, &syms); err != nil {
		t.Fatal(err)
	}
	if len(syms) != 1 || len(syms[0].Children) != 201 {
		t.Errorf("after 200 edits: %d symbols with %d maps, want 1 probe writing 201 maps", len(syms), len(syms[0].Children))
	}
}
