// This file implements the printing of expressions and types.

package format

import (
	"fmt"
	"strings"

	"github.com/bpfls/bpfls/analysis/syntax"
)

// primitive reports whether e is printed without parentheses wherever it
// appears.
func primitive(e syntax.Expr) bool {
	switch e := syntax.Unparen(e).(type) {
	case *syntax.Ident, *syntax.VarExpr, *syntax.MapExpr, *syntax.PositionalParam,
		*syntax.IntLit, *syntax.StrLit, *syntax.BoolLit, *syntax.CallExpr,
		*syntax.FieldExpr, *syntax.IndexExpr, *syntax.SizeofExpr,
		*syntax.OffsetofExpr, *syntax.TypeinfoExpr, *syntax.TypeofExpr:
		return true
	case *syntax.ComptimeExpr:
		return primitive(e.X)
	}
	return false
}

func comparison(e syntax.Expr) bool {
	if b, ok := syntax.Unparen(e).(*syntax.BinaryExpr); ok {
		switch b.Op {
		case syntax.Eq, syntax.Ne, syntax.Le, syntax.Ge, syntax.Lt, syntax.Gt:
			return true
		}
	}
	return false
}

// expr prints e where it may go bare (no parentheses of its own), and
// claims the layout up to its end: comments inside an expression are
// dropped, as bpftrace's formatter drops them.
func (p *printer) expr(e syntax.Expr, m *index, w width, bare bool) *buffer {
	e = syntax.Unparen(e)
	local := m.before(p.exprEnd(e))
	_, tuple := e.(*syntax.TupleExpr)
	bareOK := bare && !tuple || primitive(e)
	lw := w
	if !bareOK {
		lw = w - 2
	}
	if p.keepComments {
		defer p.drop(local)
	}
	be, isBlock := e.(*syntax.BlockExpr)
	if bareOK && !isBlock {
		return p.value(e, local, lw, true)
	}
	b := p.buf()
	if !bareOK {
		b.text("(")
	}
	if isBlock {
		if p.keepComments {
			local.dropSpaceBefore(be.Block.Lbrace)
		}
		p.blockExpr(b, be, local, w, lw, valueBlock)
	} else {
		b.append(p.value(e, local, lw, true))
	}
	if !bareOK {
		b.text(")")
	}
	return b
}

// blockExpr adds a block with its braces to b: on one line when it holds
// one line that fits in lw.
func (p *printer) blockExpr(b *buffer, be *syntax.BlockExpr, m *index, w, lw width, mode blockMode) *buffer {
	blk := p.block(be.Block, m, w-2, mode)
	if blk.numLines() > 1 || blk.width() > lw {
		return b.text("{").appendAt(blk, indentWidth).text("}")
	}
	return b.text("{ ").append(blk).text(" }")
}

// exprEnd is where bpftrace's node for e ends: an if without a final else
// reaches to the next token.
func (p *printer) exprEnd(e syntax.Expr) syntax.Pos {
	if ie, ok := e.(*syntax.IfExpr); ok {
		return p.ifEnd(ie.If)
	}
	return e.End()
}

