package syntax

import (
	"bytes"
	"os"
	"syscall"
	"testing"
	"time"
)

// cpuTime is the CPU time the process has used, GC included. Benchmarks
// report it per operation as "cpu-ns/op" because wall time is unreliable on
// a machine shared with other work.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func reportCPU(b *testing.B, start time.Duration) {
	b.ReportMetric(float64(cpuTime()-start)/float64(b.N), "cpu-ns/op")
}

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
	start := cpuTime()
	for b.Loop() {
		Parse("bench.bt", src, NewestDialect())
	}
	reportCPU(b, start)
}

// BenchmarkReparseEdit measures a one-character insertion in a 5,000-line
// script, alternating with its deletion so the input stays the same. The
// edit sits near the start, in the middle or near the end: Reparse copies
// the items after the edit with shifted positions, so the cost grows with
// what follows the edit.
func BenchmarkReparseEdit(b *testing.B) {
	src := benchScript(b, 5000)
	for _, at := range []struct {
		name     string
		fraction float64
	}{{"start", 0.05}, {"middle", 0.5}, {"end", 0.95}} {
		b.Run(at.name, func(b *testing.B) {
			f := Parse("bench.bt", src, NewestDialect())
			from := int(float64(len(src)) * at.fraction)
			i := bytes.Index(src[from:], []byte("count()"))
			if i < 0 {
				b.Fatal("no edit site")
			}
			off := Pos(from + i)
			ins := Edit{Span: Span{off, off}, NewText: []byte("x")}
			del := Edit{Span: Span{off, off + 1}}
			b.SetBytes(int64(len(src)))
			b.ReportAllocs()
			start := cpuTime()
			for n := 0; b.Loop(); n++ {
				if n%2 == 0 {
					f = Reparse(f, ins)
				} else {
					f = Reparse(f, del)
				}
			}
			reportCPU(b, start)
			if f.reparsed < 0 {
				b.Fatal("the edit fell back to a full parse")
			}
		})
	}
}
