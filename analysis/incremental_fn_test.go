package analysis

import (
	"bytes"
	"context"
	"fmt"
	"testing"

	"github.com/bpfls/bpfls/analysis/internal/analysistest"
	"github.com/bpfls/bpfls/analysis/syntax"
)

// TestFnBodyEditsOfSeveralFns types into the bodies of three fns in turn,
// through the fn path, which keeps the last edited fn beside the shared
// table of fns (and moves it into a copy of the table when another fn is
// edited): an error typed into one fn must stay when another is edited,
// and each version must equal a full analysis.
func TestFnBodyEditsOfSeveralFns(t *testing.T) {
	ctx := context.Background()
	src := []byte("fn one($x: int64): int64 { return $x; }\nfn two($x: int64): int64 { return $x; }\nfn three($x: int64): int64 { return $x; }\nkprobe:vfs_read { @[one(1), two(2), three(3)] = count(); }\n")
	cfg := Config{Dialect: syntax.NewestDialect(), Kernel: analysistest.NewTCPKernel()}
	f := syntax.Parse("fns.bt", src, cfg.Dialect)
	s := Reanalyze(ctx, &Snapshot{Config: cfg}, f)
	byFn := 0
	for k, edit := range []struct{ fn, text string }{
		{"one", " + $y"}, {"two", " * 2"}, {"three", " + 1"}, {"one", " "}, {"two", " + $z"}, {"one", " - 1"}, {"three", " "},
	} {
		at := bytes.Index(f.Src(), []byte("fn "+edit.fn+"("))
		at += bytes.Index(f.Src()[at:], []byte("return $x")) + len("return $x")
		f = syntax.Reparse(f, syntax.Edit{Span: syntax.Span{Start: syntax.Pos(at), End: syntax.Pos(at)}, NewText: []byte(edit.text)})
		got := Reanalyze(ctx, s, f)
		if got.inc != nil && got.inc.byFn {
			byFn++
		}
		want := Analyze(ctx, syntax.Parse("fns.bt", f.Src(), cfg.Dialect), cfg)
		requireSameAnalysis(t, got, want, fmt.Sprintf("edit %d of %s", k, edit.fn))
		s = got
	}
	if byFn < 4 { // the others take the macro or medium path, as before the fn kept beside the table
		t.Errorf("%d of 7 edits took the fn path, want at least 4", byFn)
	}
}
