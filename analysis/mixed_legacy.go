package analysis

// This file implements the mixed-arguments rules bpftrace applied up to
// 0.24, before it expanded probes per attach point: a probe that reads args
// or retval must have one argument list for all its (expanded) kfunc/fentry,
// uprobe and (0.24) rawtracepoint attach points, and from 0.21 a single
// probe type.

import (
	"strings"

	"github.com/bpfls/bpfls/analysis/syntax"
)

// comparedProviders are the providers whose argument lists bpftrace
// compared across a probe's attach points.
func comparedProvider(name string, v syntax.Version) bool {
	switch name {
	case "fentry", "fexit", "uprobe":
		return true
	case "rawtracepoint":
		return v.AtLeast(syntax.V0_24)
	}
	return false
}

// checkWholeProbe applies the ≤0.24 rules.
func (m *merger) checkWholeProbe() {
	v := m.pp.cfg.Dialect.Version
	if !m.usesArgs() && !m.usesRetval() {
		return
	}
	if m.usesArgs() && v.AtLeast(syntax.V0_21) && m.mixedProviders() {
		m.reportMixedProviders()
		return
	}
	ref, diff := m.firstMismatch(v)
	if diff == nil {
		return
	}
	d := m.r.Errorf(m.aps[diff.ap].Span, CodeArgsMixedProbe, "probe has attach points with mixed arguments")
	d.Related = append(d.Related,
		Related{Span: m.aps[ref.ap].Span, Message: m.instanceName(*ref) + signature(ref.pc)},
		Related{Span: m.aps[diff.ap].Span, Message: m.instanceName(*diff) + signature(diff.pc)})
	d.Fixes = append(d.Fixes, m.conflictFixes()...)
}

// reportMixedProviders reports every use of args in a probe of several
// probe types, where bpftrace 0.21 to 0.24 report it.
func (m *merger) reportMixedProviders() {
	spans := m.scanned.args
	if len(spans) == 0 {
		spans = []syntax.Span{m.aps[0].Span}
	}
	for _, span := range spans {
		d := m.r.Errorf(span, CodeArgsMixedProvider, "the args builtin can only be used in probes of a single probe type before bpftrace 0.25")
		for _, g := range m.groups {
			d.Related = append(d.Related, m.relatedFor([]*group{g}, "probe type "+quote(g.pc.Provider))...)
		}
		d.Fixes = append(d.Fixes, m.conflictFixes()...)
	}
}

// mixedProviders reports whether the probe's attach points are of more
// than one (known) probe type.
func (m *merger) mixedProviders() bool {
	first := ""
	for _, g := range m.groups {
		if g.pc.Provider == "" {
			continue
		}
		if first == "" {
			first = g.pc.Provider
		} else if g.pc.Provider != first {
			return true
		}
	}
	return false
}

// firstMismatch finds the first instance, in attach-point order, whose
// argument list differs from the first one's. Before 0.19 bpftrace compared
// parameter names only; from 0.19 the whole args struct.
func (m *merger) firstMismatch(v syntax.Version) (ref, diff *instance) {
	for _, in := range instancesOf(m.groups) {
		if !comparedProvider(in.pc.Provider, v) || in.pc.Args == nil {
			continue
		}
		if ref == nil {
			ref = &in
			continue
		}
		if argsSignature(ref.pc, v) != argsSignature(in.pc, v) {
			return ref, &in
		}
	}
	return ref, nil
}

// argsSignature is what bpftrace compared in version v.
func argsSignature(pc *ProbeContext, v syntax.Version) string {
	var b strings.Builder
	for _, a := range pc.Args {
		b.WriteString(a.Name)
		if v.AtLeast(syntax.V0_19) {
			b.WriteString(":" + typeKey(&a.Type))
		}
		b.WriteByte(',')
	}
	if v.AtLeast(syntax.V0_19) && pc.Retval != nil {
		b.WriteString("->" + typeKey(pc.Retval))
	}
	return b.String()
}

// signature renders an argument list for related information:
// "(struct sock *sk, size_t size)".
func signature(pc *ProbeContext) string {
	parts := make([]string, len(pc.Args))
	for i, a := range pc.Args {
		parts[i] = cDecl(a.Type.C, a.Name)
	}
	s := "(" + strings.Join(parts, ", ") + ")"
	if pc.Retval != nil && pc.Provider == "fexit" {
		s += " returns " + pc.Retval.C
	}
	return s
}

// cDecl joins a C type and a name: "struct sock *sk", "size_t size".
func cDecl(typ, name string) string {
	if strings.HasSuffix(typ, "*") {
		return typ + name
	}
	return typ + " " + name
}
