package ide_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"reflect"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/bpfls/bpfls/analysis"
	"github.com/bpfls/bpfls/analysis/benchtest"
	"github.com/bpfls/bpfls/analysis/ide"
	"github.com/bpfls/bpfls/analysis/rope"
	"github.com/bpfls/bpfls/analysis/syntax"
)

// editedScripts are the scripts the incremental tests of ./analysis edit
// (the golden scripts, the examples and the real-world corpus, a generated
// script of many probes, one of probes among declarations), and one whose
// fns and macros take builtins' names.
func editedScripts(t *testing.T) map[string][]byte {
	t.Helper()
	out := benchtest.EditedScripts(t)
	typing, _ := benchtest.TypingScript(600)
	out["generated"] = []byte(typing)
	var b strings.Builder
	b.WriteString("#include <linux/sched.h>\nstruct S {\n  int x;\n};\nconfig = {\n  max_map_keys = 100\n}\nlet @d = hash(16);\n")
	for i := range 40 {
		switch i % 5 {
		case 0:
			fmt.Fprintf(&b, "\n// helper %d\n// on two lines\nmacro add%d(x) {\n  x + %d\n}\n", i, i, i)
		case 1:
			fmt.Fprintf(&b, "fn twice%d($x: int64): int64 {\n  return $x * 2;\n}\n/* a\n   block */\n", i)
		case 2:
			fmt.Fprintf(&b, "let @decl%d = lruhash(%d);\n", i, 8+i)
		case 3:
			b.WriteString("macro comm() { 1 }\nfn count(): int64 { return 2; }\n")
		}
		fmt.Fprintf(&b, "kprobe:vfs_read /pid > %d/ {\n  @d[%d] = count(); @x[comm] = 1;\n  if (pid) {\n    printf(\"%%d\\n\", nsecs);\n  }\n}\n", i, i)
	}
	out["declarations"] = []byte(b.String())
	return out
}

var mapNameRe = regexp.MustCompile(`@[A-Za-z_][A-Za-z0-9_]*`)

// editOf returns an edit of f of the kinds the incremental tests of
// ./analysis make: a character, line break or statement typed, a few
// bytes deleted, an item removed, pasted again or split in two, a
// declaration typed, a fn or macro renamed to or from a builtin's name.
func editOf(rng *rand.Rand, f *syntax.File) syntax.Edit {
	n := syntax.Pos(f.Len())
	at := syntax.Pos(rng.IntN(int(n) + 1))
	ins := func(at syntax.Pos, text string) syntax.Edit {
		return syntax.Edit{Span: syntax.Span{Start: at, End: at}, NewText: []byte(text)}
	}
	item := func() (syntax.Span, syntax.Span, bool) {
		if f.NumItems() == 0 {
			return syntax.Span{}, syntax.Span{}, false
		}
		i := rng.IntN(f.NumItems())
		return f.ItemExtent(i), f.ItemSpan(i), true
	}
	src := string(f.Src())
	switch rng.IntN(12) {
	case 0:
		return ins(at, "a")
	case 1:
		return ins(at, "\n")
	case 2:
		return ins(at, "{")
	case 3, 4:
		if n > 0 {
			at = min(at, n-1)
			return syntax.Edit{Span: syntax.Span{Start: at, End: min(n, at+1+syntax.Pos(rng.IntN(4)))}}
		}
	case 5: // a statement after a '{' or ';'
		maps := append(mapNameRe.FindAllString(src, -1), "@fresh")
		m := maps[rng.IntN(len(maps))]
		if i := strings.IndexAny(src[at:], "{;"); i >= 0 {
			stmts := []string{m + "[pid] = count();", "if (comm == \"a\") {\n  " + m + " = 1;\n}", "/* c */ $u = 1;", "printf(\"%d\\n\", pid);"}
			return ins(at+syntax.Pos(i+1), " "+stmts[rng.IntN(len(stmts))])
		}
	case 6: // an item goes
		if ext, _, ok := item(); ok {
			return syntax.Edit{Span: ext}
		}
	case 7: // a copy of an item after it
		if ext, _, ok := item(); ok {
			return ins(ext.End, string(f.Slice(ext.Start, ext.End)))
		}
	case 8: // an item split in two
		if _, sp, ok := item(); ok {
			return ins(sp.Start+(sp.End-sp.Start)/2, "}\nkprobe:vfs_read {")
		}
	case 9: // a declaration between items
		if ext, _, ok := item(); ok {
			return ins(ext.Start, []string{"let @decl = hash(8);\n", "macro m(x) {\n  x\n}\n", "// note\n// more\n"}[rng.IntN(3)])
		}
	case 10: // a fn or macro renamed to a builtin's name, or back
		for _, r := range [][2]string{{"add0", "pid"}, {"comm(", "commx("}, {"twice1", "printf"}, {"count(): int64", "countx(): int64"}, {"pid(x)", "add0(x)"}} {
			if i := strings.Index(src, r[0]); i >= 0 && rng.IntN(2) == 0 {
				return syntax.Edit{Span: syntax.Span{Start: syntax.Pos(i), End: syntax.Pos(i + len(r[0]))}, NewText: []byte(r[1])}
			}
		}
	}
	return ins(at, "1")
}

