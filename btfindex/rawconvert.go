package btfindex

// This file implements the conversion of raw BTF types into [Type], [Func]
// and [Record] for the index build. It gives the same results as the
// cilium/ebpf based conversion of convert.go and record.go, which the live
// lookups use; TestRawBuildMatchesCilium holds the two together.

import (
	"strconv"
	"strings"
)

// rawNone stands for "no type" where cilium/ebpf would give nil: a chain of
// qualifiers or typedefs deeper than maxTypeDepth.
const rawNone = ^uint32(0)

func (s *rawSpec) convertType(id uint32) Type { return s.convertDepth(id, 0) }

func (s *rawSpec) convertDepth(id uint32, depth int) Type {
	out := Type{C: s.declare(id, "", 0)}
	if depth > maxTypeDepth {
		return out
	}
	t, ok := s.typ(s.underlying(id))
	if !ok {
		out.Kind = KindVoid
		return out
	}
	switch t.kind {
	case rawInt:
		enc := s.u32(t, 0) >> 24 & 0xf
		out.Kind, out.Size = KindInt, t.sizeType
		out.Signed = enc&rawIntSigned != 0 || enc == rawIntChar
	case rawFloat:
		out.Kind, out.Size = KindFloat, t.sizeType
	case rawEnum, rawEnum64:
		out.Kind, out.Size, out.Signed = KindEnum, t.sizeType, t.flag
	case rawPtr:
		out.Kind, out.Size = KindPointer, 8
		elem := s.convertDepth(t.sizeType, depth+1)
		out.Elem = &elem
	case rawArray:
		n := s.u32(t, 2)
		out.Kind, out.Len = KindArray, n
		elem := s.convertDepth(s.u32(t, 0), depth+1)
		out.Elem = &elem
		out.Size = elem.Size * n
	case rawStruct:
		out.Kind, out.Size, out.Record = KindStruct, t.sizeType, s.name(t)
	case rawUnion:
		out.Kind, out.Size, out.Record = KindUnion, t.sizeType, s.name(t)
	case rawFwd:
		out.Kind, out.Record = KindStruct, s.name(t)
		if t.flag {
			out.Kind = KindUnion
		}
	case rawFuncProto:
		out.Kind = KindFunc
	}
	return out
}

// isQualifier says whether kind only qualifies or tags the type it refers to.
func isQualifier(kind uint32) bool {
	return kind == rawConst || kind == rawVolatile || kind == rawRestrict || kind == rawTypeTag
}

// qualified strips qualifiers and tags but keeps typedefs.
func (s *rawSpec) qualified(id uint32) uint32 {
	for range maxTypeDepth {
		t, ok := s.typ(id)
		if !ok || !isQualifier(t.kind) {
			return id
		}
		id = t.sizeType
	}
	return id
}

// underlying strips typedefs, qualifiers and tags, with a depth bound.
func (s *rawSpec) underlying(id uint32) uint32 {
	for range maxTypeDepth {
		id = s.qualified(id)
		t, ok := s.typ(id)
		if !ok || t.kind != rawTypedef {
			return id
		}
		id = t.sizeType
	}
	return rawNone
}

// kindOf is id's kind, 0 for void.
func (s *rawSpec) kindOf(id uint32) uint32 {
	t, _ := s.typ(id)
	return t.kind
}

// declare spells id as a C declaration of inner (see cSpelling).
func (s *rawSpec) declare(id uint32, inner string, depth int) string {
	if depth > maxTypeDepth {
		return joinDecl("?", inner)
	}
	t, ok := s.typ(id)
	if !ok {
		return joinDecl("void", inner)
	}
	switch t.kind {
	case rawPtr:
		switch s.kindOf(s.qualified(t.sizeType)) {
		case rawArray, rawFuncProto:
			return s.declare(t.sizeType, "(*"+inner+")", depth+1)
		}
		return s.declare(t.sizeType, "*"+inner, depth+1)
	case rawArray:
		return s.declare(s.u32(t, 0), inner+"["+strconv.FormatUint(uint64(s.u32(t, 2)), 10)+"]", depth+1)
	case rawFuncProto:
		return s.declare(t.sizeType, inner+"("+s.paramList(t, depth)+")", depth+1)
	case rawConst:
		return s.qualify("const", t.sizeType, inner, depth)
	case rawVolatile:
		return s.qualify("volatile", t.sizeType, inner, depth)
	case rawRestrict:
		return s.qualify("restrict", t.sizeType, inner, depth)
	case rawTypeTag:
		return s.declare(t.sizeType, inner, depth+1)
	}
	return joinDecl(s.baseName(t), inner)
}

