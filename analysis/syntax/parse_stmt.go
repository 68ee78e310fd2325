// This file implements parsing of blocks and statements.

package syntax

// parseBlock parses "{ stmts }". It never returns nil: text it cannot parse
// becomes a BadStmt, and a missing '{' gives an empty block, so that later
// passes still see every probe. A line that starts a new top-level item ends
// the block (its '}' is then reported missing).
func (p *parser) parseBlock() *Block {
	p.enter()
	defer p.leave()
	b := p.a.blocks.Put(Block{Lbrace: p.pos, Rbrace: NoPos})
	if p.tok != LBrace {
		if p.tok == EOF || p.tok == Illegal || p.atItemStart() {
			p.errorExpected("'{'")
		} else {
			// At the token found, even on a later line: bpftrace reports
			// a missing '{' there, since the line before may be complete.
			p.errorf(Span{p.pos, p.end}, "syntax/expected-token", "expected '{', found %s", p.describe())
		}
		b.Lbrace, b.Close = p.prevEnd, p.prevEnd
		return b
	}
	p.next()
	base := len(p.a.stmtStack)
	for p.tok != RBrace && p.tok != EOF && !p.atItemStart() {
		if p.tok == Semi { // an empty statement
			p.next()
			continue
		}
		p.parseStmtRecover()
	}
	b.Stmts = p.a.popStmts(base)
	b.Rbrace = p.expectClose(RBrace)
	b.Close = p.prevEnd
	return b
}

// parseStmtRecover parses one statement and pushes it on the arena's
// statement stack. After a broken statement it skips to the end of the
// line, a ';' or a '}', so the next statement starts clean; skipped text
// becomes a BadStmt.
func (p *parser) parseStmtRecover() {
	from, nerr := p.pos, p.syntaxErr
	s := p.parseStmt() // which may push and pop lists of its own
	a := p.a
	if p.syntaxErr == nerr {
		a.stmtStack = append(a.stmtStack, s)
		return
	}
	if p.pos == from { // nothing consumed: skip at least one token
		p.next()
		a.stmtStack = append(a.stmtStack, &BadStmt{From: from, To: p.skipLine()})
		return
	}
	a.stmtStack = append(a.stmtStack, s)
	if p.prevEnd > 0 && p.at(int(p.prevEnd)-1) == ';' {
		return // the broken statement still ended properly
	}
	if skipFrom := p.pos; !p.atStmtBoundary() {
		a.stmtStack = append(a.stmtStack, &BadStmt{From: skipFrom, To: p.skipLine()})
	}
}

// atStmtBoundary reports whether the current token can begin the next
// statement after an error: '}', EOF, or a token that starts a line.
func (p *parser) atStmtBoundary() bool {
	return p.tok == RBrace || p.tok == EOF || p.atLineStart(p.pos)
}

// skipLine skips to a statement boundary, consuming a ';' on the way, and
// returns the end of the skipped text.
func (p *parser) skipLine() Pos {
	for !p.atStmtBoundary() {
		if p.tok == Semi {
			p.next()
			break
		}
		if p.tok == LBrace {
			p.skipBalanced()
			continue
		}
		p.next()
	}
	return p.prevEnd
}

// parseStmt parses one statement.
func (p *parser) parseStmt() Stmt {
	switch p.tok {
	case KwIf:
		outer := p.measure()
		s := p.parseIf()
		if (precOf(p.tok) > 0 || p.tok == Question) && p.d.Version.AtLeast(V0_26) {
			// "if c { 1 } else { 2 } + x": 0.26 reads the if as the first
			// operand of an expression; 0.24's grammar ends the statement
			// at the if's last block ("-1;" is then the next one).
			x := p.parseBinaryRest(&IfExpr{If: s}, 1, outer)
			return p.simpleStmt(p.parseTernaryRest(x), false)
		}
		p.measured(outer, p.height())
		p.semiAfterBlock()
		return s
	case KwWhile:
		return p.parseWhile()
	case KwUnroll:
		return p.parseUnroll()
	case KwFor:
		return p.parseFor()
	case KwBreak, KwContinue, KwReturn:
		return p.parseJump()
	case KwLet:
		return p.parseLet()
	case KwImport:
		return p.parseImport(true)
	case LBrace:
		p.need(FeatBlockExpr, Span{p.pos, p.end})
		outer := p.measure()
		b := p.parseBlock()
		if (precOf(p.tok) > 0 || p.tok == Question) && (p.d.Version.AtLeast(V0_26) || endsInValue(b)) {
			// "{ 1 } + x": followed by an operator, the block is the
			// first operand of an expression. Before 0.26 only a block
			// with a value is an expression: "{ @a = 1; } -1;" is two
			// statements there.
			x := p.parseBinaryRest(&BlockExpr{Block: b}, 1, outer)
			return p.simpleStmt(p.parseTernaryRest(x), false)
		}
		p.measured(outer, p.height())
		s := &BlockStmt{Block: b}
		if endsInValue(b) {
			// "{ 1 };" is an expression statement from 0.24 on.
			p.got(Semi)
		} else {
			p.semiAfterBlock()
		}
		return s
	}
	if p.tok == Identifier && p.is("_") && p.peekNonLayout(int(p.end)) == '=' {
		p.need(FeatDiscard, Span{p.pos, p.end})
	}
	return p.parseSimpleStmt()
}

