// This file implements the document store: the open documents, one immutable
// Document per version, behind a single mutex.

package lsp

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/uri"
	"go.uber.org/zap"

	"github.com/bpfls/bpfls/analysis"
	"github.com/bpfls/bpfls/analysis/ide"
	"github.com/bpfls/bpfls/analysis/rope"
	"github.com/bpfls/bpfls/analysis/syntax"
)

// ErrUnknownDocument means a request named a document that is not open.
var ErrUnknownDocument = errors.New("lsp: document is not open")

// errInvalidParams gives client mistakes the InvalidParams code on the wire.
var errInvalidParams = jsonrpc2.NewError(jsonrpc2.InvalidParams, "invalid params")

// Document is one version of an open document. It never changes: an edit
// makes a new Document. Its syntax tree and analysis are computed on first
// use, once, and then shared by every reader without locking. Its text is
// a rope.Text: a version shares all but the edited chunks with the one
// before.
type Document struct {
	URI     uri.URI
	Version int32
	Text    *rope.Text
	Mapper  *Mapper

	cfg analysis.Config
	log *zap.Logger
	// whole answers the whole-file requests, keeping what it read of
	// each item for the versions after this one.
	whole  *ide.FileCache
	ctx    context.Context // ends when a newer version replaces this one
	cancel context.CancelFunc

	parseOnce   sync.Once
	analyzeOnce sync.Once

	// mu guards the fields below for chainReparse, which reads an older
	// version's state while deriving a newer one. Once File and Snapshot
	// have run, their results are read without it.
	mu       sync.Mutex
	reparse  *reparse           // how to derive the tree from an older version; nil: parse Text
	file     *syntax.File       // set once, by File
	broken   bool               // file is a stand-in after a parser panic: never re-parse from it
	prevSnap *analysis.Snapshot // an older version's complete analysis, for Reanalyze
	snapshot *analysis.Snapshot // set once, by Snapshot
	snapOK   bool               // snapshot ran to completion (was not cancelled)
}

func newDocument(parent context.Context, log *zap.Logger, u uri.URI, version int32, text *rope.Text, cfg analysis.Config, enc Encoding) *Document {
	d := &Document{URI: u, Version: version, Text: text, Mapper: NewTextMapper(text, enc), cfg: cfg, log: log, whole: new(ide.FileCache)}
	d.ctx, d.cancel = context.WithCancel(parent)
	return d
}

// File returns the document's syntax tree, parsing it on first use. It never
// returns nil.
func (d *Document) File() *syntax.File {
	d.parseOnce.Do(func() {
		d.mu.Lock()
		r := d.reparse
		d.mu.Unlock()
		var f *syntax.File
		tooLarge := d.tooLarge() // not parsed: see Snapshot
		if r != nil && !tooLarge {
			f = d.guard("re-parsing", func() *syntax.File { return r.apply(d.Text) })
		}
		// A re-parse ends with the document's own text (reparse.apply);
		// anything else means the edits did not make this version.
		if !tooLarge && (f == nil || f.Text() != d.Text) {
			f = d.guard("parsing", d.parse)
		}
		broken := f == nil
		if broken { // too large, or a parser bug: carry on with an empty tree rather than crash
			f = syntax.Unparsed(fileName(d.URI), d.Text, d.cfg.Dialect)
		}
		d.Mapper.useLines(f.Lines)
		d.mu.Lock()
		d.file, d.reparse, d.broken = f, nil, broken // let the older versions go
		d.mu.Unlock()
	})
	return d.file
}

// parse parses the document's text. A large one's items go to the cache
// of the whole-file requests as they are parsed: editors ask for the
// outline, the folds and the tokens right after the open, and reading
// every item then would parse again each probe the runtime collected.
func (d *Document) parse() *syntax.File {
	if d.Text.Len() < releaseSize {
		return syntax.ParseText(fileName(d.URI), d.Text, d.cfg.Dialect)
	}
	defer d.largeRun()()
	return syntax.ParseTextEach(fileName(d.URI), d.Text, d.cfg.Dialect, d.whole.Add)
}

// Snapshot returns the analysed document, analysing it on first use. The
// analysis stops early when a newer version replaces this one.
func (d *Document) Snapshot() *analysis.Snapshot {
	d.analyzeOnce.Do(func() {
		f := d.File()
		d.mu.Lock()
		prev := d.prevSnap
		d.mu.Unlock()
		snap := d.guardSnapshot(func() *analysis.Snapshot {
			if d.tooLarge() {
				return analysis.TooLargeSnapshot(f, d.cfg)
			}
			if prev != nil {
				return analysis.Reanalyze(d.ctx, prev, f) // reuses the probes the edits did not touch
			}
			// Recorded for the edits to come, so the first keystroke is incremental too.
			defer d.largeRun()()
			return analysis.Reanalyze(d.ctx, &analysis.Snapshot{Config: d.cfg}, f)
		})
		ok := snap != nil && d.ctx.Err() == nil && !d.tooLarge() // only a real analysis is reused
		if snap == nil {                                         // an analysis bug: report syntax errors only
			snap = analysis.NewSyntaxSnapshot(f, d.cfg)
		}
		d.mu.Lock()
		d.snapshot, d.snapOK, d.prevSnap = snap, ok, nil
		d.mu.Unlock()
	})
	return d.snapshot
}

