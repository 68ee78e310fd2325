package analysis

// This file implements the field-level mixed-arguments analysis: for every
// args field (and retval) a probe reads, compare it across the probe's
// contexts, and the whole-probe rule bpftrace applied up to 0.24.

import (
	"fmt"
	"sort"
	"strings"

	"github.com/bpfls/bpfls/analysis/syntax"
)

// fieldState is how a set of groups sees one args field (or retval).
type fieldState struct {
	missing bool
	typ     string // C spelling, for messages
	key     string // typeKey, for comparison
	groups  []*group
}

// statesOf sorts the groups with known args by how they see field.
func (m *merger) statesOf(field string) []*fieldState {
	var states []*fieldState
	for _, g := range m.groups {
		a, ok, known := g.pc.Arg(field)
		if !g.pc.HasArgs || !known {
			continue
		}
		st := &fieldState{missing: !ok}
		if ok {
			st.typ, st.key = a.Type.C, typeKey(&a.Type)
		}
		states = addState(states, st, g)
	}
	return states
}

func addState(states []*fieldState, st *fieldState, g *group) []*fieldState {
	for _, s := range states {
		if s.missing == st.missing && s.key == st.key {
			s.groups = append(s.groups, g)
			return states
		}
	}
	st.groups = []*group{g}
	return append(states, st)
}

// fieldConflicts reports every args field use whose field is missing in, or
// typed differently by, some of the probe's contexts.
func (m *merger) fieldConflicts(uses []ArgUse) {
	var fields []string
	byField := map[string][]ArgUse{}
	for _, u := range uses {
		if _, ok := byField[u.Field]; !ok {
			fields = append(fields, u.Field)
		}
		byField[u.Field] = append(byField[u.Field], u)
	}
	for _, f := range fields {
		states := m.statesOf(f)
		if len(states) < 2 {
			continue
		}
		op := "."
		if byField[f][0].Arrow {
			op = "->"
		}
		msg := "args" + op + f + ": " + m.describeStates(f, states)
		for _, u := range byField[f] {
			m.reportConflict(u.Span, f, states, msg, hasMissing(states))
		}
	}
}

func hasMissing(states []*fieldState) bool {
	for _, s := range states {
		if s.missing {
			return true
		}
	}
	return false
}

// reportConflict reports one use: an error when some context lacks the
// field, otherwise a warning (0.25+, where each attach point is typed on
// its own) or an explanation of the probe-level error (up to 0.24).
func (m *merger) reportConflict(span syntax.Span, field string, states []*fieldState, msg string, missing bool) {
	var d *Diagnostic
	switch {
	case missing:
		d = m.r.Errorf(span, CodeArgsMixed, "%s", msg)
	case m.pp.cfg.Dialect.Version.AtLeast(syntax.V0_25):
		d = m.r.Warnf(span, CodeArgsMixed, "%s", msg)
	default:
		d = m.r.Infof(span, CodeArgsMixed, "%s", msg)
	}
	for _, s := range states {
		d.Related = append(d.Related, m.relatedFor(s.groups, m.stateWord(field, s))...)
	}
	d.Fixes = append(d.Fixes, m.conflictFixes()...)
	m.handled[span] = true
}

// stateWord says how one state sees field, for related information:
// `has no parameter "size"`, `has size_t size`, `returns int`.
func (m *merger) stateWord(field string, s *fieldState) string {
	if field == "retval" {
		return "returns " + s.typ
	}
	if !s.missing {
		return "has " + cDecl(s.typ, field)
	}
	if s.groups[0].pc.Provider == "tracepoint" {
		return "has no field " + quote(field)
	}
	return "has no parameter " + quote(field)
}

