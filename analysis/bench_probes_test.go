package analysis

import (
	"bytes"
	"context"
	"os"
	"testing"

	"github.com/bpfls/bpfls/analysis/benchtest"
	"github.com/bpfls/bpfls/analysis/internal/analysistest"
	"github.com/bpfls/bpfls/analysis/syntax"
)

// benchScript is a generated 1,000-line script with 50 probes of two or
// three attach points each (testdata/bench/multi_attach_1000.bt).
const benchScript = "../testdata/bench/multi_attach_1000.bt"

func readBench(b *testing.B) []byte {
	src, err := os.ReadFile(benchScript)
	if err != nil {
		b.Fatal(err)
	}
	return src
}

// BenchmarkProbePass is a full analysis of the script with a warm kernel
// index (target: under 20 ms).
func BenchmarkProbePass(b *testing.B) {
	src := readBench(b)
	k := analysistest.RealKernel(b)
	d := syntax.Dialect{Version: syntax.V0_26}
	f := syntax.Parse("bench.bt", src, d)
	cfg := Config{Dialect: d, Kernel: k}
	Analyze(context.Background(), f, cfg) // warm the index's lazy lookups
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	b.ResetTimer()
	start := benchtest.CPUTime()
	for b.Loop() {
		Analyze(context.Background(), f, cfg)
	}
	benchtest.ReportCPU(b, start)
}

// BenchmarkReanalyzeProbeEdit re-analyses the script after an edit inside
// one probe's body, reusing the previous snapshot (target: under 2 ms).
// Parsing is not measured: the parser re-parses only the edited probe.
func BenchmarkReanalyzeProbeEdit(b *testing.B) {
	src := readBench(b)
	k := analysistest.RealKernel(b)
	d := syntax.Dialect{Version: syntax.V0_26}
	cfg := Config{Dialect: d, Kernel: k}
	prev := Reanalyze(context.Background(), &Snapshot{Config: cfg}, syntax.Parse("bench.bt", src, d))
	edited := bytes.Replace(src, []byte("@big_17 = count();"), []byte("@big_17 = count(); @extra = 1;"), 1)
	f := syntax.Parse("bench.bt", edited, d)
	if s := Reanalyze(context.Background(), prev, f); s.probes.misses != 1 {
		b.Fatalf("the edit should miss the cache for one probe, missed %d", s.probes.misses)
	}
	b.ReportAllocs()
	b.ResetTimer()
	start := benchtest.CPUTime()
	for b.Loop() {
		Reanalyze(context.Background(), prev, f)
	}
	benchtest.ReportCPU(b, start)
}

// BenchmarkProbePassOnly measures the probe pass alone (no file-level
// environment), full and with every probe cached.
func BenchmarkProbePassOnly(b *testing.B) {
	src := readBench(b)
	k := analysistest.RealKernel(b)
	d := syntax.Dialect{Version: syntax.V0_26}
	f := syntax.Parse("bench.bt", src, d)
	cfg := Config{Dialect: d, Kernel: k}
	env := newFileEnv(context.Background(), f, cfg)
	_, warm := runProbePass(context.Background(), envBody(env), f, cfg, newProbeCache(f, cfg, env), nil)
	b.Run("full", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			runProbePass(context.Background(), envBody(env), f, cfg, newProbeCache(f, cfg, env), nil)
		}
	})
	b.Run("cached", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			runProbePass(context.Background(), envBody(env), f, cfg, newProbeCache(f, cfg, env), warm)
		}
	})
}

// TestBenchScriptIsClean keeps the benchmark honest: the script must check
// without errors, so the benchmark measures a realistic path.
func TestBenchScriptIsClean(t *testing.T) {
	src, err := os.ReadFile(benchScript)
	if err != nil {
		t.Fatal(err)
	}
	s := analyzeReal(t, src, syntax.V0_26)
	for _, d := range s.Diagnostics {
		if d.Severity == SeverityError {
			t.Errorf("%s", fmtDiag(s.File, d))
		}
	}
}
