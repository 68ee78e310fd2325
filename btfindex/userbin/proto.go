package userbin

// This file implements decoding function prototypes and structs from the
// DWARF [Binary.LoadDebug] indexed, spelt in C.

import (
	"debug/dwarf"
	"fmt"
	"strings"

	"github.com/bpfls/bpfls/btfindex"
)

// Param is one parameter of a function.
type Param struct {
	Name string // "" when DWARF has none
	Type string // C spelling: "const char *", "struct point *"
	Size int64  // bytes, -1 when unknown
	// Struct names the struct or union the type is or points to
	// ("struct point"), for field access; "" otherwise.
	Struct string
	// Typed is the type in the kernel index's model, so user-space args
	// type-check like kernel ones.
	Typed btfindex.Type
}

// Prototype is a function's signature from DWARF.
type Prototype struct {
	Name string
	// DWARFName is the name DWARF gives the function when Name is an alias
	// of it (glibc's malloc is __libc_malloc); "" otherwise. bpftrace looks
	// DWARF up by the attach point's name, so it reads no args for aliases.
	DWARFName string
	Return    Param // Name is ""; Type "void" for none
	Params    []Param
	Variadic  bool
	File      string // the compile unit's source file, when known
}

// String spells the prototype in C: "void *malloc(size_t bytes)".
func (p *Prototype) String() string {
	var b strings.Builder
	b.WriteString(p.Return.Type)
	if !strings.HasSuffix(p.Return.Type, "*") {
		b.WriteByte(' ')
	}
	b.WriteString(p.Name)
	b.WriteByte('(')
	for i, a := range p.Params {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(a.Type)
		if a.Name != "" {
			if !strings.HasSuffix(a.Type, "*") {
				b.WriteByte(' ')
			}
			b.WriteString(a.Name)
		}
	}
	if p.Variadic {
		if len(p.Params) > 0 {
			b.WriteString(", ")
		}
		b.WriteString("...")
	} else if len(p.Params) == 0 {
		b.WriteString("void")
	}
	b.WriteByte(')')
	return b.String()
}

// Prototype returns the DWARF prototype of a function by name or linkage
// name. ok is false before the debug info is loaded, without debug info,
// and for a name DWARF does not describe.
func (b *Binary) Prototype(name string) (*Prototype, bool) {
	if !b.DebugLoaded() || b.debug.data == nil {
		return nil, false
	}
	ref, ok := b.debug.funcs[name]
	alias := !ok
	if !ok {
		// An alias (glibc's malloc is __libc_malloc in DWARF) shares the
		// start address of the function DWARF describes.
		f, found := b.Func(name)
		if ref, ok = b.debug.byPC[f.Addr]; !found || !ok || f.Addr == 0 {
			return nil, false
		}
	}
	b.debug.mu.Lock()
	defer b.debug.mu.Unlock()
	if p, ok := b.debug.protos[name]; ok {
		return p, p != nil
	}
	p, err := decodePrototype(b.debug.data, ref.off)
	if err != nil {
		p = nil
	} else {
		p.File = ref.file
		if alias {
			p.DWARFName, p.Name = p.Name, name
		}
	}
	if b.debug.protos == nil {
		b.debug.protos = map[string]*Prototype{}
	}
	b.debug.protos[name] = p
	return p, p != nil
}

// decodePrototype reads the subprogram at off and its parameters.
func decodePrototype(d *dwarf.Data, off dwarf.Offset) (*Prototype, error) {
	r := d.Reader()
	r.Seek(off)
	e, err := r.Next()
	if err != nil || e == nil || e.Tag != dwarf.TagSubprogram {
		return nil, fmt.Errorf("no subprogram at %#x", off)
	}
	p := &Prototype{Return: Param{Type: "void", Size: 0}}
	p.Name, _ = attr(d, e, dwarf.AttrName).(string)
	if t, ok := attr(d, e, dwarf.AttrType).(dwarf.Offset); ok {
		p.Return = param(d, "", t)
	}
	if !e.Children {
		return p, nil
	}
	for {
		c, err := r.Next()
		if err != nil {
			return nil, err
		}
		if c == nil || c.Tag == 0 {
			break
		}
		switch c.Tag {
		case dwarf.TagFormalParameter:
			name, _ := attr(d, c, dwarf.AttrName).(string)
			t, _ := attr(d, c, dwarf.AttrType).(dwarf.Offset)
			p.Params = append(p.Params, param(d, name, t))
		case dwarf.TagUnspecifiedParameters:
			p.Variadic = true
		}
		if c.Children {
			r.SkipChildren()
		}
	}
	return p, nil
}

// attr is e's attribute a, or that of the declaration or abstract instance
// e refers to.
func attr(d *dwarf.Data, e *dwarf.Entry, a dwarf.Attr) any {
	for hop := 0; hop < 3 && e != nil; hop++ {
		if v := e.Val(a); v != nil {
			return v
		}
		e = origin(d, e)
	}
	return nil
}

// param decodes one typed value.
func param(d *dwarf.Data, name string, off dwarf.Offset) Param {
	t, err := d.Type(off)
	if err != nil {
		return Param{Name: name, Type: "?", Size: -1}
	}
	return Param{Name: name, Type: cType(t), Size: t.Size(), Struct: structOf(t), Typed: typed(t, 0)}
}

