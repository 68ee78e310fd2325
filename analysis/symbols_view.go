package analysis

// This file implements the compact form of the symbol index, which a pass
// that recorded its probe walks keeps (a document open in the server).
// Materialising every symbol at absolute positions cost about two bytes of
// heap per byte of text and, after a keystroke, a copy of every symbol
// after the edit. Instead:
//
//   - a probe's variables are not stored here at all: its recorded walk
//     (probeFacts, kept per item by the incremental state) already holds
//     them, positions relative to the probe;
//   - the other symbols (maps, macros, macro parameters, variables of
//     macro and fn bodies, and every symbol of a probe whose walk was not
//     recorded) are "globals": their fields, their occurrences in items
//     without a recorded walk, relative to those items, and the probes
//     whose recorded walks name them. Their occurrences in those probes
//     are the walks' map use and macro reference events.
//
// Positions are made absolute only when a symbol is read, from the item's
// start, which the syntax.File keeps per block. A keystroke in a probe then
// costs a new view sharing everything but the edited items' walks (the
// incremental state's record list already copies only those;
// symbols_follow.go), and finding the symbol at a position costs a search
// for its item and a scan of that item's walk: O(log n + item), not
// O(file). All, which callers needing every symbol use, materialises them
// once per version.

import (
	"cmp"
	"slices"
	"sort"
	"strings"
	"sync/atomic"

	"github.com/bpfls/bpfls/analysis/syntax"
)

// symView is the compact index of one version.
type symView struct {
	file  *syntax.File
	items recList // the incremental state's records: each probe's walk
	g     *symGlobals
	// followed is set when the view followed an edit rather than being
	// built from a pass's index, for tests.
	followed bool
}

// symGlobals is the part of a view that versions share until an edit
// changes which probes reference a macro.
type symGlobals struct {
	// syms is every global, in the pass's order of definition within
	// each phase (but for maps a later version made, whose place is their
	// walk's).
	syms   []*globalSym
	maps   map[string]int32   // a map's global by name
	macros map[string][]int32 // a macro's overloads by name, in order
	// inItem lists the globals with occurrences in each item without a
	// recorded walk, sorted by item (a list, not a map: maps cost more
	// per entry, and this is kept for as long as the document is open).
	inItem []itemGlobal
	// unrecorded lists, for each probe whose walk was not recorded (it
	// reads a macro's text, say), the globals its walk defined, in order.
	unrecorded []itemGlobal
	// strs holds the globals' strings (kinds, names, types), which repeat.
	strs []string
	refs []itemSpan // the globals' occurrences in items without a recorded walk
	// refsEnd is the end of the list of references its backing array's
	// appender made, -1 once claimed (claimRefs); nil: unknown, copy it.
	refsEnd *atomic.Int64
}

// globalSym is a symbol that is not a probe's variable. It is kept for as
// long as the document is open, so its strings are indexes into strs.
type globalSym struct {
	kind, name, typ, key, detail uint32
	phase                        symPhase
	fnBody                       bool // phaseBodies: defined in a fn's body, which the pass checks after every macro's
	// item is the probe whose walk defined a symbol of phaseWalk: for a
	// recorded walk, a map, made by the walk's first use of it not through
	// a macro's parameter.
	item int32
	// The definition lies in defItem: at def, relative to it, or, in a
	// probe, at the defUse'th of the walk's map uses of the map (a map's
	// definition is its first write, wherever that is).
	defItem int32
	def     syntax.Span
	defUse  int32
	// refs are its occurrences in items without a recorded walk:
	// symGlobals.refs[refFirst:refFirst+refN] (one list for all: a slice
	// each cost an allocation and a header per symbol).
	refFirst, refN uint32
	probes         itemList // the probe items whose recorded walks reference it
}

// symPhase is the part of the pass that defined a global.
type symPhase uint8

const (
	phaseDecls  symPhase = iota // the declarations
	phaseWalk                   // a probe's walk
	phaseBodies                 // macro and fn bodies
	phaseGone                   // none: a map an edit removed
)

