// This file implements comparing bpfls's own diagnostics with bpftrace's, for
// `bpfls check --verify`: where does one report a problem the other does not?

package verify

import (
	"fmt"
	"sort"
	"strings"

	"github.com/bpfls/bpfls/analysis"
	"github.com/bpfls/bpfls/analysis/syntax"
)

// Side says which checker reported a problem the other did not.
type Side uint8

// Sides of a disagreement.
const (
	OnlyBpfls    Side = iota + 1 // bpfls reports it, bpftrace does not: a false alarm, or a check bpftrace lacks
	OnlyBpftrace                 // bpftrace reports it, bpfls does not: a missed problem
)

// String names the side as Disagreement.String prints it.
func (s Side) String() string {
	switch s {
	case OnlyBpfls:
		return "only bpfls"
	case OnlyBpftrace:
		return "only bpftrace"
	}
	return "unknown"
}

// Disagreement is one line on which one side reports errors (or warnings)
// and the other reports none of that severity anywhere on the lines involved.
type Disagreement struct {
	Line        int // 1-based line where the diagnostics start
	Side        Side
	Severity    analysis.Severity // SeverityError or SeverityWarning
	Diagnostics []analysis.Diagnostic
}

// String formats d as "12: only bpftrace: error: Unknown function: foo".
func (d Disagreement) String() string {
	msgs := make([]string, len(d.Diagnostics))
	for i, diag := range d.Diagnostics {
		msgs[i] = diag.Message
	}
	return fmt.Sprintf("%d: %s: %s: %s", d.Line, d.Side, d.Severity, strings.Join(msgs, "; "))
}

// Compare reports the lines where bpfls (ours) and bpftrace (theirs)
// disagree. Errors are compared with errors and warnings with warnings; a
// diagnostic agrees with the other side when that side has one of the same
// severity on an overlapping line range. Information, hints and bpftrace's
// host-dependent "not traceable" notes are ignored. bpftrace stops at its
// first syntax error, so nothing after that line can disagree with it; and
// a syntax, C definition or header error ends its run before the semantic
// pass, so then only bpfls's syntax errors can be "only bpfls". The result
// is sorted by line, then side. hidden are bpftrace's diagnostics that are
// not shown (Result.Hidden): they count only for where bpftrace stopped.
func Compare(ours, theirs []analysis.Diagnostic, lines *syntax.LineTable, hidden ...analysis.Diagnostic) []Disagreement {
	a := rangesToCompare(ours, lines)
	b := rangesToCompare(theirs, lines)
	all := append(rangesToCompare(hidden, lines), b...)
	if stop, ok := firstSyntaxError(all); ok {
		a = before(a, stop)
	}
	if stoppedBeforeSemantics(all) {
		a = syntaxOnly(a)
	}
	var out []Disagreement
	out = appendUnmatched(out, a, b, OnlyBpfls)
	out = appendUnmatched(out, b, a, OnlyBpftrace)
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Line != out[j].Line {
			return out[i].Line < out[j].Line
		}
		if out[i].Side != out[j].Side {
			return out[i].Side < out[j].Side
		}
		return out[i].Severity < out[j].Severity
	})
	return out
}

// ranged is a diagnostic with the lines it covers.
type ranged struct {
	d          analysis.Diagnostic
	start, end int
}

func rangesToCompare(ds []analysis.Diagnostic, lines *syntax.LineTable) []ranged {
	var out []ranged
	for _, d := range ds {
		if d.Severity != analysis.SeverityError && d.Severity != analysis.SeverityWarning || d.Code == CodeNotTraceable {
			continue
		}
		start, _ := lines.Position(d.Span.Start)
		end := start
		if d.Span.End > d.Span.Start {
			end, _ = lines.Position(d.Span.End - 1) // End is exclusive
		}
		out = append(out, ranged{d: d, start: start, end: end})
	}
	return out
}

func firstSyntaxError(rs []ranged) (int, bool) {
	stop, found := 0, false
	for _, r := range rs {
		if r.d.Code == CodeSyntaxError && (!found || r.start < stop) {
			stop, found = r.end, true
		}
	}
	return stop, found
}

// stoppedBeforeSemantics reports whether bpftrace failed in a pass that
// comes before its semantic analysis: the parser or clang.
func stoppedBeforeSemantics(rs []ranged) bool {
	for _, r := range rs {
		switch r.d.Code {
		case CodeSyntaxError, CodeCDefinitions, CodeIncludeNotFound, CodeHeaderError:
			return r.d.Severity == analysis.SeverityError
		}
	}
	return false
}

// syntaxOnly keeps bpfls's syntax errors, the only ones bpftrace's parser
// could have agreed with.
func syntaxOnly(rs []ranged) []ranged {
	var out []ranged
	for _, r := range rs {
		if strings.HasPrefix(r.d.Code, "syntax/") {
			out = append(out, r)
		}
	}
	return out
}

func before(rs []ranged, line int) []ranged {
	var out []ranged
	for _, r := range rs {
		if r.start <= line {
			out = append(out, r)
		}
	}
	return out
}

// appendUnmatched adds, grouped by line and severity, the diagnostics of
// side that nothing in other agrees with.
func appendUnmatched(out []Disagreement, side, other []ranged, who Side) []Disagreement {
	type key struct {
		line int
		sev  analysis.Severity
	}
	index := map[key]int{}
	for _, r := range side {
		if agrees(r, other) {
			continue
		}
		k := key{r.start, r.d.Severity}
		if i, ok := index[k]; ok {
			out[i].Diagnostics = append(out[i].Diagnostics, r.d)
			continue
		}
		index[k] = len(out)
		out = append(out, Disagreement{Line: r.start, Side: who, Severity: r.d.Severity, Diagnostics: []analysis.Diagnostic{r.d}})
	}
	return out
}

func agrees(r ranged, other []ranged) bool {
	for _, o := range other {
		if o.d.Severity == r.d.Severity && o.start <= r.end && r.start <= o.end {
			return true
		}
	}
	return false
}
