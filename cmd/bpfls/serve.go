package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"

	"github.com/bpfls/bpfls/analysis"
	"github.com/bpfls/bpfls/btfindex"
	"github.com/bpfls/bpfls/lsp"
)

// runServe speaks LSP over stdin/stdout until the client sends exit or
// closes the stream. Logs go to stderr or --log-file, never to stdout.
func runServe(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Bool("stdio", true, "speak LSP over stdin/stdout (the only transport)")
	logFile := fs.String("log-file", "", "append logs to `FILE` instead of stderr")
	logLevel := fs.String("log-level", "info", "log `LEVEL`: debug, info, warn or error")
	fs.Int("clientProcessId", 0, "accepted for clients that pass it; ignored")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "bpfls serve: unexpected argument %q\n", fs.Arg(0))
		return exitUsage
	}
	level, err := zap.ParseAtomicLevel(*logLevel)
	if err != nil {
		fmt.Fprintf(stderr, "bpfls serve: --log-level: %v\n", err)
		return exitUsage
	}
	logger, err := newServeLogger(level, *logFile)
	if err != nil {
		fmt.Fprintf(stderr, "bpfls serve: %v\n", err)
		return exitFail
	}
	defer logger.Sync() //nolint:errcheck // fails harmlessly on pipes and terminals
	defer zap.RedirectStdLog(logger)()

	// stdout belongs to JSON-RPC: keep it for the stream and point os.Stdout
	// at stderr, so a stray print anywhere cannot corrupt the framing.
	if stdout == os.Stdout {
		os.Stdout = os.Stderr
		defer func() { os.Stdout = stdout.(*os.File) }()
	}
	exit := func(code int) {
		logger.Info("exiting", zap.Int("code", code))
		_ = logger.Sync()
		os.Exit(code)
	}
	go func() {
		// A signal cancels ctx, but nothing interrupts a read of stdin, so
		// the server would linger until the editor wrote again.
		<-ctx.Done()
		logger.Info("terminating on a signal")
		exit(exitFail)
	}()
	cfg := lsp.Config{
		Logger:   logger,
		LogLevel: &level,
		Exit:     exit,
		// DetectVersion stays nil: targetVersion auto asks the bpftrace in
		// PATH (verify.ResolveTarget), never through a prefix.
		OpenKernel: func(ctx context.Context, s lsp.Settings) (analysis.Kernel, error) {
			return openServeKernel(ctx, s, logger)
		},
	}
	if err := lsp.Serve(ctx, stdio{stdin, stdout}, cfg); err != nil {
		logger.Error("serving", zap.Error(err))
		return exitFail
	}
	// The client closed the stream without exit: the specification asks for
	// exit code 1 in that case too.
	return exitFail
}

// openServeKernel opens the kernel knowledge the settings name: a snapshot
// from `bpfls btf export`, a BTF file, or by default the running kernel.
// The server closes the index when newer settings replace it, which stops
// its background load.
func openServeKernel(ctx context.Context, s lsp.Settings, logger *zap.Logger) (analysis.Kernel, error) {
	opts := btfindex.Options{Logger: logger}
	switch {
	case s.KernelSnapshot != "":
		opts.Snapshot = s.KernelSnapshot
	case s.KernelBTF != "":
		opts.BTFPath = s.KernelBTF
	}
	ix, err := btfindex.Open(ctx, opts)
	if err != nil {
		return nil, fmt.Errorf("opening kernel knowledge: %w", err)
	}
	return ix, nil
}

// newServeLogger logs JSON to stderr, or to file when one is named.
func newServeLogger(level zap.AtomicLevel, file string) (*zap.Logger, error) {
	cfg := zap.NewProductionConfig()
	cfg.Level = level
	cfg.Sampling = nil // every line matters when debugging an editor session
	cfg.EncoderConfig.EncodeTime = zapcore.ISO8601TimeEncoder
	cfg.OutputPaths = []string{"stderr"}
	cfg.ErrorOutputPaths = []string{"stderr"}
	if file != "" {
		cfg.OutputPaths = []string{file}
	}
	logger, err := cfg.Build()
	if err != nil {
		return nil, fmt.Errorf("opening the log: %w", err)
	}
	return logger.Named("bpfls"), nil
}

// stdio joins stdin and stdout into the connection's stream.
type stdio struct {
	io.Reader
	io.Writer
}

// Close closes both halves where they can be closed.
func (s stdio) Close() error {
	var errs []error
	if c, ok := s.Reader.(io.Closer); ok {
		errs = append(errs, c.Close())
	}
	if c, ok := s.Writer.(io.Closer); ok {
		errs = append(errs, c.Close())
	}
	return errors.Join(errs...)
}
