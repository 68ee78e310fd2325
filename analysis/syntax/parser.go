// This file implements the parser's token handling, error reporting and
// recovery. Grammar rules live in parse_item.go, parse_stmt.go,
// parse_expr.go and parse_type.go.

package syntax

import (
	"fmt"
	"strings"
)

// providerWords are probe providers and their aliases (lower case; bpftrace
// matches them case-insensitively). A line starting with one of them and a
// ':' starts a probe, which is where recovery resynchronises. Immutable.
var providerWords = map[string]bool{
	"kprobe": true, "k": true, "kretprobe": true, "kr": true, "uprobe": true, "u": true,
	"uretprobe": true, "ur": true, "usdt": true, "tracepoint": true, "t": true,
	"rawtracepoint": true, "rt": true, "fentry": true, "f": true, "kfunc": true,
	"fexit": true, "fr": true, "kretfunc": true, "profile": true, "p": true,
	"interval": true, "i": true, "software": true, "s": true, "hardware": true, "h": true,
	"watchpoint": true, "w": true, "asyncwatchpoint": true, "aw": true, "iter": true,
	"it": true, "begin": true, "end": true, "self": true, "test": true, "bench": true,
}

const (
	maxErrors = 25  // errors recorded per file (STYLE rule 10)
	maxDepth  = 400 // nesting depth before "syntax/too-deep"
	// maxHeight caps the height of an item's tree, counting each link of a
	// chain the parser builds in a loop (1+1+…, x[1][1]…, x->f->f…): later
	// passes recurse once per level, and Go cannot recover from a stack
	// overflow.
	maxHeight = 1000
	// maxTypeSuffixes caps the '*' and '[n]' after a type name.
	maxTypeSuffixes = 64
)

// parser parses top-level items one at a time. Items are context-free: each
// starts with a clean parser at its first byte, which is what makes
// per-item re-parsing (reparse.go) equal to a full parse.
type parser struct {
	// src is the text being parsed: the whole file, or a window of it
	// starting at base at a line start (reparse.go). Positions are
	// absolute; p.bytes and p.at translate them.
	src   []byte
	base  int
	lines *LineTable
	d     Dialect
	a     *arena // shared by all items of one parse
	// probeArena, when set, is the arena of the parse's probes, apart
	// from the other items': an item kept alive keeps its arena's chunks,
	// and the analysis keeps declarations, not probes (itemslot.go).
	probeArena *arena

	sc       scanner
	tok      Kind
	pos, end Pos // span of the current token
	prevEnd  Pos // end of the last consumed token

	comments []Comment
	errs     []Error
	// horizon is one past the last byte the parser has looked at (ahead of
	// the item, too). An edit at or after an item's horizon cannot change
	// that item, which is what lets Reparse keep it.
	horizon   int
	syntaxErr int // syntax errors seen, recorded or not: drives recovery
	depth     int
	high      int  // deepest level reached, counting chain links (see measure)
	inPred    bool // a '/' before '{' closes the predicate
}

// bailout is panicked to abandon an item that nests too deeply; parseUnit
// recovers it, so it never leaves the package.
type bailout struct{}

// snapshot is the parser state saved for speculative parsing.
type snapshot struct {
	sc                   scanner
	tok                  Kind
	pos, end, prevEnd    Pos
	ncomments, nerrs, se int
}

// init starts parsing at the absolute offset off of src, a window of the
// file starting at base.
func (p *parser) init(src []byte, base int, lines *LineTable, d Dialect, off int) {
	p.src, p.base, p.lines, p.d = src, base, lines, d
	if p.a != nil { // an item abandoned by a bailout left its lists there
		p.a.exprStack, p.a.stmtStack = p.a.exprStack[:0], p.a.stmtStack[:0]
	}
	p.sc = scanner{src: src, base: base, off: off - base, unterminated: NoPos}
	p.end = Pos(off) // so that prevEnd starts at off
	p.next()
}

// bytes returns the text between two absolute positions.
func (p *parser) bytes(from, to Pos) []byte { return p.src[int(from)-p.base : int(to)-p.base] }

// at returns the byte at the absolute offset off, or 0 outside the text.
func (p *parser) at(off int) byte { return byteAt(p.src, off-p.base) }

// scanOff returns the scanner's absolute offset.
func (p *parser) scanOff() int { return p.base + p.sc.off }

