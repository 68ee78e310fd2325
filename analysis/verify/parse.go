// This file implements reading bpftrace's output into records: one per
// reported problem, with its context lines, hints and related locations
// attached. locate.go turns the records into diagnostics.

package verify

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/bpfls/bpfls/analysis"
)

// Line shapes bpftrace and clang print (§6.2 of the language notes):
//
//	FILE:LINE:COL-COL: ERROR: msg     single-line location, end column exclusive
//	FILE:LINE-LINE: WARNING: msg      multi-line location
//	LINE:COL-COL: ERROR: msg          when bpftrace had no file name
//	definitions.h:2:10: fatal error: msg   clang, on the C definitions
//	ERROR: msg / HINT: msg            no location
var (
	bpftraceLocRx = regexp.MustCompile(`^(?:(.*?):)?(\d+)(?::(\d+)-(\d+)|-(\d+)): (ERROR|WARNING|HINT|BUG): ?(.*)$`)
	clangLocRx    = regexp.MustCompile(`^(.*?):(\d+):(\d+): (fatal error|error|warning|note): (.*)$`)
	plainRx       = regexp.MustCompile(`^(ERROR|WARNING|HINT|BUG): ?(.*)$`)
	// contextRx matches messages newer versions print after a diagnostic to
	// point at a second place ("expanded from", "left (string[7])", …).
	contextRx = regexp.MustCompile(`(?i)^(expanded from|this is the |the closest definition of |left \(|right \()`)
)

// location is a place as bpftrace printed it. col == 0 means whole lines.
type location struct {
	file                     string
	line, col, endLine, endC int
	clang                    bool // a clang position: one column, no end
}

// record is one problem before it is mapped onto the document.
type record struct {
	sev     analysis.Severity
	msg     string
	loc     *location // nil when bpftrace printed none
	clang   bool
	related []relatedRecord
}

type relatedRecord struct {
	msg string
	loc *location // nil for hints
}

// scanner walks the lines of one output stream.
type scanner struct {
	names       []string
	records     []*record
	notes       []string
	bug         bool
	contextOpen bool // a located message was just printed; source lines may follow
}

// scan reads one stream (stderr or stdout). Streams are scanned separately so
// a line never straddles the two.
func (s *scanner) scan(out []byte) {
	text := strings.ReplaceAll(string(out), "\r\n", "\n")
	for _, raw := range strings.Split(text, "\n") {
		for _, line := range unglue(stripANSI(raw), s.names) {
			s.line(line)
		}
	}
	s.contextOpen = false
}

func (s *scanner) line(line string) {
	switch {
	case strings.TrimSpace(line) == "":
	case isHostNoise(line):
		s.notes = append(s.notes, line)
	case s.bpftraceLine(line), s.clangLine(line), s.plainLine(line):
	case s.contextOpen:
		// The source line and its ~~~ marker, or newer versions' lines of a
		// multi-line range: the diagnostic already has the location.
	default:
		s.notes = append(s.notes, line)
	}
}

func (s *scanner) last() *record {
	if len(s.records) == 0 {
		return nil
	}
	return s.records[len(s.records)-1]
}

func (s *scanner) bpftraceLine(line string) bool {
	m := bpftraceLocRx.FindStringSubmatch(line)
	if m == nil {
		return false
	}
	loc := &location{file: m[1], line: atoi(m[2])}
	switch {
	case m[3] != "":
		loc.col, loc.endLine, loc.endC = atoi(m[3]), loc.line, atoi(m[4])
	case isDigits(m[1]):
		// "1:9-12:" without a file name reads like file "1", lines 9-12.
		loc = &location{line: atoi(m[1]), col: atoi(m[2]), endLine: atoi(m[1]), endC: atoi(m[5])}
	default:
		loc.endLine = atoi(m[5])
	}
	sev, msg := m[6], m[7]
	s.contextOpen = true
	if last := s.last(); last != nil && !last.clang && contextRx.MatchString(msg) {
		last.related = append(last.related, relatedRecord{msg: msg, loc: loc})
		return true
	}
	if sev == "HINT" {
		s.hint(msg)
		return true
	}
	if sev == "BUG" {
		s.bug = true
	}
	s.records = append(s.records, &record{sev: severityOf(sev), msg: msg, loc: loc})
	return true
}

func (s *scanner) clangLine(line string) bool {
	m := clangLocRx.FindStringSubmatch(line)
	if m == nil {
		return false
	}
	loc := &location{file: m[1], line: atoi(m[2]), col: atoi(m[3]), endLine: atoi(m[2]), clang: true}
	s.contextOpen = true // clang may print the line and a caret
	if m[4] == "note" {
		if last := s.last(); last != nil && last.clang {
			last.related = append(last.related, relatedRecord{msg: m[5], loc: loc})
			return true
		}
	}
	sev := analysis.SeverityError
	switch m[4] {
	case "warning":
		sev = analysis.SeverityWarning
	case "note":
		sev = analysis.SeverityInfo
	}
	s.records = append(s.records, &record{sev: sev, msg: m[5], loc: loc, clang: true})
	return true
}

func (s *scanner) plainLine(line string) bool {
	m := plainRx.FindStringSubmatch(line)
	if m == nil {
		return false
	}
	s.contextOpen = false
	switch sev, msg := m[1], m[2]; {
	case sev == "HINT":
		s.hint(msg)
	case sev == "ERROR" && s.last() != nil && s.last().clang:
		// bpftrace's advice after clang failed ("Include headers with
		// missing type definitions…") explains the clang error.
		s.last().related = append(s.last().related, relatedRecord{msg: msg})
	default:
		if sev == "BUG" {
			s.bug = true
		}
		s.records = append(s.records, &record{sev: severityOf(sev), msg: msg})
	}
	return true
}

// hint attaches a HINT line to the diagnostic before it, or stands alone.
func (s *scanner) hint(msg string) {
	if last := s.last(); last != nil {
		last.related = append(last.related, relatedRecord{msg: msg})
		return
	}
	s.records = append(s.records, &record{sev: analysis.SeverityHint, msg: msg})
}

func severityOf(word string) analysis.Severity {
	switch word {
	case "WARNING":
		return analysis.SeverityWarning
	case "HINT":
		return analysis.SeverityHint
	}
	return analysis.SeverityError // ERROR, BUG
}

// atoi reads a line or column number. Absurd values are capped so offsets
// computed from them cannot overflow a syntax.Pos; the line table clamps them.
func atoi(s string) int {
	n, err := strconv.Atoi(s)
	switch {
	case err != nil && len(s) > 0 && isDigits(s), n > 1<<30:
		return 1 << 30
	case err != nil || n < 0:
		return 0
	}
	return n
}

func isDigits(s string) bool {
	return s != "" && strings.Trim(s, "0123456789") == ""
}
