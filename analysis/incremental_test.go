package analysis

import (
	"context"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/bpfls/bpfls/analysis/internal/analysistest"
	"github.com/bpfls/bpfls/analysis/syntax"
)

// keystroke returns a small edit of src as an editor sends it: one
// character typed or deleted, a line break, a statement or a map use
// typed into a probe, a word deleted.
func keystroke(rng *rand.Rand, src []byte) syntax.Edit {
	s := string(src)
	at := syntax.Pos(rng.IntN(len(s) + 1))
	ins := func(text string) syntax.Edit {
		return syntax.Edit{Span: syntax.Span{Start: at, End: at}, NewText: []byte(text)}
	}
	maps := append(mapNameRe.FindAllString(s, -1), "@fresh")
	m := maps[rng.IntN(len(maps))]
	switch rng.IntN(9) {
	case 0:
		return ins("a")
	case 1:
		return ins("\n")
	case 2:
		return ins(" ")
	case 3, 4: // a statement after a '{' or ';'
		var starts []int
		for i, c := range s {
			if c == '{' || c == ';' {
				starts = append(starts, i+1)
			}
		}
		stmts := []string{m + " = 1;", m + `[1, "a"] = count();`, m + "[pid] = hist(1);", "$t = " + m + "; print($t);",
			m + " = \"s\";", "$u = 1; $u += 2;", "printf(\"%d\\n\", 1);", m + "[comm] = count();"}
		if len(starts) > 0 {
			at = syntax.Pos(starts[rng.IntN(len(starts))])
			return ins(" " + stmts[rng.IntN(len(stmts))])
		}
	case 5, 6: // delete one or a few bytes
		if len(s) > 0 {
			end := min(syntax.Pos(len(s)), at+1+syntax.Pos(rng.IntN(4)))
			at = min(at, syntax.Pos(len(s)-1))
			return syntax.Edit{Span: syntax.Span{Start: at, End: end}}
		}
	case 7: // a map use typed after a '{'
		if i := strings.Index(s[at:], "{"); i >= 0 {
			at += syntax.Pos(i + 1)
			return ins(" " + m + "[pid] = count();")
		}
	}
	return ins("1")
}

// incrementalScripts are the scripts the incremental test edits: the
// golden scripts, the examples, the real-world corpus and a generated
// script of many probes sharing maps.
func incrementalScripts(t *testing.T) map[string][]byte {
	t.Helper()
	out := editScripts(t)
	for _, glob := range []string{"../testdata/examples/*.bt", "../testdata/realworld/*.bt"} {
		files, _ := filepath.Glob(glob)
		if len(files) == 0 {
			t.Fatalf("no scripts match %s", glob)
		}
		for _, file := range files {
			src, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			out[file] = src
		}
	}
	big, _ := scaleScript(600)
	out["generated"] = append(big, "kprobe:vfs_read { @calls[comm, 1] = 2; $v = @total; @total = count(); }\n"...)
	return out
}

// TestIncrementalMatchesFullAnalysis applies random keystrokes to real
// scripts, re-parsing incrementally as the server does, and checks after
// each one that Reanalyze from the previous snapshot, which re-checks only
// the items the edit touched when it can, equals an analysis from scratch:
// diagnostics (positions, related information and fixes) and symbols.
func TestIncrementalMatchesFullAnalysis(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	scripts := incrementalScripts(t)
	names := make([]string, 0, len(scripts))
	for name := range scripts {
		names = append(names, name)
	}
	sort.Strings(names)
	fast, medium, steps := 0, 0, 0
	for _, name := range names {
		for _, v := range []syntax.Version{syntax.V0_17, syntax.V0_26} {
			src := scripts[name]
			cfg := Config{Dialect: syntax.Dialect{Version: v}, Kernel: analysistest.NewTCPKernel()}
			rng := rand.New(rand.NewPCG(uint64(len(src)), uint64(v.Minor)))
			f := syntax.Parse("edit.bt", src, cfg.Dialect)
			prev := Reanalyze(ctx, &Snapshot{Config: cfg}, f)
			for step := range 12 {
				e := keystroke(rng, f.Src())
				f = syntax.Reparse(f, e)
				got := Reanalyze(ctx, prev, f)
				want := Analyze(ctx, syntax.Parse("edit.bt", f.Src(), cfg.Dialect), cfg)
				steps++
				switch {
				case got.inc == nil || got.probes != prev.probes: // the full pass
				case got.symbols == nil:
					fast++
				default:
					medium++
				}
				if !reflect.DeepEqual(got.Diagnostics, want.Diagnostics) {
					t.Fatalf("%s, %s, keystroke %d (%+v %q): diagnostics differ from a full analysis:\n--- got\n%s--- want\n%s\n--- source\n%s",
						name, v, step, e.Span, e.NewText, fmtDiags(got.File, got.Diagnostics), fmtDiags(want.File, want.Diagnostics), f.Src())
				}
				if !reflect.DeepEqual(got.Symbols(), want.Symbols()) {
					t.Fatalf("%s, %s, keystroke %d: symbols differ from a full analysis:\n--- got\n%s--- want\n%s",
						name, v, step, fmtSymbols(got.Symbols()), fmtSymbols(want.Symbols()))
				}
				prev = got
			}
		}
	}
	// Many keystrokes should take each incremental path, or this test
	// checks little of them.
	if fast < steps/3 || medium < steps/10 {
		t.Errorf("%d and %d of %d keystrokes took the incremental paths", fast, medium, steps)
	}
	t.Logf("of %d keystrokes, %d re-checked only the edited probes, %d replayed the file-level pass", steps, fast, medium)
}

// TestIncrementalShiftsLaterItems checks that a keystroke inserting a line
// in the middle of a large script re-checks that probe alone, and that the
// diagnostics after it move with their lines.
func TestIncrementalShiftsLaterItems(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	src, at := scaleScript(2000)
	src = append(src, "kprobe:vfs_read { @calls = 1; }\n"...) // keyed and scalar: an error at the very end
	cfg := Config{Dialect: syntax.Dialect{Version: syntax.V0_26}}
	f := syntax.Parse("scale.bt", src, cfg.Dialect)
	s := Reanalyze(ctx, nil, f)
	for _, text := range []string{"\n", "abc", "\n\n"} {
		f = syntax.Reparse(f, syntax.Edit{Span: syntax.Span{Start: at, End: at}, NewText: []byte(text)})
		got := Reanalyze(ctx, s, f)
		if got.inc == nil || got.symbols != nil {
			t.Fatalf("inserting %q took the full pass", text)
		}
		want := Analyze(ctx, syntax.Parse("scale.bt", f.Src(), cfg.Dialect), cfg)
		sameDiagnostics(t, got, want)
		if len(want.Diagnostics) < 2 {
			t.Fatalf("want errors in the middle and at the end, got %s", fmtDiags(want.File, want.Diagnostics))
		}
		s = got
	}
}
