package lsp

import (
	"context"
	"sync"
	"testing"

	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"
	"go.uber.org/zap/zaptest"

	"github.com/bpfls/bpfls/analysis"
	"github.com/bpfls/bpfls/analysis/rope"
	"github.com/bpfls/bpfls/analysis/syntax"
)

// publications records what the server publishes, without a connection.
type publications struct {
	protocol.UnimplementedClient

	mu   sync.Mutex
	list []*protocol.PublishDiagnosticsParams
}

func (c *publications) PublishDiagnostics(ctx context.Context, p *protocol.PublishDiagnosticsParams) error {
	c.mu.Lock()
	c.list = append(c.list, p)
	c.mu.Unlock()
	return nil
}

func (c *publications) bpftraceCount() (withBpftrace int, last int32) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, p := range c.list {
		last, _ = p.Version.Get()
		for _, d := range p.Diagnostics {
			if src, _ := d.Source.Get(); src == analysis.SourceBpftrace {
				withBpftrace++
				break
			}
		}
	}
	return withBpftrace, last
}

// TestSetVerifyDropsStaleVersion hands the publisher a result after the
// document moved on, the race a cancellation can lose: it must be dropped,
// and a result for the current version published beside bpfls's own.
func TestSetVerifyDropsStaleVersion(t *testing.T) {
	t.Parallel()
	s := newServer(t.Context(), Config{Logger: zaptest.NewLogger(t)})
	client := &publications{}
	s.client = client
	defer s.diags.stop()
	const u = uri.URI("file:///stale.bt")
	s.store.open(u, 1, rope.FromString("BEGIN { }\n"))
	d1, _ := s.store.get(u)
	s.diags.schedule(d1) // makes the publishing state; its timer publishes later or not at all
	result := []analysis.Diagnostic{{Span: syntax.Span{Start: 0, End: 5}, Severity: analysis.SeverityError,
		Code: "verify/error", Message: "from bpftrace", Source: analysis.SourceBpftrace}}

	if !s.diags.setVerify(u, 1, result) {
		t.Fatal("a result for the current version was dropped")
	}
	if n, v := client.bpftraceCount(); n != 1 || v != 1 {
		t.Fatalf("%d publications with bpftrace diagnostics, last for version %d; want 1 for version 1", n, v)
	}

	if _, err := s.store.update(u, func(old *Document) (*Document, error) {
		return s.store.derive(old, 2, rope.FromString("BEGIN { }\n\n"), nil), nil
	}); err != nil {
		t.Fatal(err)
	}
	if s.diags.setVerify(u, 1, result) {
		t.Error("a result for version 1 was accepted while version 2 is current")
	}
	s.store.close(u)
	if s.diags.setVerify(u, 2, result) {
		t.Error("a result for a closed document was accepted")
	}
	if n, _ := client.bpftraceCount(); n != 1 {
		t.Errorf("%d publications with bpftrace diagnostics, want only the first", n)
	}
}
