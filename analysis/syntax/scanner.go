// This file implements the scanner: it turns bytes into tokens on demand.
// Attach points and C definitions are not tokenised here; the parser reads
// their raw text directly (see attach.go and preamble.go), as bpftrace does.

package syntax

import "unicode/utf8"

// Comment is a // or /* */ comment; Text includes the delimiters.
type Comment struct {
	Span Span
	Text string
}

// Pos returns the start of the comment.
func (c *Comment) Pos() Pos { return c.Span.Start }

// End returns one past the comment's last byte.
func (c *Comment) End() Pos { return c.Span.End }

// scanner reads tokens from src starting at off. It is a value type so that
// the parser can save and restore it when it looks ahead speculatively. src
// may be a window of the file starting at base: offsets into src are
// relative to it, positions it returns are absolute.
type scanner struct {
	src  []byte
	base int
	off  int // next byte of src to read
	// unterminated is the start of an unterminated block comment, or NoPos.
	unterminated Pos
}

// token is one scanned token.
type token struct {
	kind     Kind
	pos, end Pos
}

func isIdentStart(c byte) bool {
	return c == '_' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z'
}

func isIdentByte(c byte) bool { return isIdentStart(c) || isDigit(c) }

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v'
}

// skipLayout skips whitespace and comments, appending comments to *cs.
func (s *scanner) skipLayout(cs *[]Comment) {
	for s.off < len(s.src) {
		c := s.src[s.off]
		switch {
		case isSpace(c):
			s.off++
		case c == '/' && s.peekAt(1) == '/':
			start := s.off
			for s.off < len(s.src) && s.src[s.off] != '\n' {
				s.off++
			}
			*cs = append(*cs, Comment{Span{Pos(s.base + start), Pos(s.base + s.off)}, string(s.src[start:s.off])})
		case c == '/' && s.peekAt(1) == '*':
			start := s.off
			end := indexFrom(s.src, start+2, "*/")
			if end < 0 {
				s.off = len(s.src)
				s.unterminated = Pos(s.base + start)
			} else {
				s.off = end + 2
			}
			*cs = append(*cs, Comment{Span{Pos(s.base + start), Pos(s.base + s.off)}, string(s.src[start:s.off])})
		default:
			return
		}
	}
}

func (s *scanner) peekAt(n int) byte {
	if s.off+n < len(s.src) {
		return s.src[s.off+n]
	}
	return 0
}

// indexFrom finds sub in src at or after from, or returns -1.
func indexFrom(src []byte, from int, sub string) int {
	for i := from; i+len(sub) <= len(src); i++ {
		if src[i] == sub[0] && string(src[i:i+len(sub)]) == sub {
			return i
		}
	}
	return -1
}

// atLineStart reports whether only blanks precede offset i on its line.
func atLineStart(src []byte, i int) bool {
	for i--; i >= 0; i-- {
		switch src[i] {
		case '\n':
			return true
		case ' ', '\t', '\r', '\f', '\v':
		default:
			return false
		}
	}
	return true
}

// scan returns the next token, skipping layout and recording comments.
func (s *scanner) scan(cs *[]Comment) token {
	s.skipLayout(cs)
	start := s.off
	if s.off >= len(s.src) {
		return token{EOF, Pos(s.base + start), Pos(s.base + start)}
	}
	c := s.src[s.off]
	var k Kind
	switch {
	case isIdentStart(c):
		s.off++
		for s.off < len(s.src) && isIdentByte(s.src[s.off]) {
			s.off++
		}
		k = lookupKeyword(s.src[start:s.off])
	case isDigit(c):
		s.off++
		for s.off < len(s.src) && isIdentByte(s.src[s.off]) {
			s.off++
		}
		k = Int
	case c == '"':
		k = s.scanString()
	case c == '$':
		k = s.scanDollar()
	case c == '@':
		s.off++
		for s.off < len(s.src) && isIdentByte(s.src[s.off]) {
			s.off++
		}
		k = MapIdent
	case c == '#' && atLineStart(s.src, start):
		k = PreprocLine
		if s.peekAt(1) == '!' {
			k = ShebangLine
		}
		for s.off < len(s.src) && s.src[s.off] != '\n' {
			s.off++
		}
		for s.off > start+1 && isSpace(s.src[s.off-1]) {
			s.off--
		}
	default:
		k = s.scanOperator()
	}
	return token{k, Pos(s.base + start), Pos(s.base + s.off)}
}

