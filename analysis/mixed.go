package analysis

// This file implements the merge of per-group body results: a problem found
// under every context is ordinary, one found under some only is reported once
// at the use, naming the attach points that differ; and the mixed-arguments
// rules of the target version (fields per use from 0.25, the whole argument
// list of the probe up to 0.24).

import (
	"fmt"
	"sort"
	"strings"

	"github.com/bpfls/bpfls/analysis/syntax"
)

// merger merges the results of one probe.
type merger struct {
	pp     *probePass
	p      *syntax.Probe
	aps    []*attachPoint
	groups []*group
	r      *Reporter
	// handled holds spans whose partial body diagnostics the field analysis
	// explains better.
	handled map[syntax.Span]bool
	uses    []ArgUse // every args field use, in source order
	scanned struct {
		uses    []ArgUse
		retvals []syntax.Span
		args    []syntax.Span // every use of the args builtin
	}

	fixes     []Fix // conflictFixes, computed once
	fixesDone bool
}

func (m *merger) merge() {
	m.handled = map[syntax.Span]bool{}
	m.scanned.uses, m.scanned.retvals, m.scanned.args = scanBody(m.p)
	uses := m.argUses()
	m.uses = uses
	m.fieldConflicts(uses)
	m.retvalConflict()
	m.mapConflicts()
	if !m.pp.cfg.Dialect.Version.AtLeast(syntax.V0_25) {
		m.checkWholeProbe()
		m.ctxProgramTypes()
	}
	m.mergeBodyDiags()
}

// argUses collects the args field uses every group saw and those written
// in the probe, once per span.
func (m *merger) argUses() []ArgUse {
	seen := map[syntax.Span]bool{}
	var out []ArgUse
	add := func(u ArgUse) {
		if !seen[u.Span] {
			seen[u.Span] = true
			out = append(out, u)
		}
	}
	for _, g := range m.groups {
		for _, u := range g.res.ArgUses {
			add(u)
		}
	}
	for _, u := range m.scanned.uses {
		add(u)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Span.Start < out[j].Span.Start })
	return out
}

// usesArgs and usesRetval report whether any group's body reads them.
func (m *merger) usesArgs() bool {
	for _, g := range m.groups {
		if g.res.UsesArgs || len(g.res.ArgUses) > 0 {
			return true
		}
	}
	return len(m.scanned.args) > 0
}

func (m *merger) usesRetval() bool {
	for _, g := range m.groups {
		if g.res.UsesRetval {
			return true
		}
	}
	return len(m.scanned.retvals) > 0
}

// diagKey identifies one problem across groups; messages may name the
// instance's struct, so they are not part of it.
type diagKey struct {
	span syntax.Span
	code string
}

// mergeBodyDiags reports each body diagnostic once: as is when every group
// has it, and naming the attach points when only some do.
func (m *merger) mergeBodyDiags() {
	type seen struct {
		d      Diagnostic
		groups []*group
	}
	var order []diagKey
	byKey := map[diagKey]*seen{}
	for _, g := range m.groups {
		for _, d := range g.res.Diags {
			k := diagKey{d.Span, d.Code}
			s, ok := byKey[k]
			if !ok {
				s = &seen{d: d}
				byKey[k] = s
				order = append(order, k)
			}
			if len(s.groups) == 0 || s.groups[len(s.groups)-1] != g {
				s.groups = append(s.groups, g)
			}
		}
	}
	for _, k := range order {
		s := byKey[k]
		if len(s.groups) == len(m.groups) {
			m.r.Diags = append(m.r.Diags, s.d)
			continue
		}
		if m.handled[k.span] {
			continue
		}
		d := s.d
		d.Message += " (for " + m.describeTargets(s.groups) + ")"
		d.Related = append(d.Related, m.relatedFor(s.groups, "here")...)
		m.r.Diags = append(m.r.Diags, d)
	}
}

