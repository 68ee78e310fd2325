package analysis

// This file implements the incremental path of Reanalyze: the file-level
// facts of a snapshot (map types, the file-level diagnostics, each item's
// walk and diagnostics) persist in it, per item and keyed by the item's
// parse (syntax.ItemID), with positions relative to the item. The next
// version re-checks only the items the edit re-parsed, and reuses the rest
// without reading them, so a keystroke costs about the same at any file
// size, whether or not it moves every later line.
//
// The incremental path applies when the re-parsed items are probes, the
// declarations and the target did not change, and the new probes' walk of
// the file-level pass touches the same maps, seeing them in the same state,
// and records the same map uses as the old probes' walk did, positions
// aside. Then every other probe sees the same map types as before, the
// file-level diagnostics are the previous ones with their positions moved,
// and only the new probes need the probe pass. Anything else takes the full
// pass (analyze), which re-uses what its caches can.

import (
	"context"
	"crypto/sha256"
	"reflect"

	"github.com/bpfls/bpfls/analysis/syntax"
)

// incState is what a snapshot keeps for the next version's incremental
// path. It is built once and only read afterwards.
type incState struct {
	target   [sha256.Size]byte // writeTarget's hash
	factsKey string            // factsKeyer's key, "" without one
	items    recList           // one per item of the snapshot's File
	declIdx  []int             // the indexes of the items that are not probes
	marked   []int             // the indexes of the items with diagnostics or special attach points
	nuser    int               // how many probes attach to user space
	volatile int               // how many items the incremental path cannot reuse
	maps     []mapSummary      // every map as the probe pass sees it, in order of first use
	envDiags []Diagnostic      // the file-level pass's diagnostics, at this version's positions
	// mapDiagFrom is where the map checks' diagnostics start in envDiags,
	// and mapDiags where each map's lie; mapIdx lists, by map name, the
	// items whose walks touch the map, in order (nil until a map-use edit
	// needs it: incremental_maps.go).
	mapDiagFrom int
	mapDiags    []mapDiagRange
	mapIdx      map[string]itemList
	byMaps      bool // made by reanalyzeMaps, for tests
	// macroIdx lists, by macro name, the items whose walks expand the
	// macro, in order (nil until a macro edit needs it:
	// incremental_macro.go).
	macroIdx map[string]itemList
	byMacro  bool // made by reanalyzeMacro, for tests
	byFn     bool // made by reanalyzeFn, for tests
	byDecls  bool // made by reanalyzeDecls without replaying every walk, for tests
	// decls is the start of the file-level pass (newDeclEnvAt) for the
	// next version, whose declarations are the same parses or texts;
	// nil to build it again.
	decls  *fileEnv
	byFast bool // made by reanalyzeFast, for tests
}

// itemRec is one item's share of an analysis, positions relative to the
// item's start.
type itemRec struct {
	id       syntax.ItemID
	facts    *probeFacts // its walk in the file-level pass (envcache.go)
	marks    *itemMarks  // nil when it has neither: most items
	probe    bool
	user     bool // a probe attaching to user space
	volatile bool // diagnostics outside the item, or a walk that cannot be replayed
}

// itemMarks are what an item adds to the file's diagnostics, kept apart
// from its record because few items have any and a document keeps a
// record per item.
type itemMarks struct {
	diags   []Diagnostic // its probe pass diagnostics
	special []specialAP  // its BEGIN and END attach points
}

func (r *itemRec) diags() []Diagnostic {
	if r.marks == nil {
		return nil
	}
	return r.marks.diags
}

func (r *itemRec) special() []specialAP {
	if r.marks == nil {
		return nil
	}
	return r.marks.special
}

// setDiags sets the record's diagnostics, before it is shared.
func (r *itemRec) setDiags(ds []Diagnostic) { r.setMarks(ds, r.special()) }

