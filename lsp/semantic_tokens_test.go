package lsp_test

import (
	"slices"
	"testing"

	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"

	"github.com/bpfls/bpfls/lsp/lsptest"
)

func TestSemanticTokensFull(t *testing.T) {
	t.Parallel()
	e := lsptest.New(t, lsptest.Options{})
	opts, ok := e.Init.Capabilities.SemanticTokensProvider.(*protocol.SemanticTokensOptions)
	if !ok {
		t.Fatalf("semanticTokensProvider = %T, want options with a legend", e.Init.Capabilities.SemanticTokensProvider)
	}
	legend := opts.Legend.TokenTypes
	typ := func(name string) uint32 { return uint32(slices.Index(legend, name)) }
	const u = uri.URI("file:///tokens.bt")
	e.Open(u, "/* 😀\r\n */ BEGIN { @x = \"é\"; }\r\n")
	var res protocol.SemanticTokens
	if err := e.Call(protocol.MethodTextDocumentSemanticTokensFull, &protocol.SemanticTokensParams{TextDocument: protocol.TextDocumentIdentifier{URI: u}}, &res); err != nil {
		t.Fatal(err)
	}
	want := []uint32{
		0, 0, 5, typ("comment"), 0, // "/* 😀" (the emoji is two UTF-16 units)
		1, 0, 3, typ("comment"), 0, // " */" on the next line
		0, 4, 5, typ("namespace"), 0, // BEGIN, the provider
		0, 8, 2, typ("variable"), 2, // @x, static
		0, 5, 3, typ("string"), 0, // "é"
	}
	if !slices.Equal(res.Data, want) {
		t.Errorf("data = %v\nwant   %v", res.Data, want)
	}
}
