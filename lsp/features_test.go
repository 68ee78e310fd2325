package lsp_test

// This file tests the language-intelligence handlers (completion, hover,
// signature help, definition, references, highlight, rename, inlay hints)
// through a real client connection.

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf16"

	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"

	"github.com/bpfls/bpfls/analysis"
	"github.com/bpfls/bpfls/btfindex"
	"github.com/bpfls/bpfls/lsp"
	"github.com/bpfls/bpfls/lsp/lsptest"
)

// cursor marks the request position in a test document.
const cursor = "‸"

// openAt opens text (with one cursor mark) and returns the cursor's
// UTF-16 position.
func openAt(t testing.TB, e *lsptest.Env, u uri.URI, text string) protocol.Position {
	t.Helper()
	at := strings.Index(text, cursor)
	if at < 0 {
		t.Fatalf("no cursor in %q", text)
	}
	before := text[:at]
	e.Open(u, before+text[at+len(cursor):])
	return utf16Position(before)
}

func utf16Position(before string) protocol.Position {
	line := strings.Count(before, "\n")
	last := before[strings.LastIndex(before, "\n")+1:]
	return protocol.Position{Line: uint32(line), Character: uint32(len(utf16.Encode([]rune(last))))}
}

func tdp(u uri.URI, p protocol.Position) protocol.TextDocumentPositionParams {
	return protocol.TextDocumentPositionParams{TextDocument: protocol.TextDocumentIdentifier{URI: u}, Position: p}
}

// fakeKernel knows two functions, for exact answers without a kernel.
type fakeKernel struct{}

var sockPtr = btfindex.Type{C: "struct sock *", Kind: btfindex.KindPointer, Size: 8}

func (fakeKernel) Func(name string) (*btfindex.Func, bool) {
	if name != "tcp_close" && name != "tcp_sendmsg" {
		return nil, false
	}
	return &btfindex.Func{Name: name, Return: btfindex.Type{C: "int", Kind: btfindex.KindInt, Size: 4},
		Params: []btfindex.Param{{Name: "sk", Type: sockPtr}}, Traceable: btfindex.TraceYes}, true
}
func (fakeKernel) Record(string) (*btfindex.Record, bool)                 { return nil, false }
func (fakeKernel) Typedef(string) (btfindex.Type, bool)                   { return btfindex.Type{}, false }
func (fakeKernel) Tracepoint(string, string) (*btfindex.Tracepoint, bool) { return nil, false }
func (fakeKernel) Match(kind btfindex.NameKind, pattern string) []string {
	var out []string
	for _, n := range []string{"tcp_close", "tcp_sendmsg"} {
		if kind == btfindex.NameFunc && btfindex.WildcardMatch(pattern, n) {
			out = append(out, n)
		}
	}
	return out
}
func (fakeKernel) Complete(kind btfindex.NameKind, prefix string, limit int) []string {
	return fakeKernel{}.Match(kind, prefix+"*")
}

func withKernel(k analysis.Kernel) lsptest.Options {
	return lsptest.Options{Config: lsp.Config{OpenKernel: func(context.Context, lsp.Settings) (analysis.Kernel, error) { return k, nil }}}
}

