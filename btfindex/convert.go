package btfindex

// This file implements the conversion of cilium/ebpf BTF types into the
// plain [Type] values btfindex answers with, including their C spelling.

import (
	"strconv"
	"strings"

	"github.com/cilium/ebpf/btf"
)

// maxTypeDepth bounds recursion through qualifiers, typedefs, pointers and
// arrays; real kernels stay far below it, a corrupt BTF blob must not hang us.
const maxTypeDepth = 64

// convertType turns a BTF type into a [Type]. Structs and unions are not
// expanded (only named), so the result is finite even for recursive types.
func convertType(t btf.Type) Type {
	return convertDepth(t, 0)
}

func convertDepth(t btf.Type, depth int) Type {
	out := Type{C: cSpelling(t, "")}
	if depth > maxTypeDepth {
		return out
	}
	switch u := underlying(t).(type) {
	case nil, *btf.Void:
		out.Kind = KindVoid
	case *btf.Int:
		out.Kind, out.Size = KindInt, u.Size
		out.Signed = u.Encoding&btf.Signed != 0 || u.Encoding == btf.Char
	case *btf.Float:
		out.Kind, out.Size = KindFloat, u.Size
	case *btf.Enum:
		out.Kind, out.Size, out.Signed = KindEnum, u.Size, u.Signed
	case *btf.Pointer:
		out.Kind, out.Size = KindPointer, 8
		elem := convertDepth(u.Target, depth+1)
		out.Elem = &elem
	case *btf.Array:
		out.Kind, out.Len = KindArray, u.Nelems
		elem := convertDepth(u.Type, depth+1)
		out.Elem = &elem
		out.Size = elem.Size * u.Nelems
	case *btf.Struct:
		out.Kind, out.Size, out.Record = KindStruct, u.Size, u.Name
	case *btf.Union:
		out.Kind, out.Size, out.Record = KindUnion, u.Size, u.Name
	case *btf.Fwd:
		out.Kind, out.Record = KindStruct, u.Name
		if u.Kind == btf.FwdUnion {
			out.Kind = KindUnion
		}
	case *btf.FuncProto:
		out.Kind = KindFunc
	}
	return out
}

// underlying strips typedefs, qualifiers and type tags, with a depth bound.
func underlying(t btf.Type) btf.Type {
	for range maxTypeDepth {
		t = qualified(t)
		td, ok := t.(*btf.Typedef)
		if !ok {
			return t
		}
		t = td.Type
	}
	return nil
}

// cSpelling spells t as a C declaration of name (name may be empty for an
// abstract declarator): cSpelling(ptr to struct sock, "sk") is
// "struct sock *sk", and a pointer to a function prototype without a name
// is "void (*)(struct sk_buff *)".
func cSpelling(t btf.Type, name string) string {
	return declare(t, name, 0)
}

func declare(t btf.Type, inner string, depth int) string {
	if depth > maxTypeDepth {
		return joinDecl("?", inner)
	}
	switch u := t.(type) {
	case nil, *btf.Void:
		return joinDecl("void", inner)
	case *btf.Pointer:
		switch qualified(u.Target).(type) {
		case *btf.Array, *btf.FuncProto:
			return declare(u.Target, "(*"+inner+")", depth+1)
		}
		return declare(u.Target, "*"+inner, depth+1)
	case *btf.Array:
		return declare(u.Type, inner+"["+strconv.FormatUint(uint64(u.Nelems), 10)+"]", depth+1)
	case *btf.FuncProto:
		return declare(u.Return, inner+"("+paramList(u.Params, depth)+")", depth+1)
	case *btf.Const:
		return qualify("const", u.Type, inner, depth)
	case *btf.Volatile:
		return qualify("volatile", u.Type, inner, depth)
	case *btf.Restrict:
		return qualify("restrict", u.Type, inner, depth)
	case *btf.TypeTag:
		return declare(u.Type, inner, depth+1) // __user and friends are not C types
	}
	return joinDecl(baseName(t), inner)
}

// qualify places a qualifier before a base type ("const char *") and after
// the star when it applies to a pointer itself ("char *const p").
func qualify(q string, target btf.Type, inner string, depth int) string {
	if _, ok := qualified(target).(*btf.Pointer); ok {
		return declare(target, strings.TrimSpace(q+" "+inner), depth+1)
	}
	return q + " " + declare(target, inner, depth+1)
}

// qualified strips qualifiers and tags but keeps typedefs.
func qualified(t btf.Type) btf.Type {
	for range maxTypeDepth {
		switch u := t.(type) {
		case *btf.Const:
			t = u.Type
		case *btf.Volatile:
			t = u.Type
		case *btf.Restrict:
			t = u.Type
		case *btf.TypeTag:
			t = u.Type
		default:
			return t
		}
	}
	return t
}

func paramList(params []btf.FuncParam, depth int) string {
	if len(params) == 0 {
		return "void"
	}
	parts := make([]string, len(params))
	for i, p := range params {
		if _, void := p.Type.(*btf.Void); void && i == len(params)-1 && i > 0 {
			parts[i] = "..."
			continue
		}
		parts[i] = declare(p.Type, "", depth+1)
	}
	return strings.Join(parts, ", ")
}

// baseName spells a type that has no declarator of its own.
func baseName(t btf.Type) string {
	switch u := t.(type) {
	case *btf.Struct:
		return tagged("struct", u.Name)
	case *btf.Union:
		return tagged("union", u.Name)
	case *btf.Enum:
		return tagged("enum", u.Name)
	case *btf.Fwd:
		if u.Kind == btf.FwdUnion {
			return tagged("union", u.Name)
		}
		return tagged("struct", u.Name)
	}
	if name := t.TypeName(); name != "" {
		return name
	}
	return "?"
}

func tagged(tag, name string) string {
	if name == "" {
		return tag + " {...}"
	}
	return tag + " " + name
}

// joinDecl puts a base type and a declarator together: "char" and "*p"
// become "char *p", "void" and "" stay "void".
func joinDecl(base, inner string) string {
	if inner == "" {
		return base
	}
	return base + " " + inner
}
