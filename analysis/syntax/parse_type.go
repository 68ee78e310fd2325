// This file implements parsing of types, casts and the type functions
// sizeof, offsetof, typeof and typeinfo.

package syntax

// builtinNames are identifiers that are values, never type names, in either
// dialect; "(pid) * 2" is therefore a product, not a cast. Immutable.
var builtinNames = map[string]bool{
	"args": true, "ctx": true, "kstack": true, "ustack": true, "nsecs": true,
	"pid": true, "tid": true, "cgroup": true, "comm": true, "cpid": true,
	"numaid": true, "cpu": true, "curtask": true, "elapsed": true,
	"func": true, "gid": true, "probe": true, "rand": true, "retval": true,
	"uid": true, "username": true, "jiffies": true, "usermode": true,
}

// builtinVars017 are 0.17's builtin variables (besides argN and sargN);
// 0.17 rejects calling them, 0.24 allows "comm()". Immutable.
var builtinVars017 = map[string]bool{
	"args": true, "cgroup": true, "comm": true, "cpid": true, "numaid": true,
	"cpu": true, "ctx": true, "curtask": true, "elapsed": true, "func": true,
	"gid": true, "nsecs": true, "pid": true, "probe": true, "rand": true,
	"retval": true, "tid": true, "uid": true, "username": true,
}

// isArgN reports whether name is argN or sargN.
func isArgN(name string) bool {
	for _, pre := range [...]string{"arg", "sarg"} {
		if len(name) > len(pre) && name[:len(pre)] == pre && allDigits(name[len(pre):]) {
			return true
		}
	}
	return false
}

// isBuiltinName reports whether name is a builtin value (also argN, sargN).
// IsBuiltinName reports whether name is a builtin, which the argument of
// sizeof, offsetof, typeof and typeinfo reads as an expression, not a type.
func IsBuiltinName(name string) bool { return isBuiltinName(name) }

func isBuiltinName(name string) bool {
	if builtinNames[name] || isArgN(name) {
		return true
	}
	return len(name) > 10 && name[:10] == "__builtin_"
}

// lexesAsName reports whether bpftrace v's lexer reads name as a plain
// identifier (IDENT), not as a builtin of its own token class. Up to 0.23
// the builtin variables, kstack and ustack have their own tokens; 0.24
// turned most builtins into stdlib macros, which leaves only these few.
func lexesAsName(name string, v Version) bool {
	if isArgN(name) || len(name) > 10 && name[:10] == "__builtin_" {
		return false
	}
	switch name {
	case "args", "ctx", "kstack", "nsecs", "pid", "tid", "ustack":
		return false
	}
	if v.AtLeast(V0_24) {
		return true
	}
	return !builtinVars017[name] && !(name == "jiffies" && v.AtLeast(V0_20))
}

// startsOperand reports whether tok can begin the operand of a cast.
func startsOperand(tok Kind) bool {
	switch tok {
	case Int, Str, KwTrue, KwFalse, VarIdent, MapIdent, Param, ParamCount, Identifier,
		LParen, Minus, Not, Tilde, Star, Amp, Inc, Dec, LBrace, KwSizeof, KwOffsetof:
		return true
	}
	return false
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return false
		}
	}
	return s != ""
}

// startsType reports whether the current token can begin a type.
func (p *parser) startsType() bool {
	switch p.tok {
	case KwStruct, KwUnion, KwEnum, KwTypeof:
		return true
	case Identifier:
		// Before 0.26 a builtin that lexes as a plain name (0.24 made cpu,
		// comm and retval stdlib macros) is a type name to "(NAME) x".
		n := p.name()
		return !isBuiltinName(n) || !p.d.Version.AtLeast(V0_26) && p.d.Version.AtLeast(V0_24) && lexesAsName(n, p.d.Version)
	}
	return false
}

// tryCast parses "(T) unary" when the parenthesis holds a type followed by
// something that can start an expression; otherwise it restores the parser
// and returns nil.
func (p *parser) tryCast() Expr {
	save := p.save()
	lparen := p.pos
	p.next()
	if !p.startsType() {
		p.restore(save)
		return nil
	}
	sure := p.tok != Identifier // struct/union/enum/typeof: always a type
	t := p.parseType()
	if p.tok != RParen || !sure && !p.canStartExprAfter() {
		p.restore(save)
		return nil
	}
	c := &CastExpr{Lparen: lparen, Type: t, Rparen: p.pos}
	p.next()
	for _, sf := range t.Suffixes {
		if !sf.Ptr {
			p.need(FeatArrayCast, Span{sf.Pos(), sf.End()})
			break
		}
	}
	c.X = p.parseUnary()
	return c
}

