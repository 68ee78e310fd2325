// This file implements the arena the parser and the shifter allocate the
// most common nodes from: one allocation per slabSize nodes instead of one
// per node. Allocation is most of the cost of parsing and of Reparse's
// copies. Nodes stay alive as long as any node of their slab does, which is
// fine because whole Files are dropped together.

package syntax

const slabSize = 256

// slab hands out pointers into shared chunks of T.
type slab[T any] struct{ buf []T }

func (s *slab[T]) alloc(v T) *T {
	if len(s.buf) == cap(s.buf) {
		// Chunks grow from 8 to slabSize, so small re-parses stay small.
		s.buf = make([]T, 0, min(max(8, 2*cap(s.buf)), slabSize))
	}
	s.buf = append(s.buf, v)
	return &s.buf[len(s.buf)-1]
}

// arena holds one slab per common node type, list backing stores and the
// interned names of one parse or shift.
type arena struct {
	idents  slab[Ident]
	vars    slab[VarExpr]
	maps    slab[MapExpr]
	ints    slab[IntLit]
	strs    slab[StrLit]
	calls   slab[CallExpr]
	fields  slab[FieldExpr]
	binarys slab[BinaryExpr]
	unarys  slab[UnaryExpr]
	parens  slab[ParenExpr]
	estmts  slab[ExprStmt]
	assigns slab[AssignStmt]
	ifs     slab[IfStmt]
	blocks  slab[Block]
	parts   slab[APart]
	exprs   []Expr // backing store for expression lists
	stmts   []Stmt // backing store for statement lists
	// exprStack and stmtStack hold the lists being parsed, innermost
	// last, which are then copied to the backing stores at their exact
	// length: grown by append, a list kept up to twice its size.
	exprStack []Expr
	stmtStack []Stmt
	names     map[string]string
}

// exprList returns a slice of n expressions carved from a shared chunk.
func (a *arena) exprList(n int) []Expr {
	if n > slabSize/4 {
		return make([]Expr, n)
	}
	if cap(a.exprs)-len(a.exprs) < n {
		a.exprs = make([]Expr, 0, slabSize)
	}
	a.exprs = a.exprs[:len(a.exprs)+n]
	return a.exprs[len(a.exprs)-n : len(a.exprs) : len(a.exprs)]
}

// stmtList is exprList for statements.
func (a *arena) stmtList(n int) []Stmt {
	if n > slabSize/4 {
		return make([]Stmt, n)
	}
	if cap(a.stmts)-len(a.stmts) < n {
		a.stmts = make([]Stmt, 0, slabSize)
	}
	a.stmts = a.stmts[:len(a.stmts)+n]
	return a.stmts[len(a.stmts)-n : len(a.stmts) : len(a.stmts)]
}

// popExprs returns the expressions pushed on exprStack since it was base
// long, as a list of their own (nil when none), and pops them.
func (a *arena) popExprs(base int) []Expr {
	n := len(a.exprStack) - base
	if n <= 0 {
		return nil
	}
	list := a.exprList(n)
	copy(list, a.exprStack[base:])
	a.exprStack = a.exprStack[:base]
	return list
}

// popStmts is popExprs for statements.
func (a *arena) popStmts(base int) []Stmt {
	n := len(a.stmtStack) - base
	if n <= 0 {
		return nil
	}
	list := a.stmtList(n)
	copy(list, a.stmtStack[base:])
	a.stmtStack = a.stmtStack[:base]
	return list
}

// intern returns b as a string, sharing one copy per distinct name.
func (a *arena) intern(b []byte) string {
	if s, ok := a.names[string(b)]; ok {
		return s
	}
	if a.names == nil {
		a.names = make(map[string]string)
	}
	s := string(b)
	a.names[s] = s
	return s
}
