package analysis

import (
	"context"
	"os"
	"testing"

	"github.com/bpfls/bpfls/analysis/syntax"
)

// BenchmarkFileEnv measures the file-level pass (declarations, map
// consistency, macro and fn bodies, symbol index) over the bench script.
func BenchmarkFileEnv(b *testing.B) {
	src, err := os.ReadFile("../testdata/bench/probes.bt")
	if err != nil {
		b.Fatal(err)
	}
	d := syntax.NewestDialect()
	f := syntax.Parse("probes.bt", src, d)
	cfg := Config{Dialect: d}
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	for b.Loop() {
		newFileEnv(context.Background(), f, cfg)
	}
}

// BenchmarkCheckBody measures one pass of checkBody over every probe of
// the bench script, as the probe pass runs it per distinct context.
func BenchmarkCheckBody(b *testing.B) {
	src, err := os.ReadFile("../testdata/bench/probes.bt")
	if err != nil {
		b.Fatal(err)
	}
	d := syntax.NewestDialect()
	f := syntax.Parse("probes.bt", src, d)
	env := newFileEnv(context.Background(), f, Config{Dialect: d})
	var probes []*syntax.Probe
	for _, it := range f.Items() {
		if p, ok := it.(*syntax.Probe); ok {
			probes = append(probes, p)
		}
	}
	pc := &ProbeContext{Provider: "kprobe", Dialect: d}
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	for b.Loop() {
		for _, p := range probes {
			env.checkBody(p, pc)
		}
	}
}
