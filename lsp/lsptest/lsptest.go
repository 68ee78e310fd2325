// Package lsptest runs a bpfls language server in-process for tests: the
// server on one end of a net.Pipe, a real jsonrpc2 client connection on the
// other, and a fake client that records what the server publishes.
//
//	env := lsptest.New(t, lsptest.Options{})
//	env.Open("file:///a.bt", "BEGIN { exit(); }")
//	env.WaitDiagnostics("file:///a.bt", lsptest.AtVersion(1), time.Second)
package lsptest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"sync"
	"testing"
	"time"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"
	"go.uber.org/zap/zaptest"

	"github.com/bpfls/bpfls/analysis/syntax"
	"github.com/bpfls/bpfls/lsp"
)

// Options configure a test server.
type Options struct {
	// Config is handed to the server; Exit is filled in, and Logger when
	// nil (with a zaptest logger).
	Config lsp.Config
	// Settings become initializationOptions (marshalled to JSON).
	Settings any
	// PositionEncodings is what the client offers, for example
	// []string{"utf-8", "utf-16"}; nil offers nothing (so UTF-16).
	PositionEncodings []string
	// Capabilities are the client capabilities sent at initialize;
	// PositionEncodings, when set, replaces their general.positionEncodings.
	Capabilities protocol.ClientCapabilities
	// DiscardWire turns off recording what the server sends: Env.Wire is
	// then nil. Benchmarks set it, since recording copies every byte and
	// wakes every waiter on each read.
	DiscardWire bool
	// SkipInitialize leaves the server uninitialized.
	SkipInitialize bool
	// DetectBpftrace lets targetVersion "auto" ask real binaries, as the
	// server does by default. Without it (and without Config.DetectVersion)
	// no binary answers, so auto targets the newest version and a test does
	// not depend on the machine's bpftrace.
	DetectBpftrace bool
}

// Env is one server and its client.
type Env struct {
	T      testing.TB
	Ctx    context.Context
	Conn   jsonrpc2.Conn // the client's connection
	Raw    net.Conn      // the client's end of the pipe, for raw bytes
	Wire   *Tap          // everything the server wrote to the client; nil with Options.DiscardWire
	Client *Client
	Init   *protocol.InitializeResult

	served  chan error // Serve's result
	exitMu  sync.Mutex
	exits   []int
	version map[uri.URI]int32
}

// New starts a server, connects a client, and (unless told not to)
// initializes it. Everything is torn down when the test ends.
func New(t testing.TB, opts Options) *Env {
	t.Helper()
	serverEnd, clientEnd := net.Pipe()
	e := &Env{T: t, Ctx: t.Context(), Raw: clientEnd, Client: newClient(), served: make(chan error, 1), version: map[uri.URI]int32{}}

	cfg := opts.Config
	if cfg.Logger == nil {
		cfg.Logger = zaptest.NewLogger(t)
	}
	if cfg.DetectVersion == nil && !opts.DetectBpftrace {
		cfg.DetectVersion = func(context.Context, string) (syntax.Version, error) {
			return syntax.Version{}, errors.New("lsptest: bpftrace is asked only with Options.DetectBpftrace")
		}
	}
	cfg.Exit = func(code int) {
		e.exitMu.Lock()
		e.exits = append(e.exits, code)
		e.exitMu.Unlock()
	}
	go func() { e.served <- lsp.Serve(context.Background(), serverEnd, cfg) }()

	var stream net.Conn = clientEnd
	if !opts.DiscardWire {
		e.Wire = &Tap{Conn: clientEnd, changed: make(chan struct{})}
		stream = e.Wire
	}
	e.Conn = jsonrpc2.NewConn(jsonrpc2.NewStream(stream), jsonrpc2.WithCodec(lsp.Codec{}))
	e.Conn.Go(context.Background(), e.Client.handle)
	t.Cleanup(func() {
		clientEnd.Close()
		serverEnd.Close()
		select {
		case <-e.served:
		case <-time.After(10 * time.Second):
			t.Error("server did not stop within 10s of the connection closing")
		}
	})
	if !opts.SkipInitialize {
		e.Initialize(opts)
	}
	return e
}

// Initialize sends initialize and initialized.
func (e *Env) Initialize(opts Options) {
	e.T.Helper()
	params := &protocol.InitializeParams{Capabilities: opts.Capabilities}
	if opts.PositionEncodings != nil {
		encs := make([]protocol.PositionEncodingKind, len(opts.PositionEncodings))
		for i, s := range opts.PositionEncodings {
			encs[i] = protocol.PositionEncodingKind(s)
		}
		general := protocol.GeneralClientCapabilities{}
		if g := opts.Capabilities.General; g != nil {
			general = *g // a copy: the caller's options stay as they were
		}
		general.PositionEncodings = encs
		params.Capabilities.General = &general
	}
	if opts.Settings != nil {
		raw, err := json.Marshal(opts.Settings)
		if err != nil {
			e.T.Fatalf("marshalling settings: %v", err)
		}
		params.InitializationOptions = raw
	}
	var res protocol.InitializeResult
	if err := e.Call(protocol.MethodInitialize, params, &res); err != nil {
		e.T.Fatalf("initialize: %v", err)
	}
	e.Init = &res
	e.Notify(protocol.MethodInitialized, &protocol.InitializedParams{})
}

// Call sends a request and waits up to 10s for its answer.
func (e *Env) Call(method string, params, result any) error {
	ctx, cancel := context.WithTimeout(e.Ctx, 10*time.Second)
	defer cancel()
	_, err := e.Conn.Call(ctx, method, params, result)
	return err
}

// Notify sends a notification; failing to send fails the test.
func (e *Env) Notify(method string, params any) {
	e.T.Helper()
	if err := e.Conn.Notify(e.Ctx, method, params); err != nil {
		e.T.Fatalf("sending %s: %v", method, err)
	}
}

// Exits returns the codes the server passed to its exit function.
func (e *Env) Exits() []int {
	e.exitMu.Lock()
	defer e.exitMu.Unlock()
	return append([]int(nil), e.exits...)
}

// Served waits up to timeout for Serve to return, and reports whether it
// did and with what error.
func (e *Env) Served(timeout time.Duration) (bool, error) {
	select {
	case err := <-e.served:
		e.served <- err // keep it for the cleanup
		return true, err
	case <-time.After(timeout):
		return false, nil
	}
}

// WriteRaw writes b to the server as is, bypassing the client connection.
func (e *Env) WriteRaw(b string) {
	e.T.Helper()
	if _, err := e.Raw.Write([]byte(b)); err != nil {
		e.T.Fatalf("writing raw bytes: %v", err)
	}
}

// Frame wraps a JSON body in an LSP header.
func Frame(body string) string {
	return fmt.Sprintf("Content-Length: %d\r\n\r\n%s", len(body), body)
}
