package analysis

// This file implements the path of Reanalyze for an edit of declarations:
// a macro or fn added, removed, renamed or edited, a map declaration, the
// config block, the C part (incremental_cpart.go). A probe's recorded walk
// depends on the declarations only through the names it looked up
// (fileEnv.lookup), so only the probes that looked up a changed name, and
// those with diagnostics of their bodies (which may suggest declared
// names), are walked and checked again. That goes through the map path
// (incremental_maps.go), which replays only the walks touching the maps
// those probes see or use otherwise, the maps whose declarations changed,
// and the maps the macro and fn bodies use (checked after every probe, as
// the full pass does). Where that path gives up, every other walk is
// replayed, as the medium path does (incremental_medium.go).

import (
	"bytes"
	"context"
	"slices"
	"strings"

	"github.com/bpfls/bpfls/analysis/syntax"
)

// reanalyzeDecls is that path; nil when it does not apply: an item of the
// region, before or after the edit, that is not a probe, a macro, a fn, a
// map declaration, a config block or an item the parser could not read.
func reanalyzeDecls(ctx context.Context, prev *Snapshot, f *syntax.File, pi *incState, rg region) *Snapshot {
	dc, ok := regionDeclNames(prev, f, pi, rg)
	if !ok {
		return nil
	}
	if s := reanalyzeDeclUsers(ctx, prev, f, pi, rg, dc); s != nil {
		return s
	}
	if len(dc.maps) > 0 || dc.config || dc.cpart {
		return nil // the replaying path does not see a map declaration, config or C part change
	}
	stale := func(i int, rec *itemRec) bool {
		return bodyDiags(rec) || rec.facts == nil || rec.facts.looksUpAny(dc.names)
	}
	return reanalyzeMedium(ctx, prev, f, pi, rg, dc.nuser, dc.decls, nil, stale)
}

// reanalyzeBodies is reanalyzeDecls for an edit inside declarations'
// bodies (regionItems' dirty), without its fallback: nil when the path
// walking only the probes that looked up their names does not apply.
func reanalyzeBodies(ctx context.Context, prev *Snapshot, f *syntax.File, pi *incState, rg region) *Snapshot {
	dc, ok := regionDeclNames(prev, f, pi, rg)
	if !ok {
		return nil
	}
	return reanalyzeDeclUsers(ctx, prev, f, pi, rg, dc)
}

// declNames is what the declarations of a region are, before and after
// an edit.
type declNames struct {
	names map[string]bool // the macros and fns, and the macros naming one of them
	maps  map[string]bool // the declared maps, with '@'
	// config is set when the region holds a config block: the probes see
	// only two of its keys, which must keep their values.
	config bool
	cpart  bool  // the region holds C definitions (incremental_cpart.go)
	decls  []int // the indexes of the items that are not probes, after the edit
	nuser  int   // how many probes attach to user space, after the edit
}

// regionDeclNames finds the names the region's declarations had before
// and have after the edit; false when an item is not a probe, a macro, a
// fn, a map declaration or a bad item, or when the edit changed what
// every probe depends on (the target, whether a probe attaches to user
// space).
func regionDeclNames(prev *Snapshot, f *syntax.File, pi *incState, rg region) (declNames, bool) {
	pf := prev.File
	dc := declNames{names: map[string]bool{}, maps: map[string]bool{}, nuser: pi.nuser}
	for i := rg.lo; i < rg.hiOld; i++ {
		if !dc.add(pf, i) {
			return dc, false
		}
		if r := pi.items.at(i); r.user {
			dc.nuser--
		}
	}
	for i := rg.lo; i < rg.hiNew; i++ {
		if !dc.add(f, i) {
			return dc, false
		}
		if p, ok := f.Item(i).(*syntax.Probe); ok && attachesToUser(p) {
			dc.nuser++
		}
	}
	if len(dc.names)+len(dc.maps) == 0 && !dc.config && !dc.cpart || (dc.nuser > 0) != (pi.nuser > 0) || targetHash(f, prev.Config) != pi.target {
		return dc, false
	}
	dc.decls = regionDecls(f, pi.declIdx, rg)
	// A macro whose body names a changed name expands differently too.
	for grown := true; grown; {
		grown = false
		for _, i := range dc.decls {
			if m, ok := f.Item(i).(*syntax.MacroDecl); ok && m.Name != nil && !dc.names[m.Name.Name] && namesAnyIdent(f.Slice(m.Pos(), m.End()), dc.names) {
				dc.names[m.Name.Name] = true
				grown = true
			}
		}
	}
	return dc, true
}

