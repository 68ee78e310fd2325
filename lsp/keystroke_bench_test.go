package lsp_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"
	"go.uber.org/zap/zapcore"
	"go.uber.org/zap/zaptest"

	"github.com/bpfls/bpfls/analysis/benchtest"
	"github.com/bpfls/bpfls/analysis/rope"
	"github.com/bpfls/bpfls/analysis/syntax"
	"github.com/bpfls/bpfls/lsp"
	"github.com/bpfls/bpfls/lsp/lsptest"
)

// BenchmarkKeystroke measures one keystroke, from didChange to the
// publishDiagnostics of its version, in-process, at 1,000 and 50,000 lines:
// "inplace" types into a printf string in the middle of the script (every
// later byte offset moves, no line does); "shift" inserts and then deletes a
// line break there, so every later line moves; "whole" types as "inplace"
// does, from a client that sends the whole text each time. It reports cpu-ns/op (the
// whole process's CPU per keystroke) and the p99 latency. A keystroke
// should cost about the same at any file size.
//
//	go test ./lsp -run '^$' -bench Keystroke -benchtime 400x
func BenchmarkKeystroke(b *testing.B) {
	for _, n := range []int{1000, 10000, 50000} {
		for _, kind := range []string{"inplace", "shift", "whole"} {
			b.Run(fmt.Sprintf("lines=%d/edit=%s", n, kind), func(b *testing.B) {
				benchKeystroke(b, n, kind)
			})
		}
	}
}

func benchKeystroke(b *testing.B, lines int, kind string) {
	shift := kind == "shift"
	quiet := zaptest.NewLogger(b, zaptest.Level(zapcore.WarnLevel))
	e := lsptest.New(b, lsptest.Options{Settings: noDelay, Config: lsp.Config{Logger: quiet}, DiscardWire: true})
	script, line, col := typingScript(lines)
	const u = uri.URI("file:///keystroke.bt")
	e.Open(u, script)
	e.WaitDiagnostics(u, lsptest.AtVersion(1), wait)
	lat := make([]time.Duration, 0, b.N)
	text := script
	b.ReportAllocs()
	b.ResetTimer()
	start := benchtest.CPUTime()
	for k := range b.N {
		var edit = lsptest.Edit(line, col, line, col, "a")
		switch {
		case shift && k%2 == 0:
			edit = lsptest.Edit(line, col, line, col, "\n")
		case shift:
			edit = lsptest.Edit(line, col, line+1, 0, "")
		case k > 0 && k%400 == 0: // keep the typed line a sane length
			edit = lsptest.Edit(line, col, line, col+400, "")
		default:
			c := col + uint32(k%400)
			edit = lsptest.Edit(line, c, line, c, "a")
		}
		if kind == "whole" { // the client sends the whole text after each keystroke
			text = insertAt(text, line, col+uint32(k%400), "a")
			if k > 0 && k%400 == 0 {
				text = script
			}
			edit = lsptest.Whole(text)
		}
		t0 := time.Now()
		v := e.Change(u, edit)
		e.WaitDiagnostics(u, lsptest.AtVersion(v), wait)
		lat = append(lat, time.Since(t0))
	}
	benchtest.ReportCPU(b, start)
	b.StopTimer()
	slices.Sort(lat)
	b.ReportMetric(float64(percentile(lat, 99).Microseconds()), "p99-µs")
}

// insertAt inserts s at a 0-based line and byte column of text.
func insertAt(text string, line, col uint32, s string) string {
	off := 0
	for range line {
		off += strings.IndexByte(text[off:], '\n') + 1
	}
	off += int(col)
	return text[:off] + s + text[off:]
}

// BenchmarkMapperEdit measures deriving a document's Mapper after one
// keystroke, and the position conversions diagnostics make of it. It
// should cost the same at any file size.
//
//	go test ./lsp -run '^$' -bench MapperEdit -cpu 1
func BenchmarkMapperEdit(b *testing.B) {
	for _, n := range []int{1000, 10000, 50000} {
		b.Run(fmt.Sprintf("lines=%d", n), func(b *testing.B) {
			script, line, col := typingScript(n)
			text := rope.FromString(script)
			m := lsp.NewTextMapper(text, lsp.UTF16)
			at, err := m.PositionOffset(protocol.Position{Line: line, Character: col})
			if err != nil {
				b.Fatal(err)
			}
			// Two versions of the text, one with a line break typed at at,
			// and the edits that lead from each to the other.
			broken := text.Edit(int(at), int(at), []byte("\n"))
			typed := syntax.Span{Start: at, End: at}
			undo := syntax.Span{Start: at, End: at + 1}
			b.ReportAllocs()
			b.ResetTimer()
			start := benchtest.CPUTime()
			for k := range b.N {
				if k%2 == 0 {
					m = m.Edit(typed, "\n", broken)
				} else {
					m = m.Edit(undo, "", text)
				}
				if _, err := m.OffsetPosition(at + 1); err != nil {
					b.Fatal(err)
				}
			}
			benchtest.ReportCPU(b, start)
		})
	}
}
