package ide

// This file implements hover inside bodies: fields with their type, offset
// and size, struct layouts on written types, builtin and macro docs, and
// the types of variables and maps.

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/bpfls/bpfls/analysis"
	"github.com/bpfls/bpfls/analysis/syntax"
	"github.com/bpfls/bpfls/btfindex"
)

// hoverBody describes the innermost node of path.
func hoverBody(ctx context.Context, s *analysis.Snapshot, item syntax.Node, path []syntax.Node) (HoverInfo, bool) {
	n := path[len(path)-1]
	var parent syntax.Node
	if len(path) > 1 {
		parent = path[len(path)-2]
	}
	t := analysis.NewTyper(ctx, s, item)
	md := ""
	switch x := n.(type) {
	case *syntax.Ident:
		md = identHover(ctx, s, t, x, parent)
	case *syntax.TypeExpr:
		md = typeHover(ctx, s, t, x)
	case *syntax.VarExpr:
		md = varHover(s, t, x)
	case *syntax.MapExpr:
		md = mapHover(s, t, x)
	case *syntax.PositionalParam:
		if b, ok := analysis.LookupBuiltin(x.Text); ok {
			md = builtinDoc(b, s.Config.Dialect)
		}
	}
	if md == "" {
		return HoverInfo{}, false
	}
	return HoverInfo{Span: syntax.Span{Start: n.Pos(), End: n.End()}, Markdown: md}, true
}

// identHover describes an identifier by the role its parent gives it.
func identHover(ctx context.Context, s *analysis.Snapshot, t *analysis.Typer, id *syntax.Ident, parent syntax.Node) string {
	switch p := parent.(type) {
	case *syntax.FieldExpr:
		if p.Field == id {
			return fieldHover(s, t, p)
		}
	case *syntax.TypeExpr:
		return typeHover(ctx, s, t, p)
	case *syntax.MacroDecl:
		if p.Name == id {
			return "```bpftrace\nmacro " + macroHeader(p) + "\n```"
		}
	}
	for _, it := range s.File.Decls() {
		if m, ok := it.(*syntax.MacroDecl); ok && m.Name != nil && m.Name.Name == id.Name {
			return "```bpftrace\nmacro " + macroHeader(m) + "\n```"
		}
	}
	if id.Name == "args" && len(t.Contexts()) > 0 {
		return argsHover(t.Contexts())
	}
	b, ok := analysis.LookupBuiltin(id.Name)
	if !ok {
		if md := cIdentHover(ctx, s, id.Name); md != "" {
			return md
		}
		return enumHover(s.Config.Kernel, id.Name, s.Config.Dialect.Version)
	}
	md := builtinDoc(b, s.Config.Dialect)
	if bt := t.IdentType(id.Name); bt != nil {
		md = "```c\n" + analysis.CDeclare(bt.C, id.Name) + "\n```\n" + md
	}
	if analysis.IsNumbered(id.Name, "arg") {
		md = argNParam(t.Kernel(), t.Contexts(), id.Name) + md
	}
	return md
}

// argNParam names the kernel parameter a kprobe's argN reads, from the
// traced function's prototype; "" when it is not known.
func argNParam(k analysis.Kernel, pcs []*analysis.ProbeContext, name string) string {
	n, err := strconv.Atoi(strings.TrimPrefix(name, "arg"))
	if err != nil || k == nil {
		return ""
	}
	for _, pc := range pcs {
		if pc.Provider != "kprobe" || pc.Wildcard {
			continue
		}
		target, _, _ := strings.Cut(pc.Target, "+")
		fn, ok := k.Func(target)
		if !ok || n >= len(fn.Params) {
			continue
		}
		return fmt.Sprintf("```c\n%s\n```\nparameter %d of `%s`, read from its register as uint64\n\n",
			analysis.CDeclare(fn.Params[n].Type.C, fn.Params[n].Name), n, cPrototype(fn))
	}
	return ""
}

// argsHover lists the args fields of the probe's first instance with
// fields, and how many instances there are.
func argsHover(pcs []*analysis.ProbeContext) string {
	for _, pc := range pcs {
		if !pc.HasArgs || pc.Args == nil {
			continue
		}
		var b strings.Builder
		b.WriteString("```c\nargs {\n")
		for _, a := range pc.Args {
			b.WriteString("\t" + analysis.CDeclare(a.Type.C, a.Name) + ";\n")
		}
		b.WriteString("}\n```\nargs of `" + pc.Target + "`")
		if len(pcs) > 1 {
			fmt.Fprintf(&b, " (1 of %d attach points)", len(pcs))
		}
		return b.String()
	}
	return ""
}

// fieldHover describes x.f: its type, and where it sits in its record.
func fieldHover(s *analysis.Snapshot, t *analysis.Typer, fe *syntax.FieldExpr) string {
	name := fe.Field.Name
	if analysis.IsArgs(fe.X) {
		return argFieldHover(s.Config.Kernel, t.Contexts(), name)
	}
	base := t.TypeOf(fe.X)
	r, ok := t.Record(base)
	if !ok {
		return ""
	}
	m, ok := r.Field(name)
	if !ok {
		return ""
	}
	kw := "struct"
	if r.Union {
		kw = "union"
	}
	return fmt.Sprintf("```c\n%s\n```\n%s in `%s %s`", memberDecl(m), memberPlace(m), kw, r.Name)
}

