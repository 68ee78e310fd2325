package analysis

// This file implements maps: every use is recorded in the file-level pass,
// then checked across probes, because maps are global. A map is keyed or
// scalar, has one key count and key types, and holds either one kind of
// aggregate or plain values of one type.

import (
	"fmt"
	"math"
	"strings"

	"github.com/bpfls/bpfls/analysis/syntax"
)

// mapUse is one occurrence of a map.
type mapUse struct {
	span  syntax.Span // the map name, "@x"
	keyed bool
	keys  []ty // key types when keyed
	bare  bool // passed whole to a function, loop or macro: says nothing of keys
	write bool
	value ty     // for writes
	agg   string // for writes of an aggregate: "count", "hist"
	lit   keyLit // whether the only key is an integer literal
	depth uint8  // how late bpftrace 0.25+ learns the key's type (keyDepth)
	// viaMacro marks a use in a macro body of the map a call passed: it
	// lies in the body and refers to the parameter, not the map.
	viaMacro bool
}

// keyLit says whether a map's only key is an integer literal, which
// bpftrace 0.24 lets into a map of either sign when its value fits.
type keyLit uint8

const (
	litNone  keyLit = iota
	litSmall        // fits int64
	litLarge        // above the largest int64
)

// keyLitOf classifies the keys of m.
func keyLitOf(m *syntax.MapExpr) keyLit {
	if len(m.Keys) != 1 {
		return litNone
	}
	lit, ok := syntax.Unparen(m.Keys[0]).(*syntax.IntLit)
	switch {
	case !ok:
		return litNone
	case lit.Value > math.MaxInt64:
		return litLarge
	}
	return litSmall
}

// mapFacts gathers every use of one map. A long document has tens of
// thousands of map uses, kept until the maps are checked, but each map's
// uses differ mostly in position: uses holds each use's position and
// which of kinds it is, kinds the distinct uses without positions.
type mapFacts struct {
	name  string // with '@'
	uses  []useAt
	kinds []mapUse // span zero
	// kindIdx finds a kind by appendUseKey once there are too many for a
	// linear search.
	kindIdx map[string]uint32
	decl    *syntax.MapDecl
	sym     *Symbol
	// stored and keys are the first known value type and key types, kept
	// as uses are recorded so that lookups do not rescan the uses; so are
	// agg (the first aggregate written), shape (whether the first use that
	// is not bare has keys) and entryKeys (the keys of the first keyed use).
	stored    ty
	keys      []ty
	agg       string
	shape     mapShape
	entryKeys []ty
}

// mapShape is what the first use that is not bare says of a map's keys.
type mapShape uint8

const (
	shapeUnknown mapShape = iota
	shapeKeyed
	shapeScalar
)

// useAt is one use of a map: kinds[kind] at span.
type useAt struct {
	span syntax.Span
	kind uint32
}

// use returns the i'th use.
func (f *mapFacts) use(i int) mapUse {
	u := f.kinds[f.uses[i].kind]
	u.span = f.uses[i].span
	return u
}

// numUses is the number of uses.
func (f *mapFacts) numUses() int { return len(f.uses) }

// linearKinds is how many kinds a map's uses are matched against one by
// one before they are indexed.
const linearKinds = 16

// kind returns the index of u's kind, adding it when it is new.
func (f *mapFacts) kind(u mapUse) uint32 {
	u.span = syntax.Span{}
	if f.kindIdx == nil {
		for i := len(f.kinds) - 1; i >= 0; i-- { // the latest kinds recur most
			if sameUse(f.kinds[i], u) {
				return uint32(i)
			}
		}
		if len(f.kinds) < linearKinds {
			f.kinds = append(f.kinds, u)
			return uint32(len(f.kinds) - 1)
		}
		f.kindIdx = make(map[string]uint32, 2*linearKinds)
		for i, k := range f.kinds {
			f.kindIdx[string(appendUseKey(nil, k))] = uint32(i)
		}
	}
	key := appendUseKey(nil, u)
	if i, ok := f.kindIdx[string(key)]; ok {
		return i
	}
	f.kinds = append(f.kinds, u)
	f.kindIdx[string(key)] = uint32(len(f.kinds) - 1)
	return uint32(len(f.kinds) - 1)
}