// itemGlobal is a global in an item.
type itemGlobal struct{ item, g int32 }

// inItem returns the entries of the sorted list l in item.
func inItem(l []itemGlobal, item int32) []itemGlobal {
	lo, _ := slices.BinarySearchFunc(l, item, func(e itemGlobal, t int32) int { return cmp.Compare(e.item, t) })
	hi := lo
	for hi < len(l) && l[hi].item == item {
		hi++
	}
	return l[lo:hi]
}

type itemSpan struct {
	item int32
	span syntax.Span
}

func (g *symGlobals) refsOf(gs *globalSym) []itemSpan {
	return g.refs[gs.refFirst : gs.refFirst+gs.refN]
}

func (g *symGlobals) kind(gs *globalSym) SymbolKind { return SymbolKind(g.strs[gs.kind]) }
func (g *symGlobals) name(gs *globalSym) string     { return g.strs[gs.name] }

// newSymbolView returns the compact form of the pass's index idx, for f
// whose probes' walks facts holds (by item index) and items keeps, or nil
// when the index holds what the compact form cannot (a walk not recorded,
// an occurrence outside every item). The check costs O(symbols).
func newSymbolView(idx *SymbolIndex, f *syntax.File, items recList, facts []*probeFacts) *symView {
	n := f.NumItems()
	if idx == nil || idx.v != nil || len(idx.walkStarts) != n+1 || items.len() != n || len(facts) != n {
		return nil
	}
	v := &symView{file: f, items: items}
	for i := range n {
		if f.IsProbe(i) && items.at(i).facts != facts[i] {
			return nil
		}
	}
	g := &symGlobals{maps: map[string]int32{}, macros: map[string][]int32{}}
	strs := map[string]uint32{}
	str := func(x string) uint32 {
		k, ok := strs[x]
		if !ok {
			k = uint32(len(g.strs))
			strs[x] = k
			g.strs = append(g.strs, strings.Clone(x)) // not a pointer into a syntax tree the File may drop
		}
		return k
	}
	walked := func(i int32) bool { return f.IsProbe(int(i)) && facts[i] != nil }
	inProbes := map[int32]int{} // occurrences in probes, per global
	starts := idx.walkStarts
	add := func(sym *Symbol, item int32, phase symPhase) bool {
		gi := int32(len(g.syms))
		gs := &globalSym{kind: str(string(sym.Kind)), name: str(sym.Name), typ: str(sym.Type), key: str(sym.Key), detail: str(sym.Detail),
			item: item, phase: phase, defUse: -1, refFirst: uint32(len(g.refs))}
		it, ok := v.itemOf(sym.Def)
		if !ok {
			return false
		}
		gs.defItem = it
		if !walked(it) {
			gs.def = shiftSpanBy(sym.Def, -f.ItemSpan(int(it)).Start)
		} else if pf := facts[it]; sym.Kind != SymbolMap {
			return false
		} else {
			at := f.ItemSpan(int(it)).Start
			for k, u := range mapUses(pf, sym.Name) {
				if shiftSpanBy(u, at) == sym.Def {
					gs.defUse = int32(k)
					break
				}
			}
			if gs.defUse < 0 {
				return false
			}
		}
		for _, r := range sym.Refs {
			it, ok := v.itemOf(r)
			switch {
			case !ok:
				return false
			case walked(it):
				inProbes[gi]++
			default:
				rel := shiftSpanBy(r, -f.ItemSpan(int(it)).Start)
				g.refs = append(g.refs, itemSpan{item: it, span: rel})
				gs.refN++
				g.inItem = append(g.inItem, itemGlobal{it, gi})
			}
		}
		switch sym.Kind {
		case SymbolMap:
			g.maps[sym.Name] = gi
		case SymbolMacro:
			g.macros[sym.Name] = append(g.macros[sym.Name], gi)
		}
		g.syms = append(g.syms, gs)
		return true
	}
	all := idx.flat
	for _, sym := range all[:starts[0]] {
		if !add(sym, 0, phaseDecls) {
			return nil
		}
	}
	for i := range n {
		from, to := int(starts[i]), int(starts[i+1])
		if from == to {
			continue
		}
		pf := facts[i]
		if pf == nil {
			for _, sym := range all[from:to] {
				g.unrecorded = append(g.unrecorded, itemGlobal{int32(i), int32(len(g.syms))})
				if !add(sym, int32(i), phaseWalk) {
					return nil
				}
			}
			continue
		}
		vars := 0
		for _, sym := range all[from:to] {
			if sym.Kind != SymbolMap {
				vars++
			} else if !add(sym, int32(i), phaseWalk) {
				return nil
			}
		}
		if vars != pf.numSyms() {
			return nil
		}
	}
	for _, sym := range all[starts[n]:] {
		if !add(sym, 0, phaseBodies) {
			return nil
		}
		gs := g.syms[len(g.syms)-1]
		_, gs.fnBody = f.Item(int(gs.defItem)).(*syntax.FuncDecl)
	}
	// The probes referencing each global, from the walks' events; a global
	// with more occurrences in probes than events is not what the walks
	// recorded.
	events := map[int32]int{}
	probes := make([][]int32, len(g.syms))
	for i := range n {
		pf := facts[i]
		if pf == nil || !f.IsProbe(i) {
			continue
		}
		for _, ev := range pf.events() {
			for _, gi := range g.named(pf, ev) {
				events[gi]++
				if k := len(probes[gi]); k == 0 || probes[gi][k-1] != int32(i) {
					probes[gi] = append(probes[gi], int32(i))
				}
			}
		}
	}
	for gi, gs := range g.syms {
		gs.probes = newItemList(clip(probes[gi]))
	}
	for gi, k := range inProbes {
		if events[gi] < k {
			return nil
		}
	}
	slices.SortFunc(g.inItem, func(a, b itemGlobal) int { return cmp.Or(cmp.Compare(a.item, b.item), cmp.Compare(a.g, b.g)) })
	g.inItem = clip(slices.Compact(g.inItem))
	g.unrecorded = clip(g.unrecorded) // in order of item and definition already
	g.syms, g.strs, g.refs = clip(g.syms), clip(g.strs), clip(g.refs)
	v.g = g
	return v
}

