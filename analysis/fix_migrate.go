package analysis

// This file implements the migration fixes: provider names that changed
// between versions (kfunc → fentry in 0.20, and back for older targets), and
// the args field operator (args->f before 0.19, args.f after).

import (
	"github.com/bpfls/bpfls/analysis/syntax"
)

// renameProviderFix rewrites the provider of ap to name.
func renameProviderFix(ap *attachPoint, name string) Fix {
	return Fix{
		Title: "Change probe type to " + quote(name),
		Kind:  "quickfix",
		Edits: []Edit{{Span: ap.Provider.Span, NewText: name}},
	}
}

// legacyNames maps old provider spellings to the names that replaced them,
// with the version that introduced the new name.
var legacyNames = map[string]struct {
	modern string
	since  syntax.Version
}{
	"kfunc":    {"fentry", syntax.V0_20},
	"kretfunc": {"fexit", syntax.V0_20},
}

// suggestModernSpelling adds a hint where an old provider name is used and
// the target knows the new one.
func suggestModernSpelling(r *Reporter, ap *attachPoint, prov *provider, s spelling, v syntax.Version) {
	l, ok := legacyNames[s.name]
	if !ok || !v.AtLeast(l.since) {
		return
	}
	d := r.Hintf(ap.Provider.Span, CodeLegacyProvider, "%q is the old name of %q since bpftrace %s", s.name, l.modern, l.since)
	d.Fixes = append(d.Fixes, renameProviderFix(ap, l.modern))
}

// argsOperatorSpan finds the "." or "->" before the field name at span in
// src, skipping blanks; ok is false when neither is there.
func argsOperatorSpan(src []byte, field syntax.Span) (op syntax.Span, arrow, ok bool) {
	i := int(field.Start) - 1
	for i >= 0 && (src[i] == ' ' || src[i] == '\t' || src[i] == '\n' || src[i] == '\r') {
		i--
	}
	switch {
	case i >= 1 && src[i] == '>' && src[i-1] == '-':
		return syntax.Span{Start: syntax.Pos(i - 1), End: syntax.Pos(i + 1)}, true, true
	case i >= 0 && src[i] == '.':
		return syntax.Span{Start: syntax.Pos(i), End: syntax.Pos(i + 1)}, false, true
	}
	return syntax.Span{}, false, false
}

// argsOperatorFix rewrites the operator of one args field use to what the
// target wants: "->" before 0.19, "." from 0.19 on. It returns false when
// the use already has that form.
func argsOperatorFix(src []byte, use ArgUse, v syntax.Version) (Fix, bool) {
	op, arrow, ok := argsOperatorSpan(src, use.Span)
	wantArrow := !v.AtLeast(syntax.V0_19)
	if !ok || arrow == wantArrow {
		return Fix{}, false
	}
	text, title := ".", "Use args."+use.Field+" (args is a struct since bpftrace 0.19)"
	if wantArrow {
		text, title = "->", "Use args->"+use.Field+" (args is a pointer before bpftrace 0.19)"
	}
	return Fix{Title: title, Kind: "quickfix", Edits: []Edit{{Span: op, NewText: text}}}, true
}
