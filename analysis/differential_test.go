package analysis

import (
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/bpfls/bpfls/analysis/internal/analysistest"
	"github.com/bpfls/bpfls/analysis/syntax"
)

// The differential test compiles every golden script that targets 0.17 with
// the real bpftrace 0.17 (`bpftrace --unsafe --test=codegen FILE`, which
// attaches nothing) and checks that bpfls reports an error on exactly the
// lines bpftrace does, and none on scripts bpftrace compiles.
//
// Deliberate differences, skipped with the reason:
//   - kfunc/kretfunc scripts: 0.17 resolves kfuncs through
//     available_filter_functions, which is unreadable here, so it refuses
//     every kfunc probe; bpfls checks them against BTF.
//   - iter probes: 0.17 probes iterator support in a way that fails here
//     ("iter task not available for your kernel version") although the
//     kernel has bpf_iter__task.
//   - bpftrace's warnings (for example "is not traceable" on every kprobe,
//     since available_filter_functions is unreadable) are not compared:
//     only errors are.
//   - bpftrace stops at the first attach point it cannot resolve; such
//     cases get one script each.
//
// bpftrace locates most errors as FILE:LINE:COL-COL, and some (a probe) as
// FILE:LINE-LINE; a range matches when bpfls reports an error on one of
// its lines.
// bpflsErrorLines returns the lines bpfls reports errors on.
func bpflsErrorLines(s *Snapshot) []int {
	var lines []int
	for _, d := range s.Diagnostics {
		if d.Severity == SeverityError {
			l, _ := s.File.Lines.Position(d.Span.Start)
			lines = append(lines, l)
		}
	}
	return uniqueSorted(lines)
}

func uniqueSorted(xs []int) []int {
	sort.Ints(xs)
	out := xs[:0]
	for i, x := range xs {
		if i == 0 || x != xs[i-1] {
			out = append(out, x)
		}
	}
	return out
}

func TestDifferentialBpftrace017(t *testing.T) {
	bin := analysistest.Bpftrace017(t)
	analysistest.RealKernel(t)
	compared := 0
	for file, ar := range analysistest.Archives(t, goldenGlob) {
		name := strings.TrimSuffix(filepath.Base(file), ".txtar")
		if _, ok := analysistest.Section(ar, "want 0.17"); !ok {
			continue
		}
		src, _ := analysistest.Section(ar, "input.bt")
		if why := analysistest.SkipDifferential(string(src)); why != "" {
			t.Logf("%s: not compared: %s", name, why)
			continue
		}
		compared++
		t.Run(name, func(t *testing.T) {
			want, out := analysistest.BpftraceErrorLines(t, bin, src)
			s := analyzeReal(t, src, syntax.V0_17)
			got := bpflsErrorLines(s)
			if !sameErrorLines(got, want) {
				t.Errorf("error lines: bpfls %v, bpftrace %v\nbpftrace said:\n%s\nbpfls said:\n%s", got, want, out, fmtDiags(s.File, s.Diagnostics))
			}
		})
	}
	if compared < 15 {
		t.Errorf("only %d scripts compared with bpftrace 0.17", compared)
	}
}

// sameErrorLines reports whether every bpftrace error range holds a bpfls
// error line and every bpfls error line lies in a bpftrace range.
func sameErrorLines(bpfls []int, bpftrace []analysistest.LineRange) bool {
	for _, r := range bpftrace {
		found := false
		for _, l := range bpfls {
			found = found || l >= r.From && l <= r.To
		}
		if !found {
			return false
		}
	}
	for _, l := range bpfls {
		found := false
		for _, r := range bpftrace {
			found = found || l >= r.From && l <= r.To
		}
		if !found {
			return false
		}
	}
	return true
}
