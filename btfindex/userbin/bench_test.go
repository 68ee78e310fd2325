package userbin_test

import (
	"context"
	"testing"
	"time"

	"go.uber.org/zap"

	"github.com/bpfls/bpfls/analysis/benchtest"
	"github.com/bpfls/bpfls/btfindex/userbin"
)

// BenchmarkLibcSymbols is the first read of libc: ELF header, .dynsym with
// versions, build-id and USDT notes (goal: under 50 ms).
func BenchmarkLibcSymbols(b *testing.B) {
	path := libc(b).Path
	b.ReportAllocs()
	start := benchtest.CPUTime()
	defer benchtest.ReportCPU(b, start)
	for b.Loop() {
		bin, err := userbin.Read(path, userbin.DefaultLimits())
		if err != nil || len(bin.Funcs) < 1000 {
			b.Fatalf("read %s: %v, %d functions", path, err, len(bin.Funcs))
		}
	}
}

// BenchmarkLibcComplete completes "mal" and expands "str*" among libc's
// functions once they are read (goal: under 5 ms).
func BenchmarkLibcComplete(b *testing.B) {
	bin := libc(b)
	b.ReportAllocs()
	start := benchtest.CPUTime()
	defer benchtest.ReportCPU(b, start)
	for b.Loop() {
		if len(bin.Complete("mal", 0)) == 0 || len(bin.Match("str*", 0)) == 0 {
			b.Fatal("no matches")
		}
	}
}

// BenchmarkLookupCached is what a keystroke costs once libc is cached: no
// read of the file, only the cache's bookkeeping.
func BenchmarkLookupCached(b *testing.B) {
	libc(b)
	c := userbin.NewCache(context.Background(), zap.NewNop(), userbin.Options{Recheck: time.Hour})
	defer c.Close()
	if e := c.Wait(context.Background(), "libc"); e.Binary == nil {
		b.Fatalf("libc: %+v", e)
	}
	reads := c.Reads()
	b.ReportAllocs()
	start := benchtest.CPUTime()
	defer benchtest.ReportCPU(b, start)
	for b.Loop() {
		if e := c.Lookup("libc"); e.Binary == nil {
			b.Fatal("libc dropped from the cache")
		}
	}
	if c.Reads() != reads {
		b.Fatalf("%d re-reads during lookups", c.Reads()-reads)
	}
}

// BenchmarkLibcDebug finds libc's separate debug file and indexes its
// DWARF, which the cache does in the background after the symbols.
func BenchmarkLibcDebug(b *testing.B) {
	path := libc(b).Path
	b.ReportAllocs()
	start := benchtest.CPUTime()
	defer benchtest.ReportCPU(b, start)
	for b.Loop() {
		bin, err := userbin.Read(path, userbin.DefaultLimits())
		if err != nil {
			b.Fatal(err)
		}
		if err := bin.LoadDebug(context.Background(), userbin.DefaultLimits(), nil); err != nil {
			b.Fatal(err)
		}
	}
}
