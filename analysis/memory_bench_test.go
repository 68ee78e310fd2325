package analysis

import (
	"context"
	"fmt"
	"runtime"
	"runtime/debug"
	"testing"
	"time"

	"github.com/bpfls/bpfls/analysis/benchtest"
	"github.com/bpfls/bpfls/analysis/internal/analysistest"
	"github.com/bpfls/bpfls/analysis/syntax"
)

// largeDocument is the document of at most size bytes that the server's
// memory test opens too.
func largeDocument(tb testing.TB, size int) []byte { return benchtest.LargeScript(tb, size) }

// liveHeap is the heap in use after a full collection.
func liveHeap() int64 { return benchtest.LiveHeap() }

// BenchmarkDocumentHeap reports the live heap an open 1 MB document holds
// beyond its text, per byte of text, part by part, as the server keeps it
// after its first analysis (recorded for incremental re-analysis, with the
// running kernel's facts): "tree-B/B" the parsed File without its line
// table, "lines-B/B" the line table, "walks-B/B" the recorded per-probe
// walks of the file-level pass, "symbols-B/B" the symbol index,
// "diags-B/B" the diagnostics, "probes-B/B" the probe pass's cache, "inc-B/B"
// the rest of the incremental state, and "total-B/B" all of it.
func BenchmarkDocumentHeap(b *testing.B) {
	k := analysistest.RealKernel(b)
	src := largeDocument(b, 1<<20)
	cfg := Config{Dialect: syntax.NewestDialect(), Kernel: k}
	per := func(n int64) float64 { return float64(n) / float64(len(src)) }
	// The kernel facts the script uses are loaded once first, so that what
	// is measured is the document's own memory.
	Reanalyze(context.Background(), &Snapshot{Config: cfg}, syntax.Parse("warm.bt", largeDocument(b, 64<<10), cfg.Dialect))
	for b.Loop() {
		h0 := liveHeap()
		lines := syntax.NewLineTable(src)
		h1 := liveHeap()
		runtime.KeepAlive(lines)
		lines = nil
		f := syntax.Parse("big.bt", src, cfg.Dialect)
		f.Items()
		h2 := liveHeap()
		s := Reanalyze(context.Background(), &Snapshot{Config: cfg}, f)
		if s.inc == nil || s.env == nil {
			b.Fatal("the analysis recorded nothing")
		}
		h3 := liveHeap()
		// Each part is dropped in turn, so the parts add up to the total.
		s.symbols = nil
		s.lazySymbols.Store(nil)
		h4 := liveHeap()
		s.env = nil
		for i := range s.inc.items.len() {
			s.inc.items.at(i).facts = nil
		}
		h5 := liveHeap()
		s.probes = nil
		for i := range s.inc.items.len() {
			s.inc.items.at(i).setDiags(nil)
		}
		h6 := liveHeap()
		s.Diagnostics, s.inc.envDiags = nil, nil
		h7 := liveHeap()
		s.inc = nil
		h8 := liveHeap()
		runtime.KeepAlive(s)
		b.ReportMetric(per(h2-h1), "tree-B/B")
		b.ReportMetric(per(h1-h0), "lines-B/B")
		b.ReportMetric(per(h4-h5), "walks-B/B")
		b.ReportMetric(per(h3-h4), "symbols-B/B")
		b.ReportMetric(per(h6-h7), "diags-B/B")
		b.ReportMetric(per(h5-h6), "probes-B/B")
		b.ReportMetric(per(h7-h8), "inc-B/B")
		b.ReportMetric(per(h3-h0), "total-B/B")
		runtime.KeepAlive(f)
	}
}

