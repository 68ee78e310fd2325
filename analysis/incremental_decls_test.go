package analysis

import (
	"bytes"
	"context"
	"fmt"
	"reflect"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/bpfls/bpfls/analysis/internal/analysistest"
	"github.com/bpfls/bpfls/analysis/syntax"
)

var (
	callRe = regexp.MustCompile(`\b([a-z_][a-z0-9_]*)\(`)
	mapRe  = regexp.MustCompile(`@([a-z_][a-z0-9_]*)`)
)

// TestDeclarationsAddedOrRenamed adds macros and fns to every script of
// the incremental corpus (one named as a call some probe makes, which it
// then resolves to), adds, changes, renames and removes declarations of
// maps the probes use, renames and removes its macros, and requires after
// each edit the diagnostics and symbols of a full analysis. Such edits
// replay the walks of the probes that do not name a changed declaration
// instead of taking the full pass.
func TestDeclarationsAddedOrRenamed(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	edits, replayed, byName, followed := 0, 0, 0, 0
	mapEdits, mapByName := 0, 0       // of map declarations
	configEdits, configByName := 0, 0 // of config values the probes do not read
	for name, src := range incrementalScripts(t) {
		if len(src) > 8<<10 {
			continue // each edit is compared with a full analysis: the small scripts suffice
		}
		for _, v := range []syntax.Version{syntax.V0_17, syntax.V0_26} {
			cfg := Config{Dialect: syntax.Dialect{Version: v}, Kernel: analysistest.NewTCPKernel()}
			f := syntax.Parse("edit.bt", src, cfg.Dialect)
			prev := Reanalyze(ctx, &Snapshot{Config: cfg}, f)
			apply := func(e syntax.Edit) *Snapshot {
				f = syntax.Reparse(f, e)
				got := Reanalyze(ctx, prev, f)
				want := Analyze(ctx, syntax.Parse("edit.bt", f.Src(), cfg.Dialect), cfg)
				edits++
				switch {
				case got.inc != nil && got.inc.byDecls:
					byName++
					if followedIndex(t, got) { // the symbol index followed, as a rebuilt one
						followed++
					}
				case got.inc != nil && got.probes == prev.probes && !got.inc.byMaps && !got.inc.byFast:
					replayed++
				}
				requireSameAnalysis(t, got, want, fmt.Sprintf("%s, %s, edit %+v %q", name, v, e.Span, e.NewText))
				prev = got
				return got
			}
			applyMap := func(e syntax.Edit) {
				mapEdits++
				if s := apply(e); s.inc != nil && s.inc.byDecls {
					mapByName++
				}
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
			// Map declarations (0.24 on) of maps the probes use: added as a
			// hash, changed to a percpu map, renamed, removed.
			if v.AtLeast(syntax.V0_24) {
				for k, m := range mapRe.FindAllSubmatch(f.Src(), 2) {
					decl := fmt.Sprintf("\nlet @%s = hash(%d);", m[1], 10+k)
					applyMap(insert(decl))
					kind := end() - syntax.Pos(len(decl)) + syntax.Pos(len("\nlet @")+len(m[1])+len(" = "))
					applyMap(syntax.Edit{Span: syntax.Span{Start: kind, End: kind}, NewText: []byte("percpu")})
					name := end() - syntax.Pos(len(decl)+len("percpu")) + syntax.Pos(len("\nlet @")+len(m[1]))
					applyMap(syntax.Edit{Span: syntax.Span{Start: name, End: name}, NewText: []byte("_other")})
				}
				for i := 0; i < f.NumItems(); i++ {
					if _, ok := f.Item(i).(*syntax.MapDecl); ok {
						applyMap(syntax.Edit{Span: f.ItemSpan(i)})
						break
					}
				}
			}
			// A config block (0.20 on) typed at the top, its value changed,
			// a key the probes read added, the block removed.
			if v.AtLeast(syntax.V0_24) && !bytes.Contains(f.Src(), []byte("config")) {
				at := func(s string) syntax.Pos { return syntax.Pos(bytes.Index(f.Src(), []byte(s))) }
				apply(syntax.Edit{NewText: []byte("config = { max_strlen = 64 }\n")})
				configEdits++
				for _, e := range []syntax.Edit{
					{Span: syntax.Span{Start: at("64"), End: at("64") + 2}, NewText: []byte("128")},
					{Span: syntax.Span{Start: at(" }"), End: at(" }")}, NewText: []byte("; max_map_keys = 100")},
				} {
					configEdits++
					if s := apply(e); s.inc != nil && s.inc.byDecls {
						configByName++
					}
				}
				apply(syntax.Edit{Span: syntax.Span{Start: at(" }"), End: at(" }")}, NewText: []byte("; missing_probes = \"ignore\"")})
				apply(syntax.Edit{Span: f.ItemSpan(0)})
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
	if replayed+byName < edits/2 || byName < edits/4 {
		t.Errorf("of %d declaration edits, %d walked only the probes looking up a changed name and %d replayed the other walks; want a quarter and half of them", edits, byName, replayed+byName)
	}
	if mapByName < mapEdits/2 {
		t.Errorf("%d of %d map declaration edits walked only the probes using a changed map, want half", mapByName, mapEdits)
	}
	t.Logf("%d of %d map declaration edits walked only the probes using a changed map", mapByName, mapEdits)
	if configByName < configEdits/2 {
		t.Errorf("%d of %d edits of config values the probes do not read took the map path, want half", configByName, configEdits)
	}
	t.Logf("%d of %d edits of config values the probes do not read took the map path", configByName, configEdits)
	t.Logf("of %d declaration edits, %d walked only the probes looking up a changed name, %d replayed every other walk", edits, byName, replayed)
	if followed < byName/2 {
		t.Errorf("the symbol index followed %d of the %d edits that walked only the probes looking up a changed name, want half", followed, byName)
	}
	t.Logf("the symbol index followed %d of them", followed)
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

// TestWalkRecordsLookups requires that a probe's recorded walk notes the
// names it looked up among the declarations, found or not, and no other:
// a declaration edit walks again only the probes that noted its name.
func TestWalkRecordsLookups(t *testing.T) {
	t.Parallel()
	src := `macro twice(x) { x * 2 }
kprobe:tcp_sendmsg { @reads[comm] = count(); $n = twice(pid); printf("%d %s\n", $n, "str"); }
kprobe:tcp_recvmsg /uid == 0/ { @writes = sum(arg2); }
`
	cfg := Config{Dialect: syntax.NewestDialect(), Kernel: analysistest.NewTCPKernel()}
	f := syntax.Parse("look.bt", []byte(src), cfg.Dialect)
	s := Reanalyze(context.Background(), &Snapshot{Config: cfg}, f)
	if s.inc == nil {
		t.Fatal("no incremental state")
	}
	looked := func(i int) []string {
		pf := s.inc.items.at(i).facts
		if pf == nil {
			t.Fatalf("item %d has no recorded walk", i)
		}
		v := pf.dict.view()
		var out []string
		for _, id := range v.sets[pf.looked] {
			out = append(out, v.strs[id])
		}
		return out
	}
	for _, tc := range []struct {
		item int
		want []string
	}{
		// x is the macro's parameter: the macro's text, not a lookup.
		{1, []string{"comm", "count", "pid", "printf", "twice"}},
		{2, []string{"arg2", "sum", "uid"}},
	} {
		if got := looked(tc.item); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("item %d looked up %q, want %q", tc.item, got, tc.want)
		}
	}
	// Renaming the macro walks the probe calling it, not the other.
	name := f.Item(0).(*syntax.MacroDecl).Name
	g := syntax.Reparse(f, syntax.Edit{Span: syntax.Span{Start: name.End(), End: name.End()}, NewText: []byte("2")})
	next := Reanalyze(context.Background(), s, g)
	if next.inc == nil || !next.inc.byDecls {
		t.Fatal("renaming a macro did not take the path walking only the probes that looked it up")
	}
	if next.inc.items.at(1) == s.inc.items.at(1) || next.inc.items.at(2) != s.inc.items.at(2) {
		t.Error("want the probe calling the renamed macro walked again, and only it")
	}
	want := Analyze(context.Background(), syntax.Parse("look.bt", g.Src(), cfg.Dialect), cfg)
	if !reflect.DeepEqual(next.Diagnostics, want.Diagnostics) || len(want.Diagnostics) == 0 {
		t.Errorf("diagnostics after the rename:\n%s\nwant (not none):\n%s", fmtDiags(next.File, next.Diagnostics), fmtDiags(want.File, want.Diagnostics))
	}
}

// TestDeclarationEditSkipsAttachWarnings adds a macro to a script read
// against a kernel that has none of its probes' functions, so that every
// probe has a warning on its attach point, and requires that the edit
// reads none of them: such a diagnostic depends on the kernel only, where
// a body's may suggest a declared name.
func TestDeclarationEditSkipsAttachWarnings(t *testing.T) {
	src, _ := scaleScript(2000)
	cfg := Config{Dialect: syntax.NewestDialect(), Kernel: analysistest.NewTCPKernel()}
	f := syntax.Parse("scale.bt", src, cfg.Dialect)
	s := Reanalyze(context.Background(), &Snapshot{Config: cfg}, f)
	if n := len(s.inc.marked); n < f.NumItems()/2 {
		t.Fatalf("%d of %d items have diagnostics, want every probe", n, f.NumItems())
	}
	runtime.GC()
	g := syntax.Reparse(f, syntax.Edit{NewText: []byte("macro twice(x) { x * 2 }\n")})
	next := Reanalyze(context.Background(), s, g)
	if next.inc == nil || !next.inc.byDecls {
		t.Fatal("the new macro did not take the declaration path")
	}
	if held := g.ProbesInMemory(); held > 1 {
		t.Errorf("the edit read %d of %d probes, want at most 1", held, g.NumItems())
	}
	want := Analyze(context.Background(), syntax.Parse("scale.bt", g.Src(), cfg.Dialect), cfg)
	if !reflect.DeepEqual(next.Diagnostics, want.Diagnostics) {
		t.Errorf("diagnostics differ from a full analysis: %d, want %d", len(next.Diagnostics), len(want.Diagnostics))
	}
	runtime.KeepAlive(next)
}

// TestDeclarationsWithMapBodies edits declarations in a script whose
// macro and fn bodies use maps, which the full pass records after every
// probe's walk: a macro using a map is added, called, edited, renamed and
// removed, and a fn writing a map added. After each edit it requires a
// full analysis' diagnostics and symbols, and that most edits took the
// path that walks only the probes looking up a changed name.
func TestDeclarationsWithMapBodies(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	cfg := Config{Dialect: syntax.NewestDialect(), Kernel: analysistest.NewTCPKernel()}
	src := append(declScript(24), "macro tally(x) { @tally[x] = count(); x }\nkprobe:tcp_sendmsg { $t = tally(1); @sent = $t; }\n"...)
	f := syntax.Parse("bodies.bt", src, cfg.Dialect)
	prev := Reanalyze(ctx, &Snapshot{Config: cfg}, f)
	end := func() syntax.Pos { return syntax.Pos(f.Len()) }
	at := func(s string) syntax.Pos {
		k := bytes.LastIndex(f.Src(), []byte(s))
		if k < 0 {
			t.Fatalf("no %q", s)
		}
		return syntax.Pos(k)
	}
	edits, byName := 0, 0
	for _, e := range []func() syntax.Edit{
		func() syntax.Edit { // a macro using a map, which nothing calls yet
			return syntax.Edit{Span: syntax.Span{Start: end(), End: end()}, NewText: []byte("macro bump(x) { @bumps[x] = count(); x }\n")}
		},
		func() syntax.Edit { // its body now uses the map the other macro uses, before any probe calls it
			k := at("@bumps[x] = count()")
			return syntax.Edit{Span: syntax.Span{Start: k, End: k + syntax.Pos(len("@bumps"))}, NewText: []byte("@tally")}
		},
		func() syntax.Edit { // a probe calling it
			return syntax.Edit{Span: syntax.Span{Start: end(), End: end()}, NewText: []byte("kprobe:tcp_recvmsg { $b = bump(2); @got = $b; }\n")}
		},
		func() syntax.Edit { // renamed: the call is unknown
			k := at("bump(x)")
			return syntax.Edit{Span: syntax.Span{Start: k + 4, End: k + 4}, NewText: []byte("ed")}
		},
		func() syntax.Edit { // a fn writing a map
			return syntax.Edit{Span: syntax.Span{Start: end(), End: end()}, NewText: []byte("fn note($v: int64): int64 { @notes = $v; return $v; }\n")}
		},
		func() syntax.Edit { // the other macro's body edited
			k := at("@tally[x] = count()")
			return syntax.Edit{Span: syntax.Span{Start: k, End: k + syntax.Pos(len("@tally[x] = count()"))}, NewText: []byte("@tally[x] = sum(x)")}
		},
		func() syntax.Edit { // the macro using a map removed
			k := at("macro bumped")
			return syntax.Edit{Span: syntax.Span{Start: k, End: k + syntax.Pos(bytes.IndexByte(f.Src()[k:], '\n')+1)}}
		},
	} {
		ed := e()
		f = syntax.Reparse(f, ed)
		got := Reanalyze(ctx, prev, f)
		want := Analyze(ctx, syntax.Parse("bodies.bt", f.Src(), cfg.Dialect), cfg)
		edits++
		if got.inc != nil && got.inc.byDecls {
			byName++
		}
		requireSameAnalysis(t, got, want, fmt.Sprintf("edit %+v %q", ed.Span, ed.NewText))
		// The maps completion offers: a map only a body's old text used is gone.
		full := Reanalyze(ctx, &Snapshot{Config: cfg}, syntax.Parse("bodies.bt", f.Src(), cfg.Dialect))
		gm, _ := got.MapNames()
		wm, _ := full.MapNames()
		slices.Sort(gm)
		slices.Sort(wm)
		if !slices.Equal(gm, wm) {
			t.Fatalf("edit %+v %q: maps %q, want %q", ed.Span, ed.NewText, gm, wm)
		}
		prev = got
	}
	if byName < edits-2 {
		t.Errorf("%d of %d edits walked only the probes looking up a changed name, want all but two", byName, edits)
	}
	t.Logf("%d of %d edits walked only the probes looking up a changed name", byName, edits)
}

// requireSameAnalysis fails the test unless an incremental analysis has a
// full analysis' diagnostics and symbols; what names the edit.
func requireSameAnalysis(t *testing.T, got, want *Snapshot, what string) {
	t.Helper()
	requireIncIndexes(t, got, what)
	if !reflect.DeepEqual(got.Diagnostics, want.Diagnostics) {
		t.Fatalf("%s: diagnostics differ from a full analysis:\n--- got\n%s--- want\n%s\n--- source\n%s",
			what, fmtDiags(got.File, got.Diagnostics), fmtDiags(want.File, want.Diagnostics), got.File.Src())
	}
	if !reflect.DeepEqual(got.Symbols(), want.Symbols()) {
		t.Fatalf("%s: symbols differ from a full analysis:\n--- got\n%s--- want\n%s",
			what, fmtSymbols(got.Symbols()), fmtSymbols(want.Symbols()))
	}
}

// TestProbeReplacedByDeclaration replaces a probe by a macro in place, so
// that the file keeps its number of items and the declaration path
// re-reads the region: the probe's maps must leave the index of map users
// (BPFLS_INCREMENTAL_STEPS=300 found it stale in the random keystrokes).
func TestProbeReplacedByDeclaration(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	cfg := Config{Dialect: syntax.NewestDialect(), Kernel: analysistest.NewTCPKernel()}
	src := "macro m(x) { x }\nkprobe:tcp_sendmsg { @sent = count(); }\nkprobe:tcp_recvmsg { @recv = count(); }\n"
	f := syntax.Parse("swap.bt", []byte(src), cfg.Dialect)
	prev := Reanalyze(ctx, &Snapshot{Config: cfg}, f)
	from := strings.Index(src, "kprobe:tcp_sendmsg")
	to := strings.Index(src, "\nkprobe:tcp_recvmsg")
	g := syntax.Reparse(f, syntax.Edit{Span: syntax.Span{Start: syntax.Pos(from), End: syntax.Pos(to)}, NewText: []byte("macro n(y) { y }")})
	if g.NumItems() != f.NumItems() {
		t.Fatalf("the edit made %d items of %d", g.NumItems(), f.NumItems())
	}
	got := Reanalyze(ctx, prev, g)
	if got.inc == nil || !got.inc.byDecls {
		t.Fatal("the edit did not take the declaration path")
	}
	requireIncIndexes(t, got, "a probe replaced by a macro")
	if got.inc.mapIdx == nil {
		t.Fatal("no index of map users to check")
	}
	want := Analyze(ctx, syntax.Parse("swap.bt", g.Src(), cfg.Dialect), cfg)
	if !reflect.DeepEqual(got.Diagnostics, want.Diagnostics) {
		t.Errorf("diagnostics differ from a full analysis:\n got %v\nwant %v", got.Diagnostics, want.Diagnostics)
	}
}

// TestConfigEditsProbesRead changes the config keys that reach probes:
// missing_probes between error and warn walks and checks again only the
// probes with diagnostics (those of missing attach points change), and
// unstable_macro, which only the macro declarations read under 0.24,
// none; turning missing_probes' ignore on or off takes the full pass (a
// probe whose missing attach point it hid has no diagnostic to be found
// by). Each result must be a full analysis's.
func TestConfigEditsProbesRead(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	for _, v := range []syntax.Version{syntax.V0_24, syntax.V0_26} {
		cfg := Config{Dialect: syntax.Dialect{Version: v}, Kernel: analysistest.NewTCPKernel()}
		src := "config = {\n  missing_probes = warn;\n  unstable_macro = enable\n}\nmacro m(x) { x + 1 }\n" +
			"fentry:nosuch_a { @a = count(); }\nkprobe:tcp_sendmsg { @b = m(1); }\nkprobe:nosuch_b { print($undefined); }\n"
		f := syntax.Parse("config.bt", []byte(src), cfg.Dialect)
		prev := Reanalyze(ctx, &Snapshot{Config: cfg}, f)
		for k, e := range []struct {
			find, with string
			path       bool
		}{
			{"missing_probes = warn", "missing_probes = error", true},
			{"missing_probes = error", "missing_probes = warn", true},
			{"unstable_macro = enable", "unstable_macro = warn", true},
			{"unstable_macro = warn", "unstable_macro = enable", true},
			{"missing_probes = warn", "missing_probes = ignore", false},
			{"missing_probes = ignore", "missing_probes = warn", false},
		} {
			i := strings.Index(string(f.Src()), e.find)
			f = syntax.Reparse(f, syntax.Edit{Span: syntax.Span{Start: syntax.Pos(i), End: syntax.Pos(i + len(e.find))}, NewText: []byte(e.with)})
			got := Reanalyze(ctx, prev, f)
			want := Analyze(ctx, syntax.Parse("config.bt", f.Src(), cfg.Dialect), cfg)
			if !reflect.DeepEqual(got.Diagnostics, want.Diagnostics) {
				t.Fatalf("%s, edit %d (%q): diagnostics differ from a full analysis:\n--- got\n%s--- want\n%s", v, k, e.with, fmtDiags(got.File, got.Diagnostics), fmtDiags(want.File, want.Diagnostics))
			}
			if byDecls := got.inc != nil && got.inc.byDecls; byDecls != e.path {
				t.Errorf("%s, edit %d (%q): took the declaration path: %v, want %v", v, k, e.with, byDecls, e.path)
			}
			prev = got
		}
	}
}