// setSpecial sets the record's BEGIN and END attach points, before it is
// shared.
func (r *itemRec) setSpecial(aps []specialAP) { r.setMarks(r.diags(), aps) }

// setMarks keeps marks only when there is one.
func (r *itemRec) setMarks(ds []Diagnostic, aps []specialAP) {
	if len(ds) == 0 && len(aps) == 0 {
		r.marks = nil
		return
	}
	r.marks = &itemMarks{diags: ds, special: aps}
}

// specialAP is a BEGIN or END attach point, which checkSpecialProbes counts.
type specialAP struct {
	name string
	span syntax.Span // relative to the item
}

// mapSummary is a map's final state.
type mapSummary struct {
	name  string
	state mapState
}

// mapSummaries is the final state of every map of env, in order.
func mapSummaries(env *fileEnv) []mapSummary {
	maps := make([]mapSummary, len(env.maps.order))
	for i, m := range env.maps.order {
		maps[i] = mapSummary{name: m.name, state: mapStateOf(m)}
	}
	return maps
}

// newIncState records what analyze found for f, or returns nil when the
// run was cut short.
func newIncState(ctx context.Context, f *syntax.File, cfg Config, env *fileEnv, pc *probeCache) *incState {
	if ctx.Err() != nil || env.itemFacts == nil || len(pc.items) != f.NumItems() {
		return nil
	}
	st := &incState{target: targetHash(f, cfg), factsKey: factsKeyOf(env), declIdx: env.declIdx, envDiags: env.diags,
		mapDiagFrom: env.mapDiagFrom, mapDiags: env.mapDiags}
	n := f.NumItems()
	recs := make([]*itemRec, n)
	all := make([]itemRec, n) // one allocation: they live as long as the document
	for i := range n {
		rec := &all[i]
		rec.id = f.ItemID(i)
		if f.IsProbe(i) {
			aps := f.ProbeAttachPoints(i) // its head alone: see analyze
			rec.probe, rec.user, rec.facts = true, userAttach(aps), env.itemFacts[i]
			rec.setSpecial(specialAttach(aps, cfg))
			rec.setDiags(pc.items[i])
			rec.volatile = rec.facts == nil || pc.volatile[i]
		}
		if rec.user {
			st.nuser++
		}
		if rec.volatile {
			st.volatile++
		}
		if rec.marked() {
			st.marked = append(st.marked, i)
		}
		recs[i] = rec
	}
	st.items = newRecList(recs)
	st.maps = mapSummaries(env)
	st.decls = sharedDecls(env)
	return st
}

// sharedDecls returns the declarations of env, for passes over later
// versions of its file with the same declarations. Only what newDeclEnvAt
// sets is kept, and it is only read from then on: its positions may be
// those of an earlier version, which the incremental path never lets
// reach a result (a result outside the edited probes makes it give up).
func sharedDecls(env *fileEnv) *fileEnv {
	d := *env
	d.file, d.diags, d.maps, d.syms, d.symbols, d.cache, d.itemFacts, d.aligned = nil, nil, nil, nil, nil, nil, nil, recList{}
	d.sharedDecls, d.mapDiags = true, nil
	return &d
}

// declEnv is the start of the file-level pass over f, whose items that
// are not probes are decls: the shared declarations when st has them,
// else built again.
func (st *incState) declEnv(ctx context.Context, f *syntax.File, cfg Config, userProbes bool, decls []int) *fileEnv {
	if st.decls == nil || st.decls.userProbes != userProbes {
		return newDeclEnvAt(ctx, &Reporter{}, f, cfg, 0, &userProbes, decls)
	}
	e := *st.decls
	e.file, e.declIdx, e.maps, e.syms = f, decls, newMapTable(), newSymbolSink()
	return &e
}

// marked reports whether the record adds to the file's diagnostics.
func (r *itemRec) marked() bool { return len(r.diags()) > 0 || len(r.special()) > 0 }

