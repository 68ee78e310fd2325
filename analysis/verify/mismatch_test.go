package verify

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bpfls/bpfls/analysis"
	"github.com/bpfls/bpfls/analysis/syntax"
)

// TestForTargetRecorded: 0.17's syntax error on a let (0.22 syntax) is no
// error of a script written for 0.26, and one note says which bpftrace ran;
// for target 0.17 the error stays.
func TestForTargetRecorded(t *testing.T) {
	t.Parallel()
	var f *fixture
	for _, x := range loadFixtures(t, "0.17") {
		if x.name() == "newer-syntax" {
			f = x
		}
	}
	if f == nil {
		t.Fatal("no fixture 0.17/newer-syntax")
	}
	parse := func() *Result {
		out := ParseOutput(Document{Names: []string{"script.bt"}, Src: f.script}, f.stderr, f.stdout)
		return &Result{Diagnostics: out.Diagnostics, Version: syntax.Version{Major: 0, Minor: 17}}
	}
	res := parse()
	if len(res.Diagnostics) != 1 {
		t.Fatalf("recorded run: %+v, want one syntax error", res.Diagnostics)
	}
	note := ForTarget(context.Background(), res, syntax.V0_26, f.script)
	if len(res.Diagnostics) != 0 || len(res.Hidden) != 1 || !strings.Contains(note, "bpftrace 0.17") || !strings.Contains(note, "target 0.26") || !strings.Contains(note, "not shown") {
		t.Errorf("for target 0.26: note %q, diagnostics %+v; want a note and none", note, res.Diagnostics)
	}
	res = parse()
	if note := ForTarget(context.Background(), res, syntax.Version{Major: 0, Minor: 17}, f.script); note != "" || len(res.Diagnostics) != 1 {
		t.Errorf("for target 0.17: note %q, diagnostics %+v; want no note and the error", note, res.Diagnostics)
	}
}

// TestForTargetReal runs the installed bpftrace (0.17 on Debian 12) on
// scripts for 0.26: its complaints about newer constructs go, its real
// errors stay, and a newer installed bpftrace only gets the note.
func TestForTargetReal(t *testing.T) {
	opts, v := realOptions(t)
	if v.AtLeast(syntax.V0_26) {
		requireReal(t, "the installed bpftrace "+v.String()+" is no older than 0.26")
	}
	ctx := context.Background()
	dir := t.TempDir()
	run := func(src string) *Result {
		t.Helper()
		res, err := Check(ctx, opts, filepath.Join(dir, "script.bt"), []byte(src))
		if err != nil {
			t.Fatalf("Check: %v", err)
		}
		return res
	}
	errorsOf := func(ds []analysis.Diagnostic) []analysis.Diagnostic {
		var out []analysis.Diagnostic
		for _, d := range ds {
			if d.Severity == analysis.SeverityError {
				out = append(out, d)
			}
		}
		return out
	}
	newer := "BEGIN { @n = 1; }\nEND {\n  let $y = 1;\n  print($y);\n}\n"
	if !v.AtLeast(syntax.FeatureSince(syntax.FeatLet)) {
		res := run(newer)
		if len(errorsOf(res.Diagnostics)) == 0 {
			t.Fatalf("bpftrace %s accepted let: %+v", v, res.Diagnostics)
		}
		note := ForTarget(ctx, res, syntax.V0_26, []byte(newer))
		if errs := errorsOf(res.Diagnostics); len(errs) != 0 || note == "" {
			t.Errorf("newer syntax: note %q, errors %+v; want a note and no errors", note, errs)
		}
	}
	wrong := "BEGIN { printf(\"%d\\n\", nope(1)); }\n"
	res := run(wrong)
	ForTarget(ctx, res, syntax.V0_26, []byte(wrong))
	if errs := errorsOf(res.Diagnostics); len(errs) != 1 || !strings.Contains(errs[0].Message, "nope") {
		t.Errorf("a real error: %+v, want bpftrace's unknown function kept", res.Diagnostics)
	}
	res = run(wrong)
	old := syntax.Version{Major: 0, Minor: v.Minor - 1}
	if note := ForTarget(ctx, res, old, []byte(wrong)); !strings.Contains(note, "newer than the target") || len(errorsOf(res.Diagnostics)) != 1 {
		t.Errorf("installed newer than the target: note %q, diagnostics %+v", note, res.Diagnostics)
	}
}
