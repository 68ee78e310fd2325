package lsp_test

import (
	"fmt"
	"strings"
	"testing"

	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"

	"github.com/bpfls/bpfls/analysis"
	"github.com/bpfls/bpfls/lsp/lsptest"
)

// TestDocumentSizeLimit opens a document over analysis.MaxSourceSize (10
// MB took 913 MB before the limit): it is not analysed, one diagnostic
// says so, and it is analysed again once it shrinks below the limit,
// whether edited whole or in place.
func TestDocumentSizeLimit(t *testing.T) {
	t.Parallel()
	e := lsptest.New(t, lsptest.Options{Settings: map[string]any{"bpfls": map[string]any{"diagnosticsDelay": 0}}})
	const u = uri.URI("file:///big.bt")
	small := "BEGIN { @x = 1 + ; }\n" // a syntax error shows analysis ran
	pad := strings.Repeat("BEGIN { @y = 1; }\n", analysis.MaxSourceSize/18+1)
	tooLarge := func(p *protocol.PublishDiagnosticsParams) bool {
		return len(p.Diagnostics) == 1 && lsptest.HasCode(analysis.CodeTooLarge)(p) &&
			strings.Contains(fmt.Sprint(p.Diagnostics[0].Message), "not analysed")
	}
	analysed := lsptest.HasCode("syntax/")

	e.Open(u, small+pad)
	if e.WaitDiagnostics(u, tooLarge, wait) == nil {
		t.Fatal("no too-large diagnostic for the opened document")
	}
	e.Change(u, lsptest.Whole(small))
	if e.WaitDiagnostics(u, analysed, wait) == nil {
		t.Fatal("the document below the limit was not analysed")
	}
	e.Change(u, lsptest.Edit(1, 0, 1, 0, pad)) // grows past the limit in place
	// At this version: the open's publication matches too, and if this
	// one were skipped, the next one would equal the last one published
	// and rightly not be sent.
	if e.WaitDiagnostics(u, func(p *protocol.PublishDiagnosticsParams) bool {
		v, _ := p.Version.Get()
		return v == 3 && tooLarge(p)
	}, wait) == nil {
		t.Fatal("no too-large diagnostic after an incremental edit")
	}
	var syms []protocol.DocumentSymbol
	if err := e.Call(protocol.MethodTextDocumentDocumentSymbol, &protocol.DocumentSymbolParams{TextDocument: protocol.TextDocumentIdentifier{URI: u}}, &syms); err != nil || len(syms) != 0 {
		t.Errorf("symbols of a document not analysed: %v, %d symbols", err, len(syms))
	}
	e.Change(u, lsptest.Edit(1, 0, uint32(strings.Count(pad, "\n"))+1, 0, "")) // back below it
	if e.WaitDiagnostics(u, func(p *protocol.PublishDiagnosticsParams) bool {
		v, _ := p.Version.Get()
		return v == 4 && analysed(p)
	}, wait) == nil {
		t.Fatal("the document shrunk below the limit was not analysed again")
	}
	stillServes(t, e)
}
