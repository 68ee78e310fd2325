package fix

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

	"github.com/bpfls/bpfls/analysis"
	"github.com/bpfls/bpfls/analysis/syntax"
)

// macroFix builds the fix, or returns false where the target has no macros
// or the body cannot move into one.
func (m *conflict) macroFix(plan []*bucket) (analysis.Fix, bool) {
	v := m.dialect.Version
	if !v.AtLeast(syntax.V0_24) {
		return analysis.Fix{}, false
	}
	bodySpan := syntax.Span{Start: m.p.Body.Pos(), End: m.p.Body.End()}
	maps, anon := analysis.BodyMaps(m.src, bodySpan)
	if anon {
		return analysis.Fix{}, false // the anonymous map cannot be a macro parameter
	}
	fields := m.differingFields(plan)
	name := m.freeMacroName("shared_body")
	params := append([]string(nil), maps...)
	var edits []analysis.Edit
	for _, f := range fields {
		pname := macroParamName(f)
		params = append(params, pname)
		for _, u := range m.uses {
			if u.Field != f || u.Span.Start < bodySpan.Start || u.Span.End > bodySpan.End {
				continue
			}
			span, ok := argsExprSpan(m.src, u.Span)
			if !ok {
				return analysis.Fix{}, false
			}
			edits = append(edits, analysis.Edit{Span: span, NewText: pname})
		}
	}
	macroText := "macro " + name + "(" + strings.Join(params, ", ") + ") " + applyEdits(m.src, bodySpan, edits)
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
		probes[i] = m.probeText(b, blockAround(m.src, bodySpan, call))
	}
	fix := analysis.Fix{Title: "Split into one probe per argument list sharing macro " + quote(name), Kind: "refactor.extract"}
	fix.Edits = append(fix.Edits, analysis.Edit{
		Span:    syntax.Span{Start: m.p.Pos(), End: m.p.End()},
		NewText: macroText + "\n\n" + strings.Join(probes, "\n\n"),
	})
	if !v.AtLeast(syntax.V0_25) {
		fix.Title += " (sets unstable_macro = enable: macros are unstable in bpftrace 0.24)"
		if e, ok := m.enableConfig("unstable_macro", "enable"); ok {
			fix.Edits = append([]analysis.Edit{e}, fix.Edits...)
		}
	}
	return fix, true
}

// differingFields are the args fields some bucket renames or types
// differently, sorted.
func (m *conflict) differingFields(plan []*bucket) []string {
	set := map[string]bool{}
	for _, b := range plan {
		for f := range b.renames {
			set[f] = true
		}
	}
	for _, u := range m.uses {
		if m.c.FieldDiffers(u.Field) {
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
	if _, ok := analysis.LookupBuiltin(field); ok || field == "args" {
		return field + "_arg"
	}
	return field
}

// freeMacroName returns base, or base_N, that no macro of the file uses.
func (m *conflict) freeMacroName(base string) string {
	used := map[string]bool{}
	for _, item := range m.items {
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
func (m *conflict) enableConfig(key, value string) (analysis.Edit, bool) {
	var first syntax.Node
	for _, item := range m.items {
		switch it := item.(type) {
		case *syntax.ConfigBlock:
			if it.Lbrace.IsValid() {
				return analysis.Edit{Span: syntax.Span{Start: it.Lbrace + 1, End: it.Lbrace + 1}, NewText: " " + key + " = " + value + ";"}, true
			}
			return analysis.Edit{}, false
		case *syntax.Shebang, *syntax.Preamble:
		default:
			if first == nil {
				first = item
			}
		}
	}
	if first == nil {
		return analysis.Edit{}, false
	}
	at := first.Pos()
	return analysis.Edit{Span: syntax.Span{Start: at, End: at}, NewText: "config = { " + key + " = " + value + " }\n\n"}, true
}

// argsExprSpan extends the field name of an args use to the whole
// "args.f" / "args->f" expression.
func argsExprSpan(src []byte, field syntax.Span) (syntax.Span, bool) {
	op, _, ok := analysis.ArgsOperatorSpan(src, field)
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
