package ide

// This file implements signature help for calls of builtins and macros:
// which call is open at a position, its documented forms, and which
// argument is being typed.

import (
	"bytes"
	"context"
	"strings"

	"github.com/bpfls/bpfls/analysis"
	"github.com/bpfls/bpfls/analysis/syntax"
)

// ParamSpan is where one parameter sits in a [Signature]'s label, in bytes.
type ParamSpan struct{ Start, End int }

// Signature is one call form: "buffer buf(ptr [, int64 len])".
type Signature struct {
	Label  string
	Doc    string // markdown
	Params []ParamSpan
}

// SignatureHelp is the answer to a signature-help request.
type SignatureHelp struct {
	Signatures   []Signature
	Active       int // index into Signatures
	ActiveParam  int
	CallNameSpan syntax.Span
}

// SignatureHelpAt finds the innermost call open at pos whose callee is a
// builtin of the target version or a macro of the file.
func SignatureHelpAt(ctx context.Context, s *analysis.Snapshot, pos syntax.Pos) (SignatureHelp, bool) {
	f := s.File
	if pos < 0 || int(pos) > f.Len() {
		return SignatureHelp{}, false
	}
	n := nearPos(f, pos)
	if n.inCommentOrString(pos) {
		return SignatureHelp{}, false
	}
	// From the start of the last item before pos: a body left open goes
	// on past the item's end.
	calls := openCalls(n.src, n.rel(n.safe), n.rel(pos))
	for i := range calls {
		calls[i].span.Start += n.base
		calls[i].span.End += n.base
	}
	for i := len(calls) - 1; i >= 0; i-- {
		c := calls[i]
		sigs := callSignatures(s, c.name)
		if len(sigs) == 0 {
			continue
		}
		h := SignatureHelp{Signatures: sigs, ActiveParam: c.commas, CallNameSpan: c.span}
		h.Active = len(sigs) - 1
		for j, sg := range sigs {
			if len(sg.Params) > c.commas || variadic(sg) {
				h.Active = j
				break
			}
		}
		if sg := sigs[h.Active]; variadic(sg) && h.ActiveParam >= len(sg.Params) {
			h.ActiveParam = len(sg.Params) - 1 // every further argument is the variadic one
		}
		return h, true
	}
	return SignatureHelp{}, false
}

// variadic reports whether sg's last parameter takes any number of
// arguments ("args...").
func variadic(sg Signature) bool {
	n := len(sg.Params)
	return n > 0 && strings.HasSuffix(sg.Label[sg.Params[n-1].Start:sg.Params[n-1].End], "...")
}

// openCall is a call whose '(' is open at the position scanned to.
type openCall struct {
	name   string
	span   syntax.Span
	commas int
}

// openCalls scans src[from:to] and returns the calls still open at to,
// outermost first. Strings and comments are skipped; ';' and braces end
// every open call, so broken text does not leak into the next statement.
func openCalls(src []byte, from, to syntax.Pos) []openCall {
	var stack []openCall
	for i := int(from); i < int(to); i++ {
		switch c := src[i]; {
		case c == '"':
			i = skipString(src, i) - 1
		case c == '/' && i+1 < len(src) && src[i+1] == '/':
			for i < int(to) && src[i] != '\n' {
				i++
			}
		case c == '/' && i+1 < len(src) && src[i+1] == '*':
			j := bytes.Index(src[i+2:to], []byte("*/"))
			if j < 0 {
				return nil
			}
			i += j + 3
		case c == '(':
			stack = append(stack, openCall{name: identBefore(src, i), span: identSpanBefore(src, i)})
		case c == ')':
			if len(stack) > 0 {
				stack = stack[:len(stack)-1]
			}
		case c == ',':
			if len(stack) > 0 {
				stack[len(stack)-1].commas++
			}
		case c == ';' || c == '{' || c == '}':
			stack = stack[:0]
		}
	}
	return stack
}