// sameUse reports whether two uses are alike in every field but their
// positions, as appendUseKey spells them.
func sameUse(a, b mapUse) bool {
	return a.keyed == b.keyed && a.bare == b.bare && a.write == b.write && a.viaMacro == b.viaMacro &&
		a.lit == b.lit && a.depth == b.depth && a.agg == b.agg && (a.keys == nil) == (b.keys == nil) &&
		tyEqual(a.value, b.value) && tysEqual(a.keys, b.keys)
}

// add records a use and what it tells about the map's types.
func (f *mapFacts) add(u mapUse) {
	f.uses = append(f.uses, useAt{span: u.span, kind: f.kind(u)})
	if u.write && u.value.known() && !f.stored.known() {
		f.stored = u.value
	}
	if u.write && u.agg != "" && f.agg == "" {
		f.agg = u.agg
	}
	if !u.bare && f.shape == shapeUnknown {
		f.shape = shapeScalar
		if u.keyed {
			f.shape = shapeKeyed
		}
	}
	if u.keyed && len(u.keys) > 0 && f.entryKeys == nil {
		f.entryKeys = u.keys
	}
	for i, k := range u.keys {
		if i >= len(f.keys) {
			f.keys = append(f.keys, unknownTy)
		}
		if !f.keys[i].known() {
			f.keys[i] = k
		}
	}
}

// mapTable holds the maps of a file in order of first appearance.
type mapTable struct {
	byName map[string]*mapFacts
	order  []*mapFacts
}

func newMapTable() *mapTable { return &mapTable{byName: map[string]*mapFacts{}} }

func (t *mapTable) get(name string) *mapFacts {
	f := t.byName[name]
	if f == nil {
		f = &mapFacts{name: name}
		t.byName[name] = f
		t.order = append(t.order, f)
	}
	return f
}

// mapNameSpan is the span of "@name" without keys.
func mapNameSpan(m *syntax.MapExpr) syntax.Span {
	return syntax.Span{Start: m.At, End: m.At + 1 + syntax.Pos(len(m.Name))}
}

// mapAccess checks @m or @m[keys] as a read or a write and returns the
// value type.
func (c *checker) mapAccess(m *syntax.MapExpr, write bool, value ty, agg string) ty {
	keys := c.mapKeyTypes(m)
	c.recordMap(m, mapUse{span: mapNameSpan(m), keyed: m.Lbrack.IsValid(), keys: keys, write: write, value: value, agg: agg, lit: keyLitOf(m), depth: keyDepth(m)})
	if t := c.aggregateRead(m); !write && t.known() && !c.v.AtLeast(syntax.V0_23) {
		// bpftrace 0.17 reads a count() map as a count, not an integer:
		// no arithmetic, comparison, cast or %d on it.
		return t
	}
	return c.env.mapValueType(m.Name)
}

// aggregateRead is the aggregate type (count_t, sum_t, …) a read of m
// yields when its map holds one that newer versions read as an integer,
// or the unknown type.
func (c *checker) aggregateRead(m *syntax.MapExpr) ty {
	f := c.env.lookupMap(m.Name)
	if f == nil {
		return unknownTy
	}
	if t := storedType(f); t.Kind == tyAgg && readsAsInt(strings.TrimSuffix(t.Name, "_t")) {
		return t
	}
	return unknownTy
}

// mapKeyTypes checks the keys of m; several keys form a tuple key.
func (c *checker) mapKeyTypes(m *syntax.MapExpr) []ty {
	if !m.Lbrack.IsValid() {
		return nil
	}
	keys := make([]ty, len(m.Keys))
	for i, k := range m.Keys {
		keys[i] = c.valueExpr(k)
	}
	if len(keys) == 1 && keys[0].Kind == tyTuple {
		return keys[0].Elems // @m[(a, b)] is @m[a, b]
	}
	return keys
}

