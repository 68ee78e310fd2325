package ide

import (
	"context"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/bpfls/bpfls/analysis"
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
	SemNamespace // a probe's provider; a kernel module or tracepoint category
	SemFunction  // a call, a fn declaration, a traced function
	SemMacro     // a macro declaration
	SemVariable  // $x and @m
	SemParameter // macro parameters and positional parameters
	SemProperty  // fields
	SemType      // type names
	SemEvent     // a tracepoint, USDT probe or perf event in an attach point
)

// SemTokenTypeNames are the standard LSP names of the token types.
var SemTokenTypeNames = []string{"comment", "keyword", "string", "number", "namespace", "function", "macro", "variable", "parameter", "property", "type", "event"}

// SemTokenMod is a set of token modifiers.
type SemTokenMod uint8

// Token modifiers; [SemTokenModNames] gives their LSP names, bit by bit.
const (
	SemModDeclaration    SemTokenMod = 1 << iota // where a name is declared
	SemModStatic                                 // a map: global and persistent
	SemModDefaultLibrary                         // a builtin: comm, pid, printf, count
)

// semModShadowable marks, in the tokens of one item classified alone
// ([itemTokens]), a builtin's name that a fn or macro of the file would
// take: the whole-file assembly settles it (filecache.go). It never
// leaves the package.
const semModShadowable SemTokenMod = 1 << 7

// SemTokenModNames are the standard LSP names of the modifier bits.
var SemTokenModNames = []string{"declaration", "static", "defaultLibrary"}

// SemToken is one classified span. A token may span lines (block comments).
type SemToken struct {
	Span syntax.Span
	Type SemTokenType
	Mods SemTokenMod
}

// SemanticTokens classifies the names, literals, keywords and comments of
// the file from its syntax tree. Tokens are sorted and never overlap.
// Builtins are told by name, whatever the target version: a name the
// version lacks already has a diagnostic.
func SemanticTokens(ctx context.Context, snap *analysis.Snapshot) []SemToken {
	f := snap.File
	return semanticTokens(ctx, f, f.Comments(), 0, f.NumItems())
}

// SemanticTokensRange is SemanticTokens for the comments overlapping span
// and the items overlapping it, which are the only ones it reads, so it
// costs what the range holds (an editor asks for what it shows).
func SemanticTokensRange(ctx context.Context, snap *analysis.Snapshot, span syntax.Span) []SemToken {
	f := snap.File
	from, to := f.ItemsOverlapping(span)
	return semanticTokens(ctx, f, f.CommentsIn(span), from, to)
}

// semanticTokens classifies comments and items [from, to) of f.
func semanticTokens(ctx context.Context, f *syntax.File, comments []syntax.Comment, from, to int) []SemToken {
	c := semCollector{src: f, declared: declaredCallables(f)}
	for _, cm := range comments {
		c.add(cm.Span, SemComment, 0)
	}
	for i := from; i < to; i++ {
		if ctx.Err() != nil {
			return nil
		}
		it := f.Item(i)
		c.macro, _ = it.(*syntax.MacroDecl)
		syntax.Inspect(it, c.visit)
	}
	return c.sorted()
}

type semCollector struct {
	src  *syntax.File // read in slices: the whole text is never built
	toks []SemToken
	// declared holds the names of the file's fn and macro declarations,
	// which are not builtins even where they reuse a builtin's name.
	declared map[string]bool
	// alone is set when one item is classified without its file's
	// declarations: builtins are then marked semModShadowable.
	alone   bool
	macro   *syntax.MacroDecl // the item being walked, when it is a macro
	parents []syntax.Node     // the nodes entered and not yet left
}

// declaredCallables collects the names of f's fn and macro declarations.
func declaredCallables(f *syntax.File) map[string]bool {
	names := map[string]bool{}
	for _, it := range f.Decls() {
		switch x := it.(type) {
		case *syntax.FuncDecl:
			if x.Name != nil {
				names[x.Name.Name] = true
			}
		case *syntax.MacroDecl:
			if x.Name != nil {
				names[x.Name.Name] = true
			}
		}
	}
	return names
}

func (c *semCollector) add(s syntax.Span, t SemTokenType, m SemTokenMod) {
	if s.Start.IsValid() && s.End > s.Start && int(s.End) <= c.src.Len() {
		c.toks = append(c.toks, SemToken{Span: s, Type: t, Mods: m})
	}
}

