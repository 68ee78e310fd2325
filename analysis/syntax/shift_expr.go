// This file implements copy-on-shift for expressions (see shift.go).

package syntax

func (s *shifter) expr(e Expr) Expr {
	switch x := e.(type) {
	case nil:
		return nil
	case *Ident:
		return s.ident(x)
	case *VarExpr:
		return s.varExpr(x)
	case *MapExpr:
		return s.mapExpr(x)
	case *PositionalParam:
		n := *x
		n.Dollar = s.pos(x.Dollar)
		return &n
	case *IntLit:
		n := *x
		n.ValuePos = s.pos(x.ValuePos)
		return s.ints.Put(n)
	case *StrLit:
		return s.strLit(x)
	case *BoolLit:
		return &BoolLit{ValuePos: s.pos(x.ValuePos), Value: x.Value}
	case *CallExpr:
		return s.calls.Put(CallExpr{Fun: s.ident(x.Fun), Lparen: s.pos(x.Lparen), Args: s.exprSlice(x.Args), Rparen: s.pos(x.Rparen), Close: s.pos(x.Close)})
	case *FieldExpr:
		return s.fields.Put(FieldExpr{X: s.expr(x.X), OpPos: s.pos(x.OpPos), Arrow: x.Arrow, Field: s.ident(x.Field)})
	case *IndexExpr:
		return &IndexExpr{X: s.expr(x.X), Lbrack: s.pos(x.Lbrack), Index: s.expr(x.Index), Rbrack: s.pos(x.Rbrack), Close: s.pos(x.Close)}
	case *BinaryExpr:
		return s.binarys.Put(BinaryExpr{X: s.expr(x.X), OpPos: s.pos(x.OpPos), Op: x.Op, Y: s.expr(x.Y)})
	case *UnaryExpr:
		return s.unarys.Put(UnaryExpr{OpPos: s.pos(x.OpPos), Op: x.Op, X: s.expr(x.X), Postfix: x.Postfix})
	case *TernaryExpr:
		return &TernaryExpr{Cond: s.expr(x.Cond), Question: s.pos(x.Question), Then: s.expr(x.Then), Colon: s.pos(x.Colon), Else: s.expr(x.Else)}
	case *CastExpr:
		return &CastExpr{Lparen: s.pos(x.Lparen), Type: s.typ(x.Type), Rparen: s.pos(x.Rparen), X: s.expr(x.X)}
	case *ParenExpr:
		return s.parens.Put(ParenExpr{Lparen: s.pos(x.Lparen), X: s.expr(x.X), Rparen: s.pos(x.Rparen), Close: s.pos(x.Close)})
	case *TupleExpr:
		return &TupleExpr{Lparen: s.pos(x.Lparen), Elems: s.exprSlice(x.Elems), Rparen: s.pos(x.Rparen), Close: s.pos(x.Close)}
	case *RecordExpr:
		n := &RecordExpr{Lparen: s.pos(x.Lparen), Rparen: s.pos(x.Rparen), Close: s.pos(x.Close)}
		for _, f := range x.Fields {
			n.Fields = append(n.Fields, &RecordField{Name: s.ident(f.Name), Value: s.expr(f.Value)})
		}
		return n
	default:
		return s.exprMore(e)
	}
}

func (s *shifter) exprMore(e Expr) Expr {
	switch x := e.(type) {
	case *SizeofExpr:
		return &SizeofExpr{Sizeof: s.pos(x.Sizeof), Type: s.typ(x.Type), X: s.expr(x.X), Close: s.pos(x.Close)}
	case *OffsetofExpr:
		n := &OffsetofExpr{Offsetof: s.pos(x.Offsetof), Type: s.typ(x.Type), X: s.expr(x.X), Close: s.pos(x.Close)}
		for _, f := range x.Fields {
			n.Fields = append(n.Fields, s.ident(f))
		}
		return n
	case *TypeofExpr:
		return &TypeofExpr{Typeof: s.pos(x.Typeof), Type: s.typ(x.Type), X: s.expr(x.X), Close: s.pos(x.Close)}
	case *TypeinfoExpr:
		return &TypeinfoExpr{Typeinfo: s.pos(x.Typeinfo), Type: s.typ(x.Type), X: s.expr(x.X), Close: s.pos(x.Close)}
	case *ComptimeExpr:
		return &ComptimeExpr{Comptime: s.pos(x.Comptime), X: s.expr(x.X)}
	case *BlockExpr:
		return &BlockExpr{Block: s.block(x.Block)}
	case *IfExpr:
		return &IfExpr{If: s.ifStmt(x.If)}
	case *BadExpr:
		return &BadExpr{From: s.pos(x.From), To: s.pos(x.To)}
	}
	panic("syntax: shift of unknown expression type")
}
