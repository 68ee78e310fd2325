package verify

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bpfls/bpfls/analysis/syntax"
)

// TestResolveTarget runs the policy against fake bpftrace binaries: what is
// targeted, where it came from, and that auto asks the binary exactly once
// with --version and nothing else.
func TestResolveTarget(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	calls := filepath.Join(dir, "calls")
	answer := func(name, out string) string {
		return fakeBinary(t, dir, name, `echo "$*" >> `+calls+`; echo "`+out+`"`)
	}
	v017 := answer("bt017", "bpftrace v0.17.0")
	v012 := answer("bt012", "bpftrace v0.12.1")
	v030 := answer("bt030", "bpftrace v0.30.0-rc1")
	garbage := answer("garbage", "hello")
	for _, tc := range []struct {
		name, setting, binary string
		want                  syntax.Version
		source, reason        string
		runs                  int
	}{
		{"explicit", "0.19", v017, syntax.V0_19, TargetFromSetting, "bpftrace 0.19, as set", 0},
		{"newest", "newest", v017, syntax.Newest, TargetFromSetting, "as set", 0},
		{"auto installed", "auto", v017, syntax.V0_17, TargetFromInstalled, "is bpftrace 0.17", 1},
		{"empty is auto", "", v017, syntax.V0_17, TargetFromInstalled, "is bpftrace 0.17", 1},
		{"auto too old", "auto", v012, syntax.Oldest, TargetFromInstalled, "older than bpfls knows", 1},
		{"auto too new", "auto", v030, syntax.Newest, TargetFromInstalled, "newer than bpfls knows", 1},
		{"auto garbage", "auto", garbage, syntax.Newest, TargetFromFallback, "did not answer", 1},
		{"auto missing", "auto", filepath.Join(dir, "nope"), syntax.Newest, TargetFromFallback, "cannot be run", 0},
	} {
		os.Remove(calls)
		got, err := ResolveTarget(context.Background(), tc.setting, tc.binary, nil)
		if err != nil {
			t.Errorf("%s: ResolveTarget: %v", tc.name, err)
			continue
		}
		if got.Version != tc.want || got.Source != tc.source || !strings.Contains(got.Reason, tc.reason) {
			t.Errorf("%s: got %+v, want %v from %s with a reason containing %q", tc.name, got, tc.want, tc.source, tc.reason)
		}
		b, _ := os.ReadFile(calls)
		if lines := strings.Fields(string(b)); len(lines) != tc.runs || (tc.runs == 1 && lines[0] != "--version") {
			t.Errorf("%s: the binary ran with %q, want %d run(s) of --version", tc.name, lines, tc.runs)
		}
	}
	if _, err := ResolveTarget(context.Background(), "0.9", v017, nil); err == nil {
		t.Error("ResolveTarget accepted 0.9")
	}
}

// TestResolveTargetPath: auto without a binary asks the bpftrace in PATH,
// and with none there targets the newest version and says why.
func TestResolveTargetPath(t *testing.T) {
	dir := t.TempDir()
	fakeBinary(t, dir, "bpftrace", `echo "bpftrace v0.21.0"`)
	t.Setenv("PATH", dir)
	got, err := ResolveTarget(context.Background(), "auto", "", nil)
	if err != nil || got.Version != syntax.V0_21 || got.Binary != filepath.Join(dir, "bpftrace") {
		t.Errorf("with bpftrace in PATH: %+v, %v; want 0.21 from %s", got, err, dir)
	}
	t.Setenv("PATH", t.TempDir())
	got, err = ResolveTarget(context.Background(), "auto", "", nil)
	if err != nil || got.Version != syntax.Newest || got.Source != TargetFromFallback || !strings.Contains(got.Reason, "no bpftrace in PATH") {
		t.Errorf("without bpftrace: %+v, %v; want the newest, saying no bpftrace is in PATH", got, err)
	}
}
