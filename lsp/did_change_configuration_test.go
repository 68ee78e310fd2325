package lsp_test

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"

	"github.com/bpfls/bpfls/analysis"
	"github.com/bpfls/bpfls/lsp"
	"github.com/bpfls/bpfls/lsp/lsptest"
)

// TestConfigurationChangeReanalyses moves the target version under an open
// document: a for loop is fine on the newest bpftrace and an error on 0.17.
func TestConfigurationChangeReanalyses(t *testing.T) {
	t.Parallel()
	e := lsptest.New(t, lsptest.Options{Settings: map[string]any{"bpfls": map[string]any{"diagnosticsDelay": 0, "targetVersion": "newest"}}})
	const u = uri.URI("file:///loop.bt")
	e.Open(u, "BEGIN { for ($i : 0..3) { printf(\"%d\\n\", $i); } }\n")
	e.WaitDiagnostics(u, lsptest.Empty, wait)

	configure := func(settings map[string]any) {
		e.Notify(protocol.MethodWorkspaceDidChangeConfiguration, map[string]any{"settings": settings})
	}
	configure(map[string]any{"bpfls": map[string]any{"diagnosticsDelay": 0, "targetVersion": "0.17"}})
	p := e.WaitDiagnostics(u, lsptest.HasCode("syntax/needs-version"), wait)
	if v, _ := p.Version.Get(); v != 1 {
		t.Errorf("re-analysis published for version %d, want the unchanged version 1", v)
	}
	n := len(e.Client.Published(u))
	configure(map[string]any{"diagnosticsDelay": 0, "targetVersion": "newest"}) // top level works too
	e.WaitDiagnostics(u, func(p *protocol.PublishDiagnosticsParams) bool {
		return len(e.Client.Published(u)) > n && lsptest.Empty(p)
	}, wait)
}

// closingKernels hands out kernels that record whether they were closed.
type closingKernels struct {
	mu     sync.Mutex
	opened []*closingKernel
}

type closingKernel struct {
	fakeKernel
	path   string
	closed atomic.Bool
}

func (k *closingKernel) Close() { k.closed.Store(true) }

func (ks *closingKernels) open(_ context.Context, s lsp.Settings) (analysis.Kernel, error) {
	time.Sleep(5 * time.Millisecond) // opening takes a while: the burst overtakes it
	k := &closingKernel{path: s.KernelBTF}
	ks.mu.Lock()
	ks.opened = append(ks.opened, k)
	ks.mu.Unlock()
	return k, nil
}

// live returns the paths of the kernels opened and not closed, and how
// many were opened.
func (ks *closingKernels) live() ([]string, int) {
	ks.mu.Lock()
	defer ks.mu.Unlock()
	var paths []string
	for _, k := range ks.opened {
		if !k.closed.Load() {
			paths = append(paths, k.path)
		}
	}
	return paths, len(ks.opened)
}

// TestKernelSettingsBurst sends 200 kernelBTF changes at once (which held
// 1.77 GB when every superseded index still loaded): only the last ones
// are opened, every replaced kernel is closed, and the last setting wins.
func TestKernelSettingsBurst(t *testing.T) {
	t.Parallel()
	ks := &closingKernels{}
	e := lsptest.New(t, lsptest.Options{Config: lsp.Config{OpenKernel: ks.open}})
	const n = 200
	for i := range n {
		e.Notify(protocol.MethodWorkspaceDidChangeConfiguration, map[string]any{"settings": map[string]any{
			"bpfls": map[string]any{"targetVersion": "newest", "kernelBTF": fmt.Sprintf("/k/%d", i)}}})
	}
	want := fmt.Sprintf("/k/%d", n-1)
	deadline := time.Now().Add(wait)
	for {
		live, opened := ks.live()
		if len(live) == 1 && live[0] == want {
			if opened > n/4 { // a handful here; how many depends on scheduling
				t.Errorf("%d kernels opened for a burst of %d changes, want only the last few", opened, n)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("kernels still open: %q (of %d opened), want just %s", live, opened, want)
		}
		time.Sleep(10 * time.Millisecond)
	}
}
