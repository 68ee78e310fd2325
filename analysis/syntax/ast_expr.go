// This file implements the expression and type nodes.

package syntax

// Expr is an expression.
type Expr interface {
	Node
	exprNode()
}

// Ident is a bare identifier: a builtin (pid), a macro, an enum value, a
// type name, or a field name.
type Ident struct {
	NamePos Pos
	Name    string
}

// VarExpr is a scratch variable "$x"; Name excludes the '$'.
type VarExpr struct {
	Dollar Pos
	Name   string
}

// MapExpr is "@x", the anonymous "@", or "@x[k1, k2]". Name excludes the '@'.
type MapExpr struct {
	At     Pos
	Name   string
	Lbrack Pos // NoPos without keys
	Keys   []Expr
	Rbrack Pos
}

// PositionalParam is "$1" (N=1) or "$#" (Count).
type PositionalParam struct {
	Dollar Pos
	Text   string
	N      int // 0 when Count or out of range
	Count  bool
}

// IntLit is an integer literal. Value is in nanoseconds when Unit is a
// duration suffix (ns us ms s m h d).
type IntLit struct {
	ValuePos Pos
	Text     string
	Value    uint64
	Unit     string // duration suffix, "" without one
}

// StrLit is a string literal; Value is unquoted with escapes decoded.
type StrLit struct {
	ValuePos Pos
	Raw      string
	Value    string
}

// BoolLit is true or false.
type BoolLit struct {
	ValuePos Pos
	Value    bool
}

// CallExpr is "f(args)".
type CallExpr struct {
	Fun    *Ident
	Lparen Pos
	Args   []Expr
	Rparen Pos // NoPos when missing
	Close  Pos
}

// FieldExpr is "x.f", "x->f" or the tuple index "x.0" (Field.Name "0").
type FieldExpr struct {
	X     Expr
	OpPos Pos
	Arrow bool
	Field *Ident
}

// IndexExpr is "x[i]" on anything but a map.
type IndexExpr struct {
	X      Expr
	Lbrack Pos
	Index  Expr
	Rbrack Pos
	Close  Pos
}

// BinaryExpr is "x op y".
type BinaryExpr struct {
	X     Expr
	OpPos Pos
	Op    Kind
	Y     Expr
}

// UnaryExpr is a prefix "-x !x ~x *x &x ++x --x" or a postfix "x++ x--".
type UnaryExpr struct {
	OpPos   Pos
	Op      Kind
	X       Expr
	Postfix bool
}

// TernaryExpr is "c ? a : b" or the short form "c ?: b" (Then is nil).
type TernaryExpr struct {
	Cond     Expr
	Question Pos
	Then     Expr
	Colon    Pos
	Else     Expr
}

// CastExpr is "(T) x".
type CastExpr struct {
	Lparen Pos
	Type   *TypeExpr
	Rparen Pos
	X      Expr
}

// ParenExpr is "(x)".
type ParenExpr struct {
	Lparen Pos
	X      Expr
	Rparen Pos
	Close  Pos
}

// TupleExpr is "(a, b)", "(a,)" or "()".
type TupleExpr struct {
	Lparen Pos
	Elems  []Expr
	Rparen Pos
	Close  Pos
}

// RecordField is "name = value" inside a record.
type RecordField struct {
	Name  *Ident
	Value Expr
}

// RecordExpr is "(a = 1, b = 2)".
type RecordExpr struct {
	Lparen Pos
	Fields []*RecordField
	Rparen Pos
	Close  Pos
}

// SizeofExpr is "sizeof(T)" or "sizeof(x)": exactly one of Type and X is set.
type SizeofExpr struct {
	Sizeof Pos
	Type   *TypeExpr
	X      Expr
	Close  Pos
}

// OffsetofExpr is "offsetof(T, f.g)".
type OffsetofExpr struct {
	Offsetof Pos
	Type     *TypeExpr
	X        Expr
	Fields   []*Ident
	Close    Pos
}

// TypeofExpr is "typeof(T)" or "typeof(x)".
type TypeofExpr struct {
	Typeof Pos
	Type   *TypeExpr
	X      Expr
	Close  Pos
}

