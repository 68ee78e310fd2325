package btfindex

// This file implements writing the on-disk index (the cache and kernel
// snapshots share one format; see table.go for the layout). Entries are
// encoded as the BTF walk produces them, so a whole kernel never exists as
// Go values at once, and are put in name order when the file is laid out.

import (
	"encoding/binary"
	"hash/crc32"
	"sort"
)

// tableBuilder accumulates the entries of one index file.
type tableBuilder struct {
	key      [32]byte // SHA-256 of the BTF the entries came from
	flags    uint32
	sources  []string
	strIDs   map[string]uint32
	typeIDs  map[typeKey]uint32
	strings  entrySet // entry i is string id i, in id order
	types    entrySet // entry i is type id i, in id order
	sections [numSections]entrySet
}

// typeKey identifies an interned type: its fields with Elem by type id.
type typeKey struct {
	c, record string
	kind      Kind
	size, len uint32
	signed    bool
	elem      uint32 // id+1, 0 when none
}

// entrySet is a blob of entries, each known by a sort key.
type entrySet struct {
	data []byte
	ents []entryRef
	keys map[string]int // sort key → index in ents, for sections that deduplicate
}

type entryRef struct {
	key        string
	start, end uint32
	complete   bool // a record with members (preferred over an empty one)
}

// uvarint appends to the entry being written.
func (s *entrySet) uvarint(v uint64) { s.data = binary.AppendUvarint(s.data, v) }

func (s *entrySet) bool(b bool) {
	if b {
		s.uvarint(1)
	} else {
		s.uvarint(0)
	}
}

// begin starts an entry; end closes it and returns its index.
func (s *entrySet) begin() uint32 { return uint32(len(s.data)) }

func (s *entrySet) end(key string, start uint32, complete bool) int {
	s.ents = append(s.ents, entryRef{key: key, start: start, end: uint32(len(s.data)), complete: complete})
	return len(s.ents) - 1
}

func newTableBuilder() *tableBuilder {
	b := &tableBuilder{strIDs: map[string]uint32{}, typeIDs: map[typeKey]uint32{}}
	for i := range b.sections {
		b.sections[i].keys = map[string]int{}
	}
	b.str("")
	return b
}

// str interns s and returns its id.
func (b *tableBuilder) str(s string) uint32 {
	if id, ok := b.strIDs[s]; ok {
		return id
	}
	id := uint32(len(b.strings.ents))
	start := b.strings.begin()
	b.strings.data = append(b.strings.data, s...)
	b.strings.end("", start, false)
	b.strIDs[s] = id
	return id
}

// typ interns t (its Elem first, so an element's id is always smaller).
func (b *tableBuilder) typ(t Type) uint32 {
	var elem uint32
	if t.Elem != nil {
		elem = b.typ(*t.Elem) + 1
	}
	k := typeKey{c: t.C, record: t.Record, kind: t.Kind, size: t.Size, len: t.Len, signed: t.Signed, elem: elem}
	if id, ok := b.typeIDs[k]; ok {
		return id
	}
	c, rec := b.str(t.C), b.str(t.Record)
	s := &b.types
	start := s.begin()
	s.uvarint(uint64(c))
	s.uvarint(uint64(t.Kind))
	s.uvarint(uint64(t.Size))
	s.bool(t.Signed)
	s.uvarint(uint64(t.Len))
	s.uvarint(uint64(elem))
	s.uvarint(uint64(rec))
	id := uint32(len(s.ents))
	s.end("", start, false)
	b.typeIDs[k] = id
	return id
}

// addFunc adds f unless a function of that name is already in.
func (b *tableBuilder) addFunc(f *Func) {
	s := &b.sections[secFuncs]
	if _, dup := s.keys[f.Name]; dup {
		return
	}
	name, module, ret := b.str(f.Name), b.str(f.Module), b.typ(f.Return)
	params := make([][2]uint32, len(f.Params))
	for i, p := range f.Params {
		params[i] = [2]uint32{b.str(p.Name), b.typ(p.Type)}
	}
	start := s.begin()
	s.uvarint(uint64(name))
	s.uvarint(uint64(module))
	s.uvarint(uint64(ret))
	s.uvarint(uint64(f.Traceable))
	s.bool(f.Variadic)
	s.uvarint(uint64(len(params)))
	for _, p := range params {
		s.uvarint(uint64(p[0]))
		s.uvarint(uint64(p[1]))
	}
	s.keys[f.Name] = s.end(f.Name, start, true)
}

// addRecord adds r, or replaces an earlier empty definition of the same
// name and kind (a forward-declared shape) with r.
func (b *tableBuilder) addRecord(r *Record) {
	s := &b.sections[secRecords]
	key := r.Name + "\x00s"
	if r.Union {
		key = r.Name + "\x00u" // sorts after the struct of the same name
	}
	prev, dup := s.keys[key]
	if dup && (s.ents[prev].complete || len(r.Members) == 0) {
		return
	}
	name := b.str(r.Name)
	mems := make([][2]uint32, len(r.Members))
	for i, m := range r.Members {
		mems[i] = [2]uint32{b.str(m.Name), b.typ(m.Type)}
	}
	start := s.begin()
	s.uvarint(uint64(name))
	s.bool(r.Union)
	s.uvarint(uint64(r.Size))
	s.uvarint(uint64(len(r.Members)))
	for i, m := range r.Members {
		s.uvarint(uint64(mems[i][0]))
		s.uvarint(uint64(mems[i][1]))
		s.uvarint(uint64(m.Offset))
		s.uvarint(uint64(m.BitOffset))
		s.uvarint(uint64(m.BitSize))
	}
	i := s.end(key, start, len(r.Members) > 0)
	if dup {
		s.ents[prev] = s.ents[i] // the replaced bytes stay behind, unreferenced
		s.ents = s.ents[:i]
		return
	}
	s.keys[key] = i
}

