package analysis

import (
	"context"
	"testing"

	"github.com/bpfls/bpfls/analysis/benchtest"
	"github.com/bpfls/bpfls/analysis/syntax"
)

// TestSymbolsFollowReusesGoneMaps types a probe using a new map in the
// middle of a script and removes it again, many times: the followed index
// must equal a rebuilt one each time, and keep as many globals as after
// the first time (each removed map left one behind, which every later
// edit moving items copied).
func TestSymbolsFollowReusesGoneMaps(t *testing.T) {
	ctx := context.Background()
	src, at := benchtest.TypingScript(200)
	cfg := Config{Dialect: syntax.NewestDialect()}
	f := syntax.Parse("gone.bt", []byte(src), cfg.Dialect)
	s := Reanalyze(ctx, &Snapshot{Config: cfg}, f)
	s.Symbols()
	i := 0
	for f.ItemSpan(i).End < syntax.Pos(at) {
		i++
	}
	end := f.ItemSpan(i).End
	text := []byte("\nkprobe:vfs_open { @opens = count(); }")
	globals := -1
	for k := range 20 {
		e := syntax.Edit{Span: syntax.Span{Start: end, End: end}, NewText: text}
		if k%2 == 1 {
			e = syntax.Edit{Span: syntax.Span{Start: end, End: end + syntax.Pos(len(text))}}
		}
		f = syntax.Reparse(f, e)
		s = Reanalyze(ctx, s, f)
		if !followedIndex(t, s) {
			t.Fatalf("edit %d: the symbol index did not follow", k)
		}
		n := len(s.symbols.v.g.syms)
		if globals < 0 {
			globals = n
		} else if n > globals {
			t.Fatalf("edit %d: %d globals, %d after the first edit", k, n, globals)
		}
	}
}

// TestSymbolsFollowBodyEditsFromOneVersion makes two different edits of
// a fn's and a macro's bodies from the same version, as concurrent
// requests may: the first appends the body's references to the shared
// list in place, the second must copy it, and each followed index must
// equal a rebuilt one after both were made.
func TestSymbolsFollowBodyEditsFromOneVersion(t *testing.T) {
	ctx := context.Background()
	src, _, macro, fn := scaleDeclScript(300)
	cfg := Config{Dialect: syntax.NewestDialect()}
	f0 := syntax.Parse("body.bt", src, cfg.Dialect)
	s0 := Reanalyze(ctx, &Snapshot{Config: cfg}, f0)
	s0.Symbols()
	for _, at := range []syntax.Pos{fn, macro} {
		base := s0
		for range 3 { // a chain of edits, each version's list appended in place
			var outs []*Snapshot
			for _, text := range []string{" ", "\n\t"} {
				f := syntax.Reparse(base.File, syntax.Edit{Span: syntax.Span{Start: at, End: at}, NewText: []byte(text)})
				outs = append(outs, Reanalyze(ctx, base, f))
			}
			for k, s := range outs {
				if !followedIndex(t, s) {
					t.Fatalf("edit %d at %d: the symbol index did not follow", k, at)
				}
			}
			base = outs[0]
		}
	}
}
