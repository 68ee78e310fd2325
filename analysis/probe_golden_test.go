package analysis_test

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"

	"github.com/bpfls/bpfls/analysis"
	"github.com/bpfls/bpfls/analysis/fix"
	"github.com/bpfls/bpfls/analysis/internal/analysistest"
	"github.com/bpfls/bpfls/analysis/syntax"
)

// probePassCode reports whether a diagnostic belongs in the probe-pass
// goldens: the probe pass's own codes and the builtin/args checks that
// depend on the probe context. Other checks have goldens of their own.
func probePassCode(code string) bool {
	return strings.HasPrefix(code, "probe/") || strings.HasPrefix(code, "args/") ||
		code == analysis.CodeProbeVersion || code == analysis.CodeBuiltinProbe
}

// goldenText renders the probe-pass diagnostics of s with their related
// information and fix titles.
func goldenText(s *analysis.Snapshot) []byte {
	var b bytes.Buffer
	for _, d := range s.Diagnostics {
		if !probePassCode(d.Code) {
			continue
		}
		l, c := s.File.Lines.Position(d.Span.Start)
		_, c2 := s.File.Lines.Position(d.Span.End)
		fmt.Fprintf(&b, "%d:%d-%d %s [%s] %s\n", l, c, c2, d.Severity, d.Code, d.Message)
		for _, r := range d.Related {
			l, c := s.File.Lines.Position(r.Span.Start)
			fmt.Fprintf(&b, "\trelated %d:%d %s\n", l, c, r.Message)
		}
		for _, f := range d.Fixes {
			fmt.Fprintf(&b, "\tfix %s\n", f.Title)
		}
	}
	return b.Bytes()
}

// TestProbeGolden checks the probe pass, with the fixes package fix offers,
// on real kernel functions and tracepoints, for each target version an
// archive names.
func TestProbeGolden(t *testing.T) {
	ix := analysistest.RealKernel(t)
	analysistest.Run(t, analysistest.RepoPath("testdata/analysis/*.txtar"), func(t *testing.T, ar *txtar.Archive) map[string][]byte {
		src := analysistest.Input(t, ar)
		ds := analysistest.WantDialects(t, ar)
		if len(ds) == 0 {
			t.Fatal("no want sections")
		}
		out := map[string][]byte{}
		for _, d := range ds {
			f := syntax.Parse("input.bt", src, d)
			s := analysis.Analyze(context.Background(), f, analysis.Config{Dialect: d, Kernel: ix, Refactorer: fix.Refactorings{}})
			out[analysistest.SectionName(d)] = goldenText(s)
		}
		return out
	})
}
