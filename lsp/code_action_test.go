package lsp_test

import (
	"testing"

	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"

	"github.com/bpfls/bpfls/lsp/lsptest"
)

func TestCodeActionQuickFix(t *testing.T) {
	t.Parallel()
	e := lsptest.New(t, lsptest.Options{Settings: noDelay})
	const u = uri.URI("file:///fix.bt")
	e.Open(u, "BEGIN { @m[1] = 2; delete(@m[1]); }\n")
	p := e.WaitDiagnostics(u, lsptest.AtVersion(1), wait)
	if len(p.Diagnostics) == 0 {
		t.Fatal("want a deprecation warning for delete(@m[key])")
	}
	var actions []protocol.CommandOrCodeAction
	err := e.Call(protocol.MethodTextDocumentCodeAction, &protocol.CodeActionParams{
		TextDocument: protocol.TextDocumentIdentifier{URI: u},
		Range:        p.Diagnostics[0].Range,
		Context:      protocol.CodeActionContext{Diagnostics: p.Diagnostics, Only: []protocol.CodeActionKind{protocol.CodeActionKindQuickFix}},
	}, &actions)
	if err != nil {
		t.Fatal(err)
	}
	if len(actions) != 1 {
		t.Fatalf("%d actions, want 1: %+v", len(actions), actions)
	}
	a, ok := actions[0].(*protocol.CodeAction)
	if !ok || a.Edit == nil || a.Kind == nil || *a.Kind != protocol.CodeActionKindQuickFix {
		t.Fatalf("action = %+v, want a quickfix with an edit", actions[0])
	}
	edits := a.Edit.Changes[u]
	if len(edits) != 1 || edits[0].NewText != ", 1" || edits[0].Range != rng(0, 28, 0, 31) {
		t.Fatalf("edits = %+v, want \", 1\" replacing [1] at 0:28-0:31", edits)
	}
	// Applying the edit, as the client would, makes the diagnostic go away.
	v := e.Change(u, &protocol.TextDocumentContentChangePartial{Range: edits[0].Range, Text: edits[0].NewText})
	after := e.WaitDiagnostics(u, lsptest.AtVersion(v), wait)
	for _, d := range after.Diagnostics {
		if d.Code == p.Diagnostics[0].Code {
			t.Errorf("after the fix the diagnostic is still there: %+v", d)
		}
	}
	err = e.Call(protocol.MethodTextDocumentCodeAction, &protocol.CodeActionParams{
		TextDocument: protocol.TextDocumentIdentifier{URI: u},
		Range:        p.Diagnostics[0].Range,
		Context:      protocol.CodeActionContext{Only: []protocol.CodeActionKind{"refactor"}},
	}, &actions)
	if err != nil || len(actions) != 0 {
		t.Errorf("only refactorings: %d actions, err %v; want none", len(actions), err)
	}
}

// TestCodeActionKindsAdvertised: every kind the server returns is one it
// advertised (else VS Code hides it behind "No quick fixes available"),
// and the whole-file migration comes as source.fixAll.
func TestCodeActionKindsAdvertised(t *testing.T) {
	t.Parallel()
	e := lsptest.New(t, lsptest.Options{Settings: map[string]any{"diagnosticsDelay": 0, "targetVersion": "0.26"}})
	advertised := map[protocol.CodeActionKind]bool{}
	if opts, ok := e.Init.Capabilities.CodeActionProvider.(*protocol.CodeActionOptions); ok {
		for _, k := range opts.CodeActionKinds {
			advertised[k] = true
		}
	}
	for _, k := range []protocol.CodeActionKind{"quickfix", "refactor.extract", "refactor.rewrite", "source.fixAll"} {
		if !advertised[k] {
			t.Errorf("codeActionKinds %v lack %s", advertised, k)
		}
	}
	const u = uri.URI("file:///migrate.bt")
	const src = "kfunc:vfs_read { @r = count(); }\nkretfunc:vfs_write { @w = count(); }\n"
	e.Open(u, src)
	e.WaitDiagnostics(u, lsptest.AtVersion(1), wait)
	all := rng(0, 0, 2, 0)
	ask := func(only ...protocol.CodeActionKind) []*protocol.CodeAction {
		var got []protocol.CommandOrCodeAction
		if err := e.Call(protocol.MethodTextDocumentCodeAction, &protocol.CodeActionParams{
			TextDocument: protocol.TextDocumentIdentifier{URI: u}, Range: all,
			Context: protocol.CodeActionContext{Only: only},
		}, &got); err != nil {
			t.Fatal(err)
		}
		var out []*protocol.CodeAction
		for _, a := range got {
			ca, ok := a.(*protocol.CodeAction)
			if !ok || ca.Kind == nil || !advertised[*ca.Kind] {
				t.Errorf("action %+v has a kind that was not advertised", a)
				continue
			}
			out = append(out, ca)
		}
		return out
	}
	if got := ask(); len(got) < 3 {
		t.Errorf("%d actions, want two renames and the migration", len(got))
	}
	fixAll := ask(protocol.CodeActionKindSourceFixAll)
	if len(fixAll) != 1 || *fixAll[0].Kind != protocol.CodeActionKindSourceFixAll {
		t.Fatalf("only source.fixAll: %+v, want the one migration", fixAll)
	}
	edits := fixAll[0].Edit.Changes[u]
	if len(edits) != 2 || edits[0].NewText != "fentry" || edits[1].NewText != "fexit" {
		t.Errorf("migration edits %+v, want kfunc→fentry and kretfunc→fexit", edits)
	}
	if got := ask(protocol.CodeActionKindQuickFix); len(got) != 2 {
		t.Errorf("only quickfix: %d actions, want the two renames", len(got))
	}
}
