package analysis

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"go.uber.org/zap/zaptest"

	"github.com/bpfls/bpfls/analysis/cdecl"
	"github.com/bpfls/bpfls/analysis/internal/analysistest"
	"github.com/bpfls/bpfls/analysis/syntax"
	"github.com/bpfls/bpfls/btfindex/userbin"
	"github.com/bpfls/bpfls/btfindex/userbin/usertest"
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

// cpartEdit replaces old, found at anchor, by new; byName says whether
// the edit must take the path walking only the probes that looked up a
// changed name (incremental_cpart.go).
type cpartEdit struct {
	anchor, old, new string
	byName           bool
}

// runCPartEdits applies edits to src in turn under cfg and requires after
// each one a full analysis' diagnostics and symbols, and the path byName
// asks for.
func runCPartEdits(t *testing.T, cfg Config, name, src string, edits []cpartEdit) {
	t.Helper()
	ctx := context.Background()
	v := cfg.Dialect.Version
	f := syntax.Parse(name, []byte(src), cfg.Dialect)
	prev := Reanalyze(ctx, &Snapshot{Config: cfg}, f)
	requireSameAnalysis(t, prev, Analyze(ctx, syntax.Parse(name, f.Src(), cfg.Dialect), cfg), fmt.Sprintf("%s: the first analysis", v))
	at := func(s string) syntax.Pos {
		k := bytes.Index(f.Src(), []byte(s))
		if k < 0 {
			t.Fatalf("no %q in\n%s", s, f.Src())
		}
		return syntax.Pos(k)
	}
	byName := 0
	for _, e := range edits {
		k := at(e.anchor) + syntax.Pos(bytes.Index([]byte(e.anchor), []byte(e.old)))
		if k < at(e.anchor) {
			t.Fatalf("%q not in %q", e.old, e.anchor)
		}
		edit := syntax.Edit{Span: syntax.Span{Start: k, End: k + syntax.Pos(len(e.old))}, NewText: []byte(e.new)}
		f = syntax.Reparse(f, edit)
		got := Reanalyze(ctx, prev, f)
		want := Analyze(ctx, syntax.Parse(name, f.Src(), cfg.Dialect), cfg)
		what := fmt.Sprintf("%s, %q → %q", v, e.old, e.new)
		took := got.inc != nil && got.inc.byDecls
		if took {
			byName++
		}
		if e.byName && !took {
			t.Errorf("%s: the edit did not walk only the probes looking up a changed name", what)
		}
		requireSameAnalysis(t, got, want, what)
		prev = got
	}
	t.Logf("%s: %d of %d C part edits walked only the probes looking up a changed name", v, byName, len(edits))
}

// TestCPartEdits edits the C part of a script (a field added, renamed and
// removed, a struct renamed, an enum constant and a #define changed) and
// requires after each edit a full analysis' diagnostics and symbols, and
// that it take the path that walks again only the probes looking up a
// changed name or using a map typed by one.
func TestCPartEdits(t *testing.T) {
	t.Parallel()
	for _, v := range []syntax.Version{syntax.V0_17, syntax.V0_26} {
		cfg := Config{Dialect: syntax.Dialect{Version: v}, Kernel: analysistest.NewTCPKernel(), CHeaders: &cdecl.Cache{}}
		runCPartEdits(t, cfg, "cpart.bt", cpartScript, []cpartEdit{
			{"int y; }", "int y; ", "int y; int z; ", true},        // a field added
			{"int z; ", "int z", "int w", true},                    // renamed
			{"int y; ", "int y", "long y", true},                   // retyped: the map's readers see it
			{"int x; ", "int x", "short x", true},                  // retyped: read through the map before it is typed
			{"short x; ", "short x", "short q", true},              // renamed: its readers have no field x
			{"short q; ", "short q", "int x", true},                // and back
			{"int w; ", "int w; ", "", true},                       // removed
			{"GREEN }", "GREEN", "GREEN, BLUE", true},              // an enum constant added
			{"LIMIT 4", "4", "8", true},                            // a #define changed
			{"struct other", "other", "others", true},              // a struct nothing uses renamed
			{"struct point {", "point", "pointy", true},            // a struct in use renamed
			{"struct pointy {", "pointy", "point", true},           // and back
			{"int x; ", "int x; ", "int x; char s[LIMIT]; ", true}, // an array sized by a #define
		})
		// A C part typed into a script without one, and deleted again.
		runCPartEdits(t, cfg, "nocpart.bt", "kprobe:tcp_sendmsg { @c = LIMIT; }\nkprobe:tcp_recvmsg { @n = count(); }\n", []cpartEdit{
			{"kprobe:tcp_sendmsg", "", "#define LIMIT 4\n", true},
			{"#define LIMIT 4\n", "#define LIMIT 4\n", "", true},
		})
	}
}

