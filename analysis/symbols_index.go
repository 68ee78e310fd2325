package analysis

// This file implements the symbol index the LSP features share (hover,
// definition, references, rename, highlight, inlay hints): every map,
// scratch variable, macro and macro parameter with its definition, its
// references and its inferred type.

import (
	"sync"

	"github.com/bpfls/bpfls/analysis/syntax"
)

// SymbolKind says what a [Symbol] names.
type SymbolKind string

// Kinds of [Symbol].
const (
	SymbolMap        SymbolKind = "map"         // @name, global to the file
	SymbolVariable   SymbolKind = "variable"    // $name, one per scope it lives in
	SymbolMacro      SymbolKind = "macro"       // one per overload
	SymbolMacroParam SymbolKind = "macro-param" // x, $x or @x of one macro
)

// Symbol is one named entity of a file. Two variables with the same name in
// different probes (or blocks, from 0.22) are different symbols.
type Symbol struct {
	Kind SymbolKind
	Name string      // as written, sigil included: "@hits", "$n", "port"
	Def  syntax.Span // the definition: first assignment, let, declaration, or parameter
	// Refs lists every occurrence, the definition included, in source order.
	Refs   []syntax.Span
	Type   string // inferred value type for display ("int64", "count_t"), "" when unknown
	Key    string // maps: key types for display ("int64, string"), "" when scalar
	Detail string // macros: the parameter list, "port(sk)"
}

// SymbolIndex is the symbols of one file in order of definition. It is
// either flat (every symbol at absolute positions, as the pass made them)
// or, for a document whose probe walks are recorded, the compact view of
// symbols_view.go, which materialises a symbol only when it is read.
type SymbolIndex struct {
	flat []*Symbol
	// walkStarts[i] is how many symbols there were before the file-level
	// walk of item i, and walkStarts[NumItems] after the last walk, for
	// newSymbolView. Short when the pass was cut short.
	walkStarts []int32
	v          *symView // nil: flat

	allOnce sync.Once // builds all from v, on the first All
	all     []*Symbol
}

// symbolSink collects symbols during the file-level pass.
type symbolSink struct {
	idx *SymbolIndex
	rec *factRecorder // set while one probe's walk is recorded (envcache.go)
}

// recorder is the recorder of the probe walk under way, or nil.
func (s *symbolSink) recorder() *factRecorder {
	if s == nil {
		return nil
	}
	return s.rec
}

func newSymbolSink() *symbolSink { return &symbolSink{idx: &SymbolIndex{}} }

// add records a new symbol defined at def.
func (s *symbolSink) add(kind SymbolKind, name string, def syntax.Span) *Symbol {
	sym := &Symbol{Kind: kind, Name: name, Def: def, Refs: []syntax.Span{def}}
	s.idx.flat = append(s.idx.flat, sym)
	if s.rec != nil && kind != SymbolMap { // map symbols are replayed from their uses
		s.rec.symbol(sym)
	}
	return sym
}

// finish sorts each symbol's references and drops duplicates.
func (s *symbolSink) finish() *SymbolIndex {
	for _, sym := range s.idx.flat {
		sortRefs(sym)
	}
	return s.idx
}

// All returns every symbol in order of definition. The slice and the
// symbols are shared: callers must not modify them. For a compact index
// the first call costs O(symbols); code that needs a few symbols uses At,
// Named or StartingAt.
func (x *SymbolIndex) All() []*Symbol {
	if x == nil {
		return nil
	}
	if x.v == nil {
		return x.flat
	}
	x.allOnce.Do(func() { x.all = x.v.all() })
	return x.all
}

// At returns the symbol with an occurrence containing pos; the narrowest
// occurrence wins, and of equally narrow ones the symbol defined first.
// For a compact index it costs O(log items) and a scan of the item at pos.
func (x *SymbolIndex) At(pos syntax.Pos) (*Symbol, bool) {
	if x != nil && x.v != nil {
		return x.v.at(pos)
	}
	var best *Symbol
	bestLen := -1
	for _, sym := range x.All() {
		for _, r := range sym.Refs {
			if r.Contains(pos) && (bestLen < 0 || r.Len() < bestLen) {
				best, bestLen = sym, r.Len()
			}
		}
	}
	return best, best != nil
}

// HeadAt is At for callers that need the symbol's fields and definition
// but not its references (hover, definition, prepare-rename): Refs is nil,
// and the occurrence containing pos is returned. For a compact index it
// costs O(log items) and a scan of the item, even for a map used in every
// probe, whose references At lists.
func (x *SymbolIndex) HeadAt(pos syntax.Pos) (*Symbol, syntax.Span, bool) {
	if x != nil && x.v != nil {
		return x.v.headAt(pos)
	}
	sym, ok := x.At(pos)
	if !ok {
		return nil, syntax.Span{}, false
	}
	occ := syntax.Span{Start: -1}
	for _, r := range sym.Refs {
		if r.Contains(pos) && (occ.Start < 0 || r.Len() < occ.Len()) {
			occ = r
		}
	}
	head := *sym
	head.Refs = nil
	return &head, occ, true
}

// StartingAt returns the symbol with an occurrence starting at pos, for
// inlay hints, which look symbols up by the start of an assignment's name.
func (x *SymbolIndex) StartingAt(pos syntax.Pos) (*Symbol, bool) {
	if x != nil && x.v != nil {
		return x.v.startingAt(pos)
	}
	for _, sym := range x.All() {
		for _, r := range sym.Refs {
			if r.Start == pos {
				return sym, true
			}
		}
	}
	return nil, false
}

// Named returns the symbols named name (sigil included) in order of
// definition, leaving out the variables of probes other than the one
// containing near: rename uses it to find what a new name would clash
// with. For a compact index it costs what the globals and that probe hold.
func (x *SymbolIndex) Named(name string, near syntax.Pos) []*Symbol {
	if x != nil && x.v != nil {
		return x.v.named(name, near)
	}
	var out []*Symbol
	for _, sym := range x.All() {
		if sym.Name == name {
			out = append(out, sym)
		}
	}
	return out
}

// Symbols returns the file's symbols in order of definition.
func (s *Snapshot) Symbols() []*Symbol { return s.symbolIndex().All() }

// SymbolAt returns the symbol under pos, for hover, definition, references,
// rename and highlight.
func (s *Snapshot) SymbolAt(pos syntax.Pos) (*Symbol, bool) { return s.symbolIndex().At(pos) }

// symbolIndex is the index Analyze kept, or, for a snapshot made some
// other way, a rebuilt one.
func (s *Snapshot) symbolIndex() *SymbolIndex {
	if s.symbols != nil {
		return s.symbols
	}
	s.lazyOnce.Do(func() { s.lazySymbols.Store(rebuildSymbols(s)) })
	return s.lazySymbols.Load()
}

// builtSymbols is the snapshot's symbol index when it is built, else nil.
func (s *Snapshot) builtSymbols() *SymbolIndex {
	if s.symbols != nil {
		return s.symbols
	}
	return s.lazySymbols.Load()
}
