package analysis

import (
	"reflect"
	"testing"

	"github.com/bpfls/bpfls/analysis/syntax"
)

func TestParseFormat(t *testing.T) {
	t.Parallel()
	tests := []struct {
		format string
		want   []fmtVerb
	}{
		{"no verbs\n", nil},
		{"100%%\n", nil},
		{"%d %s\n", []fmtVerb{{0, "%d", verbInt}, {3, "%s", verbString}}},
		{"%-16s|%6d", []fmtVerb{{0, "%-16s", verbString}, {6, "%6d", verbInt}}},
		{"%lu %llx %hhd %zu", []fmtVerb{{0, "%lu", verbInt}, {4, "%llx", verbInt}, {9, "%hhd", verbInt}, {14, "%zu", verbInt}}},
		{"%r %rx %rh", []fmtVerb{{0, "%r", verbBuffer}, {3, "%rx", verbBuffer}, {7, "%rh", verbBuffer}}},
		{"%gr", []fmtVerb{{0, "%gr", verbInt}}},
		{"%p %c %o", []fmtVerb{{0, "%p", verbInt}, {3, "%c", verbInt}, {6, "%o", verbInt}}},
		{"%y", []fmtVerb{{0, "%y", verbBad}}},
		{"%5.2f", []fmtVerb{{0, "%5.2f", verbBad}}},
		{"trailing %", nil},
		// Measured with the real 0.24.2 and 0.26.1: flags in the order
		// - + space # 0, each once; a precision needs digits.
		{"%-+ #0x|%+-d|%#-x|%08-d|%.d", []fmtVerb{{0, "%-+ #0x", verbInt}, {8, "%+-d", verbBad}, {13, "%#-x", verbBad}, {18, "%08-d", verbBad}, {24, "%.d", verbBad}}},
		// A '%' that starts no conversion is text: no count, no warning
		// unless a letter makes it look like one.
		{"stress --vm-bytes 90% --timeout 60\n", []fmtVerb{{20, "% --ti", verbBad}}},
		{"90% done", []fmtVerb{{2, "% d", verbInt}}},
		{"%i", []fmtVerb{{0, "%i", verbInt}}},
	}
	for _, tc := range tests {
		t.Run(tc.format, func(t *testing.T) {
			t.Parallel()
			if got := parseFormat(tc.format, syntax.V0_26); !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("parseFormat(%q) = %+v, want %+v", tc.format, got, tc.want)
			}
		})
	}
}

// TestParseFormat017 checks bpftrace 0.17's narrower conversions, measured
// with the real 0.17: only '-' as a flag, no %i; anything else after a '%'
// is printed as written.
func TestParseFormat017(t *testing.T) {
	t.Parallel()
	tests := []struct {
		format string
		want   []fmtVerb
	}{
		{"%-08d %5.2lu", []fmtVerb{{0, "%-08d", verbInt}, {6, "%5.2lu", verbInt}}},
		{"%#x", []fmtVerb{{0, "%#x", verbBad}}},
		{"%+d", []fmtVerb{{0, "%+d", verbBad}}},
		{"90% done", []fmtVerb{{2, "% d", verbBad}}},
		{"%i %ti", []fmtVerb{{0, "%i", verbBad}, {3, "%ti", verbBad}}},
		{"%0-8d", []fmtVerb{{0, "%0-8d", verbBad}}},
	}
	for _, tc := range tests {
		if got := parseFormat(tc.format, syntax.V0_17); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("parseFormat(%q) = %+v, want %+v", tc.format, got, tc.want)
		}
	}
}
