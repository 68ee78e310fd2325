// This file implements tree traversal: Inspect and NodeAt.

package syntax

// Inspect traverses the tree rooted at n in depth-first order: it calls
// fn(n), and when that returns true, visits n's children, then calls
// fn(nil) (as go/ast.Inspect does).
func Inspect(n Node, fn func(Node) bool) {
	if n == nil || isNilNode(n) || !fn(n) {
		return
	}
	eachChild(n, func(c Node) { Inspect(c, fn) })
	fn(nil)
}

// isNilNode reports whether n is a typed nil pointer.
func isNilNode(n Node) bool {
	switch x := n.(type) {
	case *Block:
		return x == nil
	case *Ident:
		return x == nil
	case *TypeExpr:
		return x == nil
	case *StrLit:
		return x == nil
	case *MapExpr:
		return x == nil
	case *VarExpr:
		return x == nil
	case *Predicate:
		return x == nil
	case *TypeofExpr:
		return x == nil
	}
	return false
}

// eachChild calls fn for each direct child of n in source order.
func eachChild(n Node, fn func(Node)) {
	visit := func(c Node) {
		if c != nil && !isNilNode(c) {
			fn(c)
		}
	}
	switch x := n.(type) {
	case *Preamble:
		for _, d := range x.Decls {
			visit(d)
		}
	case *ConfigBlock:
		for _, it := range x.Items {
			visit(it)
		}
	case *ConfigItem:
		visit(x.Name)
		visit(x.Value)
	case *ImportDecl:
		visit(x.Path)
	case *MapDecl:
		visit(x.Map)
		visit(x.Kind)
		visit(x.Size)
	case *MacroDecl:
		visit(x.Name)
		for _, p := range x.Params {
			visit(p)
		}
		visit(x.Body)
	case *FuncDecl:
		visit(x.Name)
		for _, p := range x.Params {
			visit(p)
		}
		visit(x.Result)
		visit(x.Body)
	case *FuncParam:
		visit(x.Var)
		visit(x.Type)
	case *Probe:
		for _, ap := range x.AttachPoints {
			visit(ap)
		}
		visit(x.Pred)
		visit(x.Body)
	case *AttachPoint:
		visit(x.Name)
		for _, p := range x.Parts {
			visit(p)
		}
	case *Predicate:
		visit(x.Cond)
	default:
		eachStmtChild(n, visit)
	}
}

func eachStmtChild(n Node, visit func(Node)) {
	switch x := n.(type) {
	case *Block:
		for _, s := range x.Stmts {
			visit(s)
		}
	case *ExprStmt:
		visit(x.X)
	case *AssignStmt:
		visit(x.LHS)
		visit(x.RHS)
	case *IncDecStmt:
		visit(x.X)
	case *IfStmt:
		visit(x.Cond.X)
		visit(x.Then)
		visit(x.Else)
	case *WhileStmt:
		visit(x.Cond.X)
		visit(x.Body)
	case *UnrollStmt:
		visit(x.Cond.X)
		visit(x.Body)
	case *ForStmt:
		visit(x.Var)
		visit(x.Map)
		visit(x.From)
		visit(x.To)
		visit(x.Body)
	case *LetStmt:
		visit(x.Var)
		visit(x.Type)
		visit(x.Value)
	case *JumpStmt:
		visit(x.Result)
	case *BlockStmt:
		visit(x.Block)
	default:
		eachExprChild(n, visit)
	}
}

func eachExprChild(n Node, visit func(Node)) {
	switch x := n.(type) {
	case *MapExpr:
		for _, k := range x.Keys {
			visit(k)
		}
	case *CallExpr:
		visit(x.Fun)
		for _, a := range x.Args {
			visit(a)
		}
	case *FieldExpr:
		visit(x.X)
		visit(x.Field)
	case *IndexExpr:
		visit(x.X)
		visit(x.Index)
	case *BinaryExpr:
		visit(x.X)
		visit(x.Y)
	case *UnaryExpr:
		visit(x.X)
	case *TernaryExpr:
		visit(x.Cond)
		visit(x.Then)
		visit(x.Else)
	case *CastExpr:
		visit(x.Type)
		visit(x.X)
	case *ParenExpr:
		visit(x.X)
	case *TupleExpr:
		for _, e := range x.Elems {
			visit(e)
		}
	case *RecordExpr:
		for _, f := range x.Fields {
			visit(f)
		}
	case *RecordField:
		visit(x.Name)
		visit(x.Value)
	case *SizeofExpr:
		visit(x.Type)
		visit(x.X)
	case *OffsetofExpr:
		visit(x.Type)
		visit(x.X)
		for _, f := range x.Fields {
			visit(f)
		}
	case *TypeofExpr:
		visit(x.Type)
		visit(x.X)
	case *TypeinfoExpr:
		visit(x.Type)
		visit(x.X)
	case *ComptimeExpr:
		visit(x.X)
	case *BlockExpr:
		visit(x.Block)
	case *IfExpr:
		visit(x.If)
	case *TypeExpr:
		visit(x.Name)
		visit(x.Typeof)
		for _, s := range x.Suffixes {
			visit(s)
		}
	case *TypeSuffix:
		visit(x.Len)
	}
}

// NodeAt returns the path from the top-level item containing pos down to
// the innermost node containing it (both ends inclusive, so a cursor just
// after a name finds it). It returns nil when no item contains pos.
func (f *File) NodeAt(pos Pos) []Node {
	i := f.itemAt(pos)
	if i < 0 {
		return nil
	}
	path := []Node{f.Item(i)} // only this item is shifted, if it must be
	for {
		var next Node
		eachChild(path[len(path)-1], func(c Node) {
			if next == nil && c.Pos() <= pos && pos <= c.End() {
				next = c
			}
		})
		if next == nil {
			return path
		}
		path = append(path, next)
	}
}