// add notes the name of item i of x when it is a declaration, and reports
// whether the item is a probe, a macro, a fn, a map declaration, a config
// block or an item the parser could not read.
func (dc *declNames) add(x *syntax.File, i int) bool {
	if x.IsProbe(i) {
		return true
	}
	switch d := x.Item(i).(type) {
	case *syntax.MacroDecl:
		if d.Name != nil {
			dc.names[d.Name.Name] = true
		}
	case *syntax.FuncDecl:
		if d.Name != nil {
			dc.names[d.Name.Name] = true
		}
	case *syntax.MapDecl:
		if d.Map != nil {
			dc.maps["@"+d.Map.Name] = true
		}
	case *syntax.ConfigBlock:
		dc.config = true
	case *syntax.Preamble:
		dc.cpart = true
	case *syntax.BadItem:
	default:
		return false
	}
	return true
}

// regionDecls returns the indexes of the items of f that are not probes:
// those of decls (the old File's) outside the region, moved, and the
// region's.
func regionDecls(f *syntax.File, decls []int, rg region) []int {
	out := make([]int, 0, len(decls)+rg.hiNew-rg.lo)
	k := 0
	for ; k < len(decls) && decls[k] < rg.lo; k++ {
		out = append(out, decls[k])
	}
	for i := rg.lo; i < rg.hiNew; i++ {
		if !f.IsProbe(i) {
			out = append(out, i)
		}
	}
	for ; k < len(decls); k++ {
		if decls[k] >= rg.hiOld {
			out = append(out, rg.newIndex(decls[k]))
		}
	}
	return out
}

// reanalyzeDeclUsers walks and checks again only the probes that looked
// up one of names or have diagnostics of their bodies, through the map
// path; nil when that does not apply.
func reanalyzeDeclUsers(ctx context.Context, prev *Snapshot, f *syntax.File, pi *incState, rg region, dc declNames) *Snapshot {
	decls, nuser := dc.decls, dc.nuser
	r := &Reporter{}
	user := nuser > 0
	e := newDeclEnvAt(ctx, r, f, prev.Config, len(pi.maps), &user, decls)
	if ctx.Err() != nil || factsKeyOf(e) != pi.factsKey {
		return nil
	}
	attach := false // the probes' missing attach points are reported otherwise
	if dc.config {
		var ok bool
		if attach, ok = probeConfigChange(pi.decls, e); !ok {
			return nil
		}
	}
	var retyped map[string]bool
	if dc.cpart {
		names, ok := cPartChanges(pi.decls, e)
		if !ok {
			return nil
		}
		for n := range names {
			dc.names[n] = true
		}
		retyped = retypedMaps(pi.maps, names)
	}
	// The maps the macro and fn bodies use, which the full pass records
	// after every probe's walk, are checked again: found on a table of
	// their own, with those the region's old declarations named.
	bodies := *e
	bodies.maps, bodies.syms = newMapTable(), newSymbolSink()
	checkBodies(&bodies, &Reporter{})
	bodyMaps := map[string]bool{}
	for _, m := range bodies.maps.order {
		bodyMaps[m.name] = true
	}
	bodiesUse := len(bodyMaps) > 0 // the region's old declarations' maps, added below, are only checked again
	for i := rg.lo; i < rg.hiOld; i++ {
		if !prev.File.IsProbe(i) {
			for _, name := range probeMaps(prev.File, prev.File.ItemSpan(i)) {
				bodyMaps[name] = true
			}
		}
	}
	rec := &Reporter{}
	bodies.checkMacroRecursion(rec)
	if ctx.Err() != nil {
		return nil
	}
	forced := declUsers(pi, rg, dc.names)
	if attach {
		for _, i := range pi.marked {
			if j := rg.newIndex(i); j >= 0 && pi.items.at(i).probe && !bodyDiags(pi.items.at(i)) {
				forced[j] = true // its diagnostics are its attach points'
			}
		}
	}
	olds := pi.items.slice(rg.lo, rg.hiOld)
	fresh := make([]*syntax.Probe, rg.hiNew-rg.lo)
	for i := rg.lo; i < rg.hiNew; i++ {
		if p, ok := f.Item(i).(*syntax.Probe); ok {
			fresh[i-rg.lo] = p
		}
	}
	de := &declChange{forced: forced, maps: dc.maps, retyped: retyped, bodyMaps: bodyMaps, declDiags: r.Diags, recursion: rec.Diags, declIdx: decls}
	if !bodiesUse && len(retyped) == 0 && !bodiesReadMaps(e) { // the bodies' symbols do not depend on the maps
		de.syms = &declSymbols{decls: clonedSymbols(e.syms.idx.flat), bodies: bodies.syms.idx.flat} // the walks add to e's
	}
	s := reanalyzeMaps(ctx, prev, f, pi, rg, olds, fresh, nil, nuser, e, de)
	if s != nil {
		s.inc.decls = sharedDecls(e)
	}
	return s
}

