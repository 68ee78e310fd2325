package analysis

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/bpfls/bpfls/analysis/cdecl"
	"github.com/bpfls/bpfls/analysis/internal/analysistest"
	"github.com/bpfls/bpfls/analysis/syntax"
)

// TestRealCPart checks the script's C part against the running kernel as
// bpftrace 0.17, 0.24 and 0.26 do: its own structs, unions, enums and
// typedefs are types with fields; a header the test writes is read through
// -I and the script's directory (typedefs come only from headers: bpftrace
// rejects a typedef in the script, and a cast to a header's typedef name
// is an unknown type in every version: bpftrace resolves type names
// through BTF only); `#ifndef BPFTRACE_HAVE_BTF` blocks are
// dead; a missing header is an error on its line; fields of script and
// header types are errors, not warnings.
func TestRealCPart(t *testing.T) {
	ix := analysistest.RealKernel(t)
	dir := t.TempDir()
	inc := filepath.Join(dir, "inc")
	if err := os.MkdirAll(inc, 0o755); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(dir, "near.h"), []byte("#define NEAR 7\nstruct near { long n1; int n2; };\n"), 0o644)
	os.WriteFile(filepath.Join(inc, "far.h"), []byte("enum far_e { FAR_A = 3 };\ntypedef struct far { int f1; } far_t;\n"), 0o644)
	tests := []struct {
		name, src string
		want      []string // "LINE:code" of each diagnostic, in order
	}{
		{"script struct", "struct foo { int a; union { long u; char c; }; }\n" +
			"kprobe:vfs_read { $f = (struct foo *)arg0; @a = $f->a + $f->u; @b = $f->nope; }",
			[]string{"2:" + CodeUnknownField}},
		{"script enum", "enum ee { E1 = 3 };\nkprobe:vfs_read { @a = E1; @d = E2; }",
			[]string{"2:" + CodeUnknownIdent}},
		{"headers", "#include \"near.h\"\n#include <far.h>\n" +
			"kprobe:vfs_read { $n = (struct near *)arg0; @a = $n->n1 + NEAR + FAR_A; $f = (struct far *)arg0; @b = $f->f1 + $f->f2; @c = $n->n3; }",
			[]string{"3:" + CodeUnknownField, "3:" + CodeUnknownField}},
		{"header kernel struct field", "#include \"near.h\"\n" +
			"kprobe:vfs_read { $t = (struct file *)arg0; @a = $t->f_nope; @b = NOPE_X; }",
			[]string{"2:" + CodeUnknownField, "2:" + CodeUnknownIdent}},
		{"header typedef", "#include <far.h>\nkprobe:vfs_read { $f = (far_t *)arg0; @a = $f->f1; }",
			[]string{"2:" + CodeUnknownType}},
		{"dead block", "#ifndef BPFTRACE_HAVE_BTF\n#include <linux/no_such_header_x.h>\n#endif\n" +
			"kprobe:vfs_read { $t = (struct file *)arg0; @a = $t->f_nope; }",
			[]string{"4:" + CodeUnknownField}},
		{"missing header", "#include <linux/no_such_header_x.h>\nkprobe:vfs_read { @a = 1; }",
			[]string{"1:" + CodeIncludeNotFound}},
	}
	for _, tc := range tests {
		for _, v := range []syntax.Version{syntax.V0_17, syntax.V0_24, syntax.V0_26} {
			t.Run(tc.name+"/"+v.String(), func(t *testing.T) {
				d := syntax.Dialect{Version: v}
				f := syntax.Parse(filepath.Join(dir, "s.bt"), []byte(tc.src), d)
				s := Analyze(context.Background(), f, Config{Dialect: d, Kernel: ix, IncludeDirs: []string{inc}, SysIncludeDirs: []string{}})
				var got []string
				for _, dg := range s.Diagnostics {
					line, _ := f.Position(dg.Span.Start)
					got = append(got, strconv.Itoa(line)+":"+dg.Code)
					if dg.Code == CodeUnknownField && dg.Severity != SeverityError {
						t.Errorf("field problem is not an error: %+v", dg)
					}
				}
				if strings.Join(got, " ") != strings.Join(tc.want, " ") {
					t.Errorf("got %q, want %q\n%s", got, tc.want, renderDiags(s.Diagnostics, []byte(tc.src)))
				}
			})
		}
	}
}

