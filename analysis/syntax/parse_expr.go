// This file implements parsing of expressions.

package syntax

// parseExpr parses a full expression (a ternary).
func (p *parser) parseExpr() Expr {
	p.enter()
	defer p.leave()
	return p.parseTernaryRest(p.parseBinary(1))
}

// parseTernaryRest continues an expression whose condition cond has been
// parsed: "cond ? a : b", or cond itself.
func (p *parser) parseTernaryRest(cond Expr) Expr {
	if p.tok != Question {
		return cond
	}
	t := &TernaryExpr{Cond: cond, Question: p.pos, Colon: NoPos}
	p.next()
	if p.tok == Colon { // c ?: b
		p.need(FeatShortTernary, Span{t.Question, p.end})
		t.Colon = p.pos
		p.next()
		t.Else = p.parseExpr()
		return t
	}
	t.Then = p.parseExpr()
	t.Colon = p.expect(Colon)
	t.Else = p.parseExpr()
	return t
}

// parseBinary parses binary operators of precedence minPrec or higher by
// precedence climbing; all are left-associative.
func (p *parser) parseBinary(minPrec int) Expr {
	outer := p.measure()
	return p.parseBinaryRest(p.parseUnary(), minPrec, outer)
}

// parseBinaryRest continues a binary expression whose left operand x has
// been parsed since p.measure returned outer. Each operator is a level of
// the tree, so the chain counts against the height limit.
func (p *parser) parseBinaryRest(x Expr, minPrec, outer int) Expr {
	h := p.height()
	for {
		prec := precOf(p.tok)
		if prec == 0 || prec < minPrec {
			break
		}
		if p.tok == Slash && p.inPred && p.peekNonLayout(int(p.end)) == '{' {
			break // the '/' closes the predicate
		}
		b := p.a.binarys.Put(BinaryExpr{X: x, OpPos: p.pos, Op: p.tok})
		p.next()
		p.measure()
		b.Y = p.parseBinary(prec + 1)
		h = p.link(h, p.height(), b.OpPos)
		x = b
	}
	p.measured(outer, h)
	return x
}

// parseUnary parses prefix operators, casts, then a postfix expression.
func (p *parser) parseUnary() Expr {
	p.enter()
	defer p.leave()
	switch p.tok {
	case Minus, Not, Tilde, Star, Amp, Inc, Dec:
		u := p.a.unarys.Put(UnaryExpr{OpPos: p.pos, Op: p.tok})
		if p.tok == Amp {
			p.need(FeatAddrOf, Span{p.pos, p.end})
		}
		p.next()
		u.X = p.parseUnary()
		p.checkOperand(u)
		return u
	case LParen:
		if c := p.tryCast(); c != nil {
			return c
		}
	}
	return p.parsePrimaryPostfix()
}

// parsePrimaryPostfix parses a primary expression and its postfix
// operators.
func (p *parser) parsePrimaryPostfix() Expr {
	outer := p.measure()
	return p.parsePostfix(p.parsePrimary(), outer)
}

// parsePostfix parses ".f", "->f", ".0", "[i]", "++" and "--" after x,
// which was parsed since p.measure returned outer. Like a binary chain,
// each postfix operator is a level of the tree.
func (p *parser) parsePostfix(x Expr, outer int) Expr {
	h := p.height()
	for {
		switch p.tok {
		case Dot, Arrow:
			f := p.a.fields.Put(FieldExpr{X: x, OpPos: p.pos, Arrow: p.tok == Arrow})
			p.next()
			f.Field = p.parseFieldName()
			h = p.link(h, 0, f.OpPos)
			x = f
		case LBrack:
			ix := &IndexExpr{X: x, Lbrack: p.pos}
			p.next()
			p.measure()
			ix.Index = p.parseExpr()
			h = p.link(h, p.height(), ix.Lbrack)
			ix.Rbrack = p.expectClose(RBrack)
			ix.Close = p.prevEnd
			x = ix
		case Inc, Dec:
			u := &UnaryExpr{OpPos: p.pos, Op: p.tok, X: x, Postfix: true}
			p.next()
			h = p.link(h, 0, u.OpPos)
			p.checkOperand(u)
			x = u
		default:
			p.measured(outer, h)
			return x
		}
	}
}

