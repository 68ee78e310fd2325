package verify

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/bpfls/bpfls/analysis"
	"github.com/bpfls/bpfls/analysis/syntax"
)

// fakeBinary writes an executable shell script standing in for bpftrace or a
// privilege wrapper. The test decides what it prints and records.
func fakeBinary(t *testing.T, dir, name, body string) string {
	t.Helper()
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, []byte("#!/bin/sh\n"+body+"\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	return path
}

func exists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

// TestCheckMapsTempNameAndCleansUp runs a fake bpftrace that reports an error
// on the file it was given and saves what it read: the buffer, not the file on
// disk, is what gets checked; it sits next to the original under a hidden
// name; its name maps back to the document; and it is gone afterwards.
func TestCheckMapsTempNameAndCleansUp(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	seen := filepath.Join(dir, "seen")
	fake := fakeBinary(t, dir, "bpftrace", `
while [ "$1" != "--" ]; do shift; done
shift
cp "$1" "`+seen+`.content"
printf '%s\n' "$1" > "`+seen+`.name"
pwd > "`+seen+`.pwd"
echo "$1:2:2-5: ERROR: Unknown function: foo" >&2
printf '    foo();\n    ~~~\n' >&2
exit 1`)
	script := filepath.Join(dir, "probe.bt")
	if err := os.WriteFile(script, []byte("BEGIN { }\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	buffer := "BEGIN {\n\tfoo();\n}\n"
	res, err := Check(context.Background(), Options{Enabled: true, Path: fake, Version: syntax.V0_17}, script, []byte(buffer))
	if err != nil {
		t.Fatalf("Check: %v", err)
	}
	if len(res.Diagnostics) != 1 {
		t.Fatalf("diagnostics %+v", res.Diagnostics)
	}
	if d := res.Diagnostics[0]; buffer[d.Span.Start:d.Span.End] != "foo" || d.Code != CodeError {
		t.Errorf("diagnostic %+v covers %q, want foo", d, buffer[d.Span.Start:d.Span.End])
	}
	content, _ := os.ReadFile(seen + ".content")
	if string(content) != buffer {
		t.Errorf("bpftrace read %q, want the unsaved buffer %q", content, buffer)
	}
	name, _ := os.ReadFile(seen + ".name")
	tmp := strings.TrimSpace(string(name))
	if filepath.Dir(tmp) != dir || !strings.HasPrefix(filepath.Base(tmp), ".") {
		t.Errorf("temporary copy %q is not a hidden file next to %q", tmp, script)
	}
	if exists(tmp) {
		t.Errorf("temporary copy %q was not removed", tmp)
	}
	if pwd, _ := os.ReadFile(seen + ".pwd"); strings.TrimSpace(string(pwd)) != dir {
		t.Errorf("bpftrace ran in %q, want the script's directory %q", pwd, dir)
	}
}

// TestCheckFallsBackToTempDir checks a document whose directory cannot hold
// the copy (it does not exist: an unsaved new file).
func TestCheckFallsBackToTempDir(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	fake := fakeBinary(t, dir, "bpftrace", `while [ "$1" != "--" ]; do shift; done; shift; echo "$1:1:1-6: WARNING: w" >&2`)
	res, err := Check(context.Background(), Options{Enabled: true, Path: fake, Version: syntax.V0_17},
		filepath.Join(dir, "no", "such", "dir", "new.bt"), []byte("BEGIN { }\n"))
	if err != nil {
		t.Fatalf("Check: %v", err)
	}
	if len(res.Diagnostics) != 1 || res.Diagnostics[0].Span != (syntax.Span{Start: 0, End: 5}) {
		t.Errorf("diagnostics %+v, want one warning on BEGIN", res.Diagnostics)
	}
}

func TestCheckClassifiesFailures(t *testing.T) {
	tests := []struct {
		name   string
		prefix string // body of a fake privilege wrapper; "" for none
		body   string // body of the fake bpftrace
		want   error
	}{
		{name: "sudo wants a password", prefix: `echo "sudo: a password is required" >&2; exit 1`, body: `exit 0`, want: ErrPasswordRequired},
		{name: "prompt reads closed stdin", prefix: `printf 'Password: ' >&2; read pw || { echo "sudo: no password was provided" >&2; exit 1; }; echo "read $pw" >&2; exit 3`, body: `exit 0`, want: ErrPasswordRequired},
		{name: "polkit", prefix: `echo "Failed to start transient service unit: Interactive authentication required." >&2; exit 1`, body: `exit 0`, want: ErrPasswordRequired},
		{name: "wrapper cannot find bpftrace", prefix: `echo "sudo: bpftrace: command not found" >&2; exit 1`, body: `exit 0`, want: ErrNotFound},
		{name: "not root 0.17", body: `echo "ERROR: bpftrace currently only supports running as the root user." >&2; exit 1`, want: ErrNotRoot},
		{name: "missing capability newest", body: `echo "ERROR: Missing CAP_BPF capability, please run bpftrace as the root user." >&2; exit 1`, want: ErrNotRoot},
		{name: "lockdown", body: `echo "Kernel lockdown is enabled and set to 'confidentiality'. Lockdown mode blocks" >&2; exit 1`, want: ErrLockdown},
		{name: "segfault", body: `kill -SEGV $$`, want: ErrCrashed},
		{name: "internal bug", body: `echo "BUG: [src/ast/x.cpp:12] unexpected node" >&2; exit 1`, want: ErrCrashed},
		{name: "failure without diagnostics", body: `echo "ERROR: Unknown error -1: couldn't set RLIMIT_MEMLOCK for bpftrace." >&2; exit 1`, want: ErrCrashed},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			opts := Options{Enabled: true, Version: syntax.V0_17, Timeout: 20 * time.Second}
			opts.Path = fakeBinary(t, dir, "bpftrace", tc.body)
			if tc.prefix != "" {
				opts.Prefix = []string{fakeBinary(t, dir, "sudo", tc.prefix), "-n"}
			}
			src := []byte("BEGIN { }\n")
			_, err := Check(context.Background(), opts, filepath.Join(dir, "s.bt"), src)
			if !errors.Is(err, tc.want) {
				t.Fatalf("Check error = %v, want %v", err, tc.want)
			}
			var re *RunError
			if !errors.As(err, &re) || len(re.Command) == 0 {
				t.Errorf("error %v is not a *RunError with the command", err)
			}
			d, ok := FailureDiagnostic(err, syntax.NewLineTable(src))
			if !ok || d.Source != analysis.SourceBpftrace || !strings.HasPrefix(d.Code, "verify/") || d.Span != (syntax.Span{Start: 0, End: 9}) {
				t.Errorf("FailureDiagnostic = %+v, %v", d, ok)
			}
		})
	}
}

// TestCheckTimeoutKillsGroup gives a fake bpftrace that starts a child and
// hangs a short timeout: Check must report ErrTimeout and the child must die
// with it.
func TestCheckTimeoutKillsGroup(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	pidFile := filepath.Join(dir, "child.pid")
	fake := fakeBinary(t, dir, "bpftrace", `sleep 60 & echo $! > "`+pidFile+`"; wait`)
	_, err := Check(context.Background(), Options{Enabled: true, Path: fake, Version: syntax.V0_17, Timeout: 300 * time.Millisecond},
		filepath.Join(dir, "s.bt"), []byte("BEGIN { }\n"))
	if !errors.Is(err, ErrTimeout) {
		t.Fatalf("Check error = %v, want ErrTimeout", err)
	}
	data, rerr := os.ReadFile(pidFile)
	if rerr != nil {
		t.Fatalf("the fake never started its child: %v", rerr)
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(data)))
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 100 && syscall.Kill(pid, 0) == nil && !isZombie(pid); i++ {
		time.Sleep(20 * time.Millisecond)
	}
	if syscall.Kill(pid, 0) == nil && !isZombie(pid) {
		t.Errorf("child %d of the timed-out bpftrace is still running", pid)
	}
}

