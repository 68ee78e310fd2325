package analysis

// This file implements the value types the checks infer: just enough of
// bpftrace's type system to catch what users get wrong (strings compared
// with integers, fields of non-structs, '.' on pointers in old versions).
// Anything the analysis cannot know is tyUnknown, which every check accepts.

import (
	"strconv"
	"strings"

	"github.com/bpfls/bpfls/analysis/syntax"
	"github.com/bpfls/bpfls/btfindex"
)

// tyKind is the kind of a [ty].
type tyKind uint8

const (
	tyUnknown tyKind = iota // not known: no check fires on it
	tyVoid
	tyInt
	tyBool
	tyString  // string, and what printf prints with %s (symbols, stacks, inet…)
	tyBuffer  // buf(): printed with %r
	tyPointer // Elem is the pointee
	tyArray   // Elem, Len
	tyRecord  // struct/union (Name), or the args record (Fields)
	tyTuple   // Elems
	tyAgg     // an aggregate map value: count_t, hist_t, …
	tyNone    // an aggregate-only function result used as a value
)

// ty is an inferred type. Values are small and compared by [ty.same].
type ty struct {
	Kind   tyKind
	Size   uint32 // bytes, for ints
	Signed bool
	Name   string // record name ("sock"), aggregate ("count_t") or special ("ksym_t")
	Union  bool
	Elem   *ty
	Len    uint32
	Elems  []ty
	Fields []tyField // known fields of an anonymous record (args, records)
	// Args marks the args builtin's record, whose fields come from the
	// probe context.
	Args bool
	// Char marks C's plain char (not signed or unsigned char, nor a
	// typedef), whose arrays bpftrace's C front end reads as strings.
	Char bool
}

// tyField is a named field of a record whose layout the analysis knows
// without the kernel (args, record literals).
type tyField struct {
	Name string
	Type ty
}

var (
	unknownTy = ty{}
	int64Ty   = ty{Kind: tyInt, Size: 8, Signed: true}
	uint64Ty  = ty{Kind: tyInt, Size: 8}
	uint32Ty  = ty{Kind: tyInt, Size: 4}
	boolTy    = ty{Kind: tyBool, Size: 1}
	stringTy  = ty{Kind: tyString}
	voidTy    = ty{Kind: tyVoid}
)

// ptrTo is a pointer to t.
func ptrTo(t ty) ty { return ty{Kind: tyPointer, Size: 8, Elem: &t} }

// recordTy is "struct name" (or "union name").
func recordTy(name string, union bool) ty { return ty{Kind: tyRecord, Name: name, Union: union} }

// String renders t the way users write types; "" is never returned.
func (t ty) String() string {
	switch t.Kind {
	case tyVoid:
		return "void"
	case tyInt:
		if t.Name != "" {
			return t.Name // an enum
		}
		if t.Size == 0 {
			return "int"
		}
		s := "int" + strconv.Itoa(int(t.Size)*8)
		if !t.Signed {
			s = "u" + s
		}
		return s
	case tyBool:
		return "bool"
	case tyString:
		if t.Name != "" {
			return t.Name
		}
		return "string"
	case tyBuffer:
		return "buffer"
	case tyPointer:
		return t.Elem.String() + " *"
	case tyArray:
		return t.Elem.String() + "[" + strconv.Itoa(int(t.Len)) + "]"
	case tyRecord:
		return t.recordString()
	case tyTuple:
		parts := make([]string, len(t.Elems))
		for i, e := range t.Elems {
			parts[i] = e.String()
		}
		return "(" + strings.Join(parts, ", ") + ")"
	case tyAgg, tyNone:
		return t.Name
	}
	return "unknown"
}

func (t ty) recordString() string {
	switch {
	case t.Args:
		return "args"
	case t.Name == "" && len(t.Fields) > 0:
		parts := make([]string, len(t.Fields))
		for i, f := range t.Fields {
			parts[i] = f.Name + " = " + f.Type.String()
		}
		return "(" + strings.Join(parts, ", ") + ")"
	case t.Union:
		return "union " + t.Name
	}
	return "struct " + t.Name
}

// known reports whether checks may rely on t.
func (t ty) known() bool { return t.Kind != tyUnknown }

