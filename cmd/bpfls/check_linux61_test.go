package main

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// linux61BTF is the BTF of Debian 12's 6.1 kernel, extracted from its
// vmlinuz by `.ci/run setup` (BPFLS_LINUX61_BTF overrides the path).
func linux61BTF(t *testing.T) string {
	t.Helper()
	path := os.Getenv("BPFLS_LINUX61_BTF")
	if path == "" {
		path = "/var/lib/bpfls-ci/linux-6.1/vmlinux.btf"
	}
	if _, err := os.Stat(path); err != nil {
		if os.Getenv("BPFLS_REQUIRE_REAL") == "1" {
			t.Fatalf("BPFLS_REQUIRE_REAL=1 but there is no 6.1 kernel BTF (.ci/run setup extracts it): %v", err)
		}
		t.Skip("no 6.1 kernel BTF; .ci/run setup extracts it")
	}
	return path
}

// TestCheckLinux61AndRunning checks one script against two real kernels
// together: Debian 12's 6.1 and the running one (6.10 or newer: kmalloc
// gained its _noprof names in 6.10 and struct inode's i_ctime became
// i_ctime_sec in 6.11). Each problem only one kernel has names that kernel.
func TestCheckLinux61AndRunning(t *testing.T) {
	requireRealBTF(t)
	dir := t.TempDir()
	k61 := filepath.Join(dir, "linux-6.1.btf")
	if err := os.Symlink(linux61BTF(t), k61); err != nil {
		t.Fatal(err)
	}
	live := filepath.Join(dir, "running.snap")
	if code, _, errOut := runBpfls(t, "btf", "export", "-o", live); code != exitOK {
		t.Fatalf("btf export: exit %d: %s", code, errOut)
	}
	for _, probe := range []struct{ kernel, kind, name string }{
		{k61, "func", "__kmalloc"}, {live, "func", "__kmalloc_noprof"},
	} {
		if code, out, _ := runBpfls(t, "btf", "--kernel", probe.kernel, probe.kind, probe.name); code != exitOK {
			t.Fatalf("premise: %s has no %s %s:\n%s", filepath.Base(probe.kernel), probe.kind, probe.name, out)
		}
	}
	lines := []struct {
		src, wantOn, wantCode string // wantOn "": clean on both kernels
	}{
		{"kprobe:__kmalloc { @a = count(); }", "running.snap", "probe/unknown-function"},
		{"fentry:__kmalloc_noprof { @b = count(); }", "linux-6.1.btf", "probe/unknown-function"},
		{"kprobe:vfs_read { @c = ((struct inode *)arg0)->i_ctime_sec; }", "linux-6.1.btf", "type/unknown-field"},
		{"kprobe:vfs_write { @d = ((struct inode *)arg0)->i_ctime; }", "running.snap", "type/unknown-field"},
		{"kprobe:__kmalloc_noprof* { @e = count(); }", "linux-6.1.btf", "probe/no-match"},
		{"fentry:vfs_open { @f = args.path->dentry->d_inode->i_ino; }", "", ""},
		{"kprobe:vfs_read* { @g = count(); }", "", ""},
	}
	var src strings.Builder
	for _, l := range lines {
		src.WriteString(l.src + "\n")
	}
	script := writeFile(t, dir, "two.bt", src.String())
	code, out, errOut := runBpfls(t, "check", "--target-version", "0.26", "--kernel", live, "--kernel", k61, script)
	if code != exitFail {
		t.Fatalf("exit %d, want 1; stdout:\n%s\nstderr:\n%s", code, out, errOut)
	}
	for i, l := range lines {
		prefix := "two.bt:" + strconv.Itoa(i+1) + ":"
		var got []string
		for _, o := range strings.Split(out, "\n") {
			if strings.Contains(o, prefix) {
				got = append(got, o)
			}
		}
		if l.wantOn == "" {
			if len(got) != 0 {
				t.Errorf("line %d: want clean on both kernels, got %q", i+1, got)
			}
			continue
		}
		if len(got) != 1 || !strings.Contains(got[0], "(on "+l.wantOn+")") || !strings.Contains(got[0], "["+l.wantCode+"]") {
			t.Errorf("line %d: want one %s on %s only, got %q", i+1, l.wantCode, l.wantOn, got)
		}
	}
}

// TestBtfEnumTags: `bpfls btf list enumtag` lists BTF enums by tag from the
// running kernel, from its exported snapshot, and from 6.1's BTF; an
// anonymous enum (TCP_ESTABLISHED's) has none.
func TestBtfEnumTags(t *testing.T) {
	requireRealBTF(t)
	dir := t.TempDir()
	live := filepath.Join(dir, "running.snap")
	if code, _, errOut := runBpfls(t, "btf", "export", "-o", live); code != exitOK {
		t.Fatalf("btf export: exit %d: %s", code, errOut)
	}
	for _, kernel := range [][]string{nil, {"--kernel", live}, {"--kernel", linux61BTF(t)}} {
		args := append(append([]string{"btf"}, kernel...), "list", "enumtag", "pid_ty*")
		if code, out, errOut := runBpfls(t, args...); code != exitOK || strings.TrimSpace(out) != "pid_type" {
			t.Errorf("%q: exit %d, %q %s; want pid_type", args, code, out, errOut)
		}
		args = append(append([]string{"btf"}, kernel...), "list", "enumtag", "tcp_state")
		if code, out, _ := runBpfls(t, args...); code != exitFail {
			t.Errorf("%q: exit %d, %q; want no match", args, code, out)
		}
	}
}
