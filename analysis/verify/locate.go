// This file implements mapping parsed records onto the document: byte
// offsets, codes, related information, and the public ParseOutput.

package verify

import (
	"bytes"
	"fmt"
	"path/filepath"
	"slices"
	"strings"

	"github.com/bpfls/bpfls/analysis"
	"github.com/bpfls/bpfls/analysis/syntax"
)

// Diagnostic codes for what bpftrace reported about the script.
const (
	CodeError           = "verify/error"
	CodeSyntaxError     = "verify/syntax-error"
	CodeWarning         = "verify/warning"
	CodeHint            = "verify/hint"
	CodeNotTraceable    = "verify/not-traceable"
	CodeCDefinitions    = "verify/c-definitions"
	CodeIncludeNotFound = "verify/include-not-found"
	CodeHeaderError     = "verify/header-error"
	CodeInternalBug     = "verify/bug"
)

// Document is the script bpftrace checked, as the output parser needs it.
type Document struct {
	// Names are the file names bpftrace may print for the document: the path
	// given on its command line. "stdin" always counts too.
	Names []string
	Src   []byte
	Lines *syntax.LineTable // built from Src when nil
	// HostHidesTraceable says bpftrace could not read the kernel's list of
	// traceable functions, so its "is not traceable" warnings say nothing
	// about the script and are lowered to information.
	HostHidesTraceable bool
}

// Output is what bpftrace's output said.
type Output struct {
	Diagnostics []analysis.Diagnostic
	// Notes are lines about the host rather than the script (RLIMIT_MEMLOCK,
	// BTF, tracefs, lockdown) and lines nothing recognised, for the log.
	Notes []string
	// Bug is set when bpftrace reported an internal error (a "BUG:" line).
	Bug bool
}

// ParseOutput reads bpftrace's streams (stderr first, then stdout: newer
// versions print warnings to stdout on success) into diagnostics on doc.
func ParseOutput(doc Document, streams ...[]byte) Output {
	if doc.Lines == nil {
		doc.Lines = syntax.NewLineTable(doc.Src)
	}
	s := &scanner{names: doc.Names}
	for _, out := range streams {
		s.scan(out)
	}
	for _, n := range s.notes {
		if strings.HasPrefix(n, tracefsNoisePrefix) {
			doc.HostHidesTraceable = true // bpftrace said so itself (debug output)
		}
	}
	m := &mapper{doc: doc, cdefs: cDefinitionLines(doc.Src)}
	out := Output{Notes: s.notes, Bug: s.bug}
	for _, r := range s.records {
		d := m.diagnostic(r)
		if !slices.ContainsFunc(out.Diagnostics, func(o analysis.Diagnostic) bool { return sameDiagnostic(o, d) }) {
			out.Diagnostics = append(out.Diagnostics, d)
		}
	}
	return out
}

// sameDiagnostic reports whether a and b say the same thing at the same
// place: 0.25+ checks each attach point on its own and repeats an error
// once per attach point, word for word.
func sameDiagnostic(a, b analysis.Diagnostic) bool {
	return a.Span == b.Span && a.Severity == b.Severity && a.Code == b.Code && a.Message == b.Message &&
		slices.Equal(a.Related, b.Related)
}

// mapper turns records into diagnostics on one document.
type mapper struct {
	doc   Document
	cdefs []cLine
}

func (m *mapper) diagnostic(r *record) analysis.Diagnostic {
	d := analysis.Diagnostic{Severity: r.sev, Code: m.code(r), Message: r.msg, Source: analysis.SourceBpftrace}
	span, ok := m.span(r.loc)
	for _, rel := range r.related {
		if rs, rok := m.span(rel.loc); !ok && rok {
			// The problem lies outside the document (a stdlib macro, an
			// imported file); show it where the document is involved.
			span, ok = rs, true
		}
	}
	if !ok {
		span = firstLineSpan(m.doc.Lines)
	}
	if r.loc != nil && !m.inDocument(r.loc) {
		d.Message = r.loc.String() + ": " + r.msg
	}
	for _, rel := range r.related {
		rs, rok := m.span(rel.loc)
		msg := rel.msg
		if !rok {
			rs = span
			if rel.loc != nil {
				msg = rel.loc.String() + ": " + msg
			}
		}
		d.Related = append(d.Related, analysis.Related{Span: rs, Message: msg})
	}
	d.Span = span
	if d.Code == CodeNotTraceable {
		d.Span = m.narrowToName(d.Span, strings.Fields(r.msg)[0])
		if m.doc.HostHidesTraceable {
			d.Severity = analysis.SeverityInfo
		}
	}
	return d
}

