// This file implements the top-level nodes of the syntax tree: probes,
// attach points, macros, functions, config blocks, imports, map declarations
// and the C preamble.

package syntax

// Item is a top-level node: *Probe, *MacroDecl, *FuncDecl, *ConfigBlock,
// *ImportDecl, *MapDecl, *Preamble, *Shebang or *BadItem.
type Item interface {
	Node
	itemNode()
}

// Shebang is a first line starting with "#!".
type Shebang struct {
	Span Span
	Text string
}

// Preamble is a run of C preprocessor lines and C definitions
// (struct/union/enum blocks) that bpftrace hands to clang.
type Preamble struct {
	Decls []*CDecl
}

// CDeclKind tells a preprocessor line from a C definition.
type CDeclKind uint8

// Kinds of [CDecl].
const (
	CPreproc CDeclKind = iota // #include <linux/sched.h>
	CStruct                   // struct X { … };
	CUnion                    // union X { … };
	CEnum                     // enum X { … };
)

// CDecl is one preprocessor line or one C definition, kept verbatim.
type CDecl struct {
	Kind CDeclKind
	Span Span
	Name string // the struct/union/enum tag, "" for preprocessor lines
	Text string
}

// ConfigBlock is "config = { name = value; … }".
type ConfigBlock struct {
	Config Pos // the "config" keyword
	Lbrace Pos
	Items  []*ConfigItem
	Rbrace Pos // NoPos when missing
	Close  Pos // end of the block
}

// ConfigItem is one "name = value" entry of a config block.
type ConfigItem struct {
	Name  *Ident
	Value Expr // *IntLit, *StrLit, *BoolLit or *Ident
}

// ImportDecl is `import "path";`, at top level or as a statement.
type ImportDecl struct {
	Import Pos
	Path   *StrLit
	Close  Pos // end of the declaration (after ';' when present)
}

// MapDecl is "let @m = hash(N);" at top level.
type MapDecl struct {
	Let   Pos
	Map   *MapExpr
	Kind  *Ident // hash, lruhash, percpuhash, percpulruhash
	Size  Expr   // normally an *IntLit
	Close Pos
}

// MacroParamKind tells how a macro parameter binds its argument.
type MacroParamKind uint8

// Kinds of [MacroParam].
const (
	MacroParamIdent MacroParamKind = iota // x: any expression
	MacroParamVar                         // $x: a scratch variable, aliased
	MacroParamMap                         // @x: a map
)

// MacroParam is one parameter of a macro. Name includes the sigil ("$x",
// "@m", "x").
type MacroParam struct {
	Kind MacroParamKind
	Span Span
	Name string
}

// MacroDecl is "macro NAME(params) { body }".
type MacroDecl struct {
	Macro  Pos
	Name   *Ident
	Lparen Pos
	Params []*MacroParam
	Rparen Pos
	Body   *Block
}

// FuncParam is "$name: type".
type FuncParam struct {
	Var  *VarExpr
	Type *TypeExpr
}

// FuncDecl is "fn NAME($a: T, …): R { body }".
type FuncDecl struct {
	Fn     Pos
	Name   *Ident
	Lparen Pos
	Params []*FuncParam
	Rparen Pos
	Result *TypeExpr // nil when missing
	Body   *Block
}

// Probe is "attach_point {, attach_point} [/pred/] { body }".
type Probe struct {
	AttachPoints []*AttachPoint
	Pred         *Predicate // nil without a predicate
	Body         *Block
}

// Predicate is "/ expr /".
type Predicate struct {
	Open  Pos // first '/'
	Cond  Expr
	Close Pos // second '/', NoPos when missing
}

// BadItem is top-level text that could not be parsed as any item.
type BadItem struct {
	From, To Pos
}

func (*Shebang) itemNode()     {}
func (*Preamble) itemNode()    {}
func (*ConfigBlock) itemNode() {}
func (*ImportDecl) itemNode()  {}
func (*MapDecl) itemNode()     {}
func (*MacroDecl) itemNode()   {}
func (*FuncDecl) itemNode()    {}
func (*Probe) itemNode()       {}
func (*BadItem) itemNode()     {}

// Pos and End of the item nodes: the first byte and one past the last.

func (x *Shebang) Pos() Pos { return x.Span.Start }
func (x *Shebang) End() Pos { return x.Span.End }

func (x *Preamble) Pos() Pos { return x.Decls[0].Span.Start }
func (x *Preamble) End() Pos { return x.Decls[len(x.Decls)-1].Span.End }

func (x *CDecl) Pos() Pos { return x.Span.Start }
func (x *CDecl) End() Pos { return x.Span.End }

func (x *ConfigBlock) Pos() Pos { return x.Config }
func (x *ConfigBlock) End() Pos { return x.Close }

func (x *ConfigItem) Pos() Pos { return x.Name.Pos() }
func (x *ConfigItem) End() Pos {
	if x.Value != nil {
		return x.Value.End()
	}
	return x.Name.End()
}

func (x *ImportDecl) Pos() Pos { return x.Import }
func (x *ImportDecl) End() Pos { return x.Close }

func (x *MapDecl) Pos() Pos { return x.Let }
func (x *MapDecl) End() Pos { return x.Close }

func (x *MacroParam) Pos() Pos { return x.Span.Start }
func (x *MacroParam) End() Pos { return x.Span.End }

func (x *MacroDecl) Pos() Pos { return x.Macro }
func (x *MacroDecl) End() Pos { return x.Body.End() }

func (x *FuncParam) Pos() Pos { return x.Var.Pos() }
func (x *FuncParam) End() Pos {
	if x.Type != nil {
		return x.Type.End()
	}
	return x.Var.End()
}

func (x *FuncDecl) Pos() Pos { return x.Fn }
func (x *FuncDecl) End() Pos { return x.Body.End() }

func (x *Probe) Pos() Pos { return x.AttachPoints[0].Pos() }
func (x *Probe) End() Pos { return x.Body.End() }

func (x *Predicate) Pos() Pos { return x.Open }
func (x *Predicate) End() Pos {
	if x.Close.IsValid() {
		return x.Close + 1
	}
	return x.Cond.End()
}

func (x *BadItem) Pos() Pos { return x.From }
func (x *BadItem) End() Pos { return x.To }