// checkOperand reports ++, -- and & applied to anything but a variable or a
// map, which bpftrace's grammar rejects.
func (p *parser) checkOperand(u *UnaryExpr) {
	if u.Op != Inc && u.Op != Dec && u.Op != Amp {
		return
	}
	switch u.X.(type) {
	case *VarExpr, *MapExpr, *BadExpr:
		return
	}
	p.errorf(Span{u.X.Pos(), u.X.End()}, "syntax/invalid-operand", "%s needs a $variable or a @map operand", u.Op)
}

// parseFieldName parses the name after '.' or '->': any identifier or
// keyword, or an integer tuple index.
func (p *parser) parseFieldName() *Ident {
	if p.tok == Identifier || p.tok == Int || p.tok.IsKeyword() {
		id := p.a.idents.Put(Ident{NamePos: p.pos, Name: p.name()})
		p.next()
		return id
	}
	p.errorExpected("field name")
	return &Ident{NamePos: p.prevEnd}
}

// parsePrimary parses an operand.
func (p *parser) parsePrimary() Expr {
	switch p.tok {
	case Int:
		return p.parseIntLit()
	case Str:
		return p.parseStrLit()
	case KwTrue, KwFalse:
		x := &BoolLit{ValuePos: p.pos, Value: p.tok == KwTrue}
		p.next()
		return x
	case VarIdent:
		x := p.a.vars.Put(VarExpr{Dollar: p.pos, Name: p.a.intern(p.bytes(p.pos+1, p.end))})
		p.next()
		return x
	case MapIdent:
		return p.parseMap()
	case Param, ParamCount:
		return p.parseParam()
	case Identifier:
		if p.atItemStart() { // a half-typed line: leave the next item alone
			p.errorf(p.closeSpan(), "syntax/expected-token", "expected expression, found %s", p.describe())
			return &BadExpr{From: p.prevEnd, To: p.prevEnd}
		}
		id := p.a.idents.Put(Ident{NamePos: p.pos, Name: p.name()})
		p.next()
		if p.tok == LParen {
			switch {
			case id.Name == "nsecs": // nsecs() and nsecs(clock) since 0.19
				p.need(FeatNsecsCall, Span{id.Pos(), id.End()})
			case builtinVars017[id.Name] || isArgN(id.Name):
				p.need(FeatBuiltinCall, Span{id.Pos(), id.End()})
			}
			return p.parseCall(id)
		}
		return id
	case LParen:
		return p.parseParenExpr()
	case LBrace:
		p.need(FeatBlockExpr, Span{p.pos, p.end})
		return &BlockExpr{Block: p.parseBlock()}
	case KwIf:
		p.need(FeatIfExpr, Span{p.pos, p.end})
		return &IfExpr{If: p.parseIf()}
	case KwSizeof, KwOffsetof, KwTypeof, KwTypeinfo:
		return p.parseTypeFunc()
	case KwComptime:
		x := &ComptimeExpr{Comptime: p.pos}
		p.need(FeatComptime, Span{p.pos, p.end})
		p.next()
		x.X = p.parseUnary()
		return x
	case Illegal:
		x := &BadExpr{From: p.pos, To: p.end}
		p.reportIllegal()
		return x
	}
	p.errorExpected("expression")
	return &BadExpr{From: p.prevEnd, To: p.prevEnd}
}

// parseMap parses "@name" with optional keys "[k1, k2]".
func (p *parser) parseMap() *MapExpr {
	m := p.a.maps.Put(MapExpr{At: p.pos, Name: p.a.intern(p.bytes(p.pos+1, p.end)), Lbrack: NoPos, Rbrack: NoPos})
	p.next()
	if p.tok == LBrack {
		m.Lbrack = p.pos
		p.next()
		m.Keys = p.parseExprList(RBrack, false)
		m.Rbrack = p.expectClose(RBrack)
	}
	return m
}