// TypeinfoExpr is "typeinfo(T)" or "typeinfo(x)".
type TypeinfoExpr struct {
	Typeinfo Pos
	Type     *TypeExpr
	X        Expr
	Close    Pos
}

// ComptimeExpr is "comptime x".
type ComptimeExpr struct {
	Comptime Pos
	X        Expr
}

// BlockExpr is a block used as an expression; its value is its final
// statement when that is an expression without ';'.
type BlockExpr struct {
	Block *Block
}

// IfExpr is an if used as an expression (0.24): "if c { a } else { b }".
type IfExpr struct {
	If *IfStmt
}

// BadExpr is text that could not be parsed as an expression.
type BadExpr struct {
	From, To Pos
}

// TypeSuffix is one "*" or "[N]" after a type name.
type TypeSuffix struct {
	Span Span
	Ptr  bool
	Len  Expr // array length, nil for "[]" or a pointer
}

// TypeExpr is a type in a cast, sizeof, let or fn signature: an optional
// struct/union/enum keyword, a name, then pointer and array suffixes read
// left to right. Typeof is set for "typeof(…)" types.
type TypeExpr struct {
	Start    Pos
	Keyword  Kind // KwStruct, KwUnion, KwEnum or EOF
	Name     *Ident
	Typeof   *TypeofExpr
	Suffixes []*TypeSuffix
	Close    Pos
}

func (*Ident) exprNode()           {}
func (*VarExpr) exprNode()         {}
func (*MapExpr) exprNode()         {}
func (*PositionalParam) exprNode() {}
func (*IntLit) exprNode()          {}
func (*StrLit) exprNode()          {}
func (*BoolLit) exprNode()         {}
func (*CallExpr) exprNode()        {}
func (*FieldExpr) exprNode()       {}
func (*IndexExpr) exprNode()       {}
func (*BinaryExpr) exprNode()      {}
func (*UnaryExpr) exprNode()       {}
func (*TernaryExpr) exprNode()     {}
func (*CastExpr) exprNode()        {}
func (*ParenExpr) exprNode()       {}
func (*TupleExpr) exprNode()       {}
func (*RecordExpr) exprNode()      {}
func (*SizeofExpr) exprNode()      {}
func (*OffsetofExpr) exprNode()    {}
func (*TypeofExpr) exprNode()      {}
func (*TypeinfoExpr) exprNode()    {}
func (*ComptimeExpr) exprNode()    {}
func (*BlockExpr) exprNode()       {}
func (*IfExpr) exprNode()          {}
func (*BadExpr) exprNode()         {}

// Pos and End of the expression and type nodes: the first byte and one
// past the last.

