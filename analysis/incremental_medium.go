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
// decls are the indexes of f's items that are not probes; the probes that
// expand a macro in dirty, whose body the edit changed, are walked and
// checked again, and so are those stale reports (nil: none), by their
// index after the edit.
func reanalyzeMedium(ctx context.Context, prev *Snapshot, f *syntax.File, pi *incState, rg region, nuser int, decls []int, dirty map[string]bool, stale func(int, *itemRec) bool) *Snapshot {
	cfg := prev.Config
	n := f.NumItems()
	aligned := make([]*itemRec, 0, n)
	aligned = append(aligned, pi.items.slice(0, rg.lo)...)
	aligned = append(aligned, make([]*itemRec, rg.hiNew-rg.lo)...)
	aligned = append(aligned, pi.items.slice(rg.hiOld, pi.items.len())...)
	if len(dirty) > 0 || stale != nil {
		for i, rec := range aligned {
			if rec != nil && (expandsAny(rec.facts, dirty) || stale != nil && rec.probe && stale(i, rec)) {
				aligned[i] = nil
			}
		}
	}
	env := newFileEnvAligned(ctx, f, cfg, &incState{nuser: nuser, declIdx: decls, items: newRecList(aligned)})
	if ctx.Err() != nil || factsKeyOf(env) != pi.factsKey {
		return nil
	}
	changed := changedMaps(pi.maps, env.maps)
	pp := &probePass{ctx: ctx, cfg: cfg, src: f.Text(), file: f, body: envBody(env),
		missingProbes: env.config["missing_probes"]} // as checkConfig read it
	st := &incState{target: pi.target, factsKey: pi.factsKey, declIdx: decls, nuser: nuser, envDiags: env.diags,
		mapDiagFrom: env.mapDiagFrom, mapDiags: env.mapDiags}
	recs := make([]*itemRec, n)
	for i, old := range aligned {
		rec, ok := old, true
		switch {
		case f.IsProbe(i):
			rec, ok = medRecord(ctx, pp, f, i, old, env.itemFacts[i], changed)
		case rec == nil: // a declaration the edit re-parsed
			rec = &itemRec{id: f.ItemID(i)}
		}
		if !ok {
			return nil
		}
		if rec.marked() {
			st.marked = append(st.marked, i)
		}
		recs[i] = rec
	}
	st.items = newRecList(recs)
	st.maps = mapSummaries(env)
	st.decls = sharedDecls(env)
	s := incrementalSnapshot(f, cfg, env.diags, st.items, st.marked)
	s.symbols, s.probes, s.env, s.inc = compactSymbols(env.symbols, f, st.items, env.itemFacts), prev.probes, prev.env, st
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
	rec := &itemRec{id: f.ItemID(i), probe: true, user: attachesToUser(p), facts: facts}
	rec.setSpecial(specialAPs(p, pp.cfg))
	if !check {
		rec.setDiags(old.diags())
		return rec, true
	}
	if len(p.AttachPoints) == 0 || p.Body == nil {
		return rec, true
	}
	diags := pp.checkProbe(p)
	if ctx.Err() != nil || !within(diags, syntax.Span{Start: p.Pos(), End: p.End()}) {
		return nil, false
	}
	rec.setDiags(shiftAll(diags, p.Pos(), true))
	return rec, true
}

// expandsAny reports whether a recorded walk expands one of the macros.
func expandsAny(pf *probeFacts, macros map[string]bool) bool {
	if pf == nil {
		return false
	}
	for _, ev := range pf.events() {
		if ev.kind == factMacroRef && macros[pf.name(ev)] {
			return true
		}
	}
	return false
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
