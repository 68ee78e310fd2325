package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCheckKernelHeaders: --kernel-headers names the kernel headers tree
// #include searches, as BPFTRACE_KERNEL_SOURCE does for bpftrace: a tree
// the test writes (its header resolves only with the flag), Debian's 6.1
// linux-headers as a /lib/modules/RELEASE directory and as a tree (with it
// linux/in.h compiles at 0.26, without it 0.26 fails on linux/swab.h, as
// the real 0.26 does), and a path that is no directory (a usage error).
func TestCheckKernelHeaders(t *testing.T) {
	dir := t.TempDir()
	tree := filepath.Join(dir, "tree")
	if err := os.MkdirAll(filepath.Join(tree, "include/linux"), 0o755); err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(tree, "include/linux"), "bpfls_only.h", "#define BPFLS_ONLY 3\n")
	own := writeFile(t, dir, "own.bt", "#include <linux/bpfls_only.h>\nBEGIN { @ = 1; }\n")
	args := []string{"check", "--no-kernel", "--target-version", "0.26"}
	if code, out, errOut := runBpfls(t, append(args, "--kernel-headers", tree, own)...); code != exitOK {
		t.Errorf("with the tree: exit %d:\n%s%s", code, out, errOut)
	}
	if code, out, _ := runBpfls(t, append(args, own)...); code != exitFail || !strings.Contains(out, "linux/bpfls_only.h") {
		t.Errorf("without the tree: exit %d, want 1 naming the header:\n%s", code, out)
	}
	if code, _, errOut := runBpfls(t, append(args, "--kernel-headers", own, own)...); code != exitUsage || !strings.Contains(errOut, "--kernel-headers") || !strings.Contains(errOut, "not a directory") {
		t.Errorf("a file as the tree: exit %d, want 2:\n%s", code, errOut)
	}

	mods, _ := filepath.Glob("/lib/modules/6.1.0-*-amd64")
	if len(mods) == 0 {
		if os.Getenv("BPFLS_REQUIRE_REAL") == "1" {
			t.Fatal("BPFLS_REQUIRE_REAL=1 but Debian's linux-headers-6.1.0-*-amd64 is missing (.ci/run setup installs it)")
		}
		t.Skip("no Debian linux-headers-6.1.0-*-amd64")
	}
	in := writeFile(t, dir, "in.bt", "#include <linux/in.h>\nkprobe:vfs_read { @ = IPPROTO_TCP; }\n")
	if code, out, _ := runBpfls(t, append(args, in)...); code != exitFail || !strings.Contains(out, "c/uapi-swab") {
		t.Skipf("premise: without a kernel headers tree 0.26 refuses linux/in.h (is the running kernel's tree installed?):\n%s", out)
	}
	common, _ := filepath.EvalSymlinks(filepath.Join(mods[0], "source"))
	for _, h := range []string{mods[0], common} {
		if code, out, errOut := runBpfls(t, append(args, "--kernel-headers", h, in)...); code != exitOK {
			t.Errorf("--kernel-headers %s: exit %d:\n%s%s", h, code, out, errOut)
		}
	}

	// --verify hands the tree to the real 0.26 (BPFTRACE_KERNEL_SOURCE and
	// _BUILD), which then compiles the script: clang's complaints about the
	// tree's headers, printed although bpftrace exits 0, are no errors.
	const bt26 = "/opt/bpftrace-0.26.1/bin/bpftrace"
	if _, err := os.Stat(bt26); err != nil || os.Geteuid() != 0 {
		if os.Getenv("BPFLS_REQUIRE_REAL") == "1" {
			t.Fatalf("BPFLS_REQUIRE_REAL=1 but bpftrace 0.26 cannot compile here (%v, uid %d)", err, os.Geteuid())
		}
		t.Skip("bpftrace 0.26 compiles only as root from /opt (shared/tools/bpftrace/install)")
	}
	verifyArgs := []string{"check", "--target-version", "0.26", "--verify", "--bpftrace", bt26}
	if code, out, errOut := runBpfls(t, append(verifyArgs, "--kernel-headers", mods[0], in)...); code != exitOK || strings.Contains(out, ": error:") {
		t.Errorf("--verify --kernel-headers: exit %d:\n%s%s", code, out, errOut)
	}
	if code, out, _ := runBpfls(t, append(verifyArgs, in)...); code != exitFail || !strings.Contains(out, "__attribute_const__") {
		t.Errorf("--verify without a tree: exit %d, want 1 with bpftrace's swab.h error:\n%s", code, out)
	}
}
