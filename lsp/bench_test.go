package lsp_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"
	"go.uber.org/zap/zapcore"
	"go.uber.org/zap/zaptest"

	"github.com/bpfls/bpfls/analysis/benchtest"
	"github.com/bpfls/bpfls/lsp"
	"github.com/bpfls/bpfls/lsp/lsptest"
)

// BenchmarkTyping replays a typing session against the real bpfls binary
// over stdio: a 2,000-line script, then 500 single-character edits typed
// into a printf string in the middle of it, one after the other. It reports
// the latency from sending each didChange to receiving the
// publishDiagnostics for that version (diagnosticsDelay 0). The typed line
// ends in a syntax error, so every keystroke moves it and is published.
// Then it times completion after "fentry:" over all kernel functions, and
// reads the server's resident memory with the kernel index loaded.
//
//	go test ./lsp -run '^$' -bench Typing -benchtime 1x
func BenchmarkTyping(b *testing.B) {
	bin := buildBinary(b)
	c := startStdioServer(b, bin)
	script, line, col := typingScript(2000)
	const typed = "reads of the virtual file system by process and by size "
	var lat []time.Duration
	b.ResetTimer()
	for i := range b.N {
		u := uri.URI(fmt.Sprintf("file:///typing-%d.bt", i))
		c.open(b, u, script)
		for k := range 500 {
			ch := string(typed[k%len(typed)])
			lat = append(lat, c.changeAndWait(b, u, int32(k+2), line, col+uint32(k), ch))
		}
	}
	b.StopTimer()
	slices.Sort(lat)
	b.ReportMetric(float64(percentile(lat, 50).Microseconds()), "p50-µs")
	b.ReportMetric(float64(percentile(lat, 99).Microseconds()), "p99-µs")
	b.ReportMetric(float64(lat[len(lat)-1].Microseconds()), "max-µs")

	// Completion of kernel function names after "fentry:", over every
	// function of the running kernel, through the same process.
	comp := c.completionLatencies(b, []string{"", "t", "tcp_", "vfs_r", "__x64_sys_"}, 40)
	slices.Sort(comp)
	b.ReportMetric(float64(percentile(comp, 50).Microseconds()), "completion-p50-µs")
	b.ReportMetric(float64(percentile(comp, 99).Microseconds()), "completion-p99-µs")

	// Resident memory of the server, with the kernel index loaded.
	if hwm, rss, ok := c.memory(); ok {
		b.ReportMetric(float64(rss)/1024, "rss-MB")
		b.ReportMetric(float64(hwm)/1024, "peak-rss-MB")
	}
}

// completionLatencies opens one "fentry:PREFIX" document per prefix and
// times n completion requests at its end, after one warm-up request that
// waits for the kernel's function list.
func (c *stdioClient) completionLatencies(b *testing.B, prefixes []string, n int) []time.Duration {
	b.Helper()
	var lat []time.Duration
	for i, prefix := range prefixes {
		u := uri.URI(fmt.Sprintf("file:///completion-%d.bt", i))
		text := "fentry:" + prefix
		c.open(b, u, text+"\n")
		params := &protocol.CompletionParams{
			TextDocumentPositionParams: protocol.TextDocumentPositionParams{
				TextDocument: protocol.TextDocumentIdentifier{URI: u},
				Position:     protocol.Position{Line: 0, Character: uint32(len(text))},
			},
		}
		for k := -1; k < n; k++ {
			var list protocol.CompletionList
			start := time.Now()
			if _, err := c.conn.Call(context.Background(), protocol.MethodTextDocumentCompletion, params, &list); err != nil {
				b.Fatalf("completion after %q: %v", text, err)
			}
			if k < 0 {
				if len(list.Items) == 0 {
					b.Fatalf("no completion after %q: is the kernel's BTF readable?", text)
				}
				continue // warm-up
			}
			lat = append(lat, time.Since(start))
		}
	}
	return lat
}

// memory reads the server's peak and current resident set in KiB.
func (c *stdioClient) memory() (hwm, rss int, ok bool) {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", c.pid))
	if err != nil {
		return 0, 0, false
	}
	for _, line := range strings.Split(string(data), "\n") {
		var v int
		if _, err := fmt.Sscanf(line, "VmHWM: %d kB", &v); err == nil {
			hwm = v
		}
		if _, err := fmt.Sscanf(line, "VmRSS: %d kB", &v); err == nil {
			rss = v
		}
	}
	return hwm, rss, rss > 0
}

// typingScript returns [benchtest.TypingScript] of about n lines and the
// line and column where typing happens: inside a printf string, before a
// syntax error.
func typingScript(n int) (script string, line, col uint32) {
	script, at := benchtest.TypingScript(n)
	start := strings.LastIndexByte(script[:at], '\n') + 1
	return script, uint32(strings.Count(script[:start], "\n")), uint32(at - start)
}

func percentile(sorted []time.Duration, p int) time.Duration {
	return sorted[min(len(sorted)-1, len(sorted)*p/100)]
}

// buildBinary builds cmd/bpfls into a temporary directory.
func buildBinary(b *testing.B) string {
	b.Helper()
	bin := filepath.Join(b.TempDir(), "bpfls")
	cmd := exec.Command("go", "build", "-o", bin, "github.com/bpfls/bpfls/cmd/bpfls")
	if out, err := cmd.CombinedOutput(); err != nil {
		b.Fatalf("building bpfls: %v\n%s", err, out)
	}
	return bin
}

// stdioClient drives a bpfls process over its stdin and stdout.
type stdioClient struct {
	conn jsonrpc2.Conn
	pid  int

	mu        sync.Mutex
	published map[string]chan struct{} // "uri@version" → closed on arrival
}