// TestRealDebianHeader reads a header of Debian's linux-libc-dev (the
// kernel's uapi headers): its struct is a type with fields, a misspelt
// field is an error, as bpftrace 0.17 reports.
func TestRealDebianHeader(t *testing.T) {
	ix := analysistest.RealKernel(t)
	if _, err := os.Stat("/usr/include/linux/tcp.h"); err != nil {
		analysistest.RequireReal(t, "no /usr/include/linux/tcp.h (Debian's linux-libc-dev)")
	}
	src := "#include <linux/tcp.h>\nkprobe:vfs_read { $t = (struct tcphdr *)arg0; @a = $t->source + TCP_NODELAY; @b = $t->nope; }"
	d := syntax.Dialect{Version: syntax.V0_17}
	f := syntax.Parse("s.bt", []byte(src), d)
	s := Analyze(context.Background(), f, Config{Dialect: d, Kernel: ix})
	if len(s.Diagnostics) != 1 || s.Diagnostics[0].Code != CodeUnknownField || s.Diagnostics[0].Severity != SeverityError {
		t.Errorf("want one field error, got %s", renderDiags(s.Diagnostics, []byte(src)))
	}
}

// TestRealKernelHeaders compiles scripts that include uapi headers with
// the real compilers, without kernel headers and with Debian's 6.1
// linux-headers tree (BPFTRACE_KERNEL_SOURCE/BUILD, Config.KernelHeaders):
// bpfls accepts and rejects as each version does. Without the tree 0.24
// and 0.26 fail on linux/swab.h ("unknown type name
// '__attribute_const__'"), 0.17 compiles; with it all three compile.
func TestRealKernelHeaders(t *testing.T) {
	if testing.Short() {
		t.Skip("compiles with the real compilers")
	}
	analysistest.RealKernel(t)
	compilers := agreementCompilers(t)
	rels, _ := filepath.Glob("/lib/modules/6.1.0-*-amd64/build")
	if len(rels) == 0 {
		analysistest.RequireReal(t, "no Debian linux-headers-6.1.0-*-amd64 (.ci/run setup installs it)")
		return
	}
	tree := cdecl.KernelHeaders{Src: filepath.Join(filepath.Dir(rels[0]), "source"), Obj: rels[0]}
	dir := t.TempDir()
	for i, src := range []string{
		"#include <linux/in.h>\nkprobe:vfs_read { @ = IPPROTO_TCP; }\n",
		"#include <linux/socket.h>\nkprobe:vfs_read { @ = AF_INET; }\n",
	} {
		file := filepath.Join(dir, fmt.Sprintf("k%d.bt", i))
		if err := os.WriteFile(file, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
		for _, c := range compilers {
			for _, withTree := range []bool{false, true} {
				t.Run(fmt.Sprintf("%d/%s/tree=%v", i, c.name, withTree), func(t *testing.T) {
					cfg := Config{Dialect: syntax.Dialect{Version: c.version}, Kernel: analysistest.RealKernel(t)}
					cc := c
					if withTree {
						cc.env = append(append([]string{}, c.env...), "BPFTRACE_KERNEL_SOURCE="+tree.Src, "BPFTRACE_KERNEL_BUILD="+tree.Obj)
						cfg.KernelHeaders = tree
					}
					r := compileOne(cc, file)
					s := Analyze(context.Background(), syntax.Parse(file, []byte(src), cfg.Dialect), cfg)
					if (r.Exit == 0) != !hasErrors(s) {
						t.Errorf("bpftrace exit %d:\n%s\nbpfls:\n%s", r.Exit, r.Output, renderDiags(s.Diagnostics, []byte(src)))
					}
				})
			}
		}
	}
}

func hasErrors(s *Snapshot) bool {
	for _, d := range s.Diagnostics {
		if d.Severity == SeverityError {
			return true
		}
	}
	return false
}

// TestCPartFollowsEdits edits before, inside and after a C part, through
// the server's cache of C parts, and checks that its diagnostics stay
// where they belong and equal a fresh read of the whole script, and that
// the constants it defines keep their script lines.
func TestCPartFollowsEdits(t *testing.T) {
	const probes = "kprobe:vfs_read { @a = EA; }\nkprobe:vfs_write { @b = EB; }\n"
	for _, src := range []string{
		"// a script\n#include <linux/no_such_header_q.h>\nstruct S { int x; } \nstruct T { int y; foo_t z; };\n" + probes,
		"// a script\n#define TEN 10\nstruct S { int x; } \nstruct T { int y; long z[TEN]; };\nenum E { EA = 1, EB };\n" + probes,
	} {
		followEdits(t, src)
	}
}

func followEdits(t *testing.T, src string) {
	cfg := Config{Dialect: syntax.NewestDialect(), CHeaders: &cdecl.Cache{}}
	f := syntax.Parse("/nonexistent/follow.bt", []byte(src), cfg.Dialect)
	s := Reanalyze(context.Background(), &Snapshot{Config: cfg}, f)
	text := src
	start := func(string) int { return 0 }
	edits := []struct {
		at  func(text string) int
		del int
		ins string
	}{
		{start, 0, "// more\n// and more\n"},                                   // the C part moves down two lines
		{func(t string) int { return len(t) - 3 }, 0, "@c = EA; "},             // a map use after it
		{start, len("// more\n"), ""},                                          // it moves up a line
		{func(t string) int { return strings.Index(t, "struct") }, 0, "\n"},    // the parts move apart
		{func(t string) int { return strings.Index(t, "int y") + 4 }, 0, "yy"}, // the second struct's fields move along their line
		{start, 0, "// x"}, // the C part's first line grows
	}
	lineCol := func(text, needle string) (int, int) {
		i := strings.Index(text, needle)
		return strings.Count(text[:i], "\n") + 1, i - strings.LastIndexByte(text[:i], '\n')
	}
	for i, e := range edits {
		pos := e.at(text)
		text = text[:pos] + e.ins + text[pos+e.del:]
		f = syntax.Reparse(f, syntax.Edit{Span: syntax.Span{Start: syntax.Pos(pos), End: syntax.Pos(pos + e.del)}, NewText: []byte(e.ins)})
		before := s.CDecls(context.Background())
		s = Reanalyze(context.Background(), s, f)
		if after := s.CDecls(context.Background()); i == 1 && after != before {
			t.Errorf("edit %d: an edit after the C part read it again", i)
		}
		fresh := Analyze(context.Background(), syntax.Parse(f.Name, []byte(text), cfg.Dialect), Config{Dialect: cfg.Dialect})
		got := diagLines(s)
		if want := diagLines(fresh); got != want {
			t.Fatalf("edit %d: diagnostics\n%s\nwant (a fresh read)\n%s", i, got, want)
		}
		if strings.Contains(text, "#include") {
			line, col := lineCol(text, "#include")
			if !strings.Contains(got, fmt.Sprintf("%d:%d:%s ", line, col, CodeIncludeNotFound)) {
				t.Errorf("edit %d: no missing header error at %d:%d:\n%s", i, line, col, got)
			}
			line, col = lineCol(text, "z; }")
			if !strings.Contains(got, fmt.Sprintf("%d:%d:%s ", line, col, CodeCError)) {
				t.Errorf("edit %d: no C error at %d:%d:\n%s", i, line, col, got)
			}
			continue
		}
		if got != "" {
			t.Errorf("edit %d: diagnostics\n%s", i, got)
		}
		line, _ := lineCol(text, "enum E")
		if c := s.CDecls(context.Background()).Consts["EB"]; c.Line != line || c.File != "" {
			t.Errorf("edit %d: EB defined at %q line %d, want the script's line %d", i, c.File, c.Line, line)
		}
	}
}

// diagLines lists a snapshot's diagnostics as "line:col:code message
// @start-end", one a line.
func diagLines(s *Snapshot) string {
	var b strings.Builder
	for _, d := range s.Diagnostics {
		line, col := s.File.Position(d.Span.Start)
		fmt.Fprintf(&b, "%d:%d:%s %s @%d-%d\n", line, col, d.Code, d.Message, d.Span.Start, d.Span.End)
	}
	return b.String()
}