// targetHash hashes what the declarations are read against: the target
// and the binaries read. The declarations themselves need no hash: the
// incremental path keeps them only when their parses, or texts, are the
// same.
func targetHash(f *syntax.File, cfg Config) [sha256.Size]byte {
	h := sha256.New()
	writeTarget(h, f, cfg)
	var sum [sha256.Size]byte
	copy(sum[:], h.Sum(nil))
	return sum
}

func factsKeyOf(env *fileEnv) string {
	if fk, ok := any(env).(factsKeyer); ok {
		return fk.factsKey()
	}
	return ""
}

// specialAPs lists p's BEGIN and END attach points, which bpftrace before
// 0.25 allows once per file.
func specialAPs(p *syntax.Probe, cfg Config) []specialAP { return specialAttach(p.AttachPoints, cfg) }

// specialAttach is specialAPs given the probe's attach points aps.
func specialAttach(aps []*syntax.AttachPoint, cfg Config) []specialAP {
	var out []specialAP
	for _, n := range aps {
		if prov, _, ok := lookupProvider(n.Provider, cfg.Dialect.Version); ok && (prov.name == "BEGIN" || prov.name == "END") {
			start := aps[0].Pos() // the probe's
			out = append(out, specialAP{name: prov.name, span: syntax.Span{Start: n.Span.Start - start, End: n.Span.End - start}})
		}
	}
	return out
}

// reanalyzeFast is the incremental path; nil when it does not apply.
func reanalyzeFast(ctx context.Context, prev *Snapshot, f *syntax.File) *Snapshot {
	pi, pf := prev.inc, prev.File
	if pi == nil || pi.volatile > 0 || pi.items.len() != pf.NumItems() || pf.Name != f.Name {
		return nil
	}
	rg, ok := findRegion(pf, f)
	if !ok {
		return nil
	}
	olds := pi.items.slice(rg.lo, rg.hiOld)
	fresh, moved, nuser, dirty, ok := regionItems(pf, f, rg, olds, pi.nuser)
	if !ok { // a declaration appeared, went or changed its name or parameters
		return reanalyzeDecls(ctx, prev, f, pi, rg)
	}
	cfg := prev.Config
	// The region is as long as before or holds only probes, so the items
	// that are not probes keep their indexes or only those after it move.
	decls := rg.moveDecls(pi.declIdx)
	if (nuser > 0) != (pi.nuser > 0) || targetHash(f, cfg) != pi.target {
		return nil
	}
	userProbes := nuser > 0
	if len(dirty) > 0 && rg.hiNew == rg.hiOld {
		if s := reanalyzeMacro(ctx, prev, f, pi, rg, nuser, dirty); s != nil {
			return s
		}
	}
	if dirty != nil && len(dirty) == 0 && len(moved) == 0 {
		if s := reanalyzeFn(ctx, prev, f, pi, rg, nuser); s != nil {
			return s
		}
	}
	if rg.hiNew-rg.lo != rg.hiOld-rg.lo && dirty == nil { // probes split, joined, added or removed
		if e := pi.declEnv(ctx, f, cfg, userProbes, decls); factsKeyOf(e) == pi.factsKey {
			if s := reanalyzeMaps(ctx, prev, f, pi, rg, olds, fresh, moved, nuser, e, nil); s != nil {
				return s
			}
		}
	}
	if dirty != nil { // an edit inside declarations
		if s := reanalyzeBodies(ctx, prev, f, pi, rg); s != nil {
			return s
		}
	}
	if rg.hiNew-rg.lo != rg.hiOld-rg.lo || dirty != nil { // an edit that split or joined probes, or changed a declaration
		return reanalyzeMedium(ctx, prev, f, pi, rg, nuser, decls, dirty, nil)
	}
	e := pi.declEnv(ctx, f, cfg, userProbes, decls)
	if factsKeyOf(e) != pi.factsKey {
		return nil
	}
	recs, ok := walkRegion(e, pi, rg, olds, fresh)
	var uses map[syntax.Span]syntax.Span
	var envDiags []Diagnostic
	if ok {
		uses = regionUses(pf, f, rg, olds, recs)
		envDiags, ok = rg.remap(pi.envDiags, uses, moved)
	}
	if !ok { // the edit changed what the walk records of the maps
		if s := reanalyzeMaps(ctx, prev, f, pi, rg, olds, fresh, moved, nuser, e, nil); s != nil {
			return s
		}
		return reanalyzeMedium(ctx, prev, f, pi, rg, nuser, decls, nil, nil)
	}
	if !checkRegion(ctx, e, pi, f, fresh, recs) {
		return nil
	}
	items := pi.items.set(rg.lo, recs)
	marked := rg.marked(pi.marked, recs)
	s := incrementalSnapshot(f, cfg, envDiags, items, marked)
	// The content-keyed caches stay valid for a later full pass.
	s.probes, s.env = prev.probes, prev.env
	s.inc = &incState{target: pi.target, factsKey: pi.factsKey, items: items, declIdx: pi.declIdx, marked: marked,
		nuser: nuser, maps: pi.maps, envDiags: envDiags, decls: pi.decls,
		mapDiagFrom: pi.mapDiagFrom, mapDiags: pi.mapDiags, mapIdx: pi.mapIdx} // remap keeps every diagnostic's index
	if pi.macroIdx != nil {
		s.inc.macroIdx = followMacroIndex(pi.macroIdx, rg.lo, olds, recs)
	}
	s.inc.byFast = true
	// The compact symbol index follows in O(edit); without one, it is
	// rebuilt by replaying the walks when first read.
	if base := prev.builtSymbols(); base != nil && base.v != nil {
		if changes, ok := walkChanges(rg.lo, olds, recs); ok {
			if v := base.v.follow(f, items, changes, nil, nil, false); v != nil {
				s.symbols = &SymbolIndex{v: v}
			}
		}
	}
	return s
}