// completeUntil asks for completion until the list has an item (the kernel
// is opened in the background after initialize).
func completeUntil(t testing.TB, e *lsptest.Env, params *protocol.CompletionParams) *protocol.CompletionList {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		var list protocol.CompletionList
		if err := e.Call(protocol.MethodTextDocumentCompletion, params, &list); err != nil {
			t.Fatalf("completion: %v", err)
		}
		if len(list.Items) > 0 || time.Now().After(deadline) {
			return &list
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestCompletionRequest(t *testing.T) {
	t.Parallel()
	e := lsptest.New(t, withKernel(fakeKernel{}))
	const u = uri.URI("file:///complete.bt")
	// The comment holds characters outside the BMP, so UTF-16 columns differ
	// from byte columns on the cursor's line.
	pos := openAt(t, e, u, "BEGIN { @hits = count(); }\nEND { /* 𝄞 é */ print(@hi‸) }\n")
	list := completeUntil(t, e, &protocol.CompletionParams{TextDocumentPositionParams: tdp(u, pos)})
	if len(list.Items) != 1 || list.Items[0].Label != "@hits" {
		t.Fatalf("items = %+v, want @hits only", list.Items)
	}
	edit, ok := list.Items[0].TextEdit.(*protocol.TextEdit)
	if !ok || edit.NewText != "@hits" || edit.Range.End != pos || edit.Range.Start.Character != pos.Character-3 {
		t.Errorf("text edit = %+v, want @hits over the 3 characters before %v", list.Items[0].TextEdit, pos)
	}

	const k = uri.URI("file:///kernel.bt")
	pos = openAt(t, e, k, "fentry:tcp_‸")
	list = completeUntil(t, e, &protocol.CompletionParams{TextDocumentPositionParams: tdp(k, pos)})
	var got []string
	for _, it := range list.Items {
		got = append(got, it.Label)
	}
	if !slices.Equal(got, []string{"tcp_close", "tcp_sendmsg"}) || list.IsIncomplete {
		t.Fatalf("kernel items = %q (incomplete %v), want tcp_close tcp_sendmsg", got, list.IsIncomplete)
	}
	if d, _ := list.Items[0].Detail.Get(); d != "int tcp_close(struct sock *sk)" {
		t.Errorf("detail = %q, want the prototype", d)
	}
}

func TestCompletionResolveRequest(t *testing.T) {
	t.Parallel()
	e := lsptest.New(t, withKernel(fakeKernel{}))
	const u = uri.URI("file:///resolve.bt")
	pos := openAt(t, e, u, "BEGIN {}‸")
	completeUntil(t, e, &protocol.CompletionParams{TextDocumentPositionParams: tdp(u, pos)}) // the kernel is open once anything completes
	data, _ := json.Marshal("tcp_sendmsg")
	var out protocol.CompletionItem
	deadline := time.Now().Add(10 * time.Second)
	for {
		if err := e.Call(protocol.MethodCompletionItemResolve, &protocol.CompletionItem{Label: "tcp_sendmsg", Data: protocol.LSPAny(data)}, &out); err != nil {
			t.Fatalf("resolve: %v", err)
		}
		if d, _ := out.Detail.Get(); d != "" || time.Now().After(deadline) {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	if d, _ := out.Detail.Get(); d != "int tcp_sendmsg(struct sock *sk)" {
		t.Errorf("resolved detail = %q", d)
	}
}

func TestHoverRequest(t *testing.T) {
	t.Parallel()
	e := lsptest.New(t, lsptest.Options{})
	const u = uri.URI("file:///hover.bt")
	pos := openAt(t, e, u, "BEGIN { $t = nse‸cs; }")
	var h protocol.Hover
	if err := e.Call(protocol.MethodTextDocumentHover, &protocol.HoverParams{TextDocumentPositionParams: tdp(u, pos)}, &h); err != nil {
		t.Fatalf("hover: %v", err)
	}
	mc, ok := h.Contents.(*protocol.MarkupContent)
	if !ok || mc.Kind != protocol.MarkupKindMarkdown || !strings.Contains(mc.Value, "timestamp nsecs") {
		t.Fatalf("contents = %#v", h.Contents)
	}
	if h.Range == nil || h.Range.Start.Character != 13 || h.Range.End.Character != 18 {
		t.Errorf("range = %+v, want the word nsecs", h.Range)
	}
	pos = openAt(t, e, "file:///empty.bt", "BEGIN { ‸ }")
	var none *protocol.Hover
	if err := e.Call(protocol.MethodTextDocumentHover, &protocol.HoverParams{TextDocumentPositionParams: tdp("file:///empty.bt", pos)}, &none); err != nil || none != nil {
		t.Errorf("hover on nothing = %+v, %v; want null", none, err)
	}
	err := e.Call(protocol.MethodTextDocumentHover, &protocol.HoverParams{TextDocumentPositionParams: tdp("file:///not-open.bt", pos)}, &none)
	if err == nil {
		t.Error("hover on a document that is not open must fail")
	}
}

func TestSignatureHelpRequest(t *testing.T) {
	t.Parallel()
	e := lsptest.New(t, lsptest.Options{})
	const u = uri.URI("file:///sig.bt")
	pos := openAt(t, e, u, `BEGIN { printf("%d", ‸ }`)
	var h protocol.SignatureHelp
	if err := e.Call(protocol.MethodTextDocumentSignatureHelp, &protocol.SignatureHelpParams{TextDocumentPositionParams: tdp(u, pos)}, &h); err != nil {
		t.Fatalf("signature help: %v", err)
	}
	if len(h.Signatures) != 1 || h.Signatures[0].Label != "void printf(string fmt, args...)" || len(h.Signatures[0].Parameters) != 2 {
		t.Fatalf("signatures = %+v", h.Signatures)
	}
	if p, ok := h.ActiveParameter.Get(); !ok || p != 1 {
		t.Errorf("active parameter = %v, want 1", h.ActiveParameter)
	}
}

func TestSymbolRequests(t *testing.T) {
	t.Parallel()
	e := lsptest.New(t, lsptest.Options{})
	const u = uri.URI("file:///symbols.bt")
	pos := openAt(t, e, u, "BEGIN { @n = 1; }\nEND { print(@‸n); }")
	var def protocol.Location
	if err := e.Call(protocol.MethodTextDocumentDefinition, &protocol.DefinitionParams{TextDocumentPositionParams: tdp(u, pos)}, &def); err != nil {
		t.Fatalf("definition: %v", err)
	}
	if def.URI != u || def.Range.Start != (protocol.Position{Line: 0, Character: 8}) {
		t.Errorf("definition = %+v, want 0:8", def)
	}
	var refs []protocol.Location
	err := e.Call(protocol.MethodTextDocumentReferences, &protocol.ReferenceParams{TextDocumentPositionParams: tdp(u, pos), Context: protocol.ReferenceContext{IncludeDeclaration: true}}, &refs)
	if err != nil || len(refs) != 2 {
		t.Errorf("references = %+v, %v; want 2", refs, err)
	}
	var hs []protocol.DocumentHighlight
	err = e.Call(protocol.MethodTextDocumentDocumentHighlight, &protocol.DocumentHighlightParams{TextDocumentPositionParams: tdp(u, pos)}, &hs)
	if err != nil || len(hs) != 2 || hs[0].Kind != protocol.DocumentHighlightKindWrite || hs[1].Kind != protocol.DocumentHighlightKindRead {
		t.Errorf("highlights = %+v, %v", hs, err)
	}
	var prep protocol.PrepareRenamePlaceholder
	if err := e.Call(protocol.MethodTextDocumentPrepareRename, &protocol.PrepareRenameParams{TextDocumentPositionParams: tdp(u, pos)}, &prep); err != nil || prep.Placeholder != "@n" {
		t.Errorf("prepare rename = %+v, %v", prep, err)
	}
	var we protocol.WorkspaceEdit
	if err := e.Call(protocol.MethodTextDocumentRename, &protocol.RenameParams{TextDocumentPositionParams: tdp(u, pos), NewName: "total"}, &we); err != nil {
		t.Fatalf("rename: %v", err)
	}
	if edits := we.Changes[u]; len(edits) != 2 || edits[0].NewText != "@total" || edits[1].Range.Start != (protocol.Position{Line: 1, Character: 12}) {
		t.Errorf("rename edits = %+v", we.Changes)
	}
	err = e.Call(protocol.MethodTextDocumentRename, &protocol.RenameParams{TextDocumentPositionParams: tdp(u, pos), NewName: "$x"}, &we)
	if code(err) == 0 || !strings.Contains(err.Error(), "cannot name a map") {
		t.Errorf("renaming a map to a variable name: %v, want an error saying why", err)
	}
}

func TestInlayHintRequest(t *testing.T) {
	t.Parallel()
	e := lsptest.New(t, lsptest.Options{})
	const u = uri.URI("file:///inlay.bt")
	e.Open(u, "BEGIN {\n  @c = count();\n  @h = hist(1, 2);\n}\n")
	var hints []protocol.InlayHint
	rng := protocol.Range{End: protocol.Position{Line: 3}}
	if err := e.Call(protocol.MethodTextDocumentInlayHint, &protocol.InlayHintParams{TextDocument: protocol.TextDocumentIdentifier{URI: u}, Range: rng}, &hints); err != nil {
		t.Fatalf("inlay hints: %v", err)
	}
	if len(hints) != 4 || hints[0].Position != (protocol.Position{Line: 1, Character: 4}) || hints[0].Kind != protocol.InlayHintKindType {
		t.Fatalf("hints = %+v", hints)
	}
	if l, ok := hints[0].Label.(protocol.String); !ok || l != ": count_t" {
		t.Errorf("label = %#v", hints[0].Label)
	}
	if p := hints[3]; p.Kind != protocol.InlayHintKindParameter || p.Position != (protocol.Position{Line: 2, Character: 15}) ||
		p.PaddingRight == nil || !*p.PaddingRight || p.Label != protocol.String("k:") {
		t.Errorf("parameter hint = %+v", p)
	}
}

func TestFeatureCapabilities(t *testing.T) {
	t.Parallel()
	e := lsptest.New(t, lsptest.Options{})
	c := e.Init.Capabilities
	if c.CompletionProvider == nil || c.CompletionProvider.ResolveProvider == nil || !*c.CompletionProvider.ResolveProvider ||
		!slices.Contains(c.CompletionProvider.TriggerCharacters, ":") {
		t.Errorf("completion provider = %+v", c.CompletionProvider)
	}
	if c.HoverProvider == nil || c.SignatureHelpProvider == nil || c.DefinitionProvider == nil || c.ReferencesProvider == nil ||
		c.DocumentHighlightProvider == nil || c.RenameProvider == nil || c.InlayHintProvider == nil {
		t.Errorf("a feature is not advertised: %+v", c)
	}
}

// TestFeaturesRealKernel completes and hovers against the running kernel.
func TestFeaturesRealKernel(t *testing.T) {
	ix, err := btfindex.Open(context.Background(), btfindex.Options{CacheDir: "-"})
	if err != nil {
		requireRealKernel(t, "no kernel BTF: "+err.Error())
	}
	t.Cleanup(ix.Close)
	e := lsptest.New(t, withKernel(ix))
	const u = uri.URI("file:///real.bt")
	pos := openAt(t, e, u, "fentry:vfs_rea‸d {}")
	list := completeUntil(t, e, &protocol.CompletionParams{TextDocumentPositionParams: tdp(u, pos)})
	found := false
	for _, it := range list.Items {
		if d, _ := it.Detail.Get(); it.Label == "vfs_read" && strings.Contains(d, "vfs_read(struct file *file, ") {
			found = true
		}
	}
	if !found {
		t.Fatalf("no vfs_read with its prototype in %+v", list.Items)
	}
	var h protocol.Hover
	if err := e.Call(protocol.MethodTextDocumentHover, &protocol.HoverParams{TextDocumentPositionParams: tdp(u, pos)}, &h); err != nil {
		t.Fatalf("hover: %v", err)
	}
	if mc, ok := h.Contents.(*protocol.MarkupContent); !ok || !strings.Contains(mc.Value, "vfs_read(struct file *file, ") {
		t.Errorf("hover = %#v", h.Contents)
	}
}
