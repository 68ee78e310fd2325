// This file implements publishing diagnostics: analysis runs off the read
// loop after edits pause for the diagnosticsDelay setting, results for a
// version that has moved on are dropped, and a file's diagnostics are sent
// only when they changed. It is also the one place where analysis
// diagnostics become protocol values.

package lsp

import (
	"context"
	"crypto/sha256"
	"runtime"
	"runtime/debug"
	"sync"
	"time"

	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"
	"go.uber.org/zap"

	"github.com/bpfls/bpfls/analysis"
	"github.com/bpfls/bpfls/analysis/syntax"
)

// publisher schedules analysis and publishes its diagnostics.
type publisher struct {
	s *Server

	mu      sync.Mutex
	delay   time.Duration
	files   map[uri.URI]*fileDiags
	stopped bool
	running sync.WaitGroup // runs in progress; added to only while !stopped
	freeing bool           // a freeOSMemoryLater is waiting
	// freeURI and freeAfter are what the waiting freeOSMemoryLater logs.
	freeURI   uri.URI
	freeAfter string
}

// fileDiags is the publishing state of one open document.
type fileDiags struct {
	timer   *time.Timer // guarded by publisher.mu
	pending *Document   // the document timer analyses; guarded by publisher.mu

	pubMu     sync.Mutex // serialises "still current?" and sending
	published bool
	hash      [sha256.Size]byte
	closed    bool

	// verify holds what the real bpftrace said about version verifyVersion
	// (verify.go). It is published beside the analysis' diagnostics while
	// that version is current and dropped once a newer one is published.
	// Guarded by pubMu.
	verify        []analysis.Diagnostic
	verifyVersion int32
}

func newPublisher(s *Server, delay time.Duration) *publisher {
	return &publisher{s: s, delay: delay, files: make(map[uri.URI]*fileDiags)}
}

func (p *publisher) setDelay(d time.Duration) {
	p.mu.Lock()
	p.delay = d
	p.mu.Unlock()
}

// schedule analyses d once edits have paused for the delay. A newer
// schedule for the same document replaces a pending one. A d that is no
// longer current is dropped: a reconfiguration can remake a document and
// schedule the new one before the handler that opened or changed it
// schedules the old one, which must not replace the pending new one.
func (p *publisher) schedule(d *Document) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.stopped || !p.s.store.isCurrent(d) {
		return
	}
	fd := p.files[d.URI]
	if fd == nil {
		fd = &fileDiags{}
		p.files[d.URI] = fd
	}
	if fd.timer != nil {
		fd.timer.Stop()
	}
	fd.pending = d
	fd.timer = time.AfterFunc(p.delay, func() { p.run(d, fd) })
}

// releaseSize is the size from which opening a document returns the
// memory its first analysis freed to the system, and a whole-file request
// that read that much of a document's items (at open, parsing again the
// probes the runtime collected after the analysis) returns its garbage;
// so does closing a document that large.
const releaseSize = 256 << 10

// freeOSMemory returns the memory the runtime holds free to the system,
// after what the log says (the analysis of u, a request, its close).
func (p *publisher) freeOSMemory(u uri.URI, after string) {
	debug.FreeOSMemory()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	p.s.log.Debug("returned freed memory to the system", zap.String("uri", string(u)), zap.String("after", after),
		zap.Uint64("heapLive", ms.HeapAlloc), zap.Uint64("heapInUse", ms.HeapInuse))
}

// freeOSMemoryLater is freeOSMemory in the background, once the requests
// an editor sends together (at open: the outline, the folds, the tokens)
// have answered, so that their answers' garbage goes too. Calls within the
// delay make one, which logs the last call's document and reason;
// shutdown does not wait for the delay.
func (p *publisher) freeOSMemoryLater(u uri.URI, after string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.freeURI, p.freeAfter = u, after
	if p.stopped || p.freeing {
		return
	}
	p.freeing = true
	p.running.Add(1)
	go func() {
		defer p.running.Done()
		select {
		case <-time.After(freeDelay):
		case <-p.s.ctx.Done():
			return
		}
		p.mu.Lock()
		p.freeing = false
		u, after := p.freeURI, p.freeAfter
		p.mu.Unlock()
		p.freeOSMemory(u, after)
	}()
}

// freeDelay is how long freeOSMemoryLater waits.
const freeDelay = 300 * time.Millisecond

// run analyses d and publishes the result if d is still current and the
// diagnostics changed.
func (p *publisher) run(d *Document, fd *fileDiags) {
	p.mu.Lock()
	if p.stopped {
		p.mu.Unlock()
		return
	}
	p.running.Add(1)
	p.mu.Unlock()
	defer p.running.Done()
	defer func() {
		if r := recover(); r != nil {
			logPanic(p.s.log, "publishing diagnostics", r, zap.String("uri", string(d.URI)))
		}
	}()
	st := p.s.store
	if !st.isCurrent(d) {
		return
	}
	start := time.Now()
	snap := d.Snapshot()
	if d.ctx.Err() != nil {
		return // a newer version, a close or shutdown overtook the analysis
	}
	diags := p.s.toProtocolDiagnostics(d, snap.Diagnostics)

	// Analysing a large document from scratch leaves garbage of about
	// twice its live size, which the runtime would hand back to the system
	// only over minutes; editing it later leaves far less. It is returned
	// once the lock below is let go, while shutdown still waits for run.
	release := false
	defer func() {
		if release {
			p.freeOSMemory(d.URI, "analysis")
		}
	}()
	fd.pubMu.Lock()
	defer fd.pubMu.Unlock()
	if fd.closed || !st.isCurrent(d) {
		return
	}
	if fd.verify != nil && fd.verifyVersion != d.Version {
		fd.verify = nil // bpftrace checked an older text: cleared on change
	}
	diags = append(diags, p.s.toProtocolDiagnostics(d, fd.verify)...)
	h := hashDiagnostics(diags)
	if fd.published && fd.hash == h {
		return
	}
	p.s.notify("textDocument/publishDiagnostics", func(ctx context.Context) error {
		return p.s.client.PublishDiagnostics(ctx, &protocol.PublishDiagnosticsParams{
			URI: d.URI, Version: protocol.NewOptional(d.Version), Diagnostics: diags,
		})
	})
	release = !fd.published && d.Text.Len() >= releaseSize
	fd.published, fd.hash = true, h
	p.s.log.Debug("published diagnostics", zap.String("uri", string(d.URI)), zap.Int32("version", d.Version),
		zap.Int("count", len(diags)), zap.Duration("took", time.Since(start)))
}

