package format

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/bpfls/bpfls/analysis/syntax"
)

// realFmt returns the path of bpftrace 0.26.1, whose --fmt is the
// reference; it skips the test without one (fails in CI).
func realFmt(t *testing.T) string {
	t.Helper()
	for _, p := range []string{os.Getenv("BPFLS_BPFTRACE_026"), "/opt/bpftrace-0.26.1/bin/bpftrace"} {
		if p == "" {
			continue
		}
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	why := "bpftrace 0.26.1 not installed (/opt/bpftrace-0.26.1; set BPFLS_BPFTRACE_026)"
	if os.Getenv("BPFLS_REQUIRE_REAL") == "1" {
		t.Fatalf("BPFLS_REQUIRE_REAL=1 but %s", why)
	}
	t.Skip(why)
	return ""
}

// scripts lists the .bt files the formatter is measured on.
func scripts(t *testing.T) []string {
	var all []string
	for _, g := range []string{"format/*.bt", "examples/*.bt", "realworld/*.bt", "syntax/*/*.bt", "bench/*.bt"} {
		m, err := filepath.Glob(filepath.Join("..", "..", "testdata", g))
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, m...)
	}
	if len(all) == 0 {
		t.Fatal("no scripts found")
	}
	return all
}

// dialectOf reads the dialect a script is written for from its directory
// or name ("0.17", "_017.bt"); newest otherwise.
func dialectOf(path string) syntax.Dialect {
	d := syntax.NewestDialect()
	if strings.Contains(path, "/0.17/") || strings.HasSuffix(path, "_017.bt") {
		d.Version = syntax.V0_17
	}
	return d
}

// faithful formats f exactly as bpftrace 0.26 would, comment losses included.
func faithful(f *syntax.File) string { return newPrinter(f).program().String() }

// secondRun names the scripts on which bpftrace 0.26.1's output is not its
// own fixed point and bpfls prints the fixed point, bpftrace's second run,
// at once: idempotence wins.
var secondRun = map[string]string{
	"block_semi.bt": "bpftrace keeps the values inside a final block or if followed by ';', prints the ';' away, " +
		"and reads its output as a final block whose values are statements",
}

// grownComment is the space bpftrace 0.26.1 adds inside a block comment
// printed mid-line: it keeps the space before "*/" as the comment's text
// and writes "/* " text " */", one more space on every run.
var grownComment = regexp.MustCompile(` ( +)\*/`)

// keptText names the scripts where bpftrace changes a comment's text and
// bpfls keeps it; they are compared with bpftrace's output with the
// change undone.
var keptText = map[string]string{
	"comment_space.bt": "bpftrace adds a space before \"*/\" in a block comment printed mid-line, on every run",
}

// openedComment is a predicate as bpftrace 0.26.1 prints it when it
// starts with '*': "/*" opens a comment.
var openedComment = regexp.MustCompile(`(?m)^/(\*.*)/$`)

// keptParse names the scripts where bpftrace's output does not parse and
// bpfls's does; they are compared with bpftrace's output mended.
var keptParse = map[string]string{
	"pred_deref.bt": "bpftrace prints a predicate starting with '*' right after '/', which opens a comment; " +
		"bpfls puts it in parentheses",
}

// bareTernary is a ternary statement as bpftrace 0.26.1 prints it: without
// its ';'.
var bareTernary = regexp.MustCompile(`(?m)^( +[^\n]* \? [^\n]* : [^\n;{}]*[^\n;{} ])$`)

// keptSemi names the scripts where bpftrace prints a statement's ';' away
// and bpfls keeps it; they are compared with bpftrace's output with the
// ';' put back.
var keptSemi = map[string]string{
	"ternary_stmt.bt": "bpftrace prints a ternary statement without its ';'; before a statement, bpftrace 0.24 " +
		"and 0.17 refuse that output (0.26 accepts it): output that every release reads wins",
}