// typed converts a DWARF type to the kernel index's model; depth bounds
// pointer chains (a self-referential type ends in KindUnknown).
func typed(t dwarf.Type, depth int) btfindex.Type {
	if t == nil {
		return btfindex.Type{C: "void", Kind: btfindex.KindVoid}
	}
	out := btfindex.Type{C: cType(t)}
	if sz := t.Size(); sz > 0 && sz < 1<<32 {
		out.Size = uint32(sz)
	}
	if depth > 8 {
		return out
	}
	switch x := t.(type) {
	case *dwarf.TypedefType:
		in := typed(x.Type, depth+1)
		in.C = out.C
		return in
	case *dwarf.QualType:
		in := typed(x.Type, depth+1)
		in.C = out.C
		return in
	case *dwarf.PtrType:
		out.Kind, out.Size = btfindex.KindPointer, 8
		if x.Type != nil {
			if _, isFn := x.Type.(*dwarf.FuncType); !isFn {
				el := typed(x.Type, depth+1)
				out.Elem = &el
			}
		}
	case *dwarf.StructType:
		out.Kind, out.Record = btfindex.KindStruct, x.StructName
		if x.Kind == "union" {
			out.Kind = btfindex.KindUnion
		}
	case *dwarf.EnumType:
		out.Kind, out.Signed = btfindex.KindEnum, true
	case *dwarf.ArrayType:
		el := typed(x.Type, depth+1)
		out.Kind, out.Elem = btfindex.KindArray, &el
		if x.Count > 0 {
			out.Len = uint32(x.Count)
		}
	case *dwarf.IntType, *dwarf.CharType:
		out.Kind, out.Signed = btfindex.KindInt, true
	case *dwarf.UintType, *dwarf.UcharType, *dwarf.BoolType:
		out.Kind = btfindex.KindInt
	case *dwarf.FloatType:
		out.Kind = btfindex.KindFloat
	case *dwarf.VoidType:
		out.Kind = btfindex.KindVoid
	default:
		out.Kind = btfindex.KindUnknown
	}
	return out
}

// structOf names the struct or union t is, or points to, through typedefs
// and qualifiers.
func structOf(t dwarf.Type) string {
	for i := 0; i < 16 && t != nil; i++ {
		switch x := t.(type) {
		case *dwarf.StructType:
			if x.StructName == "" {
				return ""
			}
			return x.Kind + " " + x.StructName
		case *dwarf.PtrType:
			t = x.Type
		case *dwarf.TypedefType:
			t = x.Type
		case *dwarf.QualType:
			t = x.Type
		default:
			return ""
		}
	}
	return ""
}

// cType spells a DWARF type in C, as bpftrace prints it.
func cType(t dwarf.Type) string {
	switch x := t.(type) {
	case nil:
		return "void"
	case *dwarf.PtrType:
		if x.Type == nil {
			return "void *"
		}
		if _, isFn := x.Type.(*dwarf.FuncType); isFn {
			return "void *" // function pointers print as plain pointers
		}
		s := cType(x.Type)
		if strings.HasSuffix(s, "*") {
			return s + "*"
		}
		return s + " *"
	case *dwarf.QualType:
		return x.Qual + " " + cType(x.Type)
	case *dwarf.TypedefType:
		return x.Name
	case *dwarf.StructType:
		if x.StructName == "" {
			return x.Kind + " <anonymous>"
		}
		return x.Kind + " " + x.StructName
	case *dwarf.EnumType:
		return "enum " + x.EnumName
	case *dwarf.ArrayType:
		return fmt.Sprintf("%s[%d]", cType(x.Type), x.Count)
	case *dwarf.VoidType:
		return "void"
	case *dwarf.UnspecifiedType:
		return x.Name
	case *dwarf.BoolType, *dwarf.CharType, *dwarf.IntType, *dwarf.UintType,
		*dwarf.FloatType, *dwarf.UcharType, *dwarf.ComplexType:
		return t.Common().Name
	}
	return t.String()
}

// Field is one member of a struct or union.
type Field struct {
	Name   string
	Type   string
	Offset int64
	Size   int64
	Struct string // as in [Param.Struct]
}

// Struct returns the members of "struct NAME", "union NAME" or a typedef
// naming one. ok is false without debug info or for an unknown name.
func (b *Binary) Struct(name string) ([]Field, bool) {
	if !b.DebugLoaded() || b.debug.data == nil {
		return nil, false
	}
	off, ok := b.debug.types[name]
	if !ok {
		return nil, false
	}
	b.debug.mu.Lock()
	t, err := b.debug.data.Type(off)
	b.debug.mu.Unlock()
	if err != nil {
		return nil, false
	}
	for td, ok := t.(*dwarf.TypedefType); ok; td, ok = t.(*dwarf.TypedefType) {
		t = td.Type
	}
	st, ok := t.(*dwarf.StructType)
	if !ok || st.Incomplete {
		return nil, false
	}
	out := make([]Field, 0, len(st.Field))
	for _, f := range st.Field {
		out = append(out, Field{Name: f.Name, Type: cType(f.Type), Offset: f.ByteOffset,
			Size: f.Type.Size(), Struct: structOf(f.Type)})
	}
	return out, true
}