// parseExprList parses "e {, e}" up to (not including) close. A comma
// before close is an error unless trailing allows it: every bpftrace
// refuses printf("%d", a, ) and @m[1, ].
func (p *parser) parseExprList(close Kind, trailing bool) []Expr {
	base := len(p.a.exprStack)
	for p.tok != close && p.tok != EOF && !p.atItemStart() {
		from := p.pos
		x := p.parseExpr() // which may push and pop lists of its own
		p.a.exprStack = append(p.a.exprStack, x)
		if p.pos == from {
			break
		}
		if _, ok := p.got(Comma); !ok {
			break
		}
		if p.tok == close && !trailing {
			p.errorf(Span{p.pos, p.end}, "syntax/expected-token", "expected expression after ',', found %s", p.describe())
		}
	}
	return p.a.popExprs(base)
}

// parseCall parses the argument list of fun.
func (p *parser) parseCall(fun *Ident) *CallExpr {
	c := p.a.calls.Put(CallExpr{Fun: fun, Lparen: p.pos})
	p.next()
	c.Args = p.parseExprList(RParen, false)
	c.Rparen = p.expectClose(RParen)
	c.Close = p.prevEnd
	return c
}

// parseParam parses "$1" or "$#".
func (p *parser) parseParam() *PositionalParam {
	x := &PositionalParam{Dollar: p.pos, Text: p.text(), Count: p.tok == ParamCount}
	if !x.Count {
		n := 0
		for _, c := range x.Text[1:] {
			if n = n*10 + int(c-'0'); n > 1<<20 {
				break
			}
		}
		if n == 0 || n > 1<<20 {
			p.errorf(Span{p.pos, p.end}, "syntax/invalid-param", "positional parameter %s is out of range", x.Text)
			n = 0
		}
		x.N = n
	}
	p.next()
	return x
}

// parseParenExpr parses "()", a record, a tuple or "(e)"; casts are tried
// first by parseUnary.
func (p *parser) parseParenExpr() Expr {
	lparen := p.pos
	p.next()
	if p.tok == RParen {
		p.need(FeatShortTuple, Span{lparen, p.end})
		p.next()
		return &TupleExpr{Lparen: lparen, Rparen: p.prevEnd - 1, Close: p.prevEnd}
	}
	if p.tok == Identifier && p.peekIsAssign() {
		return p.parseRecord(lparen)
	}
	x := p.parseExpr()
	if p.tok != Comma {
		pe := p.a.parens.Put(ParenExpr{Lparen: lparen, X: x})
		pe.Rparen = p.expectClose(RParen)
		pe.Close = p.prevEnd
		if id, ok := x.(*Ident); ok && !p.d.Version.AtLeast(V0_26) && lexesAsName(id.Name, p.d.Version) && !startsOperand(p.tok) {
			p.need(FeatParenName, Span{lparen, pe.Close})
		}
		return pe
	}
	t := &TupleExpr{Lparen: lparen, Elems: []Expr{x}}
	p.next()
	t.Elems = append(t.Elems, p.parseExprList(RParen, true)...)
	if len(t.Elems) == 1 {
		p.need(FeatShortTuple, Span{lparen, p.end})
	}
	t.Rparen = p.expectClose(RParen)
	t.Close = p.prevEnd
	return t
}

// peekIsAssign reports whether a single '=' (not '==') follows the token.
func (p *parser) peekIsAssign() bool {
	off := p.peekOff(int(p.end))
	return p.at(off) == '=' && p.at(off+1) != '='
}

// parseRecord parses "(a = 1, b = 2)" after its '('.
func (p *parser) parseRecord(lparen Pos) *RecordExpr {
	r := &RecordExpr{Lparen: lparen}
	p.need(FeatRecord, Span{lparen, p.pos})
	seen := map[string]bool{}
	for {
		if p.tok != Identifier {
			p.errorExpected("record field name")
			break
		}
		f := &RecordField{Name: &Ident{NamePos: p.pos, Name: p.text()}}
		if seen[f.Name.Name] {
			p.errorf(Span{p.pos, p.end}, "syntax/duplicate-field", "record already has a field named %q", f.Name.Name)
		}
		seen[f.Name.Name] = true
		p.next()
		p.expect(Assign)
		f.Value = p.parseExpr()
		r.Fields = append(r.Fields, f)
		if _, ok := p.got(Comma); !ok {
			break
		}
	}
	r.Rparen = p.expectClose(RParen)
	r.Close = p.prevEnd
	return r
}