// named returns the globals the walk event ev references: the map a use
// not made through a macro's parameter names, every overload of a macro a
// reference names.
func (g *symGlobals) named(pf *probeFacts, ev factEvent) []int32 {
	switch ev.kind {
	case factMapUse:
		vw := pf.dict.view()
		if vw.uses[ev.use].viaMacro {
			return nil
		}
		if gi, ok := g.maps[vw.strs[ev.name]]; ok {
			return []int32{gi}
		}
	case factMacroRef:
		return g.macros[pf.name(ev)]
	}
	return nil
}

// itemOf returns the item whose span contains s.
func (v *symView) itemOf(s syntax.Span) (int32, bool) {
	f := v.file
	n := f.NumItems()
	i := sort.Search(n, func(k int) bool { return f.ItemSpan(k).End >= s.End })
	if i < n && f.ItemSpan(i).Start <= s.Start {
		return int32(i), true
	}
	return 0, false
}

func (v *symView) start(item int32) syntax.Pos { return v.file.ItemSpan(int(item)).Start }

// facts returns the recorded walk of probe item i, or nil.
func (v *symView) facts(i int32) *probeFacts {
	if !v.file.IsProbe(int(i)) {
		return nil
	}
	return v.items.at(int(i)).facts
}

// global returns global gi at this version's positions.
func (v *symView) global(gi int32) *Symbol { return v.globalRefs(gi, true) }

