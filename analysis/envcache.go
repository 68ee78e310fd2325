package analysis

// This file implements the per-probe cache of the file-level pass, which
// Reanalyze uses: walking every probe to record its map uses and symbols
// was most of the cost of an edit. Each probe's walk is recorded as a list
// of events with positions relative to the probe, and replayed when the
// next version of the file has the same probe text and the walk would see
// the same facts. Only the cheap cross-item work (macro and fn bodies, map
// consistency, the symbol index) runs again.
//
// A walk depends on the probe's text; on the declarations (C preamble,
// config, macros, fns, map declarations, imports), the target, and whether
// any probe attaches to user space, which declKey covers; and on what
// earlier items recorded about the maps it touches (value type, aggregate,
// key shape), which each entry lists as it was before the walk and a
// lookup compares.

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"io"
	"slices"
	"strconv"
	"sync"

	"github.com/bpfls/bpfls/analysis/internal/chunk"
	"github.com/bpfls/bpfls/analysis/syntax"
)

// envCache holds the recorded probe walks of one run. It is built by that
// run and only read afterwards, so snapshots on several goroutines may
// share it.
type envCache struct {
	declKey string
	// entries holds a walk by the hash of its probe's text; more holds
	// the further walks of a text, which saw other map states.
	entries map[[sha256.Size]byte]*probeFacts
	more    map[[sha256.Size]byte][]*probeFacts
	// dict interns what this run's walks record; it is the previous run's,
	// or that of the walks the run re-uses, while that one has not grown
	// too much (see factDict.reuse); nil until the run records a walk.
	dict *factDict
	rec  *factRecorder // scratch for the walks it records
	// alloc holds the walks it records.
	alloc walkAlloc
	// nmaps is the size of the pass's map table, which the next pass
	// allocates at once.
	nmaps int
	// hits and misses count this run's lookups, for tests.
	hits, misses int
}

// newEnvCache makes an empty cache sized like prev (may be nil).
func newEnvCache(declKey string, prev *envCache) *envCache {
	n := 0
	var d *factDict
	if prev != nil {
		n = len(prev.entries)
		d = prev.dict.reuse()
	}
	return &envCache{declKey: declKey, entries: make(map[[sha256.Size]byte]*probeFacts, n), dict: d}
}

// probeFacts is the recorded file-level walk of one probe. It is kept per
// probe for as long as the document is open, so it holds no pointer per
// event: names, map uses and map states are indexes into dict, positions
// are relative to the probe, and all of it is packed in enc (walkenc.go):
// the maps the walk touched, as earlier items left them (reads), what the
// walk recorded, in order (events), and the variables it defined, in
// their final state (syms, refs).
type probeFacts struct {
	dict *factDict
	enc  []byte
	// looked is the set (dict.sets) of the names the walk looked up among
	// the declarations, found or not: the declarations it depends on by
	// name (incremental_decls.go).
	looked uint32
}

// factRead is one map as a walk first saw it.
type factRead struct {
	name  uint32 // dict.strs, with '@'
	state uint32 // dict.states
}

// mapRead is one map as a walk first saw it, as the incremental path reads
// it.
type mapRead struct {
	name  string // with '@'
	state mapState
}

// mapReads returns the maps the walk touched with the states it saw them
// in.
func (pf *probeFacts) mapReads() []mapRead {
	v := pf.dict.view()
	out := make([]mapRead, pf.numReads())
	for i, r := range pf.reads() {
		out[i] = mapRead{name: v.strs[r.name], state: v.states[r.state]}
	}
	return out
}

// name returns the name a map use or macro reference event records.
func (pf *probeFacts) name(ev factEvent) string { return pf.dict.view().strs[ev.name] }

// symbol returns the i'th variable the walk defined, positions relative to
// the probe.
func (pf *probeFacts) symbol(i int) Symbol { return pf.symbolIn(pf.syms(), pf.refs(), i) }

// symbolIn is symbol, given what syms and refs return, so that a reader of
// every variable decodes the walk once.
func (pf *probeFacts) symbolIn(syms []factSym, refs []syntax.Span, i int) Symbol {
	v, fs := pf.dict.view(), syms[i]
	return Symbol{Kind: SymbolKind(v.strs[fs.kind]), Name: v.strs[fs.name], Def: fs.def, Refs: refs[fs.first : fs.first+fs.n : fs.first+fs.n],
		Type: v.strs[fs.typ], Key: v.strs[fs.key], Detail: v.strs[fs.detail]}
}

