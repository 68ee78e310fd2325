package main

// This file implements the output formats of `bpfls check`: text for people,
// json for scripts, sarif for code scanning and github for workflow
// annotations. Columns are 1-based bytes, as bpftrace's own messages count
// them, except in SARIF, whose default column unit is UTF-16.

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/bpfls/bpfls/analysis"
	"github.com/bpfls/bpfls/analysis/syntax"
	"github.com/bpfls/bpfls/analysis/verify"
)

var checkPrinters = map[string]func(io.Writer, verify.Target, []checkedFile) error{
	"text":   printText,
	"json":   printJSON,
	"sarif":  printSARIF,
	"github": printGitHub,
}

func printerNames() []string {
	var names []string
	for n := range checkPrinters {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// location is a diagnostic's place in 1-based lines and byte columns.
type location struct {
	Line, Column, EndLine, EndColumn int
}

func locate(lines *syntax.LineTable, span syntax.Span) location {
	var l location
	l.Line, l.Column = lines.Position(span.Start)
	l.EndLine, l.EndColumn = lines.Position(span.End)
	return l
}

// lineText returns the text of 1-based line n without its line ending.
func lineText(f checkedFile, n int) string { return string(lineBytes(f, n)) }

// lineBytes is lineText without the copy.
func lineBytes(f checkedFile, n int) []byte {
	start, ok := f.lines.LineStart(n)
	if !ok {
		return nil
	}
	end := len(f.src)
	if next, ok := f.lines.LineStart(n + 1); ok {
		end = int(next)
	}
	return bytes.TrimRight(f.src[start:end], "\r\n")
}

// printText prints each diagnostic with its source line, then a last line
// naming the target version and why.
func printText(w io.Writer, t verify.Target, files []checkedFile) error {
	for _, f := range files {
		for _, d := range f.diags {
			l := locate(f.lines, d.Span)
			fmt.Fprintf(w, "%s:%d:%d: %s: %s [%s]\n", f.path, l.Line, l.Column, d.Severity, d.Message, d.Code)
			text, at := excerpt(lineBytes(f, l.Line), l)
			fmt.Fprintf(w, "%s\n%s\n", text, marker(text, at))
			for _, r := range d.Related {
				rl := locate(f.lines, r.Span)
				fmt.Fprintf(w, "%s:%d:%d: note: %s\n", f.path, rl.Line, rl.Column, r.Message)
			}
			for _, fix := range d.Fixes {
				fmt.Fprintf(w, "  fix available: %s\n", fix.Title)
			}
		}
	}
	_, err := fmt.Fprintf(w, "bpfls: checked for bpftrace %s (%s)\n", t.Version, t.Reason)
	return err
}

// maxShownLine bounds the source shown under a diagnostic: a generated
// one-line script with thousands of problems printed its whole line for
// each (470 MB for 4,000 unknown attach points on one line).
const maxShownLine = 160

// excerpt returns the part of a long line around l, marked "…" where cut,
// and l moved to match.
func excerpt(text []byte, l location) (string, location) {
	if len(text) <= maxShownLine {
		return string(text), l
	}
	start := max(0, min(l.Column-1, len(text))-maxShownLine/2)
	for start > 0 && !utf8.RuneStart(text[start]) {
		start--
	}
	end := min(len(text), start+maxShownLine)
	for end < len(text) && !utf8.RuneStart(text[end]) {
		end++
	}
	prefix, suffix := "", ""
	if start > 0 {
		prefix = "…"
	}
	if end < len(text) {
		suffix = "…"
	}
	l.Column += len(prefix) - start
	if l.EndLine == l.Line {
		l.EndColumn = min(l.EndColumn-start, end-start+1) + len(prefix)
	}
	return prefix + string(text[start:end]) + suffix, l
}

// marker underlines the span on its first line, keeping tabs so the marker
// lines up under the source in a terminal.
func marker(text string, l location) string {
	start := min(l.Column-1, len(text))
	end := len(text)
	if l.EndLine == l.Line {
		end = min(l.EndColumn-1, len(text))
	}
	var b strings.Builder
	for _, c := range text[:start] {
		if c == '\t' {
			b.WriteByte('\t')
		} else {
			b.WriteByte(' ')
		}
	}
	b.WriteByte('^')
	if n := utf8.RuneCountInString(text[start:max(start, end)]); n > 1 {
		b.WriteString(strings.Repeat("~", n-1))
	}
	return b.String()
}

// jsonDiagnostic is the stable JSON shape: fields may be added, never renamed.
type jsonDiagnostic struct {
	File      string        `json:"file"`
	Line      int           `json:"line"`
	Column    int           `json:"column"`
	EndLine   int           `json:"endLine"`
	EndColumn int           `json:"endColumn"`
	Severity  string        `json:"severity"`
	Code      string        `json:"code"`
	Message   string        `json:"message"`
	Source    string        `json:"source"`
	Related   []jsonRelated `json:"related,omitempty"`
	Fixes     []jsonFix     `json:"fixes,omitempty"`
	Target    jsonTarget    `json:"target"`
}

// jsonTarget is the bpftrace version a diagnostic was found for, and why
// that version (verify.ResolveTarget).
type jsonTarget struct {
	Version string `json:"version"`
	Setting string `json:"setting"`
	Source  string `json:"source"` // "setting", "installed" or "fallback"
	Reason  string `json:"reason"`
}

func newJSONTarget(t verify.Target) jsonTarget {
	return jsonTarget{Version: t.Version.String(), Setting: t.Setting, Source: t.Source, Reason: t.Reason}
}

// jsonFix is a quick fix: edits in the same file, to apply together.
type jsonFix struct {
	Title string     `json:"title"`
	Edits []jsonEdit `json:"edits"`
}

type jsonEdit struct {
	Line      int    `json:"line"`
	Column    int    `json:"column"`
	EndLine   int    `json:"endLine"`
	EndColumn int    `json:"endColumn"`
	NewText   string `json:"newText"`
}

type jsonRelated struct {
	File      string `json:"file"`
	Line      int    `json:"line"`
	Column    int    `json:"column"`
	EndLine   int    `json:"endLine"`
	EndColumn int    `json:"endColumn"`
	Message   string `json:"message"`
}

func printJSON(w io.Writer, t verify.Target, files []checkedFile) error {
	out := []jsonDiagnostic{}
	for _, f := range files {
		for _, d := range f.diags {
			l := locate(f.lines, d.Span)
			jd := jsonDiagnostic{File: f.path, Line: l.Line, Column: l.Column, EndLine: l.EndLine, EndColumn: l.EndColumn,
				Severity: d.Severity.String(), Code: d.Code, Message: d.Message, Source: d.Source, Target: newJSONTarget(t)}
			for _, r := range d.Related {
				rl := locate(f.lines, r.Span)
				jd.Related = append(jd.Related, jsonRelated{File: f.path, Line: rl.Line, Column: rl.Column, EndLine: rl.EndLine, EndColumn: rl.EndColumn, Message: r.Message})
			}
			for _, fix := range d.Fixes {
				jf := jsonFix{Title: fix.Title, Edits: []jsonEdit{}}
				for _, e := range fix.Edits {
					el := locate(f.lines, e.Span)
					jf.Edits = append(jf.Edits, jsonEdit{Line: el.Line, Column: el.Column, EndLine: el.EndLine, EndColumn: el.EndColumn, NewText: e.NewText})
				}
				jd.Fixes = append(jd.Fixes, jf)
			}
			out = append(out, jd)
		}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

// printGitHub writes GitHub Actions workflow commands, one per diagnostic.
func printGitHub(w io.Writer, _ verify.Target, files []checkedFile) error {
	for _, f := range files {
		for _, d := range f.diags {
			l := locate(f.lines, d.Span)
			level := map[analysis.Severity]string{analysis.SeverityError: "error", analysis.SeverityWarning: "warning"}[d.Severity]
			if level == "" {
				level = "notice"
			}
			if _, err := fmt.Fprintf(w, "::%s file=%s,line=%d,col=%d,endLine=%d,endColumn=%d,title=%s::%s\n", level,
				ghProperty(f.path), l.Line, l.Column, l.EndLine, l.EndColumn, ghProperty("bpfls "+d.Code), ghData(d.Message)); err != nil {
				return err
			}
		}
	}
	return nil
}

// ghData and ghProperty escape as the workflow command syntax requires.
func ghData(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s)
}

func ghProperty(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(s)
}

// utf16Column converts a 1-based byte column on a line to a 1-based UTF-16
// column, SARIF's default unit.
func (f checkedFile) utf16Column(line, byteCol int) int {
	if f.ascii {
		return byteCol // no need to copy a long line for each diagnostic on it
	}
	text := lineText(f, line)
	prefix := text[:min(max(byteCol-1, 0), len(text))]
	return len(utf16.Encode([]rune(prefix))) + 1
}
