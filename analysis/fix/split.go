package fix

// This file implements the split fix for mixed arguments: one probe per
// group of attach points with identical contexts. A field that a group lacks
// is renamed in that group's copy when the group has one close name for it
// (size → len); without one, no fix is offered, since every fix must leave a
// script that checks clean.

import (
	"sort"
	"strings"

	"github.com/bpfls/bpfls/analysis"
	"github.com/bpfls/bpfls/analysis/syntax"
)

// maxSplitMatches bounds how many matches of a wildcard attach point a fix
// may spell out one by one.
const maxSplitMatches = 32

// bucket is one probe of a split: attach points with one context.
type bucket struct {
	pc      *analysis.ProbeContext
	aps     []string          // attach-point texts
	renames map[string]string // args field → field to use instead
}

// splitPlan groups the probe's attach points by context, spelling out
// wildcard attach points whose matches differ. ok is false when the probe
// cannot be split (one group, or too many matches).
func (m *conflict) splitPlan() ([]*bucket, bool) {
	var out []*bucket
	groups := m.c.Groups()
	byGroup := map[int]*bucket{}
	add := func(g int, text string) {
		b, ok := byGroup[g]
		if !ok {
			b = &bucket{pc: groups[g].Context, renames: map[string]string{}}
			byGroup[g] = b
			out = append(out, b)
		}
		if len(b.aps) == 0 || b.aps[len(b.aps)-1] != text {
			b.aps = append(b.aps, text)
		}
	}
	for i, ap := range m.p.AttachPoints {
		var mine []analysis.Instance
		groupsOf := map[int]bool{}
		for gi, g := range groups {
			for _, in := range g.Instances {
				if in.AttachPoint == i {
					mine = append(mine, in)
					groupsOf[gi] = true
				}
			}
		}
		if len(groupsOf) == 1 {
			for g := range groupsOf {
				add(g, ap.Raw)
			}
			continue
		}
		if len(mine) > maxSplitMatches {
			return nil, false
		}
		for gi, g := range groups {
			for _, in := range g.Instances {
				if in.AttachPoint == i {
					add(gi, analysis.ProviderText(ap)+":"+in.Context.Target)
				}
			}
		}
	}
	return out, len(out) > 1
}

// planRenames fills each bucket's renames for the fields it lacks; ok is
// false when some bucket has no single replacement.
func (m *conflict) planRenames(plan []*bucket) bool {
	for _, b := range plan {
		if m.c.UsesArgs() && !b.pc.HasArgs || m.c.UsesRetval() && b.pc.Retval == nil {
			return false // the split would keep a builtin this probe type lacks
		}
		for _, u := range m.uses {
			if _, done := b.renames[u.Field]; done {
				continue
			}
			_, has, known := b.pc.Arg(u.Field)
			if has || !known || !b.pc.HasArgs {
				continue
			}
			alt := m.c.Counterpart(u.Field, b.pc)
			if alt == "" {
				return false
			}
			b.renames[u.Field] = alt
		}
	}
	return true
}

// probeText writes the probe for bucket b with body (already rewritten).
func (m *conflict) probeText(b *bucket, body string) string {
	sep := ", "
	if strings.Contains(m.gapBetweenAttachPoints(), "\n") {
		sep = ",\n"
	}
	var sb strings.Builder
	sb.WriteString(strings.Join(b.aps, sep))
	last := m.p.AttachPoints[len(m.p.AttachPoints)-1]
	next := m.p.Body.Pos()
	if m.p.Pred != nil {
		next = m.p.Pred.Pos()
	}
	sb.Write(m.src[last.End():next])
	if m.p.Pred != nil {
		sb.WriteString(m.rewrite(b, syntax.Span{Start: m.p.Pred.Pos(), End: m.p.Pred.End()}))
		sb.Write(m.src[m.p.Pred.End():m.p.Body.Pos()])
	}
	sb.WriteString(body)
	return sb.String()
}

func (m *conflict) gapBetweenAttachPoints() string {
	if len(m.p.AttachPoints) < 2 {
		return ""
	}
	return string(m.src[m.p.AttachPoints[0].End():m.p.AttachPoints[1].Pos()])
}

// rewrite returns the source of span with b's field renames applied.
func (m *conflict) rewrite(b *bucket, span syntax.Span) string {
	var edits []analysis.Edit
	for _, u := range m.uses {
		if alt, ok := b.renames[u.Field]; ok && u.Span.Start >= span.Start && u.Span.End <= span.End {
			edits = append(edits, analysis.Edit{Span: u.Span, NewText: alt})
		}
	}
	return applyEdits(m.src, span, edits)
}

// applyEdits returns src[span] with non-overlapping edits inside it applied.
func applyEdits(src []byte, span syntax.Span, edits []analysis.Edit) string {
	sort.Slice(edits, func(i, j int) bool { return edits[i].Span.Start < edits[j].Span.Start })
	var sb strings.Builder
	at := span.Start
	for _, e := range edits {
		if e.Span.Start < at {
			continue
		}
		sb.Write(src[at:e.Span.Start])
		sb.WriteString(e.NewText)
		at = e.Span.End
	}
	sb.Write(src[at:span.End])
	return sb.String()
}

// splitFix replaces the probe with one probe per bucket, duplicating the
// body (renamed where a bucket lacks a field).
func (m *conflict) splitFix(plan []*bucket) analysis.Fix {
	probes := make([]string, len(plan))
	bodySpan := syntax.Span{Start: m.p.Body.Pos(), End: m.p.Body.End()}
	for i, b := range plan {
		probes[i] = m.probeText(b, m.rewrite(b, bodySpan))
	}
	title := "Split into one probe per argument list"
	if r := renameSummary(plan, m.dialect.Version); r != "" {
		title += ", using " + r
	}
	return analysis.Fix{Title: title, Kind: "refactor.rewrite", Edits: []analysis.Edit{{
		Span:    syntax.Span{Start: m.p.Pos(), End: m.p.End()},
		NewText: strings.Join(probes, "\n\n"),
	}}}
}

// renameSummary says which fields the split renames: "args.len for
// args.size in fentry:tcp_recvmsg" (args->len before 0.19).
func renameSummary(plan []*bucket, v syntax.Version) string {
	op := "."
	if !v.AtLeast(syntax.V0_19) {
		op = "->"
	}
	var parts []string
	for _, b := range plan {
		fields := make([]string, 0, len(b.renames))
		for from, to := range b.renames {
			fields = append(fields, "args"+op+to+" for args"+op+from)
		}
		sort.Strings(fields)
		if len(fields) > 0 {
			parts = append(parts, strings.Join(fields, ", ")+" in "+b.aps[0])
		}
	}
	return strings.Join(parts, "; ")
}
