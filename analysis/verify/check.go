// This file implements Check: one compile-only run of bpftrace on an editor
// buffer, from a temporary copy next to the original file.

package verify

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/bpfls/bpfls/analysis"
	"github.com/bpfls/bpfls/analysis/syntax"
)

// Result is what one verification found.
type Result struct {
	Diagnostics []analysis.Diagnostic
	// Hidden are diagnostics bpftrace printed that say nothing about the
	// script at its target version ([ForTarget]); they still show which
	// pass bpftrace stopped in ([Compare]).
	Hidden []analysis.Diagnostic
	// Notes are output lines about the host, not the script; callers log them.
	Notes    []string
	Version  syntax.Version // the version whose command line was used
	Command  []string       // argv as run, with the temporary file name
	ExitCode int
}

// Check compiles src, the current (possibly unsaved) text of the script at
// path, with bpftrace in a compile-only mode. It never attaches a probe and
// runs nothing unless opts.Enabled is set. path may name a file that does not
// exist yet; its directory is where relative #include lines are resolved.
//
// A run that says nothing about the script returns a [*RunError]; a cancelled
// ctx returns ctx's error.
func Check(ctx context.Context, opts Options, path string, src []byte) (*Result, error) {
	if !opts.Enabled {
		return nil, ErrDisabled
	}
	bin, err := opts.binary()
	if err != nil {
		return nil, &RunError{Kind: ErrNotFound, Command: []string{opts.Path}, ExitCode: -1, Err: err}
	}
	v := opts.Version
	if v == (syntax.Version{}) {
		if v, err = DetectVersion(ctx, opts); err != nil {
			return nil, err
		}
	}
	tmp, err := writeCopy(path, src)
	if err != nil {
		return nil, fmt.Errorf("writing a copy of %s to check: %w", path, err)
	}
	defer os.Remove(tmp)

	argv := opts.argv(bin, v, tmp)
	res, err := runProcess(ctx, argv, opts.environ(), workDir(path, tmp), opts.timeout())
	if err != nil {
		return nil, err
	}
	doc := Document{Names: []string{tmp}, Src: src, HostHidesTraceable: hostHidesTraceable(opts)}
	out := ParseOutput(doc, res.stderr, res.stdout)
	if err := classifyFailure(argv, res, &out); err != nil {
		return nil, err
	}
	if res.exitCode == 0 {
		// bpftrace compiled the script although clang complained about a
		// header (kernel headers trees do so by the hundred): not an error.
		for i, d := range out.Diagnostics {
			if d.Code == CodeHeaderError && d.Severity != analysis.SeverityInfo {
				out.Diagnostics[i].Severity = analysis.SeverityInfo
			}
		}
	}
	return &Result{Diagnostics: out.Diagnostics, Notes: out.Notes, Version: v, Command: argv, ExitCode: res.exitCode}, nil
}

// writeCopy writes src to a hidden temporary file in path's directory, so
// that bpftrace sees the file where the original lives, or in the system's
// temporary directory when that one is not writable.
func writeCopy(path string, src []byte) (string, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return "", err
	}
	pattern := ".bpfls-*-" + sanitizeBase(filepath.Base(abs))
	f, err := os.CreateTemp(filepath.Dir(abs), pattern)
	if err != nil {
		if f, err = os.CreateTemp("", pattern); err != nil {
			return "", err
		}
	}
	_, werr := f.Write(src)
	cerr := f.Close()
	if err := errors.Join(werr, cerr); err != nil {
		os.Remove(f.Name())
		return "", err
	}
	return f.Name(), nil
}

// sanitizeBase keeps the original base name recognisable in the temporary
// name but drops bytes that would confuse bpftrace's "FILE:LINE:" output or a
// reader (colons, spaces, control and shell characters).
func sanitizeBase(base string) string {
	clean := strings.Map(func(r rune) rune {
		if r == '.' || r == '-' || r == '_' || r < 0x80 && isIdentByte(byte(r)) {
			return r
		}
		return '_'
	}, base)
	if !strings.HasSuffix(clean, ".bt") {
		clean += ".bt"
	}
	return clean
}

// workDir is where bpftrace runs: clang resolves #include "x.h" against the
// current directory, so that must be the original file's directory.
func workDir(path, tmp string) string {
	if abs, err := filepath.Abs(path); err == nil {
		if st, err := os.Stat(filepath.Dir(abs)); err == nil && st.IsDir() {
			return filepath.Dir(abs)
		}
	}
	return filepath.Dir(tmp)
}

// hostHidesTraceable reports whether bpftrace, running with our privileges,
// cannot read the kernel's traceable-function list (a sandbox, or tracefs
// not mounted). With a privilege prefix our own view proves nothing.
func hostHidesTraceable(opts Options) bool {
	if len(opts.Prefix) > 0 && os.Geteuid() != 0 {
		return false
	}
	for _, p := range []string{"/sys/kernel/tracing/available_filter_functions", "/sys/kernel/debug/tracing/available_filter_functions"} {
		if f, err := os.Open(p); err == nil {
			f.Close()
			return false
		}
	}
	return true
}

var (
	passwordRx = regexp.MustCompile(`(?i)(password is required|terminal is required to read the password|no tty present|askpass|interactive authentication (is )?required|authentication is required|not authorized|incorrect password|no password was provided|sorry, try again|^\[sudo\] password for)`)
	notRootRx  = regexp.MustCompile(`only supports running as the root user|run bpftrace as the root user|Missing CAP_[A-Z_]+ capability`)
	lockdownRx = regexp.MustCompile(`Kernel lockdown is enabled`)
	// wrapperNotFoundRx is sudo or doas failing to find bpftrace in root's PATH.
	wrapperNotFoundRx = regexp.MustCompile(`(?m)^(sudo|doas|run0|pkexec)?:? ?\S*bpftrace\S*: (command )?not found`)
)

// classifyFailure decides whether a run said anything about the script. It
// returns a *RunError when it did not.
func classifyFailure(argv []string, res processResult, out *Output) error {
	text := strings.TrimSpace(string(res.stderr) + "\n" + string(res.stdout))
	fail := func(kind error) error {
		return &RunError{Kind: kind, Command: argv, ExitCode: res.exitCode, Output: text}
	}
	switch {
	case res.signaled:
		return fail(ErrCrashed)
	case out != nil && out.Bug:
		return fail(ErrCrashed)
	case res.exitCode == 0:
		return nil
	case passwordRx.MatchString(text):
		return fail(ErrPasswordRequired)
	case wrapperNotFoundRx.MatchString(text):
		return fail(ErrNotFound)
	case notRootRx.MatchString(text):
		return fail(ErrNotRoot)
	case lockdownRx.MatchString(text):
		return fail(ErrLockdown)
	case out == nil || len(out.Diagnostics) == 0:
		return fail(ErrCrashed)
	}
	return nil
}
