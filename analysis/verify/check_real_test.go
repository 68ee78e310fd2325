package verify

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/bpfls/bpfls/analysis"
	"github.com/bpfls/bpfls/analysis/syntax"
)

// checkReal runs the installed bpftrace on src saved as name in a fresh
// directory holding files, and returns the diagnostics.
func checkReal(t *testing.T, opts Options, src string, files map[string]string) []analysis.Diagnostic {
	t.Helper()
	dir := t.TempDir()
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	res, err := Check(context.Background(), opts, filepath.Join(dir, "script.bt"), []byte(src))
	if err != nil {
		t.Fatalf("Check: %v", err)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != len(files) {
		t.Errorf("directory holds %d entries after the check, want the %d we wrote", len(entries), len(files))
	}
	return res.Diagnostics
}

// only returns the diagnostics with one of the given codes: on a sandboxed
// host every kprobe also draws a not-traceable note.
func only(ds []analysis.Diagnostic, codes ...string) []analysis.Diagnostic {
	var out []analysis.Diagnostic
	for _, d := range ds {
		for _, c := range codes {
			if d.Code == c {
				out = append(out, d)
			}
		}
	}
	return out
}

func wantOne(t *testing.T, src string, ds []analysis.Diagnostic, code string, covers string, msg string) {
	t.Helper()
	got := only(ds, code)
	if len(got) != 1 {
		t.Fatalf("got %d %s diagnostics in %+v, want 1", len(got), code, ds)
	}
	d := got[0]
	if text := src[d.Span.Start:d.Span.End]; !strings.Contains(text, covers) {
		t.Errorf("%s covers %q, want it to cover %q", code, text, covers)
	}
	if !strings.Contains(d.Message, msg) || d.Source != analysis.SourceBpftrace {
		t.Errorf("%s message %q (source %q), want it to contain %q", code, d.Message, d.Source, msg)
	}
}

func TestRealDetectVersion(t *testing.T) {
	_, v := realOptions(t)
	if v.Major != 0 || !v.AtLeast(syntax.Oldest) {
		t.Errorf("DetectVersion = %v, want a 0.x release at least %v", v, syntax.Oldest)
	}
}

func TestRealClean(t *testing.T) {
	opts, _ := realOptions(t)
	src := "BEGIN { @x = 1; printf(\"hello %d\\n\", 1); exit(); }\nEND { clear(@x); }\n"
	if ds := checkReal(t, opts, src, nil); len(ds) != 0 {
		t.Errorf("clean script drew %+v", ds)
	}
}

func TestRealSyntaxError(t *testing.T) {
	opts, _ := realOptions(t)
	src := "BEGIN {\n  $x = 1\n  printf(\"%d\\n\", $x);\n}\n"
	wantOne(t, src, checkReal(t, opts, src, nil), CodeSyntaxError, "printf", "syntax")
}

func TestRealUnknownFunction(t *testing.T) {
	opts, _ := realOptions(t)
	src := "BEGIN {\n\tnosuchfunc();\n}\n"
	ds := checkReal(t, opts, src, nil)
	wantOne(t, src, ds, CodeError, "nosuchfunc", "nosuchfunc")
	if d := only(ds, CodeError)[0]; src[d.Span.Start:d.Span.End] != "nosuchfunc" {
		t.Errorf("error covers %q, want exactly the name", src[d.Span.Start:d.Span.End])
	}
}

// TestRealSemanticErrors: bpftrace reports every semantic error of a file in
// one run, each on its own expression.
func TestRealSemanticErrors(t *testing.T) {
	opts, _ := realOptions(t)
	src := "BEGIN {\n\t$x = \"a\";\n\t$x = 1;\n\t@c = count(1);\n}\ntracepoint:syscalls:sys_enter_openat { @[args->nosuchfield] = count(); }\n"
	errs := only(checkReal(t, opts, src, nil), CodeError)
	lt := syntax.NewLineTable([]byte(src))
	lines := map[int]string{}
	for _, d := range errs {
		l, _ := lt.Position(d.Span.Start)
		lines[l] += d.Message
	}
	for line, want := range map[int]string{3: "Type mismatch for $x", 4: "count()", 6: "nosuchfield"} {
		if !strings.Contains(lines[line], want) {
			t.Errorf("line %d: errors %q, want one about %q (all: %+v)", line, lines[line], want, errs)
		}
	}
}

func TestRealWarning(t *testing.T) {
	opts, _ := realOptions(t)
	src := "BEGIN { $a = (int32)1; if ($a < (uint64)2) { printf(\"x\\n\"); } exit(); }\n"
	ds := checkReal(t, opts, src, nil)
	wantOne(t, src, ds, CodeWarning, "<", "signs")
	for _, d := range ds {
		if d.Severity == analysis.SeverityError {
			t.Errorf("a warning-only script drew an error %+v", d)
		}
	}
}

func TestRealMultiLineError(t *testing.T) {
	opts, _ := realOptions(t)
	src := "BEGIN {\n  $s = \"a\" +\n     1;\n}\n"
	ds := only(checkReal(t, opts, src, nil), CodeError)
	if len(ds) != 1 {
		t.Fatalf("got %+v, want one error", ds)
	}
	lt := syntax.NewLineTable([]byte(src))
	l1, _ := lt.Position(ds[0].Span.Start)
	l2, _ := lt.Position(ds[0].Span.End)
	if l1 != 2 || l2 != 3 || !strings.Contains(ds[0].Message, "Type mismatch") {
		t.Errorf("error %q spans lines %d-%d, want 2-3", ds[0].Message, l1, l2)
	}
}

func TestRealMissingHeader(t *testing.T) {
	opts, _ := realOptions(t)
	src := "// comment\n\n#include <linux/types.h>\n#include <net/bpfls_no_such_header.h>\nBEGIN { exit(); }\n"
	wantOne(t, src, checkReal(t, opts, src, nil), CodeIncludeNotFound, "<net/bpfls_no_such_header.h>", "file not found")
}

func TestRealCDefinitionError(t *testing.T) {
	opts, _ := realOptions(t)
	src := "#define LIMIT 3\nstruct good { int x; };\nstruct bad {\n  int a\n  int b;\n};\nBEGIN { exit(); }\n"
	ds := only(checkReal(t, opts, src, nil), CodeCDefinitions)
	if len(ds) == 0 {
		t.Fatal("no C definition error")
	}
	if line, _ := syntax.NewLineTable([]byte(src)).Position(ds[0].Span.Start); line != 4 {
		t.Errorf("C error %q on line %d, want 4 (after \"int a\")", ds[0].Message, line)
	}
}

// TestRealRelativeInclude: the copy sits next to the original, so a quoted
// include of a header beside the script resolves, and the unsaved buffer's
// error (not the saved file's) is what comes back.
func TestRealRelativeInclude(t *testing.T) {
	opts, _ := realOptions(t)
	header := "struct bpfls_pair { int left; int right; };\n"
	saved := "#include \"pair.h\"\nBEGIN { exit(); }\n"
	src := "#include \"pair.h\"\nBEGIN { $p = (struct bpfls_pair *)0; printf(\"%d\\n\", $p->middle); exit(); }\n"
	ds := checkReal(t, opts, src, map[string]string{"pair.h": header, "script.bt": saved})
	if len(only(ds, CodeIncludeNotFound)) != 0 {
		t.Fatalf("the relative include did not resolve: %+v", ds)
	}
	wantOne(t, src, ds, CodeError, "middle", "middle")
}

func TestRealTimeout(t *testing.T) {
	opts, _ := realOptions(t)
	opts.Timeout = time.Millisecond
	_, err := Check(context.Background(), opts, filepath.Join(t.TempDir(), "s.bt"), []byte("BEGIN { exit(); }\n"))
	if !errors.Is(err, ErrTimeout) {
		t.Errorf("Check with 1ms timeout: %v, want ErrTimeout", err)
	}
}

func TestRealMissingBinary(t *testing.T) {
	opts, _ := realOptions(t)
	opts.Path = filepath.Join(t.TempDir(), "bpftrace")
	if _, err := Check(context.Background(), opts, filepath.Join(t.TempDir(), "s.bt"), []byte("BEGIN { }\n")); !errors.Is(err, ErrNotFound) {
		t.Errorf("Check with a missing binary: %v, want ErrNotFound", err)
	}
}

// TestRealParamsAfterFile passes a parameter that looks like an option; the
// "--" must keep bpftrace from reading it as one.
func TestRealParamsAfterFile(t *testing.T) {
	opts, _ := realOptions(t)
	opts.Params = []string{"-5", "; touch /tmp/bpfls-never"}
	src := "BEGIN { printf(\"%d %s\\n\", $1, str($2)); exit(); }\n"
	if ds := checkReal(t, opts, src, nil); len(ds) != 0 {
		t.Errorf("parameters drew %+v", ds)
	}
	if exists("/tmp/bpfls-never") {
		t.Error("a parameter was executed")
	}
}

// TestRealNotTraceable: on a host that hides the traceable-function list
// from bpftrace, its "not traceable" warning is only information.
func TestRealNotTraceable(t *testing.T) {
	opts, _ := realOptions(t)
	src := "BEGIN { exit(); }\nkprobe:vfs_read { @reads = count(); }\n"
	ds := checkReal(t, opts, src, nil)
	for _, d := range ds {
		if d.Code != CodeNotTraceable {
			t.Errorf("unexpected %+v", d)
			continue
		}
		if text := src[d.Span.Start:d.Span.End]; text != "vfs_read" {
			t.Errorf("not-traceable covers %q, want vfs_read", text)
		}
		want := analysis.SeverityWarning
		if hostHidesTraceable(opts) {
			want = analysis.SeverityInfo
		}
		if d.Severity != want {
			t.Errorf("not-traceable severity %s, want %s", d.Severity, want)
		}
	}
}

// TestRealThroughPrefix runs bpftrace through a prefix command, the way a
// privilege wrapper is configured. env(1) stands in for sudo, which needs
// configuration; fake wrappers cover sudo's failure messages.
func TestRealThroughPrefix(t *testing.T) {
	opts, _ := realOptions(t)
	env, err := exec.LookPath("env")
	if err != nil {
		t.Fatalf("env(1) is missing: %v", err)
	}
	opts.Prefix = []string{env, "BPFTRACE_STRLEN=64"}
	src := "BEGIN {\n\tnosuchfunc();\n}\n"
	wantOne(t, src, checkReal(t, opts, src, nil), CodeError, "nosuchfunc", "nosuchfunc")
}
