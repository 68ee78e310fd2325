// This file implements document synchronisation: didOpen, didChange and
// didClose. They run inline on the read loop, so they only update the store
// and schedule analysis; parsing and checking happen on first use, off the
// read loop.

package lsp

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"
	"go.uber.org/zap"

	"github.com/bpfls/bpfls/analysis"
	"github.com/bpfls/bpfls/analysis/rope"
	"github.com/bpfls/bpfls/analysis/syntax"
)

// maxReparseEdits bounds how many edits a document accumulates on top of its
// last parsed version; past it a full parse is cheaper than replaying them.
const maxReparseEdits = 64

// DidOpen handles textDocument/didOpen.
func (s *Server) DidOpen(ctx context.Context, params *protocol.DidOpenTextDocumentParams) error {
	item := params.TextDocument
	// The decoded URI shares memory with the whole message, text and all:
	// kept as the store's key, it would keep a second copy of the text.
	u := uri.URI(strings.Clone(string(item.URI)))
	d := s.store.open(u, item.Version, rope.FromString(item.Text))
	s.log.Debug("opened", zap.String("uri", string(item.URI)), zap.Int32("version", item.Version), zap.Int("bytes", d.Text.Len()))
	s.diags.schedule(d)
	return nil
}

// DidChange handles textDocument/didChange. Changes are applied in order,
// each to the text the previous one produced; a version that does not
// increase is a client bug and is ignored.
func (s *Server) DidChange(ctx context.Context, params *protocol.DidChangeTextDocumentParams) error {
	u, version := params.TextDocument.URI, params.TextDocument.Version
	d, err := s.store.update(u, func(old *Document) (*Document, error) {
		if version <= old.Version {
			s.log.Warn("ignoring a change whose version does not increase",
				zap.String("uri", string(u)), zap.Int32("have", old.Version), zap.Int32("got", version))
			return nil, nil
		}
		return s.applyChanges(old, version, params.ContentChanges)
	})
	if err != nil {
		return fmt.Errorf("applying changes to %s version %d: %w", u, version, err)
	}
	if d != nil {
		s.diags.schedule(d)
	}
	return nil
}

// DidClose handles textDocument/didClose: the document is forgotten and its
// diagnostics cleared.
func (s *Server) DidClose(ctx context.Context, params *protocol.DidCloseTextDocumentParams) error {
	u := params.TextDocument.URI
	d, ok := s.store.close(u)
	if !ok {
		s.log.Warn("closing a document that is not open", zap.String("uri", string(u)))
	}
	s.diags.clear(u)
	if ok && d.Text.Len() >= releaseSize {
		s.diags.freeOSMemoryLater(u, "close") // a large document's memory goes back to the system
	}
	return nil
}

// applyChanges returns the Document that changes make of old. It runs under
// the store's lock.
func (s *Server) applyChanges(old *Document, version int32, changes []protocol.TextDocumentContentChangeEvent) (*Document, error) {
	text, m := old.Text, old.Mapper
	var pending []byteEdit
	for i, change := range changes {
		switch c := change.(type) {
		case *protocol.TextDocumentContentChangeWholeDocument:
			// A client syncing whole documents still types one character
			// at a time: the change is turned into the edit it makes, so
			// the tree and the analysis are derived from the last ones.
			span, ins := diffEdit(text, c.Text)
			text = text.Edit(int(span.Start), int(span.End), []byte(ins))
			m = m.Edit(span, ins, text)
			pending = append(pending, byteEdit{Span: span, NewText: ins})
		case *protocol.TextDocumentContentChangePartial:
			span, err := s.changeSpan(m, old, c.Range)
			if err != nil {
				return nil, err
			}
			text = text.Edit(int(span.Start), int(span.End), []byte(c.Text)) // copies only the chunks it touches
			m = m.Edit(span, c.Text, text)                                   // the line table follows the edit; no rescan
			pending = append(pending, byteEdit{Span: span, NewText: c.Text})
		default:
			return nil, fmt.Errorf("change %d has no text", i)
		}
	}
	d := s.store.derive(old, version, text, m)
	d.prevSnap = previousAnalysis(old)
	if text.Len() <= analysis.MaxSourceSize { // a document over the limit is never parsed: nothing to derive, nor to derive from
		d.reparse = chainReparse(old, pending)
	}
	s.log.Debug("changed", zap.String("uri", string(old.URI)), zap.Int32("version", version), zap.Int("changes", len(changes)))
	return d, nil
}

