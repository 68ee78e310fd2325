package userbin

// This file implements the per-binary cache: lookups that never read a
// file on the caller's goroutine, and background reads of symbols, then
// debug info.

import (
	"context"
	"errors"
	"os"
	"sort"
	"strings"
	"sync"
	"time"

	"go.uber.org/zap"
)

// maxNames bounds the resolutions a cache remembers.
const maxNames = 4096

// Options configure a [Cache].
type Options struct {
	Resolver  *Resolver // nil: a zero Resolver (PATH, ld.so.cache)
	Limits    Limits    // zero: DefaultLimits
	DebugDirs []string  // nil: DebugDirs()
	// OnUpdate is called, from a background goroutine, when a binary's
	// symbols or debug info have been read or have failed to read.
	OnUpdate func(path string)
	// Recheck is how long a resolution and a file's size and mtime are
	// trusted before they are looked at again; zero means 2 s.
	Recheck time.Duration
}

// State is how far a binary has been read.
type State int

// The states of an [Entry], in order.
const (
	Reading  State = iota // symbols being read in the background
	Symbols               // symbols, probes and build-id known; debug info being read
	Complete              // debug info read, or known to be absent
	Failed                // the binary is missing, not a regular file or not ELF: see Err
)

// Entry is what the cache knows of one binary name right now.
type Entry struct {
	Resolution
	State  State
	Err    error   // set when State is Failed
	Binary *Binary // set from State Symbols on
}

// Cache holds one [Binary] per file, keyed by path, size, mtime and
// build-id, and reads them in the background. It is safe for concurrent
// use.
type Cache struct {
	ctx  context.Context
	log  *zap.Logger
	opts Options
	sem  chan struct{} // bounds concurrent reads

	mu      sync.Mutex
	names   map[string]*resolved
	files   map[string]*fileEntry
	reads   int    // reads started, for tests and benchmarks
	gen     uint64 // bumped by every published read
	pending sync.WaitGroup
}

type resolved struct {
	res     Resolution
	err     error
	checked time.Time
}

type fileEntry struct {
	size    int64
	mod     time.Time
	checked time.Time
	state   State
	err     error
	bin     *Binary
}

// NewCache returns a cache whose background reads end when ctx does.
func NewCache(ctx context.Context, logger *zap.Logger, opts Options) *Cache {
	if opts.Resolver == nil {
		opts.Resolver = &Resolver{}
	}
	if opts.Limits == (Limits{}) {
		opts.Limits = DefaultLimits()
	}
	if opts.Recheck == 0 {
		opts.Recheck = 2 * time.Second
	}
	return &Cache{ctx: ctx, log: logger.Named("userbin"), opts: opts, sem: make(chan struct{}, 2),
		names: map[string]*resolved{}, files: map[string]*fileEntry{}}
}

// Lookup returns what is known of the binary an attach point names and
// starts reading it if needed. It never reads the file itself: a new or
// changed binary comes back in State Reading.
func (c *Cache) Lookup(name string) Entry {
	now := time.Now()
	c.mu.Lock()
	r := c.names[name]
	c.mu.Unlock()
	if r == nil || now.Sub(r.checked) > c.opts.Recheck {
		res, err := c.opts.Resolver.Resolve(name)
		r = &resolved{res: res, err: err, checked: now}
		c.mu.Lock()
		if len(c.names) >= maxNames { // names typed one letter at a time
			clear(c.names)
		}
		c.names[name] = r
		c.mu.Unlock()
	}
	if r.err != nil {
		return Entry{State: Failed, Err: r.err}
	}
	return c.file(r.res, now)
}

// file returns the entry of a resolved path, starting a read when the file
// is new or its size or mtime changed.
func (c *Cache) file(res Resolution, now time.Time) Entry {
	c.mu.Lock()
	defer c.mu.Unlock()
	fe := c.files[res.Path]
	if fe != nil && now.Sub(fe.checked) <= c.opts.Recheck {
		return Entry{Resolution: res, State: fe.state, Err: fe.err, Binary: fe.bin}
	}
	fi, err := os.Stat(res.Path)
	if err != nil {
		return Entry{Resolution: res, State: Failed, Err: ErrNotFound}
	}
	if fe != nil && fe.size == fi.Size() && fe.mod.Equal(fi.ModTime()) {
		fe.checked = now
		return Entry{Resolution: res, State: fe.state, Err: fe.err, Binary: fe.bin}
	}
	var old *Binary
	if fe != nil {
		old = fe.bin
	}
	fe = &fileEntry{size: fi.Size(), mod: fi.ModTime(), checked: now, state: Reading}
	c.files[res.Path] = fe
	c.reads++
	c.pending.Add(1)
	go c.read(res.Path, fe, old)
	return Entry{Resolution: res, State: Reading}
}