func (c *semCollector) node(n syntax.Node, t SemTokenType, m SemTokenMod) {
	if n != nil {
		c.add(syntax.Span{Start: n.Pos(), End: n.End()}, t, m)
	}
}

// name adds a token for a name the parser may have left nil in broken
// input (a nil *Ident in a Node interface is not a nil Node).
func (c *semCollector) name(id *syntax.Ident, t SemTokenType, m SemTokenMod) {
	if id != nil {
		c.node(id, t, m)
	}
}

// keyword adds a keyword token at pos when the source there really spells k.
func (c *semCollector) keyword(pos syntax.Pos, k syntax.Kind) { c.word(pos, k.Op()) }

// word adds a keyword token at pos when the source there really spells word.
func (c *semCollector) word(pos syntax.Pos, word string) {
	end := int(pos) + len(word)
	if pos.IsValid() && end <= c.src.Len() && string(c.src.Slice(pos, syntax.Pos(end))) == word {
		c.add(syntax.Span{Start: pos, End: syntax.Pos(end)}, SemKeyword, 0)
	}
}

// visit is called by [syntax.Inspect] on entering a node, and with nil on
// leaving one whose children it walked; it keeps c.parents in step.
func (c *semCollector) visit(n syntax.Node) bool {
	if n == nil {
		c.parents = c.parents[:len(c.parents)-1]
		return true
	}
	if !c.classify(n) {
		return false
	}
	c.parents = append(c.parents, n)
	return true
}

