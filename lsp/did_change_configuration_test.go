package lsp_test

import (
	"testing"

	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"

	"github.com/bpfls/bpfls/lsp/lsptest"
)

// TestConfigurationChangeReanalyses moves the target version under an open
// document: a for loop is fine on the newest bpftrace and an error on 0.17.
func TestConfigurationChangeReanalyses(t *testing.T) {
	t.Parallel()
	e := lsptest.New(t, lsptest.Options{Settings: map[string]any{"bpfls": map[string]any{"diagnosticsDelay": 0, "targetVersion": "newest"}}})
	const u = uri.URI("file:///loop.bt")
	e.Open(u, "BEGIN { for ($i : 0..3) { printf(\"%d\\n\", $i); } }\n")
	e.WaitDiagnostics(u, lsptest.Empty, wait)

	configure := func(settings map[string]any) {
		e.Notify(protocol.MethodWorkspaceDidChangeConfiguration, map[string]any{"settings": settings})
	}
	configure(map[string]any{"bpfls": map[string]any{"diagnosticsDelay": 0, "targetVersion": "0.17"}})
	p := e.WaitDiagnostics(u, lsptest.HasCode("syntax/needs-version"), wait)
	if v, _ := p.Version.Get(); v != 1 {
		t.Errorf("re-analysis published for version %d, want the unchanged version 1", v)
	}
	n := len(e.Client.Published(u))
	configure(map[string]any{"diagnosticsDelay": 0, "targetVersion": "newest"}) // top level works too
	e.WaitDiagnostics(u, func(p *protocol.PublishDiagnosticsParams) bool {
		return len(e.Client.Published(u)) > n && lsptest.Empty(p)
	}, wait)
}
