package verify

import (
	"reflect"
	"strings"
	"testing"

	"github.com/bpfls/bpfls/analysis"
	"github.com/bpfls/bpfls/analysis/syntax"
)

func TestCompare(t *testing.T) {
	src := "BEGIN {\n  foo();\n  $x = 1 +\n    \"a\";\n  bar();\n}\nEND { @x = 1; }\n"
	lt := syntax.NewLineTable([]byte(src))
	// diag builds a diagnostic covering the first occurrence of text.
	diag := func(sev analysis.Severity, code, text string) analysis.Diagnostic {
		i := strings.Index(src, text)
		if i < 0 {
			t.Fatalf("%q not in source", text)
		}
		return analysis.Diagnostic{Span: syntax.Span{Start: syntax.Pos(i), End: syntax.Pos(i + len(text))}, Severity: sev, Code: code, Message: text}
	}
	E, W := analysis.SeverityError, analysis.SeverityWarning
	type want struct {
		line int
		side Side
		sev  analysis.Severity
		n    int
	}
	tests := []struct {
		name         string
		ours, theirs []analysis.Diagnostic
		hidden       []analysis.Diagnostic // Result.Hidden
		want         []want
	}{
		{name: "both agree", ours: []analysis.Diagnostic{diag(E, "call/unknown", "foo")}, theirs: []analysis.Diagnostic{diag(E, CodeError, "foo();")}},
		{name: "only bpftrace", theirs: []analysis.Diagnostic{diag(E, CodeError, "foo")}, want: []want{{2, OnlyBpftrace, E, 1}}},
		{name: "only bpfls, two on one line", ours: []analysis.Diagnostic{diag(E, "a", "bar"), diag(E, "b", "bar()")}, want: []want{{5, OnlyBpfls, E, 2}}},
		{
			name:   "a multi-line error agrees with one on any of its lines",
			ours:   []analysis.Diagnostic{diag(E, "types/mismatch", "\"a\"")},
			theirs: []analysis.Diagnostic{diag(E, CodeError, "$x = 1 +\n    \"a\"")},
		},
		{
			name:   "severity classes are compared separately",
			ours:   []analysis.Diagnostic{diag(W, "style", "foo")},
			theirs: []analysis.Diagnostic{diag(E, CodeError, "foo")},
			want:   []want{{2, OnlyBpfls, W, 1}, {2, OnlyBpftrace, E, 1}},
		},
		{
			name:   "nothing after bpftrace's syntax error disagrees",
			ours:   []analysis.Diagnostic{diag(E, "x", "bar"), diag(E, "y", "@x")},
			theirs: []analysis.Diagnostic{diag(E, CodeSyntaxError, "$x")},
			want:   []want{{3, OnlyBpftrace, E, 1}},
		},
		{
			name:   "bpftrace stopped at parsing: bpfls's semantic errors before it are not only bpfls, its syntax errors are",
			ours:   []analysis.Diagnostic{diag(E, "call/unknown-function", "foo"), diag(W, "var/used-before-set", "foo();"), diag(E, "syntax/expected-token", "1 +")},
			theirs: []analysis.Diagnostic{diag(E, CodeSyntaxError, "bar")},
			want:   []want{{3, OnlyBpfls, E, 1}, {5, OnlyBpftrace, E, 1}},
		},
		{
			name:   "bpftrace stopped at a header: no semantic comparison",
			ours:   []analysis.Diagnostic{diag(E, "type/unknown-field", "bar")},
			theirs: []analysis.Diagnostic{diag(E, CodeIncludeNotFound, "BEGIN")},
			want:   []want{{1, OnlyBpftrace, E, 1}},
		},
		{
			name:   "a hidden syntax error still ends the comparison",
			ours:   []analysis.Diagnostic{diag(E, "call/unknown-function", "foo"), diag(E, "syntax/expected-token", "bar")},
			theirs: []analysis.Diagnostic{diag(W, CodeWarning, "END")},
			hidden: []analysis.Diagnostic{diag(E, CodeSyntaxError, "$x")},
			want:   []want{{7, OnlyBpftrace, W, 1}},
		},
		{
			name:   "host notes and hints are ignored",
			ours:   []analysis.Diagnostic{diag(analysis.SeverityHint, "h", "foo")},
			theirs: []analysis.Diagnostic{diag(W, CodeNotTraceable, "END"), diag(analysis.SeverityInfo, CodeNotTraceable, "bar")},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got := Compare(tc.ours, tc.theirs, lt, tc.hidden...)
			var gotW []want
			for _, d := range got {
				gotW = append(gotW, want{d.Line, d.Side, d.Severity, len(d.Diagnostics)})
			}
			if !reflect.DeepEqual(gotW, tc.want) {
				t.Errorf("Compare = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestDisagreementString(t *testing.T) {
	t.Parallel()
	d := Disagreement{Line: 12, Side: OnlyBpftrace, Severity: analysis.SeverityError,
		Diagnostics: []analysis.Diagnostic{{Message: "Unknown function: foo"}, {Message: "second"}}}
	if got, want := d.String(), "12: only bpftrace: error: Unknown function: foo; second"; got != want {
		t.Errorf("String() = %q, want %q", got, want)
	}
}
