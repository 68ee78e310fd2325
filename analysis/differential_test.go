package analysis

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

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
var bpftraceErrorLine = regexp.MustCompile(`^(?:[^:\n]*\.bt|stdin):(\d+)(?:-(\d+))?(?::\d+(?:-\d+)?)?: ERROR: `)

// lineRange is the lines of one bpftrace error.
type lineRange struct{ from, to int }

// skipDifferential returns why a script cannot be compared, or "".
func skipDifferential(src string) string {
	for _, w := range []string{"kfunc:", "kretfunc:", "fentry:", "fexit:", "f:", "fr:"} {
		if strings.Contains(src, w) {
			return "kfunc probes need available_filter_functions, unreadable here"
		}
	}
	if strings.Contains(src, "iter:") {
		return "bpftrace 0.17 does not find iterators on this kernel"
	}
	return ""
}

// bpftrace017 returns the path of a bpftrace 0.17 this test may run.
func bpftrace017(t *testing.T) string {
	path, err := exec.LookPath("bpftrace")
	if err != nil {
		requireReal(t, "bpftrace is not installed")
	}
	if os.Geteuid() != 0 {
		requireReal(t, "bpftrace --test=codegen needs root")
	}
	out, err := exec.Command(path, "--version").Output()
	if err != nil || !strings.Contains(string(out), "v0.17") {
		requireReal(t, "bpftrace is not version 0.17: "+strings.TrimSpace(string(out)))
	}
	return path
}

// bpftraceErrorLines compiles src with bpftrace and returns the lines it
// reports errors on.
func bpftraceErrorLines(t *testing.T, bin string, src []byte) ([]lineRange, string) {
	t.Helper()
	file := filepath.Join(t.TempDir(), "script.bt")
	if err := os.WriteFile(file, src, 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	out, _ := exec.CommandContext(ctx, bin, "--unsafe", "--test=codegen", file).CombinedOutput()
	var ranges []lineRange
	for _, l := range strings.Split(string(out), "\n") {
		if m := bpftraceErrorLine.FindStringSubmatch(l); m != nil {
			r := lineRange{}
			r.from, _ = strconv.Atoi(m[1])
			r.to = r.from
			if m[2] != "" {
				r.to, _ = strconv.Atoi(m[2])
			}
			ranges = append(ranges, r)
		}
	}
	return ranges, filterNoise(string(out))
}

// filterNoise drops the generated IR from bpftrace's output for messages.
func filterNoise(out string) string {
	var keep []string
	for _, l := range strings.Split(out, "\n") {
		if strings.Contains(l, "ERROR") || strings.Contains(l, "WARNING") {
			keep = append(keep, l)
		}
	}
	return strings.Join(keep, "\n")
}

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
	bin := bpftrace017(t)
	realKernel(t)
	compared := 0
	for file, ar := range goldenCases(t) {
		name := strings.TrimSuffix(filepath.Base(file), ".txtar")
		if _, ok := archiveSection(ar, "want 0.17"); !ok {
			continue
		}
		src, _ := archiveSection(ar, "input.bt")
		if why := skipDifferential(string(src)); why != "" {
			t.Logf("%s: not compared: %s", name, why)
			continue
		}
		compared++
		t.Run(name, func(t *testing.T) {
			want, out := bpftraceErrorLines(t, bin, src)
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
func sameErrorLines(bpfls []int, bpftrace []lineRange) bool {
	for _, r := range bpftrace {
		found := false
		for _, l := range bpfls {
			found = found || l >= r.from && l <= r.to
		}
		if !found {
			return false
		}
	}
	for _, l := range bpfls {
		found := false
		for _, r := range bpftrace {
			found = found || l >= r.from && l <= r.to
		}
		if !found {
			return false
		}
	}
	return true
}