// cpartKernelScript reaches kernel structs the C part and a header
// shadow: sock_common through a field of args' sk, which only the probe
// pass types (two attach points: the walk has no context), and through a
// cast; sockaddr (once the header is included, with a BSD field the
// kernel's lacks) through args' uaddr; task_struct through curtask. The
// last probe names a constant and a type no header defines, which are
// errors only while every header was read. {K} is the version's name of
// fentry, {ARGS} "args->" or "args.".
const cpartKernelScript = `#define LIMIT 4
struct sock_common { unsigned short skc_family; unsigned char skc_state; };
struct point { int x; };
{K}:tcp_v4_connect, {K}:tcp_v6_connect { @fam[tid] = {ARGS}sk->__sk_common.skc_family; }
{K}:tcp_v4_connect, {K}:tcp_v6_connect { @len = {ARGS}uaddr->sa_len; }
kprobe:tcp_close { $c = (struct sock_common *)arg0; @st = $c->skc_state; }
kprobe:tcp_close { @pid = curtask->pid; }
tracepoint:syscalls:sys_enter_read { @r[args->fd] = count(); }
kprobe:vfs_read { $p = (struct point *)arg1; @x = $p->x + LIMIT; }
kprobe:vfs_write { @k = MY_FLAG; @t = (my_t)arg0; }
`

// TestCPartEditsRealKernel edits, against the running kernel's BTF, C
// parts that shadow kernel structs, and includes a header and removes it
// again, and names a header it cannot find: the edits the path declined
// before (a changed name that is also a kernel struct; the headers read,
// or whether they were read whole, changed). Each must match a full
// analysis and take the path.
func TestCPartEditsRealKernel(t *testing.T) {
	t.Parallel()
	kernel := analysistest.RealKernel(t)
	dir := t.TempDir()
	hdr := "#define EXTRA 3\nstruct sockaddr { unsigned char sa_len; unsigned char sa_family; };\nstruct extra { long e; };\nenum mode { M_A, M_B };\n"
	if err := os.WriteFile(filepath.Join(dir, "extra.h"), []byte(hdr), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, v := range []syntax.Version{syntax.V0_17, syntax.V0_26} {
		cfg := Config{Dialect: syntax.Dialect{Version: v}, Kernel: kernel, CHeaders: &cdecl.Cache{}, IncludeDirs: []string{dir}}
		k, args := "kfunc", "args->"
		if v.AtLeast(syntax.V0_20) {
			k, args = "fentry", "args."
		}
		src := strings.NewReplacer("{K}", k, "{ARGS}", args).Replace(cpartKernelScript)
		runCPartEdits(t, cfg, filepath.Join(dir, "kernel.bt"), src, []cpartEdit{
			{"skc_state; }", "skc_state; ", "skc_state; int skc_x; ", true},               // a field added to a shadowing struct
			{"short skc_family", "skc_family", "skc_fam", true},                           // renamed: the context's readers lose it
			{"short skc_fam;", "skc_fam", "skc_family", true},                             // and back
			{"char skc_state", "char skc_state", "int skc_state", true},                   // retyped: a map of it changes
			{"int skc_x; ", "int skc_x; ", "", true},                                      // removed
			{"struct sock_common {", "sock_common", "sock_commons", true},                 // unshadowed: the kernel's is seen again
			{"struct sock_commons {", "sock_commons", "sock_common", true},                // and shadowed again
			{"#define LIMIT", "#define LIMIT", "#include <extra.h>\n#define LIMIT", true}, // a header included: sockaddr shadowed
			{"struct point { int x; };", "int x;", "int x; struct extra *e; enum mode m;", true},
			{"#include <extra.h>\n", "#include <extra.h>\n", "", true}, // removed: its names are missing now
			{"int x; struct extra *e; enum mode m;", " struct extra *e; enum mode m;", "", true},
			{"#define LIMIT", "#define LIMIT", "#include <extra.h>\n#define LIMIT", true}, // included again
			{"#include <extra.h>", "extra.h", "nothere.h", true},                          // a header not found: MY_FLAG may come from it
			{"#include <nothere.h>", "nothere.h", "extra.h", true},                        // found again: MY_FLAG is unknown
			{"#include <extra.h>\n", "#include <extra.h>\n", "", true},                    // removed
		})
	}
}

// TestCPartEditReadsFewProbes edits the C part of a 2,000-line script
// whose probes the runtime has collected and none of which names the C
// part's struct, and requires that only the probe with a diagnostic
// (which may suggest a name) is read again: a field added to a struct of
// the script's own, to one that shadows a kernel struct (against the
// running kernel's BTF), and an #include of a system header defining
// kernel structs.
func TestCPartEditReadsFewProbes(t *testing.T) {
	for _, tc := range []struct {
		name, cpart, at, text string
		kernel                bool
	}{
		{"own", "#define LIMIT 4\nstruct S { int x; long y[LIMIT]; };\n", "int x;", " int z;", false},
		{"shadow", "#define LIMIT 4\nstruct sock_common { unsigned short skc_family; };\n", "skc_family;", " int z;", true},
		{"include", "#define LIMIT 4\n", "", "#include <linux/in.h>\n", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			src, _ := scaleScript(2000)
			src = append([]byte(tc.cpart), src...)
			cfg := Config{Dialect: syntax.NewestDialect(), CHeaders: &cdecl.Cache{}}
			if tc.kernel {
				cfg.Kernel = analysistest.RealKernel(t)
			}
			f := syntax.Parse("scale.bt", src, cfg.Dialect)
			s := Reanalyze(context.Background(), &Snapshot{Config: cfg}, f)
			runtime.GC()
			if held := f.ProbesInMemory(); held != 0 {
				t.Fatalf("%d probes held after a collection, want 0", held)
			}
			at := syntax.Pos(0)
			if tc.at != "" {
				at = syntax.Pos(bytes.Index(src, []byte(tc.at)) + len(tc.at))
			}
			g := syntax.Reparse(f, syntax.Edit{Span: syntax.Span{Start: at, End: at}, NewText: []byte(tc.text)})
			s = Reanalyze(context.Background(), s, g)
			if s.inc == nil || !s.inc.byDecls {
				t.Fatal("the C part edit did not take the declaration path")
			}
			if held := g.ProbesInMemory(); held > 1 {
				t.Errorf("the edit read %d of %d probes, want at most 1", held, g.NumItems())
			}
			runtime.KeepAlive(s)
		})
	}
}

