package analysistest

// This file implements running the real bpftrace 0.17 on a script, for the
// tests that compare bpfls with it.

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// bpftraceErrorLine matches one bpftrace error: most are located as
// FILE:LINE:COL-COL, some (a probe) as FILE:LINE-LINE.
var bpftraceErrorLine = regexp.MustCompile(`^(?:[^:\n]*\.bt|stdin):(\d+)(?:-(\d+))?(?::\d+(?:-\d+)?)?: ERROR: `)

// LineRange is the lines of one bpftrace error.
type LineRange struct{ From, To int }

// SkipDifferential returns why bpftrace 0.17 cannot judge a script on this
// machine, or "".
func SkipDifferential(src string) string {
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

// Bpftrace017 returns the path of a bpftrace 0.17 the test may run, or
// skips.
func Bpftrace017(t *testing.T) string {
	path, err := exec.LookPath("bpftrace")
	if err != nil {
		RequireReal(t, "bpftrace is not installed")
	}
	if os.Geteuid() != 0 {
		RequireReal(t, "bpftrace --test=codegen needs root")
	}
	out, err := exec.Command(path, "--version").Output()
	if err != nil || !strings.Contains(string(out), "v0.17") {
		RequireReal(t, "bpftrace is not version 0.17: "+strings.TrimSpace(string(out)))
	}
	return path
}

// BpftraceErrorLines compiles src with bpftrace (`--unsafe --test=codegen`,
// which attaches nothing) and returns the lines it reports errors on, and
// its error and warning lines for messages.
func BpftraceErrorLines(t *testing.T, bin string, src []byte) ([]LineRange, string) {
	t.Helper()
	file := filepath.Join(t.TempDir(), "script.bt")
	if err := os.WriteFile(file, src, 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	out, _ := exec.CommandContext(ctx, bin, "--unsafe", "--test=codegen", file).CombinedOutput()
	var ranges []LineRange
	for _, l := range strings.Split(string(out), "\n") {
		if m := bpftraceErrorLine.FindStringSubmatch(l); m != nil {
			r := LineRange{}
			r.From, _ = strconv.Atoi(m[1])
			r.To = r.From
			if m[2] != "" {
				r.To, _ = strconv.Atoi(m[2])
			}
			ranges = append(ranges, r)
		}
	}
	return ranges, filterNoise(string(out))
}

// filterNoise drops the generated IR from bpftrace's output.
func filterNoise(out string) string {
	var keep []string
	for _, l := range strings.Split(out, "\n") {
		if strings.Contains(l, "ERROR") || strings.Contains(l, "WARNING") {
			keep = append(keep, l)
		}
	}
	return strings.Join(keep, "\n")
}
