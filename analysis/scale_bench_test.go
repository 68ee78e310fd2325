package analysis

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/bpfls/bpfls/analysis/benchtest"
	"github.com/bpfls/bpfls/analysis/cdecl"
	"github.com/bpfls/bpfls/analysis/syntax"
)

// scaleScript is [benchtest.TypingScript] of about n lines and the offset
// of a printf string in the middle to type into.
func scaleScript(n int) ([]byte, syntax.Pos) {
	src, at := benchtest.TypingScript(n)
	return []byte(src), syntax.Pos(at)
}

// BenchmarkReanalyzeKeystroke is one keystroke's re-parse and re-analysis,
// as the server runs them, at 1,000, 10,000 and 50,000 lines: "inplace"
// types into a printf string in the middle, "shift" inserts or deletes a
// line break there, moving every later line, and "map" inserts or deletes a
// map use there, which the file-level pass must see; "cmap" types a map
// use and replaces it with a statement, so the document grows as typing
// makes it, in a script that starts with a C part, which that pass reads
// again (through the server's cache of C parts). It should cost about the
// same at any size.
func BenchmarkReanalyzeKeystroke(b *testing.B) {
	for _, n := range []int{1000, 10000, 50000} {
		for _, kind := range []string{"inplace", "shift", "map", "cmap"} {
			shift, mapUse := kind == "shift", kind == "map" || kind == "cmap"
			b.Run(fmt.Sprintf("lines=%d/edit=%s", n, kind), func(b *testing.B) {
				src, at := scaleScript(n)
				prev := &Snapshot{Config: Config{Dialect: syntax.NewestDialect(), CHeaders: &cdecl.Cache{}}}
				if kind == "cmap" {
					const c = "#define LIMIT 4\nstruct S { int x; long y[LIMIT]; };\n"
					src, at = append([]byte(c), src...), at+syntax.Pos(len(c))
				}
				f := syntax.Parse("scale.bt", src, syntax.NewestDialect())
				s := Reanalyze(context.Background(), prev, f)
				b.ReportAllocs()
				b.ResetTimer()
				start := benchtest.CPUTime()
				for k := range b.N {
					e := syntax.Edit{Span: syntax.Span{Start: at, End: at}, NewText: []byte("a")}
					const use = "@t[comm] = 1; "
					switch {
					case mapUse && k%2 == 0: // a map use typed and deleted: what the file-level walk records changes
						stmt := at - syntax.Pos(len(`printf("`))
						e = syntax.Edit{Span: syntax.Span{Start: stmt, End: stmt}, NewText: []byte(use)}
					case mapUse:
						stmt := at - syntax.Pos(len(`printf("`))
						e = syntax.Edit{Span: syntax.Span{Start: stmt, End: stmt + syntax.Pos(len(use))}}
						if kind == "cmap" { // the document grows, as typing makes it: no two versions are alike
							e.NewText = []byte("$v = 1; ")
							at += syntax.Pos(len(e.NewText))
						}
					case shift && k%2 == 0:
						e.NewText = []byte("\n")
					case shift:
						e = syntax.Edit{Span: syntax.Span{Start: at, End: at + 1}}
					default:
						at++
					}
					f = syntax.Reparse(f, e)
					s = Reanalyze(context.Background(), s, f)
				}
				benchtest.ReportCPU(b, start)
			})
		}
	}
}

