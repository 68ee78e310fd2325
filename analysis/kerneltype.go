package analysis

// This file implements what completion, hover and inlay hints need to know
// of kernel types in a probe body: the contexts of a probe's attach points,
// and the C type of an expression where kernel facts give one (args fields,
// casts to kernel structs, curtask, retval, field chains, and variables and
// maps assigned from those).

import (
	"context"
	"strings"

	"github.com/bpfls/bpfls/analysis/syntax"
	"github.com/bpfls/bpfls/btfindex"
)

// probeContexts expands every attach point of p into its instances'
// contexts, the way the probe pass does, discarding its diagnostics.
func probeContexts(ctx context.Context, cfg Config, p *syntax.Probe) []*ProbeContext {
	pp := &probePass{ctx: ctx, cfg: cfg}
	r := &Reporter{}
	var out []*ProbeContext
	for _, n := range p.AttachPoints {
		out = append(out, pp.expandAttachPoint(r, newAttachPoint(n), len(p.AttachPoints))...)
	}
	return out
}

// maxTypeDepth bounds how far the typer follows variables and maps back to
// their assignments ($a = $b; $b = $a).
const maxTypeDepth = 8

// kernelTyper types expressions of one top-level item.
type kernelTyper struct {
	k     Kernel
	f     *syntax.File
	item  syntax.Node
	pcs   []*ProbeContext // the instances of the probe; nil outside probes
	depth int
}

func newKernelTyper(ctx context.Context, s *Snapshot, item syntax.Node) *kernelTyper {
	t := &kernelTyper{k: withCPart(ctx, s), f: s.File, item: item}
	if p, ok := item.(*syntax.Probe); ok {
		t.pcs = probeContexts(ctx, s.Config, p)
	}
	return t
}

// isArgs reports whether e is the args builtin.
func isArgs(e syntax.Expr) bool {
	id, ok := syntax.Unparen(e).(*syntax.Ident)
	return ok && id.Name == "args"
}

// typeOf returns the C type of e, or nil when kernel facts do not give one.
func (t *kernelTyper) typeOf(e syntax.Expr) *btfindex.Type {
	if t.depth > maxTypeDepth || e == nil {
		return nil
	}
	t.depth++
	defer func() { t.depth-- }()
	switch x := e.(type) {
	case *syntax.ParenExpr:
		return t.typeOf(x.X)
	case *syntax.Ident:
		return t.identType(x.Name)
	case *syntax.FieldExpr:
		if x.Field == nil {
			return nil
		}
		if isArgs(x.X) {
			return t.argType(x.Field.Name)
		}
		m, ok := t.member(t.typeOf(x.X), x.Field.Name)
		if !ok {
			return nil
		}
		return &m.Type
	case *syntax.CastExpr:
		return t.typeExpr(x.Type)
	case *syntax.IndexExpr:
		if bt := t.typeOf(x.X); bt != nil && (bt.Kind == btfindex.KindPointer || bt.Kind == btfindex.KindArray) {
			return bt.Elem
		}
	case *syntax.UnaryExpr:
		return t.unaryType(x)
	case *syntax.VarExpr:
		return t.typeOf(t.varValue(x))
	case *syntax.MapExpr:
		return t.typeOf(mapValue(t.f, x.Name))
	}
	return nil
}

func (t *kernelTyper) unaryType(x *syntax.UnaryExpr) *btfindex.Type {
	bt := t.typeOf(x.X)
	if bt == nil {
		return nil
	}
	switch x.Op {
	case syntax.Star:
		if bt.Kind == btfindex.KindPointer {
			return bt.Elem
		}
	case syntax.Amp:
		return pointerTo(*bt)
	}
	return nil
}

func pointerTo(bt btfindex.Type) *btfindex.Type {
	return &btfindex.Type{C: cDeclare(bt.C, "*"), Kind: btfindex.KindPointer, Size: 8, Elem: &bt}
}

// identType types the builtins whose type comes from the kernel or the
// probe.
func (t *kernelTyper) identType(name string) *btfindex.Type {
	switch name {
	case "curtask":
		return pointerTo(btfindex.Type{C: "struct task_struct", Kind: btfindex.KindStruct, Record: "task_struct", Size: t.recordSize("task_struct")})
	case "retval":
		for _, pc := range t.pcs {
			if pc.Retval != nil && pc.Retval.Kind != btfindex.KindUnknown {
				return pc.Retval
			}
		}
	case "ctx":
		for _, pc := range t.pcs {
			if pc.Ctx != nil {
				return pc.Ctx
			}
		}
	}
	return nil
}

func (t *kernelTyper) recordSize(name string) uint32 {
	if t.k == nil {
		return 0
	}
	if r, ok := t.k.Record(name); ok {
		return r.Size
	}
	return 0
}

