// This file implements recognising what bpftrace prints about the host rather
// than about the script, so it becomes a note for the log instead of a
// diagnostic.

package verify

import (
	"regexp"
	"strings"
)

// hostNoise matches whole lines that describe the machine: resource limits,
// missing BTF, tracefs access, attach progress, the lockdown explanation and
// the logger's own complaints. None says anything about the script.
var hostNoise = []*regexp.Regexp{
	regexp.MustCompile(`^Attaching \d+ probes?\.\.\.$`),
	regexp.MustCompile(`^(ERROR|WARNING): .*couldn't set RLIMIT_MEMLOCK`),
	regexp.MustCompile(`^Error while reading traceable functions from `),
	regexp.MustCompile(`^(ERROR|WARNING): ?BTF: `),
	regexp.MustCompile(`^(ERROR|WARNING): .*(Kernel BTF|BTF data|vmlinux BTF).*(not|missing|unavailable)`),
	regexp.MustCompile(`^WARNING: .*(cannot be attached|could not attach probe|skipping\.)`),
	regexp.MustCompile(`^(WARNING: )?Kernel lockdown is enabled`),
	regexp.MustCompile(`^parts of BPF which makes it impossible for bpftrace`),
	regexp.MustCompile(`^https://github.com/\S+INSTALL.md#disable-lockdown`),
	regexp.MustCompile(`^for more details on lockdown and how to disable it`),
	regexp.MustCompile(`^Log: (cannot resolve location|invalid location|loc\.begin > loc\.end)`),
	regexp.MustCompile(`^(ERROR|WARNING): Failed to query process capabilities`),
}

func isHostNoise(line string) bool {
	for _, rx := range hostNoise {
		if rx.MatchString(line) {
			return true
		}
	}
	return false
}

// tracefsNoisePrefix starts the message 0.17 prints (in debug mode) without a
// trailing newline, so the next message is glued to it.
const tracefsNoisePrefix = "Error while reading traceable functions from "

// unglue splits a line that holds the unterminated tracefs message followed by
// a real message, such as "…: Operation not permittedERROR: Unknown error -1…"
// or "…: Operation not permittedscript.bt:1:1-15: ERROR: …".
func unglue(line string, names []string) []string {
	if !strings.HasPrefix(line, tracefsNoisePrefix) {
		return []string{line}
	}
	rest := line[len(tracefsNoisePrefix):]
	colon := strings.Index(rest, ": ") // after the tracefs path, strerror follows
	if colon < 0 {
		return []string{line}
	}
	from := len(tracefsNoisePrefix) + colon + 2
	cut := -1
	starts := append([]string{"ERROR: ", "WARNING: ", "HINT: ", "BUG: ", "definitions.h:", "stdin:"}, names...)
	for _, s := range starts {
		if s == "" {
			continue
		}
		if i := strings.Index(line[from:], s); i >= 0 && (cut < 0 || from+i < cut) {
			cut = from + i
		}
	}
	if cut < 0 {
		return []string{line}
	}
	return append([]string{line[:cut]}, unglue(line[cut:], names)...)
}

// ansiRx matches colour escape sequences (BPFTRACE_COLOR=always).
var ansiRx = regexp.MustCompile("\x1b\\[[0-9;]*[A-Za-z]")

func stripANSI(s string) string {
	if !strings.Contains(s, "\x1b") {
		return s
	}
	return ansiRx.ReplaceAllString(s, "")
}