// globalRefs is global, its references left out (nil) unless refs is set:
// they cost as many as the symbol has, a map's being in every probe that
// uses it.
func (v *symView) globalRefs(gi int32, refs bool) *Symbol {
	gs := v.g.syms[gi]
	g := v.g
	sym := Symbol{Kind: g.kind(gs), Name: g.name(gs), Type: g.strs[gs.typ], Key: g.strs[gs.key], Detail: g.strs[gs.detail]}
	if gs.defUse < 0 {
		sym.Def = shiftSpanBy(gs.def, v.start(gs.defItem))
	} else {
		sym.Def = shiftSpanBy(mapUses(v.facts(gs.defItem), sym.Name)[gs.defUse], v.start(gs.defItem))
	}
	if !refs {
		return &sym
	}
	sym.Refs = make([]syntax.Span, 0, int(gs.refN)+gs.probes.len())
	for _, r := range g.refsOf(gs) {
		sym.Refs = append(sym.Refs, shiftSpanBy(r.span, v.start(r.item)))
	}
	name := g.name(gs)
	for i := range gs.probes.all() {
		pf, at := v.facts(i), v.start(i)
		vw := pf.dict.view()
		for _, ev := range pf.events() {
			// what named returns, without a slice per event: a map has
			// one global, every overload of a macro takes the reference
			if (ev.kind == factMapUse && !vw.uses[ev.use].viaMacro || ev.kind == factMacroRef) && vw.strs[ev.name] == name {
				sym.Refs = append(sym.Refs, shiftSpanBy(ev.span, at))
			}
		}
	}
	sortRefs(&sym)
	return &sym
}

// all returns every symbol in the pass's order of definition.
func (v *symView) all() []*Symbol {
	g := v.g
	var out []*Symbol
	for gi, gs := range g.syms {
		if gs.phase == phaseDecls {
			out = append(out, v.global(int32(gi)))
		}
	}
	for i := range int32(v.file.NumItems()) {
		pf := v.facts(i)
		if pf == nil {
			for _, o := range inItem(g.unrecorded, i) {
				out = append(out, v.global(o.g))
			}
			continue
		}
		at := v.start(i)
		syms, refs := pf.syms(), pf.refs()
		for _, d := range v.group(i, pf) {
			if d.global >= 0 {
				out = append(out, v.global(d.global))
			} else {
				out = append(out, absSymbol(pf.symbolIn(syms, refs, d.variable), at))
			}
		}
	}
	for gi, gs := range g.syms {
		if gs.phase == phaseBodies {
			out = append(out, v.global(int32(gi)))
		}
	}
	return out
}

// groupSym is a symbol a probe's walk defined: the variable'th of its
// variables, or a global map.
type groupSym struct {
	variable int
	global   int32 // -1: a variable
}

// group returns the symbols probe item's walk pf defined, in order.
func (v *symView) group(item int32, pf *probeFacts) []groupSym {
	var out []groupSym
	var seen map[int32]int32 // uses of the maps first used here, so far
	next := 0
	for _, ev := range pf.events() {
		switch ev.kind {
		case factSymbol:
			out = append(out, groupSym{variable: next, global: -1})
			next++
		case factMapUse:
			for _, gi := range v.g.named(pf, ev) {
				gs := v.g.syms[gi]
				if gs.phase != phaseWalk || gs.item != item {
					continue
				}
				if seen == nil {
					seen = map[int32]int32{}
				}
				if seen[gi] == 0 { // the use that made the symbol
					out = append(out, groupSym{global: gi})
				}
				seen[gi]++
			}
		}
	}
	return out
}

// symCand is an occurrence a search matched.
type symCand struct {
	occ   syntax.Span // the occurrence
	order []int       // where its symbol comes in the pass's order: (phase, item, rank)
	get   func(refs bool) *Symbol
	n     int // its length, or 0 for a search that takes the first
}

// at returns the symbol with the narrowest occurrence containing pos; of
// equally narrow ones, the symbol defined first, as the flat index's scan
// finds it.
func (v *symView) at(pos syntax.Pos) (*Symbol, bool) {
	if c := v.find(pos, func(s syntax.Span) bool { return s.Contains(pos) }, true); c != nil {
		return c.get(true), true
	}
	return nil, false
}

