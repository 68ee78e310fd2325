// This file implements FileCache, which answers the whole-file requests
// (the outline, the folds, the full semantic tokens) after an edit by
// reading only the items the edit re-parsed. Editors send the first two
// after nearly every change. A File holds its probes weakly (see
// syntax/itemslot.go), so reading every item parses again each probe the
// runtime collected: 180-300 ms CPU for a 2 MB script. The cache keeps each
// item's results, positions relative to the item's start (itemdata.go),
// under the item's parse (syntax.ItemID), which the item keeps wherever
// later edits move it; an answer is then those results moved to where
// each item is now, with the comments, which a File keeps, merged in.

package ide

import (
	"context"
	"sync"
	"unsafe"

	"github.com/bpfls/bpfls/analysis"
	"github.com/bpfls/bpfls/analysis/internal/chunk"
	"github.com/bpfls/bpfls/analysis/syntax"
)

// FileCache answers [DocumentSymbols], [Folds] and [SemanticTokens] for
// the versions of one document, keeping what it read of each item for the
// next version. The answers equal those functions'. Its zero value is
// ready to use, and it is safe for concurrent use.
type FileCache struct {
	mu    sync.Mutex
	items map[syntax.ItemID]itemData
	// data holds the items' results in shared chunks: built while the
	// items are parsed again, one allocation each would lie among the
	// parse's garbage and keep its pages resident. carved counts the bytes
	// taken since the chunks were last compacted.
	data   chunk.Alloc[byte]
	carved int
	read   int    // the bytes of item text read since TakeRead
	buf    []byte // Add's encoding, before keep copies it
}

// keep copies b into the cache's chunks.
func (c *FileCache) keep(b []byte) itemData {
	s := c.data.Copy(b)
	c.carved += len(s)
	return itemData(unsafe.String(&s[0], len(s))) // never written again
}

// Add keeps the results of it, the item of f that id names, unless the
// cache has them. A parse hands every item over as it goes
// (syntax.ParseTextEach), so that the first answers for a large document
// parse none of its probes again.
func (c *FileCache) Add(f *syntax.File, id syntax.ItemID, it syntax.Item) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.items == nil {
		c.items = make(map[syntax.ItemID]itemData)
	}
	if _, ok := c.items[id]; ok {
		return
	}
	c.buf = encodeItem(c.buf[:0], f, it, it.Pos())
	c.items[id] = c.keep(c.buf)
	c.read += int(it.End() - it.Pos())
}

// eachItem calls fn with each item's start and results, in order,
// reading (and so perhaps parsing) only the items the cache lacks. It
// reports false, having called fn for only some items, when ctx ends.
func (c *FileCache) eachItem(ctx context.Context, f *syntax.File, fn func(base syntax.Pos, d itemData)) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.items == nil {
		c.items = make(map[syntax.ItemID]itemData)
	}
	n := f.NumItems()
	var buf []byte
	for i := range n {
		if i%256 == 0 && ctx.Err() != nil {
			return false
		}
		id, base := f.ItemID(i), f.ItemSpan(i).Start
		d, ok := c.items[id]
		if !ok {
			buf = encodeItem(buf[:0], f, f.Item(i), base)
			d = c.keep(buf)
			c.read += int(f.ItemSpan(i).Len())
			c.items[id] = d
		}
		fn(base, d)
	}
	if len(c.items) > n+n/4+16 {
		c.sweep(f)
	}
	return true
}

// TakeRead returns how many bytes of item text the cache read or was
// handed (Add) since it was last asked, and counts anew. Reading an item
// may have parsed it again, and the first answers for a large document
// are large: after a large read, a caller may return the garbage to the
// system.
func (c *FileCache) TakeRead() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := c.read
	c.read = 0
	return n
}

// sweep drops the items f lacks, which edits replaced, and when the chunks
// hold more than twice what is left, copies that into new ones. It runs
// when a fifth of the items are stale, so that the cache holds about one
// document's worth, at an amortized cost of O(1) per item.
func (c *FileCache) sweep(f *syntax.File) {
	n := f.NumItems()
	kept := make(map[syntax.ItemID]itemData, n)
	live := 0
	for i := range n {
		id := f.ItemID(i)
		kept[id] = c.items[id]
		live += len(kept[id])
	}
	c.items = kept
	if c.carved > 2*live+64<<10 {
		c.data, c.carved = chunk.Alloc[byte]{}, 0
		for id, d := range c.items {
			c.items[id] = c.keep([]byte(d))
		}
	}
}

