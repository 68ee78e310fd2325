package analysis

// This file implements the path of Reanalyze for an edit inside a fn's
// body (name, parameters and result unchanged) that names no map before
// or after: a call checks only the fn's signature, so no probe can see
// the edit, and the body, checked on its own, gives the fn's diagnostics.
// They replace the old body's; every item keeps its record and the other
// file-level diagnostics move. A body naming a map feeds the maps' types
// and takes the path that replays every walk.

import (
	"bytes"
	"context"
	"maps"
	"reflect"

	"github.com/bpfls/bpfls/analysis/syntax"
)

// reanalyzeFn is that path; nil when it does not apply.
func reanalyzeFn(ctx context.Context, prev *Snapshot, f *syntax.File, pi *incState, rg region, nuser int) *Snapshot {
	if rg.hiOld-rg.lo != 1 || rg.hiNew != rg.hiOld || pi.decls == nil || (nuser > 0) != pi.decls.userProbes || len(pi.envDiags) < pi.mapDiagFrom {
		return nil
	}
	d, ok := f.Item(rg.lo).(*syntax.FuncDecl)
	od, okOld := prev.File.Item(rg.lo).(*syntax.FuncDecl)
	if !ok || !okOld || d.Name == nil || pi.decls.fn(d.Name.Name) != od {
		return nil
	}
	os, ns := prev.File.ItemSpan(rg.lo), f.ItemSpan(rg.lo)
	if bytes.IndexByte(prev.File.Slice(os.Start, os.End), '@') >= 0 || bytes.IndexByte(f.Slice(ns.Start, ns.End), '@') >= 0 {
		return nil
	}
	shared := *pi.decls
	if x := shared.fnEdit; x != nil && x.Name.Name != d.Name.Name { // another fn's edit: into a copy of fns
		shared.fns = maps.Clone(shared.fns)
		shared.fns[x.Name.Name] = x
	}
	shared.fnEdit = d // fns shared: a clone cost O(fns) per keystroke
	e := shared
	e.file, e.declIdx, e.maps, e.syms = f, pi.declIdx, mapsFrom(pi.maps), newSymbolSink()
	if factsKeyOf(&e) != pi.factsKey {
		return nil
	}
	// The old body's diagnostics are those of the file-level pass in the
	// region, exactly: checked again to be sure.
	oldR, newR := &Reporter{}, &Reporter{}
	e.file = prev.File
	e.checkFnBody(oldR, od)
	e.file = f
	e.checkFnBody(newR, d)
	if ctx.Err() != nil || !within(newR.Diags, ns) {
		return nil
	}
	in := func(s syntax.Span) bool { return s.Start >= rg.oldStart && s.End <= rg.oldEnd }
	var kept, dropped []Diagnostic
	for _, dg := range pi.envDiags[:pi.mapDiagFrom] {
		if in(dg.Span) {
			dropped = append(dropped, dg)
		} else {
			kept = append(kept, dg)
		}
	}
	if len(dropped) != len(oldR.Diags) || len(dropped) > 0 && !reflect.DeepEqual(dropped, oldR.Diags) {
		return nil
	}
	pre, ok := rg.remap(kept, nil, nil)
	if !ok {
		return nil
	}
	post, ok := rg.remap(pi.envDiags[pi.mapDiagFrom:], nil, nil)
	if !ok {
		return nil
	}
	envDiags := append(append(pre, newR.Diags...), post...)
	from := len(pre) + len(newR.Diags)
	ranges := make([]mapDiagRange, len(pi.mapDiags))
	for k, kr := range pi.mapDiags {
		ranges[k] = mapDiagRange{name: kr.name, lo: kr.lo - pi.mapDiagFrom + from, hi: kr.hi - pi.mapDiagFrom + from}
	}
	items := pi.items.set(rg.lo, []*itemRec{{id: f.ItemID(rg.lo)}})
	s := incrementalSnapshot(f, prev.Config, envDiags, items, pi.marked)
	s.probes, s.env = prev.probes, prev.env
	s.symbols = followBodyEdit(prev, f, items, rg.lo, &e, nil) // nil: rebuilt on first read
	s.inc = &incState{target: pi.target, factsKey: pi.factsKey, items: items, declIdx: pi.declIdx, marked: pi.marked,
		nuser: nuser, maps: pi.maps, envDiags: envDiags, decls: &shared,
		mapDiagFrom: from, mapDiags: ranges, mapIdx: pi.mapIdx, macroIdx: pi.macroIdx, byFn: true}
	return s
}
