package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/bpfls/bpfls/analysis/format"
	"github.com/bpfls/bpfls/analysis/syntax"
	"github.com/bpfls/bpfls/analysis/verify"
)

// fmtOptions are the flags of `bpfls fmt`, gofmt's conventions.
type fmtOptions struct {
	write, list, check, diff bool
}

// runFmt formats scripts in bpftrace's official style: to stdout by
// default, in place with -w, as a list (-l, --check) or a diff (-d).
func runFmt(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	var opts fmtOptions
	var target string
	fl := flag.NewFlagSet("fmt", flag.ContinueOnError)
	fl.SetOutput(stderr)
	fl.BoolVar(&opts.write, "w", false, "write the result to the file instead of stdout (atomically, keeping its mode)")
	fl.BoolVar(&opts.list, "l", false, "list files whose formatting differs")
	fl.BoolVar(&opts.check, "check", false, "list files whose formatting differs and exit 1 if there are any")
	fl.BoolVar(&opts.diff, "d", false, "print a unified diff instead of the result")
	fl.BoolVar(&opts.diff, "diff", false, "same as -d")
	fl.StringVar(&target, "target-version", verify.TargetAuto, "bpftrace version the scripts are written for: auto (the installed bpftrace's, else the newest), newest, or 0.17 … 0.26")
	fl.Usage = func() {
		fmt.Fprintln(stderr, "usage: bpfls fmt [-w] [-l|--check] [-d|--diff] [--target-version V] FILE|DIR|-...")
		fl.PrintDefaults()
	}
	if err := fl.Parse(args); err != nil {
		return exitUsage
	}
	t, err := verify.ResolveTarget(ctx, target, "", nil)
	if err != nil {
		fmt.Fprintf(stderr, "bpfls fmt: --target-version: %v\n", err)
		return exitUsage
	}
	dialect := syntax.Dialect{Version: t.Version}
	paths := fl.Args()
	if len(paths) == 0 {
		paths = []string{"-"}
	}
	failed, changed := false, false
	for _, arg := range paths {
		files, err := fmtTargets(arg, func(err error) { fmt.Fprintf(stderr, "bpfls fmt: %v\n", err) })
		if err != nil {
			fmt.Fprintf(stderr, "bpfls fmt: %v\n", err)
			failed = true
			continue
		}
		for _, path := range files {
			c, err := fmtFile(path, stdin, stdout, dialect, opts)
			if err != nil {
				fmt.Fprintf(stderr, "bpfls fmt: %v\n", err)
				failed = true
			}
			changed = changed || c
		}
	}
	if failed || opts.check && changed {
		return exitFail
	}
	return exitOK
}

// fmtTargets expands a directory into the *.bt files below it.
// Problems below the directory (a link leaving it) go to warn.
func fmtTargets(arg string, warn func(error)) ([]string, error) {
	if arg == "-" {
		return []string{"-"}, nil
	}
	info, err := os.Stat(arg)
	if err != nil {
		return nil, err
	}
	if !info.IsDir() {
		return []string{arg}, nil
	}
	return walkScripts(arg, warn)
}

// fmtFile formats one file (or stdin for "-") and reports whether its
// formatting differs.
func fmtFile(path string, stdin io.Reader, stdout io.Writer, d syntax.Dialect, opts fmtOptions) (bool, error) {
	var src []byte
	var err error
	name := path
	if path == "-" {
		name = "<stdin>"
		src, err = readLimited(stdin, name, 0)
	} else {
		src, err = readScript(path)
	}
	if err != nil {
		return false, err
	}
	f := syntax.Parse(name, src, d)
	out, err := format.Source(f)
	if err != nil {
		if errors.Is(err, format.ErrSyntax) {
			e := f.Errors[0]
			line, col := f.Position(e.Span.Start)
			return false, fmt.Errorf("%s:%d:%d: %s (not formatted: the file has syntax errors)", name, line, col, e.Msg)
		}
		return false, fmt.Errorf("%s: %w", name, err)
	}
	changed := !bytes.Equal(src, out)
	if opts.list || opts.check {
		if changed {
			fmt.Fprintln(stdout, name)
		}
	}
	if opts.diff && changed {
		io.WriteString(stdout, unifiedDiff(name, src, out))
	}
	if opts.write && path != "-" {
		if changed {
			if err := writeAtomic(path, out); err != nil {
				return changed, err
			}
		}
	} else if !opts.list && !opts.check && !opts.diff {
		stdout.Write(out)
	}
	return changed, nil
}

// writeAtomic replaces path with data through a temporary file in the same
// directory, keeping the file's mode.
func writeAtomic(path string, data []byte) error {
	info, err := os.Stat(path)
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err := tmp.Chmod(info.Mode().Perm()); err != nil {
		tmp.Close()
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return nil
}
