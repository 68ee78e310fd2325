package format

import (
	"strings"
	"testing"

	"github.com/bpfls/bpfls/analysis/syntax"
)

// TestFinalBlockStatements: bpftrace makes the block or if that ends a
// body statements-only, so the values inside print with ';'; elsewhere a
// block keeps its value. With a ';' after it bpftrace prints the ';' away
// and reads its own output as the form without it, so bpfls prints that
// form at once.
func TestFinalBlockStatements(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ in, want string }{
		{"BEGIN { { 1 } }", "{\n  { 1; }\n}"},
		{"BEGIN { { 1 }; }", "{\n  { 1; }\n}"},
		{"BEGIN { ({ 1 }); }", "{\n  { 1; }\n}"},
		{"BEGIN { { 1 } { 2 } }", "{\n  { 1 }\n  { 2; }\n}"},
		{"BEGIN { { { 1 }; 2 } }", "{\n  {\n    { 1; }\n    2;\n  }\n}"},
		{"BEGIN { if (1) { 2 } else { 3 } }", "{\n  if 1 {\n    2;\n  } else {\n    3;\n  }\n}"},
		{"BEGIN { if (1) { 2 } @a = 1; }", "{\n  if 1 {\n    2\n  }\n  @a = 1;\n}"},
		{"BEGIN { { $x = { 1 }; $x } }", "{\n  {\n    $x = { 1 };\n    $x;\n  }\n}"},
		{"BEGIN { while (1) { { 2 }; { 3 } } }", "{\n  while 1 {\n    { 2 }\n    { 3; }\n  }\n}"},
		{"BEGIN { @a = 1;\n// c\n{ 1 } }", "{\n  @a = 1;\n  {\n    // c\n    1;\n  }\n}"},
		{"BEGIN { @a = 1;\n// c\n{ 1 }; }", "{\n  @a = 1;\n  {\n    // c\n    1;\n  }\n}"},
		{"BEGIN { @a = 1;\n// c\nif (1) { 2 } }", "{\n  @a = 1;\n  // c\n  if 1 {\n    2;\n  }\n}"},
		{"macro m() { { 1 } }", "{\n  { 1 }\n}"},
		{"macro m(x) { { 1 } + x }", "{\n  ({ 1 }) + x\n}"},
		{"BEGIN { { 1 } ? 2 : 3; }", "{\n  ({ 1 }) ? 2 : 3;\n}"},
	} {
		f := syntax.Parse("x.bt", []byte(tc.in), syntax.NewestDialect())
		out, err := Source(f)
		if err != nil {
			t.Errorf("%q: %v", tc.in, err)
			continue
		}
		if got := string(out[strings.IndexByte(string(out), '{'):]); got != tc.want+"\n" {
			t.Errorf("%q:\ngot\n%s\nwant\n%s", tc.in, got, tc.want)
		}
		checkProperties(t, tc.in, []byte(tc.in), syntax.NewestDialect())
	}
}

// TestBlockBeforeOperator: a block or if statement that a statement
// beginning with '-', '*', '&' or '++' follows keeps its ';', or it would
// read back as the first operand of a binary expression (bpftrace 0.26.1
// prints the ';' away and changes the tree). Before 0.26 only a block that
// ends in a value is such an operand.
func TestBlockBeforeOperator(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		v        syntax.Version
		in, want string
	}{
		{syntax.V0_26, "BEGIN { $p = 1; { 1 }; -1; if (1) { 2 }; -3; { @a = 1; }; ++$p; }",
			"  $p = 1;\n  { 1 };\n  -1;\n  if 1 {\n    2\n  };\n  -3;\n  { @a = 1; };\n  ++$p;\n"},
		{syntax.V0_26, "BEGIN { $x = { { 1 }; -2 }; }", "  $x = {\n         { 1 };\n         -2\n       };\n"},
		{syntax.V0_24, "BEGIN { { @a = 1; } -1; { 1 }; -2; if (1) { @a = 2; } -3; }",
			"  { @a = 1; }\n  -1;\n  { 1 };\n  -2;\n  if 1 {\n    @a = 2;\n  }\n  -3;\n"},
	} {
		d := syntax.Dialect{Version: tc.v}
		out, err := Source(syntax.Parse("x.bt", []byte(tc.in), d))
		if err != nil {
			t.Errorf("%s %q: %v", tc.v, tc.in, err)
			continue
		}
		if !strings.Contains(string(out), tc.want) {
			t.Errorf("%s %q: got\n%s", tc.v, tc.in, out)
		}
		checkProperties(t, tc.in, []byte(tc.in), d)
	}
}

// TestDroppedBeforeFinalBlock: a comment bpftrace drops inside an
// expression, after one it keeps there, reads back inside a final block or
// before a final if wherever it is put between them, so it goes there, and
// the item is formatted rather than left as written.
func TestDroppedBeforeFinalBlock(t *testing.T) {
	t.Parallel()
	const k = "  @a = (1 + ({\n              // k\n              2\n            })) + 3;\n"
	for _, tc := range []struct{ in, want string }{
		{"BEGIN { @a = 1 + { /* k */ 2 } + /* d */ 3;\n { @b   = 2; } }",
			k + "  {\n    // d\n    @b = 2;\n  }\n"},
		{"BEGIN { @a = 1 + { /* k */ 2 } + /* d */ 3; /* e */\n// f\n { // g\n@b   = 2; }; }",
			k + "  {\n    // d\n    // e\n    // f\n    // g\n    @b = 2;\n  }\n"},
		{"BEGIN { @a = 1 + { /* k */ 2 } + /* d */ 3;\n if (1) { @b   = 2; } }",
			k + "  // d\n  if 1 {\n    @b = 2;\n  }\n"},
		{"BEGIN { while (1) { @a = 1 + { /* k */ 2 } + /* d */ 3;\n ({ @b   = 2; }) } }",
			"    @a = (1 + ({\n                // k\n                2\n              })) + 3;\n    {\n      // d\n      @b = 2;\n    }\n"},
		{"0/0/{0%/*0*/{}%/*0*/0;{0}}", "  (0 % ({  /* 0 */ })) % 0;\n  {\n    // 0\n    0;\n  }\n"},
	} {
		f := syntax.Parse("x.bt", []byte(tc.in), syntax.NewestDialect())
		out, err := Source(f)
		if err != nil {
			t.Errorf("%q: %v", tc.in, err)
			continue
		}
		if !strings.Contains(string(out), "\n"+tc.want) {
			t.Errorf("%q:\ngot\n%s\nwant\n%s", tc.in, out, tc.want)
		}
		checkProperties(t, tc.in, []byte(tc.in), syntax.NewestDialect())
	}
}

// TestIfSemiSpace: bpftrace prints the ';' after an if without else away
// and keeps the blank line after it, which its next run drops (the if then
// reaches to the next statement): bpfls prints that fixed point at once.
func TestIfSemiSpace(t *testing.T) {
	t.Parallel()
	for _, in := range []string{"0{if(0){};\n\n0;}", "BEGIN { if (1) { @a = 1; } ;\n\n@b = 1; }"} {
		f := syntax.Parse("x.bt", []byte(in), syntax.NewestDialect())
		out, err := Source(f)
		if err != nil {
			t.Fatalf("%q: %v", in, err)
		}
		if strings.Contains(string(out), "}\n\n") {
			t.Errorf("%q: the blank line after the if is kept:\n%s", in, out)
		}
		checkProperties(t, in, []byte(in), syntax.NewestDialect())
	}
}