// scanString scans a double-quoted string. A raw newline or EOF ends an
// unterminated string before the newline; the parser reports it.
func (s *scanner) scanString() Kind {
	s.off++ // opening quote
	for s.off < len(s.src) {
		switch s.src[s.off] {
		case '"':
			s.off++
			return Str
		case '\\':
			s.off++
			if s.off < len(s.src) && s.src[s.off] != '\n' {
				s.off++
			}
		case '\n':
			return Str
		default:
			s.off++
		}
	}
	return Str
}

func (s *scanner) scanDollar() Kind {
	s.off++
	switch {
	case s.off < len(s.src) && s.src[s.off] == '#':
		s.off++
		return ParamCount
	case s.off < len(s.src) && isDigit(s.src[s.off]):
		for s.off < len(s.src) && isDigit(s.src[s.off]) {
			s.off++
		}
		return Param
	case s.off < len(s.src) && isIdentStart(s.src[s.off]):
		for s.off < len(s.src) && isIdentByte(s.src[s.off]) {
			s.off++
		}
		return VarIdent
	}
	return Illegal
}

// singleOps maps one-byte operators and punctuation; immutable.
var singleOps = [256]Kind{
	'{': LBrace, '}': RBrace, '(': LParen, ')': RParen, '[': LBrack, ']': RBrack,
	';': Semi, ',': Comma, ':': Colon, '?': Question, '.': Dot, '+': Plus,
	'-': Minus, '*': Star, '/': Slash, '%': Percent, '&': Amp, '|': Pipe,
	'^': Caret, '~': Tilde, '!': Not, '<': Lt, '>': Gt, '=': Assign,
}

// followOps gives the kind of a two-byte operator "c1 c2"; immutable.
var followOps = map[[2]byte]Kind{
	{'-', '>'}: Arrow, {'.', '.'}: DotDot, {'<', '<'}: Shl, {'>', '>'}: Shr,
	{'&', '&'}: AndAnd, {'|', '|'}: OrOr, {'=', '='}: Eq, {'!', '='}: Ne,
	{'<', '='}: Le, {'>', '='}: Ge, {'+', '='}: AddAssign, {'-', '='}: SubAssign,
	{'*', '='}: MulAssign, {'/', '='}: DivAssign, {'%', '='}: ModAssign,
	{'&', '='}: AndAssign, {'|', '='}: OrAssign, {'^', '='}: XorAssign,
	{'+', '+'}: Inc, {'-', '-'}: Dec,
}

func (s *scanner) scanOperator() Kind {
	c := s.src[s.off]
	k := singleOps[c]
	if k == EOF {
		// Anything else is one invalid character (a whole UTF-8 sequence).
		_, n := utf8.DecodeRune(s.src[s.off:])
		s.off += n
		return Illegal
	}
	c2 := s.peekAt(1)
	if !isOpFollow(c2) {
		s.off++
		return k
	}
	if k2, ok := followOps[[2]byte{c, c2}]; ok {
		if (k2 == Shl || k2 == Shr) && s.peekAt(2) == '=' {
			s.off += 3
			if k2 == Shl {
				return ShlAssign
			}
			return ShrAssign
		}
		s.off += 2
		return k2
	}
	s.off++
	return k
}

// isOpFollow reports whether c can be the second byte of an operator.
func isOpFollow(c byte) bool {
	switch c {
	case '>', '.', '<', '&', '|', '=', '+', '-':
		return true
	}
	return false
}
