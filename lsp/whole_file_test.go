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
