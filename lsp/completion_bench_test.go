package lsp_test

import (
	"context"
	"net"
	"os"
	"slices"
	"testing"
	"time"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"
	"go.uber.org/zap"

	"github.com/bpfls/bpfls/analysis"
	"github.com/bpfls/bpfls/btfindex"
	"github.com/bpfls/bpfls/lsp"
	"github.com/bpfls/bpfls/lsp/lsptest"
)

// requireRealKernel skips a benchmark or test that needs the running
// kernel's BTF, unless BPFLS_REQUIRE_REAL=1 makes that a failure.
func requireRealKernel(tb testing.TB, why string) {
	tb.Helper()
	if os.Getenv("BPFLS_REQUIRE_REAL") == "1" {
		tb.Fatalf("BPFLS_REQUIRE_REAL=1 but %s", why)
	}
	tb.Skip(why)
}

// benchClient is a lean editor end for benchmarks: unlike lsptest it keeps
// nothing the server sends and logs nothing, so neither skews the numbers.
type benchClient struct {
	conn    jsonrpc2.Conn
	version int32
}

func newBenchClient(b *testing.B, k analysis.Kernel) *benchClient {
	serverEnd, clientEnd := net.Pipe()
	cfg := lsp.Config{Logger: zap.NewNop(), OpenKernel: func(context.Context, lsp.Settings) (analysis.Kernel, error) { return k, nil }}
	served := make(chan error, 1)
	go func() { served <- lsp.Serve(context.Background(), serverEnd, cfg) }()
	c := &benchClient{conn: jsonrpc2.NewConn(jsonrpc2.NewStream(clientEnd), jsonrpc2.WithCodec(lsp.Codec{}))}
	c.conn.Go(context.Background(), func(ctx context.Context, req *jsonrpc2.Request) (any, error) {
		if req.IsCall() {
			return nil, jsonrpc2.ErrMethodNotFound
		}
		return nil, nil
	})
	b.Cleanup(func() {
		clientEnd.Close()
		serverEnd.Close()
		<-served
	})
	c.call(b, protocol.MethodInitialize, &protocol.InitializeParams{}, &protocol.InitializeResult{})
	c.notify(b, protocol.MethodInitialized, &protocol.InitializedParams{})
	return c
}

func (c *benchClient) call(b *testing.B, method string, params, result any) {
	if _, err := c.conn.Call(context.Background(), method, params, result); err != nil {
		b.Fatalf("%s: %v", method, err)
	}
}

func (c *benchClient) notify(b *testing.B, method string, params any) {
	if err := c.conn.Notify(context.Background(), method, params); err != nil {
		b.Fatalf("%s: %v", method, err)
	}
}

// setText opens u, or replaces its whole text.
func (c *benchClient) setText(b *testing.B, u uri.URI, text string) {
	c.version++
	if c.version == 1 {
		c.notify(b, protocol.MethodTextDocumentDidOpen, &protocol.DidOpenTextDocumentParams{
			TextDocument: protocol.TextDocumentItem{URI: u, LanguageID: "bpftrace", Version: c.version, Text: text}})
		return
	}
	c.notify(b, protocol.MethodTextDocumentDidChange, &protocol.DidChangeTextDocumentParams{
		TextDocument:   protocol.VersionedTextDocumentIdentifier{TextDocumentIdentifier: protocol.TextDocumentIdentifier{URI: u}, Version: c.version},
		ContentChanges: []protocol.TextDocumentContentChangeEvent{lsptest.Whole(text)},
	})
}

// BenchmarkCompletionFentry types prefixes after "fentry:" and asks for
// completion after each edit, through the real server over a pipe with the
// running kernel's index (~56,000 functions). It reports the latency of
// the completion request alone (sending, answering, receiving and decoding
// the capped list), median and 99th percentile.
func BenchmarkCompletionFentry(b *testing.B) {
	ix, err := btfindex.Open(context.Background(), btfindex.Options{CacheDir: "-"})
	if err != nil {
		requireRealKernel(b, "no kernel BTF: "+err.Error())
	}
	b.Cleanup(ix.Close)
	c := newBenchClient(b, ix)
	const u = uri.URI("file:///bench-fentry.bt")
	const head = "BEGIN { @start = nsecs; }\nfentry:"
	at := func(p string) *protocol.CompletionParams {
		return &protocol.CompletionParams{TextDocumentPositionParams: tdp(u, protocol.Position{Line: 1, Character: uint32(7 + len(p))})}
	}
	c.setText(b, u, head)
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		var list protocol.CompletionList
		c.call(b, protocol.MethodTextDocumentCompletion, at(""), &list)
		if len(list.Items) > 0 {
			break
		}
		if time.Now().After(deadline) {
			b.Fatal("no kernel functions completed after fentry:")
		}
	}
	prefixes := []string{"", "v", "vf", "vfs", "vfs_", "vfs_r", "t", "tc", "tcp", "tcp_", "tcp_s", "x"}
	lat := make([]time.Duration, 0, 4096)
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		p := prefixes[i%len(prefixes)]
		c.setText(b, u, head+p)
		var list protocol.CompletionList
		start := time.Now()
		c.call(b, protocol.MethodTextDocumentCompletion, at(p), &list)
		lat = append(lat, time.Since(start))
	}
	slices.Sort(lat)
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
}
