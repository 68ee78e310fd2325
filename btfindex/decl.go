package btfindex

// This file implements printing C-like declarations of functions, records,
// typedefs and tracepoints, laid out the way a kernel developer reads them
// (struct layouts with pahole-style "/* offset size */" comments).

import (
	"fmt"
	"strings"
)

// Declare puts name into a C type spelling: ("struct file *", "file") is
// "struct file *file", ("char [16]", "comm") is "char comm[16]" and
// ("void (*)(int)", "cb") is "void (*cb)(int)".
func Declare(c, name string) string {
	if name == "" {
		return c
	}
	if i := strings.Index(c, "(*"); i >= 0 {
		if j := strings.IndexByte(c[i:], ')'); j >= 0 {
			return c[:i+j] + name + c[i+j:]
		}
	}
	if i := strings.Index(c, " ["); i >= 0 {
		return c[:i] + " " + name + c[i+1:]
	}
	if strings.HasSuffix(c, "*") {
		return c + name
	}
	return c + " " + name
}

// FormatFunc prints a prototype: "ssize_t vfs_read(struct file *file, ...);".
func FormatFunc(f *Func) string {
	params := make([]string, len(f.Params))
	for i, p := range f.Params {
		params[i] = Declare(p.Type.C, p.Name)
	}
	if f.Variadic {
		params = append(params, "...")
	}
	list := strings.Join(params, ", ")
	if len(params) == 0 {
		list = "void"
	}
	if strings.HasSuffix(f.Return.C, "*") {
		return fmt.Sprintf("%s%s(%s);", f.Return.C, f.Name, list)
	}
	return fmt.Sprintf("%s %s(%s);", f.Return.C, f.Name, list)
}

// FormatRecord prints a struct or union with one member per line and a
// comment giving its offset and size in bytes (bitfields: byte offset, bit
// offset and bit count), anonymous members flattened as bpftrace sees them.
func FormatRecord(r *Record) string {
	var b strings.Builder
	kw := "struct"
	if r.Union {
		kw = "union"
	}
	fmt.Fprintf(&b, "%s %s {\n", kw, r.Name)
	decls := make([]string, len(r.Members))
	width := 0
	for i, m := range r.Members {
		decls[i] = Declare(m.Type.C, m.Name)
		if m.BitSize != 0 {
			decls[i] += fmt.Sprintf(":%d", m.BitSize)
		}
		decls[i] += ";"
		width = max(width, len(decls[i]))
	}
	for i, m := range r.Members {
		if m.BitSize != 0 {
			fmt.Fprintf(&b, "\t%-*s /* %5d:%d %4d */\n", width, decls[i], m.Offset, m.BitOffset, m.BitSize)
			continue
		}
		fmt.Fprintf(&b, "\t%-*s /* %5d %5d */\n", width, decls[i], m.Offset, m.Type.Size)
	}
	fmt.Fprintf(&b, "}; /* size: %d */", r.Size)
	return b.String()
}

// FormatTypedef prints "typedef __kernel_size_t size_t;" with what the type
// resolves to.
func FormatTypedef(name string, t Type) string {
	return fmt.Sprintf("typedef %s; /* %s */", Declare(t.C, name), describeKind(t))
}

// describeKind says what a type is underneath its typedefs.
func describeKind(t Type) string {
	switch t.Kind {
	case KindVoid:
		return "void"
	case KindInt, KindEnum:
		sign := "unsigned"
		if t.Signed {
			sign = "signed"
		}
		kind := "int"
		if t.Kind == KindEnum {
			kind = "enum"
		}
		return fmt.Sprintf("%s %s, %d bytes", sign, kind, t.Size)
	case KindFloat:
		return fmt.Sprintf("float, %d bytes", t.Size)
	case KindPointer:
		return "pointer"
	case KindArray:
		return fmt.Sprintf("array of %d, %d bytes", t.Len, t.Size)
	case KindStruct:
		return fmt.Sprintf("struct %s, %d bytes", t.Record, t.Size)
	case KindUnion:
		return fmt.Sprintf("union %s, %d bytes", t.Record, t.Size)
	case KindFunc:
		return "function"
	}
	return "unknown"
}

// FormatTracepoint prints a tracepoint's args as a struct, with offsets and
// sizes from its format file.
func FormatTracepoint(tp *Tracepoint) string {
	var b strings.Builder
	fmt.Fprintf(&b, "tracepoint:%s:%s {\n", tp.Category, tp.Event)
	decls := make([]string, len(tp.Fields))
	width := 0
	for i, f := range tp.Fields {
		decls[i] = Declare(f.Type.C, f.Name) + ";"
		width = max(width, len(decls[i]))
	}
	for i, f := range tp.Fields {
		fmt.Fprintf(&b, "\t%-*s /* %5d %5d */\n", width, decls[i], f.Offset, f.Size)
	}
	b.WriteString("};")
	return b.String()
}
