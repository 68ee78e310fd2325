// This file implements the token kinds shared by the scanner and the parser.

package syntax

// Kind is the kind of a token.
type Kind uint8

// Token kinds. Keywords are contextual in the newest bpftrace; the scanner
// still reports them as keywords and the parser accepts them as names where
// any identifier is allowed (field names, config keys).
const (
	EOF Kind = iota
	Illegal
	Identifier  // comm, kprobe, int32
	VarIdent    // $x
	MapIdent    // @x, or the bare @
	Param       // $1
	ParamCount  // $#
	Int         // 42, 0x10, 1_000, 10ms
	Str         // "…"
	PreprocLine // #include <…> (a whole line)
	ShebangLine // #!/usr/bin/env bpftrace (a whole line)

	LBrace    // {
	RBrace    // }
	LParen    // (
	RParen    // )
	LBrack    // [
	RBrack    // ]
	Semi      // ;
	Comma     // ,
	Colon     // :
	Question  // ?
	Dot       // .
	DotDot    // ..
	Arrow     // ->
	Plus      // +
	Minus     // -
	Star      // *
	Slash     // /
	Percent   // %
	Amp       // &
	Pipe      // |
	Caret     // ^
	Tilde     // ~
	Shl       // <<
	Shr       // >>
	AndAnd    // &&
	OrOr      // ||
	Not       // !
	Eq        // ==
	Ne        // !=
	Lt        // <
	Le        // <=
	Gt        // >
	Ge        // >=
	Assign    // =
	AddAssign // +=
	SubAssign // -=
	MulAssign // *=
	DivAssign // /=
	ModAssign // %=
	AndAssign // &=
	OrAssign  // |=
	XorAssign // ^=
	ShlAssign // <<=
	ShrAssign // >>=
	Inc       // ++
	Dec       // --

	keywordFirst
	KwIf
	KwElse
	KwWhile
	KwUnroll
	KwFor
	KwBreak
	KwContinue
	KwReturn
	KwLet
	KwImport
	KwSizeof
	KwOffsetof
	KwTypeof
	KwTypeinfo
	KwComptime
	KwTrue
	KwFalse
	KwStruct
	KwUnion
	KwEnum
	keywordLast
)

// kindText is the display text of each kind; immutable.
var kindText = [...]string{
	EOF: "end of file", Illegal: "invalid character", Identifier: "identifier",
	VarIdent: "variable", MapIdent: "map", Param: "positional parameter",
	ParamCount: "'$#'", Int: "integer", Str: "string",
	PreprocLine: "preprocessor line", ShebangLine: "shebang line",
	LBrace: "'{'", RBrace: "'}'", LParen: "'('", RParen: "')'", LBrack: "'['",
	RBrack: "']'", Semi: "';'", Comma: "','", Colon: "':'", Question: "'?'",
	Dot: "'.'", DotDot: "'..'", Arrow: "'->'", Plus: "'+'", Minus: "'-'",
	Star: "'*'", Slash: "'/'", Percent: "'%'", Amp: "'&'", Pipe: "'|'",
	Caret: "'^'", Tilde: "'~'", Shl: "'<<'", Shr: "'>>'", AndAnd: "'&&'",
	OrOr: "'||'", Not: "'!'", Eq: "'=='", Ne: "'!='", Lt: "'<'", Le: "'<='",
	Gt: "'>'", Ge: "'>='", Assign: "'='", AddAssign: "'+='", SubAssign: "'-='",
	MulAssign: "'*='", DivAssign: "'/='", ModAssign: "'%='", AndAssign: "'&='",
	OrAssign: "'|='", XorAssign: "'^='", ShlAssign: "'<<='", ShrAssign: "'>>='",
	Inc: "'++'", Dec: "'--'",
	KwIf: "'if'", KwElse: "'else'", KwWhile: "'while'", KwUnroll: "'unroll'",
	KwFor: "'for'", KwBreak: "'break'", KwContinue: "'continue'",
	KwReturn: "'return'", KwLet: "'let'", KwImport: "'import'",
	KwSizeof: "'sizeof'", KwOffsetof: "'offsetof'", KwTypeof: "'typeof'",
	KwTypeinfo: "'typeinfo'", KwComptime: "'comptime'", KwTrue: "'true'",
	KwFalse: "'false'", KwStruct: "'struct'", KwUnion: "'union'", KwEnum: "'enum'",
}

// String returns a quoted token text ("'{'") or a description ("identifier").
func (k Kind) String() string {
	if int(k) < len(kindText) && kindText[k] != "" {
		return kindText[k]
	}
	return "token"
}

// Op returns the operator's source text without quotes ("+=", "&&").
func (k Kind) Op() string {
	s := k.String()
	if len(s) > 2 && s[0] == '\'' {
		return s[1 : len(s)-1]
	}
	return s
}

// IsKeyword reports whether k is a keyword kind.
func (k Kind) IsKeyword() bool { return k > keywordFirst && k < keywordLast }

// IsAssignOp reports whether k is "=" or a compound assignment.
func (k Kind) IsAssignOp() bool { return k >= Assign && k <= ShrAssign }

// lookupKeyword returns the keyword kind of an identifier, or Ident.
func lookupKeyword(s []byte) Kind {
	switch string(s) {
	case "if":
		return KwIf
	case "else":
		return KwElse
	case "while":
		return KwWhile
	case "unroll":
		return KwUnroll
	case "for":
		return KwFor
	case "break":
		return KwBreak
	case "continue":
		return KwContinue
	case "return":
		return KwReturn
	case "let":
		return KwLet
	case "import":
		return KwImport
	case "sizeof":
		return KwSizeof
	case "offsetof":
		return KwOffsetof
	case "typeof":
		return KwTypeof
	case "typeinfo":
		return KwTypeinfo
	case "comptime":
		return KwComptime
	case "true":
		return KwTrue
	case "false":
		return KwFalse
	case "struct":
		return KwStruct
	case "union":
		return KwUnion
	case "enum":
		return KwEnum
	}
	return Identifier
}

// binaryPrec is the precedence of each binary operator (§1.8); 0 means not
// a binary operator. Immutable.
var binaryPrec = [...]uint8{
	OrOr: 2, AndAnd: 3, Pipe: 4, Caret: 5, Amp: 6, Eq: 7, Ne: 7,
	Lt: 8, Le: 8, Gt: 8, Ge: 8, Shl: 9, Shr: 9, Plus: 10, Minus: 10,
	Star: 11, Slash: 11, Percent: 11, Inc: 0,
}

// Precedence is k's binary-operator precedence: higher binds tighter, 0
// for a token that is no binary operator.
func (k Kind) Precedence() int { return precOf(k) }

func precOf(k Kind) int {
	if int(k) < len(binaryPrec) {
		return int(binaryPrec[k])
	}
	return 0
}
