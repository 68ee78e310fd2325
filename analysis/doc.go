// Package analysis is the bpftrace language beyond syntax: names and scopes,
// builtins and probe types per target version, types, per-attach-point
// checking against kernel facts, the mixed-arguments analysis, and the edits
// behind quick fixes. It knows nothing of LSP: byte offsets in, plain Go
// values out. `bpfls check` and the language server call the same entry point.
package analysis
