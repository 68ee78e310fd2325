package lsp

import (
	"context"
	"fmt"
	"reflect"
	"runtime"
	"strings"
	"testing"

	"go.lsp.dev/protocol"
	"go.uber.org/zap/zaptest"

	"github.com/bpfls/bpfls/analysis/ide"
	"github.com/bpfls/bpfls/analysis/rope"
)

// TestWholeFileRequestsReadOnlyEditedProbes asks for the outline, the
// folding ranges and the full semantic tokens of a 2,000-probe document,
// as an editor does after each change, then types into it after a
// collection (a File holds its probes weakly), and requires that the
// answers after each keystroke read only the probes it re-parsed: reading
// the others would parse each of them again. The answers must still equal
// the whole-file computations'.
func TestWholeFileRequestsReadOnlyEditedProbes(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := newServer(ctx, Config{Logger: zaptest.NewLogger(t)})
	s.diags.stop()
	const u = "file:///big.bt"
	var b strings.Builder
	b.WriteString("// a script\n// of many probes\nmacro twice(x) { x * 2 }\n")
	for i := range 2000 {
		fmt.Fprintf(&b, "kprobe:vfs_read /pid == %d/ {\n  @reads[comm] = count();\n  if (pid) { printf(\"%%d\\n\", twice(1)); }\n}\n", i)
	}
	s.store.open(u, 1, rope.FromString(b.String()))
	ask := func() {
		t.Helper()
		id := protocol.TextDocumentIdentifier{URI: u}
		res, err := s.DocumentSymbol(ctx, &protocol.DocumentSymbolParams{TextDocument: id})
		if syms, _ := res.(protocol.DocumentSymbolSlice); err != nil || len(syms) < 2001 {
			t.Fatalf("%d symbols (%v), want one per probe at least", len(syms), err)
		}
		if folds, err := s.FoldingRanges(ctx, &protocol.FoldingRangeParams{TextDocument: id}); err != nil || len(folds) < 2000 {
			t.Fatalf("%d folds (%v), want one per probe at least", len(folds), err)
		}
		if toks, err := s.SemanticTokensFull(ctx, &protocol.SemanticTokensParams{TextDocument: id}); err != nil || len(toks.Data) < 5*2000 {
			t.Fatalf("%v tokens (%v), want several per probe", toks, err)
		}
	}
	ask()
	edits := []protocol.TextDocumentContentChangeEvent{
		partial(1004, 2, 1004, 2, "$x = 1; "),                    // in place, in a probe in the middle
		partial(1004, 2, 1004, 2, "\n"),                          // every later line moves
		partial(7990, 0, 7990, 0, "// the end\n"),                // a comment near the end
		partial(1004, 2, 1005, 0, ""),                            // the line break goes again
		partial(2003, 0, 2003, 0, "BEGIN { }\n"),                 // a new probe
		partial(3, 0, 3, 0, "fn count(): int64 { return 1; }\n"), // a fn takes a builtin's name
	}
	for i, e := range edits {
		old, _ := s.store.get(u)
		runtime.GC() // the probes a File holds weakly go: reading them again parses them again
		err := s.DidChange(ctx, &protocol.DidChangeTextDocumentParams{
			TextDocument:   protocol.VersionedTextDocumentIdentifier{TextDocumentIdentifier: protocol.TextDocumentIdentifier{URI: u}, Version: int32(i + 2)},
			ContentChanges: []protocol.TextDocumentContentChangeEvent{e},
		})
		if err != nil {
			t.Fatal(err)
		}
		d, _ := s.store.get(u)
		if _, _, _, ok := d.File().ReparsedFrom(old.File()); !ok {
			t.Fatalf("edit %d was not re-parsed incrementally", i)
		}
		reparsed := d.File().ProbesInMemory() // the re-parse holds those it read
		ask()
		if n := d.File().ProbesInMemory(); n > reparsed {
			t.Fatalf("edit %d: the requests read %d probes, want only the %d the re-parse read", i, n, reparsed)
		}
		snap := d.syntaxSnapshot()
		if got, want := d.whole.DocumentSymbols(ctx, snap), ide.DocumentSymbols(ctx, snap); !reflect.DeepEqual(got, want) {
			t.Fatalf("edit %d: the outline differs from the whole file's", i)
		}
		if got, want := d.whole.Folds(ctx, snap), ide.Folds(ctx, snap); !reflect.DeepEqual(got, want) {
			t.Fatalf("edit %d: the folds differ from the whole file's", i)
		}
		if got, want := d.whole.SemanticTokens(ctx, snap), ide.SemanticTokens(ctx, snap); !reflect.DeepEqual(got, want) {
			t.Fatalf("edit %d: the tokens differ from the whole file's", i)
		}
	}
}

// TestDocumentSymbolCursorPositions requires the outline's positions,
// which one cursor converts in source order, to equal those of each span
// converted alone, in UTF-16 and UTF-8, across CRLF line ends and
// characters of several bytes and code units.
func TestDocumentSymbolCursorPositions(t *testing.T) {
	t.Parallel()
	src := "// 😀 outline\r\nkprobe:vfs_read, kprobe:vfs_write /comm == \"é😀\"/ { @a😀 = 1; $x = \"😀\"; @reads[comm] = count();\r\n  @b++; }\r\n" +
		"macro twice(x) { x * 2 }\nlet @m = hash(10);\nconfig = { max_map_keys = 10 }\nBEGIN { @é = 1; @c = 2;\n@d = 3; }"
	for _, enc := range []Encoding{UTF16, UTF8} {
		s := newServer(context.Background(), Config{Logger: zaptest.NewLogger(t)})
		s.diags.stop()
		s.store.setEncoding(enc)
		d := s.store.open("file:///u.bt", 1, rope.FromString(src))
		syms := ide.DocumentSymbols(context.Background(), d.syntaxSnapshot())
		if len(syms) < 5 {
			t.Fatalf("%d symbols, want 5", len(syms))
		}
		var alone func([]ide.DocSymbol) []protocol.DocumentSymbol
		alone = func(syms []ide.DocSymbol) []protocol.DocumentSymbol {
			out := make([]protocol.DocumentSymbol, 0, len(syms))
			for _, sym := range syms {
				ds := protocol.DocumentSymbol{Name: sym.Name, Kind: symbolKinds[sym.Kind], Range: s.spanRange(d, sym.Span),
					SelectionRange: s.spanRange(d, sym.NameSpan), Children: alone(sym.Children)}
				if sym.Detail != "" {
					ds.Detail = &sym.Detail
				}
				out = append(out, ds)
			}
			return out
		}
		if got, want := s.toDocumentSymbols(d, syms), alone(syms); !reflect.DeepEqual(got, want) {
			t.Errorf("%s: got %+v\nwant %+v", enc, got, want)
		}
	}
}