// readsMatch reports whether the maps pf touched are in e as the walk saw
// them.
func (pf *probeFacts) readsMatch(e *fileEnv) bool {
	if pf.numReads() == 0 {
		return true
	}
	v := pf.dict.view()
	for _, r := range pf.reads() {
		if !v.states[r.state].equal(mapStateOf(e.maps.byName[v.strs[r.name]])) {
			return false
		}
	}
	return true
}

// mapState is everything a probe walk can read of a map (see lookupMap).
type mapState struct {
	exists    bool
	stored    ty
	agg       string
	shape     mapShape
	entryKeys []ty
}

func mapStateOf(f *mapFacts) mapState {
	if f == nil {
		return mapState{}
	}
	return mapState{exists: true, stored: f.stored, agg: f.agg, shape: f.shape, entryKeys: f.entryKeys}
}

func (m mapState) equal(o mapState) bool {
	return m.exists == o.exists && m.agg == o.agg && m.shape == o.shape &&
		tyEqual(m.stored, o.stored) && tysEqual(m.entryKeys, o.entryKeys)
}

// tyEqual compares every field of two types.
func tyEqual(a, b ty) bool {
	if a.Kind != b.Kind || a.Size != b.Size || a.Signed != b.Signed || a.Name != b.Name ||
		a.Union != b.Union || a.Len != b.Len || a.Args != b.Args || a.Char != b.Char || (a.Elem == nil) != (b.Elem == nil) ||
		!tysEqual(a.Elems, b.Elems) || len(a.Fields) != len(b.Fields) {
		return false
	}
	if a.Elem != nil && !tyEqual(*a.Elem, *b.Elem) {
		return false
	}
	for i := range a.Fields {
		if a.Fields[i].Name != b.Fields[i].Name || !tyEqual(a.Fields[i].Type, b.Fields[i].Type) {
			return false
		}
	}
	return true
}

func tysEqual(a, b []ty) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if !tyEqual(a[i], b[i]) {
			return false
		}
	}
	return true
}

// appendKey appends a spelling of the state, for the probe pass's cache
// keys.
func (m mapState) appendKey(b []byte) []byte {
	b = strconv.AppendBool(b, m.exists)
	b = append(b, '|')
	b = append(b, m.agg...)
	b = append(b, '|', byte('0'+m.shape), '|')
	b = appendTyKey(b, m.stored)
	for _, k := range m.entryKeys {
		b = append(b, '[')
		b = appendTyKey(b, k)
	}
	return b
}

// appendTyKey spells every field of t, unlike its display form.
func appendTyKey(b []byte, t ty) []byte {
	b = append(b, '(')
	b = strconv.AppendUint(b, uint64(t.Kind), 10)
	b = append(b, ' ')
	b = strconv.AppendUint(b, uint64(t.Size), 10)
	b = append(b, ' ')
	b = strconv.AppendBool(b, t.Signed)
	b = append(b, ' ')
	b = strconv.AppendQuote(b, t.Name)
	b = append(b, ' ')
	b = strconv.AppendBool(b, t.Union)
	b = append(b, ' ')
	b = strconv.AppendUint(b, uint64(t.Len), 10)
	b = append(b, ' ')
	b = strconv.AppendBool(b, t.Args)
	if t.Char {
		b = append(b, " char"...)
	}
	if t.Elem != nil {
		b = append(b, " *"...)
		b = appendTyKey(b, *t.Elem)
	}
	for _, e := range t.Elems {
		b = append(b, " e"...)
		b = appendTyKey(b, e)
	}
	for _, f := range t.Fields {
		b = append(b, " f"...)
		b = strconv.AppendQuote(b, f.Name)
		b = appendTyKey(b, f.Type)
	}
	return append(b, ')')
}

// factKind says what a [factEvent] records.
type factKind uint8

const (
	factMapUse   factKind = iota // a use of map name
	factSymbol                   // the next variable of syms is defined
	factMacroRef                 // a reference to macro name at span
)

// factEvent is kept small, as a document keeps one per map use, macro
// reference and variable.
type factEvent struct {
	kind factKind
	name uint32      // factMapUse, factMacroRef: dict.strs
	use  uint32      // factMapUse: dict.uses
	span syntax.Span // factMapUse, factMacroRef: relative to the probe
}

