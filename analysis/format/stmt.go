// This file implements the printing of statements.

package format

import (
	"sort"

	"github.com/bpfls/bpfls/analysis/syntax"
)

func (p *printer) stmt(s syntax.Stmt, m *index, w width) *buffer {
	b := p.buf()
	switch s := s.(type) {
	case *syntax.ExprStmt:
		p.stmtTernary, _ = syntax.Unparen(s.X).(*syntax.TernaryExpr)
		x := p.expr(s.X, m, w, true)
		p.stmtTernary = nil
		if normalized(s) != nil {
			// bpftrace prints a block or if expression statement as a
			// block or if statement, without ';'.
			return x
		}
		return x.text(";")
	case *syntax.IfStmt, *syntax.BlockStmt:
		return p.expr(stmtExpr(s), m, w, true)
	case *syntax.AssignStmt:
		return p.assign(s, m, w)
	case *syntax.LetStmt:
		lhs := p.buf().text("let $" + s.Var.Name)
		if s.Type != nil {
			lhs.text(" : ").append(p.typ(s.Type, m, w))
		}
		if s.Value == nil {
			return lhs.text(";")
		}
		x := p.expr(s.Value, m, w-(lhs.width()+3), true)
		return lhs.text(" = ").append(x).text(";")
	case *syntax.IncDecStmt:
		op := s.Op.Op()
		x := p.expr(s.X, m, w-width(len(op)), false)
		if s.Prefix {
			return b.text(op).append(x).text(";")
		}
		return b.append(x).text(op + ";")
	case *syntax.WhileStmt:
		c := p.cond(p.expr(s.Cond.X, m, w-8, false), s.Cond.X)
		body := p.block(s.Body, m, w-2, stmtBlock)
		return b.text("while ").append(c).text(" {").appendAt(body, indentWidth).text("}")
	case *syntax.UnrollStmt:
		body := p.block(s.Body, m, w-2, stmtBlock)
		c := p.expr(s.Cond.X, m, w-11, false)
		return b.text("unroll (").append(c).text(") {").appendAt(body, indentWidth).text("}")
	case *syntax.ForStmt:
		return p.forStmt(s, m, w)
	case *syntax.JumpStmt:
		switch s.Tok {
		case syntax.KwBreak:
			return b.text("break;")
		case syntax.KwContinue:
			return b.text("continue;")
		}
		if s.Result == nil {
			return b.text("return;")
		}
		return b.text("return ").append(p.expr(s.Result, m, 1, false)).text(";")
	case *syntax.ImportDecl:
		return b.text("import " + p.strLit(s.Path) + ";")
	}
	return b.text(string(p.src[s.Pos():s.End()]))
}

func (p *printer) assign(s *syntax.AssignStmt, m *index, w width) *buffer {
	if id, ok := s.LHS.(*syntax.Ident); ok && id.Name == "_" {
		return p.buf().text("_ = ").append(p.expr(s.RHS, m, w, true)).text(";")
	}
	lhs := p.value(syntax.Unparen(s.LHS), m, w, false)
	op := s.Op.Op()
	rhs := s.RHS
	if s.Op == syntax.Assign {
		if be, ok := syntax.Unparen(s.RHS).(*syntax.BinaryExpr); ok && compoundOp(be.Op) && p.same(be.X, s.LHS) {
			op = be.Op.Op() + "="
			rhs = be.Y
		}
	}
	x := p.expr(rhs, m, w-(lhs.width()+2+width(len(op))), true)
	return lhs.text(" " + op + " ").append(x).text(";")
}

func compoundOp(k syntax.Kind) bool {
	switch k {
	case syntax.Plus, syntax.Minus, syntax.Star, syntax.Slash, syntax.Percent,
		syntax.Amp, syntax.Pipe, syntax.Caret, syntax.Shl, syntax.Shr:
		return true
	}
	return false
}

// same reports whether a and b are the same variable, map or map element.
func (p *printer) same(a, b syntax.Expr) bool {
	a, b = syntax.Unparen(a), syntax.Unparen(b)
	switch a := a.(type) {
	case *syntax.VarExpr:
		bv, ok := b.(*syntax.VarExpr)
		return ok && bv.Name == a.Name
	case *syntax.MapExpr:
		bm, ok := b.(*syntax.MapExpr)
		if !ok || bm.Name != a.Name || a.Lbrack.IsValid() != bm.Lbrack.IsValid() {
			return false
		}
		return p.canon(a) == p.canon(bm)
	}
	return false
}

// canon prints e on one line with no layout, for comparisons.
func (p *printer) canon(e syntax.Expr) string {
	return p.value(e, &index{}, 1<<40, true).String()
}

func (p *printer) forStmt(s *syntax.ForStmt, m *index, w width) *buffer {
	b := p.buf().text("for $" + s.Var.Name + " : ")
	if s.Map != nil {
		// bpftrace prints every comment of a map loop's header at the
		// top of its body, so the map claims none of them.
		b.append(p.expr(s.Map, &index{}, w, false))
	} else {
		b.append(p.rangeEnd(s.From, m, w)).text("..").append(p.rangeEnd(s.To, m, w))
	}
	body := p.block(s.Body, m, w-indentWidth, stmtBlock)
	return b.text(" {").appendAt(body, indentWidth).text("}")
}

func (p *printer) rangeEnd(e syntax.Expr, m *index, w width) *buffer {
	if e == nil {
		return p.buf()
	}
	if _, ok := syntax.Unparen(e).(*syntax.IntLit); ok {
		return p.expr(e, m, w, true)
	}
	if _, ok := syntax.Unparen(e).(*syntax.Ident); ok && !p.f.Dialect.Version.AtLeast(syntax.V0_26) {
		// Before 0.26 "(A)" before ".." reads as a cast.
		return p.expr(e, m, w, true)
	}
	return p.buf().text("(").append(p.expr(e, m, w-4, true)).text(")")
}

