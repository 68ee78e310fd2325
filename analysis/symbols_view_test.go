package analysis

import (
	"bytes"
	"context"
	"reflect"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/bpfls/bpfls/analysis/internal/analysistest"
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
				gh, gocc, gok := view.HeadAt(pos)
				wh, wocc, wok := flat.HeadAt(pos)
				if gok != wok || gok && (!reflect.DeepEqual(*gh, *wh) || gocc != wocc || gh.Refs != nil) {
					t.Fatalf("%s, %s: the symbol's head at %d differs: compact %+v at %v, flat %+v at %v", name, v, pos, gh, gocc, wh, wocc)
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

// TestSymbolsFollowMapEdits types map uses into a probe, which the map path
// of Reanalyze re-checks, and requires the symbols to equal a full
// analysis's: a new map, a map retyped, a map gone, and a macro body's
// variable whose type comes from a map the edit retypes (macro bodies are
// checked after every probe, so the index cannot follow that edit).
func TestSymbolsFollowMapEdits(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	src := "macro tw() { $t = @c; $t }\nkprobe:vfs_read { @x = 1; $v = 2; }\nkprobe:vfs_write { @x = 3; @y[pid] = count(); }\n"
	for _, withMacro := range []bool{false, true} {
		text := src
		if !withMacro {
			text = text[strings.Index(text, "\n")+1:]
		}
		cfg := Config{Dialect: syntax.NewestDialect()}
		f := syntax.Parse("m.bt", []byte(text), cfg.Dialect)
		s := Reanalyze(ctx, &Snapshot{Config: cfg}, f)
		s.Symbols()
		at := syntax.Pos(strings.Index(text, "$v"))
		followed := 0
		for step, e := range []syntax.Edit{
			{Span: syntax.Span{Start: at, End: at}, NewText: []byte("@c = count(); ")},
			{Span: syntax.Span{Start: at, End: at + 14}, NewText: []byte(`@c = "s"; `)},
			{Span: syntax.Span{Start: at, End: at + 10}, NewText: []byte(`@y[1] = count(); `)},
			{Span: syntax.Span{Start: at, End: at + 17}},
		} {
			f = syntax.Reparse(f, e)
			got := Reanalyze(ctx, s, f)
			want := Analyze(ctx, syntax.Parse("m.bt", f.Src(), cfg.Dialect), cfg)
			if got.inc == nil || !got.inc.byMaps {
				t.Fatalf("macro %v, step %d: the map path did not apply", withMacro, step)
			}
			if got.symbols != nil && got.symbols.v != nil {
				followed++
			}
			if !reflect.DeepEqual(got.Symbols(), want.Symbols()) {
				t.Fatalf("macro %v, step %d: symbols differ from a full analysis:\n--- got\n%s--- want\n%s", withMacro, step, fmtSymbols(got.Symbols()), fmtSymbols(want.Symbols()))
			}
			s = got
		}
		if !withMacro && followed == 0 {
			t.Errorf("the compact index followed none of the map edits")
		}
	}
}

// TestSymbolIndexConcurrentReads reads one version's compact index from
// several goroutines while three next versions follow it, one typing in a
// probe, one typing a map use and one adding a probe, as the server's
// requests and a new edit may; the race detector (CI runs it) checks that following shares
// nothing it writes.
func TestSymbolIndexConcurrentReads(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	src, at := scaleScript(300)
	cfg := Config{Dialect: syntax.NewestDialect()}
	f := syntax.Parse("c.bt", src, cfg.Dialect)
	s := Reanalyze(ctx, &Snapshot{Config: cfg}, f)
	if s.symbols == nil || s.symbols.v == nil {
		t.Fatal("no compact index")
	}
	stmt := at - syntax.Pos(len(`printf("`))
	end := at + syntax.Pos(bytes.IndexByte(src[at:], '}')) + 1 // of the probe holding at
	edits := []syntax.Edit{
		{Span: syntax.Span{Start: at, End: at}, NewText: []byte("a")},
		{Span: syntax.Span{Start: stmt, End: stmt}, NewText: []byte("@new[comm] = 1; ")},
		{Span: syntax.Span{Start: end, End: end}, NewText: []byte("\nkprobe:vfs_open { @calls[comm, 1] = count(); $m = 1; }")},
	}
	var wg sync.WaitGroup
	for k := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for pos := syntax.Pos(k); pos < syntax.Pos(len(src)); pos += 97 {
				s.SymbolAt(pos)
			}
			s.Symbols()
			s.SymbolIndex().Named("@calls", at)
		}()
	}
	got := make([]*Snapshot, len(edits))
	for k, e := range edits {
		wg.Add(1)
		go func() {
			defer wg.Done()
			got[k] = Reanalyze(ctx, s, syntax.Reparse(f, e))
			got[k].Symbols()
		}()
	}
	wg.Wait()
	for k, g := range got {
		want := Analyze(ctx, syntax.Parse("c.bt", g.File.Src(), cfg.Dialect), cfg)
		if g.symbols == nil || g.symbols.v == nil {
			t.Errorf("edit %d: the compact index did not follow", k)
		}
		if !reflect.DeepEqual(g.Symbols(), want.Symbols()) {
			t.Errorf("edit %d: symbols differ from a full analysis", k)
		}
	}
}

