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

// Cache remembers recent [Read] results by the C part's text and options.
// Headers are not re-read while their script's C part is unchanged. It is
// safe for concurrent use; the zero value is ready.
type Cache struct {
	mu sync.Mutex
	m  map[string]*Decls
}

// Read is [Read] through the cache. A nil Cache reads every time. The
// result is shared: callers must not modify it.
func (c *Cache) Read(ctx context.Context, src []byte, parts []syntax.Span, opts Options) *Decls {
	if c == nil {
		return Read(ctx, src, parts, opts)
	}
	key := cacheKey(src, parts, opts)
	c.mu.Lock()
	d, ok := c.m[key]
	c.mu.Unlock()
	if ok {
		return d
	}
	d = Read(ctx, src, parts, opts)
	if ctx.Err() != nil {
		return d // possibly partial: not remembered
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil || len(c.m) >= cacheSize {
		c.m = map[string]*Decls{}
	}
	c.m[key] = d
	return d
}

// cacheKey is the masked C source (positions matter: problems carry
// spans) and the options.
func cacheKey(src []byte, parts []syntax.Span, opts Options) string {
	var b strings.Builder
	b.Write(maskedSource(src, parts))
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
