package ide

// This file implements the completion of bare identifiers in a body:
// builtins and functions of the target version that the probe allows, with
// snippets and docs, the file's macros, and statement keywords.

import (
	"context"
	"strconv"
	"strings"

	"github.com/bpfls/bpfls/analysis"
	"github.com/bpfls/bpfls/analysis/syntax"
)

// bodyKeywords are statement and expression keywords with their first
// version.
var bodyKeywords = []struct {
	word  string
	since syntax.Version
}{
	{"if", syntax.V0_17}, {"else", syntax.V0_17}, {"while", syntax.V0_17}, {"unroll", syntax.V0_17},
	{"return", syntax.V0_17}, {"for", syntax.V0_21}, {"break", syntax.V0_17}, {"continue", syntax.V0_17},
	{"let", syntax.V0_22}, {"true", syntax.V0_24}, {"false", syntax.V0_24}, {"struct", syntax.V0_17},
}

// identItems lists builtins, macros and keywords for a body of item.
func identItems(ctx context.Context, s *analysis.Snapshot, item syntax.Node) []CompletionItem {
	d := s.Config.Dialect
	provs := itemProviders(item, d.Version)
	var items []CompletionItem
	for _, b := range analysis.Builtins(d) {
		if b.Kind == analysis.BuiltinPositional || b.Kind == analysis.BuiltinRemoved || !allowedIn(provs, b.Name) {
			continue
		}
		if b.Name == "argN" {
			for i := range 6 {
				n := "arg" + strconv.Itoa(i)
				items = append(items, CompletionItem{Label: n, Kind: CompleteBuiltinVar, Insert: n, Detail: "uint64", Doc: builtinDoc(b, d), Sort: "1"})
			}
			continue
		}
		items = append(items, builtinItem(b, d))
	}
	items = append(items, macroItems(s.File)...)
	for _, kw := range bodyKeywords {
		if d.Version.AtLeast(kw.since) {
			items = append(items, CompletionItem{Label: kw.word, Kind: CompleteKeyword, Insert: kw.word, Sort: "4"})
		}
	}
	return items
}

// itemProviders returns a bare context per attach point of a probe, enough
// to ask which builtins it allows; nil outside probes (everything allowed).
func itemProviders(item syntax.Node, v syntax.Version) []*analysis.ProbeContext {
	p, ok := item.(*syntax.Probe)
	if !ok {
		return nil
	}
	var out []*analysis.ProbeContext
	for _, n := range p.AttachPoints {
		if prov, ok := analysis.LookupProbeType(analysis.ProviderText(n), v); ok {
			out = append(out, &analysis.ProbeContext{Provider: prov.Name})
		}
	}
	return out
}

// allowedIn reports whether every provider allows the builtin.
func allowedIn(pcs []*analysis.ProbeContext, name string) bool {
	for _, pc := range pcs {
		if ok, _ := pc.Allowed(name); !ok {
			return false
		}
	}
	return true
}

// builtinItem proposes one builtin: bare variables as they are, callables
// as a snippet with their required arguments.
func builtinItem(b *analysis.Builtin, d syntax.Dialect) CompletionItem {
	it := CompletionItem{Label: b.Name, Insert: b.Name, Detail: firstClause(b.Signature), Doc: builtinDoc(b, d), Sort: "1"}
	switch b.Kind {
	case analysis.BuiltinVar, analysis.BuiltinVarFunc:
		it.Kind = CompleteBuiltinVar
		return it
	case analysis.BuiltinMapFunc:
		it.Sort = "1~"
	}
	it.Kind = CompleteBuiltinFunc
	it.Insert, it.Snippet = callSnippet(b.Name, builtinParamNames(b, d.Version)), true
	return it
}

// firstClause is the first of the ';'-separated forms of a signature.
func firstClause(sig string) string {
	c, _, _ := strings.Cut(sig, " ; ")
	return strings.TrimSpace(c)
}

