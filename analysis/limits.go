// This file implements the size limit on documents.

package analysis

import "github.com/bpfls/bpfls/analysis/syntax"

// MaxSourceSize is the largest document bpfls parses and analyses, 16
// MiB. Real bpftrace scripts are far smaller, but generated ones need not
// be. The server holds an analysed document in about 8 times its text,
// and opening it peaks at about 20 times its text in resident memory
// (TestServeDocumentMemory in cmd/bpfls): 10 MB peaked at 437 MB while
// the first analysis held the whole tree (see holdItemsMax), 240 MB since.
const MaxSourceSize = 16 << 20

// holdItemsMax is the largest document whose items the full pass holds
// across its passes (analyze). Above it, a probe a collection dropped
// between passes is parsed again when read: that costs CPU, where holding
// costs about ten times the text in memory at the first analysis's peak.
const holdItemsMax = 256 << 10

// CodeTooLarge marks a document over [MaxSourceSize], which is not analysed.
const CodeTooLarge = "file/too-large"

// TooLarge reports whether src is over [MaxSourceSize].
func TooLarge(src []byte) bool { return len(src) > MaxSourceSize }

// TooLargeSnapshot is the snapshot of a document over [MaxSourceSize]: f
// holds no items, and the one diagnostic says why.
func TooLargeSnapshot(f *syntax.File, cfg Config) *Snapshot {
	var r Reporter
	r.Warnf(syntax.Span{Start: 0, End: 0}, CodeTooLarge, "document not analysed: it has %d bytes, more than the limit of %d MiB", f.Len(), MaxSourceSize>>20)
	return &Snapshot{File: f, Config: cfg, Diagnostics: r.Diags}
}
