// This file implements the typed errors for runs of bpftrace that produced no
// usable diagnostics, and their conversion into one clear diagnostic.

package verify

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/bpfls/bpfls/analysis"
	"github.com/bpfls/bpfls/analysis/syntax"
)

// Sentinel errors a caller branches on with errors.Is. A failed run is
// reported as a [*RunError] that wraps exactly one of them.
var (
	// ErrDisabled means verification was not turned on; nothing was run.
	ErrDisabled = errors.New("verify: verification with bpftrace is disabled")
	// ErrNotFound means the bpftrace binary (or the privilege wrapper) does not exist.
	ErrNotFound = errors.New("verify: bpftrace not found")
	// ErrPasswordRequired means the privilege wrapper wanted a password or
	// another interactive authentication.
	ErrPasswordRequired = errors.New("verify: privilege wrapper asked for a password")
	// ErrTimeout means bpftrace did not finish within Options.Timeout.
	ErrTimeout = errors.New("verify: bpftrace timed out")
	// ErrNotRoot means bpftrace refused to run without root or capabilities.
	ErrNotRoot = errors.New("verify: bpftrace needs root")
	// ErrLockdown means kernel lockdown stopped bpftrace before it compiled anything.
	ErrLockdown = errors.New("verify: kernel lockdown blocks bpftrace")
	// ErrCrashed means bpftrace died from a signal, hit an internal bug, or
	// failed without saying why.
	ErrCrashed = errors.New("verify: bpftrace crashed")
	// ErrBadVersion means `bpftrace --version` printed something unreadable.
	ErrBadVersion = errors.New("verify: unreadable bpftrace version")
)

// RunError describes a run of bpftrace that yielded no diagnostics about the
// script. errors.Is(err, Kind) holds, and so does errors.Is(err, Err).
type RunError struct {
	Kind     error    // one of the sentinels above
	Command  []string // the argv that was run (or would have been)
	ExitCode int      // -1 when the process did not exit normally
	Output   string   // what the process printed, trimmed, for the user
	Err      error    // the underlying error from exec, if any
}

// Error names the kind, the command, and the first line bpftrace printed.
func (e *RunError) Error() string {
	var b strings.Builder
	b.WriteString(e.Kind.Error())
	if len(e.Command) > 0 {
		fmt.Fprintf(&b, " (running %q)", strings.Join(e.Command, " "))
	}
	if e.Err != nil {
		fmt.Fprintf(&b, ": %v", e.Err)
	}
	if e.Output != "" {
		fmt.Fprintf(&b, ": %s", firstLine(e.Output))
	}
	return b.String()
}

// Unwrap exposes both the kind and the underlying error to errors.Is/As.
func (e *RunError) Unwrap() []error {
	if e.Err == nil {
		return []error{e.Kind}
	}
	return []error{e.Kind, e.Err}
}

// Failure codes, one per sentinel, for [FailureDiagnostic].
const (
	CodeDisabled         = "verify/disabled"
	CodeNotFound         = "verify/not-found"
	CodePasswordRequired = "verify/password-required"
	CodeTimeout          = "verify/timeout"
	CodeNotRoot          = "verify/not-root"
	CodeLockdown         = "verify/lockdown"
	CodeCrashed          = "verify/crashed"
	CodeRunFailed        = "verify/run-failed"
)

// failureText gives the code and an explanation with a remedy for each kind.
var failureText = []struct {
	kind       error
	code, text string
}{
	{ErrDisabled, CodeDisabled, "verification with bpftrace is turned off"},
	{ErrNotFound, CodeNotFound, "bpftrace was not found; install it or set the path to the binary"},
	{ErrPasswordRequired, CodePasswordRequired, "the privilege command asked for a password; allow bpftrace without a password (for example a NOPASSWD sudo rule) or run bpfls as root"},
	{ErrTimeout, CodeTimeout, "bpftrace did not finish in time; raise the verification timeout"},
	{ErrNotRoot, CodeNotRoot, "bpftrace refused to run without root; configure a privilege command such as [\"sudo\", \"-n\"]"},
	{ErrLockdown, CodeLockdown, "kernel lockdown (confidentiality) stops bpftrace on this machine"},
	{ErrCrashed, CodeCrashed, "bpftrace crashed while checking this file"},
}

// FailureDiagnostic turns an error from [Check] into one diagnostic on the
// first line of the document, so an editor can show why verification said
// nothing. Context cancellation is not a failure: it returns false.
func FailureDiagnostic(err error, lines *syntax.LineTable) (analysis.Diagnostic, bool) {
	if err == nil || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return analysis.Diagnostic{}, false
	}
	code, text := CodeRunFailed, "running bpftrace"
	for _, f := range failureText {
		if errors.Is(err, f.kind) {
			code, text = f.code, f.text
			break
		}
	}
	var re *RunError
	if errors.As(err, &re) && re.Output != "" {
		text += ": " + firstLine(re.Output)
	} else if !errors.As(err, &re) {
		text += ": " + err.Error()
	}
	sev := analysis.SeverityWarning
	if errors.Is(err, ErrDisabled) {
		sev = analysis.SeverityInfo
	}
	return analysis.Diagnostic{
		Span: firstLineSpan(lines), Severity: sev, Code: code,
		Message: text, Source: analysis.SourceBpftrace,
	}, true
}

func firstLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

// firstLineSpan covers the first line of the document, where diagnostics
// without a usable location go.
func firstLineSpan(lines *syntax.LineTable) syntax.Span {
	if lines == nil {
		return syntax.Span{Start: 0, End: 0}
	}
	end, _ := lines.Offset(1, 1<<30)
	return syntax.Span{Start: 0, End: end}
}
