package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestCheckKernelMatrix checks one script against two kernels: a snapshot
// of the running kernel, exported by `bpfls btf export`, and the small
// fixture BTF in testdata, which lacks tcp_recvmsg. The problem only one
// kernel has must name that kernel.
func TestCheckKernelMatrix(t *testing.T) {
	requireRealBTF(t)
	dir := t.TempDir()
	snap := filepath.Join(dir, "running.snap")
	if code, _, errOut := runBpfls(t, "btf", "export", "-o", snap); code != exitOK {
		t.Fatalf("btf export: exit %d: %s", code, errOut)
	}
	fixture := filepath.Join("..", "..", "testdata", "btf", "kernel", "vmlinux")
	script := writeFile(t, dir, "recv.bt", "fentry:tcp_recvmsg { @calls = count(); }\n")

	code, out, errOut := runBpfls(t, "check", "--target-version", "newest", "--kernel", snap, "--kernel", fixture, script)
	if code != exitFail {
		t.Fatalf("exit %d, want 1; stdout:\n%s\nstderr:\n%s", code, out, errOut)
	}
	if !strings.Contains(out, "tcp_recvmsg") || !strings.Contains(out, "(on vmlinux)") || strings.Contains(out, "running.snap") {
		t.Errorf("want the unknown-function error tagged with the fixture kernel only, got:\n%s", out)
	}
	// Against the running kernel's snapshot alone, the script is clean.
	if code, out, _ := runBpfls(t, "check", "--target-version", "newest", "--kernel", snap, script); code != exitOK {
		t.Errorf("against the running kernel: exit %d:\n%s", code, out)
	}
}

func TestCheckKernelFileErrors(t *testing.T) {
	dir := t.TempDir()
	junk := writeFile(t, dir, "junk.bin", "this is neither a snapshot nor BTF")
	script := writeFile(t, dir, "ok.bt", cleanScript)
	for _, k := range []string{junk, filepath.Join(dir, "missing.snap")} {
		code, _, errOut := runBpfls(t, "check", "--kernel", k, script)
		if code != exitFail || !strings.Contains(errOut, "--kernel") {
			t.Errorf("--kernel %s: exit %d, stderr %q", k, code, errOut)
		}
	}
}

// requireBpftrace returns the real bpftrace binary, failing under
// BPFLS_REQUIRE_REAL=1 when it is missing and skipping otherwise.
func requireBpftrace(t *testing.T) string {
	t.Helper()
	p, err := exec.LookPath("bpftrace")
	if err == nil && os.Geteuid() == 0 {
		return p
	}
	if os.Getenv("BPFLS_REQUIRE_REAL") == "1" {
		t.Fatalf("BPFLS_REQUIRE_REAL=1 but bpftrace is not runnable here (found: %v, root: %v)", err == nil, os.Geteuid() == 0)
	}
	t.Skip("needs the bpftrace binary and root")
	return ""
}

// TestCheckVerify runs the real bpftrace on a script with an error both
// sides see and one bpftrace's clang calls an error where bpfls's C front
// end only warns (a C syntax error in a struct definition), and expects the
// disagreement to be reported.
func TestCheckVerify(t *testing.T) {
	requireBpftrace(t)
	dir := t.TempDir()
	script := writeFile(t, dir, "v.bt", "struct foo { int a b; };\nBEGIN { printf(\"%d\\n\", 1); exit(); }\n")
	code, out, errOut := runBpfls(t, "check", "--format", "json", "--verify", "--target-version", "auto", script)
	if code != exitFail {
		t.Fatalf("exit %d, want 1\nstdout:\n%s\nstderr:\n%s", code, out, errOut)
	}
	if !strings.Contains(out, `"source": "bpftrace"`) || !strings.Contains(out, "verify/disagreement") {
		t.Errorf("want a bpftrace diagnostic and a disagreement, got:\n%s", out)
	}
	// A clean script stays clean under verification.
	clean := writeFile(t, dir, "clean.bt", cleanScript)
	if code, out, errOut := runBpfls(t, "check", "--verify", "--target-version", "auto", clean); code != exitOK {
		t.Errorf("clean script under --verify: exit %d\n%s\n%s", code, out, errOut)
	}
}

// TestCheckVerifyOlderBpftrace: checking for 0.26 with the installed 0.17
// says once which bpftrace ran, and 0.17's refusal of let (0.22 syntax) is
// no error of the scripts; a real error stays.
func TestCheckVerifyOlderBpftrace(t *testing.T) {
	requireBpftrace(t)
	dir := t.TempDir()
	newer := "BEGIN { @n = 1; }\nEND {\n  let $y = 1;\n  print($y);\n}\n"
	a := writeFile(t, dir, "a.bt", newer)
	b := writeFile(t, dir, "b.bt", newer)
	code, out, errOut := runBpfls(t, "check", "--no-kernel", "--verify", "--target-version", "0.26", a, b)
	if code != exitOK || strings.Contains(out, "verify/syntax-error") || strings.Count(errOut, "verified with bpftrace 0.17, older than the target 0.26") != 1 {
		t.Errorf("exit %d, want 0, no bpftrace syntax error and one note on stderr\nstdout:\n%s\nstderr:\n%s", code, out, errOut)
	}
	wrong := writeFile(t, dir, "wrong.bt", "BEGIN { printf(\"%d\\n\", nope(1)); }\n")
	if code, out, _ := runBpfls(t, "check", "--no-kernel", "--verify", "--target-version", "0.26", wrong); code != exitFail || !strings.Contains(out, "Unknown function: nope") {
		t.Errorf("a real error: exit %d\n%s", code, out)
	}
}

// TestCheckVerifyMissingBinary: one clear diagnostic, not a crash.
func TestCheckVerifyMissingBinary(t *testing.T) {
	script := writeFile(t, t.TempDir(), "ok.bt", cleanScript)
	code, out, _ := runBpfls(t, "check", "--verify", "--bpftrace", "/nonexistent/bpftrace", script)
	if code != exitFail || strings.Count(out, "[verify/") != 1 || !strings.Contains(out, "not found") {
		t.Errorf("exit %d, want 1 and one verify diagnostic saying not found:\n%s", code, out)
	}
}

// TestCheckTargetAuto: auto reads the installed bpftrace's version (0.17
// here), under which fentry is reported as too new.
func TestCheckTargetAuto(t *testing.T) {
	requireBpftrace(t)
	script := writeFile(t, t.TempDir(), "f.bt", "fentry:vfs_read { @n = count(); }\n")
	code, out, _ := runBpfls(t, "check", "--no-kernel", "--target-version", "auto", script)
	if code != exitFail || !strings.Contains(out, "0.17") {
		t.Errorf("exit %d, want a version error naming 0.17:\n%s", code, out)
	}
}
