package analysis

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/bpfls/bpfls/analysis/benchtest"
	"github.com/bpfls/bpfls/analysis/internal/analysistest"
	"github.com/bpfls/bpfls/analysis/syntax"
)

// keystroke returns a small edit of f as an editor sends it: one
// character typed or deleted, a line break, a statement or a map use
// typed into a probe, a word deleted, or an edit outside the probes (see
// declKeystroke).
// It reports whether the edit is outside the probes.
func keystroke(rng *rand.Rand, f *syntax.File) (syntax.Edit, bool) {
	if rng.IntN(4) == 0 {
		if e, ok := declKeystroke(rng, f); ok {
			return e, true
		}
	}
	return probeKeystroke(rng, f.Src()), false
}

func probeKeystroke(rng *rand.Rand, src []byte) syntax.Edit {
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

// declKeystroke returns an edit outside the probes: a line break or a
// comment typed in the layout before an item that is not a probe, a
// character typed into one (a macro or fn body, a map declaration), or a
// map declaration typed between items. It reports false when f has no
// item that is not a probe.
func declKeystroke(rng *rand.Rand, f *syntax.File) (syntax.Edit, bool) {
	var decls []int
	for i := range f.NumItems() {
		if !f.IsProbe(i) {
			decls = append(decls, i)
		}
	}
	if len(decls) == 0 {
		return syntax.Edit{}, false
	}
	i := decls[rng.IntN(len(decls))]
	ext, sp := f.ItemExtent(i), f.ItemSpan(i)
	ins := func(at syntax.Pos, text string) syntax.Edit {
		return syntax.Edit{Span: syntax.Span{Start: at, End: at}, NewText: []byte(text)}
	}
	switch rng.IntN(6) {
	case 0: // a line break between items
		return ins(ext.Start+syntax.Pos(rng.IntN(int(sp.Start-ext.Start)+1)), "\n"), true
	case 1: // a comment before the item
		return ins(sp.Start, "// note\n"), true
	case 2: // a line break deleted before the item
		if k := strings.LastIndexByte(f.SpanText(syntax.Span{Start: ext.Start, End: sp.Start}), '\n'); k >= 0 {
			at := ext.Start + syntax.Pos(k)
			return syntax.Edit{Span: syntax.Span{Start: at, End: at + 1}}, true
		}
		return ins(sp.Start, "\n\n"), true
	case 3: // a character typed inside the item
		return ins(sp.Start+syntax.Pos(rng.IntN(int(sp.End-sp.Start)+1)), []string{"1", " ", "x", "\n"}[rng.IntN(4)]), true
	case 4: // a statement typed into a macro or fn body
		if k := strings.IndexByte(f.SpanText(sp), '{'); k >= 0 {
			return ins(sp.Start+syntax.Pos(k+1), []string{" $v = 1;", " 1 +", " @m[1] = 2;"}[rng.IntN(3)]), true
		}
	}
	return ins(ext.Start, "let @decl = hash(8);\n"), true
}

// declScript is n probes interleaved with macros, fns, map declarations
// and comments, for edits outside the probes.
func declScript(n int) []byte {
	var b strings.Builder
	b.WriteString("config = { max_map_keys = 100 }\n\nlet @d = hash(16);\n")
	for i := range n {
		switch i % 4 {
		case 0:
			fmt.Fprintf(&b, "\n// helper %d\nmacro add%d(x) { x + %d }\n", i, i, i)
		case 1:
			fmt.Fprintf(&b, "fn twice%d($x: int64): int64 { return $x * 2; }\n\n", i)
		case 2:
			fmt.Fprintf(&b, "let @decl%d = lruhash(%d);\n", i, 8+i)
		}
		fmt.Fprintf(&b, "kprobe:vfs_read /pid > %d/ { @d[%d] = add%d(1); @decl%d[tid] = 1; $n = twice%d(%d); print($n); }\n",
			i, i, i-i%4, i-i%4+2, i-i%4+1, i)
	}
	return []byte(b.String())
}

// incrementalScripts are the scripts the incremental test edits: the
// golden scripts, the examples, the real-world corpus and a generated
// script of many probes sharing maps.
func incrementalScripts(t *testing.T) map[string][]byte {
	t.Helper()
	out := benchtest.EditedScripts(t)
	big, _ := scaleScript(600)
	out["generated"] = append(big, "kprobe:vfs_read { @calls[comm, 1] = 2; $v = @total; @total = count(); }\n"...)
	out["generated with declarations"] = declScript(40)
	return out
}

// defaultSteps is how many keystrokes TestIncrementalMatchesFullAnalysis
// makes in each script unless BPFLS_INCREMENTAL_STEPS says otherwise.
const defaultSteps = 12

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
	fast, medium, byMaps, steps, outside, outsideFast, outsideMedium := 0, 0, 0, 0, 0, 0, 0
	byMacro, byFn, followed, mapsFollowed := 0, 0, 0, 0
	n := defaultSteps
	if v, err := strconv.Atoi(os.Getenv("BPFLS_INCREMENTAL_STEPS")); err == nil && v > 0 {
		n = v // more keystrokes per script, for a longer run
	}
	for _, name := range names {
		for _, v := range []syntax.Version{syntax.V0_17, syntax.V0_26} {
			src := scripts[name]
			cfg := Config{Dialect: syntax.Dialect{Version: v}, Kernel: analysistest.NewTCPKernel()}
			rng := rand.New(rand.NewPCG(uint64(len(src)), uint64(v.Minor)))
			f := syntax.Parse("edit.bt", src, cfg.Dialect)
			prev := Reanalyze(ctx, &Snapshot{Config: cfg}, f)
			for step := range n {
				e, out := keystroke(rng, f)
				f = syntax.Reparse(f, e)
				got := Reanalyze(ctx, prev, f)
				want := Analyze(ctx, syntax.Parse("edit.bt", f.Src(), cfg.Dialect), cfg)
				steps++
				requireIncIndexes(t, got, fmt.Sprintf("%s, %s, keystroke %d (%+v %q)", name, v, step, e.Span, e.NewText))
				if got.inc != nil && got.inc.byMacro {
					byMacro++ // counted among the fast ones too
				}
				if got.inc != nil && got.inc.byFn {
					byFn++ // likewise
				}
				switch {
				case got.inc == nil || got.probes != prev.probes: // the full pass
				case got.inc.byMaps:
					byMaps++
					if got.symbols != nil && got.symbols.v != nil && got.symbols.v.followed {
						mapsFollowed++
					}
				case got.inc.byFast || got.inc.byMacro || got.inc.byFn:
					fast++
					if got.symbols != nil && got.symbols.v != nil && got.symbols.v.followed {
						followed++ // the compact symbol index followed the edit
					}
					if out {
						outsideFast++
					}
				default:
					medium++
					if out {
						outsideMedium++
					}
				}
				if out {
					outside++
				}
				if !reflect.DeepEqual(got.Diagnostics, want.Diagnostics) {
					t.Fatalf("%s, %s, keystroke %d (%+v %q): diagnostics differ from a full analysis (byMaps %v):\n--- got\n%s--- want\n%s\n--- source\n%s",
						name, v, step, e.Span, e.NewText, got.inc != nil && got.inc.byMaps, fmtDiags(got.File, got.Diagnostics), fmtDiags(want.File, want.Diagnostics), f.Src())
				}
				for range 8 { // symbol reads before the whole index is asked for, as hover makes them
					pos := syntax.Pos(rng.IntN(f.Len() + 1))
					g, gok := got.SymbolAt(pos)
					w, wok := want.SymbolAt(pos)
					if gok != wok || gok && !reflect.DeepEqual(*g, *w) {
						t.Fatalf("%s, %s, keystroke %d: the symbol at %d differs from a full analysis: got %+v, want %+v", name, v, step, pos, g, w)
					}
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
	// checks little of them. Of the edits outside probes, those of the
	// layout before an item that is not a probe re-check only that item,
	// those of a macro or fn body or a map declaration replay; a new
	// declaration takes the full pass, and so does any edit at the config
	// or the C part, which the parser re-parses whole.
	// Longer runs (BPFLS_INCREMENTAL_STEPS) wear the scripts down into
	// text that is mostly errors, where the full pass is the right path, so
	// the shares are checked at the default length only.
	if n == defaultSteps && (fast < steps/3 || followed < fast/2 || mapsFollowed < byMaps/2 || medium+byMaps < steps/10 || byMaps < steps/20 || outsideFast < outside/8 || outsideMedium < outside/40) {
		t.Errorf("%d (%d following the symbol index), %d and %d of %d keystrokes took the incremental paths, %d and %d of %d outside probes",
			fast, followed, byMaps, medium, steps, outsideFast, outsideMedium, outside)
	}
	t.Logf("of %d keystrokes, %d re-checked only the edited items (%d following the compact symbol index, %d of them the probes expanding an edited macro, %d an edited fn's body alone), %d only the probes of the maps they touch (%d following the symbol index), %d replayed the file-level pass; of the %d outside probes, %d and %d",
		steps, fast, followed, byMacro, byFn, byMaps, mapsFollowed, medium, outside, outsideFast, outsideMedium)
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
		if got.inc == nil || !got.inc.byFast {
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
