package analysis

import (
	"slices"
	"testing"

	"github.com/bpfls/bpfls/analysis/syntax"
)

// TestDeleteForms checks delete()'s arity and argument kinds per version:
// one map element in 0.17–0.20, any number of maps in 0.21 only, and
// delete(@m, key) from 0.22 (bpftrace's semantic analyser at each tag).
func TestDeleteForms(t *testing.T) {
	t.Parallel()
	const decl = "BEGIN { @a = 1; @b = 2; @k[1] = 1; $x = 1; "
	cases := []struct {
		name string
		v    syntax.Version
		call string
		want []string // codes, in order
	}{
		{"two maps 0.20", syntax.V0_20, "delete(@a, @b);", []string{CodeBuiltinArityVer}},
		{"two maps 0.21", syntax.V0_21, "delete(@a, @b);", nil},
		{"three maps and an element 0.21", syntax.V0_21, "delete(@a, @b, @k[1]);", nil},
		{"variable 0.21", syntax.V0_21, "delete(@a, $x);", []string{CodeCallArgKind}},
		{"literal 0.21", syntax.V0_21, "delete(@a, @b, 1);", []string{CodeCallArgKind}},
		{"two maps 0.22", syntax.V0_22, "delete(@a, @b);", []string{CodeCallArgKind}},
		{"map and key 0.22", syntax.V0_22, "delete(@k, 1);", nil},
		{"three maps 0.26", syntax.V0_26, "delete(@a, @b, @k);", []string{CodeCallArity}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			src := []byte(decl + tc.call + " }")
			var got []string
			for _, d := range checkSource(src, syntax.Dialect{Version: tc.v}, nil) {
				if d.Severity == SeverityError {
					got = append(got, d.Code)
				}
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("%s in %v: got %v, want %v", tc.call, tc.v, got, tc.want)
			}
		})
	}
}
