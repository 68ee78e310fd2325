package analysis

import (
	"context"
	"sort"

	"github.com/bpfls/bpfls/analysis/syntax"
)

// SemTokenType classifies a semantic token.
type SemTokenType uint8

// Token types; [SemTokenTypeNames] gives their LSP names, in this order.
const (
	SemComment SemTokenType = iota
	SemKeyword
	SemString
	SemNumber
	SemNamespace // a probe's provider
	SemFunction  // a call or a fn declaration
	SemMacro     // a macro declaration
	SemVariable  // $x and @m
	SemParameter // macro parameters and positional parameters
	SemProperty  // fields
	SemType      // type names
)

// SemTokenTypeNames are the standard LSP names of the token types.
var SemTokenTypeNames = []string{"comment", "keyword", "string", "number", "namespace", "function", "macro", "variable", "parameter", "property", "type"}

// SemTokenMod is a set of token modifiers.
type SemTokenMod uint8

// Token modifiers; [SemTokenModNames] gives their LSP names, bit by bit.
const (
	SemModDeclaration SemTokenMod = 1 << iota // where a name is declared
	SemModStatic                              // a map: global and persistent
)

// SemTokenModNames are the standard LSP names of the modifier bits.
var SemTokenModNames = []string{"declaration", "static"}

// SemToken is one classified span. A token may span lines (block comments).
type SemToken struct {
	Span syntax.Span
	Type SemTokenType
	Mods SemTokenMod
}

// SemanticTokens classifies the names, literals, keywords and comments of
// the file from its syntax tree. Tokens are sorted and never overlap.
func SemanticTokens(ctx context.Context, snap *Snapshot) []SemToken {
	f := snap.File
	c := semCollector{src: f.Src}
	for _, cm := range f.Comments() {
		c.add(cm.Span, SemComment, 0)
	}
	for _, it := range f.Items() {
		if ctx.Err() != nil {
			return nil
		}
		syntax.Inspect(it, c.visit)
	}
	return c.sorted()
}

type semCollector struct {
	src  []byte
	toks []SemToken
}

func (c *semCollector) add(s syntax.Span, t SemTokenType, m SemTokenMod) {
	if s.Start.IsValid() && s.End > s.Start && int(s.End) <= len(c.src) {
		c.toks = append(c.toks, SemToken{Span: s, Type: t, Mods: m})
	}
}

func (c *semCollector) node(n syntax.Node, t SemTokenType, m SemTokenMod) {
	if n != nil {
		c.add(syntax.Span{Start: n.Pos(), End: n.End()}, t, m)
	}
}

// keyword adds a keyword token at pos when the source there really spells k.
func (c *semCollector) keyword(pos syntax.Pos, k syntax.Kind) { c.word(pos, k.Op()) }

// word adds a keyword token at pos when the source there really spells word.
func (c *semCollector) word(pos syntax.Pos, word string) {
	end := int(pos) + len(word)
	if pos.IsValid() && end <= len(c.src) && string(c.src[pos:end]) == word {
		c.add(syntax.Span{Start: pos, End: syntax.Pos(end)}, SemKeyword, 0)
	}
}

func (c *semCollector) visit(n syntax.Node) bool {
	switch x := n.(type) {
	case *syntax.AttachPoint:
		if len(x.Parts) > 0 {
			c.node(x.Parts[0], SemNamespace, 0)
		}
		return false
	case *syntax.MacroDecl:
		c.word(x.Macro, "macro")
		c.node(x.Name, SemMacro, SemModDeclaration)
		for _, p := range x.Params {
			c.add(p.Span, SemParameter, SemModDeclaration)
		}
	case *syntax.FuncDecl:
		c.word(x.Fn, "fn")
		c.node(x.Name, SemFunction, SemModDeclaration)
	case *syntax.CallExpr:
		c.node(x.Fun, SemFunction, 0)
	case *syntax.FieldExpr:
		c.node(x.Field, SemProperty, 0)
	case *syntax.RecordField:
		c.node(x.Name, SemProperty, 0)
	case *syntax.ConfigBlock:
		c.word(x.Config, "config")
	case *syntax.ConfigItem:
		c.node(x.Name, SemProperty, 0)
	case *syntax.TypeExpr:
		c.typeExpr(x)
	case *syntax.VarExpr:
		c.node(x, SemVariable, 0)
	case *syntax.MapExpr:
		c.add(mapNameSpanOf(x), SemVariable, SemModStatic)
	case *syntax.PositionalParam:
		c.node(x, SemParameter, 0)
	case *syntax.IntLit:
		c.node(x, SemNumber, 0)
	case *syntax.StrLit:
		c.node(x, SemString, 0)
		return false
	case *syntax.BoolLit:
		c.node(x, SemKeyword, 0)
	default:
		c.keywords(n)
	}
	return true
}

func (c *semCollector) typeExpr(x *syntax.TypeExpr) {
	if x.Keyword != syntax.EOF {
		c.keyword(x.Start, x.Keyword)
	}
	c.node(x.Name, SemType, 0)
}

// keywords adds the leading keyword of statements and keyword expressions.
func (c *semCollector) keywords(n syntax.Node) {
	switch x := n.(type) {
	case *syntax.IfStmt:
		c.keyword(x.If, syntax.KwIf)
	case *syntax.WhileStmt:
		c.keyword(x.While, syntax.KwWhile)
	case *syntax.UnrollStmt:
		c.keyword(x.Unroll, syntax.KwUnroll)
	case *syntax.ForStmt:
		c.keyword(x.For, syntax.KwFor)
	case *syntax.LetStmt:
		c.keyword(x.Let, syntax.KwLet)
	case *syntax.MapDecl:
		c.keyword(x.Let, syntax.KwLet)
	case *syntax.JumpStmt:
		c.keyword(x.TokPos, x.Tok)
	case *syntax.ImportDecl:
		c.keyword(x.Import, syntax.KwImport)
	case *syntax.SizeofExpr:
		c.keyword(x.Sizeof, syntax.KwSizeof)
	case *syntax.OffsetofExpr:
		c.keyword(x.Offsetof, syntax.KwOffsetof)
	case *syntax.TypeofExpr:
		c.keyword(x.Typeof, syntax.KwTypeof)
	case *syntax.TypeinfoExpr:
		c.keyword(x.Typeinfo, syntax.KwTypeinfo)
	case *syntax.ComptimeExpr:
		c.keyword(x.Comptime, syntax.KwComptime)
	}
}

// sorted orders the tokens and drops any that overlap an earlier one.
func (c *semCollector) sorted() []SemToken {
	sort.SliceStable(c.toks, func(i, j int) bool { return c.toks[i].Span.Start < c.toks[j].Span.Start })
	out := c.toks[:0]
	end := syntax.Pos(-1)
	for _, t := range c.toks {
		if t.Span.Start < end {
			continue
		}
		out = append(out, t)
		end = t.Span.End
	}
	return out
}
