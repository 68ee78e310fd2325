package analysis

import (
	"context"
	"path/filepath"
	"testing"

	"golang.org/x/tools/txtar"

	"github.com/bpfls/bpfls/analysis/syntax"
)

// FuzzSemantics checks that the semantic passes never panic and keep every
// diagnostic inside the file, whatever the parser recovered from, in the
// oldest and the newest dialect.
func FuzzSemantics(f *testing.F) {
	files, _ := filepath.Glob("testdata/semantics/*.txtar")
	for _, file := range files {
		ar, err := txtar.ParseFile(file)
		if err != nil {
			f.Fatal(err)
		}
		for _, sec := range ar.Files {
			if sec.Name == "input.bt" {
				f.Add(sec.Data)
			}
		}
	}
	f.Add([]byte("kprobe:f { $x = ((struct sock *)arg0)->; @m[ = count(; }"))
	f.Add([]byte("macro m(a, $b, @c) { m(a, $b, @c) } BEGIN { m(1, $x, @y); m; }"))
	f.Fuzz(func(t *testing.T, src []byte) {
		for _, v := range []syntax.Version{syntax.Oldest, syntax.Newest} {
			d := syntax.Dialect{Version: v}
			file := syntax.Parse("fuzz.bt", src, d)
			env := newFileEnv(context.Background(), file, Config{Dialect: d, Kernel: semKernel{}})
			diags := append([]Diagnostic(nil), env.diags...)
			for _, it := range file.Items() {
				if p, ok := it.(*syntax.Probe); ok && len(p.AttachPoints) > 0 {
					diags = append(diags, env.checkBody(p, semContext(p.AttachPoints[0], d)).Diags...)
				}
			}
			for _, dg := range diags {
				if dg.Span.Start < 0 || dg.Span.End < dg.Span.Start || int(dg.Span.End) > len(src) {
					t.Fatalf("%s: diagnostic %q has span %v outside [0, %d]", v, dg.Message, dg.Span, len(src))
				}
			}
			for _, sym := range env.symbols.All() {
				for _, r := range sym.Refs {
					if r.Start < 0 || r.End < r.Start || int(r.End) > len(src) {
						t.Fatalf("%s: symbol %q has ref %v outside the file", v, sym.Name, r)
					}
				}
			}
		}
	})
}
