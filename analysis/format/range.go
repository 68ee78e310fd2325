// This file implements formatting of the top-level items a range touches.

package format

import (
	"bytes"
	"fmt"

	"github.com/bpfls/bpfls/analysis/syntax"
)

// Range formats the top-level items that sp touches. It returns the span
// those items cover, from the first one's start to the last one's end, and
// its new text. Layout before the first item and after the last is left
// alone. ok is false when sp touches no item.
func Range(f *syntax.File, sp syntax.Span) (cover syntax.Span, text []byte, ok bool, err error) {
	if len(f.Errors) > 0 {
		e := f.Errors[0]
		line, col := f.Position(e.Span.Start)
		return syntax.Span{}, nil, false, fmt.Errorf("%w: %d:%d: %s", ErrSyntax, line, col, e.Msg)
	}
	first, last := -1, -1
	for i := 0; i < f.NumItems(); i++ {
		is := f.ItemSpan(i)
		if is.End < sp.Start || is.Start > sp.End {
			continue
		}
		if first < 0 {
			first = i
		}
		last = i
	}
	if first < 0 {
		return syntax.Span{}, nil, false, nil
	}
	cover = syntax.Span{Start: f.ItemSpan(first).Start, End: f.ItemSpan(last).End}
	p := newPrinterIn(f, int(cover.Start), int(cover.End))
	p.keepComments = true
	b := p.items(p.idx, first, last+1)
	// What the items left unclaimed (a config block's comments and
	// blank lines) follows them, as in the whole file's layout.
	comments := countComments(p.idx, cover.End) > 0
	text = b.metadata(p.idx, 0).bytes()
	src := f.Src()
	if comments && int(cover.End) < len(src) && src[cover.End] != '\n' && src[cover.End] != '\r' {
		// The text ends with a line comment: what follows on the line
		// must go to the next.
		return cover, text, true, nil
	}
	return cover, bytes.TrimSuffix(text, []byte("\n")), true, nil
}