func (p *printer) value(e syntax.Expr, m *index, w width, bare bool) *buffer {
	b := p.buf()
	switch e := e.(type) {
	case *syntax.Ident:
		return b.text(e.Name)
	case *syntax.VarExpr:
		return b.text(p.at(e.Pos(), e.End()))
	case *syntax.PositionalParam:
		return b.text(e.Text)
	case *syntax.IntLit:
		return b.text(e.Text)
	case *syntax.BoolLit:
		return b.text(fmt.Sprint(e.Value))
	case *syntax.StrLit:
		return b.text(p.strLit(e))
	case *syntax.MapExpr:
		return p.mapExpr(e, m, w)
	case *syntax.CallExpr:
		return p.call(e, m, w)
	case *syntax.FieldExpr:
		return p.field(e, m, w)
	case *syntax.IndexExpr:
		x := p.expr(e.X, m, w-1, false)
		i := p.expr(e.Index, m, w-indentWidth, false)
		b.append(x).text("[")
		if x.width()+i.width()+2 > w {
			b.appendAt(i, indentWidth)
		} else {
			b.append(i)
		}
		return b.text("]")
	case *syntax.BinaryExpr:
		return p.binary(e, m, w)
	case *syntax.UnaryExpr:
		return p.unary(e, m, w)
	case *syntax.TernaryExpr:
		return p.ternary(e, m, w)
	case *syntax.CastExpr:
		b.text("(").append(p.typ(e.Type, m, w)).text(")")
		return b.append(p.expr(e.X, m, w-b.width(), primitive(e.X)))
	case *syntax.TupleExpr:
		return p.tuple(e.Elems, m, w, bare)
	case *syntax.RecordExpr:
		return p.record(e, m, w)
	case *syntax.SizeofExpr:
		b.text("sizeof(")
		if t := e.Type; t != nil && t.Typeof != nil && len(t.Suffixes) == 0 {
			b.append(p.expr(t.Typeof, m, w-8, true)) // sizeof keeps typeof(T)
		} else if e.Type != nil {
			b.append(p.typ(e.Type, m, w-8))
		} else {
			b.append(p.typeArg(e.X, m, w-8))
		}
		return b.text(")")
	case *syntax.OffsetofExpr:
		var rec *buffer
		if e.Type != nil {
			rec = p.typ(e.Type, m, w)
		} else if readsAsType(e.X) {
			rec = p.typeArg(e.X, m, w)
		} else {
			rec = p.expr(e.X, m, w, false)
		}
		var fs []string
		for _, f := range e.Fields {
			fs = append(fs, f.Name)
		}
		return b.text("offsetof(").append(rec).text(", " + strings.Join(fs, ".") + ")")
	case *syntax.TypeofExpr:
		if e.Type != nil {
			return b.text("typeof(").append(p.typ(e.Type, m, w-8).text(")"))
		}
		return b.text("typeof(").append(p.typeArg(e.X, m, w-8).text(")"))
	case *syntax.TypeinfoExpr:
		b.text("typeinfo(")
		if e.Type != nil {
			b.append(p.typ(e.Type, m, w-10))
		} else {
			b.append(p.typeArg(e.X, m, w-10))
		}
		return b.text(")")
	case *syntax.ComptimeExpr:
		return b.text("comptime ").append(p.expr(e.X, m, w-9, false))
	case *syntax.IfExpr:
		return p.ifStmt(e.If, m, w, valueBlock)
	case *syntax.BlockExpr:
		return p.expr(e, m, w, true)
	}
	return b.text(string(p.src[e.Pos():e.End()]))
}

// typeArg prints the expression argument of sizeof, offsetof, typeof or
// typeinfo, in parentheses where it would read back as a type: sizeof((A))
// is the size of the value A, sizeof(A) that of the type A. bpftrace's own
// formatter drops them and changes the meaning.
func (p *printer) typeArg(x syntax.Expr, m *index, w width) *buffer {
	if !readsAsType(x) {
		return p.expr(x, m, w, true)
	}
	return p.buf().text("(").append(p.expr(x, m, w-2, true)).text(")")
}

// readsAsType reports whether x, printed bare, reads as a type: a name that
// is not a builtin, indexed by integers or not.
func readsAsType(x syntax.Expr) bool {
	for {
		switch e := syntax.Unparen(x).(type) {
		case *syntax.Ident:
			return !syntax.IsBuiltinName(e.Name)
		case *syntax.IndexExpr:
			if _, ok := syntax.Unparen(e.Index).(*syntax.IntLit); !ok {
				return false
			}
			x = e.X
		default:
			return false
		}
	}
}

func (p *printer) mapExpr(e *syntax.MapExpr, m *index, w width) *buffer {
	name := p.at(e.At, e.At+1+syntax.Pos(len(e.Name)))
	b := p.buf().text(name)
	if !e.Lbrack.IsValid() {
		return b
	}
	keys := e.Keys
	if len(keys) == 1 {
		if t, ok := syntax.Unparen(keys[0]).(*syntax.TupleExpr); ok && len(t.Elems) >= 2 {
			keys = t.Elems
		}
	}
	var key *buffer
	if len(keys) >= 2 {
		key = p.tuple(keys, m, w-indentWidth, true)
	} else if len(keys) == 1 {
		key = p.expr(keys[0], m, w-indentWidth, true)
	} else {
		key = p.buf()
	}
	b.text("[")
	if width(len(name))+key.width()+2 > w {
		b.appendAt(key, indentWidth)
	} else {
		b.append(key)
	}
	return b.text("]")
}

