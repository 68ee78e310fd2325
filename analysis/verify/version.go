// This file implements reading the installed bpftrace's version.

package verify

import (
	"context"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/bpfls/bpfls/analysis/syntax"
)

// versionTimeout bounds `bpftrace --version`, which does no real work.
const versionTimeout = 10 * time.Second

// versionRx finds "v0.17.0" in "bpftrace v0.17.0", "bpftrace v0.26.0-12-gabc"
// or "bpftrace v0.26.0-rc0"; the patch level is optional for odd dev builds.
var versionRx = regexp.MustCompile(`\bv?(\d+)\.(\d+)(?:\.\d+)?\S*`)

// DetectVersion runs `bpftrace --version` (through the configured prefix) and
// returns its major.minor. The result may lie outside the range bpfls knows;
// the caller decides what to target then. Like [Check], it runs nothing
// unless opts.Enabled is set.
func DetectVersion(ctx context.Context, opts Options) (syntax.Version, error) {
	if !opts.Enabled {
		return syntax.Version{}, ErrDisabled
	}
	bin, err := opts.binary()
	if err != nil {
		return syntax.Version{}, &RunError{Kind: ErrNotFound, Command: []string{opts.Path}, ExitCode: -1, Err: err}
	}
	argv := append(append([]string{}, opts.Prefix...), bin, "--version")
	timeout := opts.timeout()
	if timeout > versionTimeout {
		timeout = versionTimeout
	}
	res, err := runProcess(ctx, argv, opts.environ(), "", timeout)
	if err != nil {
		return syntax.Version{}, err
	}
	out := string(res.stdout) + string(res.stderr)
	if res.exitCode != 0 {
		return syntax.Version{}, classifyFailure(argv, res, nil)
	}
	v, err := ParseVersionOutput(out)
	if err != nil {
		return syntax.Version{}, &RunError{Kind: ErrBadVersion, Command: argv, ExitCode: res.exitCode, Output: strings.TrimSpace(out), Err: err}
	}
	return v, nil
}

// ParseVersionOutput reads the version from what `bpftrace --version` printed:
// "bpftrace v0.17.0", "bpftrace v0.26.0-5-g1234abcd" and similar.
func ParseVersionOutput(out string) (syntax.Version, error) {
	for _, line := range strings.Split(out, "\n") {
		line = strings.TrimSpace(line)
		if !strings.HasPrefix(line, "bpftrace ") {
			continue
		}
		m := versionRx.FindStringSubmatch(line[len("bpftrace "):])
		if m == nil {
			continue
		}
		major, err1 := strconv.Atoi(m[1])
		minor, err2 := strconv.Atoi(m[2])
		if err1 == nil && err2 == nil {
			return syntax.Version{Major: major, Minor: minor}, nil
		}
	}
	return syntax.Version{}, fmt.Errorf("reading version from %q: %w", firstLine(out), ErrBadVersion)
}
