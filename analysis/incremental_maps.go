package analysis

// This file implements the path of Reanalyze for an edit of probes that
// changes what their walk records of the maps (a map use typed, removed or
// changed), or how many probes there are (a probe typed, pasted, deleted,
// split or joined): only the maps the edited probes' walks see or use
// otherwise than before, or the removed probes used, can change. The probes whose walks touch those maps (found in
// an index kept in the incremental state) are replayed or walked again in
// order, and those maps checked again; every other probe keeps its record,
// and the other maps' file-level diagnostics are the previous ones with
// their positions moved. When a walk walked again records something else
// of another map, that map joins the set and the pass starts over.

import (
	"context"
	"reflect"
	"slices"

	"github.com/bpfls/bpfls/analysis/syntax"
)

// fnBodiesNameMaps reports whether the body of a fn among the items at
// declIdx names a map, itself or through the macros it calls.
func fnBodiesNameMaps(e *fileEnv, f *syntax.File, declIdx []int) bool {
	for _, i := range declIdx {
		if d, ok := f.Item(i).(*syntax.FuncDecl); ok && readsMaps(e, d.Body) {
			return true
		}
	}
	return false
}

// maxMapRounds bounds how often the set of maps grows before the path
// gives up for the one that replays every probe.
const maxMapRounds = 6

// reanalyzeMaps is that path; nil when it does not apply. No declaration
// changed; a region that holds more or fewer items than before holds only
// probes, before and after (probes added, removed, split or joined), or
// de describes the declarations the edit changed (nil: none). e is the
// start of the file-level pass over f.
func reanalyzeMaps(ctx context.Context, prev *Snapshot, f *syntax.File, pi *incState, rg region, olds []*itemRec, fresh []*syntax.Probe, moved []movedItem, nuser int, e *fileEnv, de *declChange) *Snapshot {
	if len(pi.envDiags) < pi.mapDiagFrom {
		return nil
	}
	declIdx := rg.moveDecls(pi.declIdx)
	if de != nil {
		declIdx = de.declIdx
	}
	// A fn body's map uses follow every probe's, which only de follows (it
	// checks the bodies again in each round): the edit then goes through
	// the declaration path with no changed name. A body that names no map,
	// itself or through the macros it calls, sees none of the probes'
	// uses. Declared maps are in the table before any use.
	if de == nil && fnBodiesNameMaps(e, f, declIdx) {
		return reanalyzeDeclUsers(ctx, prev, f, pi, rg, declNames{names: map[string]bool{}, maps: map[string]bool{}, decls: declIdx, nuser: nuser})
	}
	var decls []*syntax.MapDecl
	for _, i := range declIdx {
		if d, ok := f.Item(i).(*syntax.MapDecl); ok && d.Map != nil {
			decls = append(decls, d)
		}
	}
	idx := pi.mapIdx
	if idx == nil {
		idx = buildMapIndex(pi.items)
	}
	dirty := map[string]bool{} // the first round finds the maps the region's walks see or use otherwise
	if de != nil {
		for name := range de.maps {
			dirty[name] = true
		}
		for name := range de.retyped {
			dirty[name] = true
		}
		for name := range de.bodyMaps {
			dirty[name] = true
		}
	}
	if rg.resized() {
		// An old probe of the region with no new one at its place takes
		// its uses away: its maps must be checked again. Where the region
		// holds declarations too, the places of its probes may differ:
		// every one of them is taken for gone.
		gone := olds[min(len(olds), len(fresh)):]
		if de != nil {
			gone = olds
		}
		for _, r := range gone {
			for _, name := range readNames(r.facts) {
				dirty[name] = true
			}
		}
	}
	var mp *mapPass
	for round := 0; ; round++ {
		if round == maxMapRounds || ctx.Err() != nil {
			return nil
		}
		mp = &mapPass{e: e, f: f, pi: pi, rg: rg, olds: olds, fresh: fresh, dirty: dirty, facts: map[int]*probeFacts{}, de: de}
		grow, ok := mp.run(idx, decls)
		if !ok {
			return nil
		}
		if len(grow) == 0 {
			break
		}
		for _, name := range grow {
			dirty[name] = true
		}
	}
	return mp.finish(ctx, prev, olds, moved, nuser, idx)
}

