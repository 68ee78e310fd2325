package lsptest

import (
	"bytes"
	"net"
	"sync"
	"time"
)

// Tap is the client's end of the pipe, recording every byte the server
// sends, so tests can see responses the client connection itself drops
// (answers to raw requests, errors with a null id).
type Tap struct {
	net.Conn

	mu      sync.Mutex
	buf     bytes.Buffer
	changed chan struct{} // closed and replaced on every read
}

// Read implements net.Conn, recording what it reads.
func (t *Tap) Read(p []byte) (int, error) {
	n, err := t.Conn.Read(p)
	if n > 0 {
		t.mu.Lock()
		t.buf.Write(p[:n])
		close(t.changed)
		t.changed = make(chan struct{})
		t.mu.Unlock()
	}
	return n, err
}

// String returns everything received so far.
func (t *Tap) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.buf.String()
}

// WaitFor waits up to timeout until the received bytes contain every one of
// parts, in any order, and reports whether they did.
func (t *Tap) WaitFor(timeout time.Duration, parts ...string) bool {
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	for {
		t.mu.Lock()
		got, changed := t.buf.Bytes(), t.changed
		all := true
		for _, p := range parts {
			all = all && bytes.Contains(got, []byte(p))
		}
		t.mu.Unlock()
		if all {
			return true
		}
		select {
		case <-changed:
		case <-deadline.C:
			return false
		}
	}
}
