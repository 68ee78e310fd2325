package cdecl

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/bpfls/bpfls/analysis/syntax"
)

// read parses src whose C part is everything before the first line
// starting with "kprobe:".
func read(t *testing.T, dir, src string, opts Options) *Decls {
	t.Helper()
	end := strings.Index(src, "kprobe:")
	if end < 0 {
		end = len(src)
	}
	opts.Path = filepath.Join(dir, "script.bt")
	if opts.SysDirs == nil {
		opts.SysDirs = []string{}
	}
	return Read(context.Background(), []byte(src), []syntax.Span{{Start: 0, End: syntax.Pos(end)}}, opts)
}

func TestScriptDefinitions(t *testing.T) {
	t.Parallel()
	d := read(t, t.TempDir(), `struct foo { int a; struct bar *b; union { int x; char y; }; unsigned int bf:3; char name[16]; };
enum color { RED = 1, GREEN = RED + 4, BLUE };
typedef struct foo foo_t;
#define MAX 10
kprobe:vfs_read { }
`, Options{})
	if !d.Complete || len(d.Problems) != 0 {
		t.Fatalf("Complete %v, problems %v", d.Complete, d.Problems)
	}
	foo := d.Records["foo"]
	if foo == nil || foo.Size != 40 {
		t.Fatalf("foo = %+v", foo)
	}
	want := map[string][2]uint32{"a": {0, 0}, "b": {8, 0}, "x": {16, 0}, "y": {16, 0}, "bf": {20, 3}, "name": {21, 0}}
	for n, w := range want {
		m, ok := foo.Field(n)
		if !ok || m.Offset != w[0] || m.BitSize != w[1] {
			t.Errorf("foo.%s = %+v, %v; want offset %d bits %d", n, m, ok, w[0], w[1])
		}
	}
	if m, _ := foo.Field("b"); m.Type.C != "struct bar *" || m.Type.Elem == nil || m.Type.Elem.Record != "bar" {
		t.Errorf("foo.b type = %+v", m.Type)
	}
	if m, _ := foo.Field("name"); m.Type.Len != 16 || m.Type.C != "char[16]" {
		t.Errorf("foo.name type = %+v", m.Type)
	}
	if c := d.Consts["BLUE"]; c.Value != 6 || c.Enum != "color" || c.Line != 2 {
		t.Errorf("BLUE = %+v", c)
	}
	if td, ok := d.Typedefs["foo_t"]; !ok || td.Record != "foo" {
		t.Errorf("foo_t = %+v", td)
	}
	if d.Macros["MAX"] != "10" {
		t.Errorf("MAX = %q", d.Macros["MAX"])
	}
}

func TestHeaders(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	inc := filepath.Join(dir, "inc")
	os.MkdirAll(inc, 0o755)
	os.WriteFile(filepath.Join(dir, "local.h"), []byte("#define LOCAL 7\nstruct local { long l1; };\n"), 0o644)
	os.WriteFile(filepath.Join(inc, "idir.h"), []byte("enum idir_e { IDIR_A = 3 };\n"), 0o644)
	src := `#include "local.h"
#include <idir.h>
#ifndef BPFTRACE_HAVE_BTF
#include <linux/no_such_header_here.h>
#endif
kprobe:vfs_read { }
`
	d := read(t, dir, src, Options{IncludeDirs: []string{inc}, HaveBTF: true})
	if !d.Complete || len(d.Problems) != 0 {
		t.Fatalf("Complete %v, problems %v", d.Complete, d.Problems)
	}
	if d.Records["local"] == nil || d.Macros["LOCAL"] != "7" || d.Consts["IDIR_A"].Value != 3 {
		t.Errorf("records %v macros %v consts %v", d.Records, d.Macros, d.Consts)
	}
	if c := d.Consts["IDIR_A"]; c.File != filepath.Join(inc, "idir.h") {
		t.Errorf("IDIR_A from %q", c.File)
	}
	if len(d.Includes) != 3 || d.Includes[0].Path != filepath.Join(dir, "local.h") || d.Includes[1].Path != filepath.Join(inc, "idir.h") || d.Includes[2].Path != "" {
		t.Errorf("includes %+v", d.Includes)
	}
	// Without BTF the dead block is live, and its header is missing: the
	// problem is on its line, and the rest is still read.
	d = read(t, dir, src, Options{IncludeDirs: []string{inc}})
	if d.Complete || len(d.Problems) != 1 || !d.Problems[0].Missing || d.Problems[0].Span != d.Includes[2].Span {
		t.Fatalf("Complete %v, problems %+v", d.Complete, d.Problems)
	}
	if !strings.Contains(d.Problems[0].Message, "linux/no_such_header_here.h") || d.Records["local"] == nil {
		t.Errorf("problem %q, records %v", d.Problems[0].Message, d.Records)
	}
}