// movedItem is an item of the region that is not a probe, re-parsed to
// the same text (an edit of the layout or comments before it): what lies
// in [from, to] of the old File moved by delta.
type movedItem struct {
	from, to, delta syntax.Pos
}

// regionItems pairs the region's old and new items. It returns the new
// probes by position in the region (nil for an item that is not a probe),
// the moved items that are not probes, how many probes attach to user
// space after the edit, and, when the edit changed the body of a macro or
// fn or a map declaration, the set of the macros whose bodies changed
// (not nil, maybe empty); false when the incremental paths do not apply:
// any other declaration changed, or one appeared or went.
func regionItems(pf, f *syntax.File, rg region, olds []*itemRec, nuser int) ([]*syntax.Probe, []movedItem, int, map[string]bool, bool) {
	var moved []movedItem
	var dirty map[string]bool
	decls := false
	for k, r := range olds {
		if r.user {
			nuser--
		}
		if r.probe {
			continue
		}
		decls = true
		i := rg.lo + k
		if rg.hiNew-rg.lo != len(olds) || f.IsProbe(i) {
			return nil, nil, 0, nil, false
		}
		if sameItemText(pf, f, i) {
			os, ns := pf.ItemSpan(i), f.ItemSpan(i)
			moved = append(moved, movedItem{from: os.Start, to: os.End, delta: ns.Start - os.Start})
			continue
		}
		macro, ok := bodyEdit(pf, f, i)
		if !ok {
			return nil, nil, 0, nil, false
		}
		if dirty == nil {
			dirty = map[string]bool{}
		}
		if macro != "" {
			dirty[macro] = true
		}
	}
	fresh := make([]*syntax.Probe, rg.hiNew-rg.lo)
	for i := rg.lo; i < rg.hiNew; i++ {
		k := i - rg.lo
		if paired := decls && !olds[k].probe; paired != !f.IsProbe(i) {
			return nil, nil, 0, nil, false // a declaration appeared, went, or became a probe
		}
		if !f.IsProbe(i) {
			continue
		}
		p := f.Item(i).(*syntax.Probe) // parsed afresh: nothing to shift
		if attachesToUser(p) {
			nuser++
		}
		fresh[k] = p
	}
	return fresh, moved, nuser, dirty, true
}