// mapPass is one round of reanalyzeMaps over the maps in dirty.
type mapPass struct {
	e     *fileEnv
	f     *syntax.File
	pi    *incState
	rg    region
	olds  []*itemRec
	fresh []*syntax.Probe
	dirty map[string]bool
	order []int               // the probes touching a dirty map, and the region's, in order
	facts map[int]*probeFacts // the walks walked again, by item index
	table *mapTable           // the dirty maps as the probes leave them
	grow  map[string]bool     // the maps a walk walked again records otherwise
	de    *declChange         // nil when no declaration changed
	// bodyDiags are the macro and fn bodies' diagnostics, with de.
	bodyDiags []Diagnostic
}

// declChange is what an edit of declarations adds to the path
// (incremental_decls.go).
type declChange struct {
	forced  map[int]bool    // the probes outside the region to walk and check again, by index after the edit
	maps    map[string]bool // the maps whose declarations changed, with '@'
	retyped map[string]bool // the maps whose types name a changed C definition
	// bodyMaps are the maps the macro and fn bodies use, before or after
	// the edit: the bodies' uses follow every probe's, and are recorded
	// again in each round.
	bodyMaps map[string]bool
	// declDiags and recursion are the file-level diagnostics of the
	// declarations and of the macros calling each other, which come
	// before and after the bodies' in the full pass.
	declDiags, recursion []Diagnostic
	declIdx              []int    // the indexes of the items that are not probes, after the edit
	decls                *fileEnv // the declarations for the next version
	// syms are the symbols of the declarations and of the macro and fn
	// bodies, for the symbol index (symbols_follow.go); nil when the
	// index is not to follow.
	syms *declSymbols
}

// forced reports whether probe i, outside the region, must be walked and
// checked again.
func (mp *mapPass) forced(i int) bool { return mp.de != nil && mp.de.forced[i] }

// run replays or walks the probes touching a dirty map in order; it
// returns the maps to add to the set, or false when the path cannot go on.
func (mp *mapPass) run(idx map[string]itemList, decls []*syntax.MapDecl) ([]string, bool) {
	e := mp.e
	for name := range mp.dirty {
		for i := range idx[name].all() { // old indexes
			if j := mp.rg.newIndex(int(i)); j >= 0 {
				mp.order = append(mp.order, j)
			}
		}
	}
	for i := mp.rg.lo; i < mp.rg.hiNew; i++ {
		mp.order = append(mp.order, i)
	}
	if mp.de != nil {
		for i := range mp.de.forced {
			mp.order = append(mp.order, i)
		}
	}
	slices.Sort(mp.order)
	mp.order = slices.Compact(mp.order)
	mp.table = newMapTable()
	for _, d := range decls {
		if name := "@" + d.Map.Name; mp.dirty[name] && mp.table.byName[name] == nil {
			mp.table.get(name).decl = d
		}
	}
	e.maps, e.syms = mp.table, newSymbolSink()
	e.cache = newEnvCache("", nil)
	e.cache.adoptDict(mp.olds) // the walks share the region's dictionary
	mp.grow = map[string]bool{}
	for _, i := range mp.order {
		if i >= mp.rg.lo && i < mp.rg.hiNew {
			var was *probeFacts // the old walk at the same place saw the maps that are not dirty as they are
			if k := i - mp.rg.lo; k < len(mp.olds) && mp.olds[k].probe {
				was = mp.olds[k].facts
			}
			if p := mp.fresh[i-mp.rg.lo]; p != nil && !mp.walk(i, p, was) {
				return nil, false
			}
			continue
		}
		old := mp.pi.items.at(mp.rg.oldIndex(i))
		if old.facts == nil {
			return nil, false
		}
		if !mp.forced(i) && mp.replays(old.facts) {
			mp.replay(old.facts, mp.f.ItemSpan(i).Start)
			continue
		}
		p, ok := mp.f.Item(i).(*syntax.Probe)
		if !ok || !mp.walk(i, p, old.facts) {
			return nil, false
		}
	}
	if mp.de != nil {
		// The bodies, after every probe, as the full pass checks them; a
		// map they touch that is not dirty makes the set grow.
		r := &Reporter{}
		checkBodies(e, r)
		mp.bodyDiags = r.Diags
		for _, m := range mp.table.order {
			if !mp.dirty[m.name] {
				mp.grow[m.name] = true
			}
		}
	}
	var grow []string
	for name := range mp.grow {
		grow = append(grow, name)
	}
	return grow, true
}

