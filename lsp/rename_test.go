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

// TestRenameVariableTakenAndFn: through the protocol, $x to $y in a probe
// that has $y is a JSON-RPC error naming where $y is, and a fn is renamed
// at its declaration and its calls.
func TestRenameVariableTakenAndFn(t *testing.T) {
	t.Parallel()
	e := lsptest.New(t, lsptest.Options{})
	const u = uri.URI("file:///vars.bt")
	pos := openAt(t, e, u, "kprobe:vfs_read { $‸x = 1; $y = 2; printf(\"%d\\n\", $x + $y); }")
	var we protocol.WorkspaceEdit
	err := e.Call(protocol.MethodTextDocumentRename, &protocol.RenameParams{TextDocumentPositionParams: tdp(u, pos), NewName: "$y"}, &we)
	if code(err) == 0 || !strings.Contains(err.Error(), "already in use") || !strings.Contains(err.Error(), "column 27") {
		t.Errorf("rename $x to $y: edits %+v, error %v; want a refusal naming where $y is", we.Changes, err)
	}

	const f = uri.URI("file:///fn.bt")
	pos = openAt(t, e, f, "fn ‸half($v: int64): int64 { return $v / 2; }\nkprobe:vfs_read { @ = half(2); }")
	var ph protocol.PrepareRenamePlaceholder
	if err := e.Call(protocol.MethodTextDocumentPrepareRename, &protocol.PrepareRenameParams{TextDocumentPositionParams: tdp(f, pos)}, &ph); err != nil || ph.Placeholder != "half" {
		t.Errorf("prepare rename of a fn: %+v, %v", ph, err)
	}
	we = protocol.WorkspaceEdit{}
	if err := e.Call(protocol.MethodTextDocumentRename, &protocol.RenameParams{TextDocumentPositionParams: tdp(f, pos), NewName: "halve"}, &we); err != nil || len(we.Changes[f]) != 2 {
		t.Errorf("rename fn half to halve: %+v, %v; want 2 edits", we.Changes, err)
	}
}