func (s *rawSpec) qualify(q string, target uint32, inner string, depth int) string {
	if s.kindOf(s.qualified(target)) == rawPtr {
		return s.declare(target, strings.TrimSpace(q+" "+inner), depth+1)
	}
	return q + " " + s.declare(target, inner, depth+1)
}

func (s *rawSpec) paramList(proto rawType, depth int) string {
	if proto.vlen == 0 {
		return "void"
	}
	parts := make([]string, proto.vlen)
	for i := range parts {
		p := s.member(proto, i)
		if p.typ == 0 && i == proto.vlen-1 && i > 0 {
			parts[i] = "..."
			continue
		}
		parts[i] = s.declare(p.typ, "", depth+1)
	}
	return strings.Join(parts, ", ")
}

// baseName spells a type that has no declarator of its own.
func (s *rawSpec) baseName(t rawType) string {
	switch t.kind {
	case rawStruct:
		return tagged("struct", s.name(t))
	case rawUnion:
		return tagged("union", s.name(t))
	case rawEnum, rawEnum64:
		return tagged("enum", s.name(t))
	case rawFwd:
		if t.flag {
			return tagged("union", s.name(t))
		}
		return tagged("struct", s.name(t))
	}
	if name := s.name(t); name != "" {
		return name
	}
	return "?"
}

// convertFunc turns a BTF function into a [Func] (see convertFunc).
func (s *rawSpec) convertFunc(fn rawType, module string) *Func {
	out := &Func{Name: s.name(fn), Module: module}
	proto, ok := s.typ(fn.sizeType)
	if !ok || proto.kind != rawFuncProto {
		out.Return = Type{C: "void", Kind: KindVoid}
		return out
	}
	out.Return = s.convertType(proto.sizeType)
	for i := range proto.vlen {
		p := s.member(proto, i)
		if p.typ == 0 && p.name == "" {
			out.Variadic = true
			continue
		}
		out.Params = append(out.Params, Param{Name: p.name, Type: s.convertType(p.typ)})
	}
	return out
}

// convertRecord turns a struct or union into a [Record] (see convertRecord).
func (s *rawSpec) convertRecord(t rawType) *Record {
	out := Record{Name: s.name(t), Size: t.sizeType, Union: t.kind == rawUnion}
	out.Members = s.flattenMembers(t, 0, nil, 0)
	return &out
}

// flattenMembers appends t's members to out, descending into anonymous
// structs and unions (see flattenMembers).
func (s *rawSpec) flattenMembers(t rawType, base uint32, out []Member, depth int) []Member {
	for i := range t.vlen {
		m := s.member(t, i)
		off, bits := m.offset, uint32(0)
		if t.flag {
			off, bits = off&0xffffff, off>>24
		} else if it, ok := s.typ(m.typ); ok && it.kind == rawInt {
			// A bitfield spelt the old way, in the int type.
			enc := s.u32(it, 0)
			if io, ib := enc>>16&0xff, enc&0xff; io > 0 || ib/8 != it.sizeType {
				off, bits = off+io, ib
			}
		}
		off += base
		if m.name == "" && depth < maxTypeDepth {
			if u, ok := s.typ(s.underlying(m.typ)); ok && (u.kind == rawStruct || u.kind == rawUnion) {
				out = s.flattenMembers(u, off, out, depth+1)
				continue
			}
		}
		out = append(out, Member{
			Name:      m.name,
			Type:      s.convertType(m.typ),
			Offset:    off / 8,
			BitOffset: off % 8,
			BitSize:   bits,
		})
	}
	return out
}