// replays reports whether a recorded walk saw the dirty maps as the table
// has them now (it saw the others as they still are).
func (mp *mapPass) replays(pf *probeFacts) bool {
	v := pf.dict.view()
	for _, r := range pf.reads() {
		if name := v.strs[r.name]; mp.dirty[name] && !v.states[r.state].equal(mapStateOf(mp.table.byName[name])) {
			return false
		}
	}
	return true
}

// replay files the recorded uses of the dirty maps.
func (mp *mapPass) replay(pf *probeFacts, start syntax.Pos) {
	v := pf.dict.view()
	for _, ev := range pf.events() {
		if ev.kind != factMapUse {
			continue
		}
		if name := v.strs[ev.name]; mp.dirty[name] {
			u := v.uses[ev.use]
			u.span = syntax.Span{Start: ev.span.Start + start, End: ev.span.End + start}
			mp.table.record(nil, name, u)
		}
	}
}

// walk walks probe i again, seeing the maps that are not dirty as its old
// walk saw them. A map it sees or uses
// otherwise than the old walk joins mp.grow. It reports false when the
// walk cannot be recorded.
func (mp *mapPass) walk(i int, p *syntax.Probe, old *probeFacts) bool {
	t := mp.table
	var others []mapRead
	if old != nil {
		for _, rd := range old.mapReads() {
			if !mp.dirty[rd.name] {
				others = append(others, rd)
				setMapState(t, rd.name, rd.state)
			}
		}
	}
	pf := mp.e.collectProbe(p, nil)
	// Only the dirty maps stay in the table.
	for _, m := range t.order {
		if !mp.dirty[m.name] {
			delete(t.byName, m.name)
		}
	}
	t.order = slices.DeleteFunc(t.order, func(m *mapFacts) bool { return !mp.dirty[m.name] })
	if pf == nil {
		return false
	}
	mp.facts[i] = pf
	saw := map[string]mapState{}
	for _, rd := range others {
		saw[rd.name] = rd.state
	}
	for _, rd := range pf.mapReads() {
		if mp.dirty[rd.name] {
			continue
		}
		if st, ok := saw[rd.name]; !ok || !st.equal(rd.state) {
			mp.grow[rd.name] = true
		}
	}
	// The uses of the other maps must be the old walk's, positions aside.
	var was, is []recordedUse
	if old != nil {
		was = mapUseEvents(old)
	}
	is = mapUseEvents(pf)
	was = slices.DeleteFunc(was, func(u recordedUse) bool { return mp.dirty[u.name] })
	is = slices.DeleteFunc(is, func(u recordedUse) bool { return mp.dirty[u.name] })
	for _, u := range append(was, is...) {
		if !sameUses(was, is, u.name) {
			mp.grow[u.name] = true
		}
	}
	return true
}

// sameUses reports whether two lists record the same uses of a map,
// positions aside.
func sameUses(a, b []recordedUse, name string) bool {
	var x, y []mapUse
	for _, u := range a {
		if u.name == name {
			u.use.span = syntax.Span{}
			x = append(x, u.use)
		}
	}
	for _, u := range b {
		if u.name == name {
			u.use.span = syntax.Span{}
			y = append(y, u.use)
		}
	}
	if len(x) != len(y) {
		return false
	}
	for k := range x {
		if !reflect.DeepEqual(x[k], y[k]) {
			return false
		}
	}
	return true
}

