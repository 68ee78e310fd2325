package main

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

const (
	fmtUgly = "BEGIN{@a[1,2]=count();$x=1;$x=$x+1;if($x>1){printf(\"%d\\n\",$x)}}\n"
	fmtNice = "BEGIN\n{\n  @a[1,2] = count();\n  $x = 1;\n  $x += 1;\n  if ($x > 1) {\n    printf(\"%d\\n\", $x);\n  }\n}\n"
)

func TestFmtStdout(t *testing.T) {
	p := writeFile(t, t.TempDir(), "a.bt", fmtUgly)
	code, out, errOut := runBpfls(t, "fmt", p)
	if code != exitOK || out != fmtNice {
		t.Fatalf("code %d, stderr %q, out:\n%s", code, errOut, out)
	}
	if b, _ := os.ReadFile(p); string(b) != fmtUgly {
		t.Fatal("fmt without -w changed the file")
	}
}

func TestFmtStdin(t *testing.T) {
	var out, errOut bytes.Buffer
	code := run(context.Background(), []string{"fmt", "-"}, strings.NewReader(fmtUgly), &out, &errOut)
	if code != exitOK || out.String() != fmtNice {
		t.Fatalf("code %d, stderr %q, out:\n%s", code, errOut.String(), out.String())
	}
}

func TestFmtWriteKeepsMode(t *testing.T) {
	dir := t.TempDir()
	p := writeFile(t, dir, "a.bt", fmtUgly)
	if err := os.Chmod(p, 0o750); err != nil {
		t.Fatal(err)
	}
	if code, out, errOut := runBpfls(t, "fmt", "-w", p); code != exitOK || out != "" {
		t.Fatalf("code %d, out %q, stderr %q", code, out, errOut)
	}
	b, _ := os.ReadFile(p)
	info, _ := os.Stat(p)
	if string(b) != fmtNice || info.Mode().Perm() != 0o750 {
		t.Fatalf("mode %v, content:\n%s", info.Mode(), b)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Fatalf("temporary files left behind: %v", entries)
	}
}

func TestFmtCheckAndList(t *testing.T) {
	dir := t.TempDir()
	ugly := writeFile(t, dir, "sub/ugly.bt", fmtUgly)
	writeFile(t, dir, "nice.bt", fmtNice)
	code, out, _ := runBpfls(t, "fmt", "--check", dir)
	if code != exitFail || out != ugly+"\n" {
		t.Fatalf("--check: code %d, out %q", code, out)
	}
	code, out, _ = runBpfls(t, "fmt", "-l", dir)
	if code != exitOK || out != ugly+"\n" {
		t.Fatalf("-l: code %d, out %q", code, out)
	}
	if code, out, _ := runBpfls(t, "fmt", "--check", filepath.Join(dir, "nice.bt")); code != exitOK || out != "" {
		t.Fatalf("--check on a formatted file: code %d, out %q", code, out)
	}
}

// TestFmtDiffApplies: the -d output is a unified diff patch(1) applies.
func TestFmtDiffApplies(t *testing.T) {
	patch, err := exec.LookPath("patch")
	if err != nil {
		t.Skip("patch(1) not installed")
	}
	p := writeFile(t, t.TempDir(), "a.bt", "// keep\n"+fmtUgly+"\n// tail\n")
	code, out, _ := runBpfls(t, "fmt", "-d", p)
	if code != exitOK || !strings.HasPrefix(out, "--- ") || !strings.Contains(out, "\n+  $x += 1;\n") {
		t.Fatalf("code %d, diff:\n%s", code, out)
	}
	cmd := exec.Command(patch, p)
	cmd.Stdin = strings.NewReader(out)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("patch: %v\n%s", err, b)
	}
	_, want, _ := runBpfls(t, "fmt", p)
	if b, _ := os.ReadFile(p); string(b) != want {
		t.Fatalf("patched file is not formatted:\n%s", b)
	}
}

func TestFmtSyntaxError(t *testing.T) {
	src := "BEGIN { $x = ; }\n"
	p := writeFile(t, t.TempDir(), "bad.bt", src)
	code, out, errOut := runBpfls(t, "fmt", "-w", p)
	if code != exitFail || out != "" || !strings.Contains(errOut, "bad.bt:1:") || !strings.Contains(errOut, "syntax errors") {
		t.Fatalf("code %d, out %q, stderr %q", code, out, errOut)
	}
	if b, _ := os.ReadFile(p); string(b) != src {
		t.Fatal("a file with syntax errors was rewritten")
	}
}

func TestFmtTargetVersion(t *testing.T) {
	p := writeFile(t, t.TempDir(), "a.bt", "kprobe:f { @[((struct task_struct *)curtask)->pid] = count(); }\n")
	_, old, _ := runBpfls(t, "fmt", "--target-version", "0.17", p)
	_, cur, _ := runBpfls(t, "fmt", "--target-version", "newest", p)
	if !strings.Contains(old, "->pid") || !strings.Contains(cur, ").pid") {
		t.Fatalf("0.17:\n%s\nnewest:\n%s", old, cur)
	}
	if code, _, _ := runBpfls(t, "fmt", "--target-version", "9.9", p); code != exitUsage {
		t.Fatalf("bad version: code %d", code)
	}
}
