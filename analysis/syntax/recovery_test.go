package syntax

import (
	"strings"
	"testing"
)

// TestRecoveryFiveMistakes checks that five separate mistakes give five
// diagnostics, each with its exact span, and that every probe survives.
func TestRecoveryFiveMistakes(t *testing.T) {
	t.Parallel()
	src := `kprobe:a { @x = count() }
kprobe:b { $y = 1 +; }
kprobe:c { @z[1 = 2; }
kprobe:d { $s = "open
}
kprobe:e { printf("%d\n", 1 2); }
kprobe:f { $q = 5 ` + "`" + `; }
kprobe:g { @ok = 1; }
`
	f := Parse("five.bt", []byte(src), NewestDialect())
	type want struct{ code, text string } // text: the source the span covers
	wants := []struct {
		line int
		want
	}{
		{2, want{"syntax/expected-token", ";"}}, // an operand is missing before ";"
		{3, want{"syntax/expected-token", ""}},  // ']' missing after "1"
		{4, want{"syntax/unterminated-string", `"open`}},
		{6, want{"syntax/expected-token", ""}}, // ')' missing before "2"
		{7, want{"syntax/invalid-char", "`"}},
	}
	if len(f.Errors) != len(wants) {
		t.Fatalf("got %d errors, want %d:\n%s", len(f.Errors), len(wants), Dump(f))
	}
	for i, w := range wants {
		e := f.Errors[i]
		line, _ := f.Position(e.Span.Start)
		text := src[e.Span.Start:e.Span.End]
		if line != w.line || e.Code != w.code || text != w.text {
			t.Errorf("error %d: line %d %s %q (%s), want line %d %s %q", i, line, e.Code, text, e.Msg, w.line, w.code, w.text)
		}
	}
	if got := probeNames(f); got != "kprobe:a kprobe:b kprobe:c kprobe:d kprobe:e kprobe:f kprobe:g" {
		t.Errorf("probes: %s", got)
	}
}

func probeNames(f *File) string {
	var names []string
	for _, it := range f.Items() {
		if p, ok := it.(*Probe); ok {
			for _, ap := range p.AttachPoints {
				names = append(names, ap.Raw)
			}
		}
	}
	return strings.Join(names, " ")
}

// TestRecoveryMissingTokenSpans pins the zero-width span of a missing
// token right after the previous token, where the user must type it.
func TestRecoveryMissingTokenSpans(t *testing.T) {
	t.Parallel()
	tests := []struct{ src, at, msg string }{
		{"k:f { $x = 1 }\nk:g { $y = 2\n$z = 3; }", "\n$z", "expected ';'"},
		{"k:f { $x = (1 + 2; }", "; }", "expected ')'"},
		{"k:f { @m[1, 2 = 3; }", " = 3", "expected ']'"},
		{"k:f { $x = 1;", "", "expected '}'"},
		{"k:f /pid { }", " { }", "expected '/' to close predicate"},
	}
	for _, tc := range tests {
		t.Run(tc.src, func(t *testing.T) {
			t.Parallel()
			f := Parse("m.bt", []byte(tc.src), NewestDialect())
			if len(f.Errors) != 1 {
				t.Fatalf("got %d errors, want 1: %v", len(f.Errors), f.Errors)
			}
			e := f.Errors[0]
			want := Pos(len(tc.src))
			if tc.at != "" {
				want = Pos(strings.LastIndex(tc.src, tc.at))
			}
			if e.Span != (Span{want, want}) || !strings.Contains(e.Msg, tc.msg) {
				t.Errorf("got %v %q, want empty span at %d and %q", e.Span, e.Msg, want, tc.msg)
			}
		})
	}
}

