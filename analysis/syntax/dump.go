// This file implements Dump, the canonical text form of a parsed file used
// by golden tests and by the check that Reparse equals Parse.

package syntax

import (
	"fmt"
	"reflect"
	"strings"
)

// Dump returns an indented tree of f's items, then its comments and errors.
// Nodes print as "Type [start,end)" followed by their scalar fields;
// positions are byte offsets.
func Dump(f *File) string {
	var b strings.Builder
	for _, it := range f.Items() {
		dumpNode(&b, "", it, 0)
	}
	for _, c := range f.Comments() {
		fmt.Fprintf(&b, "comment [%d,%d) %q\n", c.Span.Start, c.Span.End, c.Text)
	}
	for _, e := range f.Errors {
		line, col := f.Position(e.Span.Start)
		fmt.Fprintf(&b, "error %d:%d [%d,%d) %s: %s\n", line, col, e.Span.Start, e.Span.End, e.Code, e.Msg)
	}
	return b.String()
}

var (
	nodeType = reflect.TypeOf((*Node)(nil)).Elem()
	posType  = reflect.TypeOf(Pos(0))
	kindType = reflect.TypeOf(Kind(0))
)

func dumpNode(b *strings.Builder, label string, n Node, depth int) {
	indent := strings.Repeat("  ", depth)
	v := reflect.ValueOf(n).Elem()
	t := v.Type()
	fmt.Fprintf(b, "%s%s%s [%d,%d)", indent, label, t.Name(), n.Pos(), n.End())
	var children []func()
	for i := 0; i < t.NumField(); i++ {
		fv, ft := v.Field(i), t.Field(i)
		if !ft.IsExported() {
			continue
		}
		name := ft.Name
		switch {
		case ft.Type == posType:
			if !Pos(fv.Int()).IsValid() {
				fmt.Fprintf(b, " %s=-", name)
			}
		case ft.Type == kindType:
			if k := Kind(fv.Uint()); k != EOF {
				fmt.Fprintf(b, " %s=%q", name, k.Op())
			}
		case ft.Type == reflect.TypeOf(Span{}):
		case ft.Type == reflect.TypeOf(Cond{}):
			c := fv.Interface().(Cond)
			if !c.Lparen.IsValid() {
				b.WriteString(" bare-cond")
			}
			children = append(children, func() { dumpValue(b, name, reflect.ValueOf(c.X), depth+1) })
		case fv.Kind() == reflect.String:
			fmt.Fprintf(b, " %s=%q", name, fv.String())
		case fv.Kind() == reflect.Bool:
			if fv.Bool() {
				fmt.Fprintf(b, " %s", name)
			}
		case fv.Kind() == reflect.Uint64 || fv.Kind() == reflect.Int || fv.Kind() == reflect.Uint8:
			if fv.Kind() == reflect.Uint8 && fv.Uint() == 0 {
				continue
			}
			if name == "Sep" {
				fmt.Fprintf(b, " Sep=%q", rune(fv.Uint()))
				continue
			}
			fmt.Fprintf(b, " %s=%v", name, fv.Interface())
		default:
			children = append(children, func() { dumpValue(b, name, fv, depth+1) })
		}
	}
	b.WriteByte('\n')
	for _, c := range children {
		c()
	}
}

func dumpValue(b *strings.Builder, name string, v reflect.Value, depth int) {
	switch v.Kind() {
	case reflect.Slice:
		for i := 0; i < v.Len(); i++ {
			dumpValue(b, fmt.Sprintf("%s[%d]", name, i), v.Index(i), depth)
		}
	case reflect.Interface, reflect.Pointer:
		if v.IsNil() {
			return
		}
		if n, ok := v.Interface().(Node); ok {
			dumpNode(b, name+": ", n, depth)
		}
	}
}
