package fix

import (
	"context"
	"fmt"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/bpfls/bpfls/analysis"
	"github.com/bpfls/bpfls/analysis/internal/analysistest"
	"github.com/bpfls/bpfls/analysis/syntax"
)

// applyFix applies a fix's edits to src and returns the new text and the
// spans the new text occupies.
func applyFix(src []byte, fix analysis.Fix) ([]byte, []syntax.Span, error) {
	edits := append([]analysis.Edit(nil), fix.Edits...)
	sort.Slice(edits, func(i, j int) bool { return edits[i].Span.Start < edits[j].Span.Start })
	var out []byte
	var spans []syntax.Span
	at := syntax.Pos(0)
	for _, e := range edits {
		if e.Span.Start < at || e.Span.End > syntax.Pos(len(src)) || e.Span.End < e.Span.Start {
			return nil, nil, fmt.Errorf("edit %v overlaps or is out of range", e.Span)
		}
		out = append(out, src[at:e.Span.Start]...)
		start := syntax.Pos(len(out))
		out = append(out, e.NewText...)
		spans = append(spans, syntax.Span{Start: start, End: syntax.Pos(len(out))})
		at = e.Span.End
	}
	return append(out, src[at:]...), spans, nil
}

// overlaps reports whether d touches any of spans.
func overlaps(d analysis.Diagnostic, spans []syntax.Span) bool {
	for _, s := range spans {
		if d.Span.Start < s.End && s.Start < d.Span.End || d.Span.Start == s.Start {
			return true
		}
	}
	return false
}

// seriousOutside counts errors and warnings outside spans.
func seriousOutside(ds []analysis.Diagnostic, spans []syntax.Span) int {
	n := 0
	for _, d := range ds {
		if d.Severity <= analysis.SeverityWarning && !overlaps(d, spans) {
			n++
		}
	}
	return n
}

// checkFixesClean applies every fix of every diagnostic of s and re-checks
// the result with Analyze. A refactoring (split, macro, #define) must leave
// no error or warning in the text it writes; a quick fix must make its
// diagnostic go away and add no problem there. Neither may add problems
// elsewhere. It returns how many fixes it checked.
func checkFixesClean(t *testing.T, name string, src []byte, v syntax.Dialect, s *analysis.Snapshot) int {
	t.Helper()
	n := 0
	for _, d := range s.Diagnostics {
		for _, fix := range d.Fixes {
			n++
			out, spans, err := applyFix(src, fix)
			if err != nil {
				t.Errorf("%s: fix %q: %v", name, fix.Title, err)
				continue
			}
			var oldSpans []syntax.Span
			for _, e := range fix.Edits {
				oldSpans = append(oldSpans, e.Span)
			}
			after := analyzeReal(t, out, v)
			if bad := problemsInFix(s, d, fix, oldSpans, after, spans); len(bad) > 0 {
				t.Errorf("%s (%s): fix %q leaves problems:\n%s\n--- fixed script\n%s", name, analysistest.SectionName(v), fix.Title, strings.Join(bad, "\n"), out)
			}
			if before, now := seriousOutside(s.Diagnostics, oldSpans), seriousOutside(after.Diagnostics, spans); now > before {
				t.Errorf("%s (%s): fix %q adds problems elsewhere (%d before, %d after):\n%s", name, analysistest.SectionName(v), fix.Title, before, now, fmtDiags(after.File, after.Diagnostics))
			}
		}
	}
	return n
}

// problemsInFix lists what is wrong in the text a fix wrote.
func problemsInFix(before *analysis.Snapshot, fixed analysis.Diagnostic, fix analysis.Fix, oldSpans []syntax.Span, after *analysis.Snapshot, spans []syntax.Span) []string {
	existed := map[string]bool{}
	for _, d := range before.Diagnostics {
		if overlaps(d, oldSpans) && !(d.Code == fixed.Code && d.Message == fixed.Message) {
			existed[d.Code+" "+d.Message] = true
		}
	}
	var bad []string
	for _, d := range after.Diagnostics {
		if !overlaps(d, spans) {
			continue
		}
		same := d.Code == fixed.Code && d.Message == fixed.Message
		serious := d.Severity <= analysis.SeverityWarning
		switch {
		case fix.Kind != "quickfix" && serious:
			bad = append(bad, fmtDiag(after.File, d))
		case fix.Kind == "quickfix" && (same || serious && !existed[d.Code+" "+d.Message]):
			bad = append(bad, fmtDiag(after.File, d))
		}
	}
	return bad
}

// TestFixesLeaveCleanScripts applies every fix offered on the golden
// scripts, per target version, and re-checks the result.
func TestFixesLeaveCleanScripts(t *testing.T) {
	analysistest.RealKernel(t)
	total := 0
	for file, ar := range analysistest.Archives(t, analysistest.RepoPath("testdata/analysis/*.txtar")) {
		src, _ := analysistest.Section(ar, "input.bt")
		for _, d := range analysistest.WantDialects(t, ar) {
			s := analyzeReal(t, src, d)
			total += checkFixesClean(t, filepath.Base(file), src, d, s)
		}
	}
	if total < 20 {
		t.Errorf("only %d fixes were offered on the golden scripts; the test needs more cases", total)
	}
}

// analyzeReal analyses src for dialect d against the running kernel, with
// the refactorings of this package.
func analyzeReal(t testing.TB, src []byte, d syntax.Dialect) *analysis.Snapshot {
	f := syntax.Parse("input.bt", src, d)
	return analysis.Analyze(context.Background(), f, analysis.Config{Dialect: d, Kernel: analysistest.RealKernel(t), Refactorer: Refactorings{}})
}

// fmtDiag renders a diagnostic for messages: "1:8-15 error [code] message".
func fmtDiag(f *syntax.File, d analysis.Diagnostic) string {
	l, c := f.Lines.Position(d.Span.Start)
	_, c2 := f.Lines.Position(d.Span.End)
	return fmt.Sprintf("%d:%d-%d %s [%s] %s", l, c, c2, d.Severity, d.Code, d.Message)
}

func fmtDiags(f *syntax.File, ds []analysis.Diagnostic) string {
	var b strings.Builder
	for _, d := range ds {
		b.WriteString(fmtDiag(f, d) + "\n")
	}
	return b.String()
}
