package analysis

// This file implements the second incremental path of Reanalyze, for an
// edit of probes that changes what the file-level walk records of them (a
// map use typed or removed): the file-level pass runs again, replaying the
// recorded walks of the other probes whose maps read the same, and the
// probe pass re-checks the edited probes and those naming a map whose
// state changed, as the probe cache's key would. No other item is read.

import (
	"context"

	"github.com/bpfls/bpfls/analysis/syntax"
)

// reanalyzeMedium is that path; nil when it does not apply.
// decls are the indexes of f's items that are not probes.
func reanalyzeMedium(ctx context.Context, prev *Snapshot, f *syntax.File, pi *incState, rg region, nuser int, decls []int) *Snapshot {
	cfg := prev.Config
	n := f.NumItems()
	aligned := make([]*itemRec, 0, n)
	aligned = append(aligned, pi.items[:rg.lo]...)
	aligned = append(aligned, make([]*itemRec, rg.hiNew-rg.lo)...)
	aligned = append(aligned, pi.items[rg.hiOld:]...)
	env := newFileEnvAligned(ctx, f, cfg, &incState{nuser: nuser, declIdx: decls, items: aligned})
	if ctx.Err() != nil || factsKeyOf(env) != pi.factsKey {
		return nil
	}
	changed := changedMaps(pi.maps, env.maps)
	pp := &probePass{ctx: ctx, cfg: cfg, src: f.Text(), file: f, body: envBody(env),
		missingProbes: configSettingAt(f, decls, "missing_probes")}
	st := &incState{decls: pi.decls, factsKey: pi.factsKey, items: make([]*itemRec, n), declIdx: decls,
		nuser: nuser, envDiags: env.diags}
	for i, old := range aligned {
		rec, ok := old, true
		if f.IsProbe(i) {
			rec, ok = medRecord(ctx, pp, f, i, old, env.itemFacts[i], changed)
		}
		if !ok {
			return nil
		}
		if rec.marked() {
			st.marked = append(st.marked, i)
		}
		st.items[i] = rec
	}
	st.maps = mapSummaries(env)
	s := NewSyntaxSnapshot(f, cfg)
	s.Diagnostics = append(s.Diagnostics, env.diags...)
	for _, i := range st.marked {
		if rec := st.items[i]; len(rec.diags) > 0 {
			s.Diagnostics = append(s.Diagnostics, shiftAll(rec.diags, f.ItemSpan(i).Start, false)...)
		}
	}
	s.Diagnostics = append(s.Diagnostics, specialDiags(f, cfg, st.items, st.marked)...)
	SortDiagnostics(s.Diagnostics)
	s.symbols, s.probes, s.env, s.inc = env.symbols, prev.probes, prev.env, st
	return s
}

// medRecord returns the record of probe i: old when its walk was replayed
// and no map its body names changed, else one with the new walk and, when
// needed, the probe checked again. It reports false when the result cannot
// be kept relative to the probe.
func medRecord(ctx context.Context, pp *probePass, f *syntax.File, i int, old *itemRec, facts *probeFacts, changed map[string]bool) (*itemRec, bool) {
	// The maps the text names are found only when some changed: a record
	// does not keep them, to keep a document's memory down.
	check := old == nil || old.volatile || len(changed) > 0 && namesAny(probeMaps(f, f.ItemSpan(i)), changed)
	if !check && facts == old.facts {
		return old, true
	}
	if facts == nil {
		return nil, false
	}
	p := f.Item(i).(*syntax.Probe)
	rec := &itemRec{id: f.ItemID(i), probe: true, user: attachesToUser(p), facts: facts,
		special: specialAPs(p, pp.cfg)}
	if !check {
		rec.diags = old.diags
		return rec, true
	}
	if len(p.AttachPoints) == 0 || p.Body == nil {
		return rec, true
	}
	diags := pp.checkProbe(p)
	if ctx.Err() != nil || !within(diags, syntax.Span{Start: p.Pos(), End: p.End()}) {
		return nil, false
	}
	rec.diags = shiftAll(diags, p.Pos(), true)
	return rec, true
}

// changedMaps names the maps whose state differs between a summary and a
// table, or that only one of them has.
func changedMaps(old []mapSummary, t *mapTable) map[string]bool {
	out := map[string]bool{}
	seen := make(map[string]bool, len(old))
	for _, m := range old {
		seen[m.name] = true
		if !m.state.equal(mapStateOf(t.byName[m.name])) {
			out[m.name] = true
		}
	}
	for _, m := range t.order {
		if !seen[m.name] {
			out[m.name] = true
		}
	}
	return out
}

func namesAny(names []string, set map[string]bool) bool {
	for _, n := range names {
		if set[n] {
			return true
		}
	}
	return false
}

// probeMaps lists the maps a probe's text names, as the probe cache's key
// does ("@" for the anonymous map).
func probeMaps(f *syntax.File, sp syntax.Span) []string {
	if sp.Start < 0 || sp.End > syntax.Pos(f.Len()) || sp.Start > sp.End {
		return nil
	}
	text := f.Slice(sp.Start, sp.End)
	maps, anon := bodyMaps(text, syntax.Span{End: syntax.Pos(len(text))})
	if anon {
		maps = append(maps, "@")
	}
	return maps
}
