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

// TestDefineLiteral checks #defines whose body is one literal, as the real
// 0.17, 0.24 and 0.26 compile them: a string constant is a string (for %s
// and ==), an integer one counts as a literal where bpftrace needs one
// (lhist's min, max and step). An expression is no literal to 0.17 and
// 0.26 (0.24 folds "(1 + 255)" and accepts it).
func TestDefineLiteral(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		src  string
		want []string // error codes, in order
	}{
		{"string for %s and ==", "#define SHELL \"bash\"\nBEGIN { if (comm == SHELL) { printf(\"%s\\n\", SHELL); } }", nil},
		{"string is no integer", "#define SHELL \"bash\"\nBEGIN { printf(\"%d\\n\", SHELL); }", []string{CodeFormatVerbType}},
		{"integer for lhist", "#define MAX 256\nkprobe:vfs_read { @h = lhist(arg2, 0, MAX, (16)); }", nil},
		{"parenthesised integer for lhist", "#define MAX (0x100)\nkprobe:vfs_read { @h = lhist(arg2, 0, MAX, 16); }", nil},
		{"expression is no literal", "#define MAX (1 + 255)\nkprobe:vfs_read { @h = lhist(arg2, 0, MAX, 16); }", []string{CodeCallArgValue}},
		{"lhist bounds still checked", "#define MAX 0\nkprobe:vfs_read { @h = lhist(arg2, 0, MAX, 16); }", []string{CodeCallArgValue}},
	}
	for _, tc := range cases {
		for _, v := range []syntax.Version{syntax.V0_17, syntax.V0_24, syntax.V0_26} {
			if tc.name == "expression is no literal" && v == syntax.V0_24 {
				continue
			}
			var got []string
			for _, d := range checkSource([]byte(tc.src), syntax.Dialect{Version: v}, nil) {
				if d.Severity == SeverityError {
					got = append(got, d.Code)
				}
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("%s, %v: got %v, want %v", tc.name, v, got, tc.want)
			}
		}
	}
}