func (p *printer) call(e *syntax.CallExpr, m *index, w width) *buffer {
	name := e.Fun.Name
	items := p.exprItems(e.Args)
	args := p.list(items, ", ", m, w-width(len(name)+2), true)
	b := p.buf().text(name).text("(")
	if args.width() > w {
		b.appendAt(args, indentWidth)
	} else {
		b.append(args)
	}
	return b.text(")")
}

func (p *printer) field(e *syntax.FieldExpr, m *index, w width) *buffer {
	name := e.Field.Name
	op := "."
	if e.Arrow && p.arrow {
		op = "->"
	}
	if name != "" && name[0] >= '0' && name[0] <= '9' {
		x := p.expr(e.X, m, w-width(len(name)+1), false)
		return p.buf().append(x).text(op + name)
	}
	x := p.expr(e.X, m, w-width(len(name)+len(op)), primitive(e.X))
	return x.text(op + name)
}

func (p *printer) binary(e *syntax.BinaryExpr, m *index, w width) *buffer {
	var entries []syntax.Expr
	if e.Op == syntax.AndAnd || e.Op == syntax.OrOr {
		entries = append(chain(entries, e.X, e.Op), e.Y)
	} else {
		entries = p.mem.exprs.take(2)
		entries[0], entries[1] = e.X, e.Y
	}
	items := p.exprItems(entries)
	for i := range items {
		// bpftrace prints a comparison operand bare even where that changes
		// the meaning (0 % (a != b)); keep the parentheses there.
		items[i].cmp = items[i].cmp && bareOperand(e.Op, entries[i], i == 0)
	}
	out := p.list(items, binarySep(e.Op), m, w, false)
	p.mem.exprs.release(entries)
	return out
}

// bareOperand reports whether the binary expression x reads back the same
// without parentheses as an operand of op: it binds tighter, or as tight
// and on the left.
func bareOperand(op syntax.Kind, x syntax.Expr, left bool) bool {
	b, ok := syntax.Unparen(x).(*syntax.BinaryExpr)
	if !ok {
		return true
	}
	xp, pp := b.Op.Precedence(), op.Precedence()
	return xp > pp || xp == pp && left
}

// chain flattens a run of the same logical operator: a && b && c.
func chain(out []syntax.Expr, x syntax.Expr, op syntax.Kind) []syntax.Expr {
	// Only the left side flattens: a && (b && c) keeps its parentheses, so
	// the tree reads back the same.
	if b, ok := syntax.Unparen(x).(*syntax.BinaryExpr); ok && b.Op == op {
		return append(chain(out, b.X, op), b.Y)
	}
	return append(out, x)
}

// binarySep is " op ", without building the string each time.
func binarySep(k syntax.Kind) string {
	switch k {
	case syntax.Plus:
		return " + "
	case syntax.Minus:
		return " - "
	case syntax.Star:
		return " * "
	case syntax.Slash:
		return " / "
	case syntax.Eq:
		return " == "
	case syntax.AndAnd:
		return " && "
	case syntax.OrOr:
		return " || "
	}
	return " " + k.Op() + " "
}

func (p *printer) unary(e *syntax.UnaryExpr, m *index, w width) *buffer {
	op := e.Op.Op()
	if e.Op == syntax.Amp {
		switch x := syntax.Unparen(e.X).(type) {
		case *syntax.VarExpr:
			return p.buf().text("&$" + x.Name)
		case *syntax.MapExpr:
			if !x.Lbrack.IsValid() {
				return p.buf().text("&@" + x.Name)
			}
		}
	}
	x := p.expr(e.X, m, w-width(len(op)), false)
	if e.Postfix {
		return p.buf().append(x).text(op)
	}
	return p.buf().text(op).append(x)
}