// semiAfterBlock consumes a ';' after an if or a block statement, which
// releases before 0.26 refuse.
func (p *parser) semiAfterBlock() {
	if p.tok == Semi {
		p.need(FeatSemiAfterBlock, Span{p.pos, p.end})
		p.next()
	}
}

// endsInValue reports whether b ends in an expression without ';'.
func endsInValue(b *Block) bool {
	n := len(b.Stmts)
	if n == 0 {
		return false
	}
	x, ok := b.Stmts[n-1].(*ExprStmt)
	return ok && !x.Semi.IsValid()
}

// parseSimpleStmt parses an assignment, an increment or an expression
// statement.
func (p *parser) parseSimpleStmt() Stmt {
	sigiled := p.tok == VarIdent || p.tok == MapIdent
	if sigiled && p.d.Version.AtLeast(V0_26) {
		// 0.26 reads a statement that starts with a $variable or an @map
		// as an assignment or an operator chain without '?': "$a ? 1 : 2;"
		// is "expected ';'" at the '?' there (0.24 and 0.17 accept it).
		x := p.parseBinary(1)
		if p.tok == Question {
			p.errorf(Span{p.pos, p.end}, "syntax/expected-token", "expected ';', found %s: bpftrace 0.26 reads no '?' in a statement that starts with a $variable or an @map; put the condition in parentheses", p.describe())
			return p.a.estmts.Put(ExprStmt{X: x, Semi: NoPos})
		}
		return p.simpleStmt(x, true)
	}
	return p.simpleStmt(p.parseExpr(), sigiled)
}

// simpleStmt ends the statement that begins with the expression x;
// sigiled tells that the statement starts with a $variable or an @map.
func (p *parser) simpleStmt(x Expr, sigiled bool) Stmt {
	if p.tok.IsAssignOp() {
		s := p.a.assigns.Put(AssignStmt{LHS: x, OpPos: p.pos, Op: p.tok})
		p.checkAssignTarget(x, p.tok)
		p.next()
		s.RHS = p.parseExpr()
		s.Semi = p.stmtEnd()
		return s
	}
	if u, ok := x.(*UnaryExpr); ok && (u.Op == Inc || u.Op == Dec) {
		return &IncDecStmt{X: u.X, OpPos: u.OpPos, Op: u.Op, Prefix: !u.Postfix, Semi: p.stmtEnd()}
	}
	s := p.a.estmts.Put(ExprStmt{X: x})
	switch x.(type) {
	case *IfExpr, *BlockExpr: // need no ';'
		s.Semi, _ = p.got(Semi)
	case *TernaryExpr:
		if p.tok == Semi || p.tok == RBrace || sigiled {
			s.Semi = p.stmtEnd()
			break
		}
		// 0.26 parses "c ? a : b" as an if expression, which ends its
		// statement without ';' like an if.
		p.need(FeatTernaryNoSemi, Span{p.pos, p.end})
		s.Semi = NoPos
	default:
		s.Semi = p.stmtEnd()
	}
	return s
}

// checkAssignTarget reports an assignment to anything but a variable, a map
// (element) or, for "=", the discard name "_". Tuple and record fields are
// immutable in bpftrace.
func (p *parser) checkAssignTarget(x Expr, op Kind) {
	switch x := x.(type) {
	case *VarExpr, *MapExpr, *BadExpr:
		return
	case *Ident:
		if x.Name == "_" && op == Assign {
			return
		}
	}
	p.errorf(Span{x.Pos(), x.End()}, "syntax/invalid-assignment", "cannot assign to this expression; only $variables and @maps can be assigned")
}

// stmtEnd consumes the ';' that ends a statement. Before '}' it is optional
// (the statement is then the block's value).
func (p *parser) stmtEnd() Pos {
	if p.tok == RBrace {
		return NoPos
	}
	return p.expectSemi()
}

// expectSemi consumes ';' or reports it missing just after the previous
// token.
func (p *parser) expectSemi() Pos {
	return p.expectClose(Semi)
}

// expectClose consumes k or reports it missing right after the previous
// token, where the user has to type it.
func (p *parser) expectClose(k Kind) Pos {
	if pos, ok := p.got(k); ok {
		return pos
	}
	if p.reportIllegal() {
		if pos, ok := p.got(k); ok {
			return pos
		}
		return NoPos
	}
	p.errorf(p.closeSpan(), "syntax/expected-token", "expected %s, found %s", k, p.describe())
	return NoPos
}