// identSpanBefore is the identifier right before the '(' at i (spaces
// allowed in between); empty when there is none.
func identSpanBefore(src []byte, i int) syntax.Span {
	j := i
	for j > 0 && (src[j-1] == ' ' || src[j-1] == '\t') {
		j--
	}
	end := j
	for j > 0 && isWordByte(src[j-1]) {
		j--
	}
	if j > 0 && (src[j-1] == '$' || src[j-1] == '@') {
		return syntax.Span{Start: syntax.Pos(end), End: syntax.Pos(end)}
	}
	return syntax.Span{Start: syntax.Pos(j), End: syntax.Pos(end)}
}

func identBefore(src []byte, i int) string {
	sp := identSpanBefore(src, i)
	return string(src[sp.Start:sp.End])
}

// callSignatures returns the call forms of name: a macro of the file wins
// over a builtin of the same name, as it does in bpftrace.
func callSignatures(s *analysis.Snapshot, name string) []Signature {
	if name == "" {
		return nil
	}
	for _, it := range s.File.Decls() {
		if m, ok := it.(*syntax.MacroDecl); ok && m.Name != nil && m.Name.Name == name {
			return []Signature{macroForm(m)}
		}
	}
	b, ok := analysis.LookupBuiltin(name)
	if !ok {
		return nil
	}
	if avail, _ := b.Available(s.Config.Dialect); !avail {
		return nil
	}
	forms := callForms(b)
	doc := builtinDoc(b, s.Config.Dialect)
	for i := range forms {
		forms[i].Doc = doc
	}
	return forms
}

func macroForm(m *syntax.MacroDecl) Signature {
	label := macroHeader(m)
	sg := Signature{Label: label}
	at := len(m.Name.Name + "(")
	for _, p := range m.Params {
		sg.Params = append(sg.Params, ParamSpan{Start: at, End: at + len(p.Name)})
		at += len(p.Name) + 2
	}
	return sg
}

// callForms reads the call forms out of a builtin's documented signature:
// every ';'-separated clause that spells a call of the builtin.
func callForms(b *analysis.Builtin) []Signature {
	var out []Signature
	for _, clause := range strings.Split(b.Signature, ";") {
		clause = strings.TrimSpace(clause)
		open := strings.Index(clause, b.Name+"(")
		if open < 0 {
			continue
		}
		open += len(b.Name)
		closeAt := matchingParen(clause, open)
		if closeAt < 0 {
			continue
		}
		sg := Signature{Label: clause[:closeAt+1]}
		sg.Params = splitParams(sg.Label, open+1, closeAt)
		out = append(out, sg)
	}
	return out
}

// matchingParen returns the index of the ')' closing the '(' at open.
func matchingParen(s string, open int) int {
	depth := 0
	for i := open; i < len(s); i++ {
		switch s[i] {
		case '(':
			depth++
		case ')':
			depth--
			if depth == 0 {
				return i
			}
		}
	}
	return -1
}

// splitParams splits label[from:to] at top-level commas; each parameter is
// trimmed of spaces and of the brackets that mark optional ones.
func splitParams(label string, from, to int) []ParamSpan {
	var out []ParamSpan
	add := func(a, b int) {
		for a < b && strings.ContainsRune(" []", rune(label[a])) {
			a++
		}
		for b > a && strings.ContainsRune(" []", rune(label[b-1])) {
			b--
		}
		if b > a {
			out = append(out, ParamSpan{Start: a, End: b})
		}
	}
	depth, start := 0, from
	for i := from; i < to; i++ {
		switch label[i] {
		case '(':
			depth++
		case ')':
			depth--
		case ',':
			if depth == 0 {
				add(start, i)
				start = i + 1
			}
		}
	}
	add(start, to)
	return out
}

// macroHeader spells a macro's name and parameters: "name($a, @m, x)".
func macroHeader(m *syntax.MacroDecl) string {
	names := make([]string, len(m.Params))
	for i, p := range m.Params {
		names[i] = p.Name
	}
	return m.Name.Name + "(" + strings.Join(names, ", ") + ")"
}