// factSym is a [Symbol] a walk defined, in its final state: its strings
// are in dict.strs, its references are refs[first:first+n] of its walk.
type factSym struct {
	kind, name, typ, key, detail uint32
	def                          syntax.Span
	first, n                     uint32
}

// factDict interns the names, map uses (positions aside) and map states
// that recorded walks repeat: a long document has thousands of map uses
// but few distinct ones. Entries are only appended, so an index stays
// valid for good and walks recorded by earlier runs share the dict; a
// reader takes the slices once under the lock and reads them without it.
type factDict struct {
	mu       sync.RWMutex
	strs     []string
	uses     []mapUse
	states   []mapState
	sets     [][]uint32 // sorted sets of strs; the first is empty
	strIdx   map[string]uint32
	useIdx   map[string]uint32 // by appendUseKey
	stateIdx map[string]uint32 // by mapState.appendKey
	setIdx   map[string]uint32 // by the set's bytes
	buf      []byte            // scratch for keys
	// base is the size the dict had when a run first reused it.
	base int
}

func newFactDict() *factDict {
	return &factDict{sets: [][]uint32{nil}, strIdx: map[string]uint32{}, useIdx: map[string]uint32{}, stateIdx: map[string]uint32{},
		setIdx: map[string]uint32{"": 0}}
}

// adoptDict makes c record into the dict of the first walk recs hold,
// when that one may be reused, so that the walks of a document share one
// dict however they were made.
// It reports whether recs hold a walk.
func (c *envCache) adoptDict(recs []*itemRec) bool {
	for _, r := range recs {
		if r != nil && r.facts != nil {
			if d := r.facts.dict.reuse(); d != nil {
				c.dict = d
			}
			return true
		}
	}
	return false
}

