// This file implements the statement nodes and blocks.

package syntax

// Stmt is a statement inside a block.
type Stmt interface {
	Node
	stmtNode()
}

// Block is "{ stmts }". A final expression statement without ';' (Semi is
// NoPos) is the block's value where a value is allowed.
type Block struct {
	Lbrace Pos
	Stmts  []Stmt
	Rbrace Pos // NoPos when missing
	Close  Pos // end of the block, even when '}' is missing
}

// ExprStmt is an expression used as a statement.
type ExprStmt struct {
	X    Expr
	Semi Pos // NoPos when absent
}

// AssignStmt is "lhs op rhs;" with op '=' or a compound assignment. The
// discard form "_ = e;" has an *Ident "_" as LHS.
type AssignStmt struct {
	LHS   Expr
	OpPos Pos
	Op    Kind
	RHS   Expr
	Semi  Pos
}

// IncDecStmt is "x++;", "x--;", "++x;" or "--x;".
type IncDecStmt struct {
	X      Expr
	OpPos  Pos
	Op     Kind // Inc or Dec
	Prefix bool
	Semi   Pos
}

// Cond is the condition of if/while/unroll: parentheses are optional since
// 0.24, so their positions are kept (NoPos without them).
type Cond struct {
	Lparen Pos
	X      Expr
	Rparen Pos
}

// IfStmt is "if cond { } [else { } | else if …]".
type IfStmt struct {
	If   Pos
	Cond Cond
	Then *Block
	Else Stmt // nil, *BlockStmt or *IfStmt
}

// WhileStmt is "while cond { }".
type WhileStmt struct {
	While Pos
	Cond  Cond
	Body  *Block
}

// UnrollStmt is "unroll (N) { }".
type UnrollStmt struct {
	Unroll Pos
	Cond   Cond // the count
	Body   *Block
}

// ForStmt is "for ($x : @map) { }" or "for ($i : a..b) { }".
type ForStmt struct {
	For    Pos
	Lparen Pos // NoPos without parentheses
	Var    *VarExpr
	Map    *MapExpr // map form
	From   Expr     // range form: From..To (From alone, To nil, when broken)
	To     Expr
	Rparen Pos
	Body   *Block
}

// LetStmt is "let $x [: T] [= e];".
type LetStmt struct {
	Let   Pos
	Var   *VarExpr
	Type  *TypeExpr // nil without an annotation
	Value Expr      // nil without an initialiser
	Semi  Pos
	Close Pos
}

// JumpStmt is break, continue or return [expr].
type JumpStmt struct {
	TokPos Pos
	Tok    Kind // KwBreak, KwContinue, KwReturn
	Result Expr // return value, or nil
	Close  Pos
}

// BlockStmt is a nested block used as a statement.
type BlockStmt struct {
	Block *Block
}

// BadStmt is text that could not be parsed as a statement.
type BadStmt struct {
	From, To Pos
}

func (*ExprStmt) stmtNode()   {}
func (*AssignStmt) stmtNode() {}
func (*IncDecStmt) stmtNode() {}
func (*IfStmt) stmtNode()     {}
func (*WhileStmt) stmtNode()  {}
func (*UnrollStmt) stmtNode() {}
func (*ForStmt) stmtNode()    {}
func (*LetStmt) stmtNode()    {}
func (*JumpStmt) stmtNode()   {}
func (*BlockStmt) stmtNode()  {}
func (*BadStmt) stmtNode()    {}
func (*ImportDecl) stmtNode() {}

// Pos and End of the statement nodes: the first byte and one past the last
// (including a final ';').

func (x *Block) Pos() Pos { return x.Lbrace }
func (x *Block) End() Pos { return x.Close }

func (x *ExprStmt) Pos() Pos { return x.X.Pos() }
func (x *ExprStmt) End() Pos { return endOr(x.Semi, x.X.End()) }

func (x *AssignStmt) Pos() Pos { return x.LHS.Pos() }
func (x *AssignStmt) End() Pos { return endOr(x.Semi, x.RHS.End()) }

func (x *IncDecStmt) Pos() Pos {
	if x.Prefix {
		return x.OpPos
	}
	return x.X.Pos()
}
func (x *IncDecStmt) End() Pos {
	if x.Prefix {
		return endOr(x.Semi, x.X.End())
	}
	return endOr(x.Semi, x.OpPos+2)
}

// Pos returns the start of the condition, '(' included.
func (x *Cond) Pos() Pos {
	if x.Lparen.IsValid() {
		return x.Lparen
	}
	return x.X.Pos()
}

// End returns one past the condition, ')' included.
func (x *Cond) End() Pos {
	if x.Rparen.IsValid() {
		return x.Rparen + 1
	}
	return x.X.End()
}

func (x *IfStmt) Pos() Pos { return x.If }
func (x *IfStmt) End() Pos {
	if x.Else != nil {
		return x.Else.End()
	}
	return x.Then.End()
}

func (x *WhileStmt) Pos() Pos  { return x.While }
func (x *WhileStmt) End() Pos  { return x.Body.End() }
func (x *UnrollStmt) Pos() Pos { return x.Unroll }
func (x *UnrollStmt) End() Pos { return x.Body.End() }
func (x *ForStmt) Pos() Pos    { return x.For }
func (x *ForStmt) End() Pos    { return x.Body.End() }
func (x *LetStmt) Pos() Pos    { return x.Let }
func (x *LetStmt) End() Pos    { return x.Close }
func (x *JumpStmt) Pos() Pos   { return x.TokPos }
func (x *JumpStmt) End() Pos   { return x.Close }
func (x *BlockStmt) Pos() Pos  { return x.Block.Pos() }
func (x *BlockStmt) End() Pos  { return x.Block.End() }
func (x *BadStmt) Pos() Pos    { return x.From }
func (x *BadStmt) End() Pos    { return x.To }

// endOr returns semi+1 when semi is valid, else alt.
func endOr(semi, alt Pos) Pos {
	if semi.IsValid() {
		return semi + 1
	}
	return alt
}
