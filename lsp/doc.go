// Package lsp is the bpftrace language server: the Language Server Protocol
// over a JSON-RPC connection, the open documents, position conversion and
// diagnostics publishing. [Serve] is the entry point; `bpfls serve` calls it
// over stdio.
//
// The package translates and schedules; it knows no bpftrace. Each protocol
// method lives in a file named after it and hands byte offsets to packages
// analysis and analysis/ide, which return plain values that are converted back here. UTF-16
// appears only in mapper.go, protocol diagnostics only in diagnostics.go.
package lsp