// instancesOf lists the instances of some groups in attach-point order.
func instancesOf(groups []*group) []instance {
	var out []instance
	for _, g := range groups {
		out = append(out, g.insts...)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].ap < out[j].ap })
	return out
}

// totalInstances counts every instance of the probe.
func (m *merger) totalInstances() int {
	n := 0
	for _, g := range m.groups {
		n += len(g.insts)
	}
	return n
}

// describeTargets names the instances of groups: "tcp_recvmsg", or for
// long lists "12 of 40 matches: a, b, c, …".
func (m *merger) describeTargets(groups []*group) string {
	insts := instancesOf(groups)
	if len(insts) > 3 {
		return fmt.Sprintf("%d of %d matches: %s, …", len(insts), m.totalInstances(), m.firstNames(insts, 3))
	}
	return m.firstNames(insts, 3)
}

// firstNames joins the names of the first n instances.
func (m *merger) firstNames(insts []instance, n int) string {
	names := make([]string, 0, n)
	seen := map[string]bool{}
	for _, in := range insts {
		if len(names) == n {
			break
		}
		if name := m.instanceName(in); !seen[name] {
			seen[name] = true
			names = append(names, name)
		}
	}
	return strings.Join(names, ", ")
}

// instanceName is the target of an instance ("tcp_sendmsg"), qualified by
// its provider when the probe mixes probe types ("kprobe:vfs_read").
func (m *merger) instanceName(in instance) string {
	ap := m.aps[in.ap]
	if in.pc.Target == "" || in.pc.Wildcard {
		return ap.Node.Raw
	}
	if m.mixedProviders() {
		return ap.Provider.Text + ":" + in.pc.Target
	}
	return in.pc.Target
}

// relatedFor points at the attach points of groups, once each: "tcp_recvmsg:
// lacks it", or for a wildcard "fentry:tcp_* (3 of 40 matches): lacks it".
func (m *merger) relatedFor(groups []*group, what string) []Related {
	count := map[int]int{}
	var order []instance
	for _, in := range instancesOf(groups) {
		if count[in.ap] == 0 {
			order = append(order, in)
		}
		count[in.ap]++
	}
	total := map[int]int{}
	for _, in := range instancesOf(m.groups) {
		total[in.ap]++
	}
	out := make([]Related, 0, len(order))
	for _, in := range order {
		name := m.instanceName(in)
		if total[in.ap] > 1 {
			name = fmt.Sprintf("%s (%d of %d matches)", m.aps[in.ap].Node.Raw, count[in.ap], total[in.ap])
		}
		out = append(out, Related{Span: m.aps[in.ap].Span, Message: name + ": " + what})
	}
	return out
}

// scanBody finds the args field uses, retval uses and args uses written in
// the probe's predicate and body. It complements what the body checks report, so the
// mixed-arguments analysis works on every probe the parser understood.
func scanBody(p *syntax.Probe) (uses []ArgUse, retvals []syntax.Span, args []syntax.Span) {
	fieldNames := map[*syntax.Ident]bool{}
	visit := func(n syntax.Node) bool {
		switch x := n.(type) {
		case *syntax.FieldExpr:
			fieldNames[x.Field] = true
			if id, ok := syntax.Unparen(x.X).(*syntax.Ident); ok && id.Name == "args" && x.Field != nil {
				uses = append(uses, ArgUse{Span: syntax.Span{Start: x.Field.Pos(), End: x.Field.End()}, Field: x.Field.Name, Arrow: x.Arrow})
			}
		case *syntax.Ident:
			switch {
			case fieldNames[x]:
			case x.Name == "args":
				args = append(args, syntax.Span{Start: x.Pos(), End: x.End()})
			case x.Name == "retval":
				retvals = append(retvals, syntax.Span{Start: x.Pos(), End: x.End()})
			}
		}
		return true
	}
	if p.Pred != nil {
		syntax.Inspect(p.Pred, visit)
	}
	syntax.Inspect(p.Body, visit)
	return uses, retvals, args
}
