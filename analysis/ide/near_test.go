package ide

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/bpfls/bpfls/analysis"
	"github.com/bpfls/bpfls/analysis/syntax"
)

// TestRequestsReadOnlyNearText asks for completion and signature help in
// the middle of a long edited file: the answers are right, and the whole
// text of the version is never built (a request costs the same at any file
// size).
func TestRequestsReadOnlyNearText(t *testing.T) {
	t.Parallel()
	var b strings.Builder
	for i := range 3000 { // about 150 KB: many chunks
		fmt.Fprintf(&b, "kprobe:f%d /* c */ { @m%d = count(); $v%d = 1; }\n", i, i, i)
	}
	src := b.String()
	d := syntax.NewestDialect()
	at := strings.Index(src, "$v1500 = 1; ") + len("$v1500 = 1; ")
	typed := `printf("%d", $v`
	f := syntax.Reparse(syntax.Parse("big.bt", []byte(src), d), syntax.Edit{Span: syntax.Span{Start: syntax.Pos(at), End: syntax.Pos(at)}, NewText: []byte(typed)})
	s := analysis.Analyze(context.Background(), f, analysis.Config{Dialect: d})
	pos := syntax.Pos(at + len(typed))

	h, ok := SignatureHelpAt(context.Background(), s, pos)
	if !ok || h.Signatures[h.Active].Label != "void printf(string fmt, args...)" || h.ActiveParam != 1 {
		t.Errorf("signature help = %+v, %v; want printf's, second parameter", h, ok)
	}
	if got := f.SpanText(h.CallNameSpan); got != "printf" {
		t.Errorf("call name span holds %q, want printf", got)
	}
	l := Completion(context.Background(), s, pos)
	if !slices.Contains(labels(l.Items), "$v1500") || f.SpanText(l.Span) != "$v" {
		t.Errorf("completion = %v over %q, want $v1500 over $v", labels(l.Items), f.SpanText(l.Span))
	}
	if c := strings.Index(src, "/* c */"); len(Completion(context.Background(), s, syntax.Pos(c+3)).Items) != 0 {
		t.Error("completion inside a comment")
	}
	if f.Text().Built() {
		t.Error("a request built the whole text")
	}
}
