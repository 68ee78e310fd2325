package lsp_test

import (
	"os"
	"path/filepath"
	"testing"

	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"

	"github.com/bpfls/bpfls/lsp/lsptest"
)

// TestDocumentLink: an #include of a header next to the script links to
// it; one that resolves nowhere does not.
func TestDocumentLink(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	hdr := filepath.Join(dir, "mine.h")
	if err := os.WriteFile(hdr, []byte("struct mine { int a; };\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	e := lsptest.New(t, lsptest.Options{})
	u := uri.File(filepath.Join(dir, "s.bt"))
	e.Open(u, "#include \"mine.h\"\n#include <no_such_dir_x/none.h>\nkprobe:f { }\n")
	var res []protocol.DocumentLink
	if err := e.Call(protocol.MethodTextDocumentDocumentLink, &protocol.DocumentLinkParams{TextDocument: protocol.TextDocumentIdentifier{URI: u}}, &res); err != nil {
		t.Fatal(err)
	}
	if len(res) != 1 || res[0].Target == nil || *res[0].Target != uri.File(hdr) || res[0].Range.Start.Line != 0 || res[0].Range.End.Character != 17 {
		t.Errorf("links = %+v", res)
	}
}
