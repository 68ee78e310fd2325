package ide

import (
	"context"
	"reflect"
	"testing"

	"github.com/bpfls/bpfls/analysis"
	"github.com/bpfls/bpfls/analysis/benchtest"
	"github.com/bpfls/bpfls/analysis/syntax"
)

// TestFileCacheCompacts cuts half of a script and pastes it back, again
// and again, so that every pasted item is new, and requires the cache to
// keep about one document's worth of items and of bytes in its chunks,
// and its answers to stay right through the compactions.
func TestFileCacheCompacts(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	src, _ := benchtest.TypingScript(2000)
	f := syntax.Parse("c.bt", []byte(src), syntax.NewestDialect())
	var c FileCache
	compactions := 0
	for range 40 {
		half := f.ItemExtent(f.NumItems() / 2).Start
		tail := append([]byte(nil), f.Slice(half, syntax.Pos(f.Len()))...)
		f = syntax.Reparse(f, syntax.Edit{Span: syntax.Span{Start: half, End: syntax.Pos(f.Len())}})
		f = syntax.Reparse(f, syntax.Edit{Span: syntax.Span{Start: half, End: half}, NewText: tail})
		carved := c.carved
		snap := &analysis.Snapshot{File: f}
		if got, want := c.SemanticTokens(ctx, snap), SemanticTokens(ctx, snap); !reflect.DeepEqual(got, want) {
			t.Fatal("tokens differ from the whole file's")
		}
		if c.carved < carved {
			compactions++
		}
		live := 0
		for _, d := range c.items {
			live += len(d)
		}
		if n := f.NumItems(); len(c.items) > n+n/4+16 || c.carved > 2*live+64<<10+live/2 {
			t.Fatalf("the cache holds %d items (the file %d) and %d bytes in chunks for %d live", len(c.items), n, c.carved, live)
		}
	}
	if compactions == 0 {
		t.Error("the chunks were never compacted")
	}
}
