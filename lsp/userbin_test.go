package lsp_test

import (
	"fmt"
	"testing"

	"go.lsp.dev/uri"

	"github.com/bpfls/bpfls/btfindex/userbin/usertest"
	"github.com/bpfls/bpfls/lsp/lsptest"
)

// TestUserBinaryDiagnostics opens a script whose uprobe names a function
// the binary lacks: the first analysis cannot know (the binary is read in
// the background), and once it is read the server re-analyses and
// publishes the problem without any edit.
func TestUserBinaryDiagnostics(t *testing.T) {
	t.Parallel()
	bins := usertest.Build(t, "")
	e := lsptest.New(t, lsptest.Options{Settings: noDelay})
	const u = uri.URI("file:///user.bt")
	e.Open(u, "uprobe:"+bins.Debug+":add_pointz { printf(\"x\\n\"); }\n")
	p := e.WaitDiagnostics(u, lsptest.HasCode("probe/unknown-function"), wait)
	if len(p.Diagnostics) != 1 {
		t.Fatalf("%d diagnostics, want 1:\n%s", len(p.Diagnostics), describe(e.Client.Published(u)))
	}
	if msg := fmt.Sprint(p.Diagnostics[0].Message); msg != bins.Debug+` has no function "add_pointz", did you mean "add_points"?` {
		t.Errorf("message %q", msg)
	}
}