// followedIndex reports whether s's compact symbol index followed an edit
// rather than being built from a pass, and then requires it to answer as
// one rebuilt from the same snapshot does: every symbol in order, the
// symbol at, its head at and the symbol starting at every position (every
// step'th, for a long file), and the symbols of each name near every
// definition.
func followedIndex(t *testing.T, s *Snapshot) bool {
	t.Helper()
	if s.symbols == nil || s.symbols.v == nil || !s.symbols.v.followed {
		return false
	}
	got, want := s.symbols, rebuildSymbols(s)
	if !reflect.DeepEqual(got.All(), want.All()) {
		t.Fatalf("the followed index differs from a rebuilt one:\n--- followed\n%s--- rebuilt\n%s", fmtSymbols(got.All()), fmtSymbols(want.All()))
	}
	step := max(1, s.File.Len()/4096)
	for pos := syntax.Pos(0); pos <= syntax.Pos(s.File.Len()); pos += syntax.Pos(step) {
		g, gok := got.At(pos)
		w, wok := want.At(pos)
		if gok != wok || gok && !reflect.DeepEqual(*g, *w) {
			t.Fatalf("the symbol at %d differs: followed %+v, rebuilt %+v", pos, g, w)
		}
		gh, gocc, gok := got.HeadAt(pos)
		wh, wocc, wok := want.HeadAt(pos)
		if gok != wok || gok && (!reflect.DeepEqual(*gh, *wh) || gocc != wocc) {
			t.Fatalf("the symbol's head at %d differs: followed %+v at %v, rebuilt %+v at %v", pos, gh, gocc, wh, wocc)
		}
		g, gok = got.StartingAt(pos)
		w, wok = want.StartingAt(pos)
		if gok != wok || gok && !reflect.DeepEqual(*g, *w) {
			t.Fatalf("the symbol starting at %d differs: followed %+v, rebuilt %+v", pos, g, w)
		}
	}
	for _, sym := range want.All() {
		if g, w := got.Named(sym.Name, sym.Def.Start), want.Named(sym.Name, sym.Def.Start); !reflect.DeepEqual(g, w) {
			t.Fatalf("symbols named %s near %d differ:\n--- followed\n%s--- rebuilt\n%s", sym.Name, sym.Def.Start, fmtSymbols(g), fmtSymbols(w))
		}
	}
	return true
}