// canStartExprAfter reports whether the token after the current ')' can
// start an expression (digit $ @ " ( - ! ~ * & or a name), as bpftrace checks.
func (p *parser) canStartExprAfter() bool {
	c := p.peekNonLayout(int(p.end))
	switch {
	case isDigit(c), isIdentStart(c):
		return true
	}
	switch c {
	case '$', '@', '"', '(', '-', '!', '~', '*', '&':
		return true
	}
	return false
}

// parseType parses "[struct|union|enum] NAME {* | [N]}" or "typeof(…)".
func (p *parser) parseType() *TypeExpr {
	t := &TypeExpr{Start: p.pos}
	switch p.tok {
	case KwStruct, KwUnion, KwEnum:
		t.Keyword = p.tok
		p.next()
		t.Name = p.parseIdent()
	case KwTypeof:
		t.Typeof = p.parseTypeFunc().(*TypeofExpr)
	case Identifier:
		t.Name = p.a.idents.Put(Ident{NamePos: p.pos, Name: p.name()})
		p.next()
	default:
		p.errorExpected("type")
		t.Start = p.prevEnd
	}
	for p.tok == Star || p.tok == LBrack {
		if len(t.Suffixes) == maxTypeSuffixes { // each level is a type later passes build in turn
			p.errorf(Span{p.pos, p.end}, "syntax/too-deep", "type nested too deeply (more than %d pointer or array levels)", maxTypeSuffixes)
			panic(bailout{})
		}
		sf := &TypeSuffix{Span: Span{p.pos, p.end}, Ptr: p.tok == Star}
		p.next()
		if !sf.Ptr {
			if p.tok == Int {
				sf.Len = p.parseIntLit()
			}
			p.expectClose(RBrack)
			sf.Span.End = p.prevEnd
		}
		t.Suffixes = append(t.Suffixes, sf)
	}
	if t.Name != nil && t.Keyword == 0 && t.Name.Name == "string" && len(t.Suffixes) > 0 && !t.Suffixes[0].Ptr {
		p.need(FeatSizedString, t.Suffixes[0].Span)
	}
	t.Close = p.prevEnd
	return t
}

// parseTypeOrExpr parses the argument of sizeof/offsetof/typeof/typeinfo:
// a type when it reads as one and is followed by ')' or ',', else an
// expression.
func (p *parser) parseTypeOrExpr() (*TypeExpr, Expr) {
	if p.startsType() {
		save := p.save()
		sure := p.tok != Identifier
		t := p.parseType()
		if sure || p.tok == RParen || p.tok == Comma {
			return t, nil
		}
		p.restore(save)
	}
	return nil, p.parseExpr()
}

// parseTypeFunc parses sizeof(…), offsetof(…, f.g), typeof(…) or
// typeinfo(…).
func (p *parser) parseTypeFunc() Expr {
	p.enter() // typeof(typeof(…)) recurses
	defer p.leave()
	kw, start := p.tok, p.pos
	switch kw {
	case KwOffsetof:
		p.need(FeatOffsetof, Span{p.pos, p.end})
	case KwTypeof:
		p.need(FeatTypeof, Span{p.pos, p.end})
	case KwTypeinfo:
		p.need(FeatTypeinfo, Span{p.pos, p.end})
	}
	p.next()
	var (
		t      *TypeExpr
		x      Expr
		fields []*Ident
	)
	if p.expect(LParen).IsValid() {
		t, x = p.parseTypeOrExpr()
		if kw == KwOffsetof {
			fields = p.parseOffsetofFields()
		}
		p.expectClose(RParen)
	}
	end := p.prevEnd
	switch kw {
	case KwSizeof:
		return &SizeofExpr{Sizeof: start, Type: t, X: x, Close: end}
	case KwOffsetof:
		return &OffsetofExpr{Offsetof: start, Type: t, X: x, Fields: fields, Close: end}
	case KwTypeof:
		return &TypeofExpr{Typeof: start, Type: t, X: x, Close: end}
	}
	return &TypeinfoExpr{Typeinfo: start, Type: t, X: x, Close: end}
}

// parseOffsetofFields parses ", f {. f}".
func (p *parser) parseOffsetofFields() []*Ident {
	if !p.expect(Comma).IsValid() {
		return nil
	}
	fields := []*Ident{p.parseFieldName()}
	for p.tok == Dot {
		p.next()
		fields = append(fields, p.parseFieldName())
	}
	if len(fields) > 1 {
		p.need(FeatOffsetofSubfield, Span{fields[0].Pos(), fields[len(fields)-1].End()})
	}
	return fields
}