func (p *printer) ternary(e *syntax.TernaryExpr, m *index, w width) *buffer {
	c := p.expr(e.Cond, m, w, false)
	if e == p.stmtTernary && (c.startsWith('$') || c.startsWith('@')) {
		c = p.buf().text("(").append(c).text(")")
	}
	then := e.Then
	if then == nil && p.elvis {
		r := p.expr(e.Else, m, w-2, false)
		return p.buf().append(c).text(" ?: ").append(r)
	}
	if then == nil { // bpftrace 0.25+ reads "c ?: b" as "c ? c : b"
		then = e.Cond
	}
	l := p.expr(then, m, w-2, false)
	r := p.expr(e.Else, m, w-2, false)
	b := p.buf().append(c)
	if c.width()+l.width()+r.width()+8 > w {
		return b.lineBreak().text("? ").append(l).lineBreak().text(": ").append(r)
	}
	return b.text(" ? ").append(l).text(" : ").append(r)
}

// tuple prints elements packed ("," without a space), in parentheses
// unless bare.
func (p *printer) tuple(elems []syntax.Expr, m *index, w width, bare bool) *buffer {
	var el *buffer
	if len(elems) == 1 {
		el = p.expr(elems[0], m, w-3, false).text(",")
	} else {
		el = p.list(p.exprItems(elems), ",", m, w-indentWidth-1, false)
	}
	if bare {
		return el
	}
	b := p.buf().text("(")
	if el.numLines() > 1 {
		b.appendAt(el, indentWidth)
	} else {
		b.append(el)
	}
	return b.text(")")
}

func (p *printer) record(e *syntax.RecordExpr, m *index, w width) *buffer {
	items := make([]listItem, len(e.Fields))
	for i, f := range e.Fields {
		f := f
		items[i] = listItem{fmt: func(m *index, w width, _ bool) *buffer {
			v := p.expr(f.Value, m, w-width(len(f.Name.Name))-1, false)
			return p.buf().text(f.Name.Name + "=").append(v)
		}}
	}
	var el *buffer
	if len(items) == 1 {
		el = items[0].fmt(m, w-2, false)
	} else {
		el = p.list(items, ",", m, w-indentWidth-1, false)
	}
	b := p.buf().text("(")
	if el.numLines() > 1 {
		b.appendAt(el, indentWidth)
	} else {
		b.append(el)
	}
	return b.text(")")
}

// typ prints a type: "struct x*", "int8[4]"; typeof(x) as written.
func (p *printer) typ(t *syntax.TypeExpr, m *index, w width) *buffer {
	b := p.buf()
	switch {
	case t.Typeof != nil && t.Typeof.Type != nil:
		// In a type's place, bpftrace prints typeof(T) as T itself.
		b.append(p.typ(t.Typeof.Type, m, w))
	case t.Typeof != nil:
		b.append(p.value(t.Typeof, m, w, true))
	case t.Keyword != syntax.EOF && t.Name != nil:
		b.text(t.Keyword.Op() + " " + t.Name.Name)
	case t.Name != nil:
		b.text(t.Name.Name)
	}
	for _, sf := range t.Suffixes {
		switch {
		case sf.Ptr:
			b.text("*")
		case sf.Len == nil:
			b.text("[]")
		default:
			b.text("[" + string(p.src[sf.Len.Pos():sf.Len.End()]) + "]")
		}
	}
	return b
}

func (p *printer) strLit(s *syntax.StrLit) string {
	if len(s.Raw) == len(s.Value)+2 && plain(s.Value) {
		return s.Raw // already as bpftrace writes it, and not copied
	}
	return `"` + escape(s.Value) + `"`
}

// plain reports whether escape leaves s as it is.
func plain(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c == '\\' || c == '"' || c < 0x20 || c >= 0x7f {
			return false
		}
	}
	return true
}

// escape writes s with C escapes for what is not printable ASCII.
func escape(s string) string {
	var sb strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '\\':
			sb.WriteString(`\\`)
		case c == '"':
			sb.WriteString(`\"`)
		case c >= 0x20 && c < 0x7f:
			sb.WriteByte(c)
		case c == '\n':
			sb.WriteString(`\n`)
		case c == '\t':
			sb.WriteString(`\t`)
		case c == '\r':
			sb.WriteString(`\r`)
		default:
			fmt.Fprintf(&sb, `\x%02x`, c)
		}
	}
	return sb.String()
}