// changeSpan converts an edit's range. A position past the last line is a
// client bug that would otherwise stop all editing of the document, so it is
// clamped to the end of the text and logged; an inverted range is rejected.
func (s *Server) changeSpan(m *Mapper, d *Document, r protocol.Range) (syntax.Span, error) {
	clamp := func(p protocol.Position) syntax.Pos {
		off, err := m.PositionOffset(p)
		if err == nil {
			return off
		}
		s.log.Warn("clamping an edit position past the end of the document",
			zap.String("uri", string(d.URI)), zap.Uint32("line", p.Line), zap.Uint32("character", p.Character))
		return syntax.Pos(m.text.Len())
	}
	start, end := clamp(r.Start), clamp(r.End)
	if end < start {
		return syntax.Span{}, fmt.Errorf("range %d:%d-%d:%d: %w", r.Start.Line, r.Start.Character, r.End.Line, r.End.Character, ErrInvertedRange)
	}
	return syntax.Span{Start: start, End: end}, nil
}

// diffEdit returns the one edit that makes b of a: the span of a between
// their common prefix and suffix, and the text b has there. It reads a
// chunk by chunk: b is the whole new text anyway.
func diffEdit(a *rope.Text, b string) (syntax.Span, string) {
	n := a.Len()
	p := 0
	for p < n && p < len(b) {
		c, base := a.ChunkAt(p)
		c = c[p-base:]
		k := commonPrefix(c, b[p:])
		p += k
		if k < len(c) {
			break
		}
	}
	s := 0
	for s < n-p && s < len(b)-p {
		c, base := a.ChunkAt(n - 1 - s)
		c = c[max(p-base, 0) : n-s-base] // a's bytes from p at most to n-1-s
		k := commonSuffix(c, b[p:len(b)-s])
		s += k
		if k < len(c) {
			break
		}
	}
	return syntax.Span{Start: syntax.Pos(p), End: syntax.Pos(n - s)}, b[p : len(b)-s]
}

// diffBlock is how many bytes commonPrefix and commonSuffix compare at
// once: a block compare is many times faster than a loop over its bytes.
const diffBlock = 256

// commonPrefix returns how many leading bytes a and b share.
func commonPrefix(a []byte, b string) int {
	n := min(len(a), len(b))
	i := 0
	for i+diffBlock <= n && string(a[i:i+diffBlock]) == b[i:i+diffBlock] {
		i += diffBlock
	}
	for i < n && a[i] == b[i] {
		i++
	}
	return i
}

// commonSuffix returns how many trailing bytes a and b share.
func commonSuffix(a []byte, b string) int {
	n := min(len(a), len(b))
	i := 0
	for i+diffBlock <= n && string(a[len(a)-i-diffBlock:len(a)-i]) == b[len(b)-i-diffBlock:len(b)-i] {
		i += diffBlock
	}
	for i < n && a[len(a)-1-i] == b[len(b)-1-i] {
		i++
	}
	return i
}

// byteEdit is one applied change, in the offsets of the text it applied to.
type byteEdit struct {
	Span    syntax.Span
	NewText string
}

// reparse says how to derive a Document's tree from an older version's:
// take base's tree and re-parse only the items each edit touches.
type reparse struct {
	base  *Document
	edits []byteEdit
}

// chainReparse returns how the version after old derives its tree, or nil
// when a full parse is the better choice.
func chainReparse(old *Document, edits []byteEdit) *reparse {
	old.mu.Lock()
	defer old.mu.Unlock()
	switch {
	case old.broken:
		return nil
	case old.file != nil:
		return &reparse{base: old, edits: edits}
	case old.reparse != nil && len(old.reparse.edits)+len(edits) <= maxReparseEdits:
		return &reparse{base: old.reparse.base, edits: append(slices.Clip(old.reparse.edits), edits...)}
	}
	return nil
}

// apply returns the re-parsed tree of text: base's tree with each edit
// re-parsed in turn by syntax.Reparse, which re-parses only the items an
// edit touches. The last edit's result is text itself, which the document
// already holds, so the tree keeps it (ReparseText).
func (r *reparse) apply(text *rope.Text) *syntax.File {
	f := r.base.File()
	for i, e := range r.edits {
		edit := syntax.Edit{Span: e.Span, NewText: []byte(e.NewText)}
		if i == len(r.edits)-1 {
			return syntax.ReparseText(f, edit, text)
		}
		f = syntax.Reparse(f, edit)
	}
	return f
}

// previousAnalysis returns the newest complete analysis of old or of a
// version before it, so that the next version re-checks only the probes its
// edits touched. A run cut short by a newer edit is never reused.
func previousAnalysis(old *Document) *analysis.Snapshot {
	old.mu.Lock()
	defer old.mu.Unlock()
	if old.snapshot != nil {
		if old.snapOK {
			return old.snapshot
		}
		return nil
	}
	return old.prevSnap
}
