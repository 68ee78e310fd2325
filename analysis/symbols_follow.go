package analysis

// This file implements how the compact symbol index (symbols_view.go)
// follows an edit the incremental paths made: a keystroke in probes
// (reanalyzeFast) shares every global, and one that changes map uses
// (reanalyzeMaps) re-makes only the maps it checked again. The other paths
// leave the index to be rebuilt, by replaying the recorded walks, when it
// is first read.

import (
	"maps"
	"slices"
	"strings"

	"github.com/bpfls/bpfls/analysis/syntax"
)

// itemChange is a probe whose recorded walk an edit replaced.
type itemChange struct {
	item          int32
	before, after *probeFacts
}

// follow returns the view of the version an incremental path made, whose
// items (keeping their indexes) are items: the walks of changes replaced
// the old ones, and the maps in dirty (nil for a keystroke that changed no
// map) are as table has them; retyped says whether the state of one of
// them changed. It returns nil when the edit changed what it cannot follow:
// another map's uses, a walk that was not recorded, or the map states that
// macro and fn bodies, checked after every probe, read. It
// costs O(changes + globals to copy): the globals are shared unless the
// references to a macro or a dirty map changed, and then their list and
// those symbols are copied.
func (v *symView) follow(f *syntax.File, items recList, changes []itemChange, dirty map[string]bool, table *mapTable, retyped bool) *symView {
	g := v.g
	if retyped && slices.ContainsFunc(g.syms, func(gs *globalSym) bool { return gs.phase == phaseBodies }) {
		return nil
	}
	var macros map[int32]bool // macros whose referencing probes changed
	changed := map[int32]bool{}
	for _, c := range changes {
		if c.before == nil || c.after == nil {
			return nil
		}
		changed[c.item] = true
		if c.before == c.after {
			continue
		}
		if !sameMapNames(c.before, c.after, dirty) {
			return nil // a map may have appeared, gone, or been used first elsewhere
		}
		om, on := g.referenced(c.before), g.referenced(c.after)
		for gi := range om {
			if !on[gi] && !g.followable(gi, dirty) {
				return nil
			} else if !on[gi] && g.kind(g.syms[gi]) == SymbolMacro {
				macros = setAdd(macros, gi)
			}
		}
		for gi := range on {
			if !om[gi] && !g.followable(gi, dirty) {
				return nil
			} else if !om[gi] && g.kind(g.syms[gi]) == SymbolMacro {
				macros = setAdd(macros, gi)
			}
		}
	}
	out := &symView{file: f, items: items, g: g}
	if len(macros) == 0 && len(dirty) == 0 {
		return out
	}
	ng := *g
	ng.syms = slices.Clone(g.syms)
	for gi := range macros {
		gs := *g.syms[gi]
		gs.probes = nil
		for _, i := range g.syms[gi].probes {
			if !changed[i] {
				gs.probes = append(gs.probes, i)
			}
		}
		for _, c := range changes {
			if g.referenced(c.after)[gi] {
				gs.probes = append(gs.probes, c.item)
			}
		}
		slices.Sort(gs.probes)
		ng.syms[gi] = &gs
	}
	out.g = &ng
	if len(dirty) > 0 {
		ng.maps = maps.Clone(g.maps)
		for name := range dirty {
			if !out.followMap(name, table.byName[name], changes, changed) {
				return nil
			}
		}
	}
	return out
}

// walkChanges returns the changes of walks a region of records starting
// at item lo made, or false when a probe became another kind of item.
func walkChanges(lo int, olds, news []*itemRec) ([]itemChange, bool) {
	var out []itemChange
	for k, nr := range news {
		or := olds[k]
		if nr.probe != or.probe {
			return nil, false
		}
		if nr.probe {
			out = append(out, itemChange{item: int32(lo + k), before: or.facts, after: nr.facts})
		}
	}
	return out, true
}

