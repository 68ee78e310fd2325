package analysis

import (
	"bytes"
	"context"
	"fmt"
	"testing"

	"github.com/bpfls/bpfls/analysis/benchtest"
	"github.com/bpfls/bpfls/analysis/cdecl"
	"github.com/bpfls/bpfls/analysis/syntax"
)

// BenchmarkReanalyzeStructural is a keystroke that changes which items the
// file has, at 1,000, 10,000 and 50,000 lines, each undone by the next:
// "join" deletes the brace that closes a probe in the middle, so it
// swallows the next one; "probe" types a new empty probe between two
// items, "fnprobe" the same in a script that starts with a fn, "fnmap"
// with a fn whose body names a map (its uses follow every probe's); "macro"
// types a new macro declaration there, "mapdecl" a
// declaration of a map no probe uses; "config" changes a config value at
// the top, "cpart" adds a field to a struct of the C part no probe uses. A join or a new probe takes the map
// path, which moves the later items' records by the change in count; a
// new declaration walks again only the probes that looked up its name
// (and those with diagnostics), through the same path.
func BenchmarkReanalyzeStructural(b *testing.B) {
	for _, n := range []int{1000, 10000, 50000} {
		for _, kind := range []string{"join", "probe", "fnprobe", "fnmap", "macro", "mapdecl", "config", "cpart"} {
			b.Run(fmt.Sprintf("lines=%d/edit=%s", n, kind), func(b *testing.B) {
				src, at := scaleScript(n)
				top := map[string]string{"config": "config = { max_strlen = 64 }\n", "cpart": "#define LIMIT 4\nstruct S { int x; long y[LIMIT]; };\n",
					"fnprobe": "fn one(): int64 { return 1; }\n", "fnmap": "fn one(): int64 { @ones = count(); return 1; }\n"}[kind]
				src, at = append([]byte(top), src...), at+syntax.Pos(len(top))
				f := syntax.Parse("scale.bt", src, syntax.NewestDialect())
				s := Reanalyze(context.Background(), &Snapshot{Config: Config{Dialect: syntax.NewestDialect(), CHeaders: &cdecl.Cache{}}}, f)
				// The probe holding at, and the end of its closing brace.
				i := 0
				for f.ItemSpan(i).End < at {
					i++
				}
				end := f.ItemSpan(i).End
				if src[end-1] != '}' {
					b.Fatalf("item %d ends in %q", i, src[end-1])
				}
				var text []byte
				span := syntax.Span{Start: end, End: end}
				switch kind {
				case "join":
					span = syntax.Span{Start: end - 1, End: end}
				case "probe", "fnprobe", "fnmap":
					text = []byte("\nkprobe:vfs_open { @opens = count(); }")
				case "macro":
					text = []byte("\nmacro twice(x) { x * 2 }")
				case "mapdecl":
					text = []byte("\nlet @opens = hash(100);")
				case "config":
					v := syntax.Pos(bytes.Index(src, []byte("64")))
					span, text = syntax.Span{Start: v, End: v + 2}, []byte("128")
				case "cpart":
					v := syntax.Pos(bytes.Index(src, []byte(" };")))
					span, text = syntax.Span{Start: v, End: v}, []byte(" int z;")
				}
				removed := bytes.Clone(src[span.Start:span.End])
				b.ReportAllocs()
				b.ResetTimer()
				start := benchtest.CPUTime()
				for k := range b.N {
					e := syntax.Edit{Span: span, NewText: text}
					if k%2 == 1 { // undo
						e = syntax.Edit{Span: syntax.Span{Start: span.Start, End: span.Start + syntax.Pos(len(text))}, NewText: removed}
					}
					f = syntax.Reparse(f, e)
					s = Reanalyze(context.Background(), s, f)
				}
				benchtest.ReportCPU(b, start)
			})
		}
	}
}
