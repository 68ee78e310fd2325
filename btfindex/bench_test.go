package btfindex

// Benchmarks against the running kernel's BTF. Run with
//
//	go test ./btfindex -run '^$' -bench . -benchtime 20x
//
// BenchmarkLoadCacheFile vs BenchmarkWalkBTF is the cache's reason to exist.

import (
	"context"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/cilium/ebpf/btf"
)

// benchCache builds the on-disk index for the running kernel once per
// benchmark and returns its directory.
func benchCache(b *testing.B) (string, btfSources, [32]byte) {
	b.Helper()
	if _, err := os.Stat(kernelBTFPath); err != nil {
		requireReal(b, "no kernel BTF at "+kernelBTFPath)
	}
	dir := b.TempDir()
	ix, err := Open(context.Background(), Options{CacheDir: dir, TracefsDir: "-"})
	if err != nil {
		b.Fatal(err)
	}
	defer ix.Close()
	if err := ix.WaitReady(context.Background()); err != nil {
		b.Fatal(err)
	}
	src := ix.btfSources()
	key, err := src.key()
	if err != nil {
		b.Fatal(err)
	}
	return dir, src, key
}

// BenchmarkLoadCacheFile is a cold start of the on-disk index: hash the
// kernel BTF, read the file, verify and decode it.
func BenchmarkLoadCacheFile(b *testing.B) {
	dir, src, key := benchCache(b)
	path := filepath.Join(dir, hexKey(key)+".idx")
	b.ReportAllocs()
	for b.Loop() {
		k, err := src.key()
		if err != nil {
			b.Fatal(err)
		}
		tab, err := readTable(path, &k)
		if err != nil {
			b.Fatal(err)
		}
		b.SetBytes(int64(len(tab.raw)))
	}
}

// BenchmarkOpenIndexReady is Open (lazy kernel spec, tracefs off) plus
// waiting for the cached index: what a language server pays at startup.
func BenchmarkOpenIndexReady(b *testing.B) {
	dir, _, _ := benchCache(b)
	b.ReportAllocs()
	for b.Loop() {
		ix, err := Open(context.Background(), Options{CacheDir: dir, TracefsDir: "-"})
		if err != nil {
			b.Fatal(err)
		}
		if err := ix.WaitReady(context.Background()); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		if ix.cache.built {
			b.Fatal("index rebuilt")
		}
		ix.Close() // waits for warming the lazy spec, which startup does not
		b.StartTimer()
	}
}

// BenchmarkWalkBTF is the plain cilium/ebpf alternative: load the kernel
// spec and inflate every type with spec.All().
func BenchmarkWalkBTF(b *testing.B) {
	if _, err := os.Stat(kernelBTFPath); err != nil {
		requireReal(b, "no kernel BTF at "+kernelBTFPath)
	}
	b.ReportAllocs()
	for b.Loop() {
		spec, err := btf.LoadKernelSpec()
		if err != nil {
			b.Fatal(err)
		}
		n := 0
		for _, err := range spec.All() {
			if err != nil {
				b.Fatal(err)
			}
			n++
		}
		if n < 1000 {
			b.Fatalf("only %d types", n)
		}
	}
}

// BenchmarkBuildIndex walks the BTF and encodes the index (the background
// work when there is no valid cache file).
func BenchmarkBuildIndex(b *testing.B) {
	if _, err := os.Stat(kernelBTFPath); err != nil {
		requireReal(b, "no kernel BTF at "+kernelBTFPath)
	}
	src := btfSources{vmlinux: kernelBTFPath}
	b.ReportAllocs()
	for b.Loop() {
		tb := newTableBuilder()
		if err := collectBTF(context.Background(), src, collector{b: tb}); err != nil {
			b.Fatal(err)
		}
		b.SetBytes(int64(len(tb.bytes())))
	}
}

// BenchmarkScanNames is the names-only scan that serves listings before
// the index is ready.
func BenchmarkScanNames(b *testing.B) {
	if _, err := os.Stat(kernelBTFPath); err != nil {
		requireReal(b, "no kernel BTF at "+kernelBTFPath)
	}
	b.ReportAllocs()
	for b.Loop() {
		ns := &nameSet{}
		if err := scanSources(btfSources{vmlinux: kernelBTFPath}, ns); err != nil {
			b.Fatal(err)
		}
		ns.sortNames()
	}
}

