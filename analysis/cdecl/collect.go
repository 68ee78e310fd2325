package cdecl

// This file implements turning the front end's translation unit into
// btfindex types: records with flattened members, typedefs, enum
// constants and object-like macros.

import (
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"modernc.org/cc/v4"

	"github.com/bpfls/bpfls/analysis/syntax"
	"github.com/bpfls/bpfls/btfindex"
)

// collect fills d from the translation unit.
func collect(ast *cc.AST, name string, d *Decls) {
	seen := map[cc.Type]bool{}
	for tu := ast.TranslationUnit; tu != nil; tu = tu.TranslationUnit {
		ed := tu.ExternalDeclaration
		if ed == nil || ed.Case != cc.ExternalDeclarationDecl || ed.Declaration == nil {
			continue
		}
		decl := ed.Declaration
		for l := decl.DeclarationSpecifiers; l != nil; l = l.DeclarationSpecifiers {
			if ts := l.TypeSpecifier; ts != nil {
				switch {
				case ts.StructOrUnionSpecifier != nil:
					d.addType(ts.StructOrUnionSpecifier.Type(), name, seen)
				case ts.EnumSpecifier != nil:
					d.addType(ts.EnumSpecifier.Type(), name, seen)
				}
			}
		}
		for l := decl.InitDeclaratorList; l != nil; l = l.InitDeclaratorList {
			if id := l.InitDeclarator; id != nil && id.Declarator != nil && id.Declarator.IsTypename() {
				t := id.Declarator.Type()
				d.Typedefs[id.Declarator.Name()] = convert(t, 0)
				d.addType(t, name, seen)
			}
		}
	}
	for n, m := range ast.Macros {
		if f := m.Position().Filename; f == "" || f == "<predefined>" || f == "<builtin>" || m.Params != nil {
			continue
		}
		var b strings.Builder
		for i, t := range m.ReplacementList() {
			if i > 0 {
				b.WriteByte(' ')
			}
			b.WriteString(t.SrcStr())
		}
		d.Macros[n] = b.String()
		if f := m.Position().Filename; f != name {
			d.Files[n] = f
		}
	}
}

// addType records the struct, union or enum t names, and the ones its
// members name (C puts nested tags in file scope).
func (d *Decls) addType(t cc.Type, file string, seen map[cc.Type]bool) {
	if t == nil || seen[t] {
		return
	}
	seen[t] = true
	switch u := t.(type) {
	case *cc.PointerType:
		d.addType(u.Elem(), file, seen)
	case *cc.ArrayType:
		d.addType(u.Elem(), file, seen)
	case *cc.StructType:
		d.addRecord(tagOf(u.Tag()), false, u.Size(), u.NumFields(), u.FieldByIndex, file, seen)
		d.noteFile(tagOf(u.Tag()), u.Tag().Position().Filename, file)
	case *cc.UnionType:
		d.addRecord(tagOf(u.Tag()), true, u.Size(), u.NumFields(), u.FieldByIndex, file, seen)
		d.noteFile(tagOf(u.Tag()), u.Tag().Position().Filename, file)
	case *cc.EnumType:
		if tag := tagOf(u.Tag()); tag != "" {
			d.noteFile("enum "+tag, u.Tag().Position().Filename, file)
		}
		for _, e := range u.Enumerators() {
			c := Const{Name: e.Token.SrcStr(), Enum: tagOf(u.Tag()), Line: e.Position().Line}
			if f := e.Position().Filename; f != file {
				c.File = f
			}
			switch v := e.Value().(type) {
			case cc.Int64Value:
				c.Value = int64(v)
			case cc.UInt64Value:
				c.Value = int64(v)
			}
			d.Consts[c.Name] = c
		}
	}
}

// noteFile records that key is defined in at, when that is a header
// rather than the script.
func (d *Decls) noteFile(key, at, script string) {
	if key != "" && at != "" && at != script {
		d.Files[key] = at
	}
}

func (d *Decls) addRecord(tag string, union bool, size int64, n int, field func(int) *cc.Field, file string, seen map[cc.Type]bool) {
	r := &btfindex.Record{Name: tag, Union: union, Size: uint32(max(size, 0))}
	r.Members = flatten(r.Members, n, field, 0, file, d, seen)
	if tag == "" {
		return
	}
	if prev, ok := d.Records[tag]; ok && len(prev.Members) > 0 && len(r.Members) == 0 {
		return // a forward declaration after the definition
	}
	d.Records[tag] = r
}

// flatten lists members, anonymous structs and unions inlined with their
// offsets from the outer record, as btfindex does for BTF.
func flatten(out []btfindex.Member, n int, field func(int) *cc.Field, base int64, file string, d *Decls, seen map[cc.Type]bool) []btfindex.Member {
	for i := range n {
		f := field(i)
		if f == nil {
			continue
		}
		ft := f.Type()
		d.addType(ft, file, seen)
		if f.Name() == "" {
			switch u := ft.(type) {
			case *cc.StructType:
				out = flatten(out, u.NumFields(), u.FieldByIndex, base+f.Offset(), file, d, seen)
			case *cc.UnionType:
				out = flatten(out, u.NumFields(), u.FieldByIndex, base+f.Offset(), file, d, seen)
			}
			continue
		}
		m := btfindex.Member{Name: f.Name(), Type: convert(ft, 0), Offset: uint32(base + f.Offset())}
		if f.IsBitfield() {
			m.BitOffset, m.BitSize = uint32(f.OffsetBits()), uint32(f.ValueBits())
		}
		out = append(out, m)
	}
	return out
}

