package btfindex

// This file holds the plain values btfindex answers with. They carry C
// spellings for display and enough structure for the analysis to type-check
// field accesses without importing cilium/ebpf.

// Kind is the kind of a resolved type (typedefs and qualifiers stripped).
type Kind uint8

// Kinds of [Type].
const (
	KindUnknown Kind = iota
	KindVoid
	KindInt // includes bool and char
	KindFloat
	KindEnum
	KindPointer
	KindArray
	KindStruct
	KindUnion
	KindFunc // a function prototype (only ever behind a pointer)
)

// Type describes a C type as BTF or a tracepoint format knows it.
type Type struct {
	C      string `json:"c"`                // C spelling as declared, typedef names kept: "size_t", "struct sock *"
	Kind   Kind   `json:"kind"`             // kind after resolving typedefs and qualifiers
	Size   uint32 `json:"size"`             // bytes; 0 when unknown or void
	Signed bool   `json:"signed,omitempty"` // for KindInt and KindEnum
	Elem   *Type  `json:"elem,omitempty"`   // pointee for KindPointer, element for KindArray
	Len    uint32 `json:"len,omitempty"`    // element count for KindArray
	Record string `json:"record,omitempty"` // struct or union name for KindStruct/KindUnion ("" when anonymous)
}

// Param is one parameter of a kernel function.
type Param struct {
	Name string `json:"name"`
	Type Type   `json:"type"`
}

// Traceable says whether a function can be attached to.
type Traceable uint8

// States of [Traceable]. Unknown means available_filter_functions was not
// readable, so only BTF was consulted.
const (
	TraceUnknown Traceable = iota
	TraceYes
	TraceNo
)

// Func is a kernel (or module) function with its prototype.
type Func struct {
	Name      string    `json:"name"`
	Module    string    `json:"module,omitempty"` // "" for vmlinux
	Return    Type      `json:"return"`
	Params    []Param   `json:"params"`
	Variadic  bool      `json:"variadic,omitempty"` // the prototype ends in "..."
	Traceable Traceable `json:"traceable"`
}

// Member is a field of a struct or union, flattened through anonymous
// members so that its Offset is from the start of the outer record.
type Member struct {
	Name      string `json:"name"`
	Type      Type   `json:"type"`
	Offset    uint32 `json:"offset"`               // bytes from the start of the record
	BitOffset uint32 `json:"bit_offset,omitempty"` // bit offset within the byte at Offset, for bitfields
	BitSize   uint32 `json:"bit_size,omitempty"`   // 0 unless a bitfield
}

// Record is a struct or a union.
type Record struct {
	Name    string   `json:"name"`
	Union   bool     `json:"union,omitempty"`
	Size    uint32   `json:"size"`
	Members []Member `json:"members"`
}

// Field finds a member by name.
func (r *Record) Field(name string) (Member, bool) {
	for _, m := range r.Members {
		if m.Name == name {
			return m, true
		}
	}
	return Member{}, false
}

// TracepointField is one field of a tracepoint's format (common_* fields are
// left out: bpftrace does not expose them through args).
type TracepointField struct {
	Name   string `json:"name"`
	Type   Type   `json:"type"` // C from the format file; Kind and Size derived from it
	Offset uint32 `json:"offset"`
	Size   uint32 `json:"size"`
	Signed bool   `json:"signed,omitempty"`
}

// Tracepoint is category:event with its format.
type Tracepoint struct {
	Category string            `json:"category"`
	Event    string            `json:"event"`
	Fields   []TracepointField `json:"fields"`
}

// NameKind selects the namespace of a listing.
type NameKind uint8

// Namespaces for [Index.Match] and [Index.Complete].
const (
	NameFunc       NameKind = iota // kernel functions
	NameRecord                     // struct and union names
	NameTracepoint                 // "category:event"
	NameTypedef
	// NameSymbol lists kernel function symbols (kallsyms or
	// available_filter_functions), what kprobes attach to; a name in a
	// module is listed once per module.
	NameSymbol
	// NameEnumConst lists BTF enum constants (TCP_ESTABLISHED), which
	// bpftrace takes as bare identifiers.
	NameEnumConst
	// NameEnum lists the tags of BTF enums (tcp_state), each once.
	NameEnum
)
