package analysis

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"

	"github.com/bpfls/bpfls/analysis/syntax"
)

// TestSemanticsRealKernel runs the top-level testdata/semantics goldens
// through Analyze against the running kernel.
func TestSemanticsRealKernel(t *testing.T) {
	files, _ := filepath.Glob("../testdata/semantics/*.txtar")
	if len(files) == 0 {
		t.Fatal("no golden files found")
	}
	ix := realKernel(t) // realtest_test.go: skips, or fails under BPFLS_REQUIRE_REAL=1
	for _, file := range files {
		t.Run(strings.TrimSuffix(filepath.Base(file), ".txtar"), func(t *testing.T) {
			ar, err := txtar.ParseFile(file)
			if err != nil {
				t.Fatal(err)
			}
			d := dialectFromComment(t, ar.Comment)
			src := section(t, ar, "input.bt")
			f := syntax.Parse("input.bt", src, d)
			s := Analyze(context.Background(), f, Config{Dialect: d, Kernel: ix})
			got := renderDiags(s.Diagnostics, src)
			if *updateSemantics {
				setSection(ar, "want", got)
				if err := os.WriteFile(file, txtar.Format(ar), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			if want := section(t, ar, "want"); !bytes.Equal(got, want) {
				t.Errorf("diagnostics changed (go test ./analysis -run TestSemanticsRealKernel -update to accept):\n--- want\n%s--- got\n%s", want, got)
			}
		})
	}
}

// TestRealKernelFields checks single field lookups through casts against
// the real kernel: known fields type-check, unknown ones are flagged with
// a suggestion and a fix.
func TestRealKernelFields(t *testing.T) {
	ix := realKernel(t) // realtest_test.go: skips, or fails under BPFLS_REQUIRE_REAL=1
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