// TestDifferentialFmt026 formats every script bpftrace 0.26.1 accepts with
// both formatters: the layout must be byte-identical. Where bpftrace's
// layout drops comments, bpfls keeps them (see Source); the
// test names those scripts.
func TestDifferentialFmt026(t *testing.T) {
	bin := realFmt(t)
	same, kept, refused := 0, 0, 0
	for _, path := range scripts(t) {
		want, err := exec.Command(bin, "--fmt", path).Output()
		if err != nil {
			refused++
			continue
		}
		src, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		f := syntax.Parse(path, src, syntax.NewestDialect())
		if len(f.Errors) > 0 {
			t.Errorf("%s: bpftrace 0.26 formats it, bpfls finds syntax errors: %v", path, f.Errors[0])
			continue
		}
		again := realAgain(t, bin, want)
		if why, ok := keptSemi[filepath.Base(path)]; ok {
			semi := bareTernary.ReplaceAll(want, []byte("$1;"))
			if bytes.Equal(semi, want) {
				t.Errorf("%s: named in keptSemi, but bpftrace --fmt keeps every ternary statement's ';'", path)
			}
			t.Logf("%s: compared with bpftrace's output with the ';' put back: %s", path, why)
			want = semi
		} else if why, ok := keptText[filepath.Base(path)]; ok {
			undone := grownComment.ReplaceAll(want, []byte(" */"))
			if bytes.Equal(undone, want) {
				t.Errorf("%s: named in keptText, but bpftrace --fmt keeps every comment's text", path)
			}
			t.Logf("%s: compared with bpftrace's output with the comments' text kept: %s", path, why)
			want = undone
		} else if why, ok := keptParse[filepath.Base(path)]; ok {
			if g := syntax.Parse(path, want, syntax.NewestDialect()); len(g.Errors) == 0 {
				t.Errorf("%s: named in keptParse, but bpftrace's output parses", path)
			}
			t.Logf("%s: compared with bpftrace's output mended: %s", path, why)
			want = openedComment.ReplaceAll(want, []byte("/($1)/"))
		} else if why, ok := secondRun[filepath.Base(path)]; ok {
			if again == string(want) {
				t.Errorf("%s: named in secondRun, but bpftrace --fmt is idempotent on it", path)
			}
			t.Logf("%s: compared with bpftrace's second run: %s", path, why)
			want = []byte(again)
		} else if again != string(want) {
			t.Logf("%s: bpftrace --fmt is not idempotent here (a second run gives a different text); bpfls's output is its own fixed point", path)
		}
		if got := faithful(f); got != string(want) {
			t.Errorf("%s: layout differs from bpftrace --fmt:\n%s", path, lineDiff(string(want), got))
			continue
		}
		got, _ := Source(f)
		if !bytes.Equal(got, want) {
			kept++
			t.Logf("%s: bpfls keeps comments bpftrace --fmt drops (the layout is otherwise identical)", path)
			continue
		}
		same++
	}
	t.Logf("identical %d, comments kept %d, refused by bpftrace 0.26: %d", same, kept, refused)
	if same == 0 {
		t.Fatal("no script compared")
	}
}

// TestProperties: for every script, format is idempotent, keeps the tree
// and keeps every comment.
func TestProperties(t *testing.T) {
	for _, path := range scripts(t) {
		src, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		checkProperties(t, path, src, dialectOf(path))
	}
}

func checkProperties(t *testing.T, name string, src []byte, d syntax.Dialect) {
	t.Helper()
	f := syntax.Parse(name, src, d)
	out, err := Source(f)
	if len(f.Errors) > 0 {
		if err == nil {
			t.Errorf("%s: formatted a file with syntax errors", name)
		}
		return
	}
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	if got := Apply(src, Edits(src, out)); !bytes.Equal(got, out) {
		t.Errorf("%s: applying Edits does not give the formatted text", name)
	}
	g := syntax.Parse(name, out, d)
	if len(g.Errors) > 0 {
		t.Errorf("%s: output does not parse: %v\n%s", name, g.Errors[0], out)
		return
	}
	again, _ := Source(g)
	if !bytes.Equal(again, out) {
		t.Errorf("%s: not idempotent:\n%s", name, lineDiff(string(out), string(again)))
	}
	if a, b := shape(f), shape(g); a != b {
		t.Errorf("%s: tree changed:\n%s", name, lineDiff(a, b))
	}
	if a, b := commentTexts(f), commentTexts(g); !reflect.DeepEqual(a, b) {
		t.Errorf("%s: comments changed: %q -> %q", name, a, b)
	}
	checkRange(t, name, f, out)
}

