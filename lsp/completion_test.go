package lsp_test

import (
	"testing"

	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"

	"github.com/bpfls/bpfls/lsp/lsptest"
)

// snippetClient offers snippet completions, as VS Code and Neovim do.
func snippetClient() protocol.ClientCapabilities {
	return protocol.ClientCapabilities{TextDocument: &protocol.TextDocumentClientCapabilities{
		Completion: &protocol.CompletionClientCapabilities{
			CompletionItem: &protocol.ClientCompletionItemOptions{SnippetSupport: new(true)},
		},
	}}
}

// TestCompletionSnippetSupport completes builtins in a probe body for a
// client with snippets and for clients without (none said, or false): only
// the first gets snippet syntax, the others the plain text before the
// first placeholder.
func TestCompletionSnippetSupport(t *testing.T) {
	t.Parallel()
	noSnippets := snippetClient()
	noSnippets.TextDocument.Completion.CompletionItem.SnippetSupport = new(false)
	tests := []struct {
		name   string
		caps   protocol.ClientCapabilities
		format protocol.InsertTextFormat
		printf string
		exit   string
	}{
		{name: "snippets", caps: snippetClient(), format: protocol.InsertTextFormatSnippet, printf: "printf(${1:fmt})", exit: "exit()$0"},
		{name: "no capability", format: protocol.InsertTextFormatPlainText, printf: "printf(", exit: "exit()"},
		{name: "snippetSupport false", caps: noSnippets, format: protocol.InsertTextFormatPlainText, printf: "printf(", exit: "exit()"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e := lsptest.New(t, lsptest.Options{Capabilities: tc.caps})
			for _, want := range []struct{ label, src, text string }{
				{"printf", "kprobe:vfs_read { prin‸ }\n", tc.printf},
				{"exit", "BEGIN { @x = 1; exi‸ }\n", tc.exit},
			} {
				u := uri.URI("file:///snippets-" + want.label + ".bt")
				pos := openAt(t, e, u, want.src)
				list := completeUntil(t, e, &protocol.CompletionParams{TextDocumentPositionParams: tdp(u, pos)})
				it := findItem(list, want.label)
				if it == nil {
					t.Fatalf("no %s item in %d items", want.label, len(list.Items))
				}
				edit, ok := it.TextEdit.(*protocol.TextEdit)
				if !ok || edit.NewText != want.text || it.InsertTextFormat != tc.format {
					t.Errorf("%s item: text edit %+v, format %d; want %q in format %d", want.label, it.TextEdit, it.InsertTextFormat, want.text, tc.format)
				}
			}
			// An item that never was a snippet is plain text for every client.
			const v = uri.URI("file:///snippets-var.bt")
			pos := openAt(t, e, v, "BEGIN { $count = 1; print($cou‸) }\n")
			list := completeUntil(t, e, &protocol.CompletionParams{TextDocumentPositionParams: tdp(v, pos)})
			if it := findItem(list, "$count"); it == nil || it.InsertTextFormat == protocol.InsertTextFormatSnippet {
				t.Errorf("$count item = %+v, want one that is not a snippet", it)
			}
		})
	}
}

func findItem(list *protocol.CompletionList, label string) *protocol.CompletionItem {
	for i := range list.Items {
		if list.Items[i].Label == label {
			return &list.Items[i]
		}
	}
	return nil
}
