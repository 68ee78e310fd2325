package format

import (
	"bytes"
	"fmt"
	"testing"

	"github.com/bpfls/bpfls/analysis/benchtest"
	"github.com/bpfls/bpfls/analysis/syntax"
)

// benchScript generates a script of about n lines in many shapes.
func benchScript(n int) []byte {
	var b bytes.Buffer
	for i := 0; b.Len() == 0 || bytes.Count(b.Bytes(), []byte("\n")) < n; i++ {
		fmt.Fprintf(&b, `kprobe:vfs_read%d, kprobe:vfs_write%d /pid > %d && comm != "init"/ {
  // count the call
  @calls[comm, pid] = count(); $x = arg0 + arg1 * 2;
  if ($x > 100) { @big[tid] = hist($x); } else { @small = lhist($x, 0, 100, 10); }
  printf("%%s %%d %%d %%d\n", comm, pid, $x, nsecs);

  $t = (1, "two", $x); @last[cpu] = $t.1;
}

`, i, i, i)
	}
	return b.Bytes()
}

// BenchmarkFormat formats a 5,000-line script.
func BenchmarkFormat(b *testing.B) {
	src := benchScript(5000)
	f := syntax.Parse("bench.bt", src, syntax.NewestDialect())
	if len(f.Errors) > 0 {
		b.Fatal(f.Errors[0])
	}
	b.ReportAllocs()
	b.SetBytes(int64(len(src)))
	start := benchtest.CPUTime()
	for b.Loop() {
		if _, err := Source(f); err != nil {
			b.Fatal(err)
		}
	}
	benchtest.ReportCPU(b, start)
}

// BenchmarkRangeProbe formats one probe in the middle of the same script.
func BenchmarkRangeProbe(b *testing.B) {
	src := benchScript(5000)
	f := syntax.Parse("bench.bt", src, syntax.NewestDialect())
	mid := f.ItemSpan(f.NumItems() / 2)
	b.ReportAllocs()
	start := benchtest.CPUTime()
	for b.Loop() {
		if _, _, ok, err := Range(f, syntax.Span{Start: mid.Start + 1, End: mid.Start + 1}); !ok || err != nil {
			b.Fatal(ok, err)
		}
	}
	benchtest.ReportCPU(b, start)
}
