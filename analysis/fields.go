package analysis

// This file implements field access ('.' and '->' under each version's
// rules), args fields from the probe context, casts, and type names
// resolved through the kernel.

import (
	"github.com/bpfls/bpfls/analysis/syntax"
	"github.com/bpfls/bpfls/btfindex"
)

// field checks x.f and x->f, args fields included.
func (c *checker) field(x *syntax.FieldExpr) ty {
	if x.Field == nil {
		c.expr(x.X)
		return unknownTy
	}
	if id, ok := syntax.Unparen(x.X).(*syntax.Ident); ok && c.isArgsBuiltin(id) {
		return c.argsField(x, id)
	}
	return c.fieldOf(x, c.expr(x.X))
}

// isArgsBuiltin reports whether id is the args builtin (not a macro
// parameter or macro of that name).
func (c *checker) isArgsBuiltin(id *syntax.Ident) bool {
	if id.Name != "args" || c.env.hasMacro("args") {
		return false
	}
	return c.macro == nil || c.macro.identParams["args"] == nil
}

// argsField checks args.f (args->f) against the probe context and records
// the use for the mixed-arguments analysis.
func (c *checker) argsField(x *syntax.FieldExpr, id *syntax.Ident) ty {
	b, _ := lookupBuiltin("args")
	if !c.builtinAvailable(id, b) {
		return unknownTy
	}
	c.useBuiltin(id, b)
	name := x.Field.Name
	c.res.ArgUses = append(c.res.ArgUses, ArgUse{Span: span(x.Field), Field: name, Arrow: x.Arrow})
	if !x.Arrow && !c.v.AtLeast(syntax.V0_19) {
		d := c.r.Errorf(span(x), CodeArgsArrowNeeded, "args is a pointer in bpftrace %s: use args->%s", c.v, name)
		d.Fixes = append(d.Fixes, c.opFix(x, "->"))
	}
	c.lookupContext()
	if c.pc == nil || !c.pc.HasArgs {
		return unknownTy
	}
	if c.pc.Args == nil {
		if c.pc.ArgsErr != "" {
			c.r.Errorf(span(x), CodeArgsUnreadable, "%s", c.pc.ArgsErr)
		}
		return unknownTy // the fields are not known: no kernel facts
	}
	f, ok := argField(c.pc, name)
	if !ok {
		d := c.r.Errorf(span(x.Field), CodeArgsUnknownField, "args has no field %q", name)
		names := make([]string, len(c.pc.Args))
		for i, a := range c.pc.Args {
			names[i] = a.Name
		}
		addSuggestion(d, span(x.Field), name, names)
		return unknownTy
	}
	return fromBTF(&f.Type)
}

// opFix replaces the '.' or '->' of x by op.
func (c *checker) opFix(x *syntax.FieldExpr, op string) Fix {
	n := syntax.Pos(1)
	if x.Arrow {
		n = 2
	}
	return Fix{Title: "Use " + op, Kind: "quickfix",
		Edits: []Edit{{Span: syntax.Span{Start: x.OpPos, End: x.OpPos + n}, NewText: op}}}
}

// fieldOf checks x.f or x->f given the type of x.
func (c *checker) fieldOf(x *syntax.FieldExpr, base ty) ty {
	name := x.Field.Name
	switch base.Kind {
	case tyUnknown:
		return unknownTy
	case tyTuple:
		return c.tupleField(x, base)
	case tyPointer:
		elem := *base.Elem
		if elem.Kind != tyRecord {
			if elem.known() && elem.Kind != tyVoid {
				c.r.Errorf(span(x.Field), CodeFieldOnNonRecord, "cannot access field %q through a pointer to %s", name, elem)
			}
			return unknownTy
		}
		if !x.Arrow && !c.v.AtLeast(syntax.V0_25) {
			d := c.r.Errorf(span(x), CodeFieldOnPointer, "cannot access field %q with '.' on a pointer (%s) in bpftrace %s: use '->'", name, base, c.v)
			d.Fixes = append(d.Fixes, c.opFix(x, "->"))
		}
		return c.recordField(x, elem)
	case tyRecord:
		if x.Arrow && !base.Args && !c.v.AtLeast(syntax.V0_25) {
			d := c.r.Errorf(span(x), CodeArrowOnValue, "%s is not a pointer: use '.' to access field %q", base, name)
			d.Fixes = append(d.Fixes, c.opFix(x, "."))
		}
		return c.recordField(x, base)
	}
	c.r.Errorf(span(x.Field), CodeFieldOnNonRecord, "cannot access field %q of a value of type %s", name, base)
	return unknownTy
}

