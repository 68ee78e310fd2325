package analysis

import (
	"context"
	"reflect"
	"strings"
	"testing"

	"github.com/bpfls/bpfls/analysis/internal/analysistest"
	"github.com/bpfls/bpfls/analysis/syntax"
)

// macroEditScript has a macro one probe expands into a map another probe
// writes, a fn, and an untouched probe with a diagnostic of its own.
const macroEditScript = `macro m(x) { x + 1 }
fn f($x: int64): int64 { return $x * 2; }
kprobe:vfs_read { @a = m(1); }
kprobe:vfs_write { @a = 2; }
kprobe:tcp_sendmsg { print($nope); }
`

// declEdit replaces the first occurrence of old in f's text with repl,
// re-analyses incrementally and checks the result against a full
// analysis, diagnostics and symbols.
func declEdit(t *testing.T, s *Snapshot, old, repl string) (got, want *Snapshot) {
	t.Helper()
	at := strings.Index(string(s.File.Src()), old)
	if at < 0 {
		t.Fatalf("no %q", old)
	}
	f := syntax.Reparse(s.File, syntax.Edit{Span: syntax.Span{Start: syntax.Pos(at), End: syntax.Pos(at + len(old))}, NewText: []byte(repl)})
	got = Reanalyze(context.Background(), s, f)
	want = Analyze(context.Background(), syntax.Parse("macro.bt", f.Src(), s.Config.Dialect), s.Config)
	sameDiagnostics(t, got, want)
	if !reflect.DeepEqual(got.Symbols(), want.Symbols()) {
		t.Fatalf("symbols differ from a full analysis:\n--- got\n%s--- want\n%s", fmtSymbols(got.Symbols()), fmtSymbols(want.Symbols()))
	}
	return got, want
}

func macroEditStart(t *testing.T) *Snapshot {
	cfg := Config{Dialect: syntax.Dialect{Version: syntax.V0_26}, Kernel: analysistest.NewTCPKernel()}
	f := syntax.Parse("macro.bt", []byte(macroEditScript), cfg.Dialect)
	s := Reanalyze(context.Background(), &Snapshot{Config: cfg}, f)
	if len(diagsOn(s, 4, "var/undefined")) != 1 {
		t.Fatalf("the untouched probe's diagnostic is missing:\n%s", fmtDiags(s.File, s.Diagnostics))
	}
	return s
}

// TestIncrementalMacroBodyEdit checks that an edit of a macro's body that
// leaves the expanding probe's maps as they were re-checks that probe
// alone, and that the untouched probe keeps its diagnostic.
func TestIncrementalMacroBodyEdit(t *testing.T) {
	s := macroEditStart(t)
	got, _ := declEdit(t, s, "x + 1", "x + 7")
	if got.inc == nil || !got.inc.byMacro {
		t.Fatalf("the edit did not take the macro path")
	}
	if !followedIndex(t, got) {
		t.Fatalf("the symbol index did not follow the macro body edit")
	}
	if n := len(diagsOn(got, 4, "var/undefined")); n != 1 {
		t.Fatalf("the untouched probe has %d var/undefined diagnostics, want 1", n)
	}
	// A second edit reuses the macro index.
	got, _ = declEdit(t, got, "x + 7", "x + 17")
	if got.inc == nil || !got.inc.byMacro || got.inc.macroIdx == nil {
		t.Fatalf("the second edit did not take the macro path")
	}
}