// mapArg records a map passed whole (clear(@m), for ($kv : @m)); with keys
// (delete(@m[k])) it is an ordinary read.
func (c *checker) mapArg(m *syntax.MapExpr) {
	if m.Lbrack.IsValid() {
		c.mapAccess(m, false, unknownTy, "")
		return
	}
	c.recordMap(m, mapUse{span: mapNameSpan(m), bare: true})
}

// mapWrite records an assignment of a value (or aggregate) to m.
func (c *checker) mapWrite(m *syntax.MapExpr, value ty, agg string) {
	c.mapAccess(m, true, value, agg)
}

// recordMap enforces macro hygiene and files the use.
func (c *checker) recordMap(m *syntax.MapExpr, u mapUse) {
	name := "@" + m.Name
	if c.macro != nil {
		if p := c.macro.mapParams[name]; p != nil {
			c.refSym(p, u.span)
			c.forwardMap(name, u)
			return
		}
		c.r.Errorf(u.span, CodeMacroUnhygienic, "unhygienic access to map %q: maps must be passed to the macro as arguments", name)
		return
	}
	if c.maps == nil {
		c.recordContextUse(name, u)
		return
	}
	if rec := c.syms.recorder(); rec != nil {
		rec.mapUse(name, u) // before the use changes what the walk saw of the map
	}
	c.maps.record(c.syms, name, u)
}

// record files a use of the map name (with '@') and, when syms is not nil,
// makes its first use the map's symbol and later ones references.
func (t *mapTable) record(syms *symbolSink, name string, u mapUse) {
	f := t.get(name)
	f.add(u)
	if syms == nil || u.viaMacro {
		return
	}
	if f.sym == nil {
		f.sym = syms.add(SymbolMap, name, u.span)
	} else {
		f.sym.Refs = append(f.sym.Refs, u.span)
	}
}

// lookupMap is what the file-level pass has learnt so far of the map @name,
// nil when nothing. A probe walk being recorded notes the read.
func (e *fileEnv) lookupMap(name string) *mapFacts {
	if rec := e.syms.recorder(); rec != nil {
		rec.touch("@" + name)
	}
	return e.maps.byName["@"+name]
}

// mapValueType is the type a read of a map yields, as far as the
// file-level pass learned it: the first write of a known type, with
// count() and friends read as integers.
func (e *fileEnv) mapValueType(name string) ty {
	f := e.lookupMap(name)
	if f == nil {
		return unknownTy
	}
	t := storedType(f)
	if t.Kind == tyAgg && readsAsInt(strings.TrimSuffix(t.Name, "_t")) {
		return int64Ty
	}
	return t
}

// storedType is the type of the first write of a known type: what the map
// holds ("count_t" for count()).
func storedType(f *mapFacts) ty { return f.stored }

// readsAsInt reports whether an aggregate's value reads as an integer
// (count, sum, min, max, avg); histograms and stats do not.
func readsAsInt(agg string) bool {
	switch agg {
	case "count", "sum", "min", "max", "avg":
		return true
	}
	return false
}

// mapAggregate is the aggregate a map holds ("count"), or "".
func (e *fileEnv) mapAggregate(name string) string {
	if f := e.lookupMap(name); f != nil {
		return f.agg
	}
	return ""
}

// mapEntryType is the type of the loop variable of for ($kv : @m): a
// (key, value) tuple.
func (c *checker) mapEntryType(name string) ty {
	key := unknownTy
	if f := c.env.lookupMap(name); f != nil && len(f.entryKeys) > 0 {
		key = f.entryKeys[0]
		if len(f.entryKeys) > 1 {
			key = ty{Kind: tyTuple, Elems: f.entryKeys}
		}
	}
	return ty{Kind: tyTuple, Elems: []ty{key, c.env.mapValueType(name)}}
}

