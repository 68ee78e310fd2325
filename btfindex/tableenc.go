package btfindex

// This file implements writing the on-disk index (the cache and kernel
// snapshots share one format; see table.go for the layout).

import (
	"encoding/binary"
	"hash/crc32"
	"sort"
)

// kernelData is everything one kernel knows, before encoding.
type kernelData struct {
	Key            [32]byte // SHA-256 of the BTF the data came from
	Sources        []string // human-readable source descriptions
	Funcs          []*Func
	Records        []*Record
	Typedefs       []namedType
	Tracepoints    []*Tracepoint
	Traceable      []string // sorted; meaningful only when TraceableKnown
	TraceableKnown bool
	Snapshot       bool // self-contained export, not a cache of live BTF
}

// namedType is a typedef name and what it resolves to.
type namedType struct {
	Name string
	Type Type
}

// encoder interns strings and types while it writes entries.
type encoder struct {
	strIDs  map[string]uint32
	strData []byte
	strOff  []uint32

	typeIDs map[typeKey]uint32
	types   section
}

// typeKey identifies an interned type: its fields with Elem by type id.
type typeKey struct {
	c, record string
	kind      Kind
	size, len uint32
	signed    bool
	elem      uint32 // id+1, 0 when none
}

// section is an entry blob with the offset of each entry.
type section struct {
	data []byte
	off  []uint32
}

func (s *section) begin()           { s.off = append(s.off, uint32(len(s.data))) }
func (s *section) uvarint(v uint64) { s.data = binary.AppendUvarint(s.data, v) }
func (s *section) bool(b bool) {
	if b {
		s.uvarint(1)
	} else {
		s.uvarint(0)
	}
}

func newEncoder() *encoder {
	e := &encoder{strIDs: map[string]uint32{}, typeIDs: map[typeKey]uint32{}}
	e.str("")
	return e
}

// str interns s and returns its id.
func (e *encoder) str(s string) uint32 {
	if id, ok := e.strIDs[s]; ok {
		return id
	}
	id := uint32(len(e.strOff))
	e.strOff = append(e.strOff, uint32(len(e.strData)))
	e.strData = append(e.strData, s...)
	e.strIDs[s] = id
	return id
}

// typ interns t (its Elem first, so an element's id is always smaller).
func (e *encoder) typ(t Type) uint32 {
	var elem uint32
	if t.Elem != nil {
		elem = e.typ(*t.Elem) + 1
	}
	k := typeKey{c: t.C, record: t.Record, kind: t.Kind, size: t.Size, len: t.Len, signed: t.Signed, elem: elem}
	if id, ok := e.typeIDs[k]; ok {
		return id
	}
	id := uint32(len(e.types.off))
	s := &e.types
	s.begin()
	s.uvarint(uint64(e.str(t.C)))
	s.uvarint(uint64(t.Kind))
	s.uvarint(uint64(t.Size))
	s.bool(t.Signed)
	s.uvarint(uint64(t.Len))
	s.uvarint(uint64(elem))
	s.uvarint(uint64(e.str(t.Record)))
	e.typeIDs[k] = id
	return id
}

// encodeKernel writes d in the on-disk format. It sorts d's slices.
func encodeKernel(d *kernelData) []byte {
	e := newEncoder()
	sort.Slice(d.Funcs, func(i, j int) bool { return d.Funcs[i].Name < d.Funcs[j].Name })
	sort.Slice(d.Records, func(i, j int) bool { return recordLess(d.Records[i], d.Records[j]) })
	sort.Slice(d.Typedefs, func(i, j int) bool { return d.Typedefs[i].Name < d.Typedefs[j].Name })
	sort.Slice(d.Tracepoints, func(i, j int) bool { return tpName(d.Tracepoints[i]) < tpName(d.Tracepoints[j]) })

	var secs [numSections]section
	for _, f := range d.Funcs {
		e.encodeFunc(&secs[secFuncs], f)
	}
	for _, r := range d.Records {
		e.encodeRecord(&secs[secRecords], r)
	}
	for _, td := range d.Typedefs {
		s := &secs[secTypedefs]
		s.begin()
		s.uvarint(uint64(e.str(td.Name)))
		s.uvarint(uint64(e.typ(td.Type)))
	}
	for _, tp := range d.Tracepoints {
		e.encodeTracepoint(&secs[secTracepoints], tp)
	}
	tr := &secs[secTraceable]
	for _, name := range d.Traceable {
		tr.begin()
		tr.uvarint(uint64(e.str(name)))
	}
	meta := &secs[secMeta]
	meta.begin()
	meta.uvarint(uint64(len(d.Sources)))
	for _, src := range d.Sources {
		meta.uvarint(uint64(e.str(src)))
	}
	secs[secTypes] = e.types
	secs[secStrings] = section{data: e.strData, off: e.strOff}
	return writeTable(d, &secs)
}

