package ide

import (
	"context"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"testing"

	"github.com/bpfls/bpfls/analysis"
	"github.com/bpfls/bpfls/analysis/benchtest"
	"github.com/bpfls/bpfls/analysis/syntax"
)

// mapNamesByScan lists the maps of every item of f but the one at skip,
// as reading the whole file finds them.
func mapNamesByScan(f *syntax.File, skip syntax.Pos) []string {
	seen := map[string]bool{}
	var out []string
	for _, it := range f.Items() {
		syntax.Inspect(it, func(n syntax.Node) bool {
			if m, ok := n.(*syntax.MapExpr); ok && m.At != skip && m.Name != "" && !seen[m.Name] {
				seen[m.Name] = true
				out = append(out, "@"+m.Name)
			}
			return true
		})
	}
	sort.Strings(out)
	return out
}

// TestMapItemsMatchScan completes a map name at every map of every script
// of the shared corpora, and requires the maps a scan of the whole file
// finds; the completion reads no probe (the analysis names the maps). The
// one difference: a map used only where it is being typed and in a branch
// comptime rules out, which the analysis never walks, is not proposed.
func TestMapItemsMatchScan(t *testing.T) {
	t.Parallel()
	checked := 0
	for _, script := range benchtest.CorpusScripts(t) {
		file, src := script.Path, script.Src
		for _, v := range []syntax.Version{syntax.V0_17, syntax.V0_26} {
			d := syntax.Dialect{Version: v}
			f := syntax.Parse(file, src, d)
			s := analysis.Reanalyze(context.Background(), &analysis.Snapshot{Config: analysis.Config{Dialect: d}}, f)
			if _, ok := s.MapNames(); !ok {
				continue
			}
			var at []syntax.Pos
			for _, it := range f.Items() {
				syntax.Inspect(it, func(n syntax.Node) bool {
					if m, ok := n.(*syntax.MapExpr); ok {
						at = append(at, m.At)
					}
					return true
				})
			}
			for _, skip := range at {
				want := mapNamesByScan(f, skip)
				runtime.GC()
				var got []string
				for _, it := range mapItems(s, skip) {
					got = append(got, it.Label)
				}
				if filepath.Base(file) == "comptime-dead-branch.bt" && skip == 135 {
					if slices.Equal(got, want) {
						t.Errorf("%s: the map used only in a dead branch is proposed now: drop the exception", file)
					}
					continue
				}
				if !slices.Equal(got, want) {
					t.Errorf("%s under %s, completing at %d: maps %q, want %q", file, v, skip, got, want)
				}
				checked++
			}
		}
	}
	if checked == 0 {
		t.Fatal("no map completed")
	}
	t.Logf("%d completions checked", checked)
}
