package fix

// This file implements the #define fix for targets without macros (before
// 0.24): split the probe per argument list and share the body through a
// one-line C #define. bpftrace 0.17 expands such a macro in its lexer and
// glues the expanded tokens together, so only bodies whose tokens survive
// gluing are offered (no "struct sock", no "else if"), and the body may not
// read args itself (bpftrace resolves args before it expands macros): every
// args field the body reads is first copied into a scratch variable in the
// probe, and the #define reads the variable. differential_define_test.go
// compiles each form with the real bpftrace 0.17.

import (
	"sort"
	"strconv"
	"strings"

	"github.com/bpfls/bpfls/analysis"
	"github.com/bpfls/bpfls/analysis/syntax"
)

// defineFix builds the fix, or returns false when the target has macros
// (the macro fix is better there) or the body cannot be one C line.
func (m *conflict) defineFix(plan []*bucket) (analysis.Fix, bool) {
	v := m.dialect.Version
	if v.AtLeast(syntax.V0_24) || m.c.ReadsRetval() || m.p.Body.Rbrace == syntax.NoPos {
		return analysis.Fix{}, false
	}
	inner := syntax.Span{Start: m.p.Body.Lbrace + 1, End: m.p.Body.Rbrace}
	fields, ok := m.hoistedFields(inner)
	if !ok {
		return analysis.Fix{}, false
	}
	var edits []analysis.Edit
	for _, u := range m.uses {
		if u.Span.Start >= inner.Start && u.Span.End <= inner.End {
			span, _ := argsExprSpan(m.src, u.Span)
			edits = append(edits, analysis.Edit{Span: span, NewText: hoistVar(u.Field)})
		}
	}
	line, ok := defineLine(applyEdits(m.src, inner, edits))
	if !ok {
		return analysis.Fix{}, false
	}
	name := m.freeDefineName("SHARED_BODY")
	op := "->"
	if v.AtLeast(syntax.V0_19) {
		op = "."
	}
	probes := make([]string, len(plan))
	for i, b := range plan {
		stmts := make([]string, 0, len(fields)+1)
		for _, f := range fields {
			use := f
			if alt, ok := b.renames[f]; ok {
				use = alt
			}
			stmts = append(stmts, hoistVar(f)+" = args"+op+use+";")
		}
		stmts = append(stmts, name)
		probes[i] = m.probeText(b, "{ "+strings.Join(stmts, " ")+" }")
	}
	at, ok := m.preambleEnd()
	if !ok {
		return analysis.Fix{}, false
	}
	return analysis.Fix{
		Title: "Split into one probe per argument list sharing #define " + name,
		Kind:  "refactor.extract",
		Edits: []analysis.Edit{
			{Span: syntax.Span{Start: at, End: at}, NewText: "#define " + name + " " + line + "\n"},
			{Span: syntax.Span{Start: m.p.Pos(), End: m.p.End()}, NewText: strings.Join(probes, "\n\n")},
		},
	}, true
}

// hoistVar is the scratch variable an args field is copied into.
func hoistVar(field string) string { return "$args_" + field }

// hoistedFields lists the args fields the body reads, sorted; ok is false
// when the body names args other than as args.f / args->f, or already uses
// a variable a field would be copied into.
func (m *conflict) hoistedFields(inner syntax.Span) ([]string, bool) {
	set := map[string]bool{}
	for _, u := range m.uses {
		if u.Span.Start >= inner.Start && u.Span.End <= inner.End {
			if _, ok := argsExprSpan(m.src, u.Span); !ok {
				return nil, false
			}
			set[u.Field] = true
		}
	}
	body := string(m.src[inner.Start:inner.End])
	if strings.Count(body, "args") != len(usesIn(m.uses, inner)) {
		return nil, false // args used whole, or the word inside a string
	}
	fields := make([]string, 0, len(set))
	for f := range set {
		if strings.Contains(body, hoistVar(f)) {
			return nil, false
		}
		fields = append(fields, f)
	}
	sort.Strings(fields)
	return fields, true
}

func usesIn(uses []analysis.ArgUse, span syntax.Span) []analysis.ArgUse {
	var out []analysis.ArgUse
	for _, u := range uses {
		if u.Span.Start >= span.Start && u.Span.End <= span.End {
			out = append(out, u)
		}
	}
	return out
}

// defineLine joins a body into the text of a one-line #define, or returns
// false when bpftrace 0.17's token gluing would change its meaning: two
// words next to each other ("struct sock", "else if", "return 1"), operator
// characters that would fuse ("- -"), or comments (the first would swallow
// the rest of the line). A field access through a pointer ("->") is refused
// too: 0.17 resolves a struct only where the script names it outside a
// macro ("$t = curtask; @x = $t->pid" through a #define: "Unknown
// struct/union: 'struct task_struct'").
func defineLine(body string) (string, bool) {
	if strings.Contains(body, "//") || strings.Contains(body, "/*") || strings.Contains(body, "->") {
		return "", false
	}
	toks, ok := glueTokens(body)
	if !ok {
		return "", false
	}
	for i := 1; i < len(toks); i++ {
		a, b := toks[i-1], toks[i]
		if !a.spaceAfter {
			continue
		}
		if a.word && b.word || a.op && b.op {
			return "", false
		}
	}
	return strings.Join(strings.Fields(body), " "), true
}

// glueToken is one token of a body, as far as gluing is concerned.
type glueToken struct {
	word, op, spaceAfter bool
}

// glueTokens splits body into words (identifiers, numbers, $x, @x),
// strings, operator characters and other punctuation; ok is false for an
// unterminated string.
func glueTokens(body string) ([]glueToken, bool) {
	var toks []glueToken
	isWord := func(c byte) bool { return isIdentByte(c) || c == '$' || c == '@' }
	for i := 0; i < len(body); {
		c := body[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			if len(toks) > 0 {
				toks[len(toks)-1].spaceAfter = true
			}
			i++
		case c == '"':
			j := i + 1
			for j < len(body) && body[j] != '"' {
				if body[j] == '\\' {
					j++
				}
				j++
			}
			if j >= len(body) {
				return nil, false
			}
			toks = append(toks, glueToken{})
			i = j + 1
		case isWord(c):
			for i < len(body) && isWord(body[i]) {
				i++
			}
			toks = append(toks, glueToken{word: true})
		default:
			toks = append(toks, glueToken{op: strings.IndexByte("+-*/%<>=!&|^~", c) >= 0})
			i++
		}
	}
	return toks, true
}

// freeDefineName returns base, or base_N, that the preamble does not define.
func (m *conflict) freeDefineName(base string) string {
	var text strings.Builder
	for _, item := range m.items {
		if pre, ok := item.(*syntax.Preamble); ok {
			for _, d := range pre.Decls {
				text.WriteString(d.Text + "\n")
			}
		}
	}
	name := base
	for i := 2; strings.Contains(text.String(), "#define "+name+" "); i++ {
		name = base + "_" + strconv.Itoa(i)
	}
	return name
}

// preambleEnd is where a new C preprocessor line goes: after the shebang
// and the existing C definitions, at the start of a line.
func (m *conflict) preambleEnd() (syntax.Pos, bool) {
	at := syntax.Pos(0)
	for _, item := range m.items {
		switch it := item.(type) {
		case *syntax.Shebang, *syntax.Preamble:
			at = it.End()
		default:
			if at > 0 {
				for int(at) < len(m.src) && m.src[at-1] != '\n' {
					at++
				}
				if m.src[at-1] != '\n' {
					return 0, false
				}
			}
			return at, true
		}
	}
	return 0, false
}
