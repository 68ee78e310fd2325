package analysis_test

import (
	"context"
	"testing"
	"time"

	"go.uber.org/zap"

	"github.com/bpfls/bpfls/analysis"
	"github.com/bpfls/bpfls/analysis/benchtest"
	"github.com/bpfls/bpfls/analysis/syntax"
	"github.com/bpfls/bpfls/btfindex/userbin"
	"github.com/bpfls/bpfls/btfindex/userbin/usertest"
)

// BenchmarkUserWildcardProbe analyses "uprobe:libc:str* { print(args->s); }"
// and "uprobe:libc:* { @[probe] = count(); }" with libc and its debug info
// read: one context per matched function, each typed from DWARF, as a
// keystroke inside such a probe costs.
func BenchmarkUserWildcardProbe(b *testing.B) {
	ctx := context.Background()
	cache := userbin.NewCache(ctx, zap.NewNop(), userbin.Options{Recheck: time.Hour})
	defer cache.Close()
	if e := (userbin.Waiting{Cache: cache, Ctx: ctx}).Lookup("libc"); e.Binary == nil {
		usertest.RequireReal(b, "no libc found through ld.so.cache")
	}
	for _, tc := range []struct{ name, src string }{
		{"str*", "uprobe:libc:str* { print(args->s); }\n"},
		{"all", "uprobe:libc:* { @[probe] = count(); }\n"},
	} {
		src := tc.src
		b.Run(tc.name, func(b *testing.B) {
			f := syntax.Parse("t.bt", []byte(src), syntax.NewestDialect())
			cfg := analysis.Config{Dialect: f.Dialect, User: cache}
			analysis.Analyze(ctx, f, cfg) // prototypes decoded once, as the first analysis does
			b.ReportAllocs()
			start := benchtest.CPUTime()
			for b.Loop() {
				analysis.Analyze(ctx, f, cfg)
			}
			benchtest.ReportCPU(b, start)
		})
	}
}
