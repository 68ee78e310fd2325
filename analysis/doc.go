// Package analysis is the bpftrace checker: names and scopes, builtins and
// probe types per target version, types, per-attach-point checking against
// kernel facts, the mixed-arguments analysis, and the quick fixes that sit
// next to the checks raising them. It knows nothing of LSP or of editor
// features: byte offsets in, plain Go values out. `bpfls check` and the
// language server call the same entry point, [Analyze].
//
// Editor features (package analysis/ide) and refactorings (package
// analysis/fix) build on the exported API: [Snapshot] with its
// [SymbolIndex], [Typer] for the type of an expression, [ProbeTypes] and
// [LookupBuiltin] for the tables, and [Conflict] for the per-attach-point
// results of a probe. This package imports neither of them.
package analysis