// classify adds the tokens of n itself and reports whether to walk its
// children.
func (c *semCollector) classify(n syntax.Node) bool {
	switch x := n.(type) {
	case *syntax.AttachPoint:
		c.attachPoint(x)
		return false
	case *syntax.MacroDecl:
		c.word(x.Macro, "macro")
		c.name(x.Name, SemMacro, SemModDeclaration)
		for _, p := range x.Params {
			c.add(p.Span, SemParameter, SemModDeclaration)
		}
	case *syntax.FuncDecl:
		c.word(x.Fn, "fn")
		c.name(x.Name, SemFunction, SemModDeclaration)
	case *syntax.CallExpr:
		c.call(x)
	case *syntax.Ident:
		c.ident(x)
	case *syntax.FieldExpr:
		c.name(x.Field, SemProperty, 0)
	case *syntax.RecordField:
		c.name(x.Name, SemProperty, 0)
	case *syntax.ConfigBlock:
		c.word(x.Config, "config")
	case *syntax.ConfigItem:
		c.name(x.Name, SemProperty, 0)
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

// attachPoint marks the provider as a namespace and the part naming what
// is traced as a function or event, by the provider's layout of parts.
// Numbers are numbers; paths, units and modes get no token.
func (c *semCollector) attachPoint(x *syntax.AttachPoint) {
	if len(x.Parts) == 0 {
		return
	}
	c.node(x.Parts[0], SemNamespace, 0)
	p, ok := analysis.LookupProbeType(x.Provider, syntax.Newest) // the shape, not validity, which diagnostics check
	if !ok {
		return
	}
	for i, part := range x.Parts[1:] {
		if t, ok := attachPartType(p.Name, i+1, len(x.Parts), part); ok {
			c.add(part.Span, t, 0)
		}
	}
}

// attachPartType classifies part i (1 is the first after the provider) of
// an attach point of the named provider with n parts in all.
func attachPartType(provider string, i, n int, part *syntax.APart) (SemTokenType, bool) {
	if strings.Contains(part.Text, "$") {
		return 0, false // a positional parameter, substituted before attaching
	}
	if _, err := strconv.ParseUint(part.Value, 0, 64); err == nil && !part.Quoted {
		return SemNumber, true // a count, an offset, an address, a line
	}
	l, ok := attachLayouts[provider]
	switch {
	case !ok:
		return 0, false
	case l.first:
		return l.target, i == 1 // a count or a pin file follows the event
	case i == n-1:
		return l.target, true
	case l.middle && !(l.binary && i == 1):
		return SemNamespace, true
	}
	return 0, false // a binary, a language, a source file
}

// attachLayout says which attach-point part names what a provider traces.
type attachLayout struct {
	target SemTokenType // the type of the traced name
	first  bool         // the traced name is part 1, not the last part
	binary bool         // part 1 is a binary path
	middle bool         // parts before the traced name are namespaces: kernel modules, categories, USDT providers
}

// attachLayouts holds the providers whose attach points name something
// traced; the others (BEGIN, interval, profile, watchpoint) have none.
var attachLayouts = map[string]attachLayout{
	"kprobe":        {target: SemFunction, middle: true},
	"kretprobe":     {target: SemFunction, middle: true},
	"fentry":        {target: SemFunction, middle: true},
	"fexit":         {target: SemFunction, middle: true},
	"uprobe":        {target: SemFunction},
	"uretprobe":     {target: SemFunction},
	"usdt":          {target: SemEvent, binary: true, middle: true},
	"tracepoint":    {target: SemEvent, middle: true},
	"rawtracepoint": {target: SemEvent, middle: true},
	"software":      {target: SemEvent, first: true},
	"hardware":      {target: SemEvent, first: true},
	"iter":          {target: SemEvent, first: true},
}

// call marks the called name, as a builtin when no fn or macro of the
// file takes its name.
func (c *semCollector) call(x *syntax.CallExpr) {
	if x.Fun == nil {
		return
	}
	var mods SemTokenMod
	if b, ok := analysis.LookupBuiltin(x.Fun.Name); ok {
		switch b.Kind {
		case analysis.BuiltinFunc, analysis.BuiltinVarFunc, analysis.BuiltinMapFunc:
			mods, _ = c.builtinMods(x.Fun.Name)
		}
	}
	c.name(x.Fun, SemFunction, mods)
}

// ident marks a bare name used as a value: a parameter of the macro it is
// in, or a builtin variable such as comm or args. Names that are fields,
// declarations, config keys or called functions are left to their parent.
func (c *semCollector) ident(id *syntax.Ident) {
	if len(c.parents) > 0 && !isValueIdent(id, c.parents[len(c.parents)-1]) {
		return
	}
	if c.macro != nil {
		for _, p := range c.macro.Params {
			if p.Kind == syntax.MacroParamIdent && p.Name == id.Name {
				c.node(id, SemParameter, 0)
				return
			}
		}
	}
	if b, ok := analysis.LookupBuiltin(id.Name); ok && b.Bare && b.Kind != analysis.BuiltinPositional {
		if mods, ok := c.builtinMods(id.Name); ok {
			c.node(id, SemVariable, mods)
		}
	}
}

// builtinMods returns the modifiers of the builtin name, and false when a
// fn or macro of the file takes the name, which is then no builtin.
func (c *semCollector) builtinMods(name string) (SemTokenMod, bool) {
	switch {
	case c.alone:
		return SemModDefaultLibrary | semModShadowable, true
	case c.declared[name]:
		return 0, false
	}
	return SemModDefaultLibrary, true
}

// isValueIdent reports whether parent uses id as a value rather than as a
// name of its own (a field, a declared name, a config key, a map kind).
func isValueIdent(id *syntax.Ident, parent syntax.Node) bool {
	switch p := parent.(type) {
	case *syntax.CallExpr:
		return p.Fun != id
	case *syntax.FieldExpr:
		return p.Field != id
	case *syntax.RecordField:
		return p.Name != id
	case *syntax.OffsetofExpr:
		return !slices.Contains(p.Fields, id)
	case *syntax.ConfigItem, *syntax.MapDecl, *syntax.MacroDecl, *syntax.FuncDecl, *syntax.TypeExpr:
		return false
	}
	return true
}

func (c *semCollector) typeExpr(x *syntax.TypeExpr) {
	if x.Keyword != syntax.EOF {
		c.keyword(x.Start, x.Keyword)
	}
	c.name(x.Name, SemType, 0)
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
	sortTokens(c.toks)
	return dropOverlaps(c.toks)
}

// itemTokens classifies one top-level item of f alone, for a [FileCache]:
// the tokens are sorted by start, stably, and may still overlap.
func itemTokens(f *syntax.File, it syntax.Item) []SemToken {
	c := semCollector{src: f, alone: true}
	c.macro, _ = it.(*syntax.MacroDecl)
	syntax.Inspect(it, c.visit)
	sortTokens(c.toks)
	return c.toks
}

// sortTokens orders toks by start, keeping the order of equal starts.
func sortTokens(toks []SemToken) {
	sort.SliceStable(toks, func(i, j int) bool { return toks[i].Span.Start < toks[j].Span.Start })
}

// dropOverlaps drops, in place, each token of the sorted toks that
// overlaps one kept before it.
func dropOverlaps(toks []SemToken) []SemToken {
	out := toks[:0]
	end := syntax.Pos(-1)
	for _, t := range toks {
		if t.Span.Start < end {
			continue
		}
		out = append(out, t)
		end = t.Span.End
	}
	return out
}
