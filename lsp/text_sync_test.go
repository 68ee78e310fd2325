package lsp

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"reflect"
	"runtime"
	"strings"
	"testing"

	"go.lsp.dev/protocol"
	"go.uber.org/zap/zaptest"

	"github.com/bpfls/bpfls/analysis/rope"
	"github.com/bpfls/bpfls/analysis/syntax"
)

func partial(sl, sc, el, ec uint32, text string) protocol.TextDocumentContentChangeEvent {
	return &protocol.TextDocumentContentChangePartial{Range: protocol.Range{Start: pos(sl, sc), End: pos(el, ec)}, Text: text}
}

func TestApplyChanges(t *testing.T) {
	t.Parallel()
	const start = "a😀b\r\nkprobe:f { @x = 1; }\r\n"
	tests := []struct {
		name    string
		enc     Encoding
		changes []protocol.TextDocumentContentChangeEvent
		want    string
		err     error
	}{
		{"utf16 insert after emoji", UTF16, []protocol.TextDocumentContentChangeEvent{partial(0, 3, 0, 3, "X")}, "a😀Xb\r\nkprobe:f { @x = 1; }\r\n", nil},
		{"utf16 delete emoji", UTF16, []protocol.TextDocumentContentChangeEvent{partial(0, 1, 0, 3, "")}, "ab\r\nkprobe:f { @x = 1; }\r\n", nil},
		{"utf8 delete emoji", UTF8, []protocol.TextDocumentContentChangeEvent{partial(0, 1, 0, 5, "")}, "ab\r\nkprobe:f { @x = 1; }\r\n", nil},
		{"utf16 join lines across CRLF", UTF16, []protocol.TextDocumentContentChangeEvent{partial(0, 4, 1, 0, " ")}, "a😀b kprobe:f { @x = 1; }\r\n", nil},
		{"sequential edits see each other's text", UTF16, []protocol.TextDocumentContentChangeEvent{
			partial(1, 0, 1, 0, "😀"), partial(1, 2, 1, 8, "tracepoint"),
		}, "a😀b\r\n😀tracepoint:f { @x = 1; }\r\n", nil},
		{"whole then partial", UTF16, []protocol.TextDocumentContentChangeEvent{
			&protocol.TextDocumentContentChangeWholeDocument{Text: "BEGIN {}\n"}, partial(0, 6, 0, 6, "exit(); "),
		}, "BEGIN exit(); {}\n", nil},
		{"line past the end is clamped to the end", UTF16, []protocol.TextDocumentContentChangeEvent{partial(9, 0, 12, 4, "//end")}, start + "//end", nil},
		{"character past the line end is clamped", UTF16, []protocol.TextDocumentContentChangeEvent{partial(0, 40, 0, 50, "!")}, "a😀b!\r\nkprobe:f { @x = 1; }\r\n", nil},
		{"inverted range is rejected", UTF16, []protocol.TextDocumentContentChangeEvent{partial(1, 0, 0, 0, "x")}, "", ErrInvertedRange},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := newServer(context.Background(), Config{Logger: zaptest.NewLogger(t)})
			s.store.setEncoding(tc.enc)
			old := s.store.open("file:///t.bt", 1, rope.FromString(start))
			d, err := s.applyChanges(old, 2, tc.changes)
			if !errors.Is(err, tc.err) {
				t.Fatalf("error = %v, want %v", err, tc.err)
			}
			if err != nil {
				return
			}
			if got := string(d.Text.Bytes()); got != tc.want {
				t.Errorf("text = %q, want %q", got, tc.want)
			}
			if d.Version != 2 || string(old.Text.Bytes()) != start {
				t.Errorf("version %d, old text %q: the old document must not change", d.Version, old.Text.Bytes())
			}
		})
	}
}

