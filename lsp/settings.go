// This file implements the server's settings: reading them from
// initializationOptions and workspace/didChangeConfiguration, and applying
// them (target version, kernel, debounce delay, log level).

package lsp

import (
	"bytes"
	"encoding/json"
	"fmt"
	"time"

	"go.uber.org/zap/zapcore"

	"github.com/bpfls/bpfls/analysis/cdecl"
	"github.com/bpfls/bpfls/analysis/syntax"
	"github.com/bpfls/bpfls/analysis/verify"
)

// Defaults for settings the client leaves out.
const (
	defaultDiagnosticsDelay = 150 * time.Millisecond
	maxDiagnosticsDelay     = 10 * time.Second
)

// Settings are what the user configures. Clients send them under a "bpfls"
// key or at the top level of initializationOptions and of
// workspace/didChangeConfiguration.
type Settings struct {
	// TargetVersion is "auto" (the installed bpftrace's version, see
	// verify.ResolveTarget), "newest", or a release such as "0.17".
	TargetVersion string
	// KernelBTF is a BTF file to check against instead of the running
	// kernel's; KernelSnapshot a snapshot written by `bpfls btf export`.
	KernelBTF      string
	KernelSnapshot string
	// KernelHeaders is the kernel headers tree #include searches (as
	// bpftrace's BPFTRACE_KERNEL_SOURCE), or a /lib/modules/RELEASE
	// directory; empty: the running kernel's. A directory, not a program,
	// so a workspace may set it.
	KernelHeaders string
	// DiagnosticsDelay is how long edits must pause before analysis runs.
	DiagnosticsDelay time.Duration
	// LogLevel is "debug", "info", "warn" or "error"; empty keeps the level
	// given on the command line.
	LogLevel string
	// Verification configures running the real bpftrace.
	Verification VerificationSettings
}

// VerificationSettings configures checking scripts with the real bpftrace
// (lsp/verify.go). Nothing runs unless Enabled is set.
type VerificationSettings struct {
	Enabled     bool     `json:"enabled"`
	OnSave      bool     `json:"onSave"` // verify on textDocument/didSave, not only on the bpfls.verify command
	Path        string   `json:"path"`   // bpftrace binary; empty: look it up in PATH
	Prefix      []string `json:"prefix"` // for example ["sudo", "-n"]
	IncludeDirs []string `json:"includeDirs"`
	Params      []string `json:"params"`    // positional parameters $1, $2, …
	TimeoutMs   int      `json:"timeoutMs"` // per run; zero: verify.DefaultTimeout
	// env names the kernelHeaders tree to bpftrace, so that it compiles
	// with the headers the analysis read (not a setting of its own).
	env []string
}

// DefaultSettings are the settings of a client that configures nothing.
func DefaultSettings() Settings {
	return Settings{TargetVersion: verify.TargetAuto, DiagnosticsDelay: defaultDiagnosticsDelay}
}

func (s Settings) delay() time.Duration { return s.DiagnosticsDelay }

// wireSettings is the JSON shape; pointers tell "absent" from "zero".
type wireSettings struct {
	TargetVersion    *string               `json:"targetVersion"`
	KernelBTF        *string               `json:"kernelBTF"`
	KernelSnapshot   *string               `json:"kernelSnapshot"`
	KernelHeaders    *string               `json:"kernelHeaders"`
	DiagnosticsDelay *float64              `json:"diagnosticsDelay"` // milliseconds
	LogLevel         *string               `json:"logLevel"`
	Verification     *VerificationSettings `json:"verify"`
}

// ParseSettings reads settings from raw JSON, starting from the defaults. It
// returns the problems it found, one sentence each; a bad value keeps its
// default.
func ParseSettings(raw []byte) (Settings, []string) {
	s := DefaultSettings()
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || bytes.Equal(raw, []byte("null")) {
		return s, nil
	}
	var top map[string]json.RawMessage
	if err := json.Unmarshal(raw, &top); err != nil {
		return s, []string{fmt.Sprintf("settings must be a JSON object: %v", err)}
	}
	if inner, ok := top["bpfls"]; ok {
		raw = inner
	}
	var w wireSettings
	if err := json.Unmarshal(raw, &w); err != nil {
		return s, []string{fmt.Sprintf("reading bpfls settings: %v", err)}
	}
	return s.merge(w)
}

func (s Settings) merge(w wireSettings) (Settings, []string) {
	var problems []string
	if w.TargetVersion != nil {
		if v := *w.TargetVersion; v == verify.TargetAuto {
			s.TargetVersion = v
		} else if _, err := syntax.ParseVersion(v); err != nil {
			problems = append(problems, fmt.Sprintf("targetVersion: %v; using %q", err, s.TargetVersion))
		} else {
			s.TargetVersion = v
		}
	}
	if w.DiagnosticsDelay != nil {
		d := time.Duration(*w.DiagnosticsDelay * float64(time.Millisecond))
		if d < 0 || d > maxDiagnosticsDelay {
			problems = append(problems, fmt.Sprintf("diagnosticsDelay: %v ms is outside 0 to %d ms", *w.DiagnosticsDelay, maxDiagnosticsDelay.Milliseconds()))
		} else {
			s.DiagnosticsDelay = d
		}
	}
	if w.LogLevel != nil {
		if _, err := zapcore.ParseLevel(*w.LogLevel); err != nil {
			problems = append(problems, fmt.Sprintf("logLevel: %v", err))
		} else {
			s.LogLevel = *w.LogLevel
		}
	}
	if w.KernelBTF != nil {
		s.KernelBTF = *w.KernelBTF
	}
	if w.KernelSnapshot != nil {
		s.KernelSnapshot = *w.KernelSnapshot
	}
	if w.KernelHeaders != nil {
		if _, err := headersTree(*w.KernelHeaders); err != nil {
			problems = append(problems, fmt.Sprintf("kernelHeaders: %v; using the running kernel's", err))
		} else {
			s.KernelHeaders = *w.KernelHeaders
		}
	}
	if w.Verification != nil {
		s.Verification, problems = mergeVerification(*w.Verification, problems)
	}
	return s, problems
}

// headersTree resolves the kernelHeaders setting; "" is the running
// kernel's tree, which the analysis finds itself.
func headersTree(dir string) (cdecl.KernelHeaders, error) {
	if dir == "" {
		return cdecl.KernelHeaders{}, nil
	}
	return cdecl.KernelHeadersAt(dir)
}
