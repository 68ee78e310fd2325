package main

import (
	"fmt"
	"testing"

	"github.com/bpfls/bpfls/analysis/benchtest"
)

// TestServeDocumentMemoryWithRequests opens 1 MB and 2 MB scripts in the
// real server as an editor does: the outline, the folds and the full
// semantic tokens are asked for right after the open (VS Code and Neovim
// do). Answering them the first time reads every item, parsing again the
// probes the runtime collected after the analysis, and the cache that
// answers later ones keeps about 0.6 bytes per byte of text. Issue 15's
// target is that a document holds at most 10 times its text, measured as
// in TestServeDocumentMemory.
func TestServeDocumentMemoryWithRequests(t *testing.T) {
	t.Parallel()
	p := startMemoryServer(t)
	id := 1
	open := func(name, text string) {
		p.openDocument(t, name, text)
		uri := `{"uri":"file:///` + name + `"}`
		for _, m := range []string{"textDocument/documentSymbol", "textDocument/foldingRange", "textDocument/semanticTokens/full"} {
			id++
			p.send(t, fmt.Sprintf(`{"jsonrpc":"2.0","id":%d,"method":"%s","params":{"textDocument":%s}}`, id, m, uri))
		}
		// The server returns the garbage twice: once the analysis
		// published its diagnostics, and once the requests read every item.
		p.waitOutput(t, `"uri":"file:///`+name+`"`, 1)
		waitFor(t, p.log, freedAfter(name, "analysis"), 1)
		waitFor(t, p.log, freedAfter(name, "whole-file request"), 1)
	}
	open("warm.bt", string(benchtest.LargeScript(t, 300<<10)))
	for i, size := range []int{1 << 20, 2<<20 - 4096} {
		text := string(benchtest.LargeScript(t, size))
		name := fmt.Sprintf("big%d.bt", i)
		m := documentResidence(t, p, name, text, func() { open(name, text) })
		t.Logf("%d-byte document and its whole-file requests: %s; %s", len(text), m, heapLine(p.log.String(), name))
		if r := m.held(); r > 10 {
			t.Errorf("%d-byte document and its whole-file requests held %.1f times its size, want at most 10", len(text), r)
		}
	}
}