func BenchmarkRead(b *testing.B) {
	src := []byte("struct foo { int a; long b; };\nenum e { A, B };\n#include <linux/tcp.h>\nkprobe:vfs_read {}\n")
	parts := []syntax.Span{{Start: 0, End: 70}}
	b.ReportAllocs()
	for b.Loop() {
		Read(context.Background(), src, parts, Options{Path: "/tmp/x.bt"})
	}
}

// TestNotAHeader: a device or directory named as a header is refused, not
// read for ever.
func TestNotAHeader(t *testing.T) {
	t.Parallel()
	d := read(t, t.TempDir(), "#include \"/dev/zero\"\n#include \"/tmp\"\nstruct ok { int a; };\n", Options{})
	if d.Complete || d.Records["ok"] == nil || len(d.Problems) == 0 {
		t.Errorf("Complete %v, records %v, problems %+v", d.Complete, d.Records, d.Problems)
	}
}

func TestMissingSemicolon(t *testing.T) {
	t.Parallel()
	src := "struct a { int x; }\nstruct b { struct a y; }\nkprobe:f {}\n"
	d := Read(context.Background(), []byte(src), []syntax.Span{{Start: 0, End: 19}, {Start: 20, End: 44}}, Options{SysDirs: []string{}})
	if !d.Complete || d.Records["b"] == nil || d.Records["b"].Size != 4 {
		t.Errorf("Complete %v, problems %+v, records %v", d.Complete, d.Problems, d.Records)
	}
}

// FuzzRead: any C part yields Decls without a panic, and problems inside
// the script.
func FuzzRead(f *testing.F) {
	for _, s := range []string{"struct a { int x; }", "enum e { A = 1 << 70 };", "#define X(a) a##a\nX(X)", "#include <", "struct { struct a b; } c;", "#if 1/0\n#endif", "union u { int a:99; };"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		d := Read(context.Background(), []byte(src), []syntax.Span{{Start: 0, End: syntax.Pos(len(src))}}, Options{SysDirs: []string{}, Path: "/nonexistent/x.bt"})
		for _, p := range d.Problems {
			if p.Span.Start < 0 || int(p.Span.End) > len(src) || p.Span.End < p.Span.Start {
				t.Fatalf("problem span %v out of %d bytes: %q", p.Span, len(src), p.Message)
			}
		}
	})
}

// TestCacheMovesResults reads one C part through a Cache at two places in
// a script: the second read must reuse the first's front-end result and
// equal a fresh read there.
func TestCacheMovesResults(t *testing.T) {
	const c = "enum e { A = 1,\n  B };\n#include \"no_such_header_q.h\"\n"
	spans := func(src string) []syntax.Span {
		i := strings.Index(src, "enum")
		j := strings.Index(src, "#include")
		return []syntax.Span{{Start: syntax.Pos(i), End: syntax.Pos(j - 1)}, {Start: syntax.Pos(j), End: syntax.Pos(strings.Index(src, "kprobe") - 1)}}
	}
	opts := Options{SysDirs: []string{}, Path: "/nonexistent/x.bt"}
	var cache Cache
	var first *Decls
	for i, src := range []string{c, "// one\n// two\n" + c, "//\n" + c, c} {
		src += "kprobe:f { @a = B; }\n"
		d := cache.Read(context.Background(), PartsOf([]byte(src), spans(src)), opts)
		if i == 0 {
			first = d
		} else if reflect.ValueOf(d.Records).Pointer() != reflect.ValueOf(first.Records).Pointer() {
			t.Errorf("read %d: the C part was read again", i)
		}
		want := Read(context.Background(), []byte(src), spans(src), opts)
		if !reflect.DeepEqual(d.Includes, want.Includes) || !reflect.DeepEqual(d.Problems, want.Problems) || !reflect.DeepEqual(d.Consts, want.Consts) {
			t.Errorf("read %d: includes %v, problems %v, constants %v; want %v, %v, %v", i, d.Includes, d.Problems, d.Consts, want.Includes, want.Problems, want.Consts)
		}
		line := strings.Count(src[:strings.Index(src, "B }")], "\n") + 1
		if d.Consts["B"].Line != line || len(d.Problems) != 1 || d.Problems[0].Span != d.Includes[0].Span ||
			src[d.Includes[0].Span.Start:d.Includes[0].Span.End] != `#include "no_such_header_q.h"` {
			t.Errorf("read %d: B on line %d (want %d), problems %+v, includes %+v", i, d.Consts["B"].Line, line, d.Problems, d.Includes)
		}
	}
}