// setVerify records bpftrace's diagnostics for version of u and publishes
// them merged with the analysis' own. It reports false, dropping them, when
// u is closed or has moved past version.
func (p *publisher) setVerify(u uri.URI, version int32, ds []analysis.Diagnostic) bool {
	d, err := p.s.store.get(u)
	if err != nil || d.Version != version {
		return false
	}
	p.mu.Lock()
	fd := p.files[u]
	stopped := p.stopped
	p.mu.Unlock()
	if fd == nil || stopped {
		return false
	}
	fd.pubMu.Lock()
	fd.verify, fd.verifyVersion = append([]analysis.Diagnostic{}, ds...), version
	fd.pubMu.Unlock()
	p.run(d, fd)
	return true
}

// clear forgets a closed document and publishes an empty list for it.
func (p *publisher) clear(u uri.URI) {
	p.mu.Lock()
	fd := p.files[u]
	delete(p.files, u)
	if fd != nil && fd.timer != nil {
		fd.timer.Stop()
	}
	p.mu.Unlock()
	if fd != nil {
		fd.pubMu.Lock()
		defer fd.pubMu.Unlock()
		fd.closed = true
	}
	p.s.notify("textDocument/publishDiagnostics", func(ctx context.Context) error {
		return p.s.client.PublishDiagnostics(ctx, &protocol.PublishDiagnosticsParams{URI: u, Diagnostics: []protocol.Diagnostic{}})
	})
}

// stop cancels every pending analysis; used at shutdown. Runs already
// under way finish on their own (their documents' contexts are cancelled).
func (p *publisher) stop() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.stopped = true
	for _, fd := range p.files {
		if fd.timer != nil {
			fd.timer.Stop()
		}
	}
}

// wait stops the publisher and waits for runs under way to end, so that no
// goroutine outlives Serve.
func (p *publisher) wait() {
	p.stop()
	p.running.Wait()
}

// hashDiagnostics fingerprints a list as it would go on the wire.
func hashDiagnostics(diags []protocol.Diagnostic) [sha256.Size]byte {
	b, err := protocol.Marshal(diags)
	if err != nil {
		return [sha256.Size]byte{} // never equal to a real list's hash, so it publishes
	}
	return sha256.Sum256(b)
}

// severities maps analysis severities to protocol ones.
var severities = map[analysis.Severity]protocol.DiagnosticSeverity{
	analysis.SeverityError:   protocol.DiagnosticSeverityError,
	analysis.SeverityWarning: protocol.DiagnosticSeverityWarning,
	analysis.SeverityInfo:    protocol.DiagnosticSeverityInformation,
	analysis.SeverityHint:    protocol.DiagnosticSeverityHint,
}

// toProtocolDiagnostics converts diagnostics of d. It never returns nil, so
// an empty list goes out as [] rather than null.
func (s *Server) toProtocolDiagnostics(d *Document, ds []analysis.Diagnostic) []protocol.Diagnostic {
	out := make([]protocol.Diagnostic, 0, len(ds))
	for _, ad := range ds {
		pd := protocol.Diagnostic{
			Range:    s.spanRange(d, ad.Span),
			Severity: severities[ad.Severity],
			Message:  protocol.String(ad.Message),
		}
		if ad.Code != "" {
			pd.Code = protocol.String(ad.Code)
		}
		if ad.Source != "" {
			pd.Source = protocol.NewOptional(ad.Source)
		}
		for _, r := range ad.Related {
			pd.RelatedInformation = append(pd.RelatedInformation, protocol.DiagnosticRelatedInformation{
				Location: protocol.Location{URI: d.URI, Range: s.spanRange(d, r.Span)},
				Message:  r.Message,
			})
		}
		out = append(out, pd)
	}
	return out
}

// spanRange converts a span the analysis produced. A span outside the text
// is an analysis bug: it is logged and clamped rather than dropped, so the
// user still sees the message.
func (s *Server) spanRange(d *Document, sp syntax.Span) protocol.Range {
	n := syntax.Pos(d.Text.Len())
	c := syntax.Span{Start: min(max(sp.Start, 0), n), End: min(max(sp.End, 0), n)}
	c.End = max(c.End, c.Start)
	if c != sp {
		s.log.Error("analysis produced a span outside the document", zap.String("uri", string(d.URI)),
			zap.Int32("start", int32(sp.Start)), zap.Int32("end", int32(sp.End)), zap.Int("size", d.Text.Len()))
	}
	r, err := d.Mapper.SpanRange(c)
	if err != nil { // cannot happen for a clamped span
		s.log.Error("converting a span", zap.Error(err))
	}
	return r
}
