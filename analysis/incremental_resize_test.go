package analysis

import (
	"context"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/bpfls/bpfls/analysis/internal/analysistest"
	"github.com/bpfls/bpfls/analysis/syntax"
)

// TestProbesAddedOrRemoved removes probes from every script of the
// incremental corpus, pastes copies of them, and splits them in two, and
// requires after each edit the diagnostics and symbols of a full
// analysis. Most of these edits change the number of items but no
// declaration, so they take the map path, which re-checks the probes of
// the maps the edit touched and moves every later item's records by the
// change in count.
func TestProbesAddedOrRemoved(t *testing.T) {
	t.Parallel()
	var n resizeCounts
	for name, src := range incrementalScripts(t) {
		for _, v := range []syntax.Version{syntax.V0_17, syntax.V0_26} {
			resizeEdits(t, name, src, syntax.Dialect{Version: v}, &n)
		}
	}
	if n.edits == 0 || n.byMaps < n.edits/3 {
		t.Errorf("%d of %d edits took the map path, want at least a third", n.byMaps, n.edits)
	}
	if n.followed < n.byMaps/2 {
		t.Errorf("the symbol index followed %d of the %d edits that took the map path, want at least half", n.followed, n.byMaps)
	}
	t.Logf("%d of %d edits took the map path, the symbol index following %d", n.byMaps, n.edits, n.followed)
}

// resizeCounts counts TestProbesAddedOrRemoved's edits, those that took
// the map path, and those the compact symbol index followed.
type resizeCounts struct{ edits, byMaps, byDecls, followed int }

// eachResizeEdit makes TestProbesAddedOrRemoved's edits to the first six
// probes of src under dialect d: the probe goes, comes back, a copy of it
// is pasted after it and goes again, it is split in two and joined again.
// It re-analyses incrementally after each, the first version's symbol
// index read so that the next can follow it, and calls check with the
// probe's index, the edit and the versions before and after it.
func eachResizeEdit(src []byte, d syntax.Dialect, check func(i int, e syntax.Edit, prev, got *Snapshot)) {
	ctx := context.Background()
	cfg := Config{Dialect: d, Kernel: analysistest.NewTCPKernel()}
	f := syntax.Parse("edit.bt", src, cfg.Dialect)
	prev := Reanalyze(ctx, &Snapshot{Config: cfg}, f)
	prev.Symbols()
	done := 0
	for i := 0; i < f.NumItems() && done < 6; i++ {
		if !f.IsProbe(i) {
			continue
		}
		done++
		ext := f.ItemExtent(i)
		text := append([]byte(nil), f.Slice(ext.Start, ext.End)...)
		span := f.ItemSpan(i)
		mid := span.Start + (span.End-span.Start)/2
		const split = "}\nkprobe:vfs_read {"
		for _, e := range []syntax.Edit{
			{Span: ext}, // the probe goes
			{Span: syntax.Span{Start: ext.Start, End: ext.Start}, NewText: text},      // it comes back
			{Span: syntax.Span{Start: ext.End, End: ext.End}, NewText: text},          // a copy after it
			{Span: syntax.Span{Start: ext.End, End: ext.End + syntax.Pos(len(text))}}, // the copy goes
			{Span: syntax.Span{Start: mid, End: mid}, NewText: []byte(split)},         // split in two
			{Span: syntax.Span{Start: mid, End: mid + syntax.Pos(len(split))}},        // joined again
		} {
			f = syntax.Reparse(f, e)
			got := Reanalyze(ctx, prev, f)
			check(i, e, prev, got)
			prev = got
		}
	}
}

// resizeEdits makes eachResizeEdit's edits to src under dialect d,
// counting them in n, and requires after each the diagnostics and
// symbols of a full analysis.
func resizeEdits(t *testing.T, name string, src []byte, d syntax.Dialect, n *resizeCounts) {
	eachResizeEdit(src, d, func(i int, e syntax.Edit, _, got *Snapshot) {
		f := got.File
		want := Analyze(context.Background(), syntax.Parse("edit.bt", f.Src(), got.Config.Dialect), got.Config)
		n.edits++
		requireIncIndexes(t, got, fmt.Sprintf("%s, %s, item %d, edit %+v %q", name, d.Version, i, e.Span, e.NewText))
		if got.inc != nil && got.inc.byDecls {
			n.byDecls++
		}
		if got.inc != nil && got.inc.byMaps {
			n.byMaps++
			if followedIndex(t, got) {
				n.followed++
			}
		}
		if !reflect.DeepEqual(got.Diagnostics, want.Diagnostics) {
			t.Fatalf("%s, %s, item %d, edit %+v %q: diagnostics differ from a full analysis:\n--- got\n%s--- want\n%s\n--- source\n%s",
				name, d.Version, i, e.Span, e.NewText, fmtDiags(got.File, got.Diagnostics), fmtDiags(want.File, want.Diagnostics), f.Src())
		}
		if !reflect.DeepEqual(got.Symbols(), want.Symbols()) {
			t.Fatalf("%s, %s, item %d, edit %+v %q: symbols differ from a full analysis:\n--- got\n%s--- want\n%s",
				name, d.Version, i, e.Span, e.NewText, fmtSymbols(got.Symbols()), fmtSymbols(want.Symbols()))
		}
	})
}

