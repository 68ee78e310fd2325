package lsp_test

import (
	"sort"
	"strings"
	"testing"

	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"

	"github.com/bpfls/bpfls/lsp/lsptest"
)

// applyEdits applies LSP edits to an ASCII text.
func applyEdits(t *testing.T, text string, edits []protocol.TextEdit) string {
	t.Helper()
	lines := strings.SplitAfter(text, "\n")
	off := func(p protocol.Position) int {
		n := 0
		for i := 0; i < int(p.Line) && i < len(lines); i++ {
			n += len(lines[i])
		}
		return n + int(p.Character)
	}
	sort.Slice(edits, func(i, j int) bool { return off(edits[i].Range.Start) > off(edits[j].Range.Start) })
	for _, e := range edits {
		s, en := off(e.Range.Start), off(e.Range.End)
		if s > en || en > len(text) {
			t.Fatalf("bad edit %+v", e)
		}
		text = text[:s] + e.NewText + text[en:]
	}
	return text
}

const (
	uglyDoc = "// counts reads\nkprobe:vfs_read { @reads[comm] = count(); }\n\nBEGIN\n{\n  printf(\"hi\\n\");\n}\n\ninterval:s:1 {exit()}\n"
	niceDoc = "// counts reads\nkprobe:vfs_read\n{\n  @reads[comm] = count();\n}\n\nBEGIN\n{\n  printf(\"hi\\n\");\n}\n\ninterval:s:1\n{\n  exit();\n}\n"
)

func format(t *testing.T, e *lsptest.Env, u uri.URI, opts protocol.FormattingOptions) []protocol.TextEdit {
	t.Helper()
	var res []protocol.TextEdit
	if err := e.Call(protocol.MethodTextDocumentFormatting, &protocol.DocumentFormattingParams{
		TextDocument: protocol.TextDocumentIdentifier{URI: u}, Options: opts}, &res); err != nil {
		t.Fatal(err)
	}
	return res
}

// TestFormatting: the edits turn the document into bpftrace's style and
// leave the lines that are already right alone.
func TestFormatting(t *testing.T) {
	t.Parallel()
	e := lsptest.New(t, lsptest.Options{})
	const u = uri.URI("file:///fmt.bt")
	e.Open(u, uglyDoc)
	edits := format(t, e, u, protocol.FormattingOptions{TabSize: 4, InsertSpaces: true})
	if got := applyEdits(t, uglyDoc, edits); got != niceDoc {
		t.Fatalf("formatted:\n%s\nwant:\n%s", got, niceDoc)
	}
	for _, ed := range edits {
		if l := ed.Range.Start.Line; l == 0 || (l >= 3 && l <= 7) {
			t.Errorf("edit %+v touches a line that was already formatted", ed)
		}
	}
	e.Open("file:///nice.bt", niceDoc)
	if edits := format(t, e, "file:///nice.bt", protocol.FormattingOptions{}); len(edits) != 0 {
		t.Errorf("a formatted document got edits: %+v", edits)
	}
}

func TestFormattingSyntaxErrorNoEdits(t *testing.T) {
	t.Parallel()
	e := lsptest.New(t, lsptest.Options{})
	const u = uri.URI("file:///bad.bt")
	e.Open(u, "BEGIN { $x = ; }\nkprobe:f {exit()}\n")
	if edits := format(t, e, u, protocol.FormattingOptions{}); len(edits) != 0 {
		t.Fatalf("edits for a broken file: %+v", edits)
	}
}

func TestFormattingFinalNewlines(t *testing.T) {
	t.Parallel()
	e := lsptest.New(t, lsptest.Options{})
	yes, no := true, false
	cases := []struct {
		name, text, want string
		opts             protocol.FormattingOptions
	}{
		{"kept missing", "BEGIN { exit(); }", "BEGIN\n{\n  exit();\n}", protocol.FormattingOptions{InsertFinalNewline: &no}},
		{"inserted", "BEGIN { exit(); }", "BEGIN\n{\n  exit();\n}\n", protocol.FormattingOptions{InsertFinalNewline: &yes}},
		{"blank lines kept", "BEGIN { exit(); }\n\n\n", "BEGIN\n{\n  exit();\n}\n\n\n", protocol.FormattingOptions{}},
		{"trimmed", "BEGIN { exit(); }\n\n\n", "BEGIN\n{\n  exit();\n}\n", protocol.FormattingOptions{TrimFinalNewlines: &yes}},
	}
	for i, tc := range cases {
		u := uri.URI("file:///end" + string(rune('a'+i)) + ".bt")
		e.Open(u, tc.text)
		if got := applyEdits(t, tc.text, format(t, e, u, tc.opts)); got != tc.want {
			t.Errorf("%s: got %q, want %q", tc.name, got, tc.want)
		}
	}
}

// TestRangeFormatting formats the probe the range touches, and only it.
func TestRangeFormatting(t *testing.T) {
	t.Parallel()
	e := lsptest.New(t, lsptest.Options{})
	const u = uri.URI("file:///range.bt")
	e.Open(u, uglyDoc)
	var res []protocol.TextEdit
	r := protocol.Range{Start: protocol.Position{Line: 8, Character: 3}, End: protocol.Position{Line: 8, Character: 5}}
	if err := e.Call(protocol.MethodTextDocumentRangeFormatting, &protocol.DocumentRangeFormattingParams{
		TextDocument: protocol.TextDocumentIdentifier{URI: u}, Range: r}, &res); err != nil {
		t.Fatal(err)
	}
	want := strings.Replace(uglyDoc, "interval:s:1 {exit()}\n", "interval:s:1\n{\n  exit();\n}\n", 1)
	if got := applyEdits(t, uglyDoc, res); got != want {
		t.Fatalf("got:\n%s\nwant:\n%s", got, want)
	}
}