// argType is the type of args.name in the first instance that has it.
func (t *kernelTyper) argType(name string) *btfindex.Type {
	for _, pc := range t.pcs {
		if f, ok, _ := pc.Arg(name); ok {
			return &f.Type
		}
	}
	return nil
}

// record returns the struct or union bt is, or points to.
func (t *kernelTyper) record(bt *btfindex.Type) (*btfindex.Record, bool) {
	if bt == nil || t.k == nil {
		return nil, false
	}
	if bt.Kind == btfindex.KindPointer && bt.Elem != nil {
		bt = bt.Elem
	}
	if (bt.Kind != btfindex.KindStruct && bt.Kind != btfindex.KindUnion) || bt.Record == "" {
		return nil, false
	}
	prefix := "struct "
	if bt.Kind == btfindex.KindUnion {
		prefix = "union "
	}
	return t.k.Record(prefix + bt.Record)
}

// member finds field name of the record bt is or points to.
func (t *kernelTyper) member(bt *btfindex.Type, name string) (btfindex.Member, bool) {
	r, ok := t.record(bt)
	if !ok {
		return btfindex.Member{}, false
	}
	return r.Field(name)
}

// typeExpr resolves a written type: struct/union names through the kernel,
// typedefs and integer types, then pointer and array suffixes.
func (t *kernelTyper) typeExpr(te *syntax.TypeExpr) *btfindex.Type {
	if te == nil || te.Name == nil {
		return nil
	}
	var bt btfindex.Type
	switch te.Keyword {
	case syntax.KwStruct, syntax.KwUnion:
		kind, kw := btfindex.KindStruct, "struct "
		if te.Keyword == syntax.KwUnion {
			kind, kw = btfindex.KindUnion, "union "
		}
		bt = btfindex.Type{C: kw + te.Name.Name, Kind: kind, Record: te.Name.Name, Size: t.recordSize(kw + te.Name.Name)}
	default:
		named, ok := t.namedType(te.Name.Name)
		if !ok {
			return nil
		}
		bt = named
	}
	for _, sf := range te.Suffixes {
		if sf.Ptr {
			bt = *pointerTo(bt)
			continue
		}
		n := uint32(0)
		if lit, ok := sf.Len.(*syntax.IntLit); ok {
			n = uint32(lit.Value)
		}
		elem := bt
		bt = btfindex.Type{C: cDeclare(elem.C, "") + "[" + lenText(sf) + "]", Kind: btfindex.KindArray, Size: elem.Size * n, Len: n, Elem: &elem}
	}
	return &bt
}

func lenText(sf *syntax.TypeSuffix) string {
	if lit, ok := sf.Len.(*syntax.IntLit); ok {
		return lit.Text
	}
	return ""
}

// intTypes are bpftrace's integer type names with their sizes.
var intTypes = map[string]uint32{"int8": 1, "int16": 2, "int32": 4, "int64": 8, "uint8": 1, "uint16": 2, "uint32": 4, "uint64": 8}

// namedType resolves a type name that is not a struct: a bpftrace integer
// type or a kernel typedef.
func (t *kernelTyper) namedType(name string) (btfindex.Type, bool) {
	if size, ok := intTypes[name]; ok {
		return btfindex.Type{C: name, Kind: btfindex.KindInt, Size: size, Signed: !strings.HasPrefix(name, "u")}, true
	}
	if t.k == nil {
		return btfindex.Type{}, false
	}
	bt, ok := t.k.Typedef(name)
	if ok {
		bt.C = name // keep the name as written
	}
	return bt, ok
}

// varValue returns the value first assigned to the variable in the item:
// "$x = e", "let $x = e".
func (t *kernelTyper) varValue(v *syntax.VarExpr) syntax.Expr {
	var val syntax.Expr
	syntax.Inspect(t.item, func(n syntax.Node) bool {
		if val != nil {
			return false
		}
		switch s := n.(type) {
		case *syntax.AssignStmt:
			if lv, ok := s.LHS.(*syntax.VarExpr); ok && lv.Name == v.Name && s.Op == syntax.Assign {
				val = s.RHS
			}
		case *syntax.LetStmt:
			if s.Var != nil && s.Var.Name == v.Name && s.Value != nil {
				val = s.Value
			}
		}
		return true
	})
	return val
}

// mapValue returns the value first assigned to an element of map name in
// the file.
func mapValue(f *syntax.File, name string) syntax.Expr {
	var val syntax.Expr
	for i := 0; i < f.NumItems() && val == nil; i++ { // stops at the first: later probes are not read
		syntax.Inspect(f.Item(i), func(n syntax.Node) bool {
			if val != nil {
				return false
			}
			if s, ok := n.(*syntax.AssignStmt); ok && s.Op == syntax.Assign {
				if m, ok := s.LHS.(*syntax.MapExpr); ok && m.Name == name {
					val = s.RHS
				}
			}
			return true
		})
		if val != nil {
			break
		}
	}
	return val
}