// checkMaps reports maps used inconsistently across the whole file.
// Each map's diagnostics are noted in e.mapDiags, for the incremental path
// (incremental_maps.go).
func (e *fileEnv) checkMaps(r *Reporter) {
	e.mapDiagFrom = len(r.Diags)
	for _, f := range e.maps.order {
		lo := len(r.Diags)
		e.checkMap(r, f)
		if len(r.Diags) > lo {
			e.mapDiags = append(e.mapDiags, mapDiagRange{name: f.name, lo: lo, hi: len(r.Diags)})
		}
		if f.sym != nil {
			if t := storedType(f); t.known() {
				f.sym.Type = t.String()
			}
			f.sym.Key = mapKeyText(f)
			if f.decl == nil {
				f.sym.Def = firstWrite(f)
			}
		}
	}
}

// checkMap reports one map's inconsistent uses.
func (e *fileEnv) checkMap(r *Reporter, f *mapFacts) {
	e.checkMapShape(r, f)
	e.checkMapValues(r, f)
	e.checkMapDefined(r, f)
	e.checkMapDeclKind(r, f)
}

// mapDiagRange is where one map's diagnostics lie in a list of the
// file-level diagnostics.
type mapDiagRange struct {
	name   string
	lo, hi int
}

// firstWrite is where a map is first assigned, or its first use when it
// never is: the place "go to definition" shows.
func firstWrite(f *mapFacts) syntax.Span {
	for _, u := range f.uses {
		if f.kinds[u.kind].write {
			return u.span
		}
	}
	return f.uses[0].span
}

// checkMapShape checks keyed against scalar use, key count and key types
// against the first use that fixed them.
func (e *fileEnv) checkMapShape(r *Reporter, f *mapFacts) {
	ref := e.shapeReference(f)
	if ref < 0 { // every use is bare
		return
	}
	first := f.use(ref)
	for i := range f.numUses() {
		u := f.use(i)
		if u.bare || i == ref {
			continue
		}
		switch {
		case u.keyed != first.keyed:
			what, was := "with a key", "without one"
			if !u.keyed {
				what, was = "without a key", "with one"
			}
			d := r.Errorf(u.span, CodeMapKeyedScalar, "map %q is used %s here but %s elsewhere", f.name, what, was)
			d.Related = append(d.Related, refRelated(f, ref))
		case u.keyed && len(u.keys) != len(first.keys):
			d := r.Errorf(u.span, CodeMapKeyArity, "map %q is used with %d %s here but %d elsewhere",
				f.name, len(u.keys), pluralize(len(u.keys), "key", "keys"), len(first.keys))
			d.Related = append(d.Related, refRelated(f, ref))
		case u.keyed:
			e.checkKeyTypes(r, f, ref, u)
		}
	}
}

// refRelated points at the use others are checked against, the ref'th.
func refRelated(f *mapFacts, ref int) Related {
	if ref == 0 {
		return Related{Span: f.uses[ref].span, Message: "first use of " + f.name}
	}
	return Related{Span: f.uses[ref].span, Message: "the use that fixes the keys of " + f.name}
}

// shapeReference is the use the others are checked against: the first
// that is not bare. From 0.25 bpftrace infers a map's key type from the use
// whose key type it learns first, which need not be the first written
// (measured with the real 0.26.1: after "@m[tid, 1] = 1", "@m[tid]" fixes
// the key and the tuple is the use in error), so among keyed uses the one
// of least depth wins, the earliest of equals. It returns the use's index,
// -1 when every use is bare.
func (e *fileEnv) shapeReference(f *mapFacts) int {
	first := -1
	var depth uint8
	for i, at := range f.uses {
		u := &f.kinds[at.kind]
		switch {
		case u.bare:
		case first < 0:
			first, depth = i, u.depth
			if !u.keyed || !e.cfg.Dialect.Version.AtLeast(syntax.V0_25) {
				return first
			}
		case u.keyed && u.depth < depth:
			first, depth = i, u.depth
		}
	}
	return first
}

