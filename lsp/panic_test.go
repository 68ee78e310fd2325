package lsp_test

import (
	"context"
	"testing"

	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"

	"github.com/bpfls/bpfls/analysis"
	"github.com/bpfls/bpfls/btfindex"
	"github.com/bpfls/bpfls/lsp"
	"github.com/bpfls/bpfls/lsp/lsptest"
)

// panickyKernel stands for a bug that makes analysis panic.
type panickyKernel struct{}

func (panickyKernel) Func(string) (*btfindex.Func, bool)                     { panic("kernel bug") }
func (panickyKernel) Record(string) (*btfindex.Record, bool)                 { panic("kernel bug") }
func (panickyKernel) Typedef(string) (btfindex.Type, bool)                   { panic("kernel bug") }
func (panickyKernel) Tracepoint(string, string) (*btfindex.Tracepoint, bool) { panic("kernel bug") }
func (panickyKernel) Match(btfindex.NameKind, string) []string               { panic("kernel bug") }
func (panickyKernel) Complete(btfindex.NameKind, string, int) []string       { panic("kernel bug") }

// TestAnalysisPanicIsContained makes every kernel lookup panic: the server
// must log it, still publish the syntax errors, and keep serving.
func TestAnalysisPanicIsContained(t *testing.T) {
	t.Parallel()
	opened := make(chan struct{})
	e := lsptest.New(t, lsptest.Options{
		Settings: map[string]any{"diagnosticsDelay": 0, "targetVersion": "newest"},
		Config: lsp.Config{OpenKernel: func(context.Context, lsp.Settings) (analysis.Kernel, error) {
			defer close(opened)
			return panickyKernel{}, nil
		}},
	})
	<-opened
	const u = uri.URI("file:///panic.bt")
	e.Open(u, "kprobe:vfs_read { @x = ; }\n")
	e.WaitDiagnostics(u, lsptest.HasCode("syntax/"), wait)
	var syms []protocol.DocumentSymbol
	if err := e.Call(protocol.MethodTextDocumentDocumentSymbol, &protocol.DocumentSymbolParams{TextDocument: protocol.TextDocumentIdentifier{URI: u}}, &syms); err != nil || len(syms) != 1 {
		t.Errorf("document symbols after an analysis panic: %d, %v", len(syms), err)
	}
	stillServes(t, e)
}
