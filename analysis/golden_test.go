package analysis

import (
	"context"
	"testing"

	"github.com/bpfls/bpfls/analysis/internal/analysistest"
	"github.com/bpfls/bpfls/analysis/syntax"
)

// goldenGlob finds the golden scripts of the per-attach-point analysis in
// the top-level testdata/analysis: one txtar per case, with input.bt and
// one "want V" section per target version V. TestProbeGolden (an external
// test, since it shows the fixes of package fix) checks them.
var goldenGlob = analysistest.RepoPath("testdata/analysis/*.txtar")

// analyzeReal analyses src for version v against the running kernel.
func analyzeReal(t testing.TB, src []byte, v syntax.Version) *Snapshot {
	return analyzeRealAt(t, "", src, v)
}

// analyzeRealAt is analyzeReal for a script at path ("" for none), whose
// "quoted" #includes resolve beside it as bpftrace's do.
func analyzeRealAt(t testing.TB, path string, src []byte, v syntax.Version) *Snapshot {
	if path == "" {
		path = "input.bt"
	}
	f := syntax.Parse(path, src, syntax.Dialect{Version: v})
	return Analyze(context.Background(), f, Config{Dialect: f.Dialect, Kernel: analysistest.RealKernel(t)})
}
