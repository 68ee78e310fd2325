package format

import (
	"strings"
	"testing"

	"github.com/bpfls/bpfls/analysis/syntax"
)

// TestTernaryStmtCondParens: bpftrace 0.26 refuses a ternary statement that
// starts with a $variable or an @map ("expected ';'" at the '?'), so such a
// condition keeps its parentheses; any other statement or position prints
// them away as usual.
func TestTernaryStmtCondParens(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in, want string
		v        syntax.Version
	}{
		{"($a) ? 1 : 2;", "($a) ? 1 : 2;", syntax.V0_26},
		{"(($a > 0)) ? 1 : 2;", "($a > 0) ? 1 : 2;", syntax.V0_26},
		{"(@x[1]) ? 1 : 2;", "(@x[1]) ? 1 : 2;", syntax.V0_26},
		{"$a ? 1 : 2;", "($a) ? 1 : 2;", syntax.V0_24},
		{"@x + 1 ? 1 : 2;", "(@x + 1) ? 1 : 2;", syntax.V0_17},
		{"(0) ? $a : 2;", "0 ? $a : 2;", syntax.V0_26},
		{"$b = ($a) ? 1 : 2;", "$b = $a ? 1 : 2;", syntax.V0_26},
		{"printf(\"%d\", ($a) ? 1 : 2);", "printf(\"%d\", $a ? 1 : 2);", syntax.V0_26},
	} {
		src := "BEGIN { $a = 1; @x[1] = 1; " + tc.in + " }\n"
		d := syntax.Dialect{Version: tc.v}
		f := syntax.Parse("x.bt", []byte(src), d)
		out, err := Source(f)
		if err != nil {
			t.Fatalf("%s: %v", tc.in, err)
		}
		if !strings.Contains(string(out), "\n  "+tc.want+"\n") {
			t.Errorf("%s under %s: got %s", tc.in, tc.v, out)
		}
		if errs := syntax.Parse("x.bt", out, syntax.Dialect{Version: syntax.V0_26}).Errors; len(errs) != 0 {
			t.Errorf("%s: output refused by 0.26: %v", tc.in, errs)
		}
		checkProperties(t, tc.in, []byte(src), d)
	}
}
