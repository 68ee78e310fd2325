// This file implements adapting a run of one bpftrace version to a script
// written for another: the installed bpftrace need not be the target.

package verify

import (
	"context"
	"fmt"
	"strings"

	"github.com/bpfls/bpfls/analysis"
	"github.com/bpfls/bpfls/analysis/syntax"
)

// ForTarget adapts res, a run of bpftrace res.Version, to target, the
// version the script is written for. When the two are the same it returns
// "" and leaves res alone. Otherwise it returns a note saying which
// bpftrace ran; and when that one is older than target, it drops what that
// bpftrace said about constructs it is too old for (bpfls finds them by
// checking src for the older version): there they are no errors of the
// script. A syntax error on or after the first such construct goes too,
// since bpftrace's parser lost its way there.
func ForTarget(ctx context.Context, res *Result, target syntax.Version, src []byte) string {
	ran := res.Version
	if ran == (syntax.Version{}) || ran == target {
		return ""
	}
	if ran.AtLeast(target) {
		return fmt.Sprintf("verified with bpftrace %s, newer than the target %s: it may accept what %s refuses", ran, target, target)
	}
	f := syntax.Parse("script.bt", src, syntax.Dialect{Version: ran})
	type lines struct{ start, end int }
	var newer []lines
	first := 0
	for _, d := range analysis.Analyze(ctx, f, analysis.Config{Dialect: f.Dialect}).Diagnostics {
		if d.Code != syntax.CodeNeedsVersion && !strings.HasPrefix(d.Code, "version/") {
			continue
		}
		l := lines{lineOf(f.Lines, d.Span.Start), lineOf(f.Lines, max(d.Span.Start, d.Span.End-1))}
		newer = append(newer, l)
		if first == 0 || l.start < first {
			first = l.start
		}
	}
	kept := res.Diagnostics[:0:0]
	for _, d := range res.Diagnostics {
		start, end := lineOf(f.Lines, d.Span.Start), lineOf(f.Lines, max(d.Span.Start, d.Span.End-1))
		drop := d.Code == CodeSyntaxError && first > 0 && start >= first
		for _, n := range newer {
			drop = drop || n.start <= end && start <= n.end
		}
		if drop {
			res.Hidden = append(res.Hidden, d)
			continue
		}
		kept = append(kept, d)
	}
	res.Diagnostics = kept
	return fmt.Sprintf("verified with bpftrace %s, older than the target %s: its complaints about syntax or builtins newer than %s are not shown", ran, target, ran)
}

func lineOf(lt *syntax.LineTable, p syntax.Pos) int {
	l, _ := lt.Position(p)
	return l
}
