package analysis

import (
	"fmt"
	"sort"

	"github.com/bpfls/bpfls/analysis/syntax"
)

// Severity of a diagnostic, ordered from most to least severe.
type Severity uint8

// Severities, with the names `bpfls check --format json` prints.
const (
	SeverityError Severity = iota + 1
	SeverityWarning
	SeverityInfo
	SeverityHint
)

func (s Severity) String() string {
	switch s {
	case SeverityError:
		return "error"
	case SeverityWarning:
		return "warning"
	case SeverityInfo:
		return "info"
	case SeverityHint:
		return "hint"
	}
	return "unknown"
}

// Sources of diagnostics.
const (
	SourceBpfls    = "bpfls"
	SourceBpftrace = "bpftrace" // from analysis/verify
)

// Related points at another place that explains a diagnostic, such as the
// attach point that lacks a field.
type Related struct {
	Span    syntax.Span
	Message string
}

// Diagnostic is one problem in one file, in byte offsets.
type Diagnostic struct {
	Span     syntax.Span
	Severity Severity
	Code     string // stable, kebab-case, grouped by prefix ("syntax/…", "args/mixed")
	Message  string // lower case, no final period
	Source   string
	Related  []Related
	Fixes    []Fix // quick fixes that resolve this diagnostic
}

// Edit replaces the bytes of Span with NewText.
type Edit struct {
	Span    syntax.Span
	NewText string
}

// Fix is a named set of edits to one file.
type Fix struct {
	Title string
	Kind  string // "quickfix", "refactor.rewrite", "refactor.extract"
	Edits []Edit
}

// Reporter collects diagnostics; every check reports through one.
type Reporter struct {
	Source string
	Diags  []Diagnostic
}

func (r *Reporter) add(sev Severity, span syntax.Span, code, format string, args ...any) *Diagnostic {
	src := r.Source
	if src == "" {
		src = SourceBpfls
	}
	r.Diags = append(r.Diags, Diagnostic{Span: span, Severity: sev, Code: code, Message: fmt.Sprintf(format, args...), Source: src})
	return &r.Diags[len(r.Diags)-1]
}

// Errorf reports an error. The returned pointer is valid until the next report
// and lets the caller attach related information or fixes.
func (r *Reporter) Errorf(span syntax.Span, code, format string, args ...any) *Diagnostic {
	return r.add(SeverityError, span, code, format, args...)
}

// Warnf reports a warning.
func (r *Reporter) Warnf(span syntax.Span, code, format string, args ...any) *Diagnostic {
	return r.add(SeverityWarning, span, code, format, args...)
}

// Infof reports information.
func (r *Reporter) Infof(span syntax.Span, code, format string, args ...any) *Diagnostic {
	return r.add(SeverityInfo, span, code, format, args...)
}

// Hintf reports a hint.
func (r *Reporter) Hintf(span syntax.Span, code, format string, args ...any) *Diagnostic {
	return r.add(SeverityHint, span, code, format, args...)
}

// SortDiagnostics orders diagnostics by position, then severity, then code,
// so output is stable.
func SortDiagnostics(ds []Diagnostic) {
	sort.SliceStable(ds, func(i, j int) bool {
		a, b := ds[i], ds[j]
		if a.Span.Start != b.Span.Start {
			return a.Span.Start < b.Span.Start
		}
		if a.Severity != b.Severity {
			return a.Severity < b.Severity
		}
		return a.Code < b.Code
	})
}
