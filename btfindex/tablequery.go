package btfindex

// This file implements lookups in a decoded index file: each entry is
// decoded on request from its uvarints.

import "strings"

// typeAt decodes type id. Elements have smaller ids than the types that
// refer to them, which bounds the recursion.
func (t *table) typeAt(id uint64) Type {
	r := reader{b: t.secs[secTypes].entry(int(min(id, 1<<31)))}
	out := Type{
		C:      t.str(r.u()),
		Kind:   Kind(r.u()),
		Size:   r.u32(),
		Signed: r.u() != 0,
		Len:    r.u32(),
	}
	if elem := r.u(); elem != 0 && elem-1 < id {
		e := t.typeAt(elem - 1)
		out.Elem = &e
	}
	out.Record = t.str(r.u())
	return out
}

// Func decodes the function named name.
func (t *table) Func(name string) (*Func, bool) {
	i, ok := t.find(secFuncs, name)
	if !ok {
		return nil, false
	}
	r := reader{b: t.secs[secFuncs].entry(i)}
	f := &Func{Name: t.str(r.u()), Module: t.str(r.u())}
	f.Return = t.typeAt(r.u())
	f.Traceable = Traceable(r.u())
	f.Variadic = r.u() != 0
	n := r.count()
	if n > 0 {
		f.Params = make([]Param, 0, n)
	}
	for range n {
		f.Params = append(f.Params, Param{Name: t.str(r.u()), Type: t.typeAt(r.u())})
	}
	return f, !r.bad
}

// Record decodes the struct or union named name ("struct x", "union x"
// and plain "x" are accepted, as for [Index.Record]).
func (t *table) Record(name string) (*Record, bool) {
	bare, wantUnion, wantStruct := recordName(name)
	i, ok := t.find(secRecords, bare)
	for ; ok && i < t.secs[secRecords].n() && t.entryName(secRecords, i) == bare; i++ {
		rec, good := t.recordAt(i)
		if good && !(wantUnion && !rec.Union) && !(wantStruct && rec.Union) {
			return rec, true
		}
	}
	return nil, false
}

func (t *table) recordAt(i int) (*Record, bool) {
	r := reader{b: t.secs[secRecords].entry(i)}
	rec := &Record{Name: t.str(r.u()), Union: r.u() != 0, Size: r.u32()}
	n := r.count()
	if n > 0 {
		rec.Members = make([]Member, 0, n)
	}
	for range n {
		m := Member{Name: t.str(r.u()), Type: t.typeAt(r.u())}
		m.Offset, m.BitOffset, m.BitSize = r.u32(), r.u32(), r.u32()
		rec.Members = append(rec.Members, m)
	}
	return rec, !r.bad
}

// Typedef decodes the type a typedef names.
func (t *table) Typedef(name string) (Type, bool) {
	i, ok := t.find(secTypedefs, name)
	if !ok {
		return Type{}, false
	}
	r := reader{b: t.secs[secTypedefs].entry(i)}
	r.u() // the name
	typ := t.typeAt(r.u())
	return typ, !r.bad
}

// Tracepoint decodes category:event.
func (t *table) Tracepoint(cat, event string) (*Tracepoint, bool) {
	i, ok := t.find(secTracepoints, cat+":"+event)
	if !ok {
		return nil, false
	}
	r := reader{b: t.secs[secTracepoints].entry(i)}
	full := t.str(r.u())
	tp := &Tracepoint{}
	tp.Category, tp.Event, _ = strings.Cut(full, ":")
	n := r.count()
	for range n {
		f := TracepointField{Name: t.str(r.u()), Type: t.typeAt(r.u())}
		f.Offset, f.Size, f.Signed = r.u32(), r.u32(), r.u() != 0
		tp.Fields = append(tp.Fields, f)
	}
	return tp, !r.bad
}

// traceableKnown reports whether the file holds available_filter_functions.
func (t *table) traceableKnown() bool { return t.flags&flagTraceableKnown != 0 }

// Traceable answers from the stored available_filter_functions, or from
// the stored BTF when that list was not readable at export time.
func (t *table) Traceable(name string) Traceable {
	if t.traceableKnown() {
		if _, ok := t.find(secTraceable, name); ok {
			return TraceYes
		}
		return TraceNo
	}
	if _, ok := t.find(secFuncs, name); ok {
		return TraceUnknown
	}
	return TraceNo
}

// sources returns the source descriptions stored in the file.
func (t *table) sources() []string {
	r := reader{b: t.secs[secMeta].entry(0)}
	n := r.count()
	out := make([]string, 0, n)
	for range n {
		out = append(out, t.str(r.u()))
	}
	return out
}

// symbols returns the stored symbols named name.
func (t *table) symbols(name string) []Symbol {
	i, _ := t.find(secSymbols, name)
	var out []Symbol
	for ; i < t.secs[secSymbols].n(); i++ {
		r := reader{b: t.secs[secSymbols].entry(i)}
		n, mod := t.str(r.u()), t.str(r.u())
		if n != name || r.bad {
			break
		}
		out = append(out, Symbol{Name: n, Module: mod})
	}
	return out
}
