package ide

import (
	"context"

	"github.com/bpfls/bpfls/analysis"
	"github.com/bpfls/bpfls/analysis/syntax"
)

// SelectionRanges returns the spans a "expand selection" step walks through
// at pos: the innermost syntax node holding pos first, then each enclosing
// node, ending with the whole file. Spans that repeat are dropped, so each
// one is strictly larger than the one before.
func SelectionRanges(ctx context.Context, snap *analysis.Snapshot, pos syntax.Pos) []syntax.Span {
	f := snap.File
	path := f.NodeAt(pos)
	spans := make([]syntax.Span, 0, len(path)+1)
	for i := len(path) - 1; i >= 0; i-- {
		spans = appendGrowing(spans, syntax.Span{Start: path[i].Pos(), End: path[i].End()})
	}
	spans = appendGrowing(spans, syntax.Span{Start: 0, End: syntax.Pos(f.Len())})
	if len(spans) == 0 || !spans[0].Contains(pos) {
		// pos lies between items: the only selection is the file.
		return []syntax.Span{{Start: 0, End: syntax.Pos(f.Len())}}
	}
	return spans
}

// appendGrowing appends s if it strictly contains the last span.
func appendGrowing(spans []syntax.Span, s syntax.Span) []syntax.Span {
	if n := len(spans); n > 0 {
		last := spans[n-1]
		if s == last || s.Start > last.Start || s.End < last.End {
			return spans
		}
	}
	return append(spans, s)
}
