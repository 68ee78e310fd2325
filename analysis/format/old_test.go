package format

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/bpfls/bpfls/analysis/syntax"
)

// bpftrace017 returns Debian 12's bpftrace 0.17 when it can compile here
// (it needs root); it skips without one (fails in CI).
func bpftrace017(t *testing.T) string {
	t.Helper()
	path, err := exec.LookPath("bpftrace")
	why := "no bpftrace 0.17 in PATH"
	if err == nil {
		if out, _ := exec.Command(path, "--version").Output(); strings.Contains(string(out), "v0.17") && os.Geteuid() == 0 {
			return path
		}
		why = "bpftrace in PATH is not 0.17 run as root"
	}
	if os.Getenv("BPFLS_REQUIRE_REAL") == "1" {
		t.Fatalf("BPFLS_REQUIRE_REAL=1 but %s", why)
	}
	t.Skip(why)
	return ""
}

var errPrefix = regexp.MustCompile(`^[^:]*:[0-9-]+(:[0-9-]+)?: `)

// compile017 returns what bpftrace 0.17 reports for a script, without
// file names and positions, sorted.
func compile017(t *testing.T, bin, path string) []string {
	out, _ := exec.Command(bin, "--unsafe", "--test=codegen", path).CombinedOutput()
	var msgs []string
	for _, l := range strings.Split(string(out), "\n") {
		if strings.Contains(l, "ERROR:") && !strings.Contains(l, "RLIMIT_MEMLOCK") {
			msgs = append(msgs, errPrefix.ReplaceAllString(l, ""))
		}
	}
	sort.Strings(msgs)
	return msgs
}

// TestFormatKeeps017Verdict: a 0.17 script formatted for 0.17 gets the same
// verdict from the real bpftrace 0.17 (the same messages, or none), so
// formatting never changes what 0.17 accepts.
func TestFormatKeeps017Verdict(t *testing.T) {
	bin := bpftrace017(t)
	var paths []string
	for _, g := range []string{"format/*_017.bt", "syntax/0.17/*.bt"} {
		m, _ := filepath.Glob(filepath.Join("..", "..", "testdata", g))
		paths = append(paths, m...)
	}
	for _, path := range paths {
		src, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		f := syntax.Parse(path, src, syntax.Dialect{Version: syntax.V0_17})
		out, err := Source(f)
		if err != nil {
			continue
		}
		formatted := filepath.Join(t.TempDir(), filepath.Base(path))
		if err := os.WriteFile(formatted, out, 0o644); err != nil {
			t.Fatal(err)
		}
		before, after := compile017(t, bin, path), compile017(t, bin, formatted)
		if strings.Join(before, "\n") != strings.Join(after, "\n") {
			t.Errorf("%s: bpftrace 0.17 says\n%s\nbefore formatting and\n%s\nafter", path, strings.Join(before, "\n"), strings.Join(after, "\n"))
		}
		for _, m := range after {
			if strings.Contains(m, "syntax error") {
				t.Errorf("%s: formatted for 0.17, bpftrace 0.17 finds a syntax error: %s", path, m)
			}
		}
	}
}

// TestRangeLoopNameBefore026: bpftrace 0.26 prints a range loop's bound
// that is a name in parentheses, "(A)..0"; before 0.26 "(A)" there reads
// as a cast, so the name stays bare.
func TestRangeLoopNameBefore026(t *testing.T) {
	t.Parallel()
	src := []byte("BEGIN { for $i : A..B { print($i); } }\n")
	for _, tc := range []struct {
		v    syntax.Version
		want string
	}{{syntax.V0_25, "for $i : A..B {"}, {syntax.V0_26, "for $i : (A)..(B) {"}} {
		d := syntax.Dialect{Version: tc.v}
		f := syntax.Parse("x.bt", src, d)
		if len(f.Errors) > 0 {
			t.Fatalf("%s: %v", tc.v, f.Errors[0])
		}
		out, err := Source(f)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(out), tc.want) {
			t.Errorf("%s: got\n%s\nwant it to hold %q", tc.v, out, tc.want)
		}
		checkProperties(t, "x.bt", src, d)
	}
}
