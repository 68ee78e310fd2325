package analysis

import (
	"reflect"
	"testing"
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
		{"trailing %", []fmtVerb{{9, "%", verbBad}}},
	}
	for _, tc := range tests {
		t.Run(tc.format, func(t *testing.T) {
			t.Parallel()
			if got := parseFormat(tc.format); !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("parseFormat(%q) = %+v, want %+v", tc.format, got, tc.want)
			}
		})
	}
}