// TestCPartEditsUserProbes edits the C part of a script with user-space
// probes, whose args a binary's DWARF types (built by the test): the
// probe pass resolves their structs through the C part, which the walk,
// without the probe's context, never looked up. Each edit must match a
// full analysis and take the path; the path declined such scripts before.
func TestCPartEditsUserProbes(t *testing.T) {
	t.Parallel()
	bins := usertest.Build(t, "")
	ctx := context.Background()
	cache := userbin.NewCache(ctx, zaptest.NewLogger(t), userbin.Options{})
	defer cache.Close()
	user := userbin.Waiting{Cache: cache, Ctx: ctx}
	for _, v := range []syntax.Version{syntax.V0_17, syntax.V0_26} {
		cfg := Config{Dialect: syntax.Dialect{Version: v}, User: user, CHeaders: &cdecl.Cache{}}
		args := "args->"
		if v.AtLeast(syntax.V0_19) {
			args = "args."
		}
		src := "#define LIMIT 4\nstruct point { int x; int y; };\n" +
			"uprobe:" + bins.Debug + ":add_points { @x = " + args + "a->x + LIMIT; }\n" +
			"uprobe:" + bins.Debug + ":dist { @n = count(); }\n" +
			"kprobe:vfs_read { @r = count(); }\n"
		runCPartEdits(t, cfg, "user.bt", src, []cpartEdit{
			{"int y; }", "int y; ", "int y; int z; ", true},                                // a field added
			{"{ int x;", "int x", "int xx", true},                                          // renamed: args' a has no x
			{"{ int xx;", "int xx", "long x", true},                                        // back, retyped
			{"LIMIT 4", "4", "8", true},                                                    // a #define changed
			{"struct point {", "point", "points", true},                                    // the struct renamed
			{"struct points {", "points", "point", true},                                   // and back
			{"#define LIMIT", "#define LIMIT", "#include <stdint.h>\n#define LIMIT", true}, // a header included
		})
	}
}