// keyDepth estimates how many steps bpftrace 0.25+'s type inference takes
// to learn the key type of m: literals, builtins and casts are known at
// once, a tuple or an operation takes one step more than its parts, a
// variable or a map value about two.
func keyDepth(m *syntax.MapExpr) uint8 {
	switch {
	case len(m.Keys) == 1:
		return exprDepth(m.Keys[0], 0)
	case len(m.Keys) > 1:
		return 1 + maxDepth(m.Keys, 0)
	}
	return 0
}

func maxDepth(xs []syntax.Expr, level int) uint8 {
	var d uint8
	for _, x := range xs {
		d = max(d, exprDepth(x, level))
	}
	return d
}

// exprDepth is keyDepth's estimate for one expression; level bounds the
// recursion on deeply nested input.
func exprDepth(x syntax.Expr, level int) uint8 {
	if level > 16 {
		return 16
	}
	switch x := x.(type) {
	case *syntax.ParenExpr:
		return exprDepth(x.X, level+1)
	case *syntax.IntLit, *syntax.StrLit, *syntax.BoolLit, *syntax.Ident, *syntax.CastExpr, *syntax.PositionalParam:
		return 0
	case *syntax.VarExpr, *syntax.MapExpr:
		return 2
	case *syntax.TupleExpr:
		return 1 + maxDepth(x.Elems, level+1)
	case *syntax.BinaryExpr:
		return 1 + max(exprDepth(x.X, level+1), exprDepth(x.Y, level+1))
	case *syntax.UnaryExpr:
		return 1 + exprDepth(x.X, level+1)
	case *syntax.FieldExpr:
		return 1 + exprDepth(x.X, level+1)
	}
	return 1
}

// checkKeyTypes reports the first key of u whose type differs from the
// map's first known key types.
func (e *fileEnv) checkKeyTypes(r *Reporter, f *mapFacts, ref int, u mapUse) {
	for i := range u.keys {
		want := firstKnownKey(f, i)
		var d *Diagnostic
		switch {
		case !compatible(want, u.keys[i]) || !arraysMatch(want, u.keys[i]):
			d = r.Errorf(u.span, CodeMapKeyType, "map %q key %d has type %s here but %s elsewhere", f.name, i+1, u.keys[i], want)
		case e.cfg.Dialect.Version != syntax.V0_24 || !want.isIntOnly() || !u.keys[i].isIntOnly():
		case len(u.keys) == 1 && u.lit != litNone:
			if u.lit == litLarge && want.Signed {
				d = r.Errorf(u.span, CodeMapKeyType, "map %q has int64 keys, and this key does not fit in one", f.name)
			}
		case want.Signed != u.keys[i].Signed:
			// 0.24 stores every integer key as 64 bits of its sign and
			// refuses the other sign (0.22 and 0.23 made every key
			// signed; 0.25 promotes).
			d = r.Errorf(u.span, CodeMapKeyType, "map %q key %d is %s here but %s elsewhere: bpftrace 0.24 does not mix signed and unsigned keys (cast one side)",
				f.name, i+1, signWord(u.keys[i]), signWord(want))
		}
		if d != nil {
			d.Related = append(d.Related, refRelated(f, ref))
			return
		}
	}
}

// signWord names an integer type with its sign for messages: "uint32
// (unsigned)".
func signWord(t ty) string {
	if t.Signed {
		return t.String() + " (signed)"
	}
	return t.String() + " (unsigned)"
}

// firstKnownKey is the first known type of key i.
func firstKnownKey(f *mapFacts, i int) ty {
	if i < len(f.keys) {
		return f.keys[i]
	}
	return unknownTy
}

