package syntax

import "testing"

// TestExponentLimit checks that a scientific literal's exponent above 16 is
// refused before 0.24 (bpftrace's int_parser) and accepted from 0.24 while
// the value fits 64 bits.
func TestExponentLimit(t *testing.T) {
	t.Parallel()
	tests := []struct {
		lit     string
		v       Version
		wantErr bool
	}{
		{"1e16", V0_17, false},
		{"9e16", V0_23, false},
		{"1e17", V0_17, true},
		{"1e1_7", V0_17, true},
		{"2E18", V0_23, true},
		{"1e17", V0_24, false},
		{"1e19", V0_26, false},
		{"0x1e17", V0_17, false},
	}
	for _, tc := range tests {
		t.Run(tc.lit+"@"+tc.v.String(), func(t *testing.T) {
			t.Parallel()
			f := Parse("t.bt", []byte("BEGIN { print("+tc.lit+"); }"), Dialect{Version: tc.v})
			gotErr := false
			for _, e := range f.Errors {
				gotErr = gotErr || e.Code == "syntax/invalid-number"
			}
			if gotErr != tc.wantErr || len(f.Errors) > 1 || !tc.wantErr && len(f.Errors) > 0 {
				t.Errorf("parse %s in %v: errors %v, want invalid-number %v", tc.lit, tc.v, f.Errors, tc.wantErr)
			}
		})
	}
}
