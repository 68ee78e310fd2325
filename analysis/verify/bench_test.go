package verify

import (
	"bytes"
	"fmt"
	"testing"
)

// BenchmarkParseOutput parses the output for a 2000-probe script where every
// probe draws an error with its source and marker lines, plus the host noise.
func BenchmarkParseOutput(b *testing.B) {
	var src, out bytes.Buffer
	out.WriteString("ERROR: Unknown error -1: couldn't set RLIMIT_MEMLOCK for bpftrace.\n")
	for i := 1; i <= 2000; i++ {
		line := fmt.Sprintf("kprobe:fn%d { @m[%d] = count(); nosuch(); }", i, i)
		src.WriteString(line + "\n")
		fmt.Fprintf(&out, "script.bt:%d:%d-%d: ERROR: Unknown function: nosuch\n%s\n%*s\n", i, len(line)-10, len(line)-4, line, len(line)-5, "~~~~~~")
		fmt.Fprintf(&out, "script.bt:%d-%d: WARNING: fn%d is not traceable (either non-existing, inlined, or marked as \"notrace\"); attaching to it will likely fail\n", 1, i, i)
	}
	doc := Document{Names: []string{"script.bt"}, Src: src.Bytes()}
	b.SetBytes(int64(out.Len()))
	b.ReportAllocs()
	for b.Loop() {
		if got := ParseOutput(doc, out.Bytes()); len(got.Diagnostics) != 4000 {
			b.Fatalf("got %d diagnostics", len(got.Diagnostics))
		}
	}
}