// addTypedef adds a typedef unless one of that name is already in.
func (b *tableBuilder) addTypedef(name string, t Type) {
	s := &b.sections[secTypedefs]
	if _, dup := s.keys[name]; dup {
		return
	}
	n, typ := b.str(name), b.typ(t)
	start := s.begin()
	s.uvarint(uint64(n))
	s.uvarint(uint64(typ))
	s.keys[name] = s.end(name, start, true)
}

// addTracepoint adds a tracepoint's format.
func (b *tableBuilder) addTracepoint(tp *Tracepoint) {
	s := &b.sections[secTracepoints]
	full := tp.Category + ":" + tp.Event
	if _, dup := s.keys[full]; dup {
		return
	}
	name := b.str(full)
	flds := make([][2]uint32, len(tp.Fields))
	for i, f := range tp.Fields {
		flds[i] = [2]uint32{b.str(f.Name), b.typ(f.Type)}
	}
	start := s.begin()
	s.uvarint(uint64(name))
	s.uvarint(uint64(len(tp.Fields)))
	for i, f := range tp.Fields {
		s.uvarint(uint64(flds[i][0]))
		s.uvarint(uint64(flds[i][1]))
		s.uvarint(uint64(f.Offset))
		s.uvarint(uint64(f.Size))
		s.bool(f.Signed)
	}
	s.keys[full] = s.end(full, start, true)
}

// setTraceable stores available_filter_functions.
func (b *tableBuilder) setTraceable(names []string) {
	b.flags |= flagTraceableKnown
	s := &b.sections[secTraceable]
	for _, n := range names {
		if _, dup := s.keys[n]; dup {
			continue
		}
		id := b.str(n)
		start := s.begin()
		s.uvarint(uint64(id))
		s.keys[n] = s.end(n, start, true)
	}
}

// addSymbols stores kernel symbols, sorted by name then module.
func (b *tableBuilder) addSymbols(syms []Symbol) {
	s := &b.sections[secSymbols]
	for _, sym := range syms {
		key := sym.Name + "\x00" + sym.Module
		if _, dup := s.keys[key]; dup {
			continue
		}
		name, mod := b.str(sym.Name), b.str(sym.Module)
		start := s.begin()
		s.uvarint(uint64(name))
		s.uvarint(uint64(mod))
		s.keys[key] = s.end(key, start, true)
	}
}

// bytes lays out the file: entries of each section in key order, strings
// and types in id order, the meta entry, and the checksum.
func (b *tableBuilder) bytes() []byte {
	meta := &b.sections[secMeta]
	meta.ents, meta.data = nil, nil
	srcIDs := make([]uint32, len(b.sources))
	for i, src := range b.sources {
		srcIDs[i] = b.str(src)
	}
	start := meta.begin()
	meta.uvarint(uint64(len(srcIDs)))
	for _, id := range srcIDs {
		meta.uvarint(uint64(id))
	}
	meta.end("", start, true)
	b.sections[secStrings] = b.strings
	b.sections[secTypes] = b.types
	return b.layout()
}

// layout writes the header, the directory and the sections. Sections other
// than strings and types are sorted by key here.
func (b *tableBuilder) layout() []byte {
	le := binary.LittleEndian
	buf := make([]byte, headerSize+dirSize)
	copy(buf, tableMagic)
	le.PutUint32(buf[8:], schemaVersion)
	le.PutUint32(buf[12:], b.flags)
	copy(buf[16:48], b.key[:])
	le.PutUint32(buf[48:], numSections)
	for i := range b.sections {
		s := &b.sections[i]
		if i != secStrings && i != secTypes {
			sort.SliceStable(s.ents, func(a, c int) bool { return s.ents[a].key < s.ents[c].key })
		}
		offStart, pos := len(buf), uint32(0)
		for _, e := range s.ents {
			buf = le.AppendUint32(buf, pos)
			pos += e.end - e.start
		}
		buf = le.AppendUint32(buf, pos)
		dataStart := len(buf)
		for _, e := range s.ents {
			buf = append(buf, s.data[e.start:e.end]...)
		}
		ent := buf[headerSize+16*i:]
		le.PutUint32(ent, uint32(offStart))
		le.PutUint32(ent[4:], uint32(len(s.ents)+1))
		le.PutUint32(ent[8:], uint32(dataStart))
		le.PutUint32(ent[12:], pos)
	}
	return le.AppendUint32(buf, crc32.Checksum(buf, castagnoli))
}

var castagnoli = crc32.MakeTable(crc32.Castagnoli)
