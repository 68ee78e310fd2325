package analysis

// This file implements the ctx rule bpftrace applied up to 0.24, when one
// program served all of a probe's attach points: ctx, whose type is the
// program's context, is refused in a probe whose attach points compile to
// different BPF program types (kprobe and interval).

import "github.com/bpfls/bpfls/analysis/syntax"

// programType is the BPF program type bpftrace 0.17–0.24 compiles a
// provider to (src/attached_probe.cpp: progtype); "" when unknown.
func programType(provider string, v syntax.Version) string {
	switch provider {
	case "kprobe", "kretprobe", "uprobe", "uretprobe", "usdt":
		return "BPF_PROG_TYPE_KPROBE"
	case "tracepoint":
		return "BPF_PROG_TYPE_TRACEPOINT"
	case "profile", "interval", "software", "hardware", "watchpoint", "asyncwatchpoint":
		return "BPF_PROG_TYPE_PERF_EVENT"
	case "fentry", "fexit", "iter":
		return "BPF_PROG_TYPE_TRACING"
	case "rawtracepoint":
		if v.AtLeast(syntax.V0_24) {
			return "BPF_PROG_TYPE_TRACING"
		}
		return "BPF_PROG_TYPE_RAW_TRACEPOINT"
	case "BEGIN", "END":
		return "BPF_PROG_TYPE_RAW_TRACEPOINT"
	}
	return ""
}

// ctxProgramTypes reports each use of ctx in a probe whose attach points
// have more than one program type (bpftrace 0.17 to 0.24).
func (m *merger) ctxProgramTypes() {
	uses := ctxUses(m.p)
	if len(uses) == 0 {
		return
	}
	v := m.pp.cfg.Dialect.Version
	var first *instance
	for _, in := range instancesOf(m.groups) {
		pt := programType(in.pc.Provider, v)
		switch {
		case pt == "":
		case first == nil:
			first = &in
		case pt != programType(first.pc.Provider, v):
			for _, span := range uses {
				d := m.r.Errorf(span, CodeBuiltinProbe, "ctx cannot be used in a probe of different BPF program types before bpftrace 0.25: %s and %s",
					programType(first.pc.Provider, v), pt)
				d.Related = append(d.Related,
					Related{Span: m.aps[first.ap].Span, Message: "probe type " + quote(first.pc.Provider)},
					Related{Span: m.aps[in.ap].Span, Message: "probe type " + quote(in.pc.Provider)})
				d.Fixes = append(d.Fixes, m.conflictFixes()...)
			}
			return
		}
	}
}

// ctxUses lists the spans of the ctx builtin in p's predicate and body
// (not field names spelled ctx).
func ctxUses(p *syntax.Probe) []syntax.Span {
	var spans []syntax.Span
	fieldNames := map[*syntax.Ident]bool{}
	visit := func(n syntax.Node) bool {
		switch x := n.(type) {
		case *syntax.FieldExpr:
			fieldNames[x.Field] = true
		case *syntax.Ident:
			if x.Name == "ctx" && !fieldNames[x] {
				spans = append(spans, span(x))
			}
		}
		return true
	}
	if p.Pred != nil {
		syntax.Inspect(p.Pred, visit)
	}
	syntax.Inspect(p.Body, visit)
	return spans
}
