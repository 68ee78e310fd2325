package btfindex

// This file implements enum constants: bpftrace resolves a bare identifier
// such as TCP_ESTABLISHED to the value of a BTF enum constant, so the
// index answers which constants exist and what they are.

import (
	"cmp"
	"slices"

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

// enums walks the live BTF for enum constants once, sorted by name.
func (ix *Index) enums() []EnumConst {
	ix.enumOnce.Do(func() {
		spec, err := ix.live.vmlinux()
		if err != nil {
			return
		}
		seen := map[string]bool{}
		var out []EnumConst
		add := func(e *btf.Enum) {
			for _, v := range e.Values {
				if !seen[v.Name] && v.Name != "" {
					seen[v.Name] = true
					out = append(out, enumConstOf(e, v))
				}
			}
		}
		walkEnums(spec, add)
		for _, m := range ix.live.loadModules() {
			walkEnums(m.spec, add)
		}
		slices.SortFunc(out, func(a, b EnumConst) int { return cmp.Compare(a.Name, b.Name) })
		ix.enumList = out
	})
	return ix.enumList
}

// walkEnums calls add for each enum of spec.
func walkEnums(spec *btf.Spec, add func(*btf.Enum)) {
	for t, err := range spec.All() {
		if err != nil {
			return
		}
		if e, ok := t.(*btf.Enum); ok {
			add(e)
		}
	}
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