// finish checks the dirty maps, the probes of the region and those naming
// a map whose state changed, and makes the snapshot.
func (mp *mapPass) finish(ctx context.Context, prev *Snapshot, olds []*itemRec, moved []movedItem, nuser int, idx map[string]itemList) *Snapshot {
	e, f, pi, rg, cfg := mp.e, mp.f, mp.pi, mp.rg, prev.Config
	// The maps' final states: the dirty ones as the table has them.
	var maps []mapSummary
	for _, m := range pi.maps {
		if !mp.dirty[m.name] {
			maps = append(maps, m)
		} else if mf := mp.table.byName[m.name]; mf != nil {
			maps = append(maps, mapSummary{name: m.name, state: mapStateOf(mf)})
		}
	}
	known := make(map[string]mapState, len(pi.maps))
	for _, m := range pi.maps {
		known[m.name] = m.state
	}
	changed := map[string]bool{}
	for name := range mp.dirty {
		st, was := known[name]
		mf := mp.table.byName[name]
		if mf != nil && !was {
			maps = append(maps, mapSummary{name: name, state: mapStateOf(mf)})
		}
		if !was || !st.equal(mapStateOf(mf)) {
			changed[name] = true
		}
	}
	if mp.de != nil {
		for name := range mp.de.retyped { // the probes naming it see another type
			changed[name] = true
		}
	}
	// The file-level diagnostics: those before the map checks and those
	// of the other maps moved, the dirty maps' checked again.
	var envDiags []Diagnostic
	ok := true
	if mp.de != nil {
		envDiags = slices.Concat(mp.de.declDiags, mp.bodyDiags, mp.de.recursion)
	} else if envDiags, ok = rg.remap(pi.envDiags[:pi.mapDiagFrom], nil, moved); !ok {
		return nil
	}
	mapDiagFrom := len(envDiags)
	// An undefined map's diagnostic suggests the names of the others.
	renamed := len(maps) != len(pi.maps)
	for name := range changed {
		if _, was := known[name]; was != (mp.table.byName[name] != nil) {
			renamed = true
		}
	}
	var ranges []mapDiagRange
	for _, kr := range pi.mapDiags {
		if mp.dirty[kr.name] {
			continue
		}
		if renamed && slices.ContainsFunc(pi.envDiags[kr.lo:kr.hi], func(d Diagnostic) bool { return d.Code == CodeMapUndefined }) {
			return nil
		}
		ds, ok := rg.remap(pi.envDiags[kr.lo:kr.hi], nil, moved)
		if !ok {
			return nil
		}
		ranges = append(ranges, mapDiagRange{name: kr.name, lo: len(envDiags), hi: len(envDiags) + len(ds)})
		envDiags = append(envDiags, ds...)
	}
	r := &Reporter{}
	e.maps = mapsFrom(maps) // the names an undefined map's diagnostic suggests
	for _, mf := range mp.table.order {
		lo := len(r.Diags)
		e.checkMap(r, mf)
		if len(r.Diags) > lo {
			ranges = append(ranges, mapDiagRange{name: mf.name, lo: len(envDiags) + lo, hi: len(envDiags) + len(r.Diags)})
		}
	}
	envDiags = append(envDiags, r.Diags...)
	// The probe pass, against every map's final state.
	e.maps, e.cache = mapsFrom(maps), nil
	pp := &probePass{ctx: ctx, cfg: cfg, src: f.Text(), file: f, body: envBody(e),
		missingProbes: e.config["missing_probes"]} // as checkConfig read it
	items := pi.items
	if rg.resized() { // the region's records, all set below, take the old ones' place
		items = items.splice(rg.lo, rg.hiOld, make([]*itemRec, rg.hiNew-rg.lo))
	}
	var touched []int // the items whose records changed, to recs
	var recs []*itemRec
	var changes []itemChange
	follows := true // whether the compact symbol index can follow
	newIdx := idx
	copied := false
	if rg.resized() { // the items after the region moved: so do their entries
		newIdx, copied = shiftIndex(idx, rg), true
	}
	for _, i := range mp.order {
		var old *itemRec
		if i < rg.lo || i >= rg.hiNew {
			old = pi.items.at(rg.oldIndex(i))
		} else if !f.IsProbe(i) {
			follows = follows && !(i-rg.lo < len(olds) && olds[i-rg.lo].probe)
			touched, recs = append(touched, i), append(recs, &itemRec{id: f.ItemID(i)})
			// A probe of the region whose place a declaration took (the
			// same number of items) takes its entries away; after a
			// resize, shiftIndex left the region's out.
			if k := i - rg.lo; !rg.resized() && k < len(olds) && olds[k].probe && len(readNames(olds[k].facts)) > 0 {
				if !copied {
					newIdx, copied = cloneIndex(idx), true
				}
				reindex(newIdx, i, olds[k].facts, nil)
			}
			continue
		}
		facts := mp.facts[i]
		if facts == nil {
			facts = old.facts
		}
		chk := old
		if mp.forced(i) {
			chk = nil // checked again
		}
		rec, ok := medRecord(ctx, pp, f, i, chk, facts, changed)
		if !ok {
			return nil
		}
		if rec == old {
			continue
		}
		touched, recs = append(touched, i), append(recs, rec)
		var before *probeFacts // the walk the item had, or the region's old probe at its place
		if old != nil {
			before = old.facts
		} else if k := i - rg.lo; k < len(olds) && olds[k].probe {
			before = olds[k].facts
		} else if !rg.resized() {
			follows = false
		}
		changes = append(changes, itemChange{item: int32(i), before: before, after: rec.facts})
		if rg.resized() && i >= rg.lo && i < rg.hiNew {
			before = nil // shiftIndex left the region's items out
		}
		if !copied && !sameReadNames(before, facts) {
			newIdx, copied = cloneIndex(idx), true
		}
		if copied {
			reindex(newIdx, i, before, facts)
		}
	}
	// The macro index, when there is one, follows the records: the
	// region's old entries go, the later ones move, and each record
	// replaced takes its walk's macros.
	var macroIdx map[string]itemList
	if pi.macroIdx != nil {
		macroIdx = pi.macroIdx
		copied := rg.resized()
		if copied {
			macroIdx = shiftIndex(macroIdx, rg)
		}
		for k, i := range touched {
			var was, is []string
			if r := items.at(i); r != nil { // nil: a place the region's splice made
				was = macroRefNames(r.facts)
			}
			is = macroRefNames(recs[k].facts)
			if !slices.Equal(was, is) {
				if !copied {
					macroIdx, copied = cloneIndex(macroIdx), true
				}
				reindexNames(macroIdx, i, was, is)
			}
		}
	}
	items = items.setAt(touched, recs)
	marked := make([]int, 0, len(pi.marked)+len(touched))
	for _, i := range pi.marked { // touched is in order
		if j := rg.newIndex(i); j >= 0 {
			if _, found := slices.BinarySearch(touched, j); !found {
				marked = append(marked, j)
			}
		}
	}
	for _, i := range touched {
		if items.at(i).marked() {
			marked = append(marked, i)
		}
	}
	slices.Sort(marked)
	s := incrementalSnapshot(f, cfg, envDiags, items, marked)
	s.probes, s.env = prev.probes, prev.env
	// The compact symbol index follows; without one, it is rebuilt by
	// replaying the walks when first read.
	if base := prev.builtSymbols(); follows && base != nil && base.v != nil {
		// A retyped map changes the bodies' symbols only where a body
		// names a map: the bodies are checked after every probe.
		retyped := len(changed) > 0 && bodiesReadMaps(mp.e)
		var v *symView
		var gone []*probeFacts // the region's old probes past its new ones
		for _, r := range olds[min(len(olds), rg.hiNew-rg.lo):] {
			if r.probe {
				gone = append(gone, r.facts)
			}
		}
		switch {
		case mp.de != nil:
			if mp.de.syms != nil {
				v = base.v.followDecls(f, items, rg.lo, rg.hiOld, rg.hiNew, changes, gone, mp.dirty, mp.table, mp.de.syms)
			}
		case rg.resized():
			if slices.ContainsFunc(olds, func(r *itemRec) bool { return !r.probe }) {
				gone = append(gone, nil) // not followed: the region held a declaration
			}
			v = base.v.followResized(f, items, rg.lo, rg.hiOld, rg.hiNew, changes, gone, mp.dirty, mp.table, retyped)
		default:
			v = base.v.follow(f, items, changes, mp.dirty, mp.table, retyped)
		}
		if v != nil {
			s.symbols = &SymbolIndex{v: v}
		}
	}
	s.inc = &incState{target: pi.target, factsKey: pi.factsKey, items: items, declIdx: rg.moveDecls(pi.declIdx), marked: marked,
		nuser: nuser, maps: maps, envDiags: envDiags, decls: pi.decls,
		mapDiagFrom: mapDiagFrom, mapDiags: ranges, mapIdx: newIdx, macroIdx: macroIdx, byMaps: true}
	if mp.de != nil {
		s.inc.declIdx, s.inc.decls, s.inc.byMaps, s.inc.byDecls = mp.de.declIdx, mp.de.decls, false, true
	}
	return s
}

