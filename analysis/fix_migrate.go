package analysis

// This file implements the migration fixes: provider names that changed
// between versions (kfunc → fentry in 0.20, and back for older targets,
// BEGIN in upper case before 0.24), and locating the args field operator
// (args->f before 0.19, args.f after) for the fixes that rewrite uses. The
// body checks offer the args operator fix itself.

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

// migrationCodes are the diagnostics that say the script is written for
// another bpftrace version than the target; their single fix moves it to
// the target.
var migrationCodes = map[string]bool{
	CodeProbeVersion:        true,
	CodeLegacyProvider:      true,
	CodeArgsArrowNeeded:     true,
	CodeFieldOnPointer:      true,
	CodeDeprecatedDelete:    true,
	CodeBuiltinVersion:      true,
	CodeBuiltinArityVer:     true,
	CodeUnstableFeature:     true,
	CodeWhileDeprecated:     true,
	syntax.CodeNeedsVersion: true,
}

// MigrationFix gathers, for a whole file, the fixes that move it to the
// target version: the one quick fix of each version diagnostic that offers
// exactly one, skipping any whose edits overlap one already taken. ok is
// false when there is nothing to migrate.
func MigrationFix(snap *Snapshot) (fix Fix, ok bool) {
	fix = Fix{Title: "Migrate the file to bpftrace " + snap.Config.Dialect.Version.String(), Kind: "source.fixAll"}
	for _, d := range snap.Diagnostics {
		if !migrationCodes[d.Code] || len(d.Fixes) != 1 || (d.Fixes[0].Kind != "quickfix" && d.Fixes[0].Kind != "") {
			continue
		}
		if overlapsAny(fix.Edits, d.Fixes[0].Edits) {
			continue
		}
		fix.Edits = append(fix.Edits, d.Fixes[0].Edits...)
	}
	return fix, len(fix.Edits) > 0
}

// overlapsAny reports whether an edit of add touches an edit of have;
// two insertions at the same offset count as overlapping, since their order
// would be undefined.
func overlapsAny(have, add []Edit) bool {
	for _, a := range add {
		for _, h := range have {
			if a.Span.Start < h.Span.End && h.Span.Start < a.Span.End || a.Span.Start == h.Span.Start {
				return true
			}
		}
	}
	return false
}
