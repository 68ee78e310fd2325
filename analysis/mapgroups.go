package analysis

// This file implements the map checks of one probe across its attach
// points. From 0.25 bpftrace expands a probe with several attach points
// into one program per attach point and types each body on its own against
// the same maps, so a map keyed or assigned with retval or args gets one
// type per attach point, and they must agree (measured with the real
// 0.26.1: "Argument mismatch for @: trying to access with arguments:
// 'struct sock *' when map expects arguments: 'int32'").

import (
	"context"

	"github.com/bpfls/bpfls/analysis/syntax"
	"github.com/bpfls/bpfls/btfindex"
)

// namedMapUse is a map use seen by a body walk under one probe context.
type namedMapUse struct {
	name string // with '@'
	use  mapUse
}

// recordContextUse keeps a map use of the per-instance walk, which types
// retval and args from the attach point.
func (c *checker) recordContextUse(name string, u mapUse) {
	if c.mapUses && c.pc != nil && c.macro == nil && c.fn == nil {
		c.res.mapUses = append(c.res.mapUses, namedMapUse{name: name, use: u})
	}
}

// mapRef is the first typed use of a map among a probe's groups.
type mapRef struct {
	g     *group
	keys  []ty
	value ty
}

// mapConflicts reports the map uses of a probe whose key or value types
// differ between attach points, from 0.25.
func (m *merger) mapConflicts() {
	if !comparesMapUses(m.pp.cfg.Dialect.Version, m.groups) {
		return
	}
	perAP := m.totalInstances() > 1
	refs := map[string]*mapRef{}
	done := map[syntax.Span]bool{}
	for _, g := range m.groups {
		for _, nu := range g.res.mapUses {
			u := nu.use
			if u.bare || done[u.span] {
				continue
			}
			if (perAP || g.pc.Wildcard) && (argsRecordIn(u.keys) || u.write && isArgsRecord(u.value)) {
				done[u.span] = true
				code, what := CodeMapValueType, "assigned"
				if argsRecordIn(u.keys) {
					code, what = CodeMapKeyType, "keyed with"
				}
				m.r.Errorf(u.span, code, "map %q is %s args, whose struct differs per attach point (one program per attach point from bpftrace 0.25): use its fields", nu.name, what)
				continue
			}
			ref := refs[nu.name]
			if ref == nil {
				ref = &mapRef{g: g}
				refs[nu.name] = ref
			}
			if d := m.mapConflict(nu.name, ref, g, u); d != nil {
				done[u.span] = true
			}
		}
	}
}

// comparesMapUses reports whether mapConflicts can find anything among
// the groups of a probe: from 0.25, with several instances or a wildcard.
// A single instance agrees with itself. The probe's bodies keep their map
// uses only then.
func comparesMapUses(v syntax.Version, groups []*group) bool {
	if !v.AtLeast(syntax.V0_25) || len(groups) == 0 {
		return false
	}
	return len(groups) > 1 || len(groups[0].insts) > 1 || groups[0].pc.Wildcard
}

// mapConflict checks one use against the map's reference, filling in what
// the reference does not know yet.
func (m *merger) mapConflict(name string, ref *mapRef, g *group, u mapUse) *Diagnostic {
	if u.keyed && len(ref.keys) == 0 {
		ref.keys = u.keys
	} else if u.keyed && len(ref.keys) == len(u.keys) {
		for i, k := range u.keys {
			want := ref.keys[i]
			if g != ref.g && want.known() && k.known() && (!compatible(want, k) || !arraysMatch(want, k)) {
				d := m.r.Errorf(u.span, CodeMapKeyType, "map %q key %d has type %s for %s but %s for %s: from bpftrace 0.25 every attach point's keys must agree",
					name, i+1, k, m.describeTargets([]*group{g}), want, m.describeTargets([]*group{ref.g}))
				d.Related = append(d.Related, m.relatedFor([]*group{g}, k.String())...)
				return d
			}
		}
	}
	if !u.write || u.agg != "" || !u.value.known() {
		return nil
	}
	if !ref.value.known() {
		ref.value = u.value
		return nil
	}
	if g != ref.g && (!compatible(ref.value, u.value) || !arraysMatch(ref.value, u.value)) {
		d := m.r.Errorf(u.span, CodeMapValueType, "map %q is assigned a value of type %s for %s but %s for %s: from bpftrace 0.25 every attach point's values must agree",
			name, u.value, m.describeTargets([]*group{g}), ref.value, m.describeTargets([]*group{ref.g}))
		d.Related = append(d.Related, m.relatedFor([]*group{g}, u.value.String())...)
		return d
	}
	return nil
}

// isArgsRecord reports whether t is the args builtin's struct.
func isArgsRecord(t ty) bool { return t.Kind == tyRecord && t.Args }

func argsRecordIn(keys []ty) bool {
	for _, k := range keys {
		if isArgsRecord(k) {
			return true
		}
	}
	return false
}

// staticContext is the context of a probe whose only attach point names one
// tracepoint or one BTF function, nil otherwise. The file-level walk types
// args fields and retval with it, so that maps keyed or assigned from them
// are compared across probes as bpftrace compares them (0.24 refuses
// @start[args->next_pid], an int32 key, then @start[tid], a uint32 one).
func (e *fileEnv) staticContext(p *syntax.Probe) *ProbeContext {
	if e.kernel == nil || len(p.AttachPoints) != 1 {
		return nil
	}
	ap := newAttachPoint(p.AttachPoints[0])
	if ap.Provider.hasParam() || ap.Provider.hasWildcard() {
		return nil
	}
	for _, part := range ap.Parts {
		if part.hasWildcard() || part.hasParam() {
			return nil
		}
	}
	prov, _, ok := lookupProvider(ap.Provider.Text, e.cfg.Dialect.Version)
	if !ok || prov.name != "tracepoint" && prov.name != "fentry" && prov.name != "fexit" {
		return nil
	}
	pp := &probePass{ctx: context.Background(), cfg: e.cfg, src: e.file.Text(), file: e.file}
	pcs := pp.expandAttachPointIn(&Reporter{}, ap, 1, false)
	if len(pcs) != 1 || pcs[0].Wildcard {
		return nil
	}
	pc := pcs[0]
	if pc.Retval != nil && pc.Retval.Kind == btfindex.KindVoid {
		// A void function's retval is no value at all, which is its own
		// problem rather than a type other probes' uses should meet.
		cp := *pc
		cp.Retval = &unknownType
		pc = &cp
	}
	return pc
}