// isZombie reports a dead process its parent has not reaped yet.
func isZombie(pid int) bool {
	stat, err := os.ReadFile(filepath.Join("/proc", strconv.Itoa(pid), "stat"))
	return err == nil && strings.Contains(string(stat), ") Z ")
}

func TestCheckMissingBinary(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	opts := Options{Enabled: true, Path: filepath.Join(dir, "no-such-bpftrace"), Version: syntax.V0_17}
	_, err := Check(context.Background(), opts, filepath.Join(dir, "s.bt"), []byte("BEGIN { }\n"))
	if !errors.Is(err, ErrNotFound) {
		t.Errorf("Check error = %v, want ErrNotFound", err)
	}
	if _, err := DetectVersion(context.Background(), opts); !errors.Is(err, ErrNotFound) {
		t.Errorf("DetectVersion error = %v, want ErrNotFound", err)
	}
	opts.Path = filepath.Join(dir) // a directory is no binary either
	if _, err := Check(context.Background(), opts, filepath.Join(dir, "s.bt"), []byte("BEGIN { }\n")); !errors.Is(err, ErrNotFound) {
		t.Errorf("Check with a directory as binary: %v, want ErrNotFound", err)
	}
}

func TestDetectVersionFake(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	fake := fakeBinary(t, dir, "bpftrace", `[ "$1" = --version ] && echo "bpftrace v0.26.0-3-gabcdef1" && exit 0; exit 2`)
	v, err := DetectVersion(context.Background(), Options{Enabled: true, Path: fake})
	if err != nil || v != syntax.V0_26 {
		t.Errorf("DetectVersion = %v, %v; want 0.26", v, err)
	}
	bad := fakeBinary(t, dir, "bad", `echo "something else"`)
	if _, err := DetectVersion(context.Background(), Options{Enabled: true, Path: bad}); !errors.Is(err, ErrBadVersion) {
		t.Errorf("DetectVersion on garbage: %v, want ErrBadVersion", err)
	}
}