// reuse returns d for the next run, or nil once it has grown to more than
// twice its size after its first run (plus some slack), so that names and
// types typed and deleted over a long session do not pile up: the next run
// then starts a new dict. d may be nil.
func (d *factDict) reuse() *factDict {
	if d == nil {
		return nil
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	n := len(d.strs) + len(d.uses) + len(d.states) + len(d.sets)
	if d.base == 0 {
		d.base = n
	}
	if n > 2*d.base+1024 {
		return nil
	}
	return d
}

// dictView is a factDict's contents at one time.
type dictView struct {
	strs   []string
	uses   []mapUse
	states []mapState
	sets   [][]uint32
}

func (d *factDict) view() dictView {
	d.mu.RLock()
	defer d.mu.RUnlock()
	return dictView{strs: d.strs, uses: d.uses, states: d.states, sets: d.sets}
}

func (d *factDict) str(s string) uint32 {
	d.mu.Lock()
	defer d.mu.Unlock()
	if i, ok := d.strIdx[s]; ok {
		return i
	}
	i := uint32(len(d.strs))
	d.strs = append(d.strs, s)
	d.strIdx[s] = i
	return i
}

// use interns u, whose span must be zero.
func (d *factDict) use(u mapUse) uint32 {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.buf = appendUseKey(d.buf[:0], u)
	return intern(d, d.useIdx, &d.uses, u)
}

func (d *factDict) state(st mapState) uint32 {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.buf = st.appendKey(d.buf[:0])
	return intern(d, d.stateIdx, &d.states, st)
}

// set interns the names, sorted and each once.
func (d *factDict) set(names []string) uint32 {
	if len(names) == 0 {
		return 0
	}
	ids := make([]uint32, len(names))
	for k, name := range names {
		ids[k] = d.str(name)
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	d.buf = d.buf[:0]
	for _, id := range ids {
		d.buf = binary.LittleEndian.AppendUint32(d.buf, id)
	}
	return intern(d, d.setIdx, &d.sets, ids)
}

// intern returns the index of the value whose key d.buf holds, adding v to
// list as it when there is none; d.mu is held.
func intern[T any](d *factDict, idx map[string]uint32, list *[]T, v T) uint32 {
	if i, ok := idx[string(d.buf)]; ok {
		return i
	}
	i := uint32(len(*list))
	*list = append(*list, v)
	idx[string(d.buf)] = i
	return i
}

// appendUseKey spells every field of a map use but its position.
func appendUseKey(b []byte, u mapUse) []byte {
	flag := func(v bool) byte {
		if v {
			return '1'
		}
		return '0'
	}
	b = append(b, flag(u.keyed), flag(u.bare), flag(u.write), flag(u.keys == nil), flag(u.viaMacro), '0'+byte(u.lit), ' ')
	b = strconv.AppendUint(b, uint64(u.depth), 10)
	b = strconv.AppendQuote(b, u.agg)
	b = appendTyKey(b, u.value)
	for _, k := range u.keys {
		b = append(b, '[')
		b = appendTyKey(b, k)
	}
	return b
}

// envDeclKey names what every probe walk of f depends on besides its own
// text and the maps it touches.
func envDeclKey(f *syntax.File, cfg Config, userProbes bool) string {
	h := sha256.New()
	writeDecls(h, f, cfg)
	fmt.Fprintf(h, "|%v", userProbes)
	return string(h.Sum(nil))
}

// writeDecls writes to h what every probe of f is checked against besides
// its own text: the target, the kernel, and the text of every item that is
// not a probe (preamble, config, macros, fns, map declarations, imports).
// Both per-probe caches key on it.
func writeDecls(h io.Writer, f *syntax.File, cfg Config) {
	writeDeclsAt(h, f, cfg, declIndexes(f))
}

// declIndexes lists the items of f that are not probes, without reading
// (and so shifting) the probes.
func declIndexes(f *syntax.File) []int {
	idx := []int{} // not nil: nil asks newDeclEnvAt to look for them
	for i := range f.NumItems() {
		if !f.IsProbe(i) {
			idx = append(idx, i)
		}
	}
	return idx
}

// writeDeclsAt is writeDecls given the items that are not probes.
func writeDeclsAt(h io.Writer, f *syntax.File, cfg Config, decls []int) {
	writeTarget(h, f, cfg)
	for _, i := range decls {
		if sp := f.ItemSpan(i); sp.Start >= 0 && sp.End <= syntax.Pos(f.Len()) && sp.Start <= sp.End {
			h.Write(f.Slice(sp.Start, sp.End))
		}
		h.Write([]byte{0})
	}
}

// writeTarget writes the part of writeDecls that is not the items' text.
func writeTarget(h io.Writer, f *syntax.File, cfg Config) {
	fmt.Fprintf(h, "%v|%v|%p|%T|%q|%q|%v|%q|%q\n", cfg.Dialect.Version, cfg.Dialect.Experimental, cfg.Kernel, cfg.Kernel,
		cfg.IncludeDirs, cfg.SysIncludeDirs, cfg.SysIncludeDirs == nil, f.Name, cfg.KernelHeaders)
	if cfg.User != nil { // a binary read since the last pass may change any uprobe
		fmt.Fprintf(h, "user|%p|%d\n", cfg.User, cfg.User.Generation())
	}
}

// collectProbes walks every probe without a probe context (or with the
// static one of a single tracepoint or BTF function), recording map uses
// and symbols, or replays the walk prev recorded. The walk's
// diagnostics are dropped: checkBody reports them per instance.
func (e *fileEnv) collectProbes(ctx context.Context, prev *envCache) {
	if e.cache == nil || prev != nil && prev.declKey != e.cache.declKey {
		prev = nil
	}
	n := e.file.NumItems()
	if e.cache != nil {
		e.itemFacts = make([]*probeFacts, n)
		for _, c := range e.aligned.chunks {
			if e.cache.adoptDict(c) {
				break
			}
		}
	}
	idx := e.syms.idx
	idx.walkStarts = make([]int32, 0, n+1)
	defer func() { idx.walkStarts = append(idx.walkStarts, int32(len(idx.flat))) }()
	for i := range n {
		if ctx.Err() != nil {
			return
		}
		idx.walkStarts = append(idx.walkStarts, int32(len(idx.flat)))
		if !e.file.IsProbe(i) {
			continue
		}
		if pf := e.replayAligned(i); pf != nil {
			e.itemFacts[i] = pf
			continue
		}
		// One item at a time: the full pass holds the items across its
		// passes only for a small file (analyze).
		pf := e.collectProbe(e.file.Item(i).(*syntax.Probe), prev)
		if e.itemFacts != nil {
			e.itemFacts[i] = pf
		}
	}
	if e.cache != nil {
		e.cache.rec = nil // the snapshot keeps the cache, not its scratch space
	}
}

// collectProbe walks or replays p and returns its recorded walk, nil when
// there is none.
func (e *fileEnv) collectProbe(p *syntax.Probe, prev *envCache) *probeFacts {
	start, end := p.Pos(), p.End()
	if e.cache == nil || start < 0 || end > syntax.Pos(e.file.Len()) || start > end {
		e.newChecker(e.staticContext(p), &Reporter{}, true).probe(p)
		return nil
	}
	key := sha256.Sum256(e.file.Slice(start, end))
	if pf := prev.lookup(e, key); pf != nil {
		e.cache.hits++
		e.cache.add(key, pf)
		e.replay(pf, start)
		return pf
	}
	e.cache.misses++
	rec := e.cache.recorder(e, start, end)
	e.syms.rec = rec
	e.newChecker(e.staticContext(p), &Reporter{}, true).probe(p)
	e.syms.rec = nil
	pf := rec.finish()
	if pf != nil {
		e.cache.add(key, pf)
	}
	return pf
}

// replayAligned replays the walk the aligned record of item i holds, when
// it saw the maps as e has them now, and returns it; nil otherwise.
// The walk is not added to e.cache: only the symbol index is rebuilt so.
func (e *fileEnv) replayAligned(i int) *probeFacts {
	if e.cache == nil || i >= e.aligned.len() || e.aligned.at(i) == nil || e.aligned.at(i).facts == nil {
		return nil
	}
	pf := e.aligned.at(i).facts
	if !pf.readsMatch(e) {
		return nil
	}
	e.cache.hits++
	e.replay(pf, e.file.ItemSpan(i).Start)
	return pf
}

func (c *envCache) add(key [sha256.Size]byte, pf *probeFacts) {
	first, ok := c.entries[key]
	if !ok {
		c.entries[key] = pf
		return
	}
	if first == pf || slices.Contains(c.more[key], pf) {
		return
	}
	if c.more == nil {
		c.more = map[[sha256.Size]byte][]*probeFacts{}
	}
	c.more[key] = append(c.more[key], pf)
}

// lookup finds a walk of a probe whose text has this hash that saw the
// maps it touched as e has them now. c may be nil.
func (c *envCache) lookup(e *fileEnv, key [sha256.Size]byte) *probeFacts {
	if c == nil {
		return nil
	}
	if pf, ok := c.entries[key]; ok && pf.readsMatch(e) {
		return pf
	}
	for _, pf := range c.more[key] {
		if pf.readsMatch(e) {
			return pf
		}
	}
	return nil
}

// replay applies a recorded walk to e as if the probe at start had been
// walked.
func (e *fileEnv) replay(pf *probeFacts, start syntax.Pos) {
	v := pf.dict.view()
	abs := func(s syntax.Span) syntax.Span { return syntax.Span{Start: s.Start + start, End: s.End + start} }
	var syms []Symbol // one allocation for the probe's variables, one for their references
	var refs []syntax.Span
	fss := pf.syms()
	if len(fss) > 0 {
		syms = make([]Symbol, len(fss))
		refs = pf.refs()
		for i, r := range refs {
			refs[i] = abs(r)
		}
	}
	next := 0
	for _, ev := range pf.events() {
		switch ev.kind {
		case factMapUse:
			u := v.uses[ev.use]
			u.span = abs(ev.span)
			e.maps.record(e.syms, v.strs[ev.name], u)
		case factMacroRef:
			e.refMacroSyms(v.strs[ev.name], abs(ev.span))
		case factSymbol:
			fs := fss[next]
			sym := &syms[next]
			next++
			end := fs.first + fs.n
			*sym = Symbol{Kind: SymbolKind(v.strs[fs.kind]), Name: v.strs[fs.name], Def: abs(fs.def), Refs: refs[fs.first:end:end],
				Type: v.strs[fs.typ], Key: v.strs[fs.key], Detail: v.strs[fs.detail]}
			e.syms.idx.flat = append(e.syms.idx.flat, sym)
		}
	}
}

// factRecorder records one probe walk as it happens. Its slices are
// scratch space, reused from one probe to the next; finish copies them out
// at their exact sizes.
type factRecorder struct {
	env        *fileEnv
	dict       *factDict
	start, end syntax.Pos
	touched    []string // the names of reads
	looked     []string // the names looked up among the declarations, with repeats
	reads      []factRead
	events     []factEvent
	syms       []*Symbol
	outside    bool // a position lies outside the probe: the walk is not cached
	alloc      *walkAlloc
}

// recorder returns c's recorder, reset for the probe at [start, end).
func (c *envCache) recorder(e *fileEnv, start, end syntax.Pos) *factRecorder {
	r := c.rec
	if r == nil {
		r = &factRecorder{}
		c.rec = r
	}
	if c.dict == nil {
		c.dict = newFactDict()
	}
	*r = factRecorder{env: e, dict: c.dict, start: start, end: end, alloc: &c.alloc,
		touched: r.touched[:0], looked: r.looked[:0], reads: r.reads[:0], events: r.events[:0], syms: r.syms[:0]}
	return r
}

// touch notes the first time the walk looks at a map, before it records a
// use of it.
func (r *factRecorder) touch(name string) {
	for _, m := range r.touched { // a probe touches few maps
		if m == name {
			return
		}
	}
	r.touched = append(r.touched, name)
	r.reads = append(r.reads, factRead{name: r.dict.str(name), state: r.dict.state(mapStateOf(r.env.maps.byName[name]))})
}

func (r *factRecorder) mapUse(name string, u mapUse) {
	r.touch(name)
	span := r.rel(u.span)
	u.span = syntax.Span{}
	r.events = append(r.events, factEvent{kind: factMapUse, name: r.dict.str(name), use: r.dict.use(u), span: span})
}

// lookup notes that the walk looked name up among the declarations.
func (r *factRecorder) lookup(name string) { r.looked = append(r.looked, name) }

func (r *factRecorder) macroRef(name string, at syntax.Span) {
	r.events = append(r.events, factEvent{kind: factMacroRef, name: r.dict.str(name), span: r.rel(at)})
}

func (r *factRecorder) symbol(sym *Symbol) {
	r.syms = append(r.syms, sym)
	r.events = append(r.events, factEvent{kind: factSymbol})
}

func (r *factRecorder) rel(s syntax.Span) syntax.Span {
	if s.Start < r.start || s.End > r.end || s.Start > s.End {
		r.outside = true
	}
	return syntax.Span{Start: s.Start - r.start, End: s.End - r.start}
}

// finish returns the recorded walk, with the variables in their final
// state; nil when the walk cannot be replayed elsewhere.
func (r *factRecorder) finish() *probeFacts {
	p := packers.Get().(*walkPacker)
	defer packers.Put(p)
	var syms []factSym
	var refs []syntax.Span
	if len(r.syms) > 0 {
		n := 0
		for _, sym := range r.syms {
			n += len(sym.Refs)
		}
		p.syms, p.refs = slices.Grow(p.syms[:0], len(r.syms))[:len(r.syms)], slices.Grow(p.refs[:0], n)[:n]
		syms, refs = p.syms, p.refs
		k := 0
		for i, sym := range r.syms {
			syms[i] = factSym{kind: r.dict.str(string(sym.Kind)), name: r.dict.str(sym.Name), typ: r.dict.str(sym.Type),
				key: r.dict.str(sym.Key), detail: r.dict.str(sym.Detail), def: r.rel(sym.Def), first: uint32(k), n: uint32(len(sym.Refs))}
			for _, ref := range sym.Refs {
				refs[k] = r.rel(ref)
				k++
			}
		}
	}
	if r.outside {
		return nil
	}
	pf := r.alloc.facts.New()
	pf.dict = r.dict
	pf.enc = r.alloc.enc.Copy(p.pack(r.reads, r.events, syms, refs))
	slices.Sort(r.looked)
	pf.looked = r.dict.set(slices.Compact(r.looked))
	return pf
}

// walkAlloc is where a pass allocates the walks it records from: they are
// kept for as long as the document is open, so they are packed together
// (package chunk). A walk a later pass replaced stays in memory while
// walks of its chunk are in use, at most as much again as the walks.
type walkAlloc struct {
	facts chunk.Alloc[probeFacts]
	enc   chunk.Alloc[byte]
}

// clip copies s to a slice of its exact length, nil when empty.
func clip[T any](s []T) []T {
	if len(s) == 0 {
		return nil
	}
	return append(make([]T, 0, len(s)), s...)
}

// looksUpAny reports whether the walk looked up one of names among the
// declarations.
func (pf *probeFacts) looksUpAny(names map[string]bool) bool {
	if pf == nil || pf.looked == 0 {
		return false
	}
	v := pf.dict.view()
	for _, id := range v.sets[pf.looked] {
		if names[v.strs[id]] {
			return true
		}
	}
	return false
}
