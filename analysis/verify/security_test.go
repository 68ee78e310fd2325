package verify

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bpfls/bpfls/analysis/syntax"
)

// TestDisabledRunsNothing: with verification off (the zero Options, or
// everything configured but Enabled), no process starts, not even
// `bpftrace --version`.
func TestDisabledRunsNothing(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	marker := filepath.Join(dir, "ran")
	fake := fakeBinary(t, dir, "bpftrace", `touch "`+marker+`"; echo "bpftrace v0.17.0"`)
	wrapper := fakeBinary(t, dir, "sudo", `touch "`+marker+`.wrapper"; exec "$@"`)
	script := filepath.Join(dir, "s.bt")
	for _, opts := range []Options{
		{},
		{Path: fake},
		{Path: fake, Prefix: []string{wrapper}, IncludeDirs: []string{dir}, Params: []string{"1"}, Env: []string{"BPFTRACE_STRLEN=64"}},
		{Path: fake, Version: syntax.V0_17},
	} {
		if _, err := Check(context.Background(), opts, script, []byte("BEGIN { }\n")); !errors.Is(err, ErrDisabled) {
			t.Errorf("Check(%+v) error = %v, want ErrDisabled", opts, err)
		}
		if _, err := DetectVersion(context.Background(), opts); !errors.Is(err, ErrDisabled) {
			t.Errorf("DetectVersion(%+v) error = %v, want ErrDisabled", opts, err)
		}
	}
	if exists(marker) || exists(marker+".wrapper") {
		t.Fatal("a process ran although verification was disabled")
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".bpfls-") {
			t.Errorf("disabled verification left a copy %s", e.Name())
		}
	}
	// The same fake does run once enabled, so the marker check above can fail.
	if _, err := DetectVersion(context.Background(), Options{Enabled: true, Path: fake}); err != nil || !exists(marker) {
		t.Fatalf("enabled DetectVersion did not run the fake: %v", err)
	}
}

// TestShellMetacharactersRunNothingElse feeds shell syntax through every
// string that reaches the command line: the file's directory and name, the
// include paths, the parameters and the environment. Nothing may be
// interpreted: the injected commands never run, and bpftrace receives each
// string as one argument, unchanged.
func TestShellMetacharactersRunNothingElse(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	injected := filepath.Join(root, "injected")
	payloads := []string{
		"; touch " + injected + "1",
		"$(touch " + injected + "2)",
		"`touch " + injected + "3`",
		"a b && touch " + injected + "4",
		"| touch " + injected + "5",
		"'; touch " + injected + "6; '",
		"\"; touch " + injected + "7; \"",
		"-e BEGIN{system(\"touch " + injected + "8\")}",
	}
	dir := filepath.Join(root, "dir with spaces; $(touch "+injected+"9) `touch "+injected+"10`")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	argsFile := filepath.Join(root, "args")
	fake := fakeBinary(t, root, "bpftrace", `for a in "$@"; do printf '%s\0' "$a"; done > "`+argsFile+`"
env > "`+argsFile+`.env"
exit 0`)
	opts := Options{
		Enabled:     true,
		Path:        fake,
		Version:     syntax.V0_17,
		IncludeDirs: []string{payloads[0], payloads[1]},
		Includes:    []string{payloads[2]},
		Params:      payloads,
		Env:         []string{"BPFTRACE_STRLEN=$(touch " + injected + "11)", "BPFTRACE_X=`touch " + injected + "12`"},
	}
	// A file name cannot hold '/', so its commands use names relative to the
	// directory bpftrace runs in, which is dir.
	script := filepath.Join(dir, "x; touch injected13 $(touch injected14) `touch injected15`.bt")
	if _, err := Check(context.Background(), opts, script, []byte("BEGIN { }\n")); err != nil {
		t.Fatalf("Check: %v", err)
	}
	matches, _ := filepath.Glob(injected + "*")
	inDir, _ := filepath.Glob(filepath.Join(dir, "injected*"))
	if matches = append(matches, inDir...); len(matches) > 0 {
		t.Fatalf("shell syntax was executed: %q exist", matches)
	}
	raw, err := os.ReadFile(argsFile)
	if err != nil {
		t.Fatalf("the fake bpftrace did not run: %v", err)
	}
	got := strings.Split(strings.TrimSuffix(string(raw), "\x00"), "\x00")
	sep := -1
	for i, a := range got {
		if a == "--" {
			sep = i
			break
		}
	}
	if sep < 0 || len(got) != sep+2+len(payloads) {
		t.Fatalf("arguments %q: want flags, --, the file, then %d parameters", got, len(payloads))
	}
	if file := got[sep+1]; filepath.Dir(file) != dir {
		t.Errorf("file argument %q is not in %q", file, dir)
	}
	for i, p := range payloads {
		if got[sep+2+i] != p {
			t.Errorf("parameter %d = %q, want %q unchanged", i, got[sep+2+i], p)
		}
	}
	wantFlags := []string{"--unsafe", "--test=codegen", "-I", payloads[0], "-I", payloads[1], "--include", payloads[2]}
	if strings.Join(got[:sep], "\x00") != strings.Join(wantFlags, "\x00") {
		t.Errorf("flags %q, want %q", got[:sep], wantFlags)
	}
	env, _ := os.ReadFile(argsFile + ".env")
	if !strings.Contains(string(env), "BPFTRACE_STRLEN=$(touch "+injected+"11)") {
		t.Errorf("environment value was altered:\n%s", env)
	}
}

// TestMetacharactersInBinaryPath makes sure a configured binary path with
// shell syntax is run as one literal file name.
func TestMetacharactersInBinaryPath(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	injected := filepath.Join(root, "injected")
	dir := filepath.Join(root, "b;touch "+injected+" $(touch "+injected+"2)")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	marker := filepath.Join(root, "ran")
	fake := fakeBinary(t, dir, "bpftrace", `touch "`+marker+`"; echo "bpftrace v0.17.0"`)
	v, err := DetectVersion(context.Background(), Options{Enabled: true, Path: fake, Prefix: nil})
	if err != nil || v != syntax.V0_17 || !exists(marker) {
		t.Fatalf("DetectVersion = %v, %v (ran: %v)", v, err, exists(marker))
	}
	if matches, _ := filepath.Glob(injected + "*"); len(matches) > 0 {
		t.Fatalf("shell syntax in the binary path was executed: %q", matches)
	}
}
