package analysis

// This file implements the path of Reanalyze for an edit inside a macro's
// body (name and parameters unchanged): only the probes that expand the
// macro can see anything new. They are found in an index from macro name
// to items kept in the incremental state, walked again against the new
// declaration and checked again; every other item keeps its record, and
// the file-level diagnostics are the previous ones with their positions
// moved. The path gives up, for the one that replays every probe, when a
// walk walked again records the maps otherwise, the new body has
// diagnostics of its own, or another declaration's text names the macro.

import (
	"bytes"
	"context"
	"maps"
	"slices"

	"github.com/bpfls/bpfls/analysis/syntax"
)

// maxMacroProbes is the most expanding probes the path walks again; more
// take the path that replays every probe.
const maxMacroProbes = 64

// reanalyzeMacro is that path; nil when it does not apply. The region is
// the one macro whose body the edit changed, named in dirty.
func reanalyzeMacro(ctx context.Context, prev *Snapshot, f *syntax.File, pi *incState, rg region, nuser int, dirty map[string]bool) *Snapshot {
	if len(dirty) != 1 || rg.hiOld-rg.lo != 1 || rg.hiNew != rg.hiOld || pi.decls == nil || (nuser > 0) != pi.decls.userProbes {
		return nil
	}
	d, ok := f.Item(rg.lo).(*syntax.MacroDecl)
	if !ok || d.Name == nil || !dirty[d.Name.Name] {
		return nil
	}
	name := d.Name.Name
	od, ok := prev.File.Item(rg.lo).(*syntax.MacroDecl)
	if !ok || hasMapParam(od) || hasMapParam(d) {
		// The body's uses of a map parameter are the callers' maps' uses,
		// recorded outside the probes: their walks are not kept.
		return nil
	}
	// Another macro or fn expanding this one would check its body anew;
	// the text is enough to rule that out (any declaration naming it is
	// taken for one, as reading the items would cost each a shift).
	for _, i := range pi.declIdx {
		if sp := f.ItemSpan(i); i != rg.lo && bytes.Contains(f.Slice(sp.Start, sp.End), []byte(name)) {
			return nil
		}
	}
	// The declarations with the new overload in place of the old one.
	shared := *pi.decls
	shared.macros = maps.Clone(pi.decls.macros)
	infos := slices.Clone(shared.macros[name])
	k := slices.IndexFunc(infos, func(m *macroInfo) bool { return m.decl == od })
	if k < 0 || infos[k].sym == nil {
		return nil
	}
	sym := *infos[k].sym
	sym.Refs = nil
	infos[k] = &macroInfo{decl: d, sym: &sym}
	shared.macros[name] = infos
	e := shared
	e.file, e.declIdx, e.maps, e.syms = f, pi.declIdx, newMapTable(), newSymbolSink()
	if factsKeyOf(&e) != pi.factsKey {
		return nil
	}
	// The new body on its own: a diagnostic there, or a change in the
	// macros it calls (the recursion check), takes the other path.
	r := &Reporter{}
	e.checkMacroBody(r, infos[k])
	if len(r.Diags) > 0 || ctx.Err() != nil || !slices.Equal(macroCallNames(&e, od.Body), macroCallNames(&e, d.Body)) {
		return nil
	}
	idx := pi.macroIdx
	if idx == nil {
		idx = buildMacroIndex(pi.items)
	}
	if idx[name].len() > maxMacroProbes {
		return nil
	}
	users := idx[name].slice()
	// Walk the expanding probes again, each seeing the maps as its old
	// walk saw them; every walk must record what the old one did.
	recs := make([]*itemRec, len(users))
	e.cache = newEnvCache("", nil)
	olds := make([]*itemRec, len(users))
	for j, i := range users {
		olds[j] = pi.items.at(int(i))
	}
	e.cache.adoptDict(olds)
	for j, i := range users {
		p, isProbe := f.Item(int(i)).(*syntax.Probe)
		old := olds[j]
		if !isProbe || old.facts == nil {
			return nil
		}
		e.maps = newMapTable()
		for _, rd := range old.facts.mapReads() {
			setMapState(e.maps, rd.name, rd.state)
		}
		pf := e.collectProbe(p, nil)
		if pf == nil || !sameWalk(old.facts, pf) || !slices.Equal(macroRefNames(old.facts), macroRefNames(pf)) {
			return nil
		}
		recs[j] = &itemRec{id: old.id, probe: true, user: old.user, facts: pf}
		recs[j].setSpecial(old.special())
	}
	envDiags, ok := rg.remap(pi.envDiags, nil, nil)
	if !ok {
		return nil
	}
	// The probe pass over them, against every map's final state.
	e.maps, e.cache = mapsFrom(pi.maps), nil
	pp := &probePass{ctx: ctx, cfg: e.cfg, src: f.Text(), file: f, body: envBody(&e),
		missingProbes: e.config["missing_probes"]} // as checkConfig read it
	at := []int{rg.lo}
	for _, i := range users {
		at = append(at, int(i))
	}
	for j, i := range users {
		p := f.Item(int(i)).(*syntax.Probe)
		if len(p.AttachPoints) > 0 && p.Body != nil {
			diags := pp.checkProbe(p)
			if ctx.Err() != nil || !within(diags, syntax.Span{Start: p.Pos(), End: p.End()}) {
				return nil
			}
			recs[j].setDiags(shiftAll(diags, p.Pos(), true))
		}
	}
	items := pi.items.setAt(at, append([]*itemRec{{id: f.ItemID(rg.lo)}}, recs...))
	marked := make([]int, 0, len(pi.marked)+len(users))
	for _, i := range pi.marked {
		if !slices.Contains(users, int32(i)) && i != rg.lo {
			marked = append(marked, i)
		}
	}
	for _, i := range users {
		if items.at(int(i)).marked() {
			marked = append(marked, int(i))
		}
	}
	slices.Sort(marked)
	s := incrementalSnapshot(f, prev.Config, envDiags, items, marked)
	s.probes, s.env = prev.probes, prev.env
	changes := make([]itemChange, len(users))
	for j, i := range users {
		changes[j] = itemChange{item: i, before: olds[j].facts, after: recs[j].facts}
	}
	s.symbols = followBodyEdit(prev, f, items, rg.lo, &e, changes) // nil: rebuilt on first read
	s.inc = &incState{target: pi.target, factsKey: pi.factsKey, items: items, declIdx: pi.declIdx, marked: marked,
		nuser: nuser, maps: pi.maps, envDiags: envDiags, decls: &shared,
		mapDiagFrom: pi.mapDiagFrom, mapDiags: pi.mapDiags, mapIdx: pi.mapIdx, macroIdx: idx, byMacro: true}
	return s
}

