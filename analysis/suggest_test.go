package analysis

import (
	"reflect"
	"testing"

	"github.com/bpfls/bpfls/analysis/syntax"
)

func TestLevenshtein(t *testing.T) {
	t.Parallel()
	tests := []struct {
		a, b string
		want int
	}{
		{"", "", 0},
		{"abc", "", 3},
		{"", "abc", 3},
		{"printf", "printf", 0},
		{"prinf", "printf", 1},
		{"kitten", "sitting", 3},
		{"sk_famly", "sk_family", 1},
		{"flaw", "lawn", 2},
	}
	for _, tc := range tests {
		t.Run(tc.a+"/"+tc.b, func(t *testing.T) {
			t.Parallel()
			if got := levenshtein(tc.a, tc.b); got != tc.want {
				t.Fatalf("levenshtein(%q, %q) = %d, want %d", tc.a, tc.b, got, tc.want)
			}
			if got := levenshtein(tc.b, tc.a); got != tc.want {
				t.Fatalf("levenshtein is not symmetric for %q, %q", tc.a, tc.b)
			}
		})
	}
}

func TestSuggest(t *testing.T) {
	t.Parallel()
	cands := []string{"printf", "print", "strftime", "sk_family", "sk_flags", "pid", "tid", "$a", "$n"}
	tests := []struct {
		name, want string
	}{
		{"prinf", "printf"}, // one insertion beats a replacement
		{"prinft", "print"}, // one deletion beats the two-edit transposition
		{"sk_famly", "sk_family"},
		{"pdi", ""}, // short names get one edit only
		{"$n", ""},  // a one-letter name gets no suggestion
		{"$nn", "$n"},
		{"xyz", ""},
		{"printf", "print"}, // never suggests the name itself
		{"strftim", "strftime"},
		{"pidd", "pid"}, // a longer common prefix beats "tid"
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if got := suggest(tc.name, cands); got != tc.want {
				t.Fatalf("suggest(%q) = %q, want %q", tc.name, got, tc.want)
			}
		})
	}
}

func TestSuggestAll(t *testing.T) {
	t.Parallel()
	got := suggestAll("tid", []string{"pid", "tid", "uid", "gid", "comm"}, 2)
	if want := []string{"gid", "pid"}; !reflect.DeepEqual(got, want) {
		t.Fatalf("suggestAll = %v, want %v", got, want)
	}
}

func TestAddSuggestionFix(t *testing.T) {
	t.Parallel()
	var r Reporter
	span := syntax.Span{Start: 4, End: 9}
	d := r.Errorf(span, CodeUnknownFunc, "unknown function %q", "prinf")
	if !addSuggestion(d, span, "prinf", []string{"printf"}) {
		t.Fatal("no suggestion")
	}
	if d.Message != `unknown function "prinf", did you mean "printf"?` {
		t.Errorf("message = %q", d.Message)
	}
	if len(d.Fixes) != 1 || d.Fixes[0].Edits[0] != (Edit{Span: span, NewText: "printf"}) {
		t.Errorf("fixes = %+v", d.Fixes)
	}
	if addSuggestion(d, span, "zzzzz", []string{"printf"}) {
		t.Error("suggested something for an unrelated name")
	}
}