// TestRecoveryHalfTypedLine checks that an unfinished line in the middle of
// a buffer does not swallow the items after it.
func TestRecoveryHalfTypedLine(t *testing.T) {
	t.Parallel()
	tails := []string{"@x = count(", "if ($x", "$y = ", "printf(\"%d\", ", "kprobe:", "@m[", "for ($k : ",
		"{ {", "macro m(", "fn f($a", "$x = (struct task_struct *", "/* open comment */ $x = {"}
	for _, tail := range tails {
		t.Run(tail, func(t *testing.T) {
			t.Parallel()
			src := "kprobe:first { @a = 1; }\nkprobe:typing { " + tail + "\n" +
				"kprobe:after { @b = 2; }\nBEGIN { @c = 3; }\nmacro m2(x) { x }\nfn g(): void { }\nend { }\n"
			f := Parse("half.bt", []byte(src), NewestDialect())
			if len(f.Errors) == 0 {
				t.Fatal("no error for the half-typed line")
			}
			got := probeNames(f)
			if !strings.HasSuffix(got, "kprobe:after BEGIN end") {
				t.Errorf("probes after the broken line lost: %s\n%s", got, Dump(f))
			}
			var macro, fn bool
			for _, it := range f.Items() {
				switch it := it.(type) {
				case *MacroDecl:
					macro = macro || it.Name.Name == "m2"
				case *FuncDecl:
					fn = true
				}
			}
			if !macro || !fn {
				t.Errorf("macro or fn after the broken line lost:\n%s", Dump(f))
			}
			for _, e := range f.Errors {
				if line, _ := f.Position(e.Span.Start); line > 2 && !strings.Contains(tail, "macro") && !strings.Contains(tail, "fn") {
					t.Errorf("error leaked past the broken line: %d %s", line, e.Msg)
				}
			}
		})
	}
}

// TestRecoveryTooDeep checks that pathological nesting is reported once and
// neither crashes nor loses the next probe.
func TestRecoveryTooDeep(t *testing.T) {
	t.Parallel()
	for name, body := range map[string]string{
		"parens":   "$x = " + strings.Repeat("(", 100000) + "1" + strings.Repeat(")", 100000) + ";",
		"unclosed": "$x = " + strings.Repeat("(", 100000),
		"braces":   strings.Repeat("{", 100000),
		"unary":    "$x = " + strings.Repeat("-", 100000) + "1;",
		"ifs":      strings.Repeat("if (1) { ", 50000),
		"casts":    "$x = " + strings.Repeat("(uint8)", 100000) + "1;",
		"maps":     "$x = " + strings.Repeat("@m[", 100000),
		"elseifs":  "if (1) { }" + strings.Repeat(" else if (1) { }", 100000),
		"typeofs":  "$x = " + strings.Repeat("typeof(", 100000),
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			src := "kprobe:deep { " + body + " }\nkprobe:next { @ok = 1; }\n"
			f := Parse("deep.bt", []byte(src), NewestDialect())
			deep := 0
			for _, e := range f.Errors {
				if e.Code == "syntax/too-deep" {
					deep++
				}
			}
			if deep != 1 {
				t.Errorf("got %d too-deep errors: %v", deep, f.Errors)
			}
			if got := probeNames(f); !strings.HasSuffix(got, "kprobe:next") {
				t.Errorf("probe after the deep one lost: %q", got)
			}
		})
	}
}

// TestRecoveryLimits checks the first-error-per-line rule and the cap of
// 25 errors per file.
func TestRecoveryLimits(t *testing.T) {
	t.Parallel()
	f := Parse("l.bt", []byte("k:f { $x = ` + ` + `; $y = 1 +; @z[ = 1; }"), NewestDialect())
	if len(f.Errors) != 1 {
		t.Errorf("one line, several mistakes: got %d errors %v", len(f.Errors), f.Errors)
	}
	var b strings.Builder
	for range 40 {
		b.WriteString("k:f { $x = 1 +; }\n")
	}
	f = Parse("many.bt", []byte(b.String()), NewestDialect())
	if len(f.Errors) != maxErrors {
		t.Errorf("40 broken lines: got %d errors, want %d", len(f.Errors), maxErrors)
	}
	if got := f.NumItems(); got != 40 {
		t.Errorf("got %d items, want 40", got)
	}
}

// TestRecoveryTopLevel checks top-level garbage and misplaced items.
func TestRecoveryTopLevel(t *testing.T) {
	t.Parallel()
	src := "BEGIN { }\n#include <x.h>\n} ; )\nstruct late { int a; };\nconfig = { a = 1 }\nconfig = { b = 2 }\nEND { }\n#!/bin/sh\n"
	f := Parse("top.bt", []byte(src), NewestDialect())
	want := []string{
		"C definitions must appear before probes and functions",
		"unexpected '}' at top level",
		"C definitions must appear before probes and functions",
		"config must appear before probes and functions",
		"duplicate config block",
		"a shebang line must be the first line of the file",
	}
	if len(f.Errors) != len(want) {
		t.Fatalf("got %d errors, want %d:\n%s", len(f.Errors), len(want), Dump(f))
	}
	for i, e := range f.Errors {
		if e.Msg != want[i] {
			t.Errorf("error %d = %q, want %q", i, e.Msg, want[i])
		}
	}
	if got := probeNames(f); got != "BEGIN END" {
		t.Errorf("probes: %q", got)
	}
}