// checkRange formats single items of f with Range, as an editor's range
// formatting does (at most 8, spread over the file): the tree and the
// comments must survive, and formatting the result whole must give out,
// the whole file formatted, but for blank lines: a line break after an
// item counts as a blank line unless the item ends with ';' or '}', which
// the item's formatting may add.
func checkRange(t *testing.T, name string, f *syntax.File, out []byte) {
	t.Helper()
	n := f.NumItems()
	step := max(1, n/8)
	for i := 0; i < n; i += step {
		sp := f.ItemSpan(i)
		cover, text, ok, err := Range(f, syntax.Span{Start: sp.Start, End: sp.Start})
		if err != nil || !ok {
			t.Fatalf("%s: Range of item %d: %v, %v", name, i, ok, err)
		}
		src := f.Src()
		edited := append(append(append([]byte(nil), src[:cover.Start]...), text...), src[cover.End:]...)
		g := syntax.Parse(name, edited, f.Dialect)
		if len(g.Errors) > 0 {
			t.Errorf("%s: after formatting item %d alone, the file does not parse: %v\n%s", name, i, g.Errors[0], edited)
			return
		}
		if a, b := commentTexts(f), commentTexts(g); !reflect.DeepEqual(a, b) {
			t.Errorf("%s: formatting item %d alone changed the comments: %q -> %q", name, i, a, b)
			return
		}
		if whole, _ := Source(g); !bytes.Equal(noBlankLines(whole), noBlankLines(out)) {
			t.Errorf("%s: formatting item %d alone, then the whole file, differs from formatting the whole file:\n%s", name, i, lineDiff(string(out), string(whole)))
			return
		}
	}
}

// TestSyntaxErrorsNotFormatted: a broken file is refused, never printed.
func TestSyntaxErrorsNotFormatted(t *testing.T) {
	f := syntax.Parse("x.bt", []byte("BEGIN { $x = ; }\n"), syntax.NewestDialect())
	if out, err := Source(f); err == nil || out != nil {
		t.Fatalf("Source = %q, %v; want ErrSyntax", out, err)
	}
}

// TestOldDialectKeepsArrow: before 0.25 '->' is not '.', so it stays.
func TestOldDialectKeepsArrow(t *testing.T) {
	src := []byte("kprobe:f { $p = (struct task_struct *)curtask; @[$p->pid] = count(); }\n")
	for _, tc := range []struct {
		v    syntax.Version
		want string
	}{{syntax.V0_17, "$p->pid"}, {syntax.V0_24, "$p->pid"}, {syntax.V0_25, "$p.pid"}, {syntax.V0_26, "$p.pid"}} {
		f := syntax.Parse("x.bt", src, syntax.Dialect{Version: tc.v})
		out, err := Source(f)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(out), "@["+tc.want+"]") {
			t.Errorf("%s: %s", tc.v, out)
		}
	}
}

func lineDiff(a, b string) string {
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	var sb strings.Builder
	for i := 0; i < len(al) || i < len(bl); i++ {
		var x, y string
		if i < len(al) {
			x = al[i]
		}
		if i < len(bl) {
			y = bl[i]
		}
		if x != y {
			sb.WriteString("- " + x + "\n+ " + y + "\n")
		}
	}
	return sb.String()
}

// realAgain formats bpftrace's own output once more.
func realAgain(t *testing.T, bin string, out []byte) string {
	p := filepath.Join(t.TempDir(), "again.bt")
	if err := os.WriteFile(p, out, 0o644); err != nil {
		t.Fatal(err)
	}
	again, _ := exec.Command(bin, "--fmt", p).Output()
	return string(again)
}