// seek moves the scanner to the absolute offset off, which is also where
// the current token ends.
func (p *parser) seek(off int) { p.sc.off, p.end = off-p.base, Pos(off) }

// next advances to the next token.
func (p *parser) next() {
	p.prevEnd = p.end
	t := p.sc.scan(&p.comments)
	p.tok, p.pos, p.end = t.kind, t.pos, t.end
	p.saw(p.scanOff() + 3) // the scanner peeks up to two bytes past a token
}

// saw records that the parser looked at the bytes before off.
func (p *parser) saw(off int) {
	if off > p.horizon {
		p.horizon = off
	}
}

func (p *parser) save() snapshot {
	return snapshot{p.sc, p.tok, p.pos, p.end, p.prevEnd, len(p.comments), len(p.errs), p.syntaxErr}
}

func (p *parser) restore(s snapshot) {
	p.sc, p.tok, p.pos, p.end, p.prevEnd = s.sc, s.tok, s.pos, s.end, s.prevEnd
	p.comments, p.errs, p.syntaxErr = p.comments[:s.ncomments], p.errs[:s.nerrs], s.se
}

// text returns the current token's text.
func (p *parser) text() string { return string(p.bytes(p.pos, p.end)) }

// name returns the current token's text, interned.
func (p *parser) name() string { return p.a.intern(p.bytes(p.pos, p.end)) }

// is reports whether the current token's text is s, without allocating.
func (p *parser) is(s string) bool { return string(p.bytes(p.pos, p.end)) == s }

// errorf records a syntax error at span; see addError for the limits.
func (p *parser) errorf(span Span, code, format string, args ...any) {
	p.syntaxErr++
	p.addError(Error{Span: span, Code: code, Msg: fmt.Sprintf(format, args...)})
}

// addError records e unless too many errors are recorded already. The
// one-error-per-line rule is applied when the file is assembled.
func (p *parser) addError(e Error) {
	if len(p.errs) < maxErrors {
		p.errs = append(p.errs, e)
	}
}

// errorExpected reports that want was expected at the current token. An
// invalid character is reported as such, and consumed.
func (p *parser) errorExpected(want string) {
	if p.reportIllegal() {
		return
	}
	if p.tok == EOF {
		p.errorf(Span{p.prevEnd, p.prevEnd}, "syntax/expected-token", "expected %s, found end of file", want)
		return
	}
	span := Span{p.pos, p.end}
	if p.prevEnd < p.pos && bytesContain(p.bytes(p.prevEnd, p.pos), '\n') {
		// The next token is on a later line: the gap is at the end of this one.
		span = p.closeSpan()
	}
	p.errorf(span, "syntax/expected-token", "expected %s, found %s", want, p.describe())
}

func bytesContain(b []byte, c byte) bool {
	for _, x := range b {
		if x == c {
			return true
		}
	}
	return false
}

// reportIllegal reports and skips an invalid character at the current
// token; it returns false when there is none.
func (p *parser) reportIllegal() bool {
	if p.tok != Illegal {
		return false
	}
	if p.at(int(p.pos)) == '$' {
		p.errorf(Span{p.pos, p.end}, "syntax/invalid-char", "'$' must be followed by a name, a number or '#'")
	} else {
		p.errorf(Span{p.pos, p.end}, "syntax/invalid-char", "invalid character %q", p.text())
	}
	p.next()
	return true
}

// describe names the current token for messages.
func (p *parser) describe() string {
	switch p.tok {
	case Identifier, VarIdent, MapIdent, Int, Param:
		return fmt.Sprintf("%s %q", p.tok, p.text())
	case Illegal:
		return fmt.Sprintf("invalid character %q", p.text())
	}
	return p.tok.String()
}

// expect consumes a token of kind k and returns its position, or reports an
// error and returns NoPos without consuming: the caller's loop guarantees
// progress.
func (p *parser) expect(k Kind) Pos {
	if p.tok == k {
		pos := p.pos
		p.next()
		return pos
	}
	p.errorExpected(k.String())
	return NoPos
}

// got consumes a token of kind k if it is next.
func (p *parser) got(k Kind) (Pos, bool) {
	if p.tok == k {
		pos := p.pos
		p.next()
		return pos, true
	}
	return NoPos, false
}

