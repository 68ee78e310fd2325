package analysis

import (
	"context"
	"testing"

	"github.com/bpfls/bpfls/analysis/internal/analysistest"
	"github.com/bpfls/bpfls/analysis/syntax"
)

// TestMacroMapTypes: a macro call has the type of the macro's value with
// the arguments substituted, and a map parameter's uses in the body are
// uses of the map the call passes. bpftrace 0.24.2 and 0.26.1 report the
// conflicts at the later direct use ("Type mismatch for @a: trying to
// assign value of type 'int8' when map already has a type 'string[2]'",
// "@a used as a map without an explicit key (scalar map), previously used
// with an explicit key") or, when the use in the body comes later, in the
// body itself. Lines are 0-based.
func TestMacroMapTypes(t *testing.T) {
	t.Parallel()
	const defs = "macro name(x) { \"s\" }\nmacro next(x) { x + 1 }\nmacro twice(x) { next(x) * 2 }\nmacro put(@m, v) { @m[1] = v; 0 }\nmacro set(@m, v) { @m = v; 0 }\nmacro fwd(@n) { put(@n, \"k\") }\n"
	cases := []struct {
		name, body string
		line       int // of the one diagnostic; -1: none
		code       string
	}{
		{"string value", "BEGIN { @a = name(1); }\nEND { @a = 2; }", 7, CodeMapValueType},
		{"value with argument", "BEGIN { @a = next(1); }\nEND { @a = \"s\"; }", 7, CodeMapValueType},
		{"nested value", "BEGIN { @a = twice(1); }\nEND { @a = \"s\"; }", 7, CodeMapValueType},
		{"values agree", "BEGIN { @a = next(1); @b = name(2); }\nEND { @a = 2; @b = \"t\"; }", -1, ""},
		{"keyed through macro", "BEGIN { put(@a, 1); }\nEND { @a = 2; }", 7, CodeMapKeyedScalar},
		{"value through macro", "BEGIN { put(@a, \"s\"); }\nEND { @a[2] = 2; }", 7, CodeMapValueType},
		{"later use in body", "BEGIN { @a = 2; }\nEND { set(@a, \"s\"); }", 4, CodeMapValueType},
		{"passed on", "BEGIN { @a[1] = 5; }\nEND { fwd(@a); }", 3, CodeMapValueType},
		{"uses agree", "BEGIN { put(@a, 1); set(@b, 2); }\nEND { @a[2] = 3; @b = 4; }", -1, ""},
	}
	for _, tc := range cases {
		cfg := Config{Dialect: syntax.Dialect{Version: syntax.V0_26}, Kernel: analysistest.NewTCPKernel()}
		f := syntax.Parse("macro.bt", []byte(defs+tc.body), cfg.Dialect)
		s := Analyze(context.Background(), f, cfg)
		var errs []Diagnostic
		for _, d := range s.Diagnostics {
			if d.Severity == SeverityError {
				errs = append(errs, d)
			}
		}
		switch {
		case tc.line < 0 && len(errs) > 0:
			t.Errorf("%s: want no error, got:\n%s", tc.name, fmtDiags(s.File, errs))
		case tc.line >= 0 && (len(errs) != 1 || len(diagsOn(s, tc.line, string(tc.code))) != 1):
			t.Errorf("%s: want one %s on line %d, got:\n%s", tc.name, tc.code, tc.line, fmtDiags(s.File, errs))
		}
	}
}
