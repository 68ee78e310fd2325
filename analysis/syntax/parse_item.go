// This file implements parsing of top-level items.

package syntax

// parseItem parses one top-level item at the current token (not EOF).
func (p *parser) parseItem() Item {
	switch p.tok {
	case ShebangLine:
		it := &Shebang{Span: Span{p.pos, p.end}, Text: p.text()}
		p.next()
		return it
	case PreprocLine:
		return p.parsePreamble()
	case KwStruct, KwUnion, KwEnum:
		if p.looksLikeCDef() {
			return p.parsePreamble()
		}
	case KwImport:
		return p.parseImport(false)
	case KwLet:
		return p.parseMapDecl()
	case Identifier:
		switch p.text() {
		case "config":
			// bpftrace reads "config" opening an item as the config
			// keyword: "config, kprobe:f {}" is its syntax error too.
			if c := p.peekNonLayout(int(p.end)); c == '=' || c == '{' || c == ',' {
				return p.parseConfig()
			}
		case "macro":
			if isIdentStart(p.peekNonLayout(int(p.end))) {
				return p.parseMacro()
			}
		case "fn":
			if isIdentStart(p.peekNonLayout(int(p.end))) {
				return p.parseFuncDecl()
			}
		}
	}
	if !p.canStartAttachPoint() {
		from := p.pos
		p.errorf(Span{p.pos, p.end}, "syntax/unexpected-token", "unexpected %s at top level", p.describe())
		return &BadItem{From: from, To: p.skipItem()}
	}
	if p.probeArena != nil {
		p.a = p.probeArena
	}
	return p.parseProbe()
}

func (p *parser) canStartAttachPoint() bool {
	switch p.tok {
	case Identifier, Str, Star, Param, VarIdent, Int:
		return true
	}
	return p.tok.IsKeyword()
}

// parsePreamble parses a run of preprocessor lines and C definitions.
func (p *parser) parsePreamble() *Preamble {
	pre := &Preamble{}
	for {
		switch {
		case p.tok == PreprocLine:
			pre.Decls = append(pre.Decls, &CDecl{Kind: CPreproc, Span: Span{p.pos, p.end}, Text: p.text()})
			p.next()
			continue
		case (p.tok == KwStruct || p.tok == KwUnion || p.tok == KwEnum) && p.looksLikeCDef():
			pre.Decls = append(pre.Decls, p.parseCDef())
			continue
		}
		return pre
	}
}

// parseCDef reads "struct X { … } [__attribute__((…))] [;]" as raw text.
func (p *parser) parseCDef() *CDecl {
	d := &CDecl{Kind: CStruct}
	switch p.tok {
	case KwUnion:
		d.Kind = CUnion
	case KwEnum:
		d.Kind = CEnum
	}
	start := int(p.pos)
	p.next()
	if p.tok == Identifier {
		d.Name = p.text()
	}
	// Offsets into the window (p.src) from here; base+offset is absolute.
	base := p.base
	off := indexByteFrom(p.src, start-base, '{')
	end, ok := skipCBraces(p.src, off)
	p.saw(base + end + 1)
	p.collectComments(off, end)
	if !ok {
		p.errorf(Span{Pos(base + off), Pos(base + off + 1)}, "syntax/expected-token", "expected '}' to close the C definition")
	}
	// Optional attributes, then an optional ';'.
	p.seek(base + end)
	p.next()
	for p.tok == Identifier && p.text() == "__attribute__" {
		p.need(FeatCAttribute, Span{p.pos, p.end})
		open := p.peekOff(int(p.end)) - base
		e, ok := 0, false
		if byteAt(p.src, open) == '(' {
			e, ok = skipParens(p.src, open)
			p.saw(base + max(e, open) + 1)
		}
		if !ok || byteAt(p.src, open+1) != '(' || p.src[e-2] != ')' {
			p.errorf(Span{p.pos, p.end}, "syntax/expected-token", "expected __attribute__((…)) after a C definition")
		}
		if !ok { // skip the rest up to the next item
			for p.tok != EOF && !p.atItemStart() {
				p.next()
			}
			break
		}
		p.seek(base + e)
		p.next()
	}
	if p.tok == Semi {
		p.next()
	}
	d.Span = Span{Pos(start), p.prevEnd}
	d.Text = string(p.bytes(Pos(start), p.prevEnd))
	return d
}

// collectComments records the comments inside raw C text [from, to), in
// offsets into the window.
func (p *parser) collectComments(from, to int) {
	for i := from; i < to; i++ {
		if p.src[i] != '/' || (byteAt(p.src, i+1) != '/' && byteAt(p.src, i+1) != '*') {
			continue
		}
		sc := scanner{src: p.src[:to], base: p.base, off: i}
		sc.skipLayout(&p.comments)
		i = sc.off - 1
	}
}

// peekOff returns the offset of the first non-layout byte at or after off;
// both are absolute.
func (p *parser) peekOff(off int) int {
	sc := scanner{src: p.src, base: p.base, off: off - p.base}
	var discard []Comment
	sc.skipLayout(&discard)
	p.saw(p.base + sc.off + 2)
	return p.base + sc.off
}

func indexByteFrom(src []byte, from int, c byte) int {
	for i := from; i < len(src); i++ {
		if src[i] == c {
			return i
		}
	}
	return len(src)
}