// maxDepth bounds type conversion (a struct's pointer members refer back
// to it only by name, but arrays of pointers to arrays can nest).
const maxDepth = 16

// convert turns a C type into btfindex's description of it.
func convert(t cc.Type, depth int) btfindex.Type {
	if t == nil || depth > maxDepth {
		return btfindex.Type{Kind: btfindex.KindUnknown}
	}
	out := btfindex.Type{C: t.String(), Size: uint32(max(t.Size(), 0))}
	if td := t.Typedef(); td != nil {
		out.C = td.Name()
	}
	switch u := t.(type) {
	case *cc.PointerType:
		out.Kind = btfindex.KindPointer
		e := convert(u.Elem(), depth+1)
		out.Elem = &e
		out.C = cName(e.C) + " *"
		if td := t.Typedef(); td != nil {
			out.C = td.Name()
		}
	case *cc.ArrayType:
		out.Kind = btfindex.KindArray
		e := convert(u.Elem(), depth+1)
		out.Elem, out.Len = &e, uint32(max(u.Len(), 0))
		if t.Typedef() == nil {
			out.C = e.C + "[" + strconv.FormatInt(u.Len(), 10) + "]"
		}
	case *cc.StructType:
		out.Kind, out.Record = btfindex.KindStruct, tagOf(u.Tag())
		out.C = recordC("struct", out.Record, out.C, t)
	case *cc.UnionType:
		out.Kind, out.Record = btfindex.KindUnion, tagOf(u.Tag())
		out.C = recordC("union", out.Record, out.C, t)
	case *cc.EnumType:
		out.Kind, out.Signed = btfindex.KindEnum, cc.IsSignedInteger(u.UnderlyingType())
		if tag := tagOf(u.Tag()); tag != "" && t.Typedef() == nil {
			out.C = "enum " + tag
		}
	case *cc.FunctionType:
		out.Kind = btfindex.KindFunc
	default:
		switch {
		case t.Kind() == cc.Void:
			out.Kind = btfindex.KindVoid
		case cc.IsIntegerType(t):
			out.Kind, out.Signed = btfindex.KindInt, cc.IsSignedInteger(t)
		case cc.IsArithmeticType(t):
			out.Kind = btfindex.KindFloat
		}
	}
	return out
}

func recordC(kw, tag, c string, t cc.Type) string {
	if t.Typedef() != nil || tag == "" {
		return c
	}
	return kw + " " + tag
}

// cName drops a trailing space.
func cName(s string) string { return strings.TrimSpace(s) }

// includeLine matches an #include line of the preamble.
var includeLine = regexp.MustCompile(`(?m)^[ \t]*#[ \t]*include[ \t]*([<"])([^>"\n]+)[>"]`)

// findIncludes lists the #include lines and where each resolves, in the
// order the front end searches.
func findIncludes(c []byte, opts Options) []Include {
	var out []Include
	for _, m := range includeLine.FindAllSubmatchIndex(c, -1) {
		start := syntax.Pos(m[0])
		end := start
		for int(end) < len(c) && c[end] != '\n' {
			end++
		}
		in := Include{Span: syntax.Span{Start: start + syntax.Pos(strings.Index(string(c[m[0]:m[1]]), "#")), End: end}, Name: string(c[m[4]:m[5]])}
		in.Path = resolve(in.Name, c[m[2]] == '"', opts)
		out = append(out, in)
	}
	return out
}

// resolve finds a header: the script's directory (for "quoted" names),
// then the kernel headers tree, the -I directories and the system
// directories.
func resolve(name string, quoted bool, opts Options) string {
	var dirs []string
	if quoted {
		dirs = append(dirs, filepath.Dir(scriptName(opts.Path)))
	}
	for _, dir := range append(dirs, searchDirs(opts, true)...) {
		p := filepath.Join(dir, name)
		if st, err := os.Stat(p); err == nil && !st.IsDir() {
			return p
		}
	}
	return ""
}

// tagOf is a tag token's text ("" for an anonymous record or enum).
func tagOf(t cc.Token) string { return t.SrcStr() }

// Includes lists the #include lines of a script's C part (parts, as for
// [ReadParts]) and the file each resolves to, without reading any header.
func Includes(parts []Part, opts Options) []Include {
	l := layOut(parts)
	d := &Decls{Includes: findIncludes(l.c, opts)}
	for i := range d.Includes {
		d.Includes[i].Span = l.relSpan(d.Includes[i].Span)
	}
	return l.place(d).Includes
}