// hasMapParam reports whether d takes a map.
func hasMapParam(d *syntax.MacroDecl) bool {
	for _, p := range d.Params {
		if p.Kind == syntax.MacroParamMap {
			return true
		}
	}
	return false
}

// macroCallNames lists the names of the macros a body calls, in order.
func macroCallNames(e *fileEnv, body *syntax.Block) []string {
	if body == nil {
		return nil
	}
	var out []string
	for _, c := range macroCallsIn(e, body) {
		out = append(out, c.name)
	}
	return out
}

// macroRefNames lists, sorted and once each, the macros a walk expands.
func macroRefNames(pf *probeFacts) []string {
	if pf == nil {
		return nil
	}
	var out []string
	for _, ev := range pf.events() {
		if ev.kind == factMacroRef {
			out = append(out, pf.name(ev))
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// buildMacroIndex lists, by macro name, the items whose walks expand the
// macro, in order.
func buildMacroIndex(items recList) map[string]itemList {
	flat := map[string][]int32{}
	i := 0
	for _, c := range items.chunks {
		for _, rec := range c {
			for _, name := range macroRefNames(rec.facts) {
				flat[name] = append(flat[name], int32(i))
			}
			i++
		}
	}
	idx := make(map[string]itemList, len(flat))
	for name, l := range flat {
		idx[name] = newItemList(l)
	}
	return idx
}

// followMacroIndex returns idx after the records from lo, olds, were
// replaced by recs, as many: idx itself when they expand the same macros.
func followMacroIndex(idx map[string]itemList, lo int, olds, recs []*itemRec) map[string]itemList {
	copied := false
	for k := range olds {
		var was, is []string
		if olds[k] != nil {
			was = macroRefNames(olds[k].facts)
		}
		if recs[k] != nil {
			is = macroRefNames(recs[k].facts)
		}
		if !slices.Equal(was, is) {
			if !copied {
				idx, copied = cloneIndex(idx), true
			}
			reindexNames(idx, lo+k, was, is)
		}
	}
	return idx
}