// TestFileCacheMatchesWholeFile edits the scripts of the incremental
// tests, re-parsing incrementally as the server does, and requires after
// each edit that a FileCache kept across the edits answer the outline,
// the folds and the semantic tokens exactly as the whole-file functions
// do. The runtime collects the probes now and then, as between
// keystrokes, so that both cached and re-parsed items are read.
func TestFileCacheMatchesWholeFile(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	for name, src := range editedScripts(t) {
		for k, v := range []syntax.Version{syntax.V0_17, syntax.V0_26} {
			rng := rand.New(rand.NewPCG(uint64(len(src)), uint64(k)))
			var c ide.FileCache
			f := syntax.Parse("edit.bt", src, syntax.Dialect{Version: v})
			if k == 1 { // filled as the parse goes, as the server does for a large document
				f = syntax.ParseTextEach("edit.bt", rope.New(src), syntax.Dialect{Version: v}, c.Add)
				runtime.GC() // the probes the File drops are not read again
				if n := c.TakeRead(); n == 0 {
					t.Fatalf("%s, %s: the parse handed the cache no item", name, v)
				}
			}
			for step := range 24 {
				snap := &analysis.Snapshot{File: f}
				if step == 0 && k == 1 {
					c.SemanticTokens(ctx, snap)
					c.DocumentSymbols(ctx, snap)
					c.Folds(ctx, snap)
					if n := c.TakeRead(); n != 0 {
						t.Fatalf("%s, %s: answering after a parse that filled the cache read %d bytes of items again", name, v, n)
					}
				}
				if step%3 == 0 { // all three, as an editor asks after a change
					c.SemanticTokens(ctx, snap)
					c.DocumentSymbols(ctx, snap)
				}
				if got, want := c.DocumentSymbols(ctx, snap), ide.DocumentSymbols(ctx, snap); !reflect.DeepEqual(got, want) {
					t.Fatalf("%s, %s, step %d: symbols differ:\n got %+v\nwant %+v\n--- source\n%s", name, v, step, got, want, f.Src())
				}
				if got, want := c.Folds(ctx, snap), ide.Folds(ctx, snap); !reflect.DeepEqual(got, want) {
					t.Fatalf("%s, %s, step %d: folds differ:\n got %+v\nwant %+v\n--- source\n%s", name, v, step, got, want, f.Src())
				}
				if got, want := c.SemanticTokens(ctx, snap), ide.SemanticTokens(ctx, snap); !reflect.DeepEqual(got, want) {
					t.Fatalf("%s, %s, step %d: tokens differ:\n got %+v\nwant %+v\n--- source\n%s", name, v, step, got, want, f.Src())
				}
				if step%5 == 4 {
					runtime.GC()
				}
				f = syntax.Reparse(f, editOf(rng, f))
			}
		}
	}
}

