package btfindex

// This file implements writing the on-disk index (the cache and kernel
// snapshots share one format; see table.go for the layout). Entries are
// encoded as the BTF walk produces them, so a whole kernel never exists as
// Go values at once, and are put in name order when the file is laid out.

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"hash/maphash"
	"io"
	"slices"
)

// tableBuilder accumulates the entries of one index file. It keeps every
// entry encoded and its strings interned through a table of ids rather
// than a map of strings: for a kernel that is about 12 MB instead of 30.
type tableBuilder struct {
	key      [32]byte // SHA-256 of the BTF the entries came from
	flags    uint32
	sources  []string
	seed     maphash.Seed
	strTab   []uint32 // open addressing: string id+1, 0 for a free slot
	typeIDs  map[typeKey]uint32
	strings  blob // entry i is string id i
	types    blob // entry i is type id i
	sections [numSections]entrySet
}

// typeKey identifies an interned type: its fields, strings and Elem by id.
type typeKey struct {
	c, record uint32
	kind      Kind
	size, len uint32
	signed    bool
	elem      uint32 // id+1, 0 when none
}

// blob is a run of entries known by their index.
type blob struct {
	data []byte
	ends []uint32 // entry i is data[ends[i-1]:ends[i]], from 0
}

func (bl *blob) n() int { return len(bl.ends) }

func (bl *blob) at(i int) []byte {
	start := uint32(0)
	if i > 0 {
		start = bl.ends[i-1]
	}
	return bl.data[start:bl.ends[i]]
}

func (bl *blob) uvarint(v uint64) { bl.data = binary.AppendUvarint(bl.data, v) }

// close ends the entry being written and returns its index.
func (bl *blob) close() uint32 {
	bl.ends = append(bl.ends, uint32(len(bl.data)))
	return uint32(len(bl.ends) - 1)
}

// entrySet is a blob of entries, each known by a sort key. Duplicate keys
// are resolved when the file is laid out (see [entrySet.sorted]).
type entrySet struct {
	data []byte
	ents []entryRef
}

