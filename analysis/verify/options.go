// This file implements the configuration of a verification run and the
// command line it becomes.

package verify

import (
	"os"
	"os/exec"
	"time"

	"github.com/bpfls/bpfls/analysis/syntax"
)

// DefaultTimeout bounds a run when Options.Timeout is zero. Compiling a script
// that pulls in kernel headers takes a few seconds on a slow machine.
const DefaultTimeout = 30 * time.Second

// Options configures verification. The zero value runs nothing: Enabled must
// be set explicitly, because running bpftrace means running a privileged
// program on the user's machine.
type Options struct {
	// Enabled turns verification on. Without it, Check and DetectVersion
	// return ErrDisabled and execute nothing.
	Enabled bool
	// Path is the bpftrace binary. Empty means "bpftrace" looked up in PATH.
	Path string
	// Prefix is prepended to the command to gain privileges, for example
	// ["sudo", "-n"] or ["run0"]. bpfls never adds one itself. A prefix that
	// would ask for a password fails with ErrPasswordRequired instead of
	// hanging: stdin is closed and the process has no controlling terminal.
	Prefix []string
	// IncludeDirs become -I DIR, Includes become --include FILE.
	IncludeDirs []string
	Includes    []string
	// Params are the positional parameters ($1, $2, …), passed after the file.
	Params []string
	// Env holds extra KEY=VALUE pairs (for example BPFTRACE_STRLEN=200). A
	// prefix such as sudo may drop them, depending on its policy.
	Env []string
	// Timeout bounds one run; zero means DefaultTimeout.
	Timeout time.Duration
	// Version selects the command line. The zero value means "ask the binary"
	// (one extra run of bpftrace --version per Check); callers that check
	// often should call DetectVersion once and set it.
	Version syntax.Version
}

func (o *Options) timeout() time.Duration {
	if o.Timeout > 0 {
		return o.Timeout
	}
	return DefaultTimeout
}

// binary resolves the bpftrace binary in our PATH, so a sudoers rule naming
// the absolute path matches. With a prefix, a bare "bpftrace" missing from our
// PATH is left for the prefix to find (root's PATH may differ).
func (o *Options) binary() (string, error) {
	name := o.Path
	if name == "" {
		name = "bpftrace"
	}
	bin, err := exec.LookPath(name)
	if err != nil && len(o.Prefix) > 0 && o.Path == "" {
		return name, nil
	}
	return bin, err
}

// argv builds the full command for one version, without a shell: prefix,
// binary, compile-only flags, includes, "--", the file, then the parameters.
// The "--" keeps a parameter such as "-1" from being read as an option.
func (o *Options) argv(bin string, v syntax.Version, file string) []string {
	args := append([]string{}, o.Prefix...)
	args = append(args, bin)
	args = append(args, compileFlags(v)...)
	for _, dir := range o.IncludeDirs {
		args = append(args, "-I", dir)
	}
	for _, f := range o.Includes {
		args = append(args, "--include", f)
	}
	args = append(args, "--", file)
	return append(args, o.Params...)
}

// compileFlags selects the mode that parses, analyses and generates code but
// never loads or attaches: --test=codegen until 0.24; 0.25 gave --test a new
// meaning (run test: probes) and added --mode codegen.
func compileFlags(v syntax.Version) []string {
	if v.AtLeast(syntax.V0_25) {
		return []string{"--unsafe", "--mode", "codegen"}
	}
	return []string{"--unsafe", "--test=codegen"}
}

// environ is the process environment plus stable-output settings and the
// user's extra variables, which come last and so win.
func (o *Options) environ() []string {
	env := os.Environ()
	env = append(env, "LC_ALL=C", "BPFTRACE_COLOR=never")
	return append(env, o.Env...)
}
