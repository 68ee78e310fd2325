package lsp_test

import (
	"testing"

	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"

	"github.com/bpfls/bpfls/lsp/lsptest"
)

func TestSelectionRange(t *testing.T) {
	t.Parallel()
	e := lsptest.New(t, lsptest.Options{})
	const u = uri.URI("file:///select.bt")
	e.Open(u, "BEGIN { printf(\"😀\"); @m[comm] = count(); }\n")
	var res []protocol.SelectionRange
	err := e.Call(protocol.MethodTextDocumentSelectionRange, &protocol.SelectionRangeParams{
		TextDocument: protocol.TextDocumentIdentifier{URI: u},
		Positions:    []protocol.Position{{Line: 0, Character: 27}}, // in "comm", after a surrogate pair
	}, &res)
	if err != nil {
		t.Fatal(err)
	}
	var got []protocol.Range
	for r := &res[0]; r != nil; r = r.Parent {
		got = append(got, r.Range)
	}
	want := []protocol.Range{rng(0, 25, 0, 29), rng(0, 22, 0, 30), rng(0, 22, 0, 41), rng(0, 6, 0, 43), rng(0, 0, 0, 43), rng(0, 0, 1, 0)}
	if len(got) != len(want) {
		t.Fatalf("selection chain = %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("level %d = %v, want %v", i, got[i], want[i])
		}
	}
	err = e.Call(protocol.MethodTextDocumentSelectionRange, &protocol.SelectionRangeParams{
		TextDocument: protocol.TextDocumentIdentifier{URI: u}, Positions: []protocol.Position{{Line: 7, Character: 0}},
	}, &res)
	if code(err) != -32602 {
		t.Errorf("a position past the end: %v, want InvalidParams", err)
	}
}