func TestDidChangeIgnoresStaleVersions(t *testing.T) {
	t.Parallel()
	s := newServer(context.Background(), Config{Logger: zaptest.NewLogger(t)})
	s.diags.stop() // no publishing without a client
	const u = "file:///v.bt"
	s.store.open(u, 5, rope.FromString("abc"))
	change := func(v int32, text string) {
		t.Helper()
		err := s.DidChange(context.Background(), &protocol.DidChangeTextDocumentParams{
			TextDocument:   protocol.VersionedTextDocumentIdentifier{TextDocumentIdentifier: protocol.TextDocumentIdentifier{URI: u}, Version: v},
			ContentChanges: []protocol.TextDocumentContentChangeEvent{&protocol.TextDocumentContentChangeWholeDocument{Text: text}},
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	change(5, "same version")
	change(3, "older version")
	d, _ := s.store.get(u)
	if d.Version != 5 || string(d.Text.Bytes()) != "abc" {
		t.Fatalf("after stale changes: version %d text %q, want 5 %q", d.Version, d.Text.Bytes(), "abc")
	}
	change(6, "newer")
	d, _ = s.store.get(u)
	if d.Version != 6 || string(d.Text.Bytes()) != "newer" {
		t.Fatalf("after a newer change: version %d text %q, want 6 %q", d.Version, d.Text.Bytes(), "newer")
	}
	err := s.DidChange(context.Background(), &protocol.DidChangeTextDocumentParams{
		TextDocument: protocol.VersionedTextDocumentIdentifier{TextDocumentIdentifier: protocol.TextDocumentIdentifier{URI: "file:///not-open.bt"}, Version: 1},
	})
	if !errors.Is(err, ErrUnknownDocument) {
		t.Errorf("change to a closed document: error = %v, want ErrUnknownDocument", err)
	}
}

// TestIncrementalParseMatchesFullParse edits a document through DidChange,
// sometimes reading the tree between edits and sometimes not (so edits pile
// up on an older tree), and checks every tree against a full parse.
func TestIncrementalParseMatchesFullParse(t *testing.T) {
	t.Parallel()
	s := newServer(context.Background(), Config{Logger: zaptest.NewLogger(t)})
	s.diags.stop() // no publishing without a client
	const u = "file:///inc.bt"
	s.store.open(u, 1, rope.FromString("BEGIN { @a = 1; }\nkprobe:f { @b[comm] = count(); }\n\nEND { print(@b); }\n"))
	edits := []protocol.TextDocumentContentChangeEvent{
		partial(1, 11, 1, 11, "if (pid > 1) { "),
		partial(1, 47, 1, 47, " }"),
		partial(0, 14, 0, 15, "2 +"), // a syntax error in the first probe
		partial(2, 0, 2, 0, "macro m(x) { x }\n"),
		partial(0, 14, 0, 17, "3"),
		partial(4, 0, 5, 0, ""), // delete END
		partial(0, 0, 0, 0, "config = { max_map_keys = 4 }\n"),
	}
	for i, e := range edits {
		err := s.DidChange(context.Background(), &protocol.DidChangeTextDocumentParams{
			TextDocument:   protocol.VersionedTextDocumentIdentifier{TextDocumentIdentifier: protocol.TextDocumentIdentifier{URI: u}, Version: int32(i + 2)},
			ContentChanges: []protocol.TextDocumentContentChangeEvent{e},
		})
		if err != nil {
			t.Fatal(err)
		}
		if i%3 == 2 {
			continue // leave this version unparsed: the next one chains two edits
		}
		d, _ := s.store.get(u)
		full := syntax.ParseText(fileName(d.URI), d.Text, d.cfg.Dialect)
		if got, want := syntax.Dump(d.File()), syntax.Dump(full); got != want {
			t.Fatalf("after edit %d, incremental tree differs from a full parse of %q:\n got %s\nwant %s", i, d.Text.Bytes(), got, want)
		}
		if d.reparse != nil {
			t.Errorf("after edit %d: the chain to older versions was not dropped", i)
		}
	}
}

// TestWholeChangeReparses checks that a client sending the whole text gets
// the same incremental re-parse as one sending ranges: the change becomes
// the edit between the two texts, and the tree equals a full parse.
func TestWholeChangeReparses(t *testing.T) {
	t.Parallel()
	s := newServer(context.Background(), Config{Logger: zaptest.NewLogger(t)})
	s.diags.stop() // no publishing without a client
	const u = "file:///whole.bt"
	texts := []string{
		"BEGIN { @a = 1; }\nkprobe:f { @b[comm] = count(); }\n",
		"BEGIN { @a = 12; }\nkprobe:f { @b[comm] = count(); }\n",
		"BEGIN { @a = 12; }\n\nkprobe:f { @b[comm] = count(); }\n",
		"BEGIN { @a = 12; }\n\nkprobe:f { @b[comm] = count(); }\nEND {}\n",
		"",
		"kprobe:g {}",
	}
	s.store.open(u, 1, rope.FromString(texts[0])).File() // a tree to derive the next ones from
	for i, text := range texts[1:] {
		err := s.DidChange(context.Background(), &protocol.DidChangeTextDocumentParams{
			TextDocument:   protocol.VersionedTextDocumentIdentifier{TextDocumentIdentifier: protocol.TextDocumentIdentifier{URI: u}, Version: int32(i + 2)},
			ContentChanges: []protocol.TextDocumentContentChangeEvent{&protocol.TextDocumentContentChangeWholeDocument{Text: text}},
		})
		if err != nil {
			t.Fatal(err)
		}
		d, _ := s.store.get(u)
		if string(d.Text.Bytes()) != text {
			t.Fatalf("text %q, want %q", d.Text.Bytes(), text)
		}
		if d.reparse == nil {
			t.Errorf("change %d: the whole text was parsed afresh", i)
		}
		full := syntax.ParseText(fileName(d.URI), d.Text, d.cfg.Dialect)
		if got, want := syntax.Dump(d.File()), syntax.Dump(full); got != want {
			t.Fatalf("change %d: the tree differs from a full parse of %q:\n got %s\nwant %s", i, d.Text.Bytes(), got, want)
		}
		if m := NewTextMapper(d.Text, d.Mapper.Encoding()); !reflect.DeepEqual(m.lineStarts(), d.Mapper.lineStarts()) {
			t.Errorf("change %d: the mapper's lines differ from a fresh mapper's", i)
		}
	}
}

// TestTypingNeverBuildsWholeText types into a document many chunks long,
// in place and across lines, and checks that re-parsing, re-analysing and
// converting the diagnostics never build the whole text of a version: a
// keystroke must not copy the document. That holds for an edit that
// changes the probes themselves or their map uses too: the pass it takes
// reads the C part again, from the C part's own text. Nor does a keystroke
// read the probes it does not touch, which the runtime collects between
// keystrokes and which would then be parsed again.
func TestTypingNeverBuildsWholeText(t *testing.T) {
	t.Parallel()
	s := newServer(context.Background(), Config{Logger: zaptest.NewLogger(t)})
	s.diags.stop() // no publishing without a client: converted below
	const u = "file:///big.bt"
	var b strings.Builder
	b.WriteString("struct S { int x; };\n") // a C part
	for i := range 2000 {                   // about 100 KB
		fmt.Fprintf(&b, "kprobe:vfs_read /pid == %d/ {\n  @reads[comm] = count(); print($undef);\n}\n", i)
	}
	s.store.open(u, 1, rope.FromString(b.String())).Snapshot()
	runtime.GC() // the probes a File holds weakly go: reading them again parses them again
	edits := []protocol.TextDocumentContentChangeEvent{
		partial(1001, 2, 1001, 2, "printf(\"hi\"); "), // in place, in a probe in the middle
		partial(1001, 2, 1001, 2, "\n"),               // every later line moves
		partial(5991, 2, 5991, 2, "$y = 2;"),          // near the end
		partial(3000, 2, 3000, 2, "@new[1] = 2; "),    // a new map: the file-level pass reads the C part again
		partial(4, 0, 5, 0, ""),                       // a probe's first line goes: two probes join
		partial(5990, 2, 5990, 2, "$z = 3;"),          // typing again after that
	}
	// The keystrokes in a probe that change no map read only the items
	// they re-parsed (the probe, and a neighbour whose parse looked at the
	// edited byte); the others may take a pass that reads more.
	readsOne := map[int]bool{0: true, 1: true, 2: true, 5: true}
	for i, e := range edits {
		err := s.DidChange(context.Background(), &protocol.DidChangeTextDocumentParams{
			TextDocument:   protocol.VersionedTextDocumentIdentifier{TextDocumentIdentifier: protocol.TextDocumentIdentifier{URI: u}, Version: int32(i + 2)},
			ContentChanges: []protocol.TextDocumentContentChangeEvent{e},
		})
		if err != nil {
			t.Fatal(err)
		}
		d, _ := s.store.get(u)
		snap := d.Snapshot()
		if len(snap.Diagnostics) < 1999 || len(s.toProtocolDiagnostics(d, snap.Diagnostics)) != len(snap.Diagnostics) {
			t.Fatalf("edit %d: %d diagnostics, want one per probe at least", i, len(snap.Diagnostics))
		}
		if d.Text.Built() {
			t.Fatalf("edit %d: the whole text of the version was built", i)
		}
		if n := d.File().ProbesInMemory(); readsOne[i] && n > 2 {
			t.Fatalf("edit %d: %d probes were read, want only those re-parsed", i, n)
		}
		if got, want := syntax.Dump(d.File()), syntax.Dump(syntax.Parse("x.bt", bytes.Clone(d.Text.Bytes()), d.cfg.Dialect)); got != want {
			t.Fatalf("edit %d: the tree differs from a full parse", i)
		}
		runtime.GC() // drops the probes the comparison read
	}
}

// TestDiffEdit checks diffEdit against a byte-by-byte scan on texts of
// several chunks, with long common runs, for random edits.
func TestDiffEdit(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(3, 4))
	for round := range 300 {
		a := make([]byte, rng.IntN(20000))
		for i := range a {
			a[i] = "ab\n"[rng.IntN(3)%(1+rng.IntN(3))]
		}
		start := rng.IntN(len(a) + 1)
		end := start + rng.IntN(min(len(a)-start, 600)+1)
		ins := strings.Repeat("ab\n", rng.IntN(100))
		ins = ins[:rng.IntN(len(ins)+1)]
		b := string(a[:start]) + ins + string(a[end:])
		p := 0
		for p < len(a) && p < len(b) && a[p] == b[p] {
			p++
		}
		s := 0
		for s < len(a)-p && s < len(b)-p && a[len(a)-1-s] == b[len(b)-1-s] {
			s++
		}
		span, text := diffEdit(rope.New(a), b)
		if want := (syntax.Span{Start: syntax.Pos(p), End: syntax.Pos(len(a) - s)}); span != want || text != b[p:len(b)-s] {
			t.Fatalf("round %d: diffEdit = %v %q, want %v %q", round, span, text, want, b[p:len(b)-s])
		}
	}
}
