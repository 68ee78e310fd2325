package analysis

// This file implements the macro fix for mixed arguments (0.24+): split the
// probe per argument list and move the shared body into a macro whose
// parameters carry what differs (the args fields) and the maps the body
// touches (macros are hygienic: maps must come in as parameters). In 0.24
// macros are unstable (bpftrace warns unless the config block says
// "unstable_macro = enable", and errors with "error"), so the fix sets it.

import (
	"sort"
	"strconv"
	"strings"

	"github.com/bpfls/bpfls/analysis/syntax"
)

// macroFix builds the fix, or returns false where the target has no macros
// or the body cannot move into one.
func (m *merger) macroFix(plan []*bucket) (Fix, bool) {
	v := m.pp.cfg.Dialect.Version
	if !v.AtLeast(syntax.V0_24) {
		return Fix{}, false
	}
	bodySpan := syntax.Span{Start: m.p.Body.Pos(), End: m.p.Body.End()}
	maps, anon := bodyMaps(m.pp.src, bodySpan)
	if anon {
		return Fix{}, false // the anonymous map cannot be a macro parameter
	}
	fields := m.differingFields(plan)
	name := m.pp.freeMacroName("shared_body")
	params := append([]string(nil), maps...)
	var edits []Edit
	for _, f := range fields {
		pname := macroParamName(f)
		params = append(params, pname)
		for _, u := range m.uses {
			if u.Field != f || u.Span.Start < bodySpan.Start || u.Span.End > bodySpan.End {
				continue
			}
			span, ok := argsExprSpan(m.pp.src, u.Span)
			if !ok {
				return Fix{}, false
			}
			edits = append(edits, Edit{Span: span, NewText: pname})
		}
	}
	macroText := "macro " + name + "(" + strings.Join(params, ", ") + ") " + applyEdits(m.pp.src, bodySpan, edits)
	probes := make([]string, len(plan))
	for i, b := range plan {
		args := append([]string(nil), maps...)
		for _, f := range fields {
			use := f
			if alt, ok := b.renames[f]; ok {
				use = alt
			}
			args = append(args, "args."+use)
		}
		call := name + "(" + strings.Join(args, ", ") + ");"
		probes[i] = m.probeText(b, blockAround(m.pp.src, bodySpan, call))
	}
	fix := Fix{Title: "Split into one probe per argument list sharing macro " + quote(name), Kind: "refactor.extract"}
	fix.Edits = append(fix.Edits, Edit{
		Span:    syntax.Span{Start: m.p.Pos(), End: m.p.End()},
		NewText: macroText + "\n\n" + strings.Join(probes, "\n\n"),
	})
	if !v.AtLeast(syntax.V0_25) {
		fix.Title += " (sets unstable_macro = enable: macros are unstable in bpftrace 0.24)"
		if e, ok := m.pp.enableConfig("unstable_macro", "enable"); ok {
			fix.Edits = append([]Edit{e}, fix.Edits...)
		}
	}
	return fix, true
}

// differingFields are the args fields some bucket renames or types
// differently, sorted.
func (m *merger) differingFields(plan []*bucket) []string {
	set := map[string]bool{}
	for _, b := range plan {
		for f := range b.renames {
			set[f] = true
		}
	}
	for _, u := range m.uses {
		if len(m.statesOf(u.Field)) > 1 {
			set[u.Field] = true
		}
	}
	out := make([]string, 0, len(set))
	for f := range set {
		out = append(out, f)
	}
	sort.Strings(out)
	return out
}

// macroParamName avoids parameter names that are builtins, which bpftrace
// rejects as macro parameters.
func macroParamName(field string) string {
	if _, ok := lookupBuiltin(field); ok || field == "args" {
		return field + "_arg"
	}
	return field
}

