package lsp

import (
	"context"
	"fmt"
	"runtime"
	"strings"
	"testing"
	"time"

	"go.lsp.dev/protocol"
	"go.uber.org/zap"

	"github.com/bpfls/bpfls/analysis/benchtest"
	"github.com/bpfls/bpfls/analysis/rope"
)

// BenchmarkWholeFileRequest measures the requests that answer for the
// whole file, which editors send after nearly every change: the outline
// ("symbols"), the folding ranges ("folds") and the full semantic tokens
// ("tokens"), each after a keystroke typed into a probe in the middle of a
// script of 1,000, 10,000 and 50,000 lines and of the 2 MB document the
// memory test opens, and after a collection, which drops the probes a
// File holds weakly. It reports the CPU time of the request alone
// (cpu-ns/op), the protocol conversion included, not the keystroke's
// re-parse nor the forced collection. Reading only the items the
// keystroke re-parsed, a request costs that plus an assembly linear in the
// items, which no longer parses anything.
//
//	go test ./lsp -run '^$' -bench WholeFileRequest -cpu 1 -benchtime 20x
func BenchmarkWholeFileRequest(b *testing.B) {
	for _, size := range []string{"lines=1000", "lines=10000", "lines=50000", "bytes=2MB"} {
		for _, req := range []string{"symbols", "folds", "tokens"} {
			b.Run(size+"/request="+req, func(b *testing.B) {
				var src string
				if size == "bytes=2MB" {
					src = string(benchtest.LargeScript(b, 2<<20-4096))
				} else {
					var n int
					fmt.Sscanf(size, "lines=%d", &n)
					src, _ = benchtest.TypingScript(n)
				}
				benchWholeFileRequest(b, src, req)
			})
		}
	}
}

func benchWholeFileRequest(b *testing.B, src, req string) {
	ctx := context.Background()
	s := newServer(ctx, Config{Logger: zap.NewNop()})
	s.diags.stop()
	const u = "file:///whole.bt"
	s.store.open(u, 1, rope.FromString(src))
	// Type inside the first printf string after the middle of the script.
	at := len(src)/2 + strings.Index(src[len(src)/2:], `printf("`) + len(`printf("`)
	line := uint32(strings.Count(src[:at], "\n"))
	col := uint32(at - strings.LastIndexByte(src[:at], '\n') - 1)
	id := protocol.TextDocumentIdentifier{URI: u}
	ask := func() {
		var err error
		switch req {
		case "symbols":
			_, err = s.DocumentSymbol(ctx, &protocol.DocumentSymbolParams{TextDocument: id})
		case "folds":
			_, err = s.FoldingRanges(ctx, &protocol.FoldingRangeParams{TextDocument: id})
		case "tokens":
			_, err = s.SemanticTokensFull(ctx, &protocol.SemanticTokensParams{TextDocument: id})
		}
		if err != nil {
			b.Fatal(err)
		}
	}
	ask()
	b.ReportAllocs()
	b.SetBytes(int64(len(src)))
	var cpu time.Duration
	for k := 0; b.Loop(); k++ {
		b.StopTimer()
		edit := partial(line, col, line, col, "a")
		if k%2 == 1 {
			edit = partial(line, col, line, col+1, "")
		}
		err := s.DidChange(ctx, &protocol.DidChangeTextDocumentParams{
			TextDocument:   protocol.VersionedTextDocumentIdentifier{TextDocumentIdentifier: id, Version: int32(k + 2)},
			ContentChanges: []protocol.TextDocumentContentChangeEvent{edit},
		})
		if err != nil {
			b.Fatal(err)
		}
		d, _ := s.store.get(u)
		d.File() // the keystroke's re-parse, which the request does not pay
		runtime.GC()
		b.StartTimer()
		start := benchtest.CPUTime()
		ask()
		cpu += benchtest.CPUTime() - start
	}
	b.ReportMetric(float64(cpu)/float64(b.N), "cpu-ns/op")
}