// ifEnd is where bpftrace's if ends: after the final else block, or,
// without one, at the next token.
func (p *printer) ifEnd(s *syntax.IfStmt) syntax.Pos {
	for {
		switch e := s.Else.(type) {
		case *syntax.IfStmt:
			s = e
			continue
		case *syntax.BlockStmt:
			return e.End()
		}
		next := p.nextToken(s.End())
		for int(next) < len(p.src) && p.src[next] == ';' {
			// bpftrace prints the ';' away (and any more after it), and
			// on its next run the if reaches past it: the fixed point
			// drops the space after it.
			next = p.nextToken(next + 1)
		}
		if p.keepComments {
			// bpftrace's if swallows the comments after it; stop before
			// them so they lead the next statement instead.
			if c := p.firstComment(s.End(), next); c >= 0 {
				return c
			}
		}
		return next
	}
}

// firstComment returns where the first comment in [from, to) starts, or -1.
func (p *printer) firstComment(from, to syntax.Pos) syntax.Pos {
	cs := p.f.Comments()
	i := sort.Search(len(cs), func(i int) bool { return cs[i].Span.Start >= from })
	if i < len(cs) && cs[i].Span.Start < to {
		return cs[i].Span.Start
	}
	return -1
}

// nextToken skips layout (space and comments) from pos.
func (p *printer) nextToken(pos syntax.Pos) syntax.Pos {
	src := p.src
	i := int(pos)
	for i < len(src) {
		switch {
		case src[i] == '\n' || isHSpace(src[i]):
			i++
		case src[i] == '/' && i+1 < len(src) && src[i+1] == '/':
			for i < len(src) && src[i] != '\n' {
				i++
			}
		case src[i] == '/' && i+1 < len(src) && src[i+1] == '*':
			i += 2
			for i+1 < len(src) && !(src[i] == '*' && src[i+1] == '/') {
				i++
			}
			i += 2
		default:
			return syntax.Pos(i)
		}
	}
	return syntax.Pos(len(src))
}

// ifStmt prints an if chain: on one line only when it is a value with an
// else and fits.
func (p *printer) ifStmt(s *syntax.IfStmt, m *index, w width, mode blockMode) *buffer {
	type pair struct{ cond, body *buffer }
	var pairs []pair
	var final *buffer
	var total width
	for it := s; ; {
		condEnd := s.Cond.End()
		if p.keepComments && it == s {
			// bpftrace prints the comments after the condition on its
			// line, and reads them back at the top of the body: they go
			// there at once.
			condEnd = p.exprEnd(syntax.Unparen(s.Cond.X))
		}
		cm := m.before(condEnd)
		_, ct := syntax.Unparen(it.Cond.X).(*syntax.ComptimeExpr)
		c := p.cond(p.expr(it.Cond.X, cm, w-5, ct), it.Cond.X)
		c.metadata(cm, inline)
		body := p.block(it.Then, m, w-indentWidth, mode)
		total += c.width() + 5 + body.width() + 3
		pairs = append(pairs, pair{c, body})
		if next, ok := it.Else.(*syntax.IfStmt); ok {
			it = next
			continue
		}
		if eb, ok := it.Else.(*syntax.BlockStmt); ok {
			final = p.block(eb.Block, m, w-indentWidth, mode)
		}
		break
	}
	thenValue := mode == valueBlock && len(s.Then.Stmts) > 0 && p.trailing(s.Then.Stmts[len(s.Then.Stmts)-1])
	nonExpr := !thenValue || s.Else == nil
	multi := false
	for _, pr := range pairs {
		multi = multi || pr.cond.numLines() > 1 || pr.body.numLines() > 1
	}
	b := p.buf()
	if nonExpr || total > w || len(pairs) > 1 || multi {
		for i, pr := range pairs {
			kw := "if "
			if i > 0 {
				kw = " else if "
			}
			b.text(kw).append(pr.cond).text(" {").appendAt(pr.body, indentWidth).text("}")
		}
		if final != nil {
			b.text(" else {").appendAt(final, indentWidth).text("}")
		}
		return b
	}
	for i, pr := range pairs {
		kw := "if "
		if i > 0 {
			kw = " else if "
		}
		b.text(kw).append(pr.cond).text(" { ").append(pr.body).text(" }")
	}
	if final != nil {
		b.text(" else { ").append(final).text(" }")
	}
	return b
}

// cond parenthesizes a condition bpftrace prints bare where the dialect
// predates bare conditions.
func (p *printer) cond(c *buffer, x syntax.Expr) *buffer {
	if _, ok := syntax.Unparen(x).(*syntax.TupleExpr); ok {
		// "if ()" reads as an if with its condition missing, and
		// "if (A,0)" as the condition A and a stray ",0" (bpftrace
		// prints both so).
		return p.buf().text("(").append(c).text(")")
	}
	if !p.parens {
		if primitive(x) && c.startsWith('(') {
			// "if ({ 0 }).0 {" would read as the condition "({ 0 })"
			// and a stray ".0"; bpftrace prints it so all the same.
			return p.buf().text("(").append(c).text(")")
		}
		return c
	}
	_, ct := syntax.Unparen(x).(*syntax.ComptimeExpr)
	if !primitive(x) && !ct {
		return c
	}
	return p.buf().text("(").append(c).text(")")
}