// bodyEdit reports whether a declaration changed only where the replaying
// path can follow: in the body of a macro or fn whose name and parameters
// stay (the macro's name is returned, as the probes that expand it must be
// walked again), or in a map declaration of the same map.
func bodyEdit(old, f *syntax.File, i int) (macro string, ok bool) {
	a, b := old.Item(i), f.Item(i)
	header := func(x *syntax.File, from syntax.Pos, body *syntax.Block) (string, bool) {
		if body == nil || from < 0 || body.Lbrace < from || body.Lbrace > syntax.Pos(x.Len()) {
			return "", false
		}
		return x.SpanText(syntax.Span{Start: from, End: body.Lbrace}), true
	}
	same := func(fromA, fromB syntax.Pos, bodyA, bodyB *syntax.Block) bool {
		ha, okA := header(old, fromA, bodyA)
		hb, okB := header(f, fromB, bodyB)
		return okA && okB && ha == hb
	}
	switch x := a.(type) {
	case *syntax.MacroDecl:
		y, isMacro := b.(*syntax.MacroDecl)
		if isMacro && x.Name != nil && same(x.Pos(), y.Pos(), x.Body, y.Body) {
			return x.Name.Name, true
		}
	case *syntax.FuncDecl:
		y, isFn := b.(*syntax.FuncDecl)
		return "", isFn && same(x.Pos(), y.Pos(), x.Body, y.Body)
	case *syntax.MapDecl:
		y, isMap := b.(*syntax.MapDecl)
		return "", isMap && x.Map != nil && y.Map != nil && x.Map.Name == y.Map.Name
	}
	return "", false
}

// sameItemText reports whether item i of old and f is the same kind of
// item with the same text.
func sameItemText(old, f *syntax.File, i int) bool {
	a, b := old.Item(i), f.Item(i)
	if reflect.TypeOf(a) != reflect.TypeOf(b) {
		return false
	}
	sa, sb := old.ItemSpan(i), f.ItemSpan(i)
	return sa.Len() == sb.Len() && old.SpanText(sa) == f.SpanText(sb)
}

// marked is the list of marked items after the region's records replace
// the old ones (the region keeps its length, so no index moves).
func (rg region) marked(old []int, recs []*itemRec) []int {
	out := make([]int, 0, len(old)+len(recs))
	k := 0
	for k < len(old) && old[k] < rg.lo {
		k++
	}
	out = append(out, old[:k]...)
	for j, rec := range recs {
		if rec.marked() {
			out = append(out, rg.lo+j)
		}
	}
	for k < len(old) && old[k] < rg.hiOld {
		k++
	}
	return append(out, old[k:]...)
}

// region is the run of items an edit re-parsed: [lo, hiOld) of the old
// File became [lo, hiNew) of the new one; the items before and after are
// the same parses. oldStart and oldEnd bound the region's text in the old
// File, and delta is how far the items after it moved.
type region struct {
	lo, hiOld, hiNew int
	oldStart, oldEnd syntax.Pos
	delta            syntax.Pos
}

// resized reports whether the region holds another number of items than
// before: every item after it moved by that many indexes.
func (rg region) resized() bool { return rg.hiNew != rg.hiOld }

// oldIndex is the old File's index of item i of the new one, which lies
// outside the region.
func (rg region) oldIndex(i int) int {
	if i >= rg.hiNew {
		return i - (rg.hiNew - rg.hiOld)
	}
	return i
}

// newIndex is the new File's index of item i of the old one, or -1 for an
// item of the region.
func (rg region) newIndex(i int) int {
	switch {
	case i < rg.lo:
		return i
	case i < rg.hiOld:
		return -1
	}
	return i + rg.hiNew - rg.hiOld
}

