package analysis

import (
	"context"
	"reflect"
	"strings"
	"testing"

	"github.com/bpfls/bpfls/analysis/syntax"
)

// mapEditScript has probes sharing @x, whose type the first write fixes,
// and an untouched pair of probes using @z with and without a key.
const mapEditScript = `kprobe:vfs_read { @x = 1; }
kprobe:vfs_write { @x = 2; }
kprobe:tcp_sendmsg { $s = @x + 1; print($s); }
kprobe:vfs_read { @z[1] = 1; }
kprobe:vfs_write { @z = 2; }
kprobe:vfs_read { @k[1] = 1; }
`

// mapEdit replaces the first occurrence of old after the start of line
// (0-based) of f's text with repl, re-analyses incrementally, and checks
// that the map-use path was taken and that the result equals a full
// analysis.
func mapEdit(t *testing.T, s *Snapshot, line int, old, repl string) *Snapshot {
	t.Helper()
	src := string(s.File.Src())
	at := 0
	for range line {
		at += strings.IndexByte(src[at:], '\n') + 1
	}
	k := strings.Index(src[at:], old)
	if k < 0 {
		t.Fatalf("no %q on line %d", old, line)
	}
	at += k
	f := syntax.Reparse(s.File, syntax.Edit{Span: syntax.Span{Start: syntax.Pos(at), End: syntax.Pos(at + len(old))}, NewText: []byte(repl)})
	got := Reanalyze(context.Background(), s, f)
	if got.inc == nil || !got.inc.byMaps {
		t.Fatalf("replacing %q by %q did not take the map-use path", old, repl)
	}
	want := Analyze(context.Background(), syntax.Parse("maps.bt", f.Src(), s.Config.Dialect), s.Config)
	sameDiagnostics(t, got, want)
	if !reflect.DeepEqual(got.Symbols(), want.Symbols()) {
		t.Fatalf("symbols differ from a full analysis:\n--- got\n%s--- want\n%s", fmtSymbols(got.Symbols()), fmtSymbols(want.Symbols()))
	}
	return got
}

// diagAt returns the diagnostics with the code on line (0-based).
func diagsOn(s *Snapshot, line int, code string) []Diagnostic {
	var out []Diagnostic
	for _, d := range s.Diagnostics {
		if string(d.Code) == code && strings.Count(string(s.File.Src()[:d.Span.Start]), "\n") == line {
			out = append(out, d)
		}
	}
	return out
}

// TestMapEditRetypesLaterUses edits the first use of a map several probes
// use, which fixes its type: the later uses must be checked against the new
// type, and the untouched map's conflict must stay where it was.
func TestMapEditRetypesLaterUses(t *testing.T) {
	t.Parallel()
	cfg := Config{Dialect: syntax.Dialect{Version: syntax.V0_26}}
	s := Reanalyze(context.Background(), nil, syntax.Parse("maps.bt", []byte(mapEditScript), cfg.Dialect))
	if len(diagsOn(s, 1, string(CodeMapValueType))) != 0 || len(diagsOn(s, 4, string(CodeMapKeyedScalar))) != 1 {
		t.Fatalf("unexpected diagnostics at the start:\n%s", fmtDiags(s.File, s.Diagnostics))
	}
	s = mapEdit(t, s, 0, "1", `"s"`) // @x now holds strings: the second probe's write conflicts
	if len(diagsOn(s, 1, string(CodeMapValueType))) != 1 {
		t.Errorf("no type conflict on the second probe after retyping @x:\n%s", fmtDiags(s.File, s.Diagnostics))
	}
	if len(diagsOn(s, 4, string(CodeMapKeyedScalar))) != 1 {
		t.Errorf("the untouched map @z lost its diagnostic:\n%s", fmtDiags(s.File, s.Diagnostics))
	}
	s = mapEdit(t, s, 0, `"s"`, "7") // and back
	if len(diagsOn(s, 1, string(CodeMapValueType))) != 0 || len(diagsOn(s, 4, string(CodeMapKeyedScalar))) != 1 {
		t.Errorf("unexpected diagnostics after typing @x back:\n%s", fmtDiags(s.File, s.Diagnostics))
	}
}

// TestMapEditConflictComesAndGoes types a use of a map that conflicts with
// another probe's, then removes it, shifting later lines each time.
func TestMapEditConflictComesAndGoes(t *testing.T) {
	t.Parallel()
	cfg := Config{Dialect: syntax.Dialect{Version: syntax.V0_26}}
	s := Reanalyze(context.Background(), nil, syntax.Parse("maps.bt", []byte(mapEditScript), cfg.Dialect))
	s = mapEdit(t, s, 2, "print($s);", "print($s);\n @k = 3;") // scalar use of a keyed map
	if len(diagsOn(s, 6, string(CodeMapKeyedScalar))) != 1 {   // at the use after the first
		t.Errorf("no keyed/scalar conflict after typing @k = 3:\n%s", fmtDiags(s.File, s.Diagnostics))
	}
	if len(diagsOn(s, 5, string(CodeMapKeyedScalar))) != 1 {
		t.Errorf("the untouched map @z lost its diagnostic or it did not move:\n%s", fmtDiags(s.File, s.Diagnostics))
	}
	s = mapEdit(t, s, 2, "\n @k = 3;", "")
	if n := len(diagsOn(s, 2, string(CodeMapKeyedScalar))) + len(diagsOn(s, 5, string(CodeMapKeyedScalar))); n != 0 { // @k's lines
		t.Errorf("the conflict stayed after removing @k = 3:\n%s", fmtDiags(s.File, s.Diagnostics))
	}
	if len(diagsOn(s, 4, string(CodeMapKeyedScalar))) != 1 {
		t.Errorf("the untouched map @z lost its diagnostic:\n%s", fmtDiags(s.File, s.Diagnostics))
	}
}

// TestMapEditFollowsDerivedMaps retypes a map another map is assigned from
// in a later probe: that map's type changes too, so its conflict with a
// third probe must appear, though the edited probe never names it.
func TestMapEditFollowsDerivedMaps(t *testing.T) {
	t.Parallel()
	cfg := Config{Dialect: syntax.Dialect{Version: syntax.V0_26}}
	src := `kprobe:vfs_read { @x = 1; }
kprobe:vfs_write { @y = @x; }
kprobe:tcp_sendmsg { @y = 5; }
kprobe:vfs_read { @z[1] = 1; }
kprobe:vfs_write { @z = 2; }
`
	s := Reanalyze(context.Background(), nil, syntax.Parse("maps.bt", []byte(src), cfg.Dialect))
	if len(diagsOn(s, 2, string(CodeMapValueType))) != 0 {
		t.Fatalf("unexpected diagnostics at the start:\n%s", fmtDiags(s.File, s.Diagnostics))
	}
	s = mapEdit(t, s, 0, "1", `"s"`)
	if len(diagsOn(s, 2, string(CodeMapValueType))) != 1 {
		t.Errorf("no type conflict on @y after retyping @x:\n%s", fmtDiags(s.File, s.Diagnostics))
	}
	if len(diagsOn(s, 4, string(CodeMapKeyedScalar))) != 1 {
		t.Errorf("the untouched map @z lost its diagnostic:\n%s", fmtDiags(s.File, s.Diagnostics))
	}
}
