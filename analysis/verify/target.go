// This file implements the target-version policy every surface shares (the
// server, `bpfls check`, the editor configurations): "auto", the default,
// is the version of the installed bpftrace, asked once with `--version` and
// never through a privilege prefix; without a usable bpftrace it is the
// newest version bpfls knows.

package verify

import (
	"context"
	"errors"
	"fmt"
	"os/exec"

	"github.com/bpfls/bpfls/analysis/syntax"
)

// TargetAuto is the default target version setting.
const TargetAuto = "auto"

// Where a [Target]'s version came from.
const (
	TargetFromSetting   = "setting"   // a release or "newest" named by the user
	TargetFromInstalled = "installed" // auto: the installed bpftrace's version
	TargetFromFallback  = "fallback"  // auto: no usable bpftrace, so the newest
)

// Target is the bpftrace version scripts are checked against, and why.
type Target struct {
	Version syntax.Version
	Setting string // what was asked: "auto", "newest", "0.17"
	Source  string // TargetFromSetting, TargetFromInstalled or TargetFromFallback
	Binary  string // for auto: the bpftrace that was asked, when one was found
	Reason  string // one lower-case sentence for people
}

// VersionFunc reports the version of the bpftrace binary at path; it is
// [DetectVersion] without a prefix unless a caller substitutes it.
type VersionFunc func(ctx context.Context, path string) (syntax.Version, error)

// InstalledVersion runs `path --version` (path "" means bpftrace in PATH),
// with no prefix, and returns what it said.
func InstalledVersion(ctx context.Context, path string) (syntax.Version, error) {
	return DetectVersion(ctx, Options{Enabled: true, Path: path})
}

// ResolveTarget applies the policy to setting ("" means auto). For auto it
// asks the bpftrace at binary ("" means bpftrace in PATH) through detect
// (nil means [InstalledVersion]). Only a setting that names no version is an
// error; a bpftrace that cannot answer falls back to the newest version.
func ResolveTarget(ctx context.Context, setting, binary string, detect VersionFunc) (Target, error) {
	if setting == "" {
		setting = TargetAuto
	}
	if setting != TargetAuto {
		v, err := syntax.ParseVersion(setting)
		if err != nil {
			return Target{}, err
		}
		return Target{Version: v, Setting: setting, Source: TargetFromSetting,
			Reason: fmt.Sprintf("bpftrace %s, as set", v)}, nil
	}
	if detect == nil {
		detect = InstalledVersion
	}
	t := Target{Setting: TargetAuto, Version: syntax.Newest, Source: TargetFromFallback}
	name := binary
	if name == "" {
		name = "bpftrace"
	}
	path, err := exec.LookPath(name)
	if err != nil {
		if binary == "" {
			t.Reason = fmt.Sprintf("auto: no bpftrace in PATH, so the newest, %s", syntax.Newest)
		} else {
			t.Reason = fmt.Sprintf("auto: %s cannot be run, so the newest, %s", binary, syntax.Newest)
		}
		return t, nil
	}
	t.Binary = path
	got, err := detect(ctx, path)
	switch {
	case errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded):
		return t, err
	case err != nil:
		t.Reason = fmt.Sprintf("auto: %s --version did not answer (%v), so the newest, %s", path, err, syntax.Newest)
	case !got.AtLeast(syntax.Oldest):
		t.Version, t.Source = syntax.Oldest, TargetFromInstalled
		t.Reason = fmt.Sprintf("auto: %s is bpftrace %s, older than bpfls knows, so the oldest, %s", path, got, syntax.Oldest)
	case !syntax.Newest.AtLeast(got):
		t.Source = TargetFromInstalled
		t.Reason = fmt.Sprintf("auto: %s is bpftrace %s, newer than bpfls knows, so the newest, %s", path, got, syntax.Newest)
	default:
		t.Version, t.Source = got, TargetFromInstalled
		t.Reason = fmt.Sprintf("auto: %s is bpftrace %s", path, got)
	}
	return t, nil
}