// freeMacroName returns base, or base_N, that no macro of the file uses.
func (pp *probePass) freeMacroName(base string) string {
	used := map[string]bool{}
	for _, item := range pp.items {
		if md, ok := item.(*syntax.MacroDecl); ok && md.Name != nil {
			used[md.Name.Name] = true
		}
	}
	return freeName(base, used)
}

// freeName returns base, or base_N, that used does not hold.
func freeName(base string, used map[string]bool) string {
	name := base
	for i := 2; used[name]; i++ {
		name = base + "_" + strconv.Itoa(i)
	}
	return name
}

// enableConfig returns the edit that sets key = value in the file's config
// block, adding a block before the first probe when there is none.
func (pp *probePass) enableConfig(key, value string) (Edit, bool) {
	var first syntax.Node
	for _, item := range pp.items {
		switch it := item.(type) {
		case *syntax.ConfigBlock:
			if it.Lbrace.IsValid() {
				return Edit{Span: syntax.Span{Start: it.Lbrace + 1, End: it.Lbrace + 1}, NewText: " " + key + " = " + value + ";"}, true
			}
			return Edit{}, false
		case *syntax.Shebang, *syntax.Preamble:
		default:
			if first == nil {
				first = item
			}
		}
	}
	if first == nil {
		return Edit{}, false
	}
	at := first.Pos()
	return Edit{Span: syntax.Span{Start: at, End: at}, NewText: "config = { " + key + " = " + value + " }\n\n"}, true
}

// argsExprSpan extends the field name of an args use to the whole
// "args.f" / "args->f" expression.
func argsExprSpan(src []byte, field syntax.Span) (syntax.Span, bool) {
	op, _, ok := argsOperatorSpan(src, field)
	if !ok {
		return syntax.Span{}, false
	}
	i := int(op.Start)
	for i > 0 && (src[i-1] == ' ' || src[i-1] == '\t') {
		i--
	}
	if i < 4 || string(src[i-4:i]) != "args" || i > 4 && isIdentByte(src[i-5]) {
		return syntax.Span{}, false
	}
	return syntax.Span{Start: syntax.Pos(i - 4), End: field.End}, true
}

func isIdentByte(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// blockAround writes stmt as the only statement of a block laid out like the
// one at span: on its own indented line when that block spans lines.
func blockAround(src []byte, span syntax.Span, stmt string) string {
	body := string(src[span.Start:span.End])
	if !strings.Contains(body, "\n") {
		return "{ " + stmt + " }"
	}
	indent := "  "
	if i := strings.IndexByte(body, '\n'); i >= 0 {
		rest := body[i+1:]
		if j := strings.IndexFunc(rest, func(r rune) bool { return r != ' ' && r != '\t' }); j > 0 {
			indent = rest[:j]
		}
	}
	return "{\n" + indent + stmt + "\n}"
}

// bodyMaps lists the maps (with '@') a block touches, skipping strings and
// comments, and whether it uses the anonymous map.
func bodyMaps(src []byte, span syntax.Span) (maps []string, anon bool) {
	seen := map[string]bool{}
	s := src[span.Start:span.End]
	for i := 0; i < len(s); i++ {
		switch {
		case s[i] == '"':
			for i++; i < len(s) && s[i] != '"'; i++ {
				if s[i] == '\\' {
					i++
				}
			}
		case s[i] == '/' && i+1 < len(s) && s[i+1] == '/':
			for i < len(s) && s[i] != '\n' {
				i++
			}
		case s[i] == '/' && i+1 < len(s) && s[i+1] == '*':
			end := strings.Index(string(s[i+2:]), "*/")
			if end < 0 {
				return maps, anon
			}
			i += end + 3
		case s[i] == '@':
			j := i + 1
			for j < len(s) && isIdentByte(s[j]) {
				j++
			}
			if j == i+1 {
				anon = true
			} else if name := string(s[i:j]); !seen[name] {
				seen[name] = true
				maps = append(maps, name)
			}
			i = j - 1
		}
	}
	return maps, anon
}