// recordField looks a field up in a struct known to the kernel, or in an
// anonymous record.
func (c *checker) recordField(x *syntax.FieldExpr, rec ty) ty {
	name := x.Field.Name
	if rec.Name == "" || rec.Args {
		for _, f := range rec.Fields {
			if f.Name == name {
				return f.Type
			}
		}
		if len(rec.Fields) > 0 && !rec.Args {
			c.r.Errorf(span(x.Field), CodeUnknownField, "record has no field %q", name)
		}
		return unknownTy
	}
	r := c.env.record(rec.Name)
	if r == nil {
		return unknownTy
	}
	if m, ok := r.Field(name); ok {
		return fromBTF(&m.Type)
	}
	var d *Diagnostic
	if c.headersUnread() { //nolint

		// Headers may #define a field name (sk_state is
		// __sk_common.skc_state), which bpftrace expands.
		c.r.Warnf(span(x.Field), CodeUnknownField, "%s has no field %q in the kernel's BTF; it may be a macro from an included header", rec, name)
		return unknownTy
	} else {
		d = c.r.Errorf(span(x.Field), CodeUnknownField, "%s has no field %q", rec, name)
	}
	names := make([]string, len(r.Members))
	for i, m := range r.Members {
		names[i] = m.Name
	}
	addSuggestion(d, span(x.Field), name, names)
	return unknownTy
}

// cast checks (T)x.
// aggregateMap is the aggregate (count_t, …) a map read x holds, or
// unknownTy when x reads no aggregate map.
func (c *checker) aggregateMap(x syntax.Expr) ty {
	m, ok := syntax.Unparen(x).(*syntax.MapExpr)
	if !ok {
		return unknownTy
	}
	if f := c.env.maps.byName["@"+m.Name]; f != nil && storedType(f).Kind == tyAgg {
		return storedType(f)
	}
	return unknownTy
}

func (c *checker) cast(x *syntax.CastExpr) ty {
	vt := c.expr(x.X)
	if x.Type == nil {
		return unknownTy
	}
	t := c.typeExpr(x.Type)
	if !c.checkEnumCast(x.Type) {
		return unknownTy
	}
	switch {
	case !t.known() || !vt.known():
	case t.Kind == tyRecord:
		c.r.Errorf(span(x.Type), CodeCastInvalid, "cannot cast to %s: cast to a pointer, (%s *)", t, t)
	case t.Kind == tyInt && vt.Kind == tyString:
		c.r.Errorf(span(x), CodeCastInvalid, "cannot cast a string to %s", t)
	case t.Kind == tyInt && vt.Kind == tyRecord:
		c.r.Errorf(span(x), CodeCastInvalid, "cannot cast a %s value to %s", vt, t)
	case !c.v.AtLeast(syntax.V0_23) && c.aggregateMap(x.X).known():
		c.r.Errorf(span(x), CodeCastInvalid, "casting a %s map value needs bpftrace 0.23 or newer", c.aggregateMap(x.X))
	case t.Kind == tyTuple && vt.Kind != tyTuple:
		c.r.Errorf(span(x), CodeCastInvalid, "cannot cast %s to the tuple %s", vt, t)
	case t.Kind == tyString && t.Name == "" && vt.isInt():
		c.r.Errorf(span(x), CodeCastInvalid, "cannot cast %s to a string: use str() for a pointer", vt)
	}
	return t
}

// typeExpr resolves a written type. Unknown struct names are reported when
// the kernel is known; unknown plain names only where bpftrace has no
// typedefs (0.17) or the kernel says so.
func (c *checker) typeExpr(te *syntax.TypeExpr) ty {
	if te == nil {
		return unknownTy
	}
	var t ty
	switch {
	case te.Typeof != nil:
		t = c.specialExpr(te.Typeof)
	case te.Name == nil:
		return unknownTy
	case te.Keyword == syntax.KwStruct || te.Keyword == syntax.KwUnion:
		t = c.structType(te)
	case te.Keyword == syntax.KwEnum:
		t = c.enumType(te)
	default:
		t = c.namedType(te.Name)
	}
	for _, sf := range te.Suffixes {
		if sf.Ptr {
			t = ptrTo(t)
			continue
		}
		e := t
		t = ty{Kind: tyArray, Elem: &e}
		if lit, ok := sf.Len.(*syntax.IntLit); ok {
			t.Len = uint32(lit.Value)
		}
	}
	return t
}

