package analysis

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/bpfls/bpfls/analysis/benchtest"
	"github.com/bpfls/bpfls/analysis/cdecl"
	"github.com/bpfls/bpfls/analysis/internal/analysistest"
	"github.com/bpfls/bpfls/analysis/syntax"
)

// BenchmarkReanalyzeCPart is an edit of a C part that reaches past the
// script's own names, against the running kernel's BTF, at 1,000, 10,000
// and 50,000 lines, each undone by the next: "shadow" adds a field to a
// struct that shadows a kernel struct, "include" adds an #include of a
// header (defining a kernel struct too) above the C part, "sysinclude"
// one of the system's (linux/in.h: 18 headers read, 11 structs, 10 of
// them the kernel's too, 56 typedefs, 29 enum constants, 178 macros).
// All walk again only the probes that looked up a changed name (and those
// with diagnostics), not the whole file.
func BenchmarkReanalyzeCPart(b *testing.B) {
	k := analysistest.RealKernel(b)
	dir := b.TempDir()
	hdr := "#define EXTRA 3\nstruct sockaddr { unsigned char sa_len; unsigned char sa_family; };\nstruct extra { long e; };\n"
	if err := os.WriteFile(filepath.Join(dir, "extra.h"), []byte(hdr), 0o644); err != nil {
		b.Fatal(err)
	}
	const top = "#define LIMIT 4\nstruct sock_common { unsigned short skc_family; };\n"
	for _, n := range []int{1000, 10000, 50000} {
		for _, kind := range []string{"shadow", "include", "sysinclude"} {
			b.Run(fmt.Sprintf("lines=%d/edit=%s", n, kind), func(b *testing.B) {
				src, _ := scaleScript(n)
				src = append([]byte(top), src...)
				cfg := Config{Dialect: syntax.NewestDialect(), Kernel: k, CHeaders: &cdecl.Cache{}, IncludeDirs: []string{dir}}
				f := syntax.Parse(filepath.Join(dir, "scale.bt"), src, cfg.Dialect)
				s := Reanalyze(context.Background(), &Snapshot{Config: cfg}, f)
				at, text := syntax.Pos(len(top)-len(" };\n")), []byte(" int z;")
				switch kind {
				case "include":
					at, text = 0, []byte("#include <extra.h>\n")
				case "sysinclude":
					at, text = 0, []byte("#include <linux/in.h>\n")
				}
				b.ReportAllocs()
				b.ResetTimer()
				start := benchtest.CPUTime()
				for i := range b.N {
					e := syntax.Edit{Span: syntax.Span{Start: at, End: at}, NewText: text}
					if i%2 == 1 { // undo
						e = syntax.Edit{Span: syntax.Span{Start: at, End: at + syntax.Pos(len(text))}}
					}
					f = syntax.Reparse(f, e)
					s = Reanalyze(context.Background(), s, f)
					if s.inc == nil || !s.inc.byDecls {
						b.Fatalf("edit %d did not take the declaration path", i)
					}
				}
				benchtest.ReportCPU(b, start)
			})
		}
	}
}
