// This file implements copy-on-shift: Reparse reuses the items after an
// edit by copying them with every position moved by the edit's length
// change. Nodes of the old File are never modified, since other snapshots
// may still hold it.

package syntax

// shifter copies nodes, adding d to every valid position. Copies come from
// an arena, which keeps the cost of a re-parse down.
type shifter struct {
	d Pos
	arena
}

func (s *shifter) pos(p Pos) Pos {
	if p.IsValid() {
		return p + s.d
	}
	return p
}

func (s *shifter) span(sp Span) Span { return Span{s.pos(sp.Start), s.pos(sp.End)} }

func (s *shifter) item(it Item) Item {
	switch x := it.(type) {
	case *Probe:
		n := &Probe{Pred: s.pred(x.Pred), Body: s.block(x.Body)}
		n.AttachPoints = make([]*AttachPoint, len(x.AttachPoints))
		for i, ap := range x.AttachPoints {
			n.AttachPoints[i] = s.attachPoint(ap)
		}
		return n
	case *MacroDecl:
		n := &MacroDecl{Macro: s.pos(x.Macro), Name: s.ident(x.Name), Lparen: s.pos(x.Lparen),
			Rparen: s.pos(x.Rparen), Body: s.block(x.Body)}
		for _, p := range x.Params {
			n.Params = append(n.Params, &MacroParam{Kind: p.Kind, Span: s.span(p.Span), Name: p.Name})
		}
		return n
	case *FuncDecl:
		n := &FuncDecl{Fn: s.pos(x.Fn), Name: s.ident(x.Name), Lparen: s.pos(x.Lparen),
			Rparen: s.pos(x.Rparen), Result: s.typ(x.Result), Body: s.block(x.Body)}
		for _, p := range x.Params {
			n.Params = append(n.Params, &FuncParam{Var: s.varExpr(p.Var), Type: s.typ(p.Type)})
		}
		return n
	case *MapDecl:
		return &MapDecl{Let: s.pos(x.Let), Map: s.mapExpr(x.Map), Kind: s.ident(x.Kind),
			Size: s.expr(x.Size), Close: s.pos(x.Close)}
	case *ImportDecl:
		return s.importDecl(x)
	case *ConfigBlock:
		n := &ConfigBlock{Config: s.pos(x.Config), Lbrace: s.pos(x.Lbrace), Rbrace: s.pos(x.Rbrace), Close: s.pos(x.Close)}
		for _, ci := range x.Items {
			n.Items = append(n.Items, &ConfigItem{Name: s.ident(ci.Name), Value: s.expr(ci.Value)})
		}
		return n
	case *Preamble:
		n := &Preamble{Decls: make([]*CDecl, len(x.Decls))}
		for i, d := range x.Decls {
			c := *d
			c.Span = s.span(d.Span)
			n.Decls[i] = &c
		}
		return n
	case *Shebang:
		return &Shebang{Span: s.span(x.Span), Text: x.Text}
	case *BadItem:
		return &BadItem{From: s.pos(x.From), To: s.pos(x.To)}
	}
	panic("syntax: shift of unknown item type")
}

func (s *shifter) importDecl(x *ImportDecl) *ImportDecl {
	return &ImportDecl{Import: s.pos(x.Import), Path: s.strLit(x.Path), Close: s.pos(x.Close)}
}

func (s *shifter) attachPoint(x *AttachPoint) *AttachPoint {
	n := &AttachPoint{Span: s.span(x.Span), Raw: x.Raw, Name: s.ident(x.Name), Provider: x.Provider,
		Parts: make([]*APart, len(x.Parts))}
	for i, p := range x.Parts {
		c := *p
		c.Span = s.span(p.Span)
		n.Parts[i] = s.parts.Put(c)
	}
	return n
}

func (s *shifter) pred(x *Predicate) *Predicate {
	if x == nil {
		return nil
	}
	return &Predicate{Open: s.pos(x.Open), Cond: s.expr(x.Cond), Close: s.pos(x.Close)}
}

func (s *shifter) block(x *Block) *Block {
	if x == nil {
		return nil
	}
	n := s.blocks.Put(Block{Lbrace: s.pos(x.Lbrace), Rbrace: s.pos(x.Rbrace), Close: s.pos(x.Close)})
	if len(x.Stmts) > 0 {
		n.Stmts = s.stmtList(len(x.Stmts))
		for i, st := range x.Stmts {
			n.Stmts[i] = s.stmt(st)
		}
	}
	return n
}

