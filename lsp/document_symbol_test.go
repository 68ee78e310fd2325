package lsp_test

import (
	"testing"

	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"

	"github.com/bpfls/bpfls/lsp/lsptest"
)

func TestDocumentSymbol(t *testing.T) {
	t.Parallel()
	e := lsptest.New(t, lsptest.Options{})
	const u = uri.URI("file:///outline.bt")
	e.Open(u, "// 😀 outline\nkprobe:vfs_read { @reads = count(); }\nmacro twice(x) { x * 2 }\n")
	var res []protocol.DocumentSymbol
	if err := e.Call(protocol.MethodTextDocumentDocumentSymbol, &protocol.DocumentSymbolParams{TextDocument: protocol.TextDocumentIdentifier{URI: u}}, &res); err != nil {
		t.Fatal(err)
	}
	if len(res) != 2 {
		t.Fatalf("%d symbols, want 2: %+v", len(res), res)
	}
	probe, macro := res[0], res[1]
	if probe.Name != "kprobe:vfs_read" || probe.Kind != protocol.SymbolKindEvent ||
		probe.SelectionRange != rng(1, 0, 1, 15) || probe.Range != rng(1, 0, 1, 37) {
		t.Errorf("probe symbol = %+v", probe)
	}
	if len(probe.Children) != 1 || probe.Children[0].Name != "@reads" || probe.Children[0].Kind != protocol.SymbolKindVariable {
		t.Errorf("probe children = %+v, want @reads", probe.Children)
	}
	if macro.Name != "twice" || macro.Kind != protocol.SymbolKindFunction || macro.SelectionRange != rng(2, 6, 2, 11) {
		t.Errorf("macro symbol = %+v", macro)
	}
	err := e.Call(protocol.MethodTextDocumentDocumentSymbol, &protocol.DocumentSymbolParams{TextDocument: protocol.TextDocumentIdentifier{URI: "file:///closed.bt"}}, &res)
	if code(err) != -32602 {
		t.Errorf("symbols of a document that is not open: %v, want InvalidParams", err)
	}
}

func rng(sl, sc, el, ec uint32) protocol.Range {
	return protocol.Range{Start: protocol.Position{Line: sl, Character: sc}, End: protocol.Position{Line: el, Character: ec}}
}
