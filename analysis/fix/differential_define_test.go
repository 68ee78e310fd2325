package fix

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/bpfls/bpfls/analysis/internal/analysistest"
	"github.com/bpfls/bpfls/analysis/syntax"
)

// defineBodies are probe bodies with whether the #define fix may carry them.
// The refused ones are valid bodies that bpftrace 0.17 breaks when they come
// from a #define, because its lexer glues the expanded tokens.
var defineBodies = []struct {
	body string
	ok   bool
}{
	{`@s[arg0] = count();`, true},
	{`@s[comm] = count(); @t = sum(arg2);`, true},
	{`if (pid > 1) { @x = count(); }`, true},
	{`printf("%s %d\n", comm, pid);`, true},
	{`$x = 1; @y = $x;`, true},
	{`@x = (uint64)arg0;`, true},
	{`if (pid > 1) { return; } @x = 1;`, true},
	{"@a = count();\n  @b[tid] = nsecs;", true},
	{`$t = (1, 2); @x = $t.0;`, true},
	{`unroll(2) { @x = 1; }`, true},
	{`if (pid > 1) { @x = 1; } else if (pid > 2) { @x = 2; }`, false}, // "elseif"
	{`$a = 1; $b = 2; @x = $a - -$b;`, false},                         // "--"
	{`@x = sizeof(struct file);`, false},                              // "structfile"
	{`@s[((struct file *)arg0)->f_flags] = count();`, false},          // "structfile"
	{"@x = 1; // note", false},                                        // the comment would swallow the rest
	{`$t = curtask; @x = $t->pid;`, false},                            // "Unknown struct/union: 'struct task_struct'"
	{`@x = curtask->pid;`, false},                                     // likewise
}

// TestDefineLine checks which bodies the #define fix accepts (no bpftrace).
func TestDefineLine(t *testing.T) {
	t.Parallel()
	for _, tc := range defineBodies {
		if _, ok := defineLine(tc.body); ok != tc.ok {
			t.Errorf("defineLine(%q) ok = %v, want %v", tc.body, ok, tc.ok)
		}
	}
}

// TestDefineFormsCompileWith017 proves the #define forms with the real
// bpftrace 0.17: every accepted body compiles through a #define, every
// refused one compiles written out but fails through a #define (so refusing
// it is needed), and the #define fixes offered on the 0.17 golden scripts
// compile.
func TestDefineFormsCompileWith017(t *testing.T) {
	bin := analysistest.Bpftrace017(t)
	analysistest.RealKernel(t)
	for _, tc := range defineBodies {
		if strings.Contains(tc.body, "//") {
			continue // a comment cannot even be written on one #define line
		}
		joined := strings.Join(strings.Fields(tc.body), " ")
		direct, _ := analysistest.BpftraceErrorLines(t, bin, []byte("kprobe:vfs_read { "+tc.body+" }\n"))
		viaDefine, out := analysistest.BpftraceErrorLines(t, bin, []byte("#define SHARED_BODY "+joined+"\nkprobe:vfs_read { SHARED_BODY }\n"))
		if len(direct) != 0 {
			t.Errorf("%q does not compile even written out", tc.body)
		}
		if tc.ok && len(viaDefine) != 0 {
			t.Errorf("accepted body %q fails through a #define:\n%s", tc.body, out)
		}
		if !tc.ok && len(viaDefine) == 0 {
			t.Errorf("refused body %q compiles through a #define: the refusal is not needed", tc.body)
		}
	}
	offered := 0
	for file, ar := range analysistest.Archives(t, analysistest.RepoPath("testdata/analysis/*.txtar")) {
		src, _ := analysistest.Section(ar, "input.bt")
		if _, ok := analysistest.Section(ar, "want 0.17"); !ok || analysistest.SkipDifferential(string(src)) != "" {
			continue
		}
		s := analyzeReal(t, src, syntax.Dialect{Version: syntax.V0_17})
		for _, d := range s.Diagnostics {
			for _, fix := range d.Fixes {
				if !strings.Contains(fix.Title, "#define") {
					continue
				}
				offered++
				out, _, err := applyFix(src, fix)
				if err != nil {
					t.Fatal(err)
				}
				if lines, msg := analysistest.BpftraceErrorLines(t, bin, out); len(lines) != 0 {
					t.Errorf("%s: the #define fix does not compile with bpftrace 0.17:\n%s\n--- script\n%s", filepath.Base(file), msg, out)
				}
			}
		}
	}
	if offered == 0 {
		t.Error("no golden script offers a #define fix that bpftrace 0.17 can compile here")
	}
}
