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
	"fmt"
	"io"
	"strconv"

	"github.com/bpfls/bpfls/analysis/syntax"
)

// envCache holds the recorded probe walks of one run. It is built by that
// run and only read afterwards, so snapshots on several goroutines may
// share it.
type envCache struct {
	declKey string
	entries map[string][]*probeFacts // by probe text
	// nmaps is the size of the pass's map table, which the next pass
	// allocates at once.
	nmaps int
	// hits and misses count this run's lookups, for tests.
	hits, misses int
}

// newEnvCache makes an empty cache sized like prev (may be nil).
func newEnvCache(declKey string, prev *envCache) *envCache {
	n := 0
	if prev != nil {
		n = len(prev.entries)
	}
	return &envCache{declKey: declKey, entries: make(map[string][]*probeFacts, n)}
}

// probeFacts is the recorded file-level walk of one probe.
type probeFacts struct {
	text   string
	reads  []mapRead   // the maps the walk touched, as earlier items left them
	events []factEvent // what the walk recorded, in order
	uses   []mapUse    // the map uses events name, positions relative to the probe
	syms   []Symbol    // the variables it defined, final state, relative positions
}

// mapRead is one map as a walk first saw it.
type mapRead struct {
	name  string // with '@'
	state mapState
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
	factMacroRef                 // a reference to macro name at use.span
)

// factEvent is kept small, as a document keeps one per map use, macro
// reference and variable: a map use's details are in probeFacts.uses.
type factEvent struct {
	kind factKind
	use  int32       // factMapUse: index into probeFacts.uses
	span syntax.Span // factMacroRef: the reference, relative to the probe
	name string
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
	}
	var items []syntax.Item
	if e.aligned.chunks == nil { // else most probes are replayed, and need not be read (shifted)
		items = e.file.Items()
	}
	idx := e.syms.idx
	idx.walkStarts = make([]int32, 0, n+1)
	defer func() { idx.walkStarts = append(idx.walkStarts, int32(len(idx.symbols))) }()
	for i := range n {
		if ctx.Err() != nil {
			return
		}
		idx.walkStarts = append(idx.walkStarts, int32(len(idx.symbols)))
		if !e.file.IsProbe(i) {
			continue
		}
		if pf := e.replayAligned(i); pf != nil {
			e.itemFacts[i] = pf
			continue
		}
		var p *syntax.Probe
		if items != nil {
			p = items[i].(*syntax.Probe)
		} else {
			p = e.file.Item(i).(*syntax.Probe)
		}
		pf := e.collectProbe(p, prev)
		if e.itemFacts != nil {
			e.itemFacts[i] = pf
		}
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
	text := e.file.Slice(start, end)
	if pf := prev.lookup(e, text); pf != nil {
		e.cache.hits++
		e.cache.add(pf)
		e.replay(pf, start)
		return pf
	}
	e.cache.misses++
	rec := &factRecorder{env: e, start: start, end: end, facts: &probeFacts{text: string(text)}}
	e.syms.rec = rec
	e.newChecker(e.staticContext(p), &Reporter{}, true).probe(p)
	e.syms.rec = nil
	pf := rec.finish()
	if pf != nil {
		e.cache.add(pf)
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
	for _, r := range pf.reads {
		if !r.state.equal(mapStateOf(e.maps.byName[r.name])) {
			return nil
		}
	}
	e.cache.hits++
	e.replay(pf, e.file.ItemSpan(i).Start)
	return pf
}

func (c *envCache) add(pf *probeFacts) {
	c.entries[pf.text] = append(c.entries[pf.text], pf)
}

// lookup finds a walk of a probe with this text that saw the maps it
// touched as e has them now. c may be nil.
func (c *envCache) lookup(e *fileEnv, text []byte) *probeFacts {
	if c == nil {
		return nil
	}
next:
	for _, pf := range c.entries[string(text)] {
		for _, r := range pf.reads {
			if !r.state.equal(mapStateOf(e.maps.byName[r.name])) {
				continue next
			}
		}
		return pf
	}
	return nil
}

// replay applies a recorded walk to e as if the probe at start had been
// walked.
func (e *fileEnv) replay(pf *probeFacts, start syntax.Pos) {
	abs := func(s syntax.Span) syntax.Span { return syntax.Span{Start: s.Start + start, End: s.End + start} }
	syms := make([]Symbol, len(pf.syms)) // one allocation for the probe's variables
	nrefs := 0
	for _, sym := range pf.syms {
		nrefs += len(sym.Refs)
	}
	refs := make([]syntax.Span, 0, nrefs)
	next := 0
	for _, ev := range pf.events {
		switch ev.kind {
		case factMapUse:
			u := pf.uses[ev.use]
			u.span = abs(u.span)
			e.maps.record(e.syms, ev.name, u)
		case factMacroRef:
			e.refMacroSyms(ev.name, abs(ev.span))
		case factSymbol:
			sym := &syms[next]
			*sym = pf.syms[next]
			next++
			sym.Def = abs(sym.Def)
			from := len(refs)
			for _, r := range sym.Refs {
				refs = append(refs, abs(r))
			}
			sym.Refs = refs[from:len(refs):len(refs)]
			e.syms.idx.symbols = append(e.syms.idx.symbols, sym)
		}
	}
}

// factRecorder records one probe walk as it happens.
type factRecorder struct {
	env        *fileEnv
	start, end syntax.Pos
	facts      *probeFacts
	syms       []*Symbol
	outside    bool // a position lies outside the probe: the walk is not cached
}

// touch notes the first time the walk looks at a map, before it records a
// use of it.
func (r *factRecorder) touch(name string) {
	for _, m := range r.facts.reads { // a probe touches few maps
		if m.name == name {
			return
		}
	}
	r.facts.reads = append(r.facts.reads, mapRead{name: name, state: mapStateOf(r.env.maps.byName[name])})
}

func (r *factRecorder) mapUse(name string, u mapUse) {
	r.touch(name)
	u.span = r.rel(u.span)
	r.facts.events = append(r.facts.events, factEvent{kind: factMapUse, name: name, use: int32(len(r.facts.uses))})
	r.facts.uses = append(r.facts.uses, u)
}

func (r *factRecorder) macroRef(name string, at syntax.Span) {
	r.facts.events = append(r.facts.events, factEvent{kind: factMacroRef, name: name, span: r.rel(at)})
}

func (r *factRecorder) symbol(sym *Symbol) {
	r.syms = append(r.syms, sym)
	r.facts.events = append(r.facts.events, factEvent{kind: factSymbol})
}

func (r *factRecorder) rel(s syntax.Span) syntax.Span {
	if s.Start < r.start || s.End > r.end || s.Start > s.End {
		r.outside = true
	}
	return syntax.Span{Start: s.Start - r.start, End: s.End - r.start}
}

// finish copies the variables' final state into the facts; nil when the
// walk cannot be replayed elsewhere.
func (r *factRecorder) finish() *probeFacts {
	for _, sym := range r.syms {
		cp := *sym
		cp.Def = r.rel(sym.Def)
		cp.Refs = make([]syntax.Span, len(sym.Refs))
		for i, ref := range sym.Refs {
			cp.Refs[i] = r.rel(ref)
		}
		r.facts.syms = append(r.facts.syms, cp)
	}
	if r.outside {
		return nil
	}
	return r.facts
}
