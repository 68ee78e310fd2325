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

// zero returns a pointer to a new zero T, for a T that must not be copied.
func (s *slab[T]) zero() *T {
	if len(s.buf) == cap(s.buf) {
		s.buf = make([]T, 0, min(max(8, 2*cap(s.buf)), slabSize))
	}
	s.buf = s.buf[:len(s.buf)+1]
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
func (a *arena) exprList(n int) []Expr { return carve(&a.exprs, n) }

// stmtList is exprList for statements.
func (a *arena) stmtList(n int) []Stmt { return carve(&a.stmts, n) }

// popExprs returns the expressions pushed on exprStack since it was base
// long, as a list of their own (nil when none), and pops them.
func (a *arena) popExprs(base int) []Expr { return pop(&a.exprStack, &a.exprs, base) }

// popStmts is popExprs for statements.
func (a *arena) popStmts(base int) []Stmt { return pop(&a.stmtStack, &a.stmts, base) }

// carve returns a slice of n elements carved from *chunk, which it
// replaces when full. Chunks grow from 8 to slabSize elements, as slabs
// do, so that the parse of one small item stays small.
func carve[T any](chunk *[]T, n int) []T {
	if n > slabSize/4 {
		return make([]T, n)
	}
	if cap(*chunk)-len(*chunk) < n {
		*chunk = make([]T, 0, max(n, min(max(8, 2*cap(*chunk)), slabSize)))
	}
	c := (*chunk)[:len(*chunk)+n]
	*chunk = c
	return c[len(c)-n : len(c) : len(c)]
}

// pop returns the elements pushed on *stack since it was base long,
// carved from *chunk (nil when none), and pops them.
func pop[T any](stack, chunk *[]T, base int) []T {
	n := len(*stack) - base
	if n <= 0 {
		return nil
	}
	list := carve(chunk, n)
	copy(list, (*stack)[base:])
	*stack = (*stack)[:base]
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
