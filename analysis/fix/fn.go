package fix

// This file implements the fn fix for mixed arguments, offered only under
// Dialect.Experimental: no bpftrace release can call a user-defined function
// yet (fn definitions parse since 0.21, calls do not). The probe is split per
// argument list and the body moves into a typed fn whose parameters carry
// every args field it read; a body that reads other probe builtins (retval,
// ctx, func, …) cannot move, since fn bodies run outside the probe.

import (
	"strings"

	"github.com/bpfls/bpfls/analysis"
	"github.com/bpfls/bpfls/analysis/syntax"
	"github.com/bpfls/bpfls/btfindex"
)

// fnFix builds the fix, or returns false outside the experimental dialect,
// before 0.21, or when the body cannot become a function.
func (m *conflict) fnFix(plan []*bucket) (analysis.Fix, bool) {
	d := m.dialect
	if !d.Experimental || !d.Version.AtLeast(syntax.V0_21) || m.c.ReadsRetval() {
		return analysis.Fix{}, false
	}
	bodySpan := syntax.Span{Start: m.p.Body.Pos(), End: m.p.Body.End()}
	if m.readsProbeBuiltins() {
		return analysis.Fix{}, false
	}
	fields, ok := m.hoistedFields(bodySpan)
	if !ok {
		return analysis.Fix{}, false
	}
	var params, edits []string
	for _, f := range fields {
		typ, ok := m.paramType(plan, f)
		if !ok {
			return analysis.Fix{}, false
		}
		params = append(params, hoistVar(f)+": "+typ)
		edits = append(edits, f)
	}
	var bodyEdits []analysis.Edit
	for _, u := range usesIn(m.uses, bodySpan) {
		span, _ := argsExprSpan(m.src, u.Span)
		bodyEdits = append(bodyEdits, analysis.Edit{Span: span, NewText: hoistVar(u.Field)})
	}
	name := m.freeFnName("shared_body")
	fnText := "fn " + name + "(" + strings.Join(params, ", ") + "): void " + applyEdits(m.src, bodySpan, bodyEdits)
	probes := make([]string, len(plan))
	for i, b := range plan {
		args := make([]string, 0, len(edits))
		for _, f := range edits {
			use := f
			if alt, ok := b.renames[f]; ok {
				use = alt
			}
			args = append(args, "args."+use)
		}
		probes[i] = m.probeText(b, blockAround(m.src, bodySpan, name+"("+strings.Join(args, ", ")+");"))
	}
	return analysis.Fix{
		Title: "Split into one probe per argument list sharing fn " + quote(name) + " (experimental: no bpftrace release can call fn yet)",
		Kind:  "refactor.extract",
		Edits: []analysis.Edit{{Span: syntax.Span{Start: m.p.Pos(), End: m.p.End()}, NewText: fnText + "\n\n" + strings.Join(probes, "\n\n")}},
	}, true
}

// readsProbeBuiltins reports whether the body names a probe builtin other
// than args fields, which a function body cannot read.
func (m *conflict) readsProbeBuiltins() bool {
	found := false
	visit := func(n syntax.Node) bool {
		switch x := n.(type) {
		case *syntax.FieldExpr:
			if id, ok := syntax.Unparen(x.X).(*syntax.Ident); ok && id.Name == "args" {
				return false // an args field: becomes a parameter
			}
		case *syntax.Ident:
			if analysis.IsProbeBuiltin(x.Name) || x.Name == "probe" {
				found = true
			}
		}
		return !found
	}
	syntax.Inspect(m.p.Body, visit)
	return found
}

// paramType is the bpftrace type a parameter needs to take field from
// every bucket: the field's type where all agree, the widest integer where
// they are integers of different widths.
func (m *conflict) paramType(plan []*bucket, field string) (string, bool) {
	var types []btfindex.Type
	for _, b := range plan {
		name := field
		if alt, ok := b.renames[field]; ok {
			name = alt
		}
		a, ok, known := b.pc.Arg(name)
		if !ok || !known {
			return "", false
		}
		types = append(types, a.Type)
	}
	return commonBpftraceType(types)
}

// commonBpftraceType spells, in bpftrace's type syntax, a type every one of
// types converts to without loss.
func commonBpftraceType(types []btfindex.Type) (string, bool) {
	allInt, signed := true, false
	for _, t := range types {
		allInt = allInt && (t.Kind == btfindex.KindInt || t.Kind == btfindex.KindEnum)
		signed = signed || t.Signed
	}
	if allInt {
		if signed {
			return "int64", true
		}
		return "uint64", true
	}
	first := types[0]
	for _, t := range types[1:] {
		if t.C != first.C {
			return "", false
		}
	}
	c := strings.TrimPrefix(strings.TrimSpace(first.C), "const ")
	if first.Kind == btfindex.KindPointer && (strings.HasPrefix(c, "struct ") || strings.HasPrefix(c, "union ")) && strings.Count(c, "*") == 1 {
		return c, true
	}
	return "", false
}

// freeFnName returns base, or base_N, that no fn or macro of the file uses.
func (m *conflict) freeFnName(base string) string {
	used := map[string]bool{}
	for _, item := range m.items {
		switch it := item.(type) {
		case *syntax.FuncDecl:
			if it.Name != nil {
				used[it.Name.Name] = true
			}
		case *syntax.MacroDecl:
			if it.Name != nil {
				used[it.Name.Name] = true
			}
		}
	}
	return freeName(base, used)
}