// headAt is at with the symbol's references left out, and the occurrence
// that contains pos.
func (v *symView) headAt(pos syntax.Pos) (*Symbol, syntax.Span, bool) {
	if c := v.find(pos, func(s syntax.Span) bool { return s.Contains(pos) }, true); c != nil {
		return c.get(false), c.occ, true
	}
	return nil, syntax.Span{}, false
}

// startingAt returns the first symbol defined with an occurrence starting
// at pos.
func (v *symView) startingAt(pos syntax.Pos) (*Symbol, bool) {
	if c := v.find(pos, func(s syntax.Span) bool { return s.Start == pos }, false); c != nil {
		return c.get(true), true
	}
	return nil, false
}

// find returns the occurrence match accepts in the items containing pos,
// nil when none: the narrowest when narrow is set, and of those the one
// of the symbol defined first. match receives absolute spans.
func (v *symView) find(pos syntax.Pos, match func(syntax.Span) bool, narrow bool) *symCand {
	f := v.file
	n := f.NumItems()
	var best *symCand
	consider := func(c symCand) {
		if !narrow {
			c.n = 0
		}
		if best == nil || c.n < best.n || c.n == best.n && slices.Compare(c.order, best.order) < 0 {
			best = &c
		}
	}
	for i := sort.Search(n, func(k int) bool { return f.ItemSpan(k).End >= pos }); i < n && f.ItemSpan(i).Start <= pos; i++ {
		item := int32(i)
		at := v.start(item)
		if pf := v.facts(item); pf != nil {
			v.findInWalk(pf, item, match, consider)
			continue
		}
		for _, o := range inItem(v.g.inItem, item) {
			gi := o.g
			for _, r := range v.g.refsOf(v.g.syms[gi]) {
				if s := shiftSpanBy(r.span, at); r.item == item && match(s) {
					consider(symCand{occ: s, n: s.Len(), order: v.order(gi), get: func(refs bool) *Symbol { return v.globalRefs(gi, refs) }})
				}
			}
		}
	}
	return best
}

// findInWalk considers the occurrences in probe item's walk pf that match
// accepts.
func (v *symView) findInWalk(pf *probeFacts, item int32, match func(syntax.Span) bool, consider func(symCand)) {
	at := v.start(item)
	next := 0
	var syms []factSym
	var refs []syntax.Span
	for _, ev := range pf.events() {
		switch ev.kind {
		case factSymbol:
			k := next
			next++
			if syms == nil {
				syms, refs = pf.syms(), pf.refs()
			}
			fs := syms[k]
			for _, r := range refs[fs.first : fs.first+fs.n] { // the definition included
				if s := shiftSpanBy(r, at); match(s) {
					consider(symCand{occ: s, n: r.Len(), order: []int{1, int(item), v.rank(pf, item, k)}, get: func(refs bool) *Symbol {
						sym := absSymbol(pf.symbol(k), at)
						if !refs {
							sym.Refs = nil
						}
						return sym
					}})
				}
			}
		default:
			s := shiftSpanBy(ev.span, at)
			if !match(s) {
				continue
			}
			for _, gi := range v.g.named(pf, ev) {
				consider(symCand{occ: s, n: ev.span.Len(), order: v.order(gi), get: func(refs bool) *Symbol { return v.globalRefs(gi, refs) }})
			}
		}
	}
}