func (s *shifter) cond(c Cond) Cond {
	return Cond{Lparen: s.pos(c.Lparen), X: s.expr(c.X), Rparen: s.pos(c.Rparen)}
}

func (s *shifter) stmt(st Stmt) Stmt {
	switch x := st.(type) {
	case nil:
		return nil
	case *ExprStmt:
		return s.estmts.Put(ExprStmt{X: s.expr(x.X), Semi: s.pos(x.Semi)})
	case *AssignStmt:
		return s.assigns.Put(AssignStmt{LHS: s.expr(x.LHS), OpPos: s.pos(x.OpPos), Op: x.Op, RHS: s.expr(x.RHS), Semi: s.pos(x.Semi)})
	case *IncDecStmt:
		return &IncDecStmt{X: s.expr(x.X), OpPos: s.pos(x.OpPos), Op: x.Op, Prefix: x.Prefix, Semi: s.pos(x.Semi)}
	case *IfStmt:
		return s.ifStmt(x)
	case *WhileStmt:
		return &WhileStmt{While: s.pos(x.While), Cond: s.cond(x.Cond), Body: s.block(x.Body)}
	case *UnrollStmt:
		return &UnrollStmt{Unroll: s.pos(x.Unroll), Cond: s.cond(x.Cond), Body: s.block(x.Body)}
	case *ForStmt:
		return &ForStmt{For: s.pos(x.For), Lparen: s.pos(x.Lparen), Var: s.varExpr(x.Var), Map: s.mapExpr(x.Map),
			From: s.expr(x.From), To: s.expr(x.To), Rparen: s.pos(x.Rparen), Body: s.block(x.Body)}
	case *LetStmt:
		return &LetStmt{Let: s.pos(x.Let), Var: s.varExpr(x.Var), Type: s.typ(x.Type), Value: s.expr(x.Value),
			Semi: s.pos(x.Semi), Close: s.pos(x.Close)}
	case *JumpStmt:
		return &JumpStmt{TokPos: s.pos(x.TokPos), Tok: x.Tok, Result: s.expr(x.Result), Close: s.pos(x.Close)}
	case *BlockStmt:
		return &BlockStmt{Block: s.block(x.Block)}
	case *BadStmt:
		return &BadStmt{From: s.pos(x.From), To: s.pos(x.To)}
	case *ImportDecl:
		return s.importDecl(x)
	}
	panic("syntax: shift of unknown statement type")
}

func (s *shifter) ifStmt(x *IfStmt) *IfStmt {
	return s.ifs.Put(IfStmt{If: s.pos(x.If), Cond: s.cond(x.Cond), Then: s.block(x.Then), Else: s.stmt(x.Else)})
}

func (s *shifter) ident(x *Ident) *Ident {
	if x == nil {
		return nil
	}
	return s.idents.Put(Ident{NamePos: s.pos(x.NamePos), Name: x.Name})
}

func (s *shifter) varExpr(x *VarExpr) *VarExpr {
	if x == nil {
		return nil
	}
	return s.vars.Put(VarExpr{Dollar: s.pos(x.Dollar), Name: x.Name})
}

func (s *shifter) strLit(x *StrLit) *StrLit {
	if x == nil {
		return nil
	}
	return s.strs.Put(StrLit{ValuePos: s.pos(x.ValuePos), Raw: x.Raw, Value: x.Value})
}

func (s *shifter) mapExpr(x *MapExpr) *MapExpr {
	if x == nil {
		return nil
	}
	return s.maps.Put(MapExpr{At: s.pos(x.At), Name: x.Name, Lbrack: s.pos(x.Lbrack), Keys: s.exprSlice(x.Keys), Rbrack: s.pos(x.Rbrack)})
}

func (s *shifter) exprSlice(xs []Expr) []Expr {
	if xs == nil {
		return nil
	}
	out := s.exprList(len(xs))
	for i, x := range xs {
		out[i] = s.expr(x)
	}
	return out
}

func (s *shifter) typ(x *TypeExpr) *TypeExpr {
	if x == nil {
		return nil
	}
	n := &TypeExpr{Start: s.pos(x.Start), Keyword: x.Keyword, Name: s.ident(x.Name), Close: s.pos(x.Close)}
	if x.Typeof != nil {
		n.Typeof = s.expr(x.Typeof).(*TypeofExpr)
	}
	for _, sf := range x.Suffixes {
		n.Suffixes = append(n.Suffixes, &TypeSuffix{Span: s.span(sf.Span), Ptr: sf.Ptr, Len: s.expr(sf.Len)})
	}
	return n
}
