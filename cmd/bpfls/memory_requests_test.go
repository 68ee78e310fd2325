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
// probes the runtime collected after the analysis. Issue 15's target is
// 10 times the text, which TestServeDocumentMemory asserts for the open
// alone; with these requests the document measured 5.9-12.8 times its
// text over a day's runs (the cache keeps about 0.75 bytes per byte, and
// how the requests interleave with the analysis moves the rest), so this
// test bounds it at 14 times, to catch a regression such as answers that
// stay resident.
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
	}
	open("warm.bt", string(benchtest.LargeScript(t, 300<<10)))
	// The server returns the garbage twice: once the analysis published
	// its diagnostics, and once a request read every item.
	waitFor(t, p.log, `returned freed memory to the system","uri":"file:///warm.bt"`, 2)
	for i, size := range []int{1 << 20, 2<<20 - 4096} {
		text := string(benchtest.LargeScript(t, size))
		before := procStatusKB(t, p.cmd.Process.Pid)["VmRSS"]
		name := fmt.Sprintf("big%d.bt", i)
		open(name, text)
		p.waitOutput(t, `"uri":"file:///`+name+`"`, 1)
		waitFor(t, p.log, `returned freed memory to the system","uri":"file:///`+name+`"`, 2)
		after := procStatusKB(t, p.cmd.Process.Pid)["VmRSS"]
		ratio := float64(after-before) * 1024 / float64(len(text))
		t.Logf("%d-byte document and its whole-file requests: resident %.1f MB -> %.1f MB, %.1f times the text; %s", len(text), mb(before), mb(after), ratio, heapLine(p.log.String(), name))
		if ratio > 14 {
			t.Errorf("%d-byte document and its whole-file requests added %.1f times its size, want at most 14", len(text), ratio)
		}
	}
}