// TestTypeArgKeepsParens: sizeof((A)) is the size of the value A and
// sizeof(A) that of the type A, so those parentheses stay.
func TestTypeArgKeepsParens(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ in, want string }{
		{"sizeof((pid))", "sizeof(pid)"},
		{"sizeof((A))", "sizeof((A))"},
		{"sizeof((A[1]))", "sizeof((A[1]))"},
		{"sizeof((A)[$x])", "sizeof(A[$x])"},
		{"offsetof((A), f)", "offsetof((A), f)"},
		{"typeinfo((A))", "typeinfo((A))"},
	} {
		src := "BEGIN { $a = " + tc.in + "; }\n"
		f := syntax.Parse("x.bt", []byte(src), syntax.NewestDialect())
		out, err := Source(f)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(out), "$a = "+tc.want+";") {
			t.Errorf("%s: got %s", tc.in, out)
		}
		checkProperties(t, tc.in, []byte(src), syntax.NewestDialect())
	}
}

// TestInnerCommentsLead: comments bpftrace's layout drops inside an
// expression lead their statement (or predicate) and the item is still
// formatted, not printed as written.
func TestInnerCommentsLead(t *testing.T) {
	t.Parallel()
	src := []byte("BEGIN {\n  printf(\"%d\\n\",\n    2 & 0xff,\t// why\n    3);\n  if (1 && /* c */ 2) { @b = 1; }\n}\n" +
		"kprobe:f /pid > 1 && // p\n comm == \"x\"/ { @a = 1; $i = 1; while ($i < /* lim */ 3) { $i++; } }\n" +
		"macro m(x) { $a = 1; x + // v\n 1 }\n" +
		"BEGIN { for ($kv : /* m */ @m) { @a = 1; } for ($i : 0 /* r */ .. 5 /* e */) { @a = 2; } }\n" +
		"BEGIN { if ({ 1 } && /* bc */ 2) { @a = 3; } $x = 1 + /* outb */ 3 + /* inb */ { 2 }; }\n")
	f := syntax.Parse("x.bt", src, syntax.NewestDialect())
	out, err := Source(f)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"  // why\n  printf(\"%d\\n\", 2 & 0xff, 3);\n",
		"  // c\n  if (1 && 2) {\n    @b = 1;\n  }\n",
		"kprobe:f\n/* p *//pid > 1 && comm == \"x\"/\n{\n",
		"  $i = 1;\n  // lim\n  while ($i < 3) {\n",
		"  $a = 1;\n  // v\n  x + 1\n}\n",
		"  for $kv : @m {\n    // m\n    @a = 1;\n  }\n",
		"  // r\n  for $i : 0..5 {\n    // e\n    @a = 2;\n  }\n",
		"  // bc\n  if (({ 1 }) && 2) {\n    @a = 3;\n  }\n",
		"  // outb\n  $x = (1 + 3) + ({\n                   // inb\n                   2\n                 });\n",
	} {
		if !strings.Contains(string(out), want) {
			t.Errorf("missing %q in:\n%s", want, out)
		}
	}
	checkProperties(t, "inner.bt", src, syntax.NewestDialect())

	// A dropped comment after one a block keeps cannot lead without
	// reordering them: it follows the statement, inline after the last
	// one (where a comment before '}' reads back) and on a line of its own
	// after any other.
	for _, tc := range []struct{ in, want string }{
		{"BEGIN { $x = 1 + /* inb */ { 2 } + /* outb */ 3; }",
			"  $x = (1 + ({\n              // inb\n              2\n            })) + 3; // outb\n}\n"},
		{"BEGIN { $x = 1 + /* d0 */ 4 + /* inb */ { 2 } + /* outb */ 3 + /* outb2 */ 5; @b = 1; }",
			"  // d0\n  $x = (((1 + 4) + ({\n                     // inb\n                     2\n                   })) + 3) + 5;\n" +
				"  // outb\n  // outb2\n  @b = 1;\n"},
	} {
		src = []byte(tc.in + "\n")
		f = syntax.Parse("x.bt", src, syntax.NewestDialect())
		if out, err = Source(f); err != nil || !strings.Contains(string(out), tc.want) {
			t.Errorf("got %s, %v; want it to hold %q", out, err, tc.want)
		}
		checkProperties(t, "reorder.bt", src, syntax.NewestDialect())
	}
	// Between two blocks, the second one keeps it.
	src = []byte("BEGIN { $x = { /* k1 */ 1 } + /* d */ { /* k2 */ 2 }; }\n")
	f = syntax.Parse("x.bt", src, syntax.NewestDialect())
	want := "  $x = ({\n         // k1\n         1\n       }) + ({\n              // d\n              // k2\n              2\n            });\n"
	if out, err = Source(f); err != nil || !strings.Contains(string(out), want) {
		t.Errorf("got %s, %v; want it to hold %q", out, err, want)
	}
	checkProperties(t, "between.bt", src, syntax.NewestDialect())
}