// TestSymbolsFollowBodyEdits edits the bodies of macros and fns, which the
// macro and fn paths of Reanalyze re-check, and requires the symbols to
// equal a full analysis's and the index to follow each edit: variables
// added, renamed and removed in bodies (the first symbols of a body that
// had none, between the other bodies'), and macro calls added to a fn's
// body, removed, and moved in a macro's (the macro path takes no edit
// that changes which macros a macro calls).
func TestSymbolsFollowBodyEdits(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	src := "macro zero() { 0 }\nmacro one() { 1 }\nmacro add(x, $y) { $t = x + one(); $t + $y }\n" +
		"fn first($a: int64): int64 { return $a; }\nfn second(): int64 { return 2; }\n" +
		"kprobe:tcp_sendmsg { $v = one() + zero(); @r = add(1, $v); }\nkprobe:tcp_sendmsg { $z = 3; @w = add(2, $z); }\n"
	cfg := Config{Dialect: syntax.Dialect{Version: syntax.V0_26}, Kernel: analysistest.NewTCPKernel()}
	s := Reanalyze(ctx, &Snapshot{Config: cfg}, syntax.Parse("b.bt", []byte(src), cfg.Dialect))
	// From the last body to the first: the paths apply to the declarations
	// an edit did not move.
	for step, e := range []struct{ old, repl string }{
		{"return 2;", "$s = 2; return $s;"},           // second's first symbol, after first's
		{"return $a;", "return $a + one();"},          // a macro call in a fn
		{"return $a + one();", "return $a * $a;"},     // the call gone
		{"$t = x + one(); $t + $y", "$y + x + one()"}, // add's variable gone
		{"$y + x + one()", "$u = one(); $u + $y"},     // the macro call moved
		{"{ 0 }", "{ $k = 0; $k }"},                   // zero's first symbol, before add's
		{"$k = 0; $k", "$kk = 0; $kk + $kk"},          // renamed, used twice
	} {
		at := strings.Index(string(s.File.Src()), e.old)
		if at < 0 {
			t.Fatalf("step %d: no %q", step, e.old)
		}
		f := syntax.Reparse(s.File, syntax.Edit{Span: syntax.Span{Start: syntax.Pos(at), End: syntax.Pos(at + len(e.old))}, NewText: []byte(e.repl)})
		got := Reanalyze(ctx, s, f)
		want := Analyze(ctx, syntax.Parse("b.bt", f.Src(), cfg.Dialect), cfg)
		if got.inc == nil || !got.inc.byMacro && !got.inc.byFn {
			t.Fatalf("step %d: neither the macro nor the fn path applied", step)
		}
		if !followedIndex(t, got) {
			t.Fatalf("step %d: the symbol index did not follow", step)
		}
		if !reflect.DeepEqual(got.Symbols(), want.Symbols()) {
			t.Fatalf("step %d: symbols differ from a full analysis:\n--- got\n%s--- want\n%s", step, fmtSymbols(got.Symbols()), fmtSymbols(want.Symbols()))
		}
		sameDiagnostics(t, got, want)
		s = got
	}
	// Many edits of one body: the references the followed versions leave
	// behind are dropped.
	for k := range 800 {
		old, repl := "$kk + $kk }", "$kk + $kk + $kk }"
		if k%2 == 1 {
			old, repl = repl, old
		}
		at := strings.Index(string(s.File.Src()), old)
		f := syntax.Reparse(s.File, syntax.Edit{Span: syntax.Span{Start: syntax.Pos(at), End: syntax.Pos(at + len(old))}, NewText: []byte(repl)})
		s = Reanalyze(ctx, s, f)
		if !followedIndex(t, s) {
			t.Fatalf("edit %d of zero's body: the symbol index did not follow", k)
		}
	}
	if n := len(s.symbols.v.g.refs); n > 2048 {
		t.Errorf("the followed index keeps %d references", n)
	}
}

// TestSymbolsFollowDeclEditWithMapInBody adds a macro to a script whose
// other macro reads a map without a parameter (bpftrace rejects that, but
// the check still types the variable from the map): the declaration path
// takes the edit, and the index, which cannot make that body's symbols
// again without the maps' states, must still equal a full analysis's.
func TestSymbolsFollowDeclEditWithMapInBody(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	src := "macro bump($n) { $t = @size; print($t); $n }\nkprobe:tcp_sendmsg { $n = 1; bump($n); @size = 2; }\n"
	cfg := Config{Dialect: syntax.Dialect{Version: syntax.V0_26}, Kernel: analysistest.NewTCPKernel()}
	s := Reanalyze(ctx, &Snapshot{Config: cfg}, syntax.Parse("b.bt", []byte(src), cfg.Dialect))
	s.Symbols()
	end := syntax.Pos(len(src))
	f := syntax.Reparse(s.File, syntax.Edit{Span: syntax.Span{Start: end, End: end}, NewText: []byte("macro twice(x) { x * 2 }\n")})
	got := Reanalyze(ctx, s, f)
	want := Analyze(ctx, syntax.Parse("b.bt", f.Src(), cfg.Dialect), cfg)
	if got.inc == nil || !got.inc.byDecls {
		t.Fatalf("the declaration path did not take the edit")
	}
	if !reflect.DeepEqual(got.Symbols(), want.Symbols()) {
		t.Fatalf("symbols differ from a full analysis:\n--- got\n%s--- want\n%s", fmtSymbols(got.Symbols()), fmtSymbols(want.Symbols()))
	}
}