// TestProbesAddedOrRemovedWithFns makes TestProbesAddedOrRemoved's edits
// in scripts with fns: a fn whose body names no map leaves the map path
// open to them (it took the path replaying every walk before); with one
// naming a map, itself or through a macro, they take the declaration path,
// which checks the bodies again after the probes (reanalyzeMaps hands them
// over), where they replayed every walk before.
func TestProbesAddedOrRemovedWithFns(t *testing.T) {
	t.Parallel()
	probes := "kprobe:vfs_read { @reads[comm] = count(); $n = twice(2); }\n" +
		"kprobe:vfs_write /pid > 1/ { @writes = sum(arg2); @reads[comm] = count(); }\n" +
		"tracepoint:syscalls:sys_enter_openat { @opens[str(args.filename)] = count(); }\n" +
		"kprobe:tcp_sendmsg { @bytes = hist(arg2); printf(\"%d\\n\", twice(3)); }\n" +
		"kretprobe:vfs_read { @ret = stats(retval); }\n" +
		"kprobe:vfs_open { @opens[\"x\"] = count(); }\n"
	scripts := map[string]string{
		"no map": "fn twice($x: int64): int64 { return $x * 2; }\n" + probes,
		"a map":  "fn twice($x: int64): int64 { @seen = count(); return $x * 2; }\n" + probes,
		"macro":  "macro bump() { @seen = count() }\nfn twice($x: int64): int64 { bump(); return $x * 2; }\n" + probes,
	}
	for name, src := range scripts {
		var n resizeCounts
		resizeEdits(t, name, []byte(src), syntax.Dialect{Version: syntax.V0_26}, &n)
		t.Logf("%s: %d edits, %d by the map path, %d by the declaration path, %d followed", name, n.edits, n.byMaps, n.byDecls, n.followed)
		if name == "no map" && n.byMaps < n.edits/2 {
			t.Errorf("%s: %d of %d edits took the map path", name, n.byMaps, n.edits)
		}
		if name != "no map" && n.byMaps > 0 {
			t.Errorf("%s: %d edits took the map path, which does not follow a fn body's map uses", name, n.byMaps)
		}
		if name != "no map" && n.byDecls < n.edits/2 {
			t.Errorf("%s: %d of %d edits took the declaration path", name, n.byDecls, n.edits)
		}
	}
}

// TestFnBodyNamingMapEdits edits a fn body that names maps, which the
// full pass checks after every probe's walk: typing in it, renaming its
// map to one the probes use and back, adding a use of another. Each edit
// must match a full analysis and take the declaration path, which checks
// the bodies again after the probes.
func TestFnBodyNamingMapEdits(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	cfg := Config{Dialect: syntax.Dialect{Version: syntax.V0_26}, Kernel: analysistest.NewTCPKernel()}
	src := "fn twice($x: int64): int64 { @seen = count(); return $x * 2; }\n" +
		"kprobe:vfs_read { @reads[comm] = count(); $n = twice(2); }\n" +
		"kprobe:vfs_write { @writes = sum(arg2); }\n"
	f := syntax.Parse("fnmap.bt", []byte(src), cfg.Dialect)
	prev := Reanalyze(ctx, &Snapshot{Config: cfg}, f)
	byDecls := 0
	for k, e := range []struct{ find, with string }{
		{"@seen = count();", "@seen = count(); "},
		{"@seen = count(); ", "@seen = count();"},
		{"@seen", "@writes"}, // another type than the probe's sum
		{"@writes = count()", "@seen = count()"},
		{"return $x", "@reads[\"x\"] = count(); return $x"},
		{"@reads[\"x\"] = count(); ", ""},
	} {
		i := strings.Index(string(f.Src()), e.find)
		if i < 0 {
			t.Fatalf("edit %d: no %q in\n%s", k, e.find, f.Src())
		}
		f = syntax.Reparse(f, syntax.Edit{Span: syntax.Span{Start: syntax.Pos(i), End: syntax.Pos(i + len(e.find))}, NewText: []byte(e.with)})
		got := Reanalyze(ctx, prev, f)
		want := Analyze(ctx, syntax.Parse("fnmap.bt", f.Src(), cfg.Dialect), cfg)
		if !reflect.DeepEqual(got.Diagnostics, want.Diagnostics) {
			t.Fatalf("edit %d: diagnostics differ from a full analysis:\n--- got\n%s--- want\n%s\n--- source\n%s", k, fmtDiags(got.File, got.Diagnostics), fmtDiags(want.File, want.Diagnostics), f.Src())
		}
		if !reflect.DeepEqual(got.Symbols(), want.Symbols()) {
			t.Fatalf("edit %d: symbols differ from a full analysis:\n--- got\n%s--- want\n%s", k, fmtSymbols(got.Symbols()), fmtSymbols(want.Symbols()))
		}
		if got.inc != nil && got.inc.byDecls {
			byDecls++
		}
		prev = got
	}
	if byDecls < 5 {
		t.Errorf("%d of 6 edits took the declaration path", byDecls)
	}
}