// tooLarge reports whether the document is over analysis.MaxSourceSize.
func (d *Document) tooLarge() bool { return d.Text.Len() > analysis.MaxSourceSize }

// guard runs parse and returns nil, logging the stack, if it panics.
func (d *Document) guard(what string, parse func() *syntax.File) (f *syntax.File) {
	defer func() {
		if r := recover(); r != nil {
			logPanic(d.log, what, r, zap.String("uri", string(d.URI)), zap.Int32("version", d.Version))
			f = nil
		}
	}()
	return parse()
}

// guardSnapshot runs analyze and returns nil, logging the stack, if it
// panics: one bad check must not take the server down.
func (d *Document) guardSnapshot(analyze func() *analysis.Snapshot) (snap *analysis.Snapshot) {
	defer func() {
		if r := recover(); r != nil {
			logPanic(d.log, "analysing", r, zap.String("uri", string(d.URI)), zap.Int32("version", d.Version))
			snap = nil
		}
	}()
	return analyze()
}

// syntaxSnapshot is a snapshot holding only the syntax tree, for features
// that need nothing more: they answer without waiting for the analysis.
func (d *Document) syntaxSnapshot() *analysis.Snapshot {
	return analysis.NewSyntaxSnapshot(d.File(), d.cfg)
}

// fileName is the name the syntax tree and its messages use for u.
func fileName(u uri.URI) string {
	if u.IsFile() {
		return u.FsPath()
	}
	return string(u)
}

// store holds the open documents. One mutex guards the map; Documents
// themselves need no lock.
type store struct {
	ctx context.Context
	log *zap.Logger

	mu   sync.Mutex
	docs map[uri.URI]*Document
	cfg  analysis.Config
	enc  Encoding
}

func newStore(ctx context.Context, log *zap.Logger, cfg analysis.Config) *store {
	return &store{ctx: ctx, log: log, docs: make(map[uri.URI]*Document), cfg: cfg}
}

func (st *store) setEncoding(enc Encoding) {
	st.mu.Lock()
	st.enc = enc
	st.mu.Unlock()
}

// open adds a document, replacing any earlier one with the same URI.
func (st *store) open(u uri.URI, version int32, text *rope.Text) *Document {
	st.mu.Lock()
	defer st.mu.Unlock()
	d := newDocument(st.ctx, st.log, u, version, text, st.cfg, st.enc)
	if old := st.docs[u]; old != nil {
		old.cancel()
	}
	st.docs[u] = d
	return d
}

// get returns the current version of u.
func (st *store) get(u uri.URI) (*Document, error) {
	st.mu.Lock()
	d := st.docs[u]
	st.mu.Unlock()
	if d == nil {
		return nil, fmt.Errorf("%w: %s: %w", ErrUnknownDocument, u, errInvalidParams)
	}
	return d, nil
}

// isCurrent reports whether d is still the current version of its URI.
func (st *store) isCurrent(d *Document) bool {
	st.mu.Lock()
	defer st.mu.Unlock()
	return st.docs[d.URI] == d
}

// update replaces the document at u with what edit makes of it. edit runs
// under the store's lock, so a concurrent reconfigure cannot be lost.
func (st *store) update(u uri.URI, edit func(old *Document) (*Document, error)) (*Document, error) {
	st.mu.Lock()
	defer st.mu.Unlock()
	old := st.docs[u]
	if old == nil {
		return nil, fmt.Errorf("%w: %s: %w", ErrUnknownDocument, u, errInvalidParams)
	}
	d, err := edit(old)
	if err != nil || d == nil {
		return nil, err
	}
	old.cancel()
	st.docs[u] = d
	return d, nil
}

// derive makes the Document for a new version of old. It is called by
// update's edit function, with the lock held.
func (st *store) derive(old *Document, version int32, text *rope.Text, m *Mapper) *Document {
	d := newDocument(st.ctx, st.log, old.URI, version, text, st.cfg, st.enc)
	if m != nil && m.Encoding() == st.enc {
		d.Mapper = m
	}
	d.whole = old.whole
	return d
}

// close forgets u and reports whether it was open.
func (st *store) close(u uri.URI) (*Document, bool) {
	st.mu.Lock()
	defer st.mu.Unlock()
	d := st.docs[u]
	if d == nil {
		return nil, false
	}
	d.cancel()
	delete(st.docs, u)
	return d, true
}

// reconfigure makes every open document a new Document under cfg (same text
// and version, parsed afresh) and returns them.
func (st *store) reconfigure(cfg analysis.Config) []*Document {
	st.mu.Lock()
	defer st.mu.Unlock()
	st.cfg = cfg
	return st.remakeLocked()
}

// refresh makes every open document a new Document under the current
// configuration, whose facts changed (a user binary was read).
func (st *store) refresh() []*Document {
	st.mu.Lock()
	defer st.mu.Unlock()
	return st.remakeLocked()
}

// remakeLocked re-parses and re-analyses every open document; st.mu is held.
func (st *store) remakeLocked() []*Document {
	cfg := st.cfg
	docs := make([]*Document, 0, len(st.docs))
	for u, old := range st.docs {
		d := newDocument(st.ctx, st.log, u, old.Version, old.Text, cfg, st.enc)
		old.cancel()
		st.docs[u] = d
		docs = append(docs, d)
	}
	return docs
}

// config returns the analysis configuration new documents get.
func (st *store) config() analysis.Config {
	st.mu.Lock()
	defer st.mu.Unlock()
	return st.cfg
}