// read reads one file in the background: symbols first (published at
// once), then the debug info. A re-read whose build-id is unchanged keeps
// the debug info already loaded.
func (c *Cache) read(path string, fe *fileEntry, old *Binary) {
	defer c.pending.Done()
	select {
	case c.sem <- struct{}{}:
		defer func() { <-c.sem }()
	case <-c.ctx.Done():
		c.publish(path, fe, Failed, c.ctx.Err(), nil)
		return
	}
	start := time.Now()
	b, err := Read(path, c.opts.Limits)
	if err != nil {
		c.log.Debug("reading binary", zap.String("path", path), zap.Error(err))
		c.publish(path, fe, Failed, err, nil)
		return
	}
	if old != nil && old.BuildID != "" && old.BuildID == b.BuildID && old.DebugLoaded() {
		c.publish(path, fe, Complete, nil, old)
		return
	}
	c.publish(path, fe, Symbols, nil, b)
	c.log.Debug("read symbols", zap.String("path", path), zap.Int("funcs", len(b.Funcs)),
		zap.Int("probes", len(b.Probes)), zap.Duration("took", time.Since(start)))
	err = b.LoadDebug(c.ctx, c.opts.Limits, c.opts.DebugDirs)
	if err != nil && !errors.Is(err, ErrNoDebugInfo) {
		c.log.Warn("reading debug info", zap.String("path", path), zap.Error(err))
	}
	c.publish(path, fe, Complete, nil, b)
}

// publish records a read's progress and tells the caller.
func (c *Cache) publish(path string, fe *fileEntry, st State, err error, b *Binary) {
	c.mu.Lock()
	fe.state, fe.err, fe.bin = st, err, b
	c.gen++
	c.mu.Unlock()
	if c.opts.OnUpdate != nil {
		c.opts.OnUpdate(path)
	}
}

// Wait returns the entry of name once it is Complete or Failed, or when
// ctx ends. It is for batch use (bpfls check, tests), never for an editor
// request.
func (c *Cache) Wait(ctx context.Context, name string) Entry {
	for {
		e := c.Lookup(name)
		if e.State == Complete || e.State == Failed {
			return e
		}
		select {
		case <-ctx.Done():
			return e
		case <-time.After(5 * time.Millisecond):
		}
	}
}

// Generation changes whenever a read has finished a step, so a caller
// caching results derived from lookups knows they may have changed.
func (c *Cache) Generation() uint64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.gen
}

// Libraries lists the names ld.so.cache resolves, as an attach point
// spells them: "libc" for libc.so.6, sorted and unique.
func (c *Cache) Libraries() []string {
	seen := map[string]bool{}
	var out []string
	for _, e := range c.opts.Resolver.Libraries() {
		name, _, ok := strings.Cut(e.Name, ".so")
		if ok && name != "" && !seen[name] {
			seen[name] = true
			out = append(out, name)
		}
	}
	sort.Strings(out)
	return out
}

// Programs lists the executables on the resolver's PATH starting with
// prefix.
func (c *Cache) Programs(prefix string) []string { return c.opts.Resolver.Programs(prefix) }

// Reads counts the background reads started so far.
func (c *Cache) Reads() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.reads
}

// Close waits for the background reads to end (they stop early when the
// cache's context is cancelled).
func (c *Cache) Close() { c.pending.Wait() }

// Waiting answers each lookup once the binary is read: for batch checks
// (bpfls check, tests), never for an editor.
type Waiting struct {
	Cache *Cache
	Ctx   context.Context
}

// Lookup waits for name's entry to be Complete or Failed.
func (w Waiting) Lookup(name string) Entry { return w.Cache.Wait(w.Ctx, name) }

// Generation is the cache's.
func (w Waiting) Generation() uint64 { return w.Cache.Generation() }

// Libraries is the cache's.
func (w Waiting) Libraries() []string { return w.Cache.Libraries() }

// Programs is the cache's.
func (w Waiting) Programs(prefix string) []string { return w.Cache.Programs(prefix) }
