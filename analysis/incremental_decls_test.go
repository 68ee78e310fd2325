package analysis

import (
	"bytes"
	"context"
	"fmt"
	"reflect"
	"regexp"
	"testing"

	"github.com/bpfls/bpfls/analysis/internal/analysistest"
	"github.com/bpfls/bpfls/analysis/syntax"
)

var callRe = regexp.MustCompile(`\b([a-z_][a-z0-9_]*)\(`)

// TestDeclarationsAddedOrRenamed adds macros and fns to every script of
// the incremental corpus (one named as a call some probe makes, which it
// then resolves to), renames and removes its macros, and requires after
// each edit the diagnostics and symbols of a full analysis. Such edits
// replay the walks of the probes that do not name a changed declaration
// instead of taking the full pass.
func TestDeclarationsAddedOrRenamed(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	edits, replayed := 0, 0
	for name, src := range incrementalScripts(t) {
		if len(src) > 8<<10 {
			continue // each edit is compared with a full analysis: the small scripts suffice
		}
		for _, v := range []syntax.Version{syntax.V0_17, syntax.V0_26} {
			cfg := Config{Dialect: syntax.Dialect{Version: v}, Kernel: analysistest.NewTCPKernel()}
			f := syntax.Parse("edit.bt", src, cfg.Dialect)
			prev := Reanalyze(ctx, &Snapshot{Config: cfg}, f)
			apply := func(e syntax.Edit) {
				f = syntax.Reparse(f, e)
				got := Reanalyze(ctx, prev, f)
				want := Analyze(ctx, syntax.Parse("edit.bt", f.Src(), cfg.Dialect), cfg)
				edits++
				if got.inc != nil && got.probes == prev.probes && !got.inc.byMaps && !got.inc.byFast {
					replayed++
				}
				if !reflect.DeepEqual(got.Diagnostics, want.Diagnostics) {
					t.Fatalf("%s, %s, edit %+v %q: diagnostics differ from a full analysis:\n--- got\n%s--- want\n%s\n--- source\n%s",
						name, v, e.Span, e.NewText, fmtDiags(got.File, got.Diagnostics), fmtDiags(want.File, want.Diagnostics), f.Src())
				}
				if !reflect.DeepEqual(got.Symbols(), want.Symbols()) {
					t.Fatalf("%s, %s, edit %+v %q: symbols differ from a full analysis:\n--- got\n%s--- want\n%s",
						name, v, e.Span, e.NewText, fmtSymbols(got.Symbols()), fmtSymbols(want.Symbols()))
				}
				prev = got
			}
			end := func() syntax.Pos { return syntax.Pos(f.Len()) }
			insert := func(text string) syntax.Edit {
				return syntax.Edit{Span: syntax.Span{Start: end(), End: end()}, NewText: []byte(text)}
			}
			// A macro nothing calls, typed a character at a time, then gone.
			text := "\nmacro twice(x) { x * 2 }"
			for k := range text {
				apply(insert(text[k : k+1]))
			}
			apply(syntax.Edit{Span: syntax.Span{Start: end() - syntax.Pos(len(text)), End: end()}})
			// A macro and a fn named as calls the probes make.
			calls := callRe.FindAllSubmatch(f.Src(), -1)
			for k, c := range calls {
				if k >= 3 {
					break
				}
				apply(insert(fmt.Sprintf("\nmacro %s(a, b) { 1 }", c[1])))
				apply(insert(fmt.Sprintf("\nfn %s_fn(): int64 { return 1; }", c[1])))
			}
			// The script's macros renamed, then removed.
			for i := 0; i < f.NumItems(); i++ {
				m, ok := f.Item(i).(*syntax.MacroDecl)
				if !ok || m.Name == nil || bytes.Contains([]byte(m.Name.Name), []byte("renamed")) {
					continue
				}
				apply(syntax.Edit{Span: syntax.Span{Start: m.Name.End(), End: m.Name.End()}, NewText: []byte("_renamed")})
				sp := f.ItemSpan(i)
				apply(syntax.Edit{Span: sp})
				break
			}
		}
	}
	if replayed < edits/2 {
		t.Errorf("%d of %d declaration edits replayed the other walks, want at least half", replayed, edits)
	}
	t.Logf("%d of %d declaration edits replayed the other walks", replayed, edits)
}

func TestNamesAnyIdent(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		text  string
		names []string
		want  bool
	}{
		{"twice(1)", []string{"twice"}, true},
		{"twice2(1) + my_twice(2)", []string{"twice"}, false},
		{"x = twice", []string{"twice"}, true},
		{"ttwice twicee twice", []string{"twice"}, true},
		{"anything", []string{""}, false}, // a macro whose name is not typed yet
		{"", []string{"a"}, false},
	} {
		names := map[string]bool{}
		for _, n := range tc.names {
			names[n] = true
		}
		if got := namesAnyIdent([]byte(tc.text), names); got != tc.want {
			t.Errorf("namesAnyIdent(%q, %q) = %v, want %v", tc.text, tc.names, got, tc.want)
		}
	}
}
