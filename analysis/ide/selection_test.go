package ide_test

import (
	"context"
	"strings"
	"testing"

	"github.com/bpfls/bpfls/analysis/ide"
	"github.com/bpfls/bpfls/analysis/syntax"
)

func TestSelectionRanges(t *testing.T) {
	t.Parallel()
	src := "BEGIN { @x = 1; }\n\nkprobe:f { @m[comm] = count() + 1; }\n"
	tests := []struct {
		name, at string // the cursor is placed at the first occurrence of at
		want     []string
	}{
		{"inside a call", "count", []string{"count", "count()", "count() + 1", "@m[comm] = count() + 1;", "{ @m[comm] = count() + 1; }", "kprobe:f { @m[comm] = count() + 1; }", src}},
		{"map key", "comm", []string{"comm", "@m[comm]", "@m[comm] = count() + 1;", "{ @m[comm] = count() + 1; }", "kprobe:f { @m[comm] = count() + 1; }", src}},
		{"just after a block", "\n\n", []string{"{ @x = 1; }", "BEGIN { @x = 1; }", src}},
		{"blank line between items", "\nkprobe", []string{src}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			pos := syntax.Pos(strings.Index(src, tc.at))
			var got []string
			for _, s := range ide.SelectionRanges(context.Background(), parsed(src), pos) {
				got = append(got, src[s.Start:s.End])
			}
			if strings.Join(got, "|") != strings.Join(tc.want, "|") {
				t.Errorf("selection at %q:\n got %q\nwant %q", tc.at, got, tc.want)
			}
		})
	}
}