// BenchmarkKeystrokeSymbols is BenchmarkReanalyzeKeystroke ("inplace"
// and "map") followed by a read of the symbol index at a variable of the
// edited probe, as hover, references or highlight after the keystroke do;
// "probe" and "decl" are BenchmarkReanalyzeStructural's new probe and new
// macro typed and deleted, "mapdecl" a map declaration typed and deleted
// there, each followed by the same read, and "macro" and "fn" are
// BenchmarkReanalyzeOutsideProbes's edits of a body followed by a read at
// the body's parameter. It should cost about the same at any size: the
// compact index follows the edit and finds a symbol from its item.
func BenchmarkKeystrokeSymbols(b *testing.B) {
	for _, n := range []int{1000, 10000, 50000} {
		for _, kind := range []string{"inplace", "map", "probe", "decl", "mapdecl", "macro", "fn"} {
			if kind != "inplace" && kind != "map" {
				b.Run(fmt.Sprintf("lines=%d/edit=%s", n, kind), func(b *testing.B) { benchStructureSymbols(b, n, kind) })
				continue
			}
			b.Run(fmt.Sprintf("lines=%d/edit=%s", n, kind), func(b *testing.B) {
				src, at := scaleScript(n)
				f := syntax.Parse("scale.bt", src, syntax.NewestDialect())
				s := Reanalyze(context.Background(), nil, f)
				const use = "@t[comm] = 1; "
				stmt := at - syntax.Pos(len(`printf("`))
				b.ReportAllocs()
				b.ResetTimer()
				start := benchtest.CPUTime()
				for k := range b.N {
					e := syntax.Edit{Span: syntax.Span{Start: at, End: at}, NewText: []byte("a")}
					broken := at + 1 + 4 // `"); $broken`, after what was typed
					switch {
					case kind == "map" && k%2 == 0: // a map use typed and deleted
						e = syntax.Edit{Span: syntax.Span{Start: stmt, End: stmt}, NewText: []byte(use)}
						broken = at + syntax.Pos(len(use)) + 4
					case kind == "map":
						e = syntax.Edit{Span: syntax.Span{Start: stmt, End: stmt + syntax.Pos(len(use))}}
						broken = at + 4
					default:
						at++
					}
					f = syntax.Reparse(f, e)
					s = Reanalyze(context.Background(), s, f)
					if sym, ok := s.SymbolAt(broken); !ok || sym.Name != "$broken" {
						b.Fatalf("no $broken at %d: %v", broken, sym)
					}
				}
				benchtest.ReportCPU(b, start)
			})
		}
	}
}

// benchStructureSymbols is BenchmarkKeystrokeSymbols's "probe", "decl",
// "mapdecl", "macro" and "fn": an edit, undone by the next, each followed by a read
// of the symbol index.
func benchStructureSymbols(b *testing.B, n int, kind string) {
	var src []byte
	var at syntax.Pos
	text, name, read := []byte(" "), "", syntax.Pos(0) // read: where the symbol name is, from at, before the edit
	switch kind {
	case "probe", "decl", "mapdecl": // after the probe holding the middle's printf
		var str syntax.Pos
		src, str = scaleScript(n)
		at = str + syntax.Pos(bytes.IndexByte(src[str:], '}')) + 1
		text, name, read = []byte("\nkprobe:vfs_open { @opens = count(); }"), "$broken", str+4-at
		switch kind {
		case "decl":
			text = []byte("\nmacro twice(x) { x * 2 }")
		case "mapdecl":
			text = []byte("\nlet @declared = hash(8);")
		}
	case "macro":
		src, _, at, _ = scaleDeclScript(n)
		name = "x"
	case "fn":
		src, _, _, at = scaleDeclScript(n)
		name, read = "$x", syntax.Pos(len("return "))
	}
	f := syntax.Parse("scale.bt", src, syntax.NewestDialect())
	s := Reanalyze(context.Background(), nil, f)
	b.ReportAllocs()
	b.ResetTimer()
	start := benchtest.CPUTime()
	for k := range b.N {
		e := syntax.Edit{Span: syntax.Span{Start: at, End: at}, NewText: text}
		pos := at + read
		if k%2 == 1 { // undo
			e = syntax.Edit{Span: syntax.Span{Start: at, End: at + syntax.Pos(len(text))}}
		} else if read >= 0 {
			pos += syntax.Pos(len(text))
		}
		f = syntax.Reparse(f, e)
		s = Reanalyze(context.Background(), s, f)
		if sym, ok := s.SymbolAt(pos); !ok || sym.Name != name {
			b.Fatalf("no %s at %d: %v", name, pos, sym)
		}
	}
	benchtest.ReportCPU(b, start)
}