// checkBodies checks the macro and fn bodies of e's declarations, as the
// full pass does after the probes' walks.
func checkBodies(e *fileEnv, r *Reporter) {
	for _, i := range e.declIdx {
		if d, ok := e.file.Item(i).(*syntax.MacroDecl); ok && e.macroInfo(d) != nil {
			e.checkMacroBody(r, e.macroInfo(d))
		}
	}
	for _, i := range e.declIdx {
		if d, ok := e.file.Item(i).(*syntax.FuncDecl); ok && e.fn(nameOf(d.Name)) == d {
			e.checkFnBody(r, d)
		}
	}
}

// bodyDiags reports whether a record has diagnostics other than its
// attach points': those depend on the kernel and the target only, and a
// script read against another kernel than its own has one on every probe.
func bodyDiags(rec *itemRec) bool {
	for _, d := range rec.diags() {
		if !strings.HasPrefix(d.Code, "probe/") {
			return true
		}
	}
	return false
}

// probeConfigChange compares the config key a probe's check reads,
// missing_probes (what a missing attach point is; unstable_macro is read
// by the macro declarations alone, which the path checks again). It
// reports whether the probes with attach-point diagnostics must be
// checked again, and false when the path cannot follow: without the old
// declarations, or when missing_probes turns "ignore" on or off (a probe
// whose missing attach point it hid has no diagnostic to be found by).
func probeConfigChange(old, e *fileEnv) (recheck, ok bool) {
	if old == nil {
		return false, false
	}
	a, b := old.config["missing_probes"], e.config["missing_probes"]
	if a == b {
		return false, true
	}
	return true, a != "ignore" && b != "ignore"
}

// declUsers finds the probes outside the region that looked up one of
// names or have diagnostics of their bodies, by their index after the
// edit. It reads no item, and only the records of the chunks whose walks
// looked up such a name (recList.lookedUp): a walk's names are one set of
// a dictionary most walks share, looked at once.
func declUsers(pi *incState, rg region, names map[string]bool) map[int]bool {
	out := map[int]bool{}
	for _, i := range pi.marked {
		if j := rg.newIndex(i); j >= 0 && pi.items.at(i).probe && bodyDiags(pi.items.at(i)) {
			out[j] = true
		}
	}
	seen := map[dictSet]bool{} // whether a set holds one of names
	hit := func(ds dictSet) bool {
		found, ok := seen[ds]
		if !ok {
			v := ds.dict.view()
			for _, id := range v.sets[ds.set] {
				found = found || names[v.strs[id]]
			}
			seen[ds] = found
		}
		return found
	}
	items := pi.items
	for k, c := range items.chunks {
		if !slices.ContainsFunc(items.lookedUp(k), hit) {
			continue
		}
		start := 0
		if k > 0 {
			start = items.ends[k-1]
		}
		for j, rec := range c {
			i := start + j
			if pf := rec.facts; pf != nil && pf.looked != 0 && (i < rg.lo || i >= rg.hiOld) && hit(dictSet{pf.dict, pf.looked}) {
				out[rg.newIndex(i)] = true
			}
		}
	}
	return out
}

// namesAnyIdent reports whether text holds one of names as a whole
// identifier, wherever it stands (a comment or a string too: the answer
// may be yes where no call is, never no where one is).
func namesAnyIdent(text []byte, names map[string]bool) bool {
	for name := range names {
		if name == "" {
			continue
		}
		for rest, at := text, 0; ; {
			k := bytes.Index(rest, []byte(name))
			if k < 0 {
				break
			}
			start, end := at+k, at+k+len(name)
			if (start == 0 || !isIdentByte(text[start-1])) && (end == len(text) || !isIdentByte(text[end])) {
				return true
			}
			rest, at = text[end:], end
		}
	}
	return false
}