// closeSpan is the empty span just after the previous token.
func (p *parser) closeSpan() Span { return Span{p.prevEnd, p.prevEnd} }

// parseCond parses "( expr )" or, since 0.24, a unary expression.
func (p *parser) parseCond() Cond {
	if p.tok == LParen {
		c := Cond{Lparen: p.pos}
		p.next()
		c.X = p.parseExpr()
		c.Rparen = p.expectClose(RParen)
		return c
	}
	c := Cond{Lparen: NoPos, Rparen: NoPos}
	start := p.pos
	outer := p.measure()
	c.X = p.parseUnary()
	p.need(FeatBareCond, Span{c.X.Pos(), c.X.End()})
	if precOf(p.tok) > 0 {
		// "if $x > 1 {": bpftrace wants parentheses around anything but a
		// single operand. Say so, and take the whole expression.
		p.errorf(Span{start, p.end}, "syntax/expected-token",
			"expected '{' after the condition; a condition of more than one operand needs parentheses")
		c.X = p.parseBinaryRest(c.X, 1, outer)
		return c
	}
	p.measured(outer, p.height())
	return c
}

// parseIf parses "if cond block [else (block | if …)]".
func (p *parser) parseIf() *IfStmt {
	p.enter() // "else if" chains recurse
	defer p.leave()
	s := p.a.ifs.Put(IfStmt{If: p.pos})
	p.next()
	s.Cond = p.parseCond()
	s.Then = p.parseBlock()
	if p.tok == KwElse {
		p.next()
		switch p.tok {
		case KwIf:
			s.Else = p.parseIf()
		default:
			s.Else = &BlockStmt{Block: p.parseBlock()}
		}
	}
	return s
}

func (p *parser) parseWhile() *WhileStmt {
	s := &WhileStmt{While: p.pos}
	p.next()
	s.Cond = p.parseCond()
	s.Body = p.parseBlock()
	return s
}

func (p *parser) parseUnroll() *UnrollStmt {
	s := &UnrollStmt{Unroll: p.pos}
	p.next()
	s.Cond = p.parseCond()
	s.Body = p.parseBlock()
	return s
}

// parseFor parses "for [(] $x : (@map | a..b) [)] block".
func (p *parser) parseFor() *ForStmt {
	s := &ForStmt{For: p.pos, Lparen: NoPos, Rparen: NoPos}
	p.need(FeatFor, Span{p.pos, p.end})
	p.next()
	s.Lparen, _ = p.got(LParen)
	if p.tok == VarIdent {
		s.Var = &VarExpr{Dollar: p.pos, Name: p.text()[1:]}
		p.next()
	} else {
		p.errorExpected("loop variable")
		s.Var = &VarExpr{Dollar: p.prevEnd}
	}
	p.expect(Colon)
	first := p.parsePrimaryPostfix()
	if p.tok == DotDot {
		p.need(FeatForRange, Span{p.pos, p.end})
		p.next()
		s.From, s.To = first, p.parsePrimaryPostfix()
	} else if m, ok := first.(*MapExpr); ok {
		s.Map = m
	} else {
		p.errorf(Span{first.Pos(), first.End()}, "syntax/expected-token", "expected map or range in for loop")
		s.From = first // To stays nil: neither a map nor a range
	}
	if s.Lparen.IsValid() {
		s.Rparen = p.expectClose(RParen)
	}
	s.Body = p.parseBlock()
	return s
}

// parseJump parses break, continue or "return [expr]".
func (p *parser) parseJump() *JumpStmt {
	s := &JumpStmt{TokPos: p.pos, Tok: p.tok}
	p.next()
	if s.Tok == KwReturn && p.tok != Semi && p.tok != RBrace {
		s.Result = p.parseExpr()
		p.need(FeatReturnValue, Span{s.Result.Pos(), s.Result.End()})
	}
	p.stmtEnd()
	s.Close = p.prevEnd
	return s
}

// parseLet parses "let $x [: T] [= e];".
func (p *parser) parseLet() Stmt {
	s := &LetStmt{Let: p.pos}
	p.need(FeatLet, Span{p.pos, p.end})
	p.next()
	if p.tok != VarIdent {
		p.errorExpected("variable after 'let'")
		return &BadStmt{From: s.Let, To: p.prevEnd}
	}
	s.Var = &VarExpr{Dollar: p.pos, Name: p.text()[1:]}
	p.next()
	if _, ok := p.got(Colon); ok {
		s.Type = p.parseType()
	}
	if _, ok := p.got(Assign); ok {
		s.Value = p.parseExpr()
	}
	s.Semi = p.stmtEnd()
	s.Close = p.prevEnd
	return s
}
