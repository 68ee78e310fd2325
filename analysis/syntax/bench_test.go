package syntax

import (
	"bytes"
	"os"
	"testing"
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
	for b.Loop() {
		Parse("bench.bt", src, NewestDialect())
	}
}

// BenchmarkReparseEdit measures a one-character insertion in the middle of a
// 5,000-line script, alternating with its deletion so the input stays the
// same size.
func BenchmarkReparseEdit(b *testing.B) {
	src := benchScript(b, 5000)
	f := Parse("bench.bt", src, NewestDialect())
	at := bytes.Index(src[len(src)/2:], []byte("count()"))
	if at < 0 {
		b.Fatal("no edit site")
	}
	at += len(src) / 2
	ins := Edit{Span: Span{Pos(at), Pos(at)}, NewText: []byte("x")}
	del := Edit{Span: Span{Pos(at), Pos(at + 1)}}
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		if i%2 == 0 {
			f = Reparse(f, ins)
		} else {
			f = Reparse(f, del)
		}
	}
}