// readyIndex opens the running kernel with a built index.
func readyIndex(b *testing.B) *Index {
	b.Helper()
	dir, _, _ := benchCache(b)
	ix, err := Open(context.Background(), Options{CacheDir: dir, TracefsDir: "-"})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(ix.Close)
	if err := ix.WaitReady(context.Background()); err != nil {
		b.Fatal(err)
	}
	return ix
}

// BenchmarkCompletePrefix completes a 3-letter prefix over every kernel
// function (about 56,000 on 6.18), as completion after "kprobe:tcp" does.
func BenchmarkCompletePrefix(b *testing.B) {
	ix := readyIndex(b)
	b.ReportAllocs()
	for b.Loop() {
		if got := ix.Complete(NameFunc, "tcp", 100); len(got) != 100 {
			b.Fatalf("%d names", len(got))
		}
	}
}

// BenchmarkCompletePrefixAll returns every completion of "tcp".
func BenchmarkCompletePrefixAll(b *testing.B) {
	ix := readyIndex(b)
	b.ReportAllocs()
	for b.Loop() {
		if got := ix.Complete(NameFunc, "tcp", 0); len(got) < 100 {
			b.Fatalf("%d names", len(got))
		}
	}
}

// BenchmarkMatchVFS expands kprobe:vfs_*.
func BenchmarkMatchVFS(b *testing.B) {
	ix := readyIndex(b)
	b.ReportAllocs()
	for b.Loop() {
		if got := ix.Match(NameFunc, "vfs_*"); len(got) < 10 {
			b.Fatalf("%d names", len(got))
		}
	}
}

// BenchmarkMatchInfix expands "*sendmsg*", which must test every name.
func BenchmarkMatchInfix(b *testing.B) {
	ix := readyIndex(b)
	b.ReportAllocs()
	for b.Loop() {
		if got := ix.Match(NameFunc, "*sendmsg*"); len(got) < 10 {
			b.Fatalf("%d names", len(got))
		}
	}
}

// BenchmarkBTFLookup looks up a function and a record in the lazy spec.
func BenchmarkBTFLookup(b *testing.B) {
	if _, err := os.Stat(kernelBTFPath); err != nil {
		requireReal(b, "no kernel BTF at "+kernelBTFPath)
	}
	ix, err := Open(context.Background(), Options{CacheDir: "-", TracefsDir: "-"})
	if err != nil {
		b.Fatal(err)
	}
	defer ix.Close()
	b.ReportAllocs()
	for b.Loop() {
		if _, ok := ix.Func("tcp_sendmsg"); !ok {
			b.Fatal("tcp_sendmsg")
		}
		if _, ok := ix.Record("sock"); !ok {
			b.Fatal("sock")
		}
	}
}

// BenchmarkIndexHeap reports the live heap held by an open index with its
// on-disk index loaded and a few lookups done (metric heap-MiB).
func BenchmarkIndexHeap(b *testing.B) {
	dir, _, _ := benchCache(b)
	for b.Loop() {
		before := heapInUse()
		ix, err := Open(context.Background(), Options{CacheDir: dir, TracefsDir: "-"})
		if err != nil {
			b.Fatal(err)
		}
		if err := ix.WaitReady(context.Background()); err != nil {
			b.Fatal(err)
		}
		ix.Func("tcp_sendmsg")
		ix.Record("sock")
		ix.Match(NameFunc, "vfs_*")
		b.ReportMetric(float64(heapInUse()-before)/(1<<20), "heap-MiB")
		runtime.KeepAlive(ix)
		ix.Close()
	}
}

// BenchmarkWalkHeap is the same measurement for a spec after spec.All().
func BenchmarkWalkHeap(b *testing.B) {
	if _, err := os.Stat(kernelBTFPath); err != nil {
		requireReal(b, "no kernel BTF at "+kernelBTFPath)
	}
	for b.Loop() {
		before := heapInUse()
		spec, err := btf.LoadKernelSpec()
		if err != nil {
			b.Fatal(err)
		}
		for range spec.All() {
		}
		b.ReportMetric(float64(heapInUse()-before)/(1<<20), "heap-MiB")
		runtime.KeepAlive(spec)
	}
}

func heapInUse() int64 {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return int64(ms.HeapAlloc)
}

func hexKey(k [32]byte) string {
	const digits = "0123456789abcdef"
	out := make([]byte, 64)
	for i, c := range k {
		out[2*i], out[2*i+1] = digits[c>>4], digits[c&15]
	}
	return string(out)
}
