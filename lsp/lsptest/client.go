package lsptest

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"time"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"

	"github.com/bpfls/bpfls/lsp"
)

// Client is the fake editor end: it records every publishDiagnostics and
// showMessage, and answers server requests with MethodNotFound.
type Client struct {
	mu       sync.Mutex
	changed  chan struct{} // closed and replaced on every record
	diags    map[uri.URI][]*protocol.PublishDiagnosticsParams
	messages []string
	statuses []lsp.Status // bpfls/status notifications
}

func newClient() *Client {
	return &Client{changed: make(chan struct{}), diags: map[uri.URI][]*protocol.PublishDiagnosticsParams{}}
}

func (c *Client) handle(ctx context.Context, req *jsonrpc2.Request) (any, error) {
	switch req.Method() {
	case protocol.MethodTextDocumentPublishDiagnostics:
		var p protocol.PublishDiagnosticsParams
		if err := protocol.Unmarshal(req.Params(), &p); err != nil {
			return nil, nil // recorded as nothing; the test will time out and say so
		}
		c.record(func() { c.diags[p.URI] = append(c.diags[p.URI], &p) })
	case protocol.MethodWindowShowMessage:
		var p protocol.ShowMessageParams
		if err := protocol.Unmarshal(req.Params(), &p); err == nil {
			c.record(func() { c.messages = append(c.messages, p.Message) })
		}
	case "bpfls/status":
		var st lsp.Status
		if err := json.Unmarshal(req.Params(), &st); err == nil {
			c.record(func() { c.statuses = append(c.statuses, st) })
		}
	default:
		if req.IsCall() {
			return nil, fmt.Errorf("%q: %w", req.Method(), jsonrpc2.ErrMethodNotFound)
		}
	}
	return nil, nil
}

func (c *Client) record(f func()) {
	c.mu.Lock()
	f()
	close(c.changed)
	c.changed = make(chan struct{})
	c.mu.Unlock()
}

// Published returns every publishDiagnostics received for u, oldest first.
func (c *Client) Published(u uri.URI) []*protocol.PublishDiagnosticsParams {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]*protocol.PublishDiagnosticsParams(nil), c.diags[u]...)
}

// Messages returns the showMessage texts received so far.
func (c *Client) Messages() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]string(nil), c.messages...)
}

// WaitStatus returns the first bpfls/status notification pred accepts,
// oldest first, waiting up to timeout; nil on timeout.
func (c *Client) WaitStatus(pred func(lsp.Status) bool, timeout time.Duration) *lsp.Status {
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	for seen := 0; ; {
		c.mu.Lock()
		list, changed := c.statuses, c.changed
		c.mu.Unlock()
		for ; seen < len(list); seen++ {
			if pred(list[seen]) {
				return &list[seen]
			}
		}
		select {
		case <-changed:
		case <-deadline.C:
			return nil
		}
	}
}

// Statuses returns every bpfls/status received so far.
func (c *Client) Statuses() []lsp.Status {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]lsp.Status(nil), c.statuses...)
}

// Wait returns the first publishDiagnostics for u, oldest first, that pred
// accepts, waiting up to timeout for one to arrive. It returns nil on
// timeout.
func (c *Client) Wait(u uri.URI, pred func(*protocol.PublishDiagnosticsParams) bool, timeout time.Duration) *protocol.PublishDiagnosticsParams {
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	for seen := 0; ; {
		c.mu.Lock()
		list, changed := c.diags[u], c.changed
		c.mu.Unlock()
		for ; seen < len(list); seen++ {
			if pred(list[seen]) {
				return list[seen]
			}
		}
		select {
		case <-changed:
		case <-deadline.C:
			return nil
		}
	}
}

// AtVersion accepts a publication for document version v.
func AtVersion(v int32) func(*protocol.PublishDiagnosticsParams) bool {
	return func(p *protocol.PublishDiagnosticsParams) bool {
		got, ok := p.Version.Get()
		return ok && got == v
	}
}

// Any accepts every publication.
func Any(*protocol.PublishDiagnosticsParams) bool { return true }

// Empty accepts a publication without diagnostics.
func Empty(p *protocol.PublishDiagnosticsParams) bool { return len(p.Diagnostics) == 0 }

// HasCode accepts a publication with a diagnostic whose code starts with prefix.
func HasCode(prefix string) func(*protocol.PublishDiagnosticsParams) bool {
	return func(p *protocol.PublishDiagnosticsParams) bool {
		for _, d := range p.Diagnostics {
			if s, ok := d.Code.(protocol.String); ok && strings.HasPrefix(string(s), prefix) {
				return true
			}
		}
		return false
	}
}
