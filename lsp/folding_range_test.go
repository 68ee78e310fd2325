package lsp_test

import (
	"testing"

	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"

	"github.com/bpfls/bpfls/lsp/lsptest"
)

func TestFoldingRange(t *testing.T) {
	t.Parallel()
	e := lsptest.New(t, lsptest.Options{})
	const u = uri.URI("file:///fold.bt")
	e.Open(u, "/* a\r\n   comment */\r\nkprobe:f {\r\n\tif (pid) {\r\n\t\t@x = 1;\r\n\t}\r\n}\r\nBEGIN { }\r\n")
	var res []protocol.FoldingRange
	if err := e.Call(protocol.MethodTextDocumentFoldingRange, &protocol.FoldingRangeParams{TextDocument: protocol.TextDocumentIdentifier{URI: u}}, &res); err != nil {
		t.Fatal(err)
	}
	want := []protocol.FoldingRange{
		{StartLine: 0, EndLine: 1, Kind: protocol.FoldingRangeKindComment},
		{StartLine: 2, EndLine: 5, Kind: protocol.FoldingRangeKindRegion}, // the probe: '}' on line 6 stays visible
		{StartLine: 3, EndLine: 4, Kind: protocol.FoldingRangeKindRegion}, // the if
	}
	if len(res) != len(want) {
		t.Fatalf("folds = %+v, want %+v", res, want)
	}
	for i := range want {
		if res[i].StartLine != want[i].StartLine || res[i].EndLine != want[i].EndLine || res[i].Kind != want[i].Kind {
			t.Errorf("fold %d = %+v, want %+v", i, res[i], want[i])
		}
	}
}