func startStdioServer(b *testing.B, bin string) *stdioClient {
	b.Helper()
	cmd := exec.Command(bin, "serve", "--log-level", "error")
	stdin, err := cmd.StdinPipe()
	if err != nil {
		b.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		b.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		b.Fatalf("starting bpfls: %v", err)
	}
	c := &stdioClient{published: map[string]chan struct{}{}, pid: cmd.Process.Pid}
	c.conn = jsonrpc2.NewConn(jsonrpc2.NewStream(pipes{stdout, stdin}), jsonrpc2.WithCodec(lsp.Codec{}))
	c.conn.Go(context.Background(), c.handle)
	b.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_, _ = c.conn.Call(ctx, protocol.MethodShutdown, nil, nil)
		_ = c.conn.Notify(ctx, protocol.MethodExit, nil)
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		select {
		case err := <-done:
			if err != nil {
				b.Errorf("bpfls exited with %v after shutdown and exit", err)
			}
		case <-time.After(5 * time.Second):
			_ = cmd.Process.Kill()
			b.Error("bpfls did not exit after shutdown and exit")
		}
	})
	params := &protocol.InitializeParams{InitializationOptions: []byte(`{"bpfls":{"diagnosticsDelay":0,"targetVersion":"newest"}}`)}
	if _, err := c.conn.Call(context.Background(), protocol.MethodInitialize, params, nil); err != nil {
		b.Fatalf("initialize: %v", err)
	}
	return c
}

func (c *stdioClient) handle(ctx context.Context, req *jsonrpc2.Request) (any, error) {
	if req.Method() != protocol.MethodTextDocumentPublishDiagnostics {
		return nil, nil
	}
	var p protocol.PublishDiagnosticsParams
	if err := protocol.Unmarshal(req.Params(), &p); err != nil {
		return nil, nil
	}
	v, _ := p.Version.Get()
	close(c.waiter(fmt.Sprintf("%s@%d", p.URI, v)))
	return nil, nil
}

func (c *stdioClient) waiter(key string) chan struct{} {
	c.mu.Lock()
	defer c.mu.Unlock()
	ch := c.published[key]
	if ch == nil {
		ch = make(chan struct{})
		c.published[key] = ch
	}
	return ch
}

func (c *stdioClient) open(b *testing.B, u uri.URI, text string) {
	b.Helper()
	ch := c.waiter(fmt.Sprintf("%s@1", u))
	err := c.conn.Notify(context.Background(), protocol.MethodTextDocumentDidOpen, &protocol.DidOpenTextDocumentParams{
		TextDocument: protocol.TextDocumentItem{URI: u, LanguageID: "bpftrace", Version: 1, Text: text},
	})
	if err != nil {
		b.Fatal(err)
	}
	select {
	case <-ch:
	case <-time.After(30 * time.Second):
		b.Fatalf("no diagnostics for %s after opening it", u)
	}
}

// changeAndWait inserts text at line:col as version v and returns the time
// until that version's diagnostics arrive.
func (c *stdioClient) changeAndWait(b *testing.B, u uri.URI, v int32, line, col uint32, text string) time.Duration {
	b.Helper()
	ch := c.waiter(fmt.Sprintf("%s@%d", u, v))
	start := time.Now()
	err := c.conn.Notify(context.Background(), protocol.MethodTextDocumentDidChange, &protocol.DidChangeTextDocumentParams{
		TextDocument: protocol.VersionedTextDocumentIdentifier{TextDocumentIdentifier: protocol.TextDocumentIdentifier{URI: u}, Version: v},
		ContentChanges: []protocol.TextDocumentContentChangeEvent{&protocol.TextDocumentContentChangePartial{
			Range: protocol.Range{Start: protocol.Position{Line: line, Character: col}, End: protocol.Position{Line: line, Character: col}},
			Text:  text,
		}},
	})
	if err != nil {
		b.Fatal(err)
	}
	select {
	case <-ch:
		return time.Since(start)
	case <-time.After(30 * time.Second):
		b.Fatalf("no diagnostics for %s version %d", u, v)
		return 0
	}
}

// pipes joins a process's stdout and stdin into one stream.
type pipes struct {
	io.ReadCloser
	io.WriteCloser
}

func (p pipes) Close() error {
	return errors.Join(p.ReadCloser.Close(), p.WriteCloser.Close())
}

// BenchmarkDidChange is BenchmarkTyping in-process, over lsptest's pipe: one
// op is one keystroke into the 2,000-line script, from didChange to the
// publishDiagnostics for its version. It isolates the server's own cost
// from process and pipe overhead.
func BenchmarkDidChange(b *testing.B) {
	quiet := zaptest.NewLogger(b, zaptest.Level(zapcore.WarnLevel)) // per-message debug logs would dominate
	e := lsptest.New(b, lsptest.Options{Settings: noDelay, Config: lsp.Config{Logger: quiet}, DiscardWire: true})
	script, line, col := typingScript(2000)
	const u = uri.URI("file:///didchange.bt")
	e.Open(u, script)
	e.WaitDiagnostics(u, lsptest.AtVersion(1), wait)
	b.ReportAllocs()
	b.SetBytes(int64(len(script)))
	b.ResetTimer()
	for k := range b.N {
		c := col + uint32(k%400) // keep the line a sane length
		if k > 0 && k%400 == 0 {
			v := e.Change(u, lsptest.Edit(line, col, line, col+400, ""))
			e.WaitDiagnostics(u, lsptest.AtVersion(v), wait)
		}
		v := e.Change(u, lsptest.Edit(line, c, line, c, "a"))
		e.WaitDiagnostics(u, lsptest.AtVersion(v), wait)
	}
}
