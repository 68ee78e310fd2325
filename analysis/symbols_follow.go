package analysis

// This file implements how the compact symbol index (symbols_view.go)
// follows an edit the incremental paths made: a keystroke in probes
// (reanalyzeFast) shares every global; one that changes map uses or the
// number of probes (reanalyzeMaps) re-makes only the maps it checked again,
// and moves the later items' indexes; an edit of a macro or fn body
// (reanalyzeMacro, reanalyzeFn) re-makes the body's symbols. The other
// paths leave the index to be rebuilt, by replaying the recorded walks,
// when it is first read.

import (
	"cmp"
	"maps"
	"slices"
	"strings"
	"sync/atomic"

	"github.com/bpfls/bpfls/analysis/syntax"
)

// itemChange is a probe whose recorded walk an edit replaced; before is
// nil for a probe the edit added.
type itemChange struct {
	item          int32
	before, after *probeFacts
}

// follow returns the view of the version an incremental path made, whose
// items (keeping their indexes) are items: the walks of changes replaced
// the old ones, and the maps in dirty (nil for a keystroke that changed no
// map) are as table has them; retyped says whether the state of one of
// them changed while a macro or fn body names a map (the bodies' symbols
// depend on the maps only then). It returns nil when the edit changed what it cannot follow:
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
		if c.after == nil {
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
	out := &symView{file: f, items: items, g: g, followed: true}
	if len(macros) == 0 && len(dirty) == 0 {
		return out
	}
	ng := *g
	ng.syms = slices.Clone(g.syms)
	for gi := range macros {
		gs := *g.syms[gi]
		for _, c := range changes {
			gs.probes = gs.probes.without(c.item)
		}
		for _, c := range changes {
			if g.referenced(c.after)[gi] {
				gs.probes = gs.probes.with(c.item)
			}
		}
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

// goneFollowable reports whether every global the walks of removed probes
// reference is one follow re-makes; a removed probe without a walk is
// not.
func (g *symGlobals) goneFollowable(gone []*probeFacts, dirty map[string]bool) bool {
	for _, pf := range gone {
		if pf == nil {
			return false
		}
		for gi := range g.referenced(pf) {
			if !g.followable(gi, dirty) {
				return false
			}
		}
	}
	return true
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
	var probes itemList
	if had {
		probes = g.syms[gi].probes
	}
	for _, c := range changes {
		probes = probes.without(c.item)
	}
	for _, c := range changes {
		if usesMap(c.after, name) {
			probes = probes.with(c.item)
		}
	}
	declared := had && g.syms[gi].phase == phaseDecls
	first, used := probes.first()
	if !declared && (mf == nil || !used) {
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
		gs = globalSym{kind: g.str(string(SymbolMap)), name: g.str(name), detail: g.str(""), phase: phaseWalk, item: first, defUse: -1}
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
	gs.probes = probes
	typ := ""
	if t := storedType(mf); t.known() {
		typ = t.String()
	}
	gs.typ, gs.key = g.str(typ), g.str(mapKeyText(mf))
	if had {
		g.syms[gi] = &gs
	} else if k := g.goneSlot(); k >= 0 { // a map a walk makes has its place in the walk, not in syms
		g.maps[name], g.syms[k] = k, &gs
	} else {
		g.maps[name] = int32(len(g.syms))
		g.syms = append(g.syms, &gs)
	}
	return true
}

// goneSlot returns the index of a global a removed map left, which no
// item's list names, for a new map to take; -1 when there is none. Without
// it, every map typed and removed again would leave a global behind, which
// each later edit moving items would copy.
func (g *symGlobals) goneSlot() int32 {
	for gi, gs := range g.syms {
		if gs.phase == phaseGone && !slices.ContainsFunc(g.inItem, func(e itemGlobal) bool { return e.g == int32(gi) }) &&
			!slices.ContainsFunc(g.unrecorded, func(e itemGlobal) bool { return e.g == int32(gi) }) {
			return int32(gi)
		}
	}
	return -1
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
	for _, ev := range pf.events() {
		if ev.kind == factMapUse && vw.strs[ev.name] == name && !vw.uses[ev.use].viaMacro {
			return true
		}
	}
	return false
}

// referenced is the set of globals the walk pf (nil: none) references.
func (g *symGlobals) referenced(pf *probeFacts) map[int32]bool {
	out := map[int32]bool{}
	if pf == nil {
		return out
	}
	for _, ev := range pf.events() {
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
	if a == nil {
		a = &probeFacts{}
	}
	for _, ev := range a.events() {
		if ev.kind == factMapUse && !skip[a.name(ev)] {
			an = append(an, a.name(ev))
		}
	}
	k := 0
	for _, ev := range b.events() {
		if ev.kind == factMapUse && !skip[b.name(ev)] {
			if k >= len(an) || an[k] != b.name(ev) {
				return false
			}
			k++
		}
	}
	return k == len(an)
}

// followResized is follow for an edit that replaced the items [lo, hiOld)
// by [lo, hiNew), probes all: the items after the region move by the
// change in count, the region's k'th new probe is its k'th old one
// changed (changes, before nil past the old ones), and gone holds the
// walks of the old probes past the new ones. Every global those reference
// must be one follow re-makes (a macro, or a map in dirty). It costs
// follow's and O(globals + the entries after lo of their lists of
// probes): moving every later index.
func (v *symView) followResized(f *syntax.File, items recList, lo, hiOld, hiNew int, changes []itemChange, gone []*probeFacts, dirty map[string]bool, table *mapTable, retyped bool) *symView {
	g := v.g
	if !g.goneFollowable(gone, dirty) {
		return nil
	}
	mv := &symView{file: f, items: items, g: g.moved(int32(lo), int32(hiOld), int32(hiNew))}
	out := mv.follow(f, items, changes, dirty, table, retyped)
	if out == nil {
		return nil
	}
	for _, gs := range out.g.syms { // a global the follow did not re-make may not lie in a probe that went
		if gs.phase != phaseGone && (gs.defItem < 0 || gs.phase == phaseWalk && gs.item < 0) {
			return nil
		}
	}
	return out
}

// moved returns g with the item indexes an edit that replaced the items
// [lo, hiOld) by [lo, hiNew) gives: those after the region move by the
// change in count, those of the region past hiNew become -1 (an entry of
// a list goes).
func (g *symGlobals) moved(lo, hiOld, hiNew int32) *symGlobals {
	d := hiNew - hiOld
	at := func(i int32) int32 {
		switch {
		case i < lo || i < hiOld && i < hiNew:
			return i
		case i < hiOld:
			return -1
		}
		return i + d
	}
	ng := *g
	ng.syms = make([]*globalSym, len(g.syms))
	for gi, gs := range g.syms {
		// The probes' entries of the region past hiNew go; the later
		// ones move (itemList.shift: O(its chunks), sharing the rest).
		probes := gs.probes.shift(min(hiOld, hiNew), hiOld, d)
		if item, defItem := at(gs.item), at(gs.defItem); item != gs.item || defItem != gs.defItem || !probes.same(gs.probes) {
			c := *gs
			c.item, c.defItem, c.probes = item, defItem, probes
			gs = &c
		}
		ng.syms[gi] = gs
	}
	move := func(l []itemGlobal) []itemGlobal {
		k, _ := slices.BinarySearchFunc(l, lo, func(e itemGlobal, t int32) int { return cmp.Compare(e.item, t) })
		if k == len(l) {
			return l
		}
		out := slices.Clone(l[:k])
		for _, e := range l[k:] {
			if j := at(e.item); j >= 0 {
				out = append(out, itemGlobal{j, e.g})
			}
		}
		return clip(out)
	}
	ng.inItem, ng.unrecorded = move(g.inItem), move(g.unrecorded)
	if slices.ContainsFunc(g.refs, func(r itemSpan) bool { return r.item >= lo }) {
		ng.refs = slices.Clone(g.refs)
		for k := range ng.refs {
			ng.refs[k].item = at(ng.refs[k].item) // an item of the region holds no such reference: it is a probe with a walk
		}
	}
	return &ng
}

// bodySymbols checks the body of decl, a macro or fn of e, again as the
// file-level pass does, in a copy of e, and returns the symbols the check
// defines (parameters and variables, in order) and the references it
// makes to macros, by name. It reports false when the check reads a map,
// in the body or the macros it expands: what it finds would then depend
// on the maps' state when the pass checks the body, after every probe.
func bodySymbols(e *fileEnv, decl syntax.Item) ([]*Symbol, map[string][]syntax.Span, bool) {
	c := *e
	// The declarations' symbols are shared: the macro references are
	// taken from a recorder instead.
	c.sharedDecls, c.syms, c.maps, c.cache = true, newSymbolSink(), newMapTable(), nil
	rec := &factRecorder{env: &c, dict: newFactDict(), end: syntax.Pos(e.file.Len())}
	c.syms.rec = rec
	r := &Reporter{}
	switch d := decl.(type) {
	case *syntax.MacroDecl:
		info := c.macroInfo(d)
		if info == nil || readsMaps(&c, d.Body) {
			return nil, nil, false
		}
		c.checkMacroBody(r, info)
	case *syntax.FuncDecl:
		if c.fn(nameOf(d.Name)) != d || readsMaps(&c, d.Body) {
			return nil, nil, false
		}
		c.checkFnBody(r, d)
	default:
		return nil, nil, false
	}
	if rec.outside || len(rec.reads) > 0 {
		return nil, nil, false
	}
	refs := map[string][]syntax.Span{}
	for _, ev := range rec.events {
		if ev.kind == factMacroRef {
			name := rec.dict.view().strs[ev.name]
			refs[name] = append(refs[name], ev.span) // every overload takes the reference
		}
	}
	return c.syms.finish().flat, refs, true
}

// bodiesReadMaps reports whether a macro or fn body of e names a map: its
// check may read a map's state without recording a use (a macro's
// unhygienic access does), so its symbols' types depend on the maps.
func bodiesReadMaps(e *fileEnv) bool {
	for _, i := range e.declIdx {
		switch d := e.file.Item(i).(type) {
		case *syntax.MacroDecl:
			if readsMaps(e, d.Body) {
				return true
			}
		case *syntax.FuncDecl:
			if readsMaps(e, d.Body) {
				return true
			}
		}
	}
	return false
}

// readsMaps reports whether a body names a map, or calls a macro whose
// body does, at any depth.
func readsMaps(e *fileEnv, body *syntax.Block) bool {
	seen := map[string]bool{}
	var reads func(*syntax.Block) bool
	reads = func(b *syntax.Block) bool {
		if b == nil {
			return false
		}
		found := false
		syntax.Inspect(b, func(n syntax.Node) bool {
			if _, ok := n.(*syntax.MapExpr); ok {
				found = true
			}
			return !found
		})
		if found {
			return true
		}
		for _, site := range macroCallsIn(e, b) {
			if seen[site.name] {
				continue
			}
			seen[site.name] = true
			for _, info := range e.macros[site.name] {
				if reads(info.decl.Body) {
					return true
				}
			}
		}
		return false
	}
	return reads(body)
}

// followBody returns the view after an edit of the body of the macro or
// fn at item, its header unchanged (the body starts at bodyStart, relative
// to the item): the body's symbols are defs (its parameters and
// variables, in order) and it references the macros in refs, by name,
// positions of f. The probes' walks are v's. It returns nil when the body
// defines or references what it cannot re-make: a map. The globals the
// edit does not change are shared, and so is the list of references,
// which the changed ones' are appended to (it is compacted once most of it
// is stale): the edit costs O(globals) pointer copies, and when the body
// defines another number of symbols, renumbering the globals.
func (v *symView) followBody(f *syntax.File, items recList, item int32, bodyStart syntax.Pos, defs []*Symbol, refs map[string][]syntax.Span) *symView {
	g := v.g
	sp := f.ItemSpan(int(item))
	rel := func(s syntax.Span) (syntax.Span, bool) {
		return shiftSpanBy(s, -sp.Start), s.Start >= sp.Start && s.End <= sp.End && s.Start <= s.End
	}
	// The globals the old body defined go; the new ones take their place
	// in the order of the bodies (macros, then fns, each in source order).
	var fn bool
	switch f.Item(int(item)).(type) {
	case *syntax.MacroDecl:
	case *syntax.FuncDecl:
		fn = true
	default:
		return nil
	}
	after := func(gs *globalSym) bool { // whether gs's body comes after the item's
		return gs.fnBody && !fn || gs.fnBody == fn && gs.defItem > item
	}
	at, old := -1, 0 // where the new globals go in g.syms, and how many old ones they replace
	for gi, gs := range g.syms {
		if gs.phase != phaseBodies {
			continue
		}
		if g.kind(gs) == SymbolMap {
			return nil // a map a body made: where its body lies is not kept
		}
		if gs.defItem == item {
			if at >= 0 && at+old != gi {
				return nil
			}
			if at < 0 {
				at = gi
			}
			old++
			continue
		}
		if at < 0 && after(gs) {
			at = gi
		}
	}
	if at < 0 {
		at = len(g.syms)
	}
	ng := *g
	ng.refs = g.claimRefs() // appended to
	fresh := make([]*globalSym, 0, len(defs))
	var mineG []itemGlobal // the globals with references in the item, by new index
	for _, sym := range defs {
		def, ok := rel(sym.Def)
		if !ok || sym.Kind == SymbolMap {
			return nil
		}
		gs := &globalSym{kind: ng.str(string(sym.Kind)), name: ng.str(sym.Name), typ: ng.str(sym.Type), key: ng.str(sym.Key),
			detail: ng.str(sym.Detail), phase: phaseBodies, fnBody: fn, defItem: item, def: def, defUse: -1, refFirst: uint32(len(ng.refs))}
		for _, r := range sym.Refs {
			s, ok := rel(r)
			if !ok {
				return nil
			}
			ng.refs = append(ng.refs, itemSpan{item: item, span: s})
			gs.refN++
		}
		if gs.refN > 0 {
			mineG = append(mineG, itemGlobal{item, int32(at + len(fresh))})
		}
		fresh = append(fresh, gs)
	}
	d := len(fresh) - old // the change in count: the later globals move by d
	newIndex := func(gi int32) int32 {
		switch {
		case int(gi) < at:
			return gi
		case int(gi) < at+old:
			return -1
		}
		return gi + int32(d)
	}
	ng.syms = make([]*globalSym, 0, len(g.syms)+d)
	ng.syms = append(ng.syms, g.syms[:at]...)
	ng.syms = append(ng.syms, fresh...)
	ng.syms = append(ng.syms, g.syms[at+old:]...)
	// The other globals with references in the item: those in the body
	// are the new body's, which only macros take.
	for _, o := range inItem(g.inItem, item) {
		gi := newIndex(o.g)
		if gi < 0 {
			continue
		}
		gs := g.syms[o.g]
		if gs.phase == phaseGone {
			continue
		}
		c := *gs
		c.refFirst, c.refN = uint32(len(ng.refs)), 0
		kept := false // a reference in the item's header
		for _, r := range g.refsOf(gs) {
			if r.item == item && r.span.Start >= bodyStart {
				if g.kind(gs) != SymbolMacro {
					return nil // a map the old body named
				}
				continue
			}
			kept = kept || r.item == item
			ng.refs = append(ng.refs, r)
			c.refN++
		}
		ng.syms[gi] = &c
		if kept {
			mineG = append(mineG, itemGlobal{item, gi})
		}
	}
	for name, rs := range refs {
		gis := g.macros[name]
		if len(gis) == 0 {
			return nil
		}
		for _, o := range gis {
			gi := newIndex(o)
			if gi < 0 {
				return nil
			}
			gs := ng.syms[gi]
			c := *gs
			if gs == g.syms[o] || c.refFirst+c.refN != uint32(len(ng.refs)) { // not copied above, or not last
				c.refFirst, c.refN = uint32(len(ng.refs)), 0
				ng.refs = append(ng.refs, ng.refsOf(gs)...) // g.refs is a prefix of ng.refs
				c.refN = uint32(len(ng.refs)) - c.refFirst
			}
			for _, r := range rs {
				s, ok := rel(r)
				if !ok {
					return nil
				}
				ng.refs = append(ng.refs, itemSpan{item: item, span: s})
				c.refN++
			}
			ng.syms[gi] = &c
			if len(rs) > 0 {
				mineG = append(mineG, itemGlobal{item, gi})
			}
		}
	}
	// inItem: the item's entries are the new ones; with d != 0, every
	// later global's index moves.
	lo, _ := slices.BinarySearchFunc(g.inItem, item, func(e itemGlobal, t int32) int { return cmp.Compare(e.item, t) })
	hi := lo + len(inItem(g.inItem, item))
	slices.SortFunc(mineG, func(a, b itemGlobal) int { return cmp.Compare(a.g, b.g) })
	mineG = slices.Compact(mineG)
	if d != 0 || !slices.Equal(mineG, g.inItem[lo:hi]) { // else shared
		ng.inItem = make([]itemGlobal, 0, len(g.inItem)-(hi-lo)+len(mineG))
		ng.inItem = append(ng.inItem, g.inItem[:lo]...)
		ng.inItem = append(ng.inItem, mineG...)
		ng.inItem = append(ng.inItem, g.inItem[hi:]...)
	}
	if d != 0 {
		for k := range ng.inItem {
			if e := ng.inItem[k]; e.item != item {
				ng.inItem[k].g = newIndex(e.g)
			}
		}
		ng.inItem = slices.DeleteFunc(ng.inItem, func(e itemGlobal) bool { return e.g < 0 })
		ng.unrecorded = slices.Clone(g.unrecorded)
		for k := range ng.unrecorded {
			if ng.unrecorded[k].g = newIndex(ng.unrecorded[k].g); ng.unrecorded[k].g < 0 {
				return nil
			}
		}
		ng.maps, ng.macros = make(map[string]int32, len(g.maps)), make(map[string][]int32, len(g.macros))
		for name, gi := range g.maps {
			ng.maps[name] = newIndex(gi)
		}
		for name, gis := range g.macros {
			l := make([]int32, len(gis))
			for k, gi := range gis {
				l[k] = newIndex(gi)
			}
			ng.macros[name] = l
		}
	}
	ng.compactRefs()
	ng.refsEnd = new(atomic.Int64)
	ng.refsEnd.Store(int64(len(ng.refs)))
	return &symView{file: f, items: items, g: &ng, followed: true}
}

// claimRefs returns g's list of references for a body edit's version to
// append to. The first such version appends in place, past the list's
// end, which no version reads (those sharing the list read only up to
// their own end, and the entries never change); any other gets a copy.
// Copying it for every edit cost O(references of every declaration).
func (g *symGlobals) claimRefs() []itemSpan {
	if g.refsEnd != nil && g.refsEnd.CompareAndSwap(int64(len(g.refs)), -1) {
		return g.refs
	}
	return slices.Clip(g.refs)
}

// compactRefs copies g's live references to a list of their own once
// most of the shared list is stale (a body edit appends the changed
// globals' references, leaving their old ones behind).
func (g *symGlobals) compactRefs() {
	live := 0
	for _, gs := range g.syms {
		live += int(gs.refN)
	}
	if len(g.refs) <= 2*live+1024 {
		return
	}
	refs := make([]itemSpan, 0, live)
	for gi, gs := range g.syms {
		c := *gs
		c.refFirst = uint32(len(refs))
		refs = append(refs, g.refsOf(gs)...)
		g.syms[gi] = &c
	}
	g.refs = refs
}

// followBodyEdit returns the symbol index after an edit of the body of
// the macro or fn at item, which the macro or fn path made: the probes of
// changes were walked again, and e is the file-level pass's start with
// the new declaration. It returns nil when prev's index is not compact or
// cannot follow; the index is then rebuilt when first read.
func followBodyEdit(prev *Snapshot, f *syntax.File, items recList, item int, e *fileEnv, changes []itemChange) *SymbolIndex {
	base := prev.builtSymbols()
	if base == nil || base.v == nil {
		return nil
	}
	start := func(x *syntax.File) (syntax.Pos, bool) {
		var body *syntax.Block
		switch d := x.Item(item).(type) {
		case *syntax.MacroDecl:
			body = d.Body
		case *syntax.FuncDecl:
			body = d.Body
		}
		if body == nil {
			return 0, false
		}
		return body.Lbrace - x.ItemSpan(item).Start, true
	}
	was, ok := start(prev.File)
	at, ok2 := start(f)
	if !ok || !ok2 || was != at { // the header is the same text: so should the body's start be
		return nil
	}
	defs, refs, ok := bodySymbols(e, f.Item(item))
	if !ok {
		return nil
	}
	v := &symView{file: f, items: items, g: base.v.g}
	if len(changes) > 0 {
		if v = base.v.follow(f, items, changes, nil, nil, false); v == nil {
			return nil
		}
	}
	if v = v.followBody(f, items, int32(item), at, defs, refs); v == nil {
		return nil
	}
	return &SymbolIndex{v: v}
}

// followDecls is followResized for an edit of declarations, which the
// map path made (incremental_decls.go): the declarations' symbols are
// syms.decls (macros and declared maps, their references in the
// declarations and bodies included) and the bodies' are syms.bodies, at
// f's positions; the bodies name no map. The globals of the declarations and
// bodies are made again from those, each keeping the probes of the old
// global of its name, and follow then follows the walks and the maps in
// dirty. It costs O(globals): every global is numbered again.
func (v *symView) followDecls(f *syntax.File, items recList, lo, hiOld, hiNew int, changes []itemChange, gone []*probeFacts, dirty map[string]bool, table *mapTable, syms *declSymbols) *symView {
	g := v.g
	if len(g.unrecorded) > 0 {
		return nil
	}
	if !g.goneFollowable(gone, dirty) {
		return nil
	}
	if hiOld != hiNew {
		g = g.moved(int32(lo), int32(hiOld), int32(hiNew))
	}
	mv := &symView{file: f, items: items}
	ng := &symGlobals{maps: map[string]int32{}, macros: map[string][]int32{}, strs: g.strs}
	add := func(gs *globalSym, refs []syntax.Span) bool {
		gi := int32(len(ng.syms))
		gs.refFirst, gs.refN = uint32(len(ng.refs)), 0
		for _, r := range refs {
			it, ok := mv.itemOf(r)
			if !ok || f.IsProbe(int(it)) { // a probe's references are its walk's
				return false
			}
			ng.refs = append(ng.refs, itemSpan{item: it, span: shiftSpanBy(r, -f.ItemSpan(int(it)).Start)})
			ng.inItem = append(ng.inItem, itemGlobal{it, gi})
			gs.refN++
		}
		switch ng.kind(gs) {
		case SymbolMap:
			ng.maps[ng.name(gs)] = gi
		case SymbolMacro:
			ng.macros[ng.name(gs)] = append(ng.macros[ng.name(gs)], gi)
		}
		ng.syms = append(ng.syms, gs)
		return true
	}
	fresh := func(sym *Symbol, phase symPhase) (*globalSym, bool) {
		it, ok := mv.itemOf(sym.Def)
		if !ok || f.IsProbe(int(it)) {
			return nil, false
		}
		return &globalSym{kind: ng.str(string(sym.Kind)), name: ng.str(sym.Name), typ: ng.str(sym.Type), key: ng.str(sym.Key),
			detail: ng.str(sym.Detail), phase: phase, defItem: it, def: shiftSpanBy(sym.Def, -f.ItemSpan(int(it)).Start), defUse: -1}, true
	}
	declared := map[string]bool{}
	for _, sym := range syms.decls {
		gs, ok := fresh(sym, phaseDecls)
		if !ok {
			return nil
		}
		switch sym.Kind {
		case SymbolMacro:
			if gis := g.macros[sym.Name]; len(gis) > 0 { // every overload has the probes of every reference
				gs.probes = g.syms[gis[0]].probes
			}
		case SymbolMap:
			declared[sym.Name] = true
			old, had := g.maps[sym.Name]
			if had {
				gs.probes = g.syms[old].probes
			}
			if !dirty[sym.Name] { // its type and key are the old declaration's
				if !had || g.syms[old].phase != phaseDecls {
					return nil
				}
				gs.typ, gs.key = g.syms[old].typ, g.syms[old].key
			}
		default:
			return nil
		}
		if !add(gs, sym.Refs) {
			return nil
		}
	}
	for _, gs := range g.syms {
		if gs.phase == phaseGone || gs.phase == phaseBodies || gs.phase == phaseDecls && g.kind(gs) == SymbolMacro {
			continue
		}
		name := g.name(gs)
		if g.kind(gs) != SymbolMap || gs.refN > 0 && gs.phase == phaseWalk {
			return nil // a map an old body named
		}
		if declared[name] { // made from its declaration above
			continue
		}
		c := *gs
		if c.phase == phaseDecls { // its declaration went: follow makes it again from its uses
			if !dirty[name] {
				return nil
			}
			c.phase = phaseWalk
		}
		if !add(&c, nil) {
			return nil
		}
	}
	fnItem, fn := int32(-1), false
	for _, sym := range syms.bodies {
		gs, ok := fresh(sym, phaseBodies)
		if !ok || sym.Kind == SymbolMap {
			return nil
		}
		if gs.defItem != fnItem {
			fnItem = gs.defItem
			_, fn = f.Item(int(fnItem)).(*syntax.FuncDecl)
		}
		gs.fnBody = fn
		if !add(gs, sym.Refs) {
			return nil
		}
	}
	slices.SortFunc(ng.inItem, func(a, b itemGlobal) int { return cmp.Or(cmp.Compare(a.item, b.item), cmp.Compare(a.g, b.g)) })
	ng.inItem = clip(slices.Compact(ng.inItem))
	ng.syms, ng.refs = clip(ng.syms), clip(ng.refs)
	mv.g = ng
	// The bodies name no map: their symbols do not depend on the maps'
	// states, so follow need not give up when one changed.
	return mv.follow(f, items, changes, dirty, table, false)
}

// declSymbols are the symbols of an edit's declarations and of the macro
// and fn bodies, which followDecls makes globals of.
type declSymbols struct{ decls, bodies []*Symbol }

// clonedSymbols copies syms with their references, which later walks of
// the same pass would add to.
func clonedSymbols(syms []*Symbol) []*Symbol {
	out := make([]*Symbol, len(syms))
	for i, sym := range syms {
		c := *sym
		c.Refs = slices.Clone(sym.Refs)
		out[i] = &c
	}
	return out
}