// argFieldHover shows the type of args.name in each instance that has it,
// and names the instances that lack it.
func argFieldHover(k analysis.Kernel, pcs []*analysis.ProbeContext, name string) string {
	var has, lacks []string
	decl := ""
	place := ""
	for _, pc := range pcs {
		f, ok, known := pc.Arg(name)
		switch {
		case !known:
			continue
		case !ok:
			lacks = append(lacks, pc.Target)
			continue
		}
		has = append(has, pc.Target)
		if decl == "" {
			decl = analysis.CDeclare(f.Type.C, name)
			place = tracepointFieldPlace(k, pc, name)
		}
	}
	if decl == "" {
		return ""
	}
	md := "```c\n" + decl + "\n```\n"
	if place != "" {
		md += place + "\n\n"
	}
	md += "args field of `" + targetList(has) + "`"
	if len(lacks) > 0 {
		md += "; missing in `" + targetList(lacks) + "`"
	}
	return md
}

// tracepointFieldPlace gives a tracepoint field's offset and size from its
// format; "" for other probes.
func tracepointFieldPlace(k analysis.Kernel, pc *analysis.ProbeContext, name string) string {
	if pc.Provider != "tracepoint" || k == nil {
		return ""
	}
	cat, ev, _ := strings.Cut(pc.Target, ":")
	tp, ok := k.Tracepoint(cat, ev)
	if !ok {
		return ""
	}
	for _, f := range tp.Fields {
		if f.Name == name {
			return fmt.Sprintf("offset %d, size %d", f.Offset, f.Size)
		}
	}
	return ""
}

// typeHover shows the layout of a struct or union type, or what a typedef
// resolves to.
func typeHover(ctx context.Context, s *analysis.Snapshot, t *analysis.Typer, te *syntax.TypeExpr) string {
	if te.Name == nil {
		return ""
	}
	if te.Keyword == syntax.KwEnum {
		return cEnumHover(ctx, s, te.Name.Name)
	}
	if t.Kernel() == nil {
		return ""
	}
	switch te.Keyword {
	case syntax.KwStruct, syntax.KwUnion:
		r, ok := t.Kernel().Record(te.Keyword.Op() + " " + te.Name.Name)
		if !ok {
			return ""
		}
		return "```c\n" + recordLayout(r) + "\n```" + cRecordWhere(ctx, s, te.Name.Name)
	}
	bt, ok := t.Kernel().Typedef(te.Name.Name)
	if !ok {
		return ""
	}
	return fmt.Sprintf("```c\ntypedef %s;\n```\nsize %d", analysis.CDeclare(bt.C, te.Name.Name), bt.Size)
}

// varHover shows a variable's type where it can be inferred: from the
// symbol index (version-aware), else from its first value.
func varHover(s *analysis.Snapshot, t *analysis.Typer, v *syntax.VarExpr) string {
	typ := ""
	if sym, _, ok := s.SymbolIndex().HeadAt(v.Pos()); ok {
		typ = sym.Type
	}
	if typ == "" {
		typ = valueTypeName(t, t.VarValue(v))
	}
	if typ == "" {
		return ""
	}
	return "```bpftrace\n$" + v.Name + ": " + typ + "\n```"
}

// mapHover shows a map's key and value types where they can be inferred.
func mapHover(s *analysis.Snapshot, t *analysis.Typer, m *syntax.MapExpr) string {
	typ, key := "", ""
	if sym, _, ok := s.SymbolIndex().HeadAt(m.Pos()); ok { // not the map's every use
		typ, key = sym.Type, sym.Key
	}
	value := analysis.MapValue(s.File, m.Name)
	if agg := aggregateType(value); agg != "" || typ == "" {
		typ = valueTypeName(t, value)
	}
	if typ == "" {
		return ""
	}
	head := "@" + m.Name
	if key != "" {
		head += "[" + key + "]"
	}
	return "```bpftrace\n" + head + ": " + typ + "\n```"
}

// aggregateType names the type of an aggregate value (count_t for
// count()), "" for anything else: bpftrace shows aggregates as such, even
// where they are read as integers.
func aggregateType(e syntax.Expr) string {
	if c, ok := e.(*syntax.CallExpr); ok && c.Fun != nil {
		if b, ok := analysis.LookupBuiltin(c.Fun.Name); ok && b.Kind == analysis.BuiltinMapFunc {
			return b.Result
		}
	}
	return ""
}

// valueTypeName names the type of a value as bpftrace would: aggregate
// results (count_t), builtin results, literals, kernel types.
func valueTypeName(t *analysis.Typer, e syntax.Expr) string {
	switch x := e.(type) {
	case nil:
		return ""
	case *syntax.IntLit:
		return "int64"
	case *syntax.StrLit:
		return "string"
	case *syntax.BoolLit:
		return "bool"
	case *syntax.CallExpr:
		if x.Fun == nil {
			break
		}
		if b, ok := analysis.LookupBuiltin(x.Fun.Name); ok && b.Result != "" {
			return b.Result
		}
	case *syntax.Ident:
		if b, ok := analysis.LookupBuiltin(x.Name); ok && b.Result != "" && b.Kind != analysis.BuiltinFunc {
			return b.Result
		}
	}
	if bt := t.TypeOf(e); bt != nil && bt.C != "" && bt.Kind != btfindex.KindUnknown {
		return bt.C
	}
	return ""
}