// isInt reports whether t is used as an integer: ints, bools, and (for
// arithmetic and printf) pointers.
func (t ty) isInt() bool { return t.Kind == tyInt || t.Kind == tyBool }

// isIntOnly reports whether t is an integer, not a bool.
func (t ty) isIntOnly() bool { return t.Kind == tyInt && t.Size > 0 }

// isIntLike adds pointers, which bpftrace prints and compares as integers.
func (t ty) isIntLike() bool { return t.isInt() || t.Kind == tyPointer }

// isStringLike reports whether printf's %s accepts t: strings, symbols,
// stacks, and char arrays.
func (t ty) isStringLike() bool {
	return t.Kind == tyString || t.Kind == tyArray && t.Elem != nil && t.Elem.Kind == tyInt && t.Elem.Size == 1
}

// compatible reports whether a value of type v may be stored where a value
// of type t was stored before: integers widen, strings of any length mix,
// unknown matches anything.
func compatible(t, v ty) bool {
	if !t.known() || !v.known() {
		return true
	}
	switch {
	case t.isInt() && v.isInt():
		return true
	case t.isStringLike() && v.isStringLike():
		return true
	case t.Kind == tyPointer && v.Kind == tyPointer:
		return true // bpftrace casts freely between pointers
	case t.Kind != v.Kind:
		return false
	case t.Kind == tyTuple:
		if len(t.Elems) != len(v.Elems) {
			return false
		}
		for i := range t.Elems {
			if !compatible(t.Elems[i], v.Elems[i]) {
				return false
			}
		}
		return true
	case t.Kind == tyRecord, t.Kind == tyAgg:
		return t.Name == v.Name
	}
	return true
}

// arraysMatch reports whether two types that are both arrays other than
// char arrays have one length and one element type, as every bpftrace
// wants of the values (and keys) of one map ("Array type mismatch:
// int32[2] != int32[4]"); other types match.
func arraysMatch(t, v ty) bool {
	if t.Kind != tyArray || v.Kind != tyArray || t.isStringLike() && v.isStringLike() {
		return true
	}
	if t.Len != v.Len || t.Elem == nil || v.Elem == nil {
		return t.Len == v.Len
	}
	a, b := *t.Elem, *v.Elem
	if !a.known() || !b.known() {
		return true
	}
	return a.Kind == b.Kind && a.Size == b.Size && a.Signed == b.Signed && a.Name == b.Name && arraysMatch(a, b)
}

// kindWord names t's kind for messages: "integer", "string", "pointer".
func (t ty) kindWord() string {
	switch t.Kind {
	case tyInt, tyBool:
		return "integer"
	case tyString:
		return "string"
	case tyPointer:
		return "pointer"
	case tyRecord:
		return "struct"
	case tyTuple:
		return "tuple"
	case tyAgg:
		return "aggregate"
	}
	return t.String()
}

// fromBTF converts a kernel type. Pointee chains in btfindex are finite, so
// the recursion ends.
// qualifiers removes the qualifiers from a C type's spelling. It is made
// once: a Replacer builds its tables on first use, which cost more than
// most replacements.
var qualifiers = strings.NewReplacer("const", "", "volatile", "")

func fromBTF(bt *btfindex.Type) ty {
	if bt == nil {
		return unknownTy
	}
	switch bt.Kind {
	case btfindex.KindVoid:
		return voidTy
	case btfindex.KindInt, btfindex.KindEnum:
		c := strings.TrimSpace(qualifiers.Replace(bt.C))
		return ty{Kind: tyInt, Size: bt.Size, Signed: bt.Signed, Char: c == "char"}
	case btfindex.KindPointer:
		if bt.Elem == nil {
			return ptrTo(voidTy)
		}
		return ptrTo(fromBTF(bt.Elem))
	case btfindex.KindArray:
		e := fromBTF(bt.Elem)
		return ty{Kind: tyArray, Elem: &e, Len: bt.Len, Size: bt.Size}
	case btfindex.KindStruct, btfindex.KindUnion:
		return recordTy(bt.Record, bt.Kind == btfindex.KindUnion)
	case btfindex.KindFunc:
		return ty{Kind: tyVoid, Name: "func"}
	}
	return unknownTy
}