// TestCondCommentsGoToBody: bpftrace 0.26.1 prints the comments after an
// if's condition on the condition's line ("if 1 /* t */ {") and reads them
// back at the top of the body; bpfls puts them there at once.
func TestCondCommentsGoToBody(t *testing.T) {
	t.Parallel()
	src := []byte("BEGIN { if (1 /* t */) { @a = 1; } if (1 && 2 // u\n) { @a = 2; } }\n")
	want := "BEGIN\n{\n  if 1 {\n    // t\n    @a = 1;\n  }\n  if (1 && 2) {\n    // u\n    @a = 2;\n  }\n}\n"
	out, err := Source(syntax.Parse("x.bt", src, syntax.NewestDialect()))
	if err != nil || string(out) != want {
		t.Errorf("got\n%s%v\nwant\n%s", out, err, want)
	}
	checkProperties(t, "cond.bt", src, syntax.NewestDialect())
}

// TestBreakBeforeBlock: bpftrace 0.26.1 reads a line break in an
// expression before a block's '{' as a blank line at the top of the block,
// so the line breaks its own layout makes there add one per run. bpfls
// does not make them blank lines.
func TestBreakBeforeBlock(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ in, want string }{
		{"$x = 1 +\n { 2 };", "$x = 1 + ({ 2 });"},
		{"$x =\n { 2 };", "$x = { 2 };"},
	} {
		src := "BEGIN { " + tc.in + " }\n"
		out, err := Source(syntax.Parse("x.bt", []byte(src), syntax.NewestDialect()))
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(out), "\n  "+tc.want+"\n") {
			t.Errorf("%q: got %s", tc.in, out)
		}
		checkProperties(t, tc.in, []byte(src), syntax.NewestDialect())
	}
}

// TestCondParens: a bare condition whose text begins with '(' would read
// back as the parenthesized condition and a stray rest, so it keeps
// parentheses; bpftrace 0.26.1 prints "if ({ 0 }).0 {", which it cannot
// read back.
func TestCondParens(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ in, want string }{
		{"if (({ 0 }).0) { @a = 1; }", "if (({ 0 }).0) {"},
		{"while ((1, 2).0) { @a = 1; }", "while ((1,2).0) {"},
		{"if ($x.0) { @a = 1; }", "if $x.0 {"},
		{"if ((1 + 2) * 3) { @a = 1; }", "if ((1 + 2) * 3) {"},
		{"if ((1, 0)) { @a = 1; }", "if ((1,0)) {"},
		{"while ((a = 1)) { @a = 1; }", "while ((a=1)) {"},
	} {
		src := "BEGIN { $x = (1, 2); " + tc.in + " }\n"
		out, err := Source(syntax.Parse("x.bt", []byte(src), syntax.NewestDialect()))
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(out), "\n  "+tc.want+"\n") {
			t.Errorf("%s: got %s", tc.in, out)
		}
		checkProperties(t, tc.in, []byte(src), syntax.NewestDialect())
	}
}

var blankLine = regexp.MustCompile(`(?m)^\n`)

// noBlankLines returns b without its empty lines.
func noBlankLines(b []byte) []byte { return blankLine.ReplaceAll(b, nil) }
