// This file implements the Server: its configuration, its state, and Serve,
// the single entry point that runs it over one connection.

package lsp

import (
	"context"
	"fmt"
	"io"
	"sync"
	"sync/atomic"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"
	"go.uber.org/zap"

	"github.com/bpfls/bpfls/analysis"
	"github.com/bpfls/bpfls/analysis/cdecl"
	"github.com/bpfls/bpfls/analysis/fix"
	"github.com/bpfls/bpfls/analysis/syntax"
	"github.com/bpfls/bpfls/analysis/verify"
	"github.com/bpfls/bpfls/btfindex/userbin"
)

// Config is what the command line hands the server. Only Logger is required.
type Config struct {
	Logger *zap.Logger
	// LogLevel, when set, is the level of Logger; the logLevel setting
	// changes it at run time.
	LogLevel *zap.AtomicLevel
	// Exit ends the process on the exit notification, with code 0 after a
	// shutdown request and 1 otherwise. nil only closes the connection, which
	// is what tests want; over stdio, closing does not unblock a read of
	// stdin, so `bpfls serve` passes a function that calls os.Exit.
	Exit func(code int)
	// DetectVersion answers targetVersion "auto": the version of the
	// bpftrace binary at path, asked without any prefix. An error means the
	// newest version bpfls knows. nil means `path --version`, once per
	// binary; tests replace it to stay independent of the machine's bpftrace.
	DetectVersion verify.VersionFunc
	// OpenKernel opens kernel knowledge as the kernelBTF and kernelSnapshot
	// settings say. nil means no kernel facts: kernel checks are skipped.
	OpenKernel func(ctx context.Context, s Settings) (analysis.Kernel, error)
	// BeforeRequest, when set, runs before each request's handler, on the
	// request's goroutine and with its cancellable context. Tests use it to
	// hold a request in flight.
	BeforeRequest func(ctx context.Context, method string)
}

// Lifecycle states, in the order a well-behaved client moves through them.
const (
	stateNew         int32 = iota // before initialize
	stateInitialized              // initialize answered; serving
	stateShutdown                 // shutdown answered; only exit is accepted
)

// Server is a bpftrace language server for one client connection. Its
// protocol methods are thin: each finds a document, converts positions, calls
// analysis and converts the result back.
type Server struct {
	unimplemented

	log    *zap.Logger
	cfg    Config
	conn   jsonrpc2.Conn
	client protocol.Client

	// ctx lives as long as the connection and ends at shutdown; background
	// work (debounced analysis, version detection) hangs off it.
	ctx    context.Context
	cancel context.CancelFunc

	state    atomic.Int32
	encoding atomic.Uint32 // Encoding negotiated at initialize
	snippets atomic.Bool   // the client accepts snippet completions (initialize)

	store  *store
	diags  *publisher
	verify *verifier // runs of the real bpftrace (verify.go)

	settingsMu   sync.Mutex
	settings     Settings
	settingsGen  uint64         // bumped by every applySettings; stale background work checks it
	kernelOpened bool           // OpenKernel has run for the current kernel settings
	kernelGen    uint64         // bumped when settings name other kernel knowledge; older opens are dropped
	openMu       sync.Mutex     // one OpenKernel at a time, so a burst of settings opens only the last
	settingsWork sync.WaitGroup // applySettings' background work; Serve waits for it
	target       verify.Target
	kernel       KernelStatus

	statusMu    sync.Mutex
	status      Status // what bpfls/status says now (status.go)
	statusSent  Status // what the client was last sent
	statusReady bool   // the client sent initialized, so notifications may flow
}

// Serve runs a language server over rwc until the connection ends or the
// client sends exit. It returns the connection's error, nil on a clean end.
func Serve(ctx context.Context, rwc io.ReadWriteCloser, cfg Config) error {
	if cfg.Logger == nil {
		return fmt.Errorf("serving LSP: %w", errNoLogger)
	}
	s := newServer(ctx, cfg)
	s.conn = jsonrpc2.NewConn(NewStream(rwc, s.log.Named("stream")), jsonrpc2.WithCodec(Codec{}))
	s.client = protocol.ClientDispatcher(s.conn)
	s.conn.Go(ctx, s.handler()) // not s.ctx: shutdown must not stop the connection
	s.log.Info("serving")
	<-s.conn.Done()
	s.cancel()
	s.diags.wait()
	s.settingsWork.Wait() // version detection and kernel opens end with s.ctx
	s.verify.stop()       // waits for runs to end, so no bpftrace outlives Serve
	err := s.conn.Err()
	s.log.Info("connection closed", zap.Error(err))
	return err
}

// userBinaryRead re-analyses the open documents once a user-space binary
// has been read (its symbols, then its debug info).
func (s *Server) userBinaryRead() {
	for _, d := range s.store.refresh() {
		s.diags.schedule(d)
	}
}

func newServer(ctx context.Context, cfg Config) *Server {
	s := &Server{log: cfg.Logger.Named("lsp"), cfg: cfg, settings: DefaultSettings()}
	s.ctx, s.cancel = context.WithCancel(ctx)
	// User binaries are read in the background; each read re-analyses the
	// open documents, whose uprobe and usdt checks waited for it.
	users := userbin.NewCache(s.ctx, s.log, userbin.Options{OnUpdate: func(string) { s.userBinaryRead() }})
	s.store = newStore(s.ctx, s.log, analysis.Config{Dialect: syntax.NewestDialect(), User: users, Refactorer: fix.Refactorings{}, CHeaders: &cdecl.Cache{}})
	s.diags = newPublisher(s, s.settings.delay())
	s.verify = newVerifier(s)
	if s.cfg.DetectVersion == nil {
		s.cfg.DetectVersion = s.verify.detectInstalled
	}
	return s
}

// positionEncoding is the encoding agreed at initialize.
func (s *Server) positionEncoding() Encoding { return Encoding(s.encoding.Load()) }

// notify sends a notification to the client. Sending never waits for the
// client, so it is safe from any goroutine; failures only mean the
// connection is going away, and are logged.
func (s *Server) notify(method string, send func(ctx context.Context) error) {
	if err := send(s.ctx); err != nil {
		s.log.Debug("notifying the client", zap.String("method", method), zap.Error(err))
	}
}

// afterWholeFile returns to the system, in the background, the garbage a
// whole-file request (the outline, the folds, the full semantic tokens)
// left when its first answer for a large document read every item:
// editors send them at open, and the probes the runtime collected after
// the analysis are parsed again then.
func (s *Server) afterWholeFile(doc *Document) {
	if doc.whole.TakeRead() >= releaseSize {
		s.diags.freeOSMemoryLater(doc.URI, "whole-file request")
	}
}
