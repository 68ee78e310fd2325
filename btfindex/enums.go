package btfindex

// This file implements enum constants: bpftrace resolves a bare identifier
// such as TCP_ESTABLISHED to the value of a BTF enum constant, so the
// index answers which constants exist and what they are.

import (
	"cmp"
	"slices"
	"strings"

	"go.uber.org/zap"

	"github.com/cilium/ebpf/btf"
)

// EnumConst is one constant of a BTF enum.
type EnumConst struct {
	Name  string `json:"name"`
	Enum  string `json:"enum,omitempty"` // the enum's tag, "" for an anonymous enum
	Value int64  `json:"value"`          // as the enum's signedness reads it
	// Size is the enum's size in bytes (4, or 8 for an enum64).
	Size   uint32 `json:"size"`
	Signed bool   `json:"signed,omitempty"`
}

// EnumConst returns the enum constant called name, from vmlinux or a
// module. Before the on-disk index is ready the first call walks the BTF
// for its enums once (they are few: a fraction of all types).
func (ix *Index) EnumConst(name string) (EnumConst, bool) {
	if ix == nil {
		return EnumConst{}, false
	}
	if t := ix.symbolTable(); t != nil {
		return t.enumConst(name)
	}
	consts := ix.enums()
	i, ok := slices.BinarySearchFunc(consts, name, func(e EnumConst, n string) int { return cmp.Compare(e.Name, n) })
	if !ok {
		return EnumConst{}, false
	}
	return consts[i], true
}

// enums scans the raw BTF for enum constants once, sorted by name. A walk
// of the live cilium/ebpf spec would inflate every kernel type and keep
// them (over 30 MB).
func (ix *Index) enums() []EnumConst {
	ix.enumOnce.Do(func() {
		seen, tags := map[string]bool{}, map[string]bool{}
		var out []EnumConst
		err := eachRawSpec(ix.btfSources(), func(spec *rawSpec, _ string) error {
			for i := range spec.offs {
				t, _ := spec.typ(spec.firstID + uint32(i))
				if t.kind != rawEnum && t.kind != rawEnum64 {
					continue
				}
				enum := strings.Clone(spec.name(t)) // the blob is let go after the scan
				if enum != "" && !tags[enum] {
					tags[enum] = true
					ix.enumTags = append(ix.enumTags, enum)
				}
				for j := range t.vlen {
					name, v := spec.enumValue(t, j)
					if name == "" || seen[name] {
						continue
					}
					name = strings.Clone(name)
					seen[name] = true
					out = append(out, enumConstFrom(name, enum, t.sizeType, t.flag, v))
				}
			}
			return nil
		})
		if err != nil {
			ix.log.Warn("scanning BTF for enum constants", zap.Error(err))
		}
		slices.SortFunc(out, func(a, b EnumConst) int { return cmp.Compare(a.Name, b.Name) })
		ix.enumList = out
		slices.Sort(ix.enumTags)
	})
	return ix.enumList
}

// EnumTag reports whether vmlinux or a module has an enum tagged name
// (tcp_state). Constants are listed under the first enum naming them, so
// the tags are kept apart.
func (ix *Index) EnumTag(name string) bool {
	if ix == nil || name == "" {
		return false
	}
	if t := ix.symbolTable(); t != nil {
		_, ok := t.find(secEnumTags, name)
		return ok
	}
	ix.enums()
	_, ok := slices.BinarySearch(ix.enumTags, name)
	return ok
}

// enumConstOf converts one value of e.
func enumConstOf(e *btf.Enum, v btf.EnumValue) EnumConst {
	return enumConstFrom(v.Name, e.Name, e.Size, e.Signed, v.Value)
}

// enumConstFrom reads value as an enum of size bytes and signedness reads it.
func enumConstFrom(name, enum string, size uint32, signed bool, value uint64) EnumConst {
	val := int64(value)
	if signed && size == 4 {
		val = int64(int32(value))
	} else if !signed && size == 4 {
		val = int64(uint32(value))
	}
	return EnumConst{Name: name, Enum: enum, Value: val, Size: size, Signed: signed}
}

// addEnumConst adds c; a name already in (a module repeating a vmlinux
// enum) keeps its first definition.
func (b *tableBuilder) addEnumConst(c EnumConst) {
	if c.Name == "" {
		return
	}
	s := &b.sections[secEnums]
	name, enum := b.str(c.Name), b.str(c.Enum)
	start := s.begin()
	s.uvarint(uint64(name))
	s.uvarint(uint64(enum))
	s.uvarint(uint64(c.Value))
	s.uvarint(uint64(c.Size))
	s.bool(c.Signed)
	s.end(name, 0, start, true)
}

// addEnumTag adds an enum's tag; anonymous enums have none, and a tag
// already in keeps one entry.
func (b *tableBuilder) addEnumTag(tag string) {
	if tag == "" {
		return
	}
	s := &b.sections[secEnumTags]
	name := b.str(tag)
	start := s.begin()
	s.uvarint(uint64(name))
	s.end(name, 0, start, true)
}

// enumConst finds a stored constant.
func (t *table) enumConst(name string) (EnumConst, bool) {
	i, ok := t.find(secEnums, name)
	if !ok {
		return EnumConst{}, false
	}
	r := reader{b: t.secs[secEnums].entry(i)}
	c := EnumConst{Name: t.str(r.u()), Enum: t.str(r.u()), Value: int64(r.u()), Size: r.u32(), Signed: r.u() != 0}
	return c, !r.bad
}

// enumNames is a sorted constant list as a nameList.
type enumNames []EnumConst

func (s enumNames) Len() int        { return len(s) }
func (s enumNames) At(i int) string { return s[i].Name }
