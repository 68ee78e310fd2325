// This file implements mapping clang's positions in "definitions.h" back to
// the script. bpftrace hands clang a file made of one generated #include line
// followed by the script's C part: every preprocessor line and every
// struct/union/enum definition, in order, each chunk on its own lines, with
// the comments and blank lines between them dropped.

package verify

import (
	"bytes"

	"github.com/bpfls/bpfls/analysis/syntax"
)

// cLine is one line of definitions.h after the generated first line: the
// script line it came from and the column shift of its first byte.
type cLine struct {
	line  int // 1-based line in the script
	shift int // add to clang's column to get the script's column
}

// cDefinitionLines lists, in definitions.h order, where each C line came
// from. It reads only the leading part of the script where C may appear.
func cDefinitionLines(src []byte) []cLine {
	lt := syntax.NewLineTable(src)
	var out []cLine
	for i := skipBlank(src, 0); i < len(src); i = skipBlank(src, i) {
		line, col := lt.Position(syntax.Pos(i))
		switch {
		case src[i] == '#':
			out = append(out, cLine{line: line, shift: col - 1})
			i = lineEnd(src, i)
		case startsDefinition(src[i:]):
			end := definitionEnd(src, i)
			if end < 0 {
				return out
			}
			last, _ := lt.Position(syntax.Pos(end - 1))
			out = append(out, cLine{line: line, shift: col - 1})
			for l := line + 1; l <= last; l++ {
				out = append(out, cLine{line: l})
			}
			i = end
		default:
			return out // the first probe: C may not follow
		}
	}
	return out
}

// cdefSpan maps a clang position in definitions.h to the script.
func (m *mapper) cdefSpan(loc *location) (syntax.Span, bool) {
	idx := loc.line - 2 // line 1 is bpftrace's generated #include
	if idx < 0 || idx >= len(m.cdefs) {
		return syntax.Span{}, false
	}
	c := m.cdefs[idx]
	col := loc.col
	if col > 0 {
		col += c.shift
	}
	start, ok := m.doc.Lines.Offset(c.line, max(col, 1))
	if !ok {
		return syntax.Span{}, false
	}
	return visibleSpan(m.doc.Src, start), true
}

// skipBlank skips white space, comments and "#!" lines from i.
func skipBlank(src []byte, i int) int {
	for i < len(src) {
		switch {
		case src[i] == ' ' || src[i] == '\t' || src[i] == '\n' || src[i] == '\r':
			i++
		case bytes.HasPrefix(src[i:], []byte("#!")), bytes.HasPrefix(src[i:], []byte("//")):
			i = lineEnd(src, i)
		case bytes.HasPrefix(src[i:], []byte("/*")):
			end := bytes.Index(src[i+2:], []byte("*/"))
			if end < 0 {
				return len(src)
			}
			i += 2 + end + 2
		default:
			return i
		}
	}
	return i
}

func lineEnd(src []byte, i int) int {
	if j := bytes.IndexByte(src[i:], '\n'); j >= 0 {
		return i + j
	}
	return len(src)
}

// startsDefinition reports whether b starts "struct", "union" or "enum" as a
// whole word.
func startsDefinition(b []byte) bool {
	for _, kw := range []string{"struct", "union", "enum"} {
		if bytes.HasPrefix(b, []byte(kw)) && (len(b) == len(kw) || !isIdentByte(b[len(kw)])) {
			return true
		}
	}
	return false
}

// definitionEnd returns the offset after a definition's closing brace and an
// optional ';', or -1 when this is not a complete definition.
func definitionEnd(src []byte, i int) int {
	depth := 0
	for j := i; j < len(src); j++ {
		switch src[j] {
		case '{':
			depth++
		case '}':
			depth--
			if depth == 0 {
				if j+1 < len(src) && src[j+1] == ';' {
					j++
				}
				return j + 1
			}
		case '*', ')', ':', '/':
			if depth == 0 {
				return -1 // a cast or a probe, not a definition
			}
		}
	}
	return -1
}

// wordEnd extends a clang position over the identifier or token there, so an
// editor underlines something visible.
func wordEnd(src []byte, p syntax.Pos) syntax.Pos {
	i := int(p)
	if i < len(src) && (src[i] == '<' || src[i] == '"') {
		closer := map[byte]byte{'<': '>', '"': '"'}[src[i]]
		if j := bytes.IndexByte(src[i+1:lineEnd(src, i)], closer); j >= 0 {
			return syntax.Pos(i + j + 2) // a header name, brackets included
		}
	}
	for i < len(src) && isIdentByte(src[i]) {
		i++
	}
	if i == int(p) && i < len(src) && src[i] != '\n' {
		i++
	}
	return syntax.Pos(i)
}

// visibleSpan returns a non-empty span at p: clang often points just past
// the last token of a line ("expected ';'"), so cover that token's last byte.
func visibleSpan(src []byte, p syntax.Pos) syntax.Span {
	if end := wordEnd(src, p); end > p {
		return syntax.Span{Start: p, End: end}
	}
	if p > 0 && src[p-1] != '\n' {
		return syntax.Span{Start: p - 1, End: p}
	}
	return syntax.Span{Start: p, End: p}
}

func isIdentByte(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}
