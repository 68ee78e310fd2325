// Command bpfls is the bpftrace language server and checker.
//
//	bpfls [serve] [--stdio] [--log-file F]   LSP over stdio (the default)
//	bpfls check [flags] FILE|DIR…            diagnostics for scripts, for CI
//	bpfls fmt [flags] FILE|DIR|-…            format scripts in bpftrace's style
//	bpfls btf SUBCOMMAND …                   inspect and export kernel knowledge
//	bpfls version
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
)

// Exit codes shared by the subcommands.
const (
	exitOK    = 0
	exitFail  = 1 // problems found, or the command could not do its job
	exitUsage = 2
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// run dispatches to a subcommand. Only serve treats stdout as a protocol
// stream; every other subcommand prints for people or scripts.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		return runServe(ctx, args, stdin, stdout, stderr)
	}
	switch args[0] {
	case "serve":
		return runServe(ctx, args[1:], stdin, stdout, stderr)
	case "check":
		return runCheck(ctx, args[1:], stdout, stderr)
	case "fmt":
		return runFmt(ctx, args[1:], stdin, stdout, stderr)
	case "btf":
		return runBTF(ctx, args[1:], stdout, stderr)
	case "version", "--version":
		fmt.Fprintln(stdout, "bpfls", version)
		return exitOK
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return exitOK
	}
	if strings.HasPrefix(args[0], "-") { // `bpfls --stdio`, as editors start servers
		return runServe(ctx, args, stdin, stdout, stderr)
	}
	fmt.Fprintf(stderr, "bpfls: unknown command %q\n\n%s", args[0], usage)
	return exitUsage
}

const version = "0.1.0-dev"

const usage = `usage:
  bpfls [serve] [--stdio] [--log-file FILE] [--log-level LEVEL]
        speak the Language Server Protocol over stdin/stdout
  bpfls check [--target-version V] [--format FMT] [--kernel FILE]... FILE|DIR...
        check bpftrace scripts and print diagnostics
  bpfls fmt [-w] [-l|--check] [-d|--diff] [--target-version V] FILE|DIR|-...
        format bpftrace scripts in bpftrace's official style (bpftrace --fmt)
  bpfls btf func|struct|tracepoint|list|stats|export ...
        inspect the kernel's BTF and tracepoints, or export a kernel snapshot
  bpfls version
`

// untilSignal runs work and returns its exit code, or returns exitFail as
// soon as ctx ends (SIGINT or SIGTERM): checking a file or opening a
// kernel does not poll ctx everywhere, and a command that prints a report
// has nothing to clean up. main exits right after, ending work.
func untilSignal(ctx context.Context, stderr io.Writer, cmd string, work func() int) int {
	done := make(chan int, 1)
	go func() { done <- work() }()
	select {
	case code := <-done:
		return code
	case <-ctx.Done():
		fmt.Fprintf(stderr, "%s: interrupted\n", cmd)
		return exitFail
	}
}