// skipCBraces skips a balanced {…} at off, ignoring comments, and returns
// the offset after the closing brace.
func skipCBraces(src []byte, off int) (int, bool) {
	return skipBalancedBytes(src, off, '{', '}')
}

func skipParens(src []byte, off int) (int, bool) {
	return skipBalancedBytes(src, off, '(', ')')
}

func skipBalancedBytes(src []byte, off int, open, close byte) (int, bool) {
	depth := 0
	for i := off; i < len(src); i++ {
		switch c := src[i]; {
		case c == '/' && byteAt(src, i+1) == '/':
			i = indexByteFrom(src, i, '\n')
		case c == '/' && byteAt(src, i+1) == '*':
			if j := indexFrom(src, i+2, "*/"); j >= 0 {
				i = j + 1
			} else {
				return len(src), false
			}
		case c == open:
			depth++
		case c == close:
			depth--
			if depth == 0 {
				return i + 1, true
			}
		}
	}
	return len(src), false
}

// looksLikeCDef reports whether the struct/union/enum keyword at the
// current token starts a C definition: a '{' comes before any ':' '/' ','
// ';' (so "struct:f {}" is a probe).
func (p *parser) looksLikeCDef() bool {
	sc := scanner{src: p.src, base: p.base, off: int(p.pos) - p.base}
	defer func() { p.saw(p.base + sc.off + 3) }()
	src := p.src
	var discard []Comment
	sc.scan(&discard) // the keyword
	for {
		t := sc.scan(&discard)
		switch t.kind {
		case LBrace:
			return true
		case LParen, LBrack:
			closer := byte(')')
			if t.kind == LBrack {
				closer = ']'
			}
			at := int(t.pos) - p.base
			end, ok := skipBalancedBytes(src, at, src[at], closer)
			if !ok {
				p.saw(p.base + len(src) + 1)
				return false
			}
			sc.off = end
			continue
		}
		if t.kind != Identifier && !t.kind.IsKeyword() {
			return false
		}
	}
}

// parseConfig parses "config = { name = value; … }".
func (p *parser) parseConfig() *ConfigBlock {
	c := &ConfigBlock{Config: p.pos, Rbrace: NoPos}
	p.need(FeatConfig, Span{p.pos, p.end})
	p.next()
	p.expect(Assign)
	c.Lbrace = p.expect(LBrace)
	if !c.Lbrace.IsValid() {
		c.Close = p.prevEnd
		p.skipItem()
		return c
	}
	for p.tok != RBrace && p.tok != EOF && !p.atItemStart() {
		if p.tok == Semi {
			p.next()
			continue
		}
		if p.tok != Identifier && !p.tok.IsKeyword() {
			p.errorExpected("config variable name")
			p.skipStmt()
			continue
		}
		it := &ConfigItem{Name: &Ident{NamePos: p.pos, Name: p.text()}}
		p.next()
		if p.expect(Assign).IsValid() {
			it.Value = p.parseConfigValue()
		}
		c.Items = append(c.Items, it)
		if p.tok != RBrace {
			p.expectSemi()
		}
	}
	c.Rbrace = p.expectClose(RBrace)
	c.Close = p.prevEnd
	return c
}

func (p *parser) parseConfigValue() Expr {
	switch p.tok {
	case Int, Str, KwTrue, KwFalse, Identifier:
		return p.parsePrimary()
	}
	p.errorExpected("config value")
	return &BadExpr{From: p.prevEnd, To: p.prevEnd}
}

// parseImport parses `import "path";`.
func (p *parser) parseImport(stmt bool) *ImportDecl {
	d := &ImportDecl{Import: p.pos}
	if stmt {
		p.need(FeatStmtImport, Span{p.pos, p.end})
	} else {
		p.need(FeatImport, Span{p.pos, p.end})
	}
	p.next()
	if p.tok == Str {
		d.Path = p.parseStrLit()
	} else {
		p.errorExpected("import path string")
	}
	p.expectSemi()
	d.Close = p.prevEnd
	return d
}

// parseMapDecl parses "let @m = hash(N);".
func (p *parser) parseMapDecl() Item {
	from := p.pos
	if p.peekNonLayout(int(p.end)) != '@' {
		p.errorf(Span{p.pos, p.end}, "syntax/unexpected-token", "a top-level let must declare a map, as in let @a = hash(2)")
		return &BadItem{From: from, To: p.skipItem()}
	}
	d := &MapDecl{Let: p.pos}
	p.need(FeatMapDecl, Span{p.pos, p.end})
	p.next()
	d.Map = &MapExpr{At: p.pos, Name: p.text()[1:], Lbrack: NoPos, Rbrack: NoPos}
	p.next()
	p.expect(Assign)
	if p.tok == Identifier {
		d.Kind = &Ident{NamePos: p.pos, Name: p.text()}
		p.next()
		if p.expect(LParen).IsValid() {
			d.Size = p.parseExpr()
			p.expectClose(RParen)
		}
	} else {
		p.errorExpected("map kind (hash, lruhash, percpuhash, percpulruhash)")
		p.skipStmt()
		d.Close = p.prevEnd
		return d
	}
	if p.tok == Semi {
		p.next()
	}
	d.Close = p.prevEnd
	return d
}