// DocumentSymbols is [DocumentSymbols], reading only the items that are
// new since the cache's last answer.
func (c *FileCache) DocumentSymbols(ctx context.Context, snap *analysis.Snapshot) []DocSymbol {
	f := snap.File
	var out []DocSymbol
	ok := c.eachItem(ctx, f, func(base syntax.Pos, d itemData) {
		if syms, _, _ := d.parts(f, base); syms.more() {
			out = append(out, syms.symbol())
		}
	})
	if !ok {
		return nil
	}
	return out
}

// Folds is [Folds], reading only the items that are new since the
// cache's last answer.
func (c *FileCache) Folds(ctx context.Context, snap *analysis.Snapshot) []Fold {
	f := snap.File
	var folds []Fold
	ok := c.eachItem(ctx, f, func(base syntax.Pos, d itemData) {
		for _, r, _ := d.parts(f, base); r.more(); {
			folds = append(folds, r.fold())
		}
	})
	if !ok {
		return nil
	}
	// Each item's folds are sorted and lie inside it, so they are sorted
	// already, but for broken input the answer is sorted as Folds sorts it.
	for i := 1; i < len(folds); i++ {
		if foldBefore(folds[i], folds[i-1]) {
			sortFolds(folds)
			break
		}
	}
	return mergeFolds(folds, commentFolds(snap.File))
}

// foldBefore reports whether a sorts before b.
func foldBefore(a, b Fold) bool {
	if a.Span.Start != b.Span.Start {
		return a.Span.Start < b.Span.Start
	}
	return a.Span.End > b.Span.End
}

// mergeFolds merges two sorted lists, a's first where they tie, as
// sorting them together stably would.
func mergeFolds(a, b []Fold) []Fold {
	if len(b) == 0 {
		return a
	}
	out := make([]Fold, 0, len(a)+len(b))
	for len(a) > 0 && len(b) > 0 {
		if foldBefore(b[0], a[0]) {
			out, b = append(out, b[0]), b[1:]
		} else {
			out, a = append(out, a[0]), a[1:]
		}
	}
	out = append(out, a...)
	return append(out, b...)
}

// SemanticTokens is [SemanticTokens], reading only the items that are
// new since the cache's last answer.
func (c *FileCache) SemanticTokens(ctx context.Context, snap *analysis.Snapshot) []SemToken {
	f := snap.File
	shadowed := shadowedBuiltins(f)
	var toks []SemToken
	ok := c.eachItem(ctx, f, func(base syntax.Pos, d itemData) {
		for _, _, r := d.parts(f, base); r.more(); {
			t := r.token()
			if t.Mods&semModShadowable != 0 {
				t.Mods &^= semModShadowable
				if shadowed[string(f.Slice(t.Span.Start, t.Span.End))] {
					if t.Type != SemFunction {
						continue // a name the file declares is no builtin variable
					}
					t.Mods &^= SemModDefaultLibrary
				}
			}
			toks = append(toks, t)
		}
	})
	if !ok {
		return nil
	}
	for i := 1; i < len(toks); i++ {
		if toks[i].Span.Start < toks[i-1].Span.Start { // broken input: see Folds
			sortTokens(toks)
			break
		}
	}
	return dropOverlaps(mergeComments(f, toks))
}

// shadowedBuiltins returns the names of f's fns and macros that are
// builtins' names too, which are then no builtins; nil when there are
// none, as in nearly every script.
func shadowedBuiltins(f *syntax.File) map[string]bool {
	var out map[string]bool
	for name := range declaredCallables(f) {
		if _, ok := analysis.LookupBuiltin(name); ok {
			if out == nil {
				out = map[string]bool{}
			}
			out[name] = true
		}
	}
	return out
}

// mergeComments merges the comments of f, as tokens, into the sorted
// toks, a comment first where starts tie, as SemanticTokens orders them.
func mergeComments(f *syntax.File, toks []SemToken) []SemToken {
	c := semCollector{src: f}
	for _, cm := range f.Comments() {
		c.add(cm.Span, SemComment, 0)
	}
	if len(c.toks) == 0 {
		return toks
	}
	out := make([]SemToken, 0, len(c.toks)+len(toks))
	cs := c.toks
	for len(cs) > 0 && len(toks) > 0 {
		if cs[0].Span.Start <= toks[0].Span.Start {
			out, cs = append(out, cs[0]), cs[1:]
		} else {
			out, toks = append(out, toks[0]), toks[1:]
		}
	}
	out = append(out, cs...)
	return append(out, toks...)
}
