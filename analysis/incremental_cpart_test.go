package analysis

import (
	"bytes"
	"context"
	"fmt"
	"runtime"
	"testing"

	"github.com/bpfls/bpfls/analysis/cdecl"
	"github.com/bpfls/bpfls/analysis/internal/analysistest"
	"github.com/bpfls/bpfls/analysis/syntax"
)

// cpartScript has a C part whose struct, enum and #define reach probes by
// name, through a map's type (the first probe's walk sees the map before
// the next one types it, so only the probe pass sees the struct), and not
// at all.
const cpartScript = `#define LIMIT 4
enum color { RED, GREEN };
struct point { int x; int y; };
struct other { long a; };
kprobe:tcp_recvmsg { $w = @pts[tid]; @z = $w.x; }
kprobe:tcp_sendmsg { $p = (struct point *)arg1; @pts[tid] = *$p; @a = $p->x; }
kprobe:tcp_recvmsg { $v = @pts[tid]; @y = $v.y; }
kprobe:tcp_sendmsg { @c = GREEN + LIMIT; }
kprobe:tcp_recvmsg { @n = count(); }
kprobe:tcp_sendmsg { @m[comm] = sum(arg2); }
`

// TestCPartEdits edits the C part of a script (a field added, renamed and
// removed, a struct renamed, an enum constant and a #define changed) and
// requires after each edit a full analysis' diagnostics and symbols. The
// edits that change no kernel struct's name take the path that walks
// again only the probes looking up a changed name or using a map typed by
// one.
func TestCPartEdits(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	for _, v := range []syntax.Version{syntax.V0_17, syntax.V0_26} {
		cfg := Config{Dialect: syntax.Dialect{Version: v}, Kernel: analysistest.NewTCPKernel(), CHeaders: &cdecl.Cache{}}
		f := syntax.Parse("cpart.bt", []byte(cpartScript), cfg.Dialect)
		prev := Reanalyze(ctx, &Snapshot{Config: cfg}, f)
		at := func(s string) syntax.Pos {
			k := bytes.Index(f.Src(), []byte(s))
			if k < 0 {
				t.Fatalf("no %q in\n%s", s, f.Src())
			}
			return syntax.Pos(k)
		}
		edits, byName := 0, 0
		for _, e := range []struct {
			anchor, old, new string
		}{
			{"int y; }", "int y; ", "int y; int z; "},        // a field added
			{"int z; ", "int z", "int w"},                    // renamed
			{"int y; ", "int y", "long y"},                   // retyped: the map's readers see it
			{"int x; ", "int x", "short x"},                  // retyped: read through the map before it is typed
			{"short x; ", "short x", "short q"},              // renamed: its readers have no field x
			{"short q; ", "short q", "int x"},                // and back
			{"int w; ", "int w; ", ""},                       // removed
			{"GREEN }", "GREEN", "GREEN, BLUE"},              // an enum constant added
			{"LIMIT 4", "4", "8"},                            // a #define changed
			{"struct other", "other", "others"},              // a struct nothing uses renamed
			{"struct point {", "point", "pointy"},            // a struct in use renamed
			{"struct pointy {", "pointy", "point"},           // and back
			{"int x; ", "int x; ", "int x; char s[LIMIT]; "}, // an array sized by a #define
		} {
			k := at(e.anchor) + syntax.Pos(bytes.Index([]byte(e.anchor), []byte(e.old)))
			if k < at(e.anchor) {
				t.Fatalf("%q not in %q", e.old, e.anchor)
			}
			edit := syntax.Edit{Span: syntax.Span{Start: k, End: k + syntax.Pos(len(e.old))}, NewText: []byte(e.new)}
			f = syntax.Reparse(f, edit)
			got := Reanalyze(ctx, prev, f)
			want := Analyze(ctx, syntax.Parse("cpart.bt", f.Src(), cfg.Dialect), cfg)
			edits++
			if got.inc != nil && got.inc.byDecls {
				byName++
			}
			requireSameAnalysis(t, got, want, fmt.Sprintf("%s, %q → %q", v, e.old, e.new))
			prev = got
		}
		if byName < edits*3/4 {
			t.Errorf("%s: %d of %d C part edits walked only the probes looking up a changed name, want three quarters", v, byName, edits)
		}
		t.Logf("%s: %d of %d C part edits walked only the probes looking up a changed name", v, byName, edits)
	}
}

// TestCPartEditReadsFewProbes edits the C part of a 2,000-line script
// whose probes the runtime has collected and none of which names the C
// part's struct, and requires that only the probe with a diagnostic
// (which may suggest a name) is read again.
func TestCPartEditReadsFewProbes(t *testing.T) {
	src, _ := scaleScript(2000)
	const c = "#define LIMIT 4\nstruct S { int x; long y[LIMIT]; };\n"
	src = append([]byte(c), src...)
	cfg := Config{Dialect: syntax.NewestDialect(), CHeaders: &cdecl.Cache{}}
	f := syntax.Parse("scale.bt", src, cfg.Dialect)
	s := Reanalyze(context.Background(), &Snapshot{Config: cfg}, f)
	runtime.GC()
	if held := f.ProbesInMemory(); held != 0 {
		t.Fatalf("%d probes held after a collection, want 0", held)
	}
	at := syntax.Pos(bytes.Index(src, []byte("int x;")) + len("int x;"))
	g := syntax.Reparse(f, syntax.Edit{Span: syntax.Span{Start: at, End: at}, NewText: []byte(" int z;")})
	s = Reanalyze(context.Background(), s, g)
	if s.inc == nil || !s.inc.byDecls {
		t.Fatal("the C part edit did not take the declaration path")
	}
	if held := g.ProbesInMemory(); held > 1 {
		t.Errorf("the edit read %d of %d probes, want at most 1", held, g.NumItems())
	}
	runtime.KeepAlive(s)
}