// inDocument reports whether loc points into the document itself (the C
// definitions count: they are the document's first lines).
func (m *mapper) inDocument(loc *location) bool {
	_, ok := m.span(loc)
	return ok
}

func (m *mapper) code(r *record) string {
	switch {
	case r.clang && strings.HasSuffix(r.msg, "file not found"):
		return CodeIncludeNotFound
	case r.clang && r.loc != nil && r.loc.file == "definitions.h":
		return CodeCDefinitions
	case r.clang:
		return CodeHeaderError
	case r.sev == analysis.SeverityError && isSyntaxMessage(r.msg):
		return CodeSyntaxError
	case r.sev == analysis.SeverityWarning && strings.Contains(r.msg, " is not traceable ("):
		return CodeNotTraceable
	case r.sev == analysis.SeverityWarning:
		return CodeWarning
	case r.sev == analysis.SeverityHint:
		return CodeHint
	}
	return CodeError
}

// isSyntaxMessage recognises parser and lexer errors of both front ends.
func isSyntaxMessage(msg string) bool {
	for _, p := range []string{"syntax error", "syntax: ", "unterminated string", "invalid character", "end of file during comment", "invalid escape character"} {
		if strings.HasPrefix(msg, p) {
			return true
		}
	}
	return false
}

// isDocument reports whether bpftrace's file name means the document.
func (m *mapper) isDocument(file string) bool {
	if file == "" || file == "stdin" {
		return true
	}
	for _, n := range m.doc.Names {
		if file == n || filepath.Clean(file) == filepath.Clean(n) {
			return true
		}
	}
	return false
}

// span converts a location to byte offsets, or reports false when it lies
// outside the document.
func (m *mapper) span(loc *location) (syntax.Span, bool) {
	if loc == nil || loc.line < 1 {
		return syntax.Span{}, false
	}
	if loc.clang && loc.file == "definitions.h" {
		return m.cdefSpan(loc)
	}
	if !m.isDocument(loc.file) {
		return syntax.Span{}, false
	}
	lt := m.doc.Lines
	line, endLine := clampLine(lt, loc.line), clampLine(lt, loc.endLine)
	if loc.col > 0 {
		start, _ := lt.Offset(line, loc.col)
		if loc.clang {
			return visibleSpan(m.doc.Src, start), true
		}
		end, _ := lt.Offset(endLine, loc.endC)
		return syntax.Span{Start: start, End: max(start, end)}, true
	}
	start, _ := lt.LineStart(line)
	end, _ := lt.Offset(max(endLine, line), 1<<30)
	return syntax.Span{Start: start, End: end}, true
}

func clampLine(lt *syntax.LineTable, line int) int {
	return min(max(line, 1), lt.Lines())
}

// narrowToName shrinks a probe's span to the attach point naming fn: 0.17
// reports "fn is not traceable" over whole lines, often starting at the end
// of the probe before.
func (m *mapper) narrowToName(span syntax.Span, fn string) syntax.Span {
	text := m.doc.Src[span.Start:span.End]
	i := bytes.LastIndex(text, []byte(":"+fn))
	if fn == "" || i < 0 {
		return span
	}
	start := span.Start + syntax.Pos(i+1)
	return syntax.Span{Start: start, End: start + syntax.Pos(len(fn))}
}

// String formats a location the way bpftrace does.
func (l *location) String() string {
	var b strings.Builder
	if l.file != "" {
		b.WriteString(l.file + ":")
	}
	switch {
	case l.clang:
		fmt.Fprintf(&b, "%d:%d", l.line, l.col)
	case l.col > 0:
		fmt.Fprintf(&b, "%d:%d-%d", l.line, l.col, l.endC)
	default:
		fmt.Fprintf(&b, "%d-%d", l.line, l.endLine)
	}
	return b.String()
}