// named returns the symbols named name in order of definition: the
// globals, and the variables of the probe containing near.
func (v *symView) named(name string, near syntax.Pos) []*Symbol {
	var cands []symCand
	f := v.file
	for gi, gs := range v.g.syms {
		if gs.phase == phaseGone || gs.phase == phaseWalk && v.g.kind(gs) == SymbolVariable && !f.ItemSpan(int(gs.item)).Contains(near) {
			continue // a variable of another probe, whose walk was not recorded
		}
		if v.g.name(gs) == name {
			gi := int32(gi)
			cands = append(cands, symCand{order: v.order(gi), get: func(bool) *Symbol { return v.global(gi) }})
		}
	}
	n := f.NumItems()
	for i := sort.Search(n, func(k int) bool { return f.ItemSpan(k).End >= near }); i < n && f.ItemSpan(i).Start <= near; i++ {
		item := int32(i)
		pf := v.facts(item)
		if pf == nil {
			continue
		}
		at, vw := v.start(item), pf.dict.view()
		for k, fs := range pf.syms() {
			if vw.strs[fs.name] == name {
				cands = append(cands, symCand{order: []int{1, i, v.rank(pf, item, k)}, get: func(bool) *Symbol { return absSymbol(pf.symbol(k), at) }})
			}
		}
	}
	slices.SortFunc(cands, func(a, b symCand) int { return slices.Compare(a.order, b.order) })
	out := make([]*Symbol, len(cands))
	for i, c := range cands {
		out[i] = c.get(true)
	}
	return out
}

// order is where global gi comes in the pass's order of definition.
func (v *symView) order(gi int32) []int {
	g := v.g
	if p := g.syms[gi].phase; p != phaseWalk {
		return []int{int(p), 0, int(gi)}
	}
	item := g.syms[gi].item
	if pf := v.facts(item); pf != nil {
		return []int{1, int(item), slices.Index(v.group(item, pf), groupSym{global: gi})}
	}
	return []int{1, int(item), slices.Index(inItem(g.unrecorded, item), itemGlobal{item, gi})}
}

// rank is where the k'th variable of item's walk comes among the symbols
// the walk defined.
func (v *symView) rank(pf *probeFacts, item int32, k int) int {
	return slices.Index(v.group(item, pf), groupSym{variable: k, global: -1})
}

// absSymbol is a recorded variable at the positions of a probe starting
// at start, its references sorted as symbolSink.finish sorts them.
func absSymbol(rel Symbol, start syntax.Pos) *Symbol {
	sym := rel
	sym.Def = shiftSpanBy(rel.Def, start)
	sym.Refs = make([]syntax.Span, len(rel.Refs))
	for i, r := range rel.Refs {
		sym.Refs[i] = shiftSpanBy(r, start)
	}
	sortRefs(&sym)
	return &sym
}

// sortRefs sorts sym's references and drops duplicates.
func sortRefs(sym *Symbol) {
	// By start then end, so that any order of the same references sorts
	// alike; a map's references mostly come sorted, item by item.
	less := func(a, b syntax.Span) int { return cmp.Or(cmp.Compare(a.Start, b.Start), cmp.Compare(a.End, b.End)) }
	if !slices.IsSortedFunc(sym.Refs, less) {
		slices.SortFunc(sym.Refs, less)
	}
	out := sym.Refs[:0]
	for i, r := range sym.Refs {
		if i == 0 || r != sym.Refs[i-1] {
			out = append(out, r)
		}
	}
	sym.Refs = out
}

func shiftSpanBy(s syntax.Span, d syntax.Pos) syntax.Span {
	return syntax.Span{Start: s.Start + d, End: s.End + d}
}

// compactSymbols returns the compact form of the pass's index idx when it
// has one, else idx.
func compactSymbols(idx *SymbolIndex, f *syntax.File, items recList, facts []*probeFacts) *SymbolIndex {
	if v := newSymbolView(idx, f, items, facts); v != nil {
		return &SymbolIndex{v: v}
	}
	return idx
}

// mapUses returns the spans of pf's uses of the map name, through a
// macro's parameter or not, in order, relative to the probe.
func mapUses(pf *probeFacts, name string) []syntax.Span {
	var out []syntax.Span
	for _, ev := range pf.events() {
		if ev.kind == factMapUse && pf.name(ev) == name {
			out = append(out, ev.span)
		}
	}
	return out
}
