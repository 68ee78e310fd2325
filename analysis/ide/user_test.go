package ide

import (
	"context"
	"strings"
	"testing"

	"go.uber.org/zap/zaptest"

	"github.com/bpfls/bpfls/analysis"
	"github.com/bpfls/bpfls/analysis/syntax"
	"github.com/bpfls/bpfls/btfindex/userbin"
	"github.com/bpfls/bpfls/btfindex/userbin/usertest"
)

// TestUserCompletionAndHover completes and hovers uprobe and usdt attach
// points over programs the test builds.
func TestUserCompletionAndHover(t *testing.T) {
	bins := usertest.Build(t, "")
	ctx := context.Background()
	cache := userbin.NewCache(ctx, zaptest.NewLogger(t), userbin.Options{})
	defer cache.Close()
	user := userbin.Waiting{Cache: cache, Ctx: ctx}
	snap := func(src string) *analysis.Snapshot {
		f := syntax.Parse("t.bt", []byte(src), syntax.NewestDialect())
		return analysis.Analyze(ctx, f, analysis.Config{Dialect: f.Dialect, User: user})
	}
	complete := func(src string) map[string]string {
		s := snap(src + " {}")
		got := map[string]string{}
		for _, it := range Completion(ctx, s, syntax.Pos(len(src))).Items {
			got[it.Label] = it.Detail
		}
		return got
	}
	for _, tc := range []struct{ name, src, label, detail string }{
		{"function with prototype", "uprobe:" + bins.Debug + ":add_", "add_points", "int add_points(struct point *a, struct point *b)"},
		{"uretprobe", "uretprobe:" + bins.NoDebug + ":scale", "scale_shape", "double scale_shape(shape_t *s, double factor, int times)"},
		{"path", "uprobe:" + bins.Dir + "/shapes-s", bins.Dir + "/shapes-stripped", ""},
		{"library", "uprobe:libc", "libc", "library (ld.so.cache)"},
		{"program", "uprobe:bas", "bash", "program (PATH)"},
		{"usdt provider:probe", "usdt:" + bins.USDT + ":", "myapp:request", "arg0 int32, arg1 int64"},
		{"usdt probe of a provider", "usdt:" + bins.USDT + ":other:", "tick", "arg0 int64"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := complete(tc.src)
			detail, ok := got[tc.label]
			if !ok || detail != tc.detail {
				t.Errorf("completing %q: %q has detail %q (present %v), want %q; all: %v", tc.src, tc.label, detail, ok, tc.detail, got)
			}
		})
	}

	src := "uprobe:" + bins.NoDebug + ":scale_shape { }"
	h, ok := Hover(ctx, snap(src), syntax.Pos(strings.Index(src, "scale_shape")+2))
	if !ok || !strings.Contains(h.Markdown, "double scale_shape(shape_t *s, double factor, int times)") ||
		!strings.Contains(h.Markdown, "debug info: `"+bins.DebugFile+"`") || !strings.Contains(h.Markdown, "build-id `") {
		t.Errorf("hover on a function: %v %q", ok, h.Markdown)
	}
	src = "usdt:" + bins.USDT + ":myapp:request { }"
	h, ok = Hover(ctx, snap(src), syntax.Pos(strings.Index(src, "request")+1))
	if !ok || !strings.Contains(h.Markdown, "USDT probe **myapp:request**: arg0 int32, arg1 int64 (2 sites)") {
		t.Errorf("hover on a USDT probe: %v %q", ok, h.Markdown)
	}
	src = "uprobe:" + bins.Stripped + ":main { }"
	h, ok = Hover(ctx, snap(src), syntax.Pos(len("uprobe:")+2))
	if !ok || !strings.Contains(h.Markdown, "debug info: none found") {
		t.Errorf("hover on a binary without debug info: %v %q", ok, h.Markdown)
	}
}
