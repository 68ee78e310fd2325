package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"unicode/utf8"

	"github.com/bpfls/bpfls/analysis"
	"github.com/bpfls/bpfls/analysis/cdecl"
	"github.com/bpfls/bpfls/analysis/syntax"
	"github.com/bpfls/bpfls/analysis/verify"
)

// checkOptions are the flags of `bpfls check`.
type checkOptions struct {
	target   string
	format   string
	kernels  multiFlag
	noKernel bool
	verify   bool
	bpftrace string
	includes multiFlag // -I: header directories, as bpftrace's -I
	// kernelHeaders is a kernel headers tree or /lib/modules/RELEASE;
	// "": the running kernel's, found as bpftrace finds it.
	kernelHeaders string
	headers       cdecl.KernelHeaders
}

// multiFlag collects a repeatable string flag.
type multiFlag []string

func (m *multiFlag) String() string     { return strings.Join(*m, ",") }
func (m *multiFlag) Set(v string) error { *m = append(*m, v); return nil }

// checkedFile is one input with its diagnostics, ready for printing.
type checkedFile struct {
	path  string
	src   []byte
	lines *syntax.LineTable
	ascii bool // src is all ASCII: byte columns are UTF-16 columns
	diags []analysis.Diagnostic
}

// runCheck implements `bpfls check`: exit 0 when clean, 1 on errors (or on
// files it could not read), 2 on bad usage.
func runCheck(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	var opts checkOptions
	fl := flag.NewFlagSet("check", flag.ContinueOnError)
	fl.SetOutput(stderr)
	fl.StringVar(&opts.target, "target-version", verify.TargetAuto, "bpftrace version to check against: auto (the installed bpftrace's, else the newest), newest, or 0.17 … 0.26")
	fl.StringVar(&opts.format, "format", "text", "output format: text, json, sarif or github")
	fl.Var(&opts.kernels, "kernel", "kernel snapshot (bpfls btf export) or BTF file to check against; repeatable (default: the running kernel)")
	fl.Var(&opts.includes, "I", "directory searched for #include headers, as bpftrace -I; repeatable")
	fl.StringVar(&opts.kernelHeaders, "kernel-headers", "", "kernel headers tree (as BPFTRACE_KERNEL_SOURCE) or /lib/modules/RELEASE directory searched for #include headers (default: the running kernel's)")
	fl.BoolVar(&opts.noKernel, "no-kernel", false, "check without kernel facts")
	fl.BoolVar(&opts.verify, "verify", false, "also compile with the real bpftrace (compile only) and report where it disagrees")
	fl.StringVar(&opts.bpftrace, "bpftrace", "", "bpftrace binary for --verify and --target-version auto (default: bpftrace in PATH)")
	fl.Usage = func() {
		fmt.Fprintln(stderr, "usage: bpfls check [flags] FILE|DIR...")
		fl.PrintDefaults()
	}
	if err := fl.Parse(args); err != nil {
		return exitUsage
	}
	if fl.NArg() == 0 {
		fl.Usage()
		return exitUsage
	}
	printer, ok := checkPrinters[opts.format]
	if !ok {
		fmt.Fprintf(stderr, "bpfls check: unknown format %q (want %s)\n", opts.format, strings.Join(printerNames(), ", "))
		return exitUsage
	}
	if opts.kernelHeaders != "" {
		var err error
		if opts.headers, err = cdecl.KernelHeadersAt(opts.kernelHeaders); err != nil {
			fmt.Fprintf(stderr, "bpfls check: --kernel-headers: %v\n", err)
			return exitUsage
		}
	}
	target, err := verify.ResolveTarget(ctx, opts.target, opts.bpftrace, nil)
	if err != nil {
		fmt.Fprintf(stderr, "bpfls check: --target-version: %v\n", err)
		return exitUsage
	}
	dialect := syntax.Dialect{Version: target.Version}
	return untilSignal(ctx, stderr, "bpfls check", func() int {
		kernels, err := openKernels(ctx, opts)
		if err != nil {
			fmt.Fprintf(stderr, "bpfls check: %v\n", err)
			return exitFail
		}
		defer kernels.close()
		for _, w := range kernels.warnings {
			fmt.Fprintf(stderr, "bpfls check: %s\n", w)
		}
		paths, failed := collectScripts(fl.Args(), stderr)
		var files []checkedFile
		toldMismatch := false
		for _, p := range paths {
			if ctx.Err() != nil {
				break
			}
			cf, err := checkFile(ctx, p, dialect, kernels)
			if err != nil {
				fmt.Fprintf(stderr, "bpfls check: %v\n", err)
				failed = true
				continue
			}
			if opts.verify {
				ok, note := verifyFile(ctx, &cf, opts, target.Version, stderr)
				if note != "" && !toldMismatch {
					fmt.Fprintf(stderr, "bpfls check: %s\n", note)
					toldMismatch = true
				}
				failed = failed || !ok
			}
			files = append(files, cf)
		}
		if err := printer(stdout, target, files); err != nil {
			fmt.Fprintf(stderr, "bpfls check: writing output: %v\n", err)
			return exitFail
		}
		if failed || hasErrors(files) {
			return exitFail
		}
		return exitOK
	})
}

// collectScripts expands directories into the *.bt files below them, in a
// stable order. Named files are taken whatever their extension.
func collectScripts(args []string, stderr io.Writer) (paths []string, failed bool) {
	for _, arg := range args {
		info, err := os.Stat(arg)
		if err != nil {
			fmt.Fprintf(stderr, "bpfls check: %v\n", err)
			failed = true
			continue
		}
		if !info.IsDir() {
			paths = append(paths, arg)
			continue
		}
		found, err := walkScripts(arg, func(err error) {
			fmt.Fprintf(stderr, "bpfls check: %v\n", err)
		})
		if err != nil {
			fmt.Fprintf(stderr, "bpfls check: walking %s: %v\n", arg, err)
			failed = true
		}
		paths = append(paths, found...)
	}
	return paths, failed
}

// errNotText is returned for files that are not UTF-8 text.
var errNotText = errors.New("not a text file")

// checkFile reads, parses and analyses one script, once per kernel.
func checkFile(ctx context.Context, path string, d syntax.Dialect, ks *kernelSet) (checkedFile, error) {
	src, err := readScript(path)
	if err != nil {
		return checkedFile{}, err
	}
	if bytes.IndexByte(src, 0) >= 0 {
		return checkedFile{}, fmt.Errorf("%s: %w (it contains NUL bytes)", path, errNotText)
	}
	if !utf8.Valid(src) {
		return checkedFile{}, fmt.Errorf("%s: %w (it is not valid UTF-8)", path, errNotText)
	}
	f := syntax.Parse(path, src, d)
	return checkedFile{path: path, src: src, lines: f.Lines, ascii: isASCII(src), diags: ks.analyze(ctx, f, d)}, nil
}

func hasErrors(files []checkedFile) bool {
	for _, f := range files {
		for _, d := range f.diags {
			if d.Severity == analysis.SeverityError {
				return true
			}
		}
	}
	return false
}

func isASCII(b []byte) bool {
	for _, c := range b {
		if c >= utf8.RuneSelf {
			return false
		}
	}
	return true
}
