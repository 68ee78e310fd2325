// This file implements the arena the parser and the shifter allocate the
// most common nodes from: one allocation per chunk of nodes instead of one
// per node. Allocation is most of the cost of parsing and of Reparse's
// copies. Nodes stay alive as long as any node of their chunk does, so
// items the analysis keeps (declarations) and items a File may drop
// (probes) are parsed from arenas of their own (parser.probeArena).

package syntax

import "github.com/bpfls/bpfls/analysis/internal/chunk"

// arena holds one chunk allocator per common node type, list backing stores and the
// interned names of one parse or shift.
type arena struct {
	idents  chunk.Alloc[Ident]
	vars    chunk.Alloc[VarExpr]
	maps    chunk.Alloc[MapExpr]
	ints    chunk.Alloc[IntLit]
	strs    chunk.Alloc[StrLit]
	calls   chunk.Alloc[CallExpr]
	fields  chunk.Alloc[FieldExpr]
	binarys chunk.Alloc[BinaryExpr]
	unarys  chunk.Alloc[UnaryExpr]
	parens  chunk.Alloc[ParenExpr]
	estmts  chunk.Alloc[ExprStmt]
	assigns chunk.Alloc[AssignStmt]
	ifs     chunk.Alloc[IfStmt]
	blocks  chunk.Alloc[Block]
	parts   chunk.Alloc[APart]
	exprs   chunk.Alloc[Expr] // backing store for expression lists
	stmts   chunk.Alloc[Stmt] // backing store for statement lists
	// exprStack and stmtStack hold the lists being parsed, innermost
	// last, which are then copied to the backing stores at their exact
	// length: grown by append, a list kept up to twice its size.
	exprStack []Expr
	stmtStack []Stmt
	names     map[string]string
}

// exprList returns a slice of n expressions carved from a shared chunk.
func (a *arena) exprList(n int) []Expr { return a.exprs.Slice(n) }

// stmtList is exprList for statements.
func (a *arena) stmtList(n int) []Stmt { return a.stmts.Slice(n) }

// popExprs returns the expressions pushed on exprStack since it was base
// long, as a list of their own (nil when none), and pops them.
func (a *arena) popExprs(base int) []Expr { return pop(&a.exprStack, &a.exprs, base) }

// popStmts is popExprs for statements.
func (a *arena) popStmts(base int) []Stmt { return pop(&a.stmtStack, &a.stmts, base) }

// pop returns the elements pushed on *stack since it was base long,
// carved from c (nil when none), and pops them.
func pop[T any](stack *[]T, c *chunk.Alloc[T], base int) []T {
	list := c.Copy((*stack)[base:])
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
