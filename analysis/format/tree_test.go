package format

import (
	"fmt"
	"reflect"
	"strings"

	"github.com/bpfls/bpfls/analysis/syntax"
)

// shape is f's tree without positions and without what formatting may
// change while keeping the meaning: parentheses, the spelling of literals
// and of '->' (0.25+), and compound assignments written out.
func shape(f *syntax.File) string {
	var b strings.Builder
	for _, it := range f.Items() {
		shapeOf(&b, reflect.ValueOf(it), f.Dialect.Version.AtLeast(syntax.V0_25))
		b.WriteByte('\n')
	}
	return b.String()
}

var posT = reflect.TypeOf(syntax.Pos(0))

func shapeOf(b *strings.Builder, v reflect.Value, dot bool) {
	if !v.IsValid() {
		b.WriteString("nil")
		return
	}
	switch v.Kind() {
	case reflect.Interface, reflect.Pointer:
		if v.IsNil() {
			b.WriteString("nil")
			return
		}
		if pe, ok := v.Interface().(*syntax.ParenExpr); ok {
			shapeOf(b, reflect.ValueOf(pe.X), dot)
			return
		}
		switch x := v.Interface().(type) {
		case *syntax.ConfigItem:
			fmt.Fprintf(b, "ConfigItem{%s=%s}", x.Name.Name, configString(x.Value))
			return
		case *syntax.TernaryExpr:
			if x.Then == nil {
				cp := *x
				cp.Then = x.Cond
				shapeOf(b, reflect.ValueOf(&cp).Elem(), dot)
				return
			}
		case *syntax.MapExpr:
			if len(x.Keys) == 1 {
				if t, ok := syntax.Unparen(x.Keys[0]).(*syntax.TupleExpr); ok && len(t.Elems) >= 2 {
					cp := *x
					cp.Keys = t.Elems
					shapeOf(b, reflect.ValueOf(&cp).Elem(), dot)
					return
				}
			}
		case *syntax.ExprStmt:
			// "({});" prints as "{}", as bpftrace prints it: the same
			// block, read back as a block statement.
			if be, ok := syntax.Unparen(x.X).(*syntax.BlockExpr); ok {
				shapeOf(b, reflect.ValueOf(&syntax.BlockStmt{Block: be.Block}).Elem(), dot)
				return
			}
		case *syntax.TypeExpr:
			if x.Typeof != nil && x.Typeof.Type != nil && len(x.Suffixes) == 0 {
				shapeOf(b, reflect.ValueOf(x.Typeof.Type), dot)
				return
			}
		}
		if as, ok := v.Interface().(*syntax.AssignStmt); ok && as.Op != syntax.Assign {
			op := map[syntax.Kind]syntax.Kind{syntax.AddAssign: syntax.Plus, syntax.SubAssign: syntax.Minus,
				syntax.MulAssign: syntax.Star, syntax.DivAssign: syntax.Slash, syntax.ModAssign: syntax.Percent,
				syntax.AndAssign: syntax.Amp, syntax.OrAssign: syntax.Pipe, syntax.XorAssign: syntax.Caret,
				syntax.ShlAssign: syntax.Shl, syntax.ShrAssign: syntax.Shr}[as.Op]
			cp := *as
			cp.Op = syntax.Assign
			cp.RHS = &syntax.BinaryExpr{X: as.LHS, Op: op, Y: as.RHS}
			shapeOf(b, reflect.ValueOf(&cp).Elem(), dot)
			return
		}
		shapeOf(b, v.Elem(), dot)
	case reflect.Struct:
		t := v.Type()
		b.WriteString(t.Name() + "{")
		for i := 0; i < v.NumField(); i++ {
			fl := t.Field(i)
			if !fl.IsExported() || fl.Type == posT || fl.Name == "Span" || fl.Name == "Raw" ||
				fl.Name == "Text" || fl.Name == "Parts" || (dot && fl.Name == "Arrow") ||
				fl.Name == "Lparen" || fl.Name == "Rparen" {
				continue
			}
			b.WriteString(fl.Name + ":")
			shapeOf(b, v.Field(i), dot)
			b.WriteByte(' ')
		}
		b.WriteString("}")
	case reflect.Slice:
		b.WriteString("[")
		for i := 0; i < v.Len(); i++ {
			shapeOf(b, v.Index(i), dot)
			b.WriteByte(',')
		}
		b.WriteString("]")
	default:
		fmt.Fprintf(b, "%v", v.Interface())
	}
}

// commentTexts lists the words of f's comments, in order.
func commentTexts(f *syntax.File) []string {
	var out []string
	for _, c := range f.Comments() {
		t := strings.TrimPrefix(c.Text, "//")
		if t == c.Text {
			t = strings.TrimSuffix(strings.TrimPrefix(c.Text, "/*"), "*/")
		}
		for _, w := range strings.Fields(t) {
			if strings.Trim(w, "*") != "" {
				out = append(out, strings.Trim(w, "*"))
			}
		}
	}
	return out
}

func configString(v syntax.Expr) string {
	switch v := v.(type) {
	case *syntax.StrLit:
		return v.Value
	case *syntax.Ident:
		return v.Name
	case *syntax.IntLit:
		return fmt.Sprint(v.Value)
	case *syntax.BoolLit:
		return fmt.Sprint(v.Value)
	}
	return "?"
}