func recordLess(a, b *Record) bool {
	if a.Name != b.Name {
		return a.Name < b.Name
	}
	return !a.Union && b.Union
}

func tpName(tp *Tracepoint) string { return tp.Category + ":" + tp.Event }

func (e *encoder) encodeFunc(s *section, f *Func) {
	ret := e.typ(f.Return)
	params := make([][2]uint32, len(f.Params))
	for i, p := range f.Params {
		params[i] = [2]uint32{e.str(p.Name), e.typ(p.Type)}
	}
	s.begin()
	s.uvarint(uint64(e.str(f.Name)))
	s.uvarint(uint64(e.str(f.Module)))
	s.uvarint(uint64(ret))
	s.uvarint(uint64(f.Traceable))
	s.bool(f.Variadic)
	s.uvarint(uint64(len(params)))
	for _, p := range params {
		s.uvarint(uint64(p[0]))
		s.uvarint(uint64(p[1]))
	}
}

func (e *encoder) encodeRecord(s *section, r *Record) {
	type mem struct{ name, typ uint32 }
	mems := make([]mem, len(r.Members))
	for i, m := range r.Members {
		mems[i] = mem{e.str(m.Name), e.typ(m.Type)}
	}
	s.begin()
	s.uvarint(uint64(e.str(r.Name)))
	s.bool(r.Union)
	s.uvarint(uint64(r.Size))
	s.uvarint(uint64(len(r.Members)))
	for i, m := range r.Members {
		s.uvarint(uint64(mems[i].name))
		s.uvarint(uint64(mems[i].typ))
		s.uvarint(uint64(m.Offset))
		s.uvarint(uint64(m.BitOffset))
		s.uvarint(uint64(m.BitSize))
	}
}

func (e *encoder) encodeTracepoint(s *section, tp *Tracepoint) {
	type fld struct{ name, typ uint32 }
	flds := make([]fld, len(tp.Fields))
	for i, f := range tp.Fields {
		flds[i] = fld{e.str(f.Name), e.typ(f.Type)}
	}
	s.begin()
	s.uvarint(uint64(e.str(tpName(tp))))
	s.uvarint(uint64(len(tp.Fields)))
	for i, f := range tp.Fields {
		s.uvarint(uint64(flds[i].name))
		s.uvarint(uint64(flds[i].typ))
		s.uvarint(uint64(f.Offset))
		s.uvarint(uint64(f.Size))
		s.bool(f.Signed)
	}
}

// writeTable lays out the header, directory, sections and checksum.
func writeTable(d *kernelData, secs *[numSections]section) []byte {
	var flags uint32
	if d.TraceableKnown {
		flags |= flagTraceableKnown
	}
	if d.Snapshot {
		flags |= flagSnapshot
	}
	buf := make([]byte, headerSize, headerSize+dirSize)
	copy(buf, tableMagic)
	binary.LittleEndian.PutUint32(buf[8:], schemaVersion)
	binary.LittleEndian.PutUint32(buf[12:], flags)
	copy(buf[16:48], d.Key[:])
	binary.LittleEndian.PutUint32(buf[48:], numSections)
	dir := len(buf)
	buf = append(buf, make([]byte, dirSize)...)
	for i := range secs {
		s := &secs[i]
		s.off = append(s.off, uint32(len(s.data))) // end sentinel
		offStart := len(buf)
		for _, o := range s.off {
			buf = binary.LittleEndian.AppendUint32(buf, o)
		}
		dataStart := len(buf)
		buf = append(buf, s.data...)
		ent := buf[dir+i*16:]
		binary.LittleEndian.PutUint32(ent, uint32(offStart))
		binary.LittleEndian.PutUint32(ent[4:], uint32(len(s.off)))
		binary.LittleEndian.PutUint32(ent[8:], uint32(dataStart))
		binary.LittleEndian.PutUint32(ent[12:], uint32(len(s.data)))
	}
	return binary.LittleEndian.AppendUint32(buf, crc32.Checksum(buf, castagnoli))
}

var castagnoli = crc32.MakeTable(crc32.Castagnoli)
