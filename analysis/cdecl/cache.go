package cdecl

// This file implements a small memo of Read results: an editor re-checks
// the script on every keystroke, and reading headers costs milliseconds to
// tens of milliseconds, while the C part rarely changes.

import (
	"context"
	"strings"
	"sync"

	"github.com/bpfls/bpfls/analysis/syntax"
)

// cacheSize bounds the memo; open documents rarely exceed it.
const cacheSize = 32

// Cache remembers recent [ReadParts] results by the C part's text and
// layout and the options: headers are not re-read while a script's C part
// is unchanged, wherever edits elsewhere move it. It is safe for
// concurrent use; the zero value is ready.
type Cache struct {
	mu sync.Mutex
	m  map[string]*cacheEntry
}

// cacheEntry is a result with positions relative to its layout, and the
// last copy placed in a script.
type cacheEntry struct {
	rel    *Decls
	base   syntax.Pos
	line0  int
	placed *Decls
}

// Read is [ReadParts] through the cache. A nil Cache reads every time.
// The result is shared: callers must not modify it.
func (c *Cache) Read(ctx context.Context, parts []Part, opts Options) *Decls {
	if c == nil {
		return ReadParts(ctx, parts, opts)
	}
	l := layOut(parts)
	key := cacheKey(l, opts)
	c.mu.Lock()
	e, ok := c.m[key]
	var placed *Decls
	if ok {
		if e.base != l.base || e.line0 != l.line0 {
			e.base, e.line0, e.placed = l.base, l.line0, l.place(e.rel)
		}
		placed = e.placed
	}
	c.mu.Unlock()
	if ok {
		return placed
	}
	d := readLaid(ctx, l, opts)
	if ctx.Err() != nil {
		return l.place(d) // possibly partial: not remembered
	}
	e = &cacheEntry{rel: d, base: l.base, line0: l.line0, placed: l.place(d)}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil || len(c.m) >= cacheSize {
		c.m = map[string]*cacheEntry{}
	}
	c.m[key] = e
	return e.placed
}

// cacheKey is the laid-out C part (positions matter: problems carry spans
// and constants lines, relative to the layout) and the options.
func cacheKey(l *layout, opts Options) string {
	var b strings.Builder
	b.Write(l.key())
	b.WriteString("\x00" + opts.Path + "\x00" + strings.Join(opts.IncludeDirs, "\x00") + "\x00")
	b.WriteString(strings.Join(opts.SysDirs, "\x00"))
	if opts.SysDirs == nil {
		b.WriteString("\x00default")
	}
	b.WriteString("\x00" + opts.Kernel.Src + "\x00" + opts.Kernel.Obj)
	if opts.HaveBTF {
		b.WriteString("\x00btf")
	}
	return b.String()
}
