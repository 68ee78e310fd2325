package analysis

// This file implements the path of Reanalyze for an edit that adds,
// removes or renames a macro or fn declaration, or changes its
// parameters. A probe's recorded walk depends on the declarations only
// through the names it calls, so the probes that name a changed
// declaration (directly, or through a macro whose body names one) are
// walked and checked again, with those that have diagnostics (which may
// suggest declared names); the others' walks are replayed, as the medium
// path does (incremental_medium.go). It costs a replay of every walk, not
// the full pass, which walks and checks every probe again.

import (
	"bytes"
	"context"

	"github.com/bpfls/bpfls/analysis/syntax"
)

// reanalyzeDecls is that path; nil when it does not apply: an item of the
// region, before or after the edit, that is not a probe, a macro, a fn or
// an item the parser could not read.
func reanalyzeDecls(ctx context.Context, prev *Snapshot, f *syntax.File, pi *incState, rg region) *Snapshot {
	pf := prev.File
	names := map[string]bool{} // the names of the region's declarations, before and after
	nuser := pi.nuser
	for i := rg.lo; i < rg.hiOld; i++ {
		if !declName(pf, i, names) {
			return nil
		}
		if r := pi.items.at(i); r.user {
			nuser--
		}
	}
	for i := rg.lo; i < rg.hiNew; i++ {
		if !declName(f, i, names) {
			return nil
		}
		if p, ok := f.Item(i).(*syntax.Probe); ok && attachesToUser(p) {
			nuser++
		}
	}
	if len(names) == 0 || (nuser > 0) != (pi.nuser > 0) || targetHash(f, prev.Config) != pi.target {
		return nil
	}
	var decls []int // the items that are not probes, after the edit
	for i := range f.NumItems() {
		if !f.IsProbe(i) {
			decls = append(decls, i)
		}
	}
	// A macro whose body names a changed name expands differently too.
	for grown := true; grown; {
		grown = false
		for _, i := range decls {
			if m, ok := f.Item(i).(*syntax.MacroDecl); ok && m.Name != nil && !names[m.Name.Name] && namesAnyIdent(f.Slice(m.Pos(), m.End()), names) {
				names[m.Name.Name] = true
				grown = true
			}
		}
	}
	stale := func(i int, rec *itemRec) bool {
		return rec.marked() || expandsAny(rec.facts, names) || namesAnyIdent(f.Slice(f.ItemSpan(i).Start, f.ItemSpan(i).End), names)
	}
	return reanalyzeMedium(ctx, prev, f, pi, rg, nuser, decls, nil, stale)
}

// declName adds the name of item i of x to names when it is a macro or a
// fn, and reports whether the item is one of those, a probe, or an item
// the parser could not read.
func declName(x *syntax.File, i int, names map[string]bool) bool {
	if x.IsProbe(i) {
		return true
	}
	switch d := x.Item(i).(type) {
	case *syntax.MacroDecl:
		if d.Name != nil {
			names[d.Name.Name] = true
		}
	case *syntax.FuncDecl:
		if d.Name != nil {
			names[d.Name.Name] = true
		}
	case *syntax.BadItem:
	default:
		return false
	}
	return true
}

// namesAnyIdent reports whether text holds one of names as a whole
// identifier, wherever it stands (a comment or a string too: the answer
// may be yes where no call is, never no where one is).
func namesAnyIdent(text []byte, names map[string]bool) bool {
	for name := range names {
		if name == "" {
			continue
		}
		for rest, at := text, 0; ; {
			k := bytes.Index(rest, []byte(name))
			if k < 0 {
				break
			}
			start, end := at+k, at+k+len(name)
			if (start == 0 || !isIdentByte(text[start-1])) && (end == len(text) || !isIdentByte(text[end])) {
				return true
			}
			rest, at = text[end:], end
		}
	}
	return false
}