type entryRef struct {
	name, sub  uint32 // sort key: string ids, compared as strings
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

// begin starts an entry; end closes it under the key (name, sub).
func (s *entrySet) begin() uint32 { return uint32(len(s.data)) }

func (s *entrySet) end(name, sub, start uint32, complete bool) {
	s.ents = append(s.ents, entryRef{name: name, sub: sub, start: start, end: uint32(len(s.data)), complete: complete})
}

func newTableBuilder() *tableBuilder {
	b := &tableBuilder{seed: maphash.MakeSeed(), typeIDs: map[typeKey]uint32{}}
	b.str("")
	return b
}

// str interns s and returns its id.
func (b *tableBuilder) str(s string) uint32 {
	if 4*(b.strings.n()+1) > 3*len(b.strTab) {
		b.growStrings()
	}
	mask := uint64(len(b.strTab) - 1)
	for i := maphash.String(b.seed, s) & mask; ; i = (i + 1) & mask {
		v := b.strTab[i]
		if v == 0 {
			b.strings.data = append(b.strings.data, s...)
			id := b.strings.close()
			b.strTab[i] = id + 1
			return id
		}
		if string(b.strings.at(int(v-1))) == s {
			return v - 1
		}
	}
}

// growStrings doubles the string table, keeping it at most 3/4 full.
func (b *tableBuilder) growStrings() {
	old := b.strTab
	b.strTab = make([]uint32, max(1024, 2*len(old)))
	mask := uint64(len(b.strTab) - 1)
	for _, v := range old {
		if v == 0 {
			continue
		}
		i := maphash.Bytes(b.seed, b.strings.at(int(v-1))) & mask
		for b.strTab[i] != 0 {
			i = (i + 1) & mask
		}
		b.strTab[i] = v
	}
}

// strAt is string id.
func (b *tableBuilder) strAt(id uint32) []byte { return b.strings.at(int(id)) }

// typ interns t (its Elem first, so an element's id is always smaller).
func (b *tableBuilder) typ(t Type) uint32 {
	var elem uint32
	if t.Elem != nil {
		elem = b.typ(*t.Elem) + 1
	}
	c, rec := b.str(t.C), b.str(t.Record)
	k := typeKey{c: c, record: rec, kind: t.Kind, size: t.Size, len: t.Len, signed: t.Signed, elem: elem}
	if id, ok := b.typeIDs[k]; ok {
		return id
	}
	s := &b.types
	s.uvarint(uint64(c))
	s.uvarint(uint64(t.Kind))
	s.uvarint(uint64(t.Size))
	if t.Signed {
		s.uvarint(1)
	} else {
		s.uvarint(0)
	}
	s.uvarint(uint64(t.Len))
	s.uvarint(uint64(elem))
	s.uvarint(uint64(rec))
	id := s.close()
	b.typeIDs[k] = id
	return id
}

// addFunc adds f; of functions of one name the first added is kept.
func (b *tableBuilder) addFunc(f *Func) {
	s := &b.sections[secFuncs]
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
	s.end(name, 0, start, true)
}

// addRecord adds r. Of records of one name and kind the first with members
// is kept, or the first when none has any (forward-declared shapes).
func (b *tableBuilder) addRecord(r *Record) {
	s := &b.sections[secRecords]
	name, sub := b.str(r.Name), b.str("s")
	if r.Union {
		sub = b.str("u") // sorts after the struct of the same name
	}
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
	s.end(name, sub, start, len(r.Members) > 0)
}

// addTypedef adds a typedef; of typedefs of one name the first is kept.
func (b *tableBuilder) addTypedef(name string, t Type) {
	s := &b.sections[secTypedefs]
	n, typ := b.str(name), b.typ(t)
	start := s.begin()
	s.uvarint(uint64(n))
	s.uvarint(uint64(typ))
	s.end(n, 0, start, true)
}

// addTracepoint adds a tracepoint's format.
func (b *tableBuilder) addTracepoint(tp *Tracepoint) {
	s := &b.sections[secTracepoints]
	name := b.str(tp.Category + ":" + tp.Event)
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
	s.end(name, 0, start, true)
}

// setTraceable stores available_filter_functions.
func (b *tableBuilder) setTraceable(names []string) {
	b.flags |= flagTraceableKnown
	s := &b.sections[secTraceable]
	for _, n := range names {
		id := b.str(n)
		start := s.begin()
		s.uvarint(uint64(id))
		s.end(id, 0, start, true)
	}
}

// addSymbols stores kernel symbols, sorted by name then module.
func (b *tableBuilder) addSymbols(syms []Symbol) {
	s := &b.sections[secSymbols]
	for _, sym := range syms {
		name, mod := b.str(sym.Name), b.str(sym.Module)
		start := s.begin()
		s.uvarint(uint64(name))
		s.uvarint(uint64(mod))
		s.end(name, mod, start, true)
	}
}

// sorted puts s's entries in key order and keeps one per key: the first
// complete one, or the first when none is complete.
func (b *tableBuilder) sorted(s *entrySet) []entryRef {
	key := func(e entryRef) ([]byte, []byte) { return b.strAt(e.name), b.strAt(e.sub) }
	slices.SortStableFunc(s.ents, func(x, y entryRef) int {
		xn, xs := key(x)
		yn, ys := key(y)
		if c := bytes.Compare(xn, yn); c != 0 {
			return c
		}
		return bytes.Compare(xs, ys)
	})
	out := s.ents[:0]
	for i := 0; i < len(s.ents); {
		j, pick := i+1, s.ents[i]
		for ; j < len(s.ents) && s.ents[j].name == pick.name && s.ents[j].sub == pick.sub; j++ {
			if !pick.complete && s.ents[j].complete {
				pick = s.ents[j]
			}
		}
		out = append(out, pick)
		i = j
	}
	s.ents = out
	return out
}

// finish adds the meta entry and sorts the sections; the builder takes no
// more entries after it.
func (b *tableBuilder) finish() {
	srcIDs := make([]uint32, len(b.sources))
	for i, src := range b.sources {
		srcIDs[i] = b.str(src)
	}
	meta := &b.sections[secMeta]
	meta.ents, meta.data = nil, nil
	start := meta.begin()
	meta.uvarint(uint64(len(srcIDs)))
	for _, id := range srcIDs {
		meta.uvarint(uint64(id))
	}
	meta.end(0, 0, start, true)
	for i := range b.sections {
		if i != secStrings && i != secTypes {
			b.sorted(&b.sections[i])
		}
	}
}

// sectionLen is section i's entry count and data length once finished.
func (b *tableBuilder) sectionLen(i int) (n int, size uint32) {
	switch i {
	case secStrings:
		return b.strings.n(), uint32(len(b.strings.data))
	case secTypes:
		return b.types.n(), uint32(len(b.types.data))
	}
	for _, e := range b.sections[i].ents {
		size += e.end - e.start
	}
	return len(b.sections[i].ents), size
}

// entry is entry j of section i once finished.
func (b *tableBuilder) entry(i, j int) []byte {
	switch i {
	case secStrings:
		return b.strings.at(j)
	case secTypes:
		return b.types.at(j)
	}
	e := b.sections[i].ents[j]
	return b.sections[i].data[e.start:e.end]
}

// bytes lays out the file in memory.
func (b *tableBuilder) bytes() []byte {
	var buf bytes.Buffer
	b.writeTo(&buf) // a bytes.Buffer takes every write
	return buf.Bytes()
}

// writeTo finishes the builder and writes the file: the header, the
// directory, then each section's offsets and entries, and the checksum.
func (b *tableBuilder) writeTo(w io.Writer) error {
	b.finish()
	le := binary.LittleEndian
	head := make([]byte, headerSize+dirSize)
	copy(head, tableMagic)
	le.PutUint32(head[8:], schemaVersion)
	le.PutUint32(head[12:], b.flags)
	copy(head[16:48], b.key[:])
	le.PutUint32(head[48:], numSections)
	pos := uint32(len(head))
	for i := range b.sections {
		n, size := b.sectionLen(i)
		ent := head[headerSize+16*i:]
		le.PutUint32(ent, pos)
		le.PutUint32(ent[4:], uint32(n+1))
		pos += 4 * uint32(n+1)
		le.PutUint32(ent[8:], pos)
		le.PutUint32(ent[12:], size)
		pos += size
	}
	crc := crc32.New(castagnoli)
	bw := bufio.NewWriterSize(io.MultiWriter(w, crc), 64<<10)
	bw.Write(head)
	var word [4]byte
	for i := range b.sections {
		n, _ := b.sectionLen(i)
		off := uint32(0)
		for j := range n {
			bw.Write(le.AppendUint32(word[:0], off))
			off += uint32(len(b.entry(i, j)))
		}
		bw.Write(le.AppendUint32(word[:0], off))
		for j := range n {
			bw.Write(b.entry(i, j))
		}
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	_, err := w.Write(le.AppendUint32(word[:0], crc.Sum32()))
	return err
}

var castagnoli = crc32.MakeTable(crc32.Castagnoli)
