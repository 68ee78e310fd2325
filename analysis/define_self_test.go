package analysis

import (
	"slices"
	"testing"

	"github.com/bpfls/bpfls/analysis/syntax"
)

// TestSelfDefine checks that "#define A A" does not make A a constant:
// bpftrace 0.17–0.23 leaves A unexpanded (an unknown identifier), 0.24+
// reports the macro recursion; other #defines stay constants.
func TestSelfDefine(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		v    syntax.Version
		src  string
		want []string // error codes, in order
	}{
		{"self 0.17", syntax.V0_17, "#define LOOP LOOP\nBEGIN { @x = LOOP; }", []string{CodeUnknownIdent}},
		{"self spaced 0.23", syntax.V0_23, "# define LOOP  LOOP \nBEGIN { @x = LOOP; }", []string{CodeUnknownIdent}},
		{"self 0.24", syntax.V0_24, "#define LOOP LOOP\nBEGIN { @x = LOOP; }", []string{CodeMacroRecursion}},
		{"other value 0.17", syntax.V0_17, "#define LOOP 3\nBEGIN { @x = LOOP; }", nil},
		{"unused 0.17", syntax.V0_17, "#define LOOP LOOP\nBEGIN { @x = 1; }", nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var got []string
			for _, d := range checkSource([]byte(tc.src), syntax.Dialect{Version: tc.v}, nil) {
				if d.Severity == SeverityError {
					got = append(got, d.Code)
				}
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("%q in %v: got %v, want %v", tc.src, tc.v, got, tc.want)
			}
		})
	}
}