// builtinTypeNames are the type names casts and annotations accept without
// the kernel, with their types.
var builtinTypeNames = map[string]ty{
	"int8": {Kind: tyInt, Size: 1, Signed: true}, "int16": {Kind: tyInt, Size: 2, Signed: true},
	"int32": {Kind: tyInt, Size: 4, Signed: true}, "int64": int64Ty,
	"uint8": {Kind: tyInt, Size: 1}, "uint16": {Kind: tyInt, Size: 2},
	"uint32": uint32Ty, "uint64": uint64Ty,
	"bool": boolTy, "void": voidTy, "string": stringTy, "buffer": {Kind: tyBuffer},
	"inet": {Kind: tyString, Name: "inet"}, "timestamp": {Kind: tyString, Name: "timestamp"},
	"macaddr_t": {Kind: tyString, Name: "macaddr_t"}, "cgroup_path_t": {Kind: tyString, Name: "cgroup_path_t"},
	"username_t": {Kind: tyString, Name: "username_t"},
}

// cTypeNames are C's base types, which BTF has as plain integers rather
// than typedefs.
var cTypeNames = map[string]ty{
	"char": {Kind: tyInt, Size: 1, Signed: true}, "short": {Kind: tyInt, Size: 2, Signed: true},
	"int": {Kind: tyInt, Size: 4, Signed: true}, "long": int64Ty, "unsigned": {Kind: tyInt, Size: 4},
	"signed": {Kind: tyInt, Size: 4, Signed: true}, "_Bool": boolTy,
}

// resultTypes maps the result words of builtins.tsv signatures to types.
var resultTypes = map[string]ty{
	"uint64": uint64Ty, "uint32": uint32Ty, "int64": int64Ty, "int": int64Ty, "uint8": {Kind: tyInt, Size: 1},
	"bool": boolTy, "void": voidTy, "string": stringTy, "string/username_t": stringTy,
	"buffer": {Kind: tyBuffer}, "inet": {Kind: tyString, Name: "inet"},
	"timestamp": {Kind: tyString, Name: "timestamp"}, "ksym_t": {Kind: tyString, Name: "ksym_t"},
	"usym_t": {Kind: tyString, Name: "usym_t"}, "ksym_t/usym_t": {Kind: tyString, Name: "ksym_t"},
	"kstack_t": {Kind: tyString, Name: "kstack_t"}, "ustack_t": {Kind: tyString, Name: "ustack_t"},
	"cgroup_path_t": {Kind: tyString, Name: "cgroup_path_t"}, "macaddr_t": {Kind: tyString, Name: "macaddr_t"},
	"struct task_struct*": ptrTo(recordTy("task_struct", false)), "uint64*": ptrTo(uint64Ty),
	"char*": ptrTo(ty{Kind: tyInt, Size: 1, Signed: true}),
}

// builtinResult is the type of a builtin's value (bare or called) in
// version v.
func builtinResult(b *Builtin, v syntax.Version) ty {
	if b.Kind == BuiltinMapFunc {
		return ty{Kind: tyAgg, Name: b.Name + "_t"}
	}
	switch b.Name {
	case "argN", "sargN", "$#", "nsecs":
		return uint64Ty // nsecs is a "timestamp" only for printing
	case "$N":
		return unknownTy // int or string by use
	case "pid", "tid", "cpu", "rand", "numaid", "cpid":
		switch {
		case !v.AtLeast(syntax.V0_22): // uint64 variables until 0.22
			return uint64Ty
		case b.Name == "cpu" || b.Name == "rand" || b.Name == "numaid":
			// uint32 by the docs, but every compiler types them uint64
			// (0.24.2 refuses "$x = tid; $x = cpu": "Integer size mismatch").
			return uint64Ty
		case b.Name == "cpid" && v.AtLeast(syntax.V0_25):
			return uint64Ty
		}
	case "strcontains":
		if !v.AtLeast(syntax.V0_24) { // bool since 0.24
			return int64Ty
		}
	}
	if t, ok := resultTypes[b.Result]; ok {
		return t
	}
	return unknownTy
}
