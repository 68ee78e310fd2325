package lsp_test

import (
	"strings"
	"testing"

	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"

	"github.com/bpfls/bpfls/lsp/lsptest"
)

// TestRenameTakenName: renaming @bytes to @big, which the script already
// has, is refused with a reason instead of merging the two maps; the
// document is left as it was.
func TestRenameTakenName(t *testing.T) {
	t.Parallel()
	e := lsptest.New(t, lsptest.Options{})
	const u = uri.URI("file:///taken.bt")
	pos := openAt(t, e, u, "kprobe:vfs_read { @‸bytes = sum(arg2); @big = count(); }")
	var we protocol.WorkspaceEdit
	err := e.Call(protocol.MethodTextDocumentRename, &protocol.RenameParams{TextDocumentPositionParams: tdp(u, pos), NewName: "@big"}, &we)
	if code(err) == 0 || !strings.Contains(err.Error(), "already in use") || !strings.Contains(err.Error(), "line 1") {
		t.Errorf("rename @bytes to @big: edits %+v, error %v; want a refusal naming where @big is", we.Changes, err)
	}
	if err := e.Call(protocol.MethodTextDocumentRename, &protocol.RenameParams{TextDocumentPositionParams: tdp(u, pos), NewName: "@total"}, &we); err != nil || len(we.Changes[u]) != 1 {
		t.Errorf("rename @bytes to @total: %+v, %v", we.Changes, err)
	}
}