// maxRegion is the most items the incremental path re-checks. A larger
// region, or one of every item (a full parse makes every item new), takes
// the full pass, whose caches know probes by their text.
const maxRegion = 16

// findRegion finds the items of f that Reparse parsed afresh from old, or
// compares the items of old and f by parse when f was not re-parsed from
// old itself. It reports false
// when the re-parsed items are not one for one, which the incremental path
// does not handle.
func findRegion(old, f *syntax.File) (region, bool) {
	n, m := old.NumItems(), f.NumItems()
	rg := region{hiOld: n, hiNew: m}
	if lo, hiOld, hiNew, ok := f.ReparsedFrom(old); ok {
		rg.lo, rg.hiOld, rg.hiNew = lo, hiOld, hiNew
	} else {
		for rg.lo < n && rg.lo < m && old.ItemID(rg.lo) == f.ItemID(rg.lo) {
			rg.lo++
		}
		for rg.hiOld > rg.lo && rg.hiNew > rg.lo && old.ItemID(rg.hiOld-1) == f.ItemID(rg.hiNew-1) {
			rg.hiOld--
			rg.hiNew--
		}
	}
	size := rg.hiOld - rg.lo
	if max(size, rg.hiNew-rg.lo) > maxRegion || n > 1 && size == n {
		return rg, false
	}
	bounds := func(x *syntax.File, hi int) (start, end syntax.Pos) {
		switch {
		case rg.lo < hi:
			return x.ItemExtent(rg.lo).Start, x.ItemExtent(hi - 1).End
		case rg.lo > 0:
			end := x.ItemExtent(rg.lo - 1).End
			return end, end
		}
		return 0, 0
	}
	newStart, newEnd := bounds(f, rg.hiNew)
	rg.oldStart, rg.oldEnd = bounds(old, rg.hiOld)
	rg.delta = newEnd - rg.oldEnd
	return rg, newStart == rg.oldStart
}

// moveDecls returns the indexes of the items that are not probes after the
// edit: the region holds only probes, so only those after it move.
func (rg region) moveDecls(decls []int) []int {
	d := rg.hiNew - rg.hiOld
	if d == 0 {
		return decls
	}
	out := make([]int, len(decls))
	for i, k := range decls {
		if k >= rg.hiOld {
			k += d
		}
		out[i] = k
	}
	return out
}

// walkRegion runs the file-level walk of the fresh probes, each seeing the
// maps as the old probes' walks saw them, and reports whether it matches
// theirs. A nil probe is an item that is not a probe, which gets a bare
// record.
func walkRegion(e *fileEnv, pi *incState, rg region, olds []*itemRec, fresh []*syntax.Probe) ([]*itemRec, bool) {
	e.maps = mapsFrom(pi.maps)
	set := map[string]bool{}
	for _, r := range olds {
		if r.facts == nil {
			continue
		}
		for _, rd := range r.facts.mapReads() {
			if !set[rd.name] { // the first walk that touches a map sees it as the region found it
				set[rd.name] = true
				setMapState(e.maps, rd.name, rd.state)
			}
		}
	}
	e.cache = newEnvCache("", nil)
	e.cache.adoptDict(olds)
	recs := make([]*itemRec, len(fresh))
	for k, p := range fresh {
		if p == nil {
			recs[k] = &itemRec{id: e.file.ItemID(rg.lo + k)}
			continue
		}
		pf := e.collectProbe(p, nil)
		if pf == nil || !sameWalk(olds[k].facts, pf) {
			return nil, false
		}
		recs[k] = &itemRec{id: e.file.ItemID(rg.lo + k), probe: true, user: attachesToUser(p), facts: pf}
		recs[k].setSpecial(specialAPs(p, e.cfg))
	}
	return recs, true
}