// buildMapIndex lists, by map name, the items whose walks touch the map.
func buildMapIndex(items recList) map[string]itemList {
	flat := map[string][]int32{}
	i := 0
	for _, c := range items.chunks {
		for _, rec := range c {
			if rec.facts != nil {
				v := rec.facts.dict.view()
				for _, r := range rec.facts.reads() {
					name := v.strs[r.name]
					flat[name] = append(flat[name], int32(i))
				}
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

func readNames(pf *probeFacts) []string {
	if pf == nil {
		return nil
	}
	v := pf.dict.view()
	out := make([]string, pf.numReads())
	for k, r := range pf.reads() {
		out[k] = v.strs[r.name]
	}
	return out
}

func sameReadNames(a, b *probeFacts) bool {
	x, y := readNames(a), readNames(b)
	slices.Sort(x)
	slices.Sort(y)
	return slices.Equal(x, y)
}

func cloneIndex(idx map[string]itemList) map[string]itemList {
	out := make(map[string]itemList, len(idx))
	for k, v := range idx {
		out[k] = v // immutable: reindex replaces the lists it changes
	}
	return out
}

// shiftIndex returns idx for the items after an edit that resized the
// region: the entries of the region's old items go, and those after it
// move by the change in length (itemList.shift: O(chunks) per map). The
// region's new items are added by reindex.
func shiftIndex(idx map[string]itemList, rg region) map[string]itemList {
	out := make(map[string]itemList, len(idx))
	for name, l := range idx {
		if l = l.shift(int32(rg.lo), int32(rg.hiOld), int32(rg.hiNew-rg.hiOld)); !l.empty() {
			out[name] = l
		}
	}
	return out
}

// reindex moves item i from the lists of the maps before touched to those
// of the maps after touches.
func reindex(idx map[string]itemList, i int, before, after *probeFacts) {
	reindexNames(idx, i, readNames(before), readNames(after))
}

// reindexNames moves item i from the lists of the names was to those of
// the names is.
func reindexNames(idx map[string]itemList, i int, was, is []string) {
	for _, name := range was {
		if !slices.Contains(is, name) {
			if l := idx[name].without(int32(i)); !l.empty() {
				idx[name] = l
			} else {
				delete(idx, name)
			}
		}
	}
	for _, name := range is {
		if !slices.Contains(was, name) {
			idx[name] = idx[name].with(int32(i))
		}
	}
}
