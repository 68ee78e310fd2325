package analysis

import (
	"context"
	"runtime"
	"testing"

	"github.com/bpfls/bpfls/analysis/syntax"
)

// TestKeystrokeReadsOnlyItsProbe types into a 2,000-line document whose
// probes the runtime has collected (a File holds probes weakly), in place,
// with a line break that moves every later probe, and a new map use, and
// requires that the re-parse and re-analysis read only the probe typed
// in (and, for a map use or a probe split in two, the few probes whose
// maps it changed, which the map path walks again; for a new macro, the
// probes with diagnostics): reading the others would parse them all
// again.
func TestKeystrokeReadsOnlyItsProbe(t *testing.T) {
	src, at := scaleScript(2000)
	for _, tc := range []struct {
		name string
		most int // probes read
		edit func(at syntax.Pos) syntax.Edit
	}{
		{"in place", 1, func(at syntax.Pos) syntax.Edit {
			return syntax.Edit{Span: syntax.Span{Start: at, End: at}, NewText: []byte("a")}
		}},
		{"line break", 1, func(at syntax.Pos) syntax.Edit {
			return syntax.Edit{Span: syntax.Span{Start: at, End: at}, NewText: []byte("\n")}
		}},
		{"new probe", 3, func(at syntax.Pos) syntax.Edit {
			stmt := at - syntax.Pos(len(`printf("`))
			return syntax.Edit{Span: syntax.Span{Start: stmt, End: stmt}, NewText: []byte("}\nkprobe:vfs_open { ")}
		}},
		// The one probe with a diagnostic is walked again: it may suggest
		// the macro's name.
		{"new macro", 2, func(at syntax.Pos) syntax.Edit {
			return syntax.Edit{Span: syntax.Span{Start: 0, End: 0}, NewText: []byte("macro twice(x) { x * 2 }\n")}
		}},
		{"map use", 3, func(at syntax.Pos) syntax.Edit {
			stmt := at - syntax.Pos(len(`printf("`))
			return syntax.Edit{Span: syntax.Span{Start: stmt, End: stmt}, NewText: []byte("@typed[comm] = 1; ")}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := syntax.Parse("scale.bt", src, syntax.NewestDialect())
			s := Reanalyze(context.Background(), &Snapshot{Config: Config{Dialect: syntax.NewestDialect()}}, f)
			if n := f.NumItems(); n < 100 {
				t.Fatalf("only %d items", n)
			}
			runtime.GC()
			if held := f.ProbesInMemory(); held != 0 {
				t.Fatalf("%d probes held after a collection, want 0", held)
			}
			g := syntax.Reparse(f, tc.edit(at))
			s = Reanalyze(context.Background(), s, g)
			if s.inc == nil {
				t.Fatal("the keystroke took no incremental path")
			}
			if held := g.ProbesInMemory(); held > tc.most {
				t.Errorf("the keystroke read %d of %d probes, want at most %d", held, f.NumItems(), tc.most)
			}
			runtime.KeepAlive(s)
		})
	}
}
