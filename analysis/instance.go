package analysis

import "github.com/bpfls/bpfls/analysis/syntax"

// ArgUse is one use of a field of the args builtin in a probe body
// (args.NAME, or args->NAME in older dialects).
type ArgUse struct {
	Span  syntax.Span // the field name
	Field string
	Arrow bool
}

// BodyResult is what checking a probe body under one ProbeContext yields. The
// probe pass compares results across instances: a diagnostic in every
// instance is ordinary, one in only some is a mixed-arguments conflict.
type BodyResult struct {
	Diags      []Diagnostic
	ArgUses    []ArgUse
	UsesArgs   bool
	UsesRetval bool
	// RetvalUses are the spans of retval uses, where the mixed-arguments
	// analysis reports retval typed differently per attach point.
	RetvalUses []syntax.Span
	// mapUses are the map uses typed under this context (mapgroups.go).
	mapUses []namedMapUse
}