// BenchmarkSymbolAt is one read of the symbol index in the middle of a
// document the server analysed, as hover, highlight and references make
// it: at a variable it should cost about the same at any size; at a map
// used in every probe it costs the map's occurrences, which the symbol
// returned lists, except through HeadAt (hover, definition: "head").
func BenchmarkSymbolAt(b *testing.B) {
	for _, n := range []int{1000, 10000, 50000} {
		for _, what := range []string{"$n", "@calls", "@calls head"} {
			b.Run(fmt.Sprintf("lines=%d/at=%s", n, what), func(b *testing.B) {
				src, at := scaleScript(n)
				f := syntax.Parse("scale.bt", src, syntax.NewestDialect())
				s := Reanalyze(context.Background(), nil, f)
				name, head := strings.CutSuffix(what, " head")
				pos := at + syntax.Pos(bytes.Index(src[at:], []byte(name)))
				if sym, ok := s.SymbolAt(pos); !ok || sym.Name != name {
					b.Fatalf("no %s at %d: %v", what, pos, sym)
				}
				b.ReportAllocs()
				b.ResetTimer()
				start := benchtest.CPUTime()
				for range b.N {
					if head {
						s.SymbolIndex().HeadAt(pos)
					} else {
						s.SymbolAt(pos)
					}
				}
				benchtest.ReportCPU(b, start)
			})
		}
	}
}

// scaleDeclScript is about n lines of probes with a macro and a fn before
// every tenth probe; the probes expand the macro (bpftrace cannot call a
// fn yet). It returns the
// offsets of a blank line before a macro in the middle and of the bodies
// of that macro and the fn after it, to type into.
func scaleDeclScript(n int) (src []byte, layout, macro, fn syntax.Pos) {
	var b strings.Builder
	b.WriteString("let @d = hash(1024);\n")
	layout = -1
	for i, lines := 0, 0; lines < n; i++ {
		if i%10 == 0 {
			if layout < 0 && lines >= n/2 {
				layout = syntax.Pos(b.Len())
				b.WriteString("\n")
				fmt.Fprintf(&b, "macro add%d(x) { ", i)
				macro = syntax.Pos(b.Len())
				fmt.Fprintf(&b, "x + %d }\nfn twice%d($x: int64): int64 { ", i, i)
				fn = syntax.Pos(b.Len())
				b.WriteString("return $x * 2; }\n")
			} else {
				fmt.Fprintf(&b, "\nmacro add%d(x) { x + %d }\nfn twice%d($x: int64): int64 { return $x * 2; }\n", i, i, i)
			}
			lines += 3
		}
		g := i - i%10
		fmt.Fprintf(&b, "kprobe:vfs_read /pid > %d/ {\n\t@d[%d] = add%d(1);\n\t$n = %d;\n\tprintf(\"%%d\\n\", $n);\n}\n", i, i, g, i)
		lines += 5
	}
	return []byte(b.String()), layout, macro, fn
}

// BenchmarkReanalyzeOutsideProbes is a keystroke outside the probes at
// 1,000, 10,000 and 50,000 lines of probes, macros and fns: "layout"
// inserts or deletes a blank line before a macro in the middle, "macro"
// and "fn" insert or delete a space in the body of that macro or of a fn.
func BenchmarkReanalyzeOutsideProbes(b *testing.B) {
	for _, n := range []int{1000, 10000, 50000} {
		for _, kind := range []string{"layout", "macro", "fn"} {
			b.Run(fmt.Sprintf("lines=%d/edit=%s", n, kind), func(b *testing.B) {
				src, layout, macro, fn := scaleDeclScript(n)
				at := map[string]syntax.Pos{"layout": layout, "macro": macro, "fn": fn}[kind]
				text := map[string]string{"layout": "\n", "macro": " ", "fn": " "}[kind]
				f := syntax.Parse("scale.bt", src, syntax.NewestDialect())
				s := Reanalyze(context.Background(), nil, f)
				b.ReportAllocs()
				b.ResetTimer()
				start := benchtest.CPUTime()
				for k := range b.N {
					e := syntax.Edit{Span: syntax.Span{Start: at, End: at}, NewText: []byte(text)}
					if k%2 == 1 {
						e = syntax.Edit{Span: syntax.Span{Start: at, End: at + syntax.Pos(len(text))}}
					}
					f = syntax.Reparse(f, e)
					s = Reanalyze(context.Background(), s, f)
				}
				benchtest.ReportCPU(b, start)
			})
		}
	}
}