// enter counts one level of nesting and abandons the item when too deep.
func (p *parser) enter() {
	p.depth++
	p.high = max(p.high, p.depth)
	if p.depth > maxDepth {
		p.errorf(Span{p.pos, p.end}, "syntax/too-deep", "code nested too deeply")
		panic(bailout{})
	}
}

func (p *parser) leave() { p.depth-- }

// measure starts measuring the height of the subtree parsed next and
// returns the mark to hand back to measured. After the subtree is parsed,
// p.height() is its height (an upper bound).
func (p *parser) measure() (outer int) {
	outer, p.high = p.high, p.depth
	return outer
}

// height returns the height of what was parsed since p.measure.
func (p *parser) height() int { return p.high - p.depth }

// measured ends a measurement begun by the measure that returned outer,
// for a subtree of height h.
func (p *parser) measured(outer, h int) { p.high = max(outer, p.depth+h) }

// link returns the height of a chain of height h extended by one link
// whose other operand has height other, and abandons the item when the
// tree grows too tall.
func (p *parser) link(h, other int, at Pos) int {
	h = max(h, other) + 1
	if p.depth+h > maxHeight {
		p.errorf(Span{at, p.end}, "syntax/too-deep", "expression nested too deeply (more than %d levels)", maxHeight)
		panic(bailout{})
	}
	return h
}

// atItemStart reports whether the current token begins a top-level item on
// a new line: a provider word directly followed by ':', or a word that only
// starts items. Recovery stops there so that a broken line does not swallow
// the probes after it.
func (p *parser) atItemStart() bool {
	switch p.tok {
	case PreprocLine, ShebangLine:
		return true
	case Identifier, KwStruct, KwUnion, KwEnum, KwImport, KwLet:
	default:
		return false
	}
	if !p.atLineStart(p.pos) {
		return false
	}
	if p.at(int(p.end)) == ':' && p.at(int(p.end)+1) != ':' {
		return p.tok == Identifier && providerWords[strings.ToLower(p.name())]
	}
	switch p.name() {
	case "BEGIN", "END", "begin", "end":
		// As a probe: a block, more attach points or a predicate follow.
		// "BEGIN;" is a statement (an unknown name, but it parses).
		switch p.peekNonLayout(int(p.end)) {
		case '{', ',', '/', 0:
			return true
		}
		return false
	case "macro", "fn":
		// As parseItem decides: a definition names itself next. A bare
		// "fn;" or "fn(" at a line start stays a statement.
		return isIdentStart(p.peekNonLayout(int(p.end)))
	case "config":
		c := p.peekNonLayout(int(p.end))
		return c == '=' || c == '{'
	case "let":
		return p.peekNonLayout(int(p.end)) == '@'
	case "struct", "union", "enum":
		return p.looksLikeCDef()
	}
	return false
}

// atLineStart reports whether only blanks precede pos on its line. A
// window starts at a line start, so its start counts as one.
func (p *parser) atLineStart(pos Pos) bool { return atLineStart(p.src, int(pos)-p.base) }

// peekNonLayout returns the first byte at or after off that is not
// whitespace or inside a comment, or 0 at the end.
func (p *parser) peekNonLayout(off int) byte {
	return p.at(p.peekOff(off))
}

// skipStmt skips to a statement boundary after a broken statement: past
// the next ';' on the way, or before '}', an item start, or EOF. It always
// consumes at least one token unless at a boundary already.
func (p *parser) skipStmt() Pos {
	for p.tok != EOF && p.tok != RBrace && !p.atItemStart() {
		if p.tok == Semi {
			p.next()
			break
		}
		if p.tok == LBrace { // skip a nested block whole
			p.skipBalanced()
			continue
		}
		p.next()
	}
	return p.prevEnd
}

// skipBalanced skips from '{' to its matching '}' (or an item start).
func (p *parser) skipBalanced() {
	depth := 0
	for p.tok != EOF {
		switch p.tok {
		case LBrace:
			depth++
		case RBrace:
			depth--
			if depth <= 0 {
				p.next()
				return
			}
		}
		p.next()
		if p.atItemStart() {
			return
		}
	}
}

// skipItem skips to the next item start or EOF.
func (p *parser) skipItem() Pos {
	for p.tok != EOF {
		p.next()
		if p.atItemStart() {
			break
		}
	}
	return p.prevEnd
}