// followable reports whether follow can follow a change of the probes
// referencing global gi: a macro, or a map in dirty.
func (g *symGlobals) followable(gi int32, dirty map[string]bool) bool {
	gs := g.syms[gi]
	return g.kind(gs) == SymbolMacro || g.kind(gs) == SymbolMap && dirty[g.name(gs)]
}

// followMap makes the global of the map name as mf (nil: no use left)
// has it now, as checkMaps would: made by the first use not through a
// macro's parameter, defined by its declaration or else its first write,
// typed by its final state. v.g is v's own copy.
func (v *symView) followMap(name string, mf *mapFacts, changes []itemChange, changed map[int32]bool) bool {
	g := v.g
	gi, had := g.maps[name]
	var probes []int32
	if had {
		for _, i := range g.syms[gi].probes {
			if !changed[i] {
				probes = append(probes, i)
			}
		}
	}
	for _, c := range changes {
		if usesMap(c.after, name) {
			probes = append(probes, c.item)
		}
	}
	slices.Sort(probes)
	declared := had && g.syms[gi].phase == phaseDecls
	if !declared && (mf == nil || len(probes) == 0) {
		if had {
			g.syms[gi] = &globalSym{phase: phaseGone}
			delete(g.maps, name)
		}
		return true
	}
	if mf == nil {
		return false
	}
	var gs globalSym
	if declared {
		gs = *g.syms[gi]
	} else {
		gs = globalSym{kind: g.str(string(SymbolMap)), name: g.str(name), detail: g.str(""), phase: phaseWalk, item: probes[0], defUse: -1}
		def := firstWrite(mf)
		it, ok := v.itemOf(def)
		pf := v.facts(it)
		if !ok || pf == nil {
			return false
		}
		for k, u := range mapUses(pf, name) {
			if shiftSpanBy(u, v.start(it)) == def {
				gs.defItem, gs.defUse = it, int32(k)
				break
			}
		}
		if gs.defUse < 0 {
			return false
		}
	}
	gs.probes = clip(probes)
	typ := ""
	if t := storedType(mf); t.known() {
		typ = t.String()
	}
	gs.typ, gs.key = g.str(typ), g.str(mapKeyText(mf))
	if had {
		g.syms[gi] = &gs
	} else {
		g.maps[name] = int32(len(g.syms))
		g.syms = append(g.syms, &gs)
	}
	return true
}

// str returns the index of x in g.strs, adding it to a copy of the list
// (which other versions share) when it is new.
func (g *symGlobals) str(x string) uint32 {
	if k := slices.Index(g.strs, x); k >= 0 {
		return uint32(k)
	}
	g.strs = append(slices.Clip(g.strs), strings.Clone(x))
	return uint32(len(g.strs) - 1)
}

// usesMap reports whether the walk pf uses the map name other than
// through a macro's parameter.
func usesMap(pf *probeFacts, name string) bool {
	vw := pf.dict.view()
	for _, ev := range pf.events {
		if ev.kind == factMapUse && vw.strs[ev.name] == name && !vw.uses[ev.use].viaMacro {
			return true
		}
	}
	return false
}

// referenced is the set of globals the walk pf references.
func (g *symGlobals) referenced(pf *probeFacts) map[int32]bool {
	out := map[int32]bool{}
	for _, ev := range pf.events {
		for _, gi := range g.named(pf, ev) {
			out[gi] = true
		}
	}
	return out
}

func setAdd(m map[int32]bool, k int32) map[int32]bool {
	if m == nil {
		m = map[int32]bool{}
	}
	m[k] = true
	return m
}

// sameMapNames reports whether two walks use the same maps in the same
// order, those in skip aside.
func sameMapNames(a, b *probeFacts, skip map[string]bool) bool {
	var an []string
	for _, ev := range a.events {
		if ev.kind == factMapUse && !skip[a.name(ev)] {
			an = append(an, a.name(ev))
		}
	}
	k := 0
	for _, ev := range b.events {
		if ev.kind == factMapUse && !skip[b.name(ev)] {
			if k >= len(an) || an[k] != b.name(ev) {
				return false
			}
			k++
		}
	}
	return k == len(an)
}