// structType resolves "struct name" through the kernel, suggesting a
// close name when it has none.
func (c *checker) structType(te *syntax.TypeExpr) ty {
	name := te.Name.Name
	union := te.Keyword == syntax.KwUnion
	t := recordTy(name, union)
	if r, ok := c.env.cRecord(name); ok {
		t.Union = r.Union
		return t
	}
	if c.env.cdef(name) || c.env.kernel == nil || c.env.userProbes {
		return t // from the script's C part, or maybe from a binary's DWARF
	}
	if r, ok := c.env.kernel.Record(name); ok {
		t.Union = r.Union
		return t
	}
	kw := "struct"
	if union {
		kw = "union"
	}
	var d *Diagnostic
	if c.headersUnread() {
		d = c.r.Warnf(span(te.Name), CodeUnknownStruct, "%s %q is not in the kernel's BTF; it may come from an included header", kw, name)
	} else {
		d = c.r.Errorf(span(te.Name), CodeUnknownStruct, "unknown %s %q", kw, name)
	}
	addSuggestion(d, span(te.Name), name, c.env.recordNames(name))
	return unknownTy
}

// namedType resolves a type name: bpftrace's own, C base types, then
// kernel typedefs.
func (c *checker) namedType(id *syntax.Ident) ty {
	if t, ok := builtinTypeNames[id.Name]; ok {
		return t
	}
	if t, ok := cTypeNames[id.Name]; ok {
		return t
	}
	if c.isMacroIdentParam(id) || likelyConstant(id.Name) || c.isInternal(id.Name) {
		return unknownTy // a typeof() argument, or an enum value in sizeof
	}
	if bt, ok := c.env.typedef(id.Name); ok {
		return fromBTF(&bt)
	}
	if c.v.AtLeast(syntax.V0_25) && c.env.kernel != nil { // 0.25 looks bare names up in BTF
		c.env.lookup(id.Name)
		if r, ok := c.env.kernel.Record(id.Name); ok {
			return recordTy(id.Name, r.Union)
		}
	}
	if c.env.kernel == nil && c.v.AtLeast(syntax.V0_18) || c.headersUnread() {
		return unknownTy // a typedef the analysis cannot see (0.17 has none), or from a header
	}
	names := make([]string, 0, len(builtinTypeNames))
	for n := range builtinTypeNames {
		names = append(names, n)
	}
	d := c.r.Errorf(span(id), CodeUnknownType, "unknown type %q", id.Name)
	addSuggestion(d, span(id), id.Name, names)
	return unknownTy
}

// offsetof checks the field path of offsetof(T, f.g).
func (c *checker) offsetof(x *syntax.OffsetofExpr) {
	var t ty
	switch {
	case x.Type != nil:
		t = c.typeExpr(x.Type)
	case x.X != nil:
		t = c.expr(x.X)
	}
	for _, f := range x.Fields {
		if t.Kind != tyRecord || f == nil {
			return
		}
		t = c.recordField(&syntax.FieldExpr{X: x.X, OpPos: f.Pos(), Field: f}, t)
	}
}

// record finds a struct or union the kernel knows; nil when the kernel is
// unknown or the struct comes from the script's own C definitions.
func (e *fileEnv) record(name string) *btfindex.Record {
	if r, ok := e.cRecord(name); ok {
		return r
	}
	if e.kernel == nil || e.cdef(name) {
		return nil
	}
	r, ok := e.kernel.Record(name)
	if !ok {
		return nil
	}
	return r
}

// recordNames lists kernel struct names starting like name, for
// suggestions; typos rarely change the first letter.
func (e *fileEnv) recordNames(name string) []string {
	if e.kernel == nil || name == "" {
		return nil
	}
	return e.kernel.Complete(btfindex.NameRecord, name[:1], 0)
}

// typedef resolves a typedef name when the kernel is known.
func (e *fileEnv) typedef(name string) (btfindex.Type, bool) {
	e.lookup(name)
	if e.kernel == nil {
		return btfindex.Type{}, false
	}
	return e.kernel.Typedef(name)
}

// argField finds an args field of the probe context by name.
func argField(pc *ProbeContext, name string) (ArgField, bool) {
	for _, a := range pc.Args {
		if a.Name == name {
			return a, true
		}
	}
	return ArgField{}, false
}
