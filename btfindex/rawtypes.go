package btfindex

// This file implements random access to the types of raw BTF for the index
// build. cilium/ebpf inflates a type's whole closure into Go values and
// keeps every one (about 31 MiB for a kernel); the build only needs each
// type's header and members once, so it reads them in place and the blob
// plus one offset per type is all it holds.

import "unsafe"

// More BTF kinds (see rawscan.go for the rest).
const (
	rawPtr      = 2
	rawFwd      = 7
	rawVolatile = 9
	rawConst    = 10
	rawRestrict = 11
	rawFloat    = 16
	rawTypeTag  = 18
)

// BTF_INT_* encoding bits.
const (
	rawIntSigned = 1 << 0
	rawIntChar   = 1 << 1
)

// rawSpec is one BTF blob (vmlinux, or a module's split BTF on top of it).
type rawSpec struct {
	raw     *rawBTF
	base    *rawSpec // the blob a split blob's low ids and string offsets refer to
	firstID uint32   // id of offs[0]
	offs    []uint32 // each type's offset in raw.types
}

// rawType is one decoded type header and the bytes that follow it.
type rawType struct {
	id       uint32
	kind     uint32
	flag     bool // kind_flag: bitfield members, signed enum, union forward
	vlen     int
	nameOff  uint32
	sizeType uint32 // size or referred-to type id, by kind
	extra    []byte
}

// newRawSpec indexes the types of data; base is nil for vmlinux.
func newRawSpec(data []byte, base *rawSpec) (*rawSpec, error) {
	raw, err := parseRawBTF(data)
	if err != nil {
		return nil, err
	}
	s := &rawSpec{raw: raw, base: base, firstID: 1}
	if base != nil {
		s.firstID = base.firstID + uint32(len(base.offs))
	}
	t, off := raw.types, uint32(0)
	for len(t) > 0 {
		if len(t) < 12 {
			return nil, errBadBTF
		}
		info := raw.order.Uint32(t[4:])
		size := 12 + extraSize((info>>24)&0x1f, int(info&0xffff))
		if size > len(t) {
			return nil, errBadBTF
		}
		s.offs = append(s.offs, off)
		t, off = t[size:], off+uint32(size)
	}
	return s, nil
}

// str returns the string at off. It aliases the blob, which is never
// written, instead of copying each of the kernel's names.
func (s *rawSpec) str(off uint32) string {
	if s.base != nil {
		if n := uint32(len(s.base.raw.strings)); off < n {
			return s.base.str(off)
		} else {
			off -= n
		}
	}
	tab := s.raw.strings
	if int(off) >= len(tab) {
		return ""
	}
	b := tab[off:]
	n := 0
	for n < len(b) && b[n] != 0 {
		n++
	}
	if n == 0 {
		return ""
	}
	return unsafe.String(&b[0], n)
}

// typ returns type id; ok is false for void (id 0) and ids out of range.
func (s *rawSpec) typ(id uint32) (rawType, bool) {
	if id < s.firstID {
		if s.base != nil {
			return s.base.typ(id)
		}
		return rawType{}, false
	}
	i := id - s.firstID
	if i >= uint32(len(s.offs)) {
		return rawType{}, false
	}
	t := s.raw.types[s.offs[i]:]
	o := s.raw.order
	info := o.Uint32(t[4:])
	kind, vlen := (info>>24)&0x1f, int(info&0xffff)
	return rawType{
		id: id, kind: kind, flag: info>>31 != 0, vlen: vlen,
		nameOff: o.Uint32(t), sizeType: o.Uint32(t[8:]),
		extra: t[12 : 12+extraSize(kind, vlen)],
	}, true
}

// name is t's name.
func (s *rawSpec) name(t rawType) string { return s.str(t.nameOff) }

// u32 reads the i-th 32-bit word after t's header.
func (s *rawSpec) u32(t rawType, i int) uint32 {
	if 4*i+4 > len(t.extra) {
		return 0
	}
	return s.raw.order.Uint32(t.extra[4*i:])
}

// rawMember is a struct or union member or a function parameter.
type rawMember struct {
	name   string
	typ    uint32
	offset uint32 // bits; members only
}

// member returns t's i-th member (structs, unions: 3 words each) or
// parameter (function prototypes: 2 words each).
func (s *rawSpec) member(t rawType, i int) rawMember {
	if t.kind == rawFuncProto {
		return rawMember{name: s.str(s.u32(t, 2*i)), typ: s.u32(t, 2*i+1)}
	}
	return rawMember{name: s.str(s.u32(t, 3*i)), typ: s.u32(t, 3*i+1), offset: s.u32(t, 3*i+2)}
}

// enumValue returns the i-th constant of an enum or enum64, sign-extended
// from 32 bits for a signed enum as cilium/ebpf does.
func (s *rawSpec) enumValue(t rawType, i int) (string, uint64) {
	if t.kind == rawEnum64 {
		lo, hi := s.u32(t, 3*i+1), s.u32(t, 3*i+2)
		return s.str(s.u32(t, 3*i)), uint64(hi)<<32 | uint64(lo)
	}
	v := s.u32(t, 2*i+1)
	if t.flag {
		return s.str(s.u32(t, 2*i)), uint64(int64(int32(v)))
	}
	return s.str(s.u32(t, 2*i)), uint64(v)
}
