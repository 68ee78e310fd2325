package analysis

import (
	"context"
	"testing"

	"golang.org/x/tools/txtar"

	"github.com/bpfls/bpfls/analysis/internal/analysistest"
	"github.com/bpfls/bpfls/analysis/syntax"
)

// TestSemanticsRealKernel runs the top-level testdata/semantics goldens
// through Analyze against the running kernel.
func TestSemanticsRealKernel(t *testing.T) {
	ix := analysistest.RealKernel(t)
	analysistest.Run(t, analysistest.RepoPath("testdata/semantics/*.txtar"), func(t *testing.T, ar *txtar.Archive) map[string][]byte {
		src := analysistest.Input(t, ar)
		d := analysistest.CommentDialect(t, ar.Comment)
		s := Analyze(context.Background(), syntax.Parse("input.bt", src, d), Config{Dialect: d, Kernel: ix})
		return map[string][]byte{"want": renderDiags(s.Diagnostics, src)}
	})
}

// TestRealKernelFields checks single field lookups through casts against
// the real kernel: known fields type-check, unknown ones are flagged with
// a suggestion and a fix.
func TestRealKernelFields(t *testing.T) {
	ix := analysistest.RealKernel(t)
	tests := []struct {
		name, expr string
		wantCode   string // "" when the expression is fine
		wantFix    string
	}{
		{"family", "((struct sock *)arg0)->__sk_common.skc_family", "", ""},
		{"typo", "((struct sock *)arg0)->__sk_common.skc_famly", CodeUnknownField, "skc_family"},
		{"nonexistent", "((struct sock *)arg0)->sk_nonexistent", CodeUnknownField, ""},
		{"struct typo", "((struct task_strct *)arg0)->pid", CodeUnknownStruct, "task_struct"},
		{"deep", "((struct task_struct *)curtask)->real_parent->mm->mmap_base", "", ""},
		{"typedef", "(pid_t)1", "", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			src := []byte("kprobe:tcp_sendmsg { $x = " + tc.expr + "; }")
			diags := checkSource(src, syntax.NewestDialect(), ix)
			if tc.wantCode == "" {
				if len(diags) != 0 {
					t.Fatalf("unexpected diagnostics:\n%s", renderDiags(diags, src))
				}
				return
			}
			if len(diags) != 1 || diags[0].Code != tc.wantCode {
				t.Fatalf("want one %s, got:\n%s", tc.wantCode, renderDiags(diags, src))
			}
			if tc.wantFix != "" && (len(diags[0].Fixes) == 0 || diags[0].Fixes[0].Edits[0].NewText != tc.wantFix) {
				t.Errorf("want a fix to %q, got %+v", tc.wantFix, diags[0].Fixes)
			}
		})
	}
}
