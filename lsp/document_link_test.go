package lsp_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"

	"github.com/bpfls/bpfls/analysis"
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

// TestKernelHeadersSetting: the kernelHeaders setting (a workspace may set
// it: a directory, not a program) names the kernel headers tree #include
// searches. Its headers then resolve and link; a directory that does not
// exist is a settings problem shown to the user, and the running kernel's
// tree stays in use.
func TestKernelHeadersSetting(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	hdr := filepath.Join(dir, "tree/include/linux/bpfls_only.h")
	if err := os.MkdirAll(filepath.Dir(hdr), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(hdr, []byte("#define BPFLS_ONLY 3\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	settings := func(headers string) map[string]any {
		return map[string]any{"bpfls": map[string]any{"diagnosticsDelay": 0, "targetVersion": "0.26", "kernelHeaders": headers}}
	}
	e := lsptest.New(t, lsptest.Options{Settings: settings("")})
	u := uri.File(filepath.Join(dir, "s.bt"))
	e.Open(u, "#include <linux/bpfls_only.h>\nBEGIN { @ = 1; }\n")
	e.WaitDiagnostics(u, lsptest.HasCode(analysis.CodeIncludeNotFound), wait)
	links := func() []protocol.DocumentLink {
		var res []protocol.DocumentLink
		if err := e.Call(protocol.MethodTextDocumentDocumentLink, &protocol.DocumentLinkParams{TextDocument: protocol.TextDocumentIdentifier{URI: u}}, &res); err != nil {
			t.Fatal(err)
		}
		return res
	}
	if res := links(); len(res) != 0 {
		t.Errorf("links without the tree = %+v", res)
	}

	e.Notify(protocol.MethodWorkspaceDidChangeConfiguration, map[string]any{"settings": settings(filepath.Join(dir, "tree"))})
	e.WaitDiagnostics(u, lsptest.Empty, wait)
	if res := links(); len(res) != 1 || res[0].Target == nil || *res[0].Target != uri.File(hdr) {
		t.Errorf("links with the tree = %+v", res)
	}

	e.Notify(protocol.MethodWorkspaceDidChangeConfiguration, map[string]any{"settings": settings(filepath.Join(dir, "nowhere"))})
	e.WaitDiagnostics(u, lsptest.HasCode(analysis.CodeIncludeNotFound), wait)
	deadline := time.Now().Add(wait)
	for len(e.Client.Messages()) == 0 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond) // the message goes out on its own
	}
	if msgs := e.Client.Messages(); len(msgs) != 1 || !strings.Contains(msgs[0], "kernelHeaders") || !strings.Contains(msgs[0], "nowhere") {
		t.Errorf("messages = %q, want one naming kernelHeaders and the directory", msgs)
	}
}