// checkMapValues checks that all writes store one kind of value.
func (e *fileEnv) checkMapValues(r *Reporter, f *mapFacts) {
	var first mapUse
	have := false
	for i := range f.numUses() {
		u := f.use(i)
		if !u.write || u.bare { // bare writes: passed to a macro, which may assign anything
			continue
		}
		if !have || !first.value.known() && first.agg == "" {
			first, have = u, true
			continue
		}
		var d *Diagnostic
		switch {
		case first.agg != "" && u.agg == "":
			d = r.Errorf(u.span, CodeMapAggregateMix, "map %q holds %s() values: it cannot also be assigned a plain value", f.name, first.agg)
		case first.agg == "" && u.agg != "":
			d = r.Errorf(u.span, CodeMapAggregateMix, "map %q holds plain values: it cannot also be assigned %s()", f.name, u.agg)
		case first.agg != u.agg:
			d = r.Errorf(u.span, CodeMapAggregateKind, "map %q holds %s() values: it cannot also be assigned %s()", f.name, first.agg, u.agg)
		case !compatible(first.value, u.value) || !arraysMatch(first.value, u.value):
			d = r.Errorf(u.span, CodeMapValueType, "map %q is assigned a value of type %s here but holds %s elsewhere", f.name, u.value, first.value)
		}
		if d != nil {
			d.Related = append(d.Related, Related{Span: first.span, Message: "first assignment of " + f.name})
		}
	}
}

// checkMapDefined reports maps read but never written, and declared maps
// never used.
func (e *fileEnv) checkMapDefined(r *Reporter, f *mapFacts) {
	if f.numUses() == 0 {
		if f.decl != nil {
			r.Warnf(span(f.decl.Map), CodeMapUnused, "map %q is declared but never used", f.name)
		}
		return
	}
	if f.decl != nil {
		return
	}
	// From 0.25 a map read where its type shows (@m == 1, @m[k]) is
	// typed by inference; only maps used whole (print(@m)) stay undefined.
	inferred := e.cfg.Dialect.Version.AtLeast(syntax.V0_25)
	for _, at := range f.uses {
		if u := &f.kinds[at.kind]; u.write || inferred && !u.bare {
			return
		}
	}
	d := r.Errorf(f.uses[0].span, CodeMapUndefined, "undefined map %q: it is never assigned", f.name)
	var names []string
	for _, g := range e.maps.order {
		names = append(names, g.name)
	}
	addSuggestion(d, f.uses[0].span, f.name, names)
}

// mapKeyText renders a map's key types for hover: "int64, string".
func mapKeyText(f *mapFacts) string {
	for _, at := range f.uses {
		if u := f.kinds[at.kind]; u.keyed {
			s := ""
			for i := range u.keys {
				if i > 0 {
					s += ", "
				}
				s += firstKnownKey(f, i).String()
			}
			return s
		}
	}
	return ""
}

// mapKinds are the map types "let @m = KIND(N)" accepts; 0.24 alone also
// had percpuarray (bpftrace's bpfmap.cpp), for keyless aggregates.
func mapKinds(v syntax.Version) []string {
	kinds := []string{"hash", "lruhash", "percpuhash", "percpulruhash"}
	if v == syntax.V0_24 {
		kinds = append(kinds, "percpuarray")
	}
	return kinds
}

// checkMapDecl checks "let @m = hash(N);".
func (e *fileEnv) checkMapDecl(r *Reporter, d *syntax.MapDecl) {
	if d.Map == nil {
		return
	}
	name := "@" + d.Map.Name
	if kinds := mapKinds(e.cfg.Dialect.Version); d.Kind != nil && !contains(kinds, d.Kind.Name) {
		diag := r.Errorf(span(d.Kind), CodeMapDeclUnknownTyp, "unknown map type %q", d.Kind.Name)
		addSuggestion(diag, span(d.Kind), d.Kind.Name, kinds)
	}
	f := e.maps.get(name)
	if f.decl != nil {
		diag := r.Errorf(mapNameSpan(d.Map), CodeMapDeclDuplicate, "map %q is already declared", name)
		diag.Related = append(diag.Related, Related{Span: mapNameSpan(f.decl.Map), Message: fmt.Sprintf("first declaration of %s", name)})
		return
	}
	f.decl = d
	f.sym = e.syms.add(SymbolMap, name, mapNameSpan(d.Map))
}