// mapsFrom makes a map table holding the states in ms.
func mapsFrom(ms []mapSummary) *mapTable {
	t := &mapTable{byName: make(map[string]*mapFacts, len(ms))}
	for _, m := range ms {
		setMapState(t, m.name, m.state)
	}
	return t
}

func setMapState(t *mapTable, name string, st mapState) {
	if !st.exists {
		delete(t.byName, name)
		return
	}
	f := t.get(name)
	f.stored, f.agg, f.shape, f.entryKeys = st.stored, st.agg, st.shape, st.entryKeys
}

// sameWalk reports whether two walks read the same map states and record
// the same map uses, positions aside.
func sameWalk(a, b *probeFacts) bool {
	if a == nil || b == nil || a.numReads() != b.numReads() {
		return false
	}
	ra, rb := a.mapReads(), b.mapReads()
	for i := range ra {
		if ra[i].name != rb[i].name || !ra[i].state.equal(rb[i].state) {
			return false
		}
	}
	ua, ub := mapUseEvents(a), mapUseEvents(b)
	if len(ua) != len(ub) {
		return false
	}
	for i := range ua {
		x, y := ua[i].use, ub[i].use
		x.span, y.span = syntax.Span{}, syntax.Span{}
		// Every field but the position, so that a field added to mapUse
		// is compared too.
		if ua[i].name != ub[i].name || !reflect.DeepEqual(x, y) {
			return false
		}
	}
	return true
}

// recordedUse is a map use a walk recorded, with the map's name.
type recordedUse struct {
	name string
	use  mapUse
}

func mapUseEvents(pf *probeFacts) []recordedUse {
	var out []recordedUse
	v := pf.dict.view()
	for _, ev := range pf.events() {
		if ev.kind == factMapUse {
			u := v.uses[ev.use]
			u.span = ev.span
			out = append(out, recordedUse{name: v.strs[ev.name], use: u})
		}
	}
	return out
}

// regionUses pairs the old region's map-use positions with the new
// region's, at their Files' positions.
func regionUses(old, f *syntax.File, rg region, olds, news []*itemRec) map[syntax.Span]syntax.Span {
	out := map[syntax.Span]syntax.Span{}
	for k := range olds {
		if !olds[k].probe {
			continue
		}
		os, ns := old.ItemSpan(rg.lo+k).Start, f.ItemSpan(rg.lo+k).Start
		ua, ub := mapUseEvents(olds[k].facts), mapUseEvents(news[k].facts)
		for i := range ua {
			a, b := ua[i].use.span, ub[i].use.span
			out[syntax.Span{Start: a.Start + os, End: a.End + os}] = syntax.Span{Start: b.Start + ns, End: b.End + ns}
		}
	}
	return out
}

// remap moves the positions of the file-level diagnostics to the new File:
// those before the region stay, those after it move by delta, and those in
// it must be map uses, which uses pairs, or lie in a moved item. It reports
// false for any other.
func (rg region) remap(ds []Diagnostic, uses map[syntax.Span]syntax.Span, moved []movedItem) ([]Diagnostic, bool) {
	ok := true
	move := func(s syntax.Span) syntax.Span {
		switch {
		case s.End < rg.oldStart || s.End == rg.oldStart && s.Start < s.End:
			return s
		case s.Start > rg.oldEnd || s.Start == rg.oldEnd && s.Start < s.End:
			return syntax.Span{Start: s.Start + rg.delta, End: s.End + rg.delta}
		}
		if n, found := uses[s]; found {
			return n
		}
		for _, m := range moved { // an empty span at either end may belong elsewhere: ambiguous
			if s.Start >= m.from && s.End <= m.to && s.Start < s.End || s.Start > m.from && s.End < m.to && s.Start <= s.End {
				return syntax.Span{Start: s.Start + m.delta, End: s.End + m.delta}
			}
		}
		if rg.oldStart == rg.oldEnd && rg.delta == 0 {
			return s
		}
		ok = false
		return s
	}
	out := make([]Diagnostic, len(ds))
	for i, d := range ds {
		d.Span = move(d.Span)
		d.Related = append([]Related(nil), d.Related...)
		for j := range d.Related {
			d.Related[j].Span = move(d.Related[j].Span)
		}
		d.Fixes = append([]Fix(nil), d.Fixes...)
		for j := range d.Fixes {
			d.Fixes[j].Edits = append([]Edit(nil), d.Fixes[j].Edits...)
			for k := range d.Fixes[j].Edits {
				d.Fixes[j].Edits[k].Span = move(d.Fixes[j].Edits[k].Span)
			}
		}
		out[i] = d
	}
	return out, ok
}

