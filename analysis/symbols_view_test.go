package analysis

import (
	"context"
	"reflect"
	"sort"
	"testing"

	"github.com/bpfls/bpfls/analysis/syntax"
)

// TestSymbolViewMatchesPass checks that the compact index a recorded
// analysis keeps answers as the flat index of the same pass does: every
// symbol in order, the symbol at and starting at every position, and the
// symbols of each name near every variable's definition.
func TestSymbolViewMatchesPass(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	scripts := incrementalScripts(t)
	scripts["bench document"] = largeDocument(t, 16<<10) // probes whose walks expand macros are not recorded
	names := make([]string, 0, len(scripts))
	for name := range scripts {
		names = append(names, name)
	}
	sort.Strings(names)
	compact := 0
	for _, name := range names {
		for _, v := range []syntax.Version{syntax.V0_17, syntax.V0_26} {
			cfg := Config{Dialect: syntax.Dialect{Version: v}}
			f := syntax.Parse(name, scripts[name], cfg.Dialect)
			s := Reanalyze(ctx, &Snapshot{Config: cfg}, f)
			flat := newFileEnv(ctx, f, cfg).symbols
			if s.symbols == nil || s.symbols.v == nil {
				continue
			}
			compact++
			view := s.symbols
			if !reflect.DeepEqual(view.All(), flat.All()) {
				t.Fatalf("%s, %s: symbols differ:\n--- compact\n%s--- flat\n%s", name, v, fmtSymbols(view.All()), fmtSymbols(flat.All()))
			}
			for pos := syntax.Pos(0); pos <= syntax.Pos(f.Len()); pos++ {
				g, gok := view.At(pos)
				w, wok := flat.At(pos)
				if gok != wok || gok && !reflect.DeepEqual(*g, *w) {
					t.Fatalf("%s, %s: the symbol at %d differs: compact %+v, flat %+v", name, v, pos, g, w)
				}
				g, gok = view.StartingAt(pos)
				w, wok = flat.StartingAt(pos)
				if gok != wok || gok && !reflect.DeepEqual(*g, *w) {
					t.Fatalf("%s, %s: the symbol starting at %d differs: compact %+v, flat %+v", name, v, pos, g, w)
				}
			}
			for _, sym := range flat.All() {
				got, want := view.Named(sym.Name, sym.Def.Start), flat.Named(sym.Name, sym.Def.Start)
				want = sameScope(f, want, sym.Def.Start)
				if !reflect.DeepEqual(got, want) {
					t.Fatalf("%s, %s: symbols named %s near %d differ:\n--- compact\n%s--- flat\n%s", name, v, sym.Name, sym.Def.Start, fmtSymbols(got), fmtSymbols(want))
				}
			}
		}
	}
	if compact < len(names) {
		t.Errorf("only %d of %d analyses kept a compact index", compact, 2*len(names))
	}
}

// sameScope drops from syms the variables of probes other than the one
// containing near, as Named does.
func sameScope(f *syntax.File, syms []*Symbol, near syntax.Pos) []*Symbol {
	var out []*Symbol
	for _, sym := range syms {
		if sym.Kind == SymbolVariable && inProbe(f, sym.Def) && !sameItem(f, sym.Def.Start, near) {
			continue
		}
		out = append(out, sym)
	}
	return out
}

func inProbe(f *syntax.File, s syntax.Span) bool {
	for i := range f.NumItems() {
		if f.ItemSpan(i).Start <= s.Start && s.End <= f.ItemSpan(i).End {
			return f.IsProbe(i)
		}
	}
	return false
}

func sameItem(f *syntax.File, a, b syntax.Pos) bool {
	for i := range f.NumItems() {
		sp := f.ItemSpan(i)
		if sp.Contains(a) && sp.Contains(b) {
			return true
		}
	}
	return false
}
