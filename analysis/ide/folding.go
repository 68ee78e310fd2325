package ide

import (
	"context"
	"sort"

	"github.com/bpfls/bpfls/analysis"
	"github.com/bpfls/bpfls/analysis/syntax"
)

// FoldKind tells a block from a comment or the C preamble.
type FoldKind uint8

// Kinds of [Fold].
const (
	FoldRegion  FoldKind = iota // a { } block
	FoldComment                 // a /* */ comment or a run of // lines
	FoldImports                 // the C preamble (#include lines and definitions)
)

// Fold is a foldable region. Span runs from the opening to the closing
// delimiter (for a block: from '{' to '}', both included when present).
type Fold struct {
	Span syntax.Span
	Kind FoldKind
}

// Folds returns the foldable regions of the file that span several lines,
// in source order. A broken file still folds what parsed.
func Folds(ctx context.Context, snap *analysis.Snapshot) []Fold {
	f := snap.File
	var folds []Fold
	for _, it := range f.Items() {
		if ctx.Err() != nil {
			return nil
		}
		folds = appendItemFolds(folds, f, it)
	}
	folds = append(folds, commentFolds(f)...)
	sortFolds(folds)
	return folds
}

// appendItemFolds appends the folds of a top-level item to folds.
func appendItemFolds(folds []Fold, f *syntax.File, it syntax.Item) []Fold {
	add := func(s syntax.Span, k FoldKind) {
		if foldMultiline(f, s) {
			folds = append(folds, Fold{Span: s, Kind: k})
		}
	}
	if p, ok := it.(*syntax.Preamble); ok {
		add(syntax.Span{Start: p.Pos(), End: p.End()}, FoldImports)
		return folds
	}
	syntax.Inspect(it, func(n syntax.Node) bool {
		switch x := n.(type) {
		case *syntax.Block:
			add(syntax.Span{Start: x.Lbrace, End: x.Close}, FoldRegion)
		case *syntax.ConfigBlock:
			add(syntax.Span{Start: x.Lbrace, End: x.Close}, FoldRegion)
		}
		return true
	})
	return folds
}

// commentFolds folds each multi-line comment and each run of // comments on
// consecutive lines.
func commentFolds(f *syntax.File) []Fold {
	var folds []Fold
	comments := f.Comments()
	for i := 0; i < len(comments); i++ {
		c := comments[i]
		span := c.Span
		for i+1 < len(comments) && foldLineComment(c) && foldLineComment(comments[i+1]) && foldNextLine(f, span.End, comments[i+1].Span.Start) {
			i++
			span.End = comments[i].Span.End
		}
		if foldMultiline(f, span) {
			folds = append(folds, Fold{Span: span, Kind: FoldComment})
		}
	}
	return folds
}

func foldLineComment(c syntax.Comment) bool { return len(c.Text) >= 2 && c.Text[:2] == "//" }

// nextLine reports whether b is on the line after a's line.
func foldNextLine(f *syntax.File, a, b syntax.Pos) bool {
	la, _ := f.Lines.Position(a)
	lb, _ := f.Lines.Position(b)
	return lb == la+1
}

func foldMultiline(f *syntax.File, s syntax.Span) bool {
	if !s.Start.IsValid() || s.End <= s.Start {
		return false
	}
	l1, _ := f.Lines.Position(s.Start)
	l2, _ := f.Lines.Position(s.End)
	return l2 > l1
}

// sortFolds orders folds by start, outer before inner.
func sortFolds(folds []Fold) {
	sort.SliceStable(folds, func(i, j int) bool {
		a, b := folds[i].Span, folds[j].Span
		if a.Start != b.Start {
			return a.Start < b.Start
		}
		return a.End > b.End
	})
}
