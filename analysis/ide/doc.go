// Package ide answers editor requests over an analysed snapshot:
// completion, hover, signature help, definition, references, rename,
// highlight, document symbols, folding, selection ranges, semantic tokens
// and inlay hints. Like package analysis it works in byte offsets and knows
// nothing of LSP; package lsp converts its plain values to protocol types.
package ide