func (x *Ident) Pos() Pos   { return x.NamePos }
func (x *Ident) End() Pos   { return x.NamePos + Pos(len(x.Name)) }
func (x *VarExpr) Pos() Pos { return x.Dollar }
func (x *VarExpr) End() Pos {
	if x.Name == "" { // a missing variable, reported already
		return x.Dollar
	}
	return x.Dollar + 1 + Pos(len(x.Name))
}
func (x *MapExpr) Pos() Pos         { return x.At }
func (x *PositionalParam) Pos() Pos { return x.Dollar }
func (x *PositionalParam) End() Pos { return x.Dollar + Pos(len(x.Text)) }
func (x *IntLit) Pos() Pos          { return x.ValuePos }
func (x *IntLit) End() Pos          { return x.ValuePos + Pos(len(x.Text)) }
func (x *StrLit) Pos() Pos          { return x.ValuePos }
func (x *StrLit) End() Pos          { return x.ValuePos + Pos(len(x.Raw)) }
func (x *BoolLit) Pos() Pos         { return x.ValuePos }
func (x *CallExpr) Pos() Pos        { return x.Fun.Pos() }
func (x *CallExpr) End() Pos        { return x.Close }
func (x *FieldExpr) Pos() Pos       { return x.X.Pos() }
func (x *IndexExpr) Pos() Pos       { return x.X.Pos() }
func (x *IndexExpr) End() Pos       { return x.Close }
func (x *BinaryExpr) Pos() Pos      { return x.X.Pos() }
func (x *BinaryExpr) End() Pos      { return x.Y.End() }
func (x *TernaryExpr) Pos() Pos     { return x.Cond.Pos() }
func (x *TernaryExpr) End() Pos     { return x.Else.End() }
func (x *CastExpr) Pos() Pos        { return x.Lparen }
func (x *CastExpr) End() Pos        { return x.X.End() }
func (x *ParenExpr) Pos() Pos       { return x.Lparen }
func (x *ParenExpr) End() Pos       { return x.Close }
func (x *TupleExpr) Pos() Pos       { return x.Lparen }
func (x *TupleExpr) End() Pos       { return x.Close }
func (x *RecordExpr) Pos() Pos      { return x.Lparen }
func (x *RecordExpr) End() Pos      { return x.Close }
func (x *RecordField) Pos() Pos     { return x.Name.Pos() }
func (x *RecordField) End() Pos     { return x.Value.End() }
func (x *SizeofExpr) Pos() Pos      { return x.Sizeof }
func (x *SizeofExpr) End() Pos      { return x.Close }
func (x *OffsetofExpr) Pos() Pos    { return x.Offsetof }
func (x *OffsetofExpr) End() Pos    { return x.Close }
func (x *TypeofExpr) Pos() Pos      { return x.Typeof }
func (x *TypeofExpr) End() Pos      { return x.Close }
func (x *TypeinfoExpr) Pos() Pos    { return x.Typeinfo }
func (x *TypeinfoExpr) End() Pos    { return x.Close }
func (x *ComptimeExpr) Pos() Pos    { return x.Comptime }
func (x *ComptimeExpr) End() Pos    { return x.X.End() }
func (x *BlockExpr) Pos() Pos       { return x.Block.Pos() }
func (x *BlockExpr) End() Pos       { return x.Block.End() }
func (x *IfExpr) Pos() Pos          { return x.If.Pos() }
func (x *IfExpr) End() Pos          { return x.If.End() }
func (x *BadExpr) Pos() Pos         { return x.From }
func (x *BadExpr) End() Pos         { return x.To }
func (x *TypeSuffix) Pos() Pos      { return x.Span.Start }
func (x *TypeSuffix) End() Pos      { return x.Span.End }
func (x *TypeExpr) Pos() Pos        { return x.Start }
func (x *TypeExpr) End() Pos        { return x.Close }

// End returns one past the map's last byte, including its keys.
func (x *MapExpr) End() Pos {
	if x.Lbrack.IsValid() {
		if x.Rbrack.IsValid() {
			return x.Rbrack + 1
		}
		if n := len(x.Keys); n > 0 {
			return x.Keys[n-1].End()
		}
		return x.Lbrack + 1
	}
	return x.At + 1 + Pos(len(x.Name))
}

// End returns one past the boolean literal.
func (x *BoolLit) End() Pos {
	if x.Value {
		return x.ValuePos + 4
	}
	return x.ValuePos + 5
}

// End returns one past the field name.
func (x *FieldExpr) End() Pos { return x.Field.End() }

// Pos returns the operator position for prefix forms, else the operand's.
func (x *UnaryExpr) Pos() Pos {
	if x.Postfix {
		return x.X.Pos()
	}
	return x.OpPos
}

// End returns one past the operand, or past the postfix operator.
func (x *UnaryExpr) End() Pos {
	if x.Postfix {
		return x.OpPos + 2
	}
	return x.X.End()
}

// Unparen strips any parentheses around e.
func Unparen(e Expr) Expr {
	for {
		p, ok := e.(*ParenExpr)
		if !ok {
			return e
		}
		e = p.X
	}
}

// String returns the type as written, normalised ("struct task_struct *").
func (t *TypeExpr) String() string {
	s := ""
	switch {
	case t.Typeof != nil:
		s = "typeof(…)"
	case t.Keyword != EOF && t.Name != nil:
		s = t.Keyword.Op() + " " + t.Name.Name
	case t.Name != nil:
		s = t.Name.Name
	}
	for _, sf := range t.Suffixes {
		switch lit := sf.Len.(type) {
		case nil:
			if sf.Ptr {
				s += " *"
			} else {
				s += "[]"
			}
		case *IntLit:
			s += "[" + lit.Text + "]"
		default:
			s += "[…]"
		}
	}
	return s
}
