package lsp_test

import (
	"slices"
	"strings"
	"testing"

	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"

	"github.com/bpfls/bpfls/lsp/lsptest"
)

func TestSemanticTokensFull(t *testing.T) {
	t.Parallel()
	e := lsptest.New(t, lsptest.Options{})
	opts, ok := e.Init.Capabilities.SemanticTokensProvider.(*protocol.SemanticTokensOptions)
	if !ok {
		t.Fatalf("semanticTokensProvider = %T, want options with a legend", e.Init.Capabilities.SemanticTokensProvider)
	}
	legend := opts.Legend.TokenTypes
	typ := func(name string) uint32 { return uint32(slices.Index(legend, name)) }
	const u = uri.URI("file:///tokens.bt")
	e.Open(u, "/* 😀\r\n */ BEGIN { @x = \"é\"; }\r\n")
	var res protocol.SemanticTokens
	if err := e.Call(protocol.MethodTextDocumentSemanticTokensFull, &protocol.SemanticTokensParams{TextDocument: protocol.TextDocumentIdentifier{URI: u}}, &res); err != nil {
		t.Fatal(err)
	}
	want := []uint32{
		0, 0, 5, typ("comment"), 0, // "/* 😀" (the emoji is two UTF-16 units)
		1, 0, 3, typ("comment"), 0, // " */" on the next line
		0, 4, 5, typ("namespace"), 0, // BEGIN, the provider
		0, 8, 2, typ("variable"), 2, // @x, static
		0, 5, 3, typ("string"), 0, // "é"
	}
	if !slices.Equal(res.Data, want) {
		t.Errorf("data = %v\nwant   %v", res.Data, want)
	}
}

// TestSemanticTokensRange asks for the tokens of the second probe of a
// script: they are the full request's tokens from that probe on, encoded
// from the start of the file.
func TestSemanticTokensRange(t *testing.T) {
	t.Parallel()
	e := lsptest.New(t, lsptest.Options{})
	opts := e.Init.Capabilities.SemanticTokensProvider.(*protocol.SemanticTokensOptions)
	if opts.Range != protocol.Boolean(true) {
		t.Fatalf("range = %v, want true", opts.Range)
	}
	const u = uri.URI("file:///range.bt")
	e.Open(u, "BEGIN { @a = 1; }\n// two\nEND { @b = \"x\"; }\n")
	var full, part protocol.SemanticTokens
	if err := e.Call(protocol.MethodTextDocumentSemanticTokensFull, &protocol.SemanticTokensParams{TextDocument: protocol.TextDocumentIdentifier{URI: u}}, &full); err != nil {
		t.Fatal(err)
	}
	rng := protocol.Range{Start: protocol.Position{Line: 1, Character: 0}, End: protocol.Position{Line: 2, Character: 3}}
	if err := e.Call(protocol.MethodTextDocumentSemanticTokensRange, &protocol.SemanticTokensRangeParams{TextDocument: protocol.TextDocumentIdentifier{URI: u}, Range: rng}, &part); err != nil {
		t.Fatal(err)
	}
	all, got := decodeSemanticTokens(t, opts.Legend, full.Data), decodeSemanticTokens(t, opts.Legend, part.Data)
	var want []semToken
	for _, tok := range all {
		if tok.Line >= 1 {
			want = append(want, tok)
		}
	}
	if len(want) < 3 || !slices.Equal(got, want) {
		t.Errorf("range tokens = %v\nwant %v", got, want)
	}
	bad := protocol.Range{Start: protocol.Position{Line: 9, Character: 0}, End: protocol.Position{Line: 1, Character: 0}}
	if err := e.Call(protocol.MethodTextDocumentSemanticTokensRange, &protocol.SemanticTokensRangeParams{TextDocument: protocol.TextDocumentIdentifier{URI: u}, Range: bad}, &part); err == nil {
		t.Error("a range outside the text got no error")
	}
}

// semToken is a decoded semantic token, with absolute positions and names.
type semToken struct {
	Line, Char, Len uint32
	Type            string
	Mods            string // modifier names joined by "+"
}

// decodeSemanticTokens undoes the protocol's relative encoding with the
// legend the server advertised.
func decodeSemanticTokens(t *testing.T, legend protocol.SemanticTokensLegend, data []uint32) []semToken {
	t.Helper()
	if len(data)%5 != 0 {
		t.Fatalf("%d numbers, not a multiple of 5", len(data))
	}
	var out []semToken
	var line, char uint32
	for i := 0; i < len(data); i += 5 {
		dl, dc, n, typ, mods := data[i], data[i+1], data[i+2], data[i+3], data[i+4]
		if dl > 0 {
			char = 0
		}
		line, char = line+dl, char+dc
		if int(typ) >= len(legend.TokenTypes) || mods>>len(legend.TokenModifiers) != 0 {
			t.Fatalf("token %d: type %d or modifiers %b outside the legend", i/5, typ, mods)
		}
		var names []string
		for b, name := range legend.TokenModifiers {
			if mods&(1<<b) != 0 {
				names = append(names, name)
			}
		}
		out = append(out, semToken{Line: line, Char: char, Len: n, Type: legend.TokenTypes[typ], Mods: strings.Join(names, "+")})
	}
	return out
}

func TestSemanticTokensBuiltinsAndAttachPoints(t *testing.T) {
	t.Parallel()
	e := lsptest.New(t, lsptest.Options{})
	legend := e.Init.Capabilities.SemanticTokensProvider.(*protocol.SemanticTokensOptions).Legend
	if !slices.Contains(legend.TokenTypes, "event") || !slices.Contains(legend.TokenModifiers, "defaultLibrary") {
		t.Fatalf("legend %+v lacks the event type or the defaultLibrary modifier", legend)
	}
	const u = uri.URI("file:///builtins.bt")
	e.Open(u, "kprobe:vfs_read { printf(\"%d\\n\", pid); }\ntracepoint:syscalls:sys_enter_openat { @[comm] = count(); }\n")
	var res protocol.SemanticTokens
	if err := e.Call(protocol.MethodTextDocumentSemanticTokensFull, &protocol.SemanticTokensParams{TextDocument: protocol.TextDocumentIdentifier{URI: u}}, &res); err != nil {
		t.Fatal(err)
	}
	got := decodeSemanticTokens(t, legend, res.Data)
	for _, want := range []semToken{
		{0, 0, 6, "namespace", ""},               // kprobe
		{0, 7, 8, "function", ""},                // vfs_read, the traced function
		{0, 18, 6, "function", "defaultLibrary"}, // printf
		{0, 33, 3, "variable", "defaultLibrary"}, // pid
		{1, 11, 8, "namespace", ""},              // syscalls, the category
		{1, 20, 16, "event", ""},                 // sys_enter_openat
		{1, 39, 1, "variable", "static"},         // @
		{1, 41, 4, "variable", "defaultLibrary"}, // comm
		{1, 49, 5, "function", "defaultLibrary"}, // count
	} {
		if !slices.Contains(got, want) {
			t.Errorf("no token %+v in\n%+v", want, got)
		}
	}
}
