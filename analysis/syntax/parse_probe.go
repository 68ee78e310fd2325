// This file implements parsing of probes, macros and fn definitions.

package syntax

// parseProbe parses "ap {, ap} [,] [/pred/] block".
func (p *parser) parseProbe() *Probe {
	pr := &Probe{}
	for {
		pr.AttachPoints = append(pr.AttachPoints, p.parseAttachPoint())
		if p.tok != Comma {
			break
		}
		p.next()
		if p.tok == Slash || p.tok == LBrace || !p.canStartAttachPoint() {
			break // trailing comma
		}
	}
	if p.tok == Slash {
		pr.Pred = p.parsePredicate()
	}
	pr.Body = p.parseBlock()
	return pr
}

// parseAttachPoint reads one attach point's raw text from the source; the
// current token only marks where it starts.
func (p *parser) parseAttachPoint() *AttachPoint {
	base := p.base // offsets below are into the window p.src
	start := int(p.pos) - base
	end := scanAttachPoint(p.src, start)
	p.saw(base + end + 2)
	if end == start { // cannot happen after canStartAttachPoint, but stay safe
		end = int(p.end) - base
	}
	ap := newAttachPoint(p.a, p.src, base, start, end)
	if ap.Name != nil {
		p.need(FeatNamedProbe, Span{ap.Name.Pos(), ap.Name.End()})
	}
	if end-start > 1 && p.src[start] == '$' && isIdentStart(p.src[start+1]) {
		n := start + 2
		for n < end && isIdentByte(p.src[n]) {
			n++
		}
		p.need(FeatVarAttachStart, Span{Pos(base + start), Pos(base + n)})
	}
	for _, part := range ap.Parts {
		if part.Quoted && !closedQuotes(part.Text) {
			p.errorf(part.Span, "syntax/unterminated-string", "unterminated string in attach point")
		}
	}
	p.seek(base + end)
	p.next()
	return ap
}

// closedQuotes reports whether every '"' in s is closed.
func closedQuotes(s string) bool {
	open := false
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '\\':
			i++
		case '"':
			open = !open
		}
	}
	return !open
}

// parsePredicate parses "/ expr /".
func (p *parser) parsePredicate() *Predicate {
	pred := &Predicate{Open: p.pos, Close: NoPos}
	p.next()
	p.inPred = true
	pred.Cond = p.parseExpr()
	p.inPred = false
	if p.tok == Slash {
		pred.Close = p.pos
		p.next()
	} else {
		p.errorf(p.closeSpan(), "syntax/expected-token", "expected '/' to close predicate, found %s", p.describe())
	}
	return pred
}

// parseMacro parses "macro NAME(params) block".
func (p *parser) parseMacro() *MacroDecl {
	m := &MacroDecl{Macro: p.pos, Rparen: NoPos}
	p.need(FeatMacro, Span{p.pos, p.end})
	p.next()
	m.Name = p.parseIdent()
	m.Lparen = p.expect(LParen)
	for m.Lparen.IsValid() && p.tok != RParen && p.tok != EOF {
		param := &MacroParam{Span: Span{p.pos, p.end}, Name: p.text()}
		switch p.tok {
		case VarIdent:
			param.Kind = MacroParamVar
		case MapIdent:
			param.Kind = MacroParamMap
		case Identifier:
			param.Kind = MacroParamIdent
		default:
			p.errorExpected("macro parameter ($var, @map or name)")
		}
		if p.tok != VarIdent && p.tok != MapIdent && p.tok != Identifier {
			break
		}
		m.Params = append(m.Params, param)
		p.next()
		if _, ok := p.got(Comma); !ok {
			break
		}
	}
	if m.Lparen.IsValid() {
		m.Rparen = p.expectClose(RParen)
	}
	m.Body = p.parseBlock()
	return m
}

// parseFuncDecl parses "fn NAME($a: T, …): R block".
func (p *parser) parseFuncDecl() *FuncDecl {
	f := &FuncDecl{Fn: p.pos, Rparen: NoPos}
	p.need(FeatFuncDecl, Span{p.pos, p.end})
	p.next()
	f.Name = p.parseIdent()
	f.Lparen = p.expect(LParen)
	for f.Lparen.IsValid() && p.tok == VarIdent {
		param := &FuncParam{Var: &VarExpr{Dollar: p.pos, Name: p.text()[1:]}}
		p.next()
		if p.expect(Colon).IsValid() {
			param.Type = p.parseType()
		}
		f.Params = append(f.Params, param)
		if _, ok := p.got(Comma); !ok {
			break
		}
	}
	if f.Lparen.IsValid() {
		f.Rparen = p.expectClose(RParen)
	}
	if _, ok := p.got(Colon); ok {
		f.Result = p.parseType()
	} else {
		p.errorExpected("':' and a return type")
	}
	f.Body = p.parseBlock()
	return f
}

// parseIdent parses an identifier, or reports one missing and returns an
// empty *Ident at the current position.
func (p *parser) parseIdent() *Ident {
	id := &Ident{NamePos: p.pos}
	if p.tok == Identifier {
		id.Name = p.text()
		p.next()
	} else {
		id.NamePos = p.prevEnd
		p.errorExpected("name")
	}
	return id
}
