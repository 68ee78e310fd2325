package btfindex

// This file implements the conversion of BTF functions and records
// (structs, unions) into [Func] and [Record], flattening anonymous members.

import (
	"strings"

	"github.com/cilium/ebpf/btf"
)

// convertFunc turns a BTF function into a [Func]. Traceable is left for the
// caller, which knows whether available_filter_functions was readable.
func convertFunc(fn *btf.Func, module string) *Func {
	out := &Func{Name: fn.Name, Module: module}
	proto, ok := fn.Type.(*btf.FuncProto)
	if !ok {
		out.Return = Type{C: "void", Kind: KindVoid}
		return out
	}
	out.Return = convertType(proto.Return)
	for _, p := range proto.Params {
		if _, void := p.Type.(*btf.Void); void && p.Name == "" {
			out.Variadic = true // BTF spells "..." as a last nameless void parameter
			continue
		}
		out.Params = append(out.Params, Param{Name: p.Name, Type: convertType(p.Type)})
	}
	return out
}

// convertRecord turns a *btf.Struct or *btf.Union into a [Record]. It
// returns nil for any other type.
func convertRecord(t btf.Type) *Record {
	var out Record
	var members []btf.Member
	switch u := t.(type) {
	case *btf.Struct:
		out = Record{Name: u.Name, Size: u.Size}
		members = u.Members
	case *btf.Union:
		out = Record{Name: u.Name, Size: u.Size, Union: true}
		members = u.Members
	default:
		return nil
	}
	out.Members = flattenMembers(members, 0, nil, 0)
	return &out
}

// flattenMembers appends members to out, descending into anonymous struct
// and union members (whose fields bpftrace lets scripts name directly) and
// adding their offset.
func flattenMembers(members []btf.Member, base btf.Bits, out []Member, depth int) []Member {
	for _, m := range members {
		off := base + m.Offset
		if m.Name == "" && depth < maxTypeDepth {
			switch u := underlying(m.Type).(type) {
			case *btf.Struct:
				out = flattenMembers(u.Members, off, out, depth+1)
				continue
			case *btf.Union:
				out = flattenMembers(u.Members, off, out, depth+1)
				continue
			}
		}
		out = append(out, Member{
			Name:      m.Name,
			Type:      convertType(m.Type),
			Offset:    uint32(off / 8),
			BitOffset: uint32(off % 8),
			BitSize:   uint32(m.BitfieldSize),
		})
	}
	return out
}

// recordName strips an optional "struct " or "union " from a record name,
// so that callers may pass either spelling.
func recordName(name string) (bare string, wantUnion, wantStruct bool) {
	if s, ok := strings.CutPrefix(name, "struct "); ok {
		return strings.TrimSpace(s), false, true
	}
	if s, ok := strings.CutPrefix(name, "union "); ok {
		return strings.TrimSpace(s), true, false
	}
	return name, false, false
}