// checkRegion runs the probe pass over the fresh probes against the maps
// as every probe sees them, and reports false when a result reaches outside
// its probe or the run was cut short.
func checkRegion(ctx context.Context, e *fileEnv, pi *incState, f *syntax.File, fresh []*syntax.Probe, recs []*itemRec) bool {
	e.maps, e.cache = mapsFrom(pi.maps), nil
	pp := &probePass{ctx: ctx, cfg: e.cfg, src: f.Text(), file: f, body: envBody(e),
		missingProbes: e.config["missing_probes"]} // as checkConfig read it
	for k, p := range fresh {
		if p == nil || len(p.AttachPoints) == 0 || p.Body == nil {
			continue
		}
		diags := pp.checkProbe(p)
		if ctx.Err() != nil || !within(diags, syntax.Span{Start: p.Pos(), End: p.End()}) {
			return false
		}
		recs[k].setDiags(shiftAll(diags, p.Pos(), true))
	}
	return true
}

// incrementalSnapshot is the snapshot of f that an incremental path
// makes: the syntax errors, the file-level diagnostics envDiags, the
// recorded diagnostics of the marked items moved to where the items are
// now, and the BEGIN and END checks, sorted.
func incrementalSnapshot(f *syntax.File, cfg Config, envDiags []Diagnostic, items recList, marked []int) *Snapshot {
	s := NewSyntaxSnapshot(f, cfg)
	s.Diagnostics = append(s.Diagnostics, envDiags...)
	for _, i := range marked {
		if rec := items.at(i); len(rec.diags()) > 0 {
			s.Diagnostics = append(s.Diagnostics, shiftAll(rec.diags(), f.ItemSpan(i).Start, false)...)
		}
	}
	s.Diagnostics = append(s.Diagnostics, specialDiags(f, cfg, items, marked)...)
	SortDiagnostics(s.Diagnostics)
	return s
}

// specialDiags is checkSpecialProbes from the records of the marked items.
func specialDiags(f *syntax.File, cfg Config, items recList, marked []int) []Diagnostic {
	if cfg.Dialect.Version.AtLeast(syntax.V0_25) {
		return nil
	}
	r := &Reporter{}
	seen := map[string]bool{}
	for _, i := range marked {
		for _, ap := range items.at(i).special() {
			if seen[ap.name] {
				start := f.ItemSpan(i).Start
				r.Errorf(syntax.Span{Start: ap.span.Start + start, End: ap.span.End + start}, CodeAttachSyntax,
					"only one %s probe is allowed before bpftrace 0.25", ap.name)
			}
			seen[ap.name] = true
		}
	}
	return r.Diags
}

// rebuildSymbols makes the symbol index of a snapshot the incremental path
// made, replaying each probe's recorded walk rather than walking it.
func rebuildSymbols(s *Snapshot) *SymbolIndex {
	ctx := context.Background()
	if s.inc == nil || s.inc.items.len() != s.File.NumItems() {
		return newFileEnv(ctx, s.File, s.Config).symbols
	}
	env := newFileEnvAligned(ctx, s.File, s.Config, s.inc)
	return compactSymbols(env.symbols, s.File, s.inc.items, env.itemFacts)
}