// TestFileCacheConcurrentVersions asks one FileCache for two versions of
// a document at once, as requests for an old and a new version may come,
// and requires each answer to be its version's.
func TestFileCacheConcurrentVersions(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	src, at := benchtest.TypingScript(400)
	f := syntax.Parse("c.bt", []byte(src), syntax.NewestDialect())
	g := syntax.Reparse(f, syntax.Edit{Span: syntax.Span{Start: syntax.Pos(at), End: syntax.Pos(at)}, NewText: []byte("\n\"); @n = 1; printf(\"")})
	snaps := []*analysis.Snapshot{{File: f}, {File: g}}
	var want [2][]ide.SemToken
	var wantSyms [2][]ide.DocSymbol
	for i, s := range snaps {
		want[i], wantSyms[i] = ide.SemanticTokens(ctx, s), ide.DocumentSymbols(ctx, s)
	}
	var c ide.FileCache
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Go(func() {
			for k := range 10 {
				i := (w + k) % 2
				if got := c.SemanticTokens(ctx, snaps[i]); !reflect.DeepEqual(got, want[i]) {
					t.Errorf("version %d: tokens differ", i)
				}
				if got := c.DocumentSymbols(ctx, snaps[i]); !reflect.DeepEqual(got, wantSyms[i]) {
					t.Errorf("version %d: symbols differ", i)
				}
			}
		})
	}
	wg.Wait()
}

// BenchmarkFileCacheHeap reports the live heap a FileCache holds for the
// 1 MB document the server's memory test opens, per byte of its text
// ("cache-B/B"), once it has answered the three requests.
//
//	go test ./analysis/ide -run '^$' -bench FileCacheHeap -benchtime 3x
func BenchmarkFileCacheHeap(b *testing.B) {
	ctx := context.Background()
	src := benchtest.LargeScript(b, 1<<20)
	snap := &analysis.Snapshot{File: syntax.Parse("big.bt", src, syntax.NewestDialect())}
	for b.Loop() {
		h0 := benchtest.LiveHeap()
		c := new(ide.FileCache)
		c.SemanticTokens(ctx, snap)
		c.DocumentSymbols(ctx, snap)
		c.Folds(ctx, snap)
		h1 := benchtest.LiveHeap()
		runtime.KeepAlive(c)
		b.ReportMetric(float64(h1-h0)/float64(len(src)), "cache-B/B")
	}
}

// FuzzFileCache parses arbitrary text, asks a FileCache for its answers,
// applies an arbitrary edit and requires the cache's answers after it to
// equal the whole-file functions'. Its seeds run with the unit tests.
func FuzzFileCache(f *testing.F) {
	f.Add("kprobe:vfs_read { @x[comm] = count(); }\n// c\nBEGIN { if (1) {\n print(1); } }\n", 10, 0, "\n")
	f.Add("macro comm() { 1 }\nBEGIN { comm; count(); pid }\nfn count(): int64 { return 1; }\n", 7, 4, "x")
	f.Add("BEGIN { /* a\n b */ @a = 1; }\nkprobe:f {\n}\n", 0, 0, "}\nkprobe:g {")
	f.Add("config = {\n a = 1\n}\nlet @m = hash(2);\n#include <x.h>\n", 30, 3, "")
	ctx := context.Background()
	f.Fuzz(func(t *testing.T, src string, at, del int, ins string) {
		if len(src) > 400 || len(ins) > 40 || at < 0 || del < 0 {
			return
		}
		at, del = min(at, len(src)), min(del, len(src)-min(at, len(src)))
		old := syntax.Parse("fuzz.bt", []byte(src), syntax.NewestDialect())
		var c ide.FileCache
		c.SemanticTokens(ctx, &analysis.Snapshot{File: old})
		g := syntax.Reparse(old, syntax.Edit{Span: syntax.Span{Start: syntax.Pos(at), End: syntax.Pos(at + del)}, NewText: []byte(ins)})
		snap := &analysis.Snapshot{File: g}
		if got, want := c.DocumentSymbols(ctx, snap), ide.DocumentSymbols(ctx, snap); !reflect.DeepEqual(got, want) {
			t.Fatalf("symbols differ:\n got %+v\nwant %+v", got, want)
		}
		if got, want := c.Folds(ctx, snap), ide.Folds(ctx, snap); !reflect.DeepEqual(got, want) {
			t.Fatalf("folds differ:\n got %+v\nwant %+v", got, want)
		}
		if got, want := c.SemanticTokens(ctx, snap), ide.SemanticTokens(ctx, snap); !reflect.DeepEqual(got, want) {
			t.Fatalf("tokens differ:\n got %+v\nwant %+v", got, want)
		}
	})
}