// TestCheckUsesDetectedVersion leaves Options.Version unset: the 0.25+
// command line must follow from --version.
func TestCheckUsesDetectedVersion(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	args := filepath.Join(dir, "args")
	fake := fakeBinary(t, dir, "bpftrace", `[ "$1" = --version ] && echo "bpftrace v0.25.1" && exit 0
printf '%s\n' "$@" > "`+args+`"`)
	res, err := Check(context.Background(), Options{Enabled: true, Path: fake}, filepath.Join(dir, "s.bt"), []byte("BEGIN { }\n"))
	if err != nil || res.Version != syntax.V0_25 {
		t.Fatalf("Check = %+v, %v", res, err)
	}
	got, _ := os.ReadFile(args)
	if !strings.HasPrefix(string(got), "--unsafe\n--mode\ncodegen\n--\n") {
		t.Errorf("0.25 arguments %q, want --unsafe --mode codegen -- FILE", got)
	}
}

func TestCheckCancelled(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	fake := fakeBinary(t, dir, "bpftrace", `sleep 60`)
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(100*time.Millisecond, cancel)
	_, err := Check(ctx, Options{Enabled: true, Path: fake, Version: syntax.V0_17}, filepath.Join(dir, "s.bt"), []byte("BEGIN { }\n"))
	if !errors.Is(err, context.Canceled) || errors.Is(err, ErrTimeout) {
		t.Errorf("Check error = %v, want context.Canceled", err)
	}
	if _, ok := FailureDiagnostic(err, syntax.NewLineTable(nil)); ok {
		t.Errorf("a cancelled run produced a failure diagnostic")
	}
}