// describeStates words the states of field: `tcp_sendmsg has size_t size,
// tcp_recvmsg has no parameter "size" (it has "len")`, or for wildcards
// `no parameter "file" in 58 of 77 matches: a, b, c, …`.
func (m *merger) describeStates(field string, states []*fieldState) string {
	parts := make([]string, 0, len(states))
	shown, rest := states, 0
	if len(states) > maxStatesShown {
		shown = append([]*fieldState(nil), states...)
		sort.SliceStable(shown, func(i, j int) bool {
			if shown[i].missing != shown[j].missing {
				return shown[i].missing
			}
			return len(instancesOf(shown[i].groups)) > len(instancesOf(shown[j].groups))
		})
		for _, s := range shown[maxStatesShown:] {
			rest += len(instancesOf(s.groups))
		}
		shown = shown[:maxStatesShown]
	}
	for _, s := range shown {
		what := cDecl(s.typ, field)
		if s.missing {
			noun := "parameter"
			if s.groups[0].pc.Provider == "tracepoint" {
				noun = "field"
			}
			what = "no " + noun + " " + quote(field)
		}
		insts := instancesOf(s.groups)
		if len(insts) > 3 {
			parts = append(parts, fmt.Sprintf("%s in %d of %d matches: %s, …", what, len(insts), m.totalInstances(), m.firstNames(insts, 3)))
			continue
		}
		text := m.firstNames(insts, 3) + " " + verb(s.groups, "has", "have") + " " + what
		if s.missing && len(insts) == 1 {
			if alt := m.counterpart(field, s.groups[0].pc); alt != "" {
				text += " (it has " + quote(alt) + ")"
			}
		}
		parts = append(parts, text)
	}
	if rest > 0 {
		n := len(states) - maxStatesShown
		parts = append(parts, fmt.Sprintf("%d other %s in %d matches", n, plural(n, "type", "types"), rest))
	}
	return strings.Join(parts, ", ")
}

// maxStatesShown bounds how many ways of seeing a field a message lists.
const maxStatesShown = 4

// counterpart finds what lacking calls field: the parameter in the same
// position with the same type in a context that has field (size and len of
// tcp_sendmsg and tcp_recvmsg), else a name close to field.
func (m *merger) counterpart(field string, lacking *ProbeContext) string {
	for _, g := range m.groups {
		for i, a := range g.pc.Args {
			if a.Name != field || i >= len(lacking.Args) {
				continue
			}
			if c := lacking.Args[i]; typeKey(&c.Type) == typeKey(&a.Type) {
				if _, taken, _ := lacking.Arg(field); !taken {
					return c.Name
				}
			}
		}
	}
	return suggest(field, argNames(lacking))
}

func verb(groups []*group, one, many string) string {
	if len(instancesOf(groups)) == 1 {
		return one
	}
	return many
}

func argNames(pc *ProbeContext) []string {
	names := make([]string, len(pc.Args))
	for i, a := range pc.Args {
		names[i] = a.Name
	}
	return names
}

// retvalConflict reports retval uses when the probe's contexts type retval
// differently (fexit on functions with different return types).
func (m *merger) retvalConflict() {
	if !m.usesRetval() {
		return
	}
	var states []*fieldState
	for _, g := range m.groups {
		if g.pc.Retval == nil || g.pc.Retval.Kind == unknownType.Kind && g.pc.Retval.C == "" {
			continue
		}
		states = addState(states, &fieldState{typ: g.pc.Retval.C, key: typeKey(g.pc.Retval)}, g)
	}
	if len(states) < 2 {
		return
	}
	parts := make([]string, 0, len(states))
	for _, s := range states {
		parts = append(parts, m.describeTargets(s.groups)+" "+verb(s.groups, "returns", "return")+" "+s.typ)
	}
	msg := "retval: " + strings.Join(parts, ", ")
	for _, span := range m.retvalSpans() {
		m.reportConflict(span, "retval", states, msg, false)
	}
}

// retvalSpans are the uses of retval the bodies reported, or the attach
// points when the body check did not say where.
func (m *merger) retvalSpans() []syntax.Span {
	seen := map[syntax.Span]bool{}
	var out []syntax.Span
	for _, g := range m.groups {
		for _, s := range g.res.RetvalUses {
			if !seen[s] {
				seen[s] = true
				out = append(out, s)
			}
		}
	}
	for _, s := range m.scanned.retvals {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	if len(out) == 0 {
		out = append(out, syntax.Span{Start: m.aps[0].Span.Start, End: m.aps[len(m.aps)-1].Span.End})
	}
	return out
}