// TestUnterminatedComment checks the 0.17 error for a block comment that
// runs to the end of the file; newer releases accept it.
func TestUnterminatedComment(t *testing.T) {
	t.Parallel()
	src := []byte("BEGIN { }\n/* never closed")
	if f := Parse("c.bt", src, NewestDialect()); len(f.Errors) != 0 {
		t.Errorf("newest: %v", f.Errors)
	}
	f := Parse("c.bt", src, Dialect{Version: V0_17})
	if len(f.Errors) != 1 || f.Errors[0].Code != "syntax/unterminated-comment" || f.Errors[0].Span.Start != 10 {
		t.Errorf("0.17: %v", f.Errors)
	}
}

// TestItemStartNotInExpressions checks that a word and ':' starting a line
// inside an expression is not mistaken for the next probe.
func TestItemStartNotInExpressions(t *testing.T) {
	t.Parallel()
	src := "k:f {\n  $x = $a ?\nb:c;\n  $y = $a ?\n  x:y;\n}\n"
	if f := Parse("t.bt", []byte(src), NewestDialect()); len(f.Errors) != 0 {
		t.Errorf("unexpected errors: %v", f.Errors)
	}
}

// TestLateShebang checks that a "#!" line after other items is an error
// only for the recursive-descent parser of 0.26 and later.
func TestLateShebang(t *testing.T) {
	t.Parallel()
	src := []byte("BEGIN { }\n#!/usr/bin/bpftrace\nEND { }\n")
	if f := Parse("s.bt", src, Dialect{Version: V0_25}); len(f.Errors) != 0 {
		t.Errorf("0.25: %v", f.Errors)
	}
	f := Parse("s.bt", src, NewestDialect())
	if len(f.Errors) != 1 || f.Errors[0].Code != "syntax/misplaced-item" {
		t.Errorf("newest: %v", f.Errors)
	}
}

// TestCAttributes checks the accepted and rejected attribute forms; a
// malformed one must not swallow what follows.
func TestCAttributes(t *testing.T) {
	t.Parallel()
	for src, wantErr := range map[string]bool{
		"struct a { int x; } __attribute__((packed))\nBEGIN { }":                              false,
		"struct a { int x; } __attribute__((packed)) __attribute__((aligned(8)));\nBEGIN { }": false,
		"struct a { int x; } __attribute__ (packed)\nBEGIN { }":                               true,
		"struct a { int x; } __attribute__ ( (packed))\nBEGIN { }":                            true,
		"struct a { int x; } __attribute__ ((packed)\nBEGIN { }":                              true,
		"struct a { int x; } __attribute__ x\nBEGIN { (1) }":                                  true,
	} {
		f := Parse("a.bt", []byte(src), NewestDialect())
		if got := len(f.Errors) > 0; got != wantErr {
			t.Errorf("%q: errors %v, want error %v", src, f.Errors, wantErr)
		}
		if probeNames(f) != "BEGIN" {
			t.Errorf("%q: the probe after the definition was lost:\n%s", src, Dump(f))
		}
	}
}

// TestBeginAtLineStartInBlock: BEGIN or END at a line start resynchronises
// recovery only as a probe (a block, attach points or a predicate follow);
// as a statement, the name the formatter prints alone on a line, it stays
// in its block.
func TestBeginAtLineStartInBlock(t *testing.T) {
	t.Parallel()
	for src, want := range map[string]string{
		"k:f\n{\n  BEGIN;\n}\n":            "k:f",
		"k:f\n{\n  END + 1;\n}\n":          "k:f",
		"k:f { @a = 1\nBEGIN { }\n":        "k:f BEGIN",
		"k:f { @a = 1\nEND, BEGIN { }\n":   "k:f END BEGIN",
		"k:f { @a = 1\nBEGIN /pid/ { }\n":  "k:f BEGIN",
		"k:f { @a = 1\nBEGIN\n// c\n{ }\n": "k:f BEGIN",
	} {
		f := Parse("x.bt", []byte(src), NewestDialect())
		if got := probeNames(f); got != want {
			t.Errorf("%q: probes %q, want %q", src, got, want)
		}
		if strings.Count(src, "{") == strings.Count(src, "}") && len(f.Errors) > 0 {
			t.Errorf("%q: %v", src, f.Errors[0])
		}
	}
}