// TestIncrementalMacroEditChangesMap checks edits of a macro's body that
// change what the expanding probe writes to a map another probe writes
// too (a string for an integer; a map parameter used with a key, then
// without), and edits that make the body wrong on its own: each result
// is a full analysis's, and the untouched probe keeps its diagnostic.
func TestIncrementalMacroEditChangesMap(t *testing.T) {
	s := macroEditStart(t)
	got, _ := declEdit(t, s, "x + 1", `"s"`)
	if n := len(diagsOn(got, 3, CodeMapValueType)); n != 1 {
		t.Fatalf("the macro's string value conflicts with @a = 2 once, got %d:\n%s", n, fmtDiags(got.File, got.Diagnostics))
	}
	if n := len(diagsOn(got, 4, "var/undefined")); n != 1 {
		t.Fatalf("the untouched probe has %d var/undefined diagnostics, want 1", n)
	}
	back, _ := declEdit(t, got, `"s"`, "x + 1")
	if !reflect.DeepEqual(back.Diagnostics, s.Diagnostics) {
		t.Fatalf("undoing the edit does not restore the diagnostics:\n%s", fmtDiags(back.File, back.Diagnostics))
	}
	// A body with an error of its own takes the path that replays.
	bad, _ := declEdit(t, back, "x + 1", "x + $nope")
	if bad.inc != nil && bad.inc.byMacro {
		t.Fatalf("a body with a diagnostic took the macro path")
	}
	if n := len(diagsOn(bad, 0, "var/undefined")); n == 0 {
		t.Fatalf("the macro body's error is missing:\n%s", fmtDiags(bad.File, bad.Diagnostics))
	}
	declEdit(t, bad, "x + $nope", "x + 1")

	cfg := s.Config
	src := "macro m(@x, y) { @x[1] = y; y }\nkprobe:vfs_read { m(@a, 1); }\nkprobe:vfs_write { @a[2] = 2; }\nkprobe:tcp_sendmsg { print($nope); }\n"
	ms := Reanalyze(context.Background(), &Snapshot{Config: cfg}, syntax.Parse("macro.bt", []byte(src), cfg.Dialect))
	ms, _ = declEdit(t, ms, "@x[1] = y", "@x = y")
	if n := len(diagsOn(ms, 2, CodeMapKeyedScalar)); n != 1 {
		t.Fatalf("the scalar use through the macro conflicts with @a[2] once, got %d:\n%s", n, fmtDiags(ms.File, ms.Diagnostics))
	}
	ms, _ = declEdit(t, ms, "@x = y", `@x[1, 2] = "s"`)
	if n := len(diagsOn(ms, 3, "var/undefined")); n != 1 {
		t.Fatalf("the untouched probe has %d var/undefined diagnostics, want 1", n)
	}
}

// TestIncrementalFnBodyEdit checks that an edit of a fn's body that adds a
// diagnostic in the fn reports it, and that the untouched probe keeps its
// own.
func TestIncrementalFnBodyEdit(t *testing.T) {
	s := macroEditStart(t)
	got, _ := declEdit(t, s, "return $x * 2;", "return $y * 2;")
	if got.inc == nil || !got.inc.byFn {
		t.Fatalf("the edit did not take the fn path")
	}
	if !followedIndex(t, got) {
		t.Fatalf("the symbol index did not follow the fn body edit")
	}
	if n := len(diagsOn(got, 1, "var/undefined")); n != 1 {
		t.Fatalf("the fn has %d var/undefined diagnostics, want 1:\n%s", n, fmtDiags(got.File, got.Diagnostics))
	}
	if n := len(diagsOn(got, 4, "var/undefined")); n != 1 {
		t.Fatalf("the untouched probe has %d var/undefined diagnostics, want 1", n)
	}
	got, _ = declEdit(t, got, "return $y * 2;", "return $x * 2;")
	if n := len(diagsOn(got, 1, "var/undefined")); n != 0 {
		t.Fatalf("the fn keeps %d var/undefined diagnostics after the fix", n)
	}
	// A body without a return on every path, then one naming a map.
	got, _ = declEdit(t, got, "return $x * 2;", "$x;")
	if got.inc == nil || !got.inc.byFn || len(diagsOn(got, 1, "fn/missing-return")) != 1 {
		t.Fatalf("the missing return is not reported by the fn path:\n%s", fmtDiags(got.File, got.Diagnostics))
	}
	got, _ = declEdit(t, got, "$x;", "@a = \"s\"; return $x;")
	if got.inc != nil && got.inc.byFn {
		t.Fatalf("a body naming a map took the fn path")
	}
	declEdit(t, got, "@a = \"s\"; return $x;", "return $x;")
}

// TestMacroIndexFollowsCalls types a call of the macro into a probe that
// did not expand it, and deletes it again, each on the fast path: the
// macro index must follow (it was dropped before, and built again from
// every record at the next macro body edit), and the macro body edit
// after each must walk the probes expanding it then.
func TestMacroIndexFollowsCalls(t *testing.T) {
	s := macroEditStart(t)
	s, _ = declEdit(t, s, "x + 1", "x + 2") // builds the index
	if s.inc == nil || s.inc.macroIdx == nil {
		t.Fatal("no macro index after a macro body edit")
	}
	for k, e := range [][2]string{{"@a = 2;", "@a = m(2);"}, {"@a = m(2);", "@a = 2;"}} {
		got, _ := declEdit(t, s, e[0], e[1])
		if got.inc == nil || !got.inc.byFast {
			t.Fatalf("edit %d did not take the fast path", k)
		}
		if got.inc.macroIdx == nil {
			t.Fatalf("edit %d dropped the macro index", k)
		}
		requireIncIndexes(t, got, "a macro call typed or deleted")
		s, _ = declEdit(t, got, "x + 2", "x + 3")
		if s.inc == nil || !s.inc.byMacro {
			t.Fatalf("the macro body edit after edit %d did not take the macro path", k)
		}
		s, _ = declEdit(t, s, "x + 3", "x + 2")
	}
}