// callSnippet writes "name(${1:a}, ${2:b})".
func callSnippet(name string, params []string) string {
	var b strings.Builder
	b.WriteString(name + "(")
	for i, p := range params {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString("${" + strconv.Itoa(i+1) + ":" + snippetEscape(p) + "}")
	}
	b.WriteString(")")
	if len(params) == 0 {
		b.WriteString("$0")
	}
	return b.String()
}

// snippetEscape escapes the characters snippet syntax gives a meaning.
func snippetEscape(s string) string {
	if !strings.ContainsAny(s, `\$}`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if c := s[i]; c == '\\' || c == '$' || c == '}' {
			b.WriteByte('\\')
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// builtinParamNames names the required arguments of b in version v, from
// its call form.
func builtinParamNames(b *analysis.Builtin, v syntax.Version) []string {
	lo, _ := b.ArityIn(v)
	forms := callForms(b)
	var names []string
	if len(forms) > 0 {
		for _, p := range forms[0].Params {
			names = append(names, paramName(forms[0].Label[p.Start:p.End]))
		}
	}
	for len(names) < lo {
		names = append(names, "arg"+strconv.Itoa(len(names)))
	}
	return names[:lo]
}

// paramName picks a placeholder from a parameter as documented: the last
// identifier ("int literal k 0..5" → "k"), else the text itself.
func paramName(p string) string {
	words := strings.Fields(strings.Trim(p, "[], "))
	for i := len(words) - 1; i >= 0; i-- {
		w := strings.TrimSuffix(strings.TrimLeft(words[i], "*"), "...")
		if analysis.IsIdent(w) {
			return w
		}
	}
	return strings.TrimSpace(p)
}

// builtinDoc documents b for dialect d in markdown: its signatures, where
// it may be used, and its history.
func builtinDoc(b *analysis.Builtin, d syntax.Dialect) string {
	var sb strings.Builder
	sb.WriteString("```bpftrace\n")
	for _, c := range strings.Split(b.Signature, " ; ") {
		sb.WriteString(strings.TrimSpace(c) + "\n")
	}
	sb.WriteString("```\n")
	if b.Restrict != "" && b.Restrict != "any" {
		sb.WriteString("\nOnly: " + b.Restrict + "\n")
	}
	if b.Kind == analysis.BuiltinMapFunc {
		sb.WriteString("\nOnly as the value of a map assignment: `@m[key] = " + b.Name + "(…)`.\n")
	}
	lo, hi := b.ArityIn(d.Version)
	if b.Kind != analysis.BuiltinVar && b.Kind != analysis.BuiltinPositional {
		sb.WriteString("\nArguments in bpftrace " + d.Version.String() + ": " + docArity(lo, hi) + "\n")
	}
	if b.Since.AtLeast(syntax.V0_17) && b.Since != syntax.V0_17 {
		sb.WriteString("\nSince bpftrace " + b.Since.String() + ".\n")
	}
	if d.Version == syntax.V0_17 && b.Notes017 != "" && b.Notes017 != "same" {
		sb.WriteString("\nIn 0.17: " + b.Notes017 + "\n")
	}
	if b.Unstable {
		sb.WriteString("\nUnstable: needs its `unstable_*` config flag.\n")
	}
	return sb.String()
}

func docArity(lo, hi int) string {
	switch {
	case hi >= analysis.VariadicArgs:
		return strconv.Itoa(lo) + " or more"
	case lo == hi:
		return strconv.Itoa(lo)
	}
	return strconv.Itoa(lo) + " to " + strconv.Itoa(hi)
}

// macroItems proposes the macros defined in the file.
func macroItems(f *syntax.File) []CompletionItem {
	var items []CompletionItem
	for _, it := range f.Decls() {
		m, ok := it.(*syntax.MacroDecl)
		if !ok || m.Name == nil {
			continue
		}
		names := make([]string, len(m.Params))
		for i, p := range m.Params {
			names[i] = p.Name
		}
		items = append(items, CompletionItem{Label: m.Name.Name, Kind: CompleteMacro, Detail: "macro " + macroHeader(m),
			Insert: callSnippet(m.Name.Name, names), Snippet: true, Sort: "0"})
	}
	return items
}