// TestRecordedWalksHeap bounds the live heap the recorded probe walks of a
// document's first analysis hold, per byte of its text: they are kept for
// as long as the document is open. It was 12 bytes when each map use kept
// its own types and each walk a copy of its probe's text; interned per
// document, 2.2; packed into varints (walkenc.go), about 0.8. It does not
// run in parallel, so that no other test allocates while the heap is
// measured.
func TestRecordedWalksHeap(t *testing.T) {
	src := largeDocument(t, 256<<10)
	cfg := Config{Dialect: syntax.NewestDialect()}
	f := syntax.Parse("big.bt", src, cfg.Dialect)
	s := Reanalyze(context.Background(), &Snapshot{Config: cfg}, f)
	if s.inc == nil || s.env == nil {
		t.Fatal("the analysis recorded nothing")
	}
	before := liveHeap()
	s.env = nil
	for i := range s.inc.items.len() {
		s.inc.items.at(i).facts = nil
	}
	walks := float64(before-liveHeap()) / float64(len(src))
	runtime.KeepAlive(s)
	t.Logf("recorded walks: %.2f bytes per byte of text", walks)
	if walks > 1.5 {
		t.Errorf("the recorded walks hold %.2f bytes per byte of text, want at most 1.5", walks)
	}
}

// BenchmarkFirstAnalysisPeak opens a newly opened document of 1, 2 and
// 10 MB as the server does: it parses it, then runs its first analysis
// (Reanalyze from no previous snapshot, recording for later keystrokes,
// with the running kernel's facts). "peak-B/B" is the largest live heap
// measured from the parse to the end of the analysis, beyond what was live
// before, per byte of text: the text, the tree while it is held, what the
// passes hold while they run, and what they build for the snapshot;
// "parse-peak-B/B" is the same for the parse alone, and "kept-B/B" what
// the snapshot still holds after. The peak is measured in a first run with
// collections twenty times as frequent as by default (GOGC=5), so that it
// is sampled finely; the timed runs that follow report the CPU time of the
// parse ("parse-cpu-ns/op") and of the analysis ("cpu-ns/op"), and
// allocations.
func BenchmarkFirstAnalysisPeak(b *testing.B) {
	k := analysistest.RealKernel(b)
	cfg := Config{Dialect: syntax.NewestDialect(), Kernel: k}
	Reanalyze(context.Background(), &Snapshot{Config: cfg}, syntax.Parse("warm.bt", largeDocument(b, 64<<10), cfg.Dialect))
	for _, mb := range []int{1, 2, 10} {
		b.Run(fmt.Sprintf("size=%dMB", mb), func(b *testing.B) {
			src := largeDocument(b, mb<<20)
			per := func(n int64) float64 { return float64(n) / float64(len(src)) }

			h0 := liveHeap()
			old := debug.SetGCPercent(5)
			p := benchtest.StartPeakLive()
			f := syntax.Parse("big.bt", src, cfg.Dialect)
			parsePeak := p.Max()
			s := Reanalyze(context.Background(), &Snapshot{Config: cfg}, f)
			peak, samples := p.Stop()
			debug.SetGCPercent(old)
			kept := liveHeap() - h0
			runtime.KeepAlive(s)
			s, f = nil, nil
			if samples < 10 {
				b.Fatalf("only %d collections during the parse and the analysis", samples)
			}

			b.ReportAllocs()
			var cpu, parseCPU time.Duration
			for b.Loop() {
				start := benchtest.CPUTime()
				f := syntax.Parse("big.bt", src, cfg.Dialect)
				mid := benchtest.CPUTime()
				s := Reanalyze(context.Background(), &Snapshot{Config: cfg}, f)
				cpu += benchtest.CPUTime() - mid
				parseCPU += mid - start
				runtime.KeepAlive(s)
			}
			b.ReportMetric(float64(parseCPU)/float64(b.N), "parse-cpu-ns/op")
			b.ReportMetric(float64(cpu)/float64(b.N), "cpu-ns/op")
			b.ReportMetric(per(peak-h0), "peak-B/B")
			b.ReportMetric(per(parsePeak-h0), "parse-peak-B/B")
			b.ReportMetric(per(kept), "kept-B/B")
			b.ReportMetric(float64(samples), "gcs")
		})
	}
}
