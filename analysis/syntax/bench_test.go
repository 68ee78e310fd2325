package syntax

import (
	"bytes"
	"fmt"
	"os"
	"testing"

	"github.com/bpfls/bpfls/analysis/benchtest"
	"github.com/bpfls/bpfls/analysis/rope"
)

// benchScript builds a script of at least n lines from our own
// testdata/bench/probes.bt: its header once, then its body repeated.
func benchScript(tb testing.TB, n int) []byte {
	tb.Helper()
	src, err := os.ReadFile("../../testdata/bench/probes.bt")
	if err != nil {
		tb.Fatal(err)
	}
	marker := []byte("// body:")
	i := bytes.Index(src, marker)
	if i < 0 {
		tb.Fatal("probes.bt has no body marker")
	}
	head, body := src[:i], src[i:]
	out := append([]byte(nil), head...)
	for bytes.Count(out, []byte("\n")) < n {
		out = append(out, body...)
	}
	return out
}

func BenchmarkParse(b *testing.B) {
	src := benchScript(b, 10000)
	if f := Parse("bench.bt", src, NewestDialect()); len(f.Errors) > 0 {
		b.Fatalf("bench script has errors: %v", f.Errors[0])
	}
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	start := benchtest.CPUTime()
	for b.Loop() {
		Parse("bench.bt", src, NewestDialect())
	}
	benchtest.ReportCPU(b, start)
}

// editSites are where BenchmarkReparseEdit edits its script, as fractions
// of its length.
var editSites = []struct {
	name     string
	fraction float64
}{{"start", 0.05}, {"middle", 0.5}, {"end", 0.95}}

// benchEdits returns a 5,000-line script and, per edit site, a
// one-character insertion before a "count()" near it and its deletion.
func benchEdits(b *testing.B) ([]byte, [][2]Edit) {
	src := benchScript(b, 5000)
	var edits [][2]Edit
	for _, at := range editSites {
		from := int(float64(len(src)) * at.fraction)
		i := bytes.Index(src[from:], []byte("count()"))
		if i < 0 {
			b.Fatal("no edit site")
		}
		off := Pos(from + i)
		edits = append(edits, [2]Edit{{Span: Span{off, off}, NewText: []byte("x")}, {Span: Span{off, off + 1}}})
	}
	return src, edits
}

// BenchmarkReparseEdit measures Reparse alone after a one-character
// insertion in a 5,000-line script, alternating with its deletion so the
// input stays the same. The edit sits near the start, in the middle or
// near the end. Reparse parses the edited item and records the later ones
// as moved without copying them (lazy.go), so the cost should hardly
// depend on where the edit is. The "parse" case is a full Parse of the
// same script, the cost Reparse saves.
func BenchmarkReparseEdit(b *testing.B) {
	benchReparse(b, func(f *File) {})
	src, edits := benchEdits(b)
	// "source" only edits the source as Reparse does (a rope.Text edit,
	// which copies the touched chunk and the chunk index), with a parsed
	// File live as in the other cases: the floor of any Reparse.
	b.Run("source", func(b *testing.B) {
		f := Parse("bench.bt", src, NewestDialect())
		b.ReportAllocs()
		start := benchtest.CPUTime()
		for n := 0; b.Loop(); n++ {
			e := edits[0][n%2]
			f.text = f.text.Edit(int(e.Span.Start), int(e.Span.End), e.NewText)
		}
		benchtest.ReportCPU(b, start)
	})
}

// BenchmarkReparseEditText is BenchmarkReparseEdit for a caller that holds
// the edited source already (the language server keeps each version's
// text), through ReparseText: the same inputs a full Parse gets.
func BenchmarkReparseEditText(b *testing.B) {
	src, edits := benchEdits(b)
	for k, at := range editSites {
		e := edits[k][0]
		orig := rope.New(src)
		inserted := orig.Edit(int(e.Span.Start), int(e.Span.End), e.NewText)
		texts := [2]*rope.Text{inserted, orig}
		b.Run(at.name, func(b *testing.B) {
			f := Parse("bench.bt", src, NewestDialect())
			b.SetBytes(int64(len(src)))
			b.ReportAllocs()
			start := benchtest.CPUTime()
			for n := 0; b.Loop(); n++ {
				f = ReparseText(f, edits[k][n%2], texts[n%2])
			}
			benchtest.ReportCPU(b, start)
			if f.reparsed < 0 {
				b.Fatal("the edit fell back to a full parse")
			}
		})
	}
}

// BenchmarkReparseEditScale measures ReparseText after an edit in the
// middle of scripts of 1,000, 10,000 and 50,000 lines, alternating with
// its undo: "inplace" inserts a character, "shift" a line break, which
// moves every later line. A re-parse costs the edited item plus a record
// per block of later items (unitlist.go), so at 50,000 lines it should
// cost about what it costs at 1,000.
func BenchmarkReparseEditScale(b *testing.B) {
	for _, lines := range []int{1000, 10000, 50000} {
		src := benchScript(b, lines)
		from := len(src) / 2
		off := Pos(from + bytes.Index(src[from:], []byte("count()")))
		for _, kind := range []struct{ name, text string }{{"inplace", "x"}, {"shift", "\n"}} {
			ins := Edit{Span: Span{off, off}, NewText: []byte(kind.text)}
			edits := [2]Edit{ins, {Span: Span{off, off + 1}}}
			orig := rope.New(src)
			texts := [2]*rope.Text{orig.Edit(int(off), int(off), ins.NewText), orig}
			b.Run(fmt.Sprintf("lines=%d/edit=%s", lines, kind.name), func(b *testing.B) {
				f := Parse("bench.bt", src, NewestDialect())
				b.ReportAllocs()
				start := benchtest.CPUTime()
				for n := 0; b.Loop(); n++ {
					f = ReparseText(f, edits[n%2], texts[n%2])
				}
				benchtest.ReportCPU(b, start)
				if f.reparsed < 0 {
					b.Fatal("the edit fell back to a full parse")
				}
			})
		}
	}
}

// BenchmarkReparseEditMaterialize is BenchmarkReparseEdit followed by
// reading every item (File.Items), which makes the shifted copies Reparse
// put off: the cost of a re-parse whose reader walks the whole tree.
func BenchmarkReparseEditMaterialize(b *testing.B) {
	benchReparse(b, func(f *File) { f.Items() })
}

func benchReparse(b *testing.B, read func(*File)) {
	src, edits := benchEdits(b)
	b.Run("parse", func(b *testing.B) {
		b.SetBytes(int64(len(src)))
		b.ReportAllocs()
		start := benchtest.CPUTime()
		for b.Loop() {
			read(Parse("bench.bt", src, NewestDialect()))
		}
		benchtest.ReportCPU(b, start)
	})
	for k, at := range editSites {
		b.Run(at.name, func(b *testing.B) {
			f := Parse("bench.bt", src, NewestDialect())
			b.SetBytes(int64(len(src)))
			b.ReportAllocs()
			start := benchtest.CPUTime()
			for n := 0; b.Loop(); n++ {
				f = Reparse(f, edits[k][n%2])
				read(f)
			}
			benchtest.ReportCPU(b, start)
			if f.reparsed < 0 {
				b.Fatal("the edit fell back to a full parse")
			}
		})
	}
}
