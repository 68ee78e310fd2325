package btfindex

// This file implements the Index: opening the sources of one kernel and
// answering single lookups from the best source that has the answer.

import (
	"context"
	"errors"
	"os"
	"sync"

	"go.uber.org/zap"
)

// Default locations of the live kernel's sources.
const (
	kernelBTFPath  = "/sys/kernel/btf/vmlinux"
	kernelBTFDir   = "/sys/kernel/btf"
	filterFuncFile = "available_filter_functions"
)

// tracefsMounts are the places tracefs is usually mounted, in order.
var tracefsMounts = []string{"/sys/kernel/tracing", "/sys/kernel/debug/tracing"}

// ErrNoBTF means no BTF source could be opened.
var ErrNoBTF = errors.New("btfindex: no BTF found")

// Options configures [Open]. The zero value means: the running kernel's
// BTF, its modules, tracefs where mounted, and a cache under
// os.UserCacheDir()/bpfls.
type Options struct {
	// BTFPath names a BTF file (raw BTF or ELF vmlinux) to use instead of
	// /sys/kernel/btf/vmlinux.
	BTFPath string
	// ModulesDir holds module split BTF files (one per module, named after
	// it). Defaults to /sys/kernel/btf when BTFPath is empty, else none.
	ModulesDir string
	// TracefsDir is where tracefs is mounted. Defaults to the first of
	// /sys/kernel/tracing and /sys/kernel/debug/tracing that has events/;
	// "-" means do not use tracefs.
	TracefsDir string
	// CacheDir holds the on-disk index. Defaults to os.UserCacheDir()/bpfls;
	// "-" disables the cache (listings are then built in memory).
	CacheDir string
	// Snapshot names a kernel snapshot written by [Index.Export]; when set,
	// every other source is ignored and the snapshot alone answers.
	Snapshot string
	// SymbolsPath names a file of kernel symbols, in the format of
	// /proc/kallsyms or of available_filter_functions. Defaults, for the
	// running kernel only, to available_filter_functions where readable,
	// else /proc/kallsyms; "-" means none.
	SymbolsPath string
	// Logger receives lifecycle and degradation messages; nil means none.
	Logger *zap.Logger
}

// Index answers questions about one kernel. All methods are safe for
// concurrent use; lookups and listings on a nil *Index find nothing. Single lookups (Func, Record, Typedef, Tracepoint) are
// answered from the lazily decoded BTF and tracefs and never walk the whole
// kernel; listings (Match, Complete) use the on-disk index once it is ready
// and, until then, a name list scanned from the raw BTF on first use.
type Index struct {
	log  *zap.Logger
	opts Options

	live *liveBTF      // nil for a snapshot
	tfs  *tracefs      // nil without tracefs
	ff   *filterFuncs  // available_filter_functions, loaded on first use
	syms *symbolSource // kernel symbols, loaded on first use

	cache *cacheLoader // background load or build of the on-disk index; nil for a snapshot
	snap  *table       // the snapshot, when opened from one

	enumOnce sync.Once
	enumList []EnumConst // enum constants walked from live BTF, before the index is ready
	enumTags sliceNames  // enum tags from the same walk

	ffWarn   sync.Once
	mu       sync.Mutex
	warnings []string
	scanned  *nameSet   // names scanned from raw BTF, before the cache is ready
	tpNames  sliceNames // "cat:event" listed from tracefs

	stop context.CancelFunc
	bg   sync.WaitGroup // background work: the index load or build
}

// Open opens the sources named in opts. It fails only when no BTF at all
// can be opened; every other missing source becomes a warning in [Stats].
// The on-disk index is loaded or built in the background, bound to ctx;
// call [Index.Close] to stop that work early.
func Open(ctx context.Context, opts Options) (*Index, error) {
	if opts.Snapshot != "" {
		return OpenSnapshot(opts.Snapshot)
	}
	log := opts.Logger
	if log == nil {
		log = zap.NewNop()
	}
	ix := &Index{log: log.Named("btfindex"), opts: opts}
	btfPath := opts.BTFPath
	if btfPath == "" {
		btfPath = kernelBTFPath
		if opts.ModulesDir == "" {
			ix.opts.ModulesDir = kernelBTFDir
		}
	}
	live, err := openLiveBTF(btfPath, ix.opts.ModulesDir)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, errors.Join(ErrNoBTF, err)
		}
		return nil, err
	}
	ix.live = live
	ix.openTracefs()
	ix.ff = newFilterFuncs(ix.tfs)
	ix.syms = newSymbolSource(ix.opts, ix.tfs)
	bg, cancel := context.WithCancel(ctx)
	ix.stop = cancel
	ix.cache = startCache(bg, ix)
	return ix, nil
}

// Close stops background work. The Index still answers single lookups.
func (ix *Index) Close() {
	if ix.stop != nil {
		ix.stop()
	}
	ix.bg.Wait()
}

// warn records a degradation once, for Stats, and logs it.
func (ix *Index) warn(msg string, fields ...zap.Field) {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	for _, w := range ix.warnings {
		if w == msg {
			return
		}
	}
	ix.warnings = append(ix.warnings, msg)
	ix.log.Warn(msg, fields...)
}

// warnNoFilterFuncs says once that traceability is unknown, and why.
func (ix *Index) warnNoFilterFuncs(err error) {
	ix.ffWarn.Do(func() {
		ix.warn("available_filter_functions is not readable (" + err.Error() + "): traceability comes from BTF only")
	})
}

// Func returns a function's prototype, from vmlinux or a module. The result
// is shared: do not modify it.
func (ix *Index) Func(name string) (*Func, bool) {
	if ix == nil {
		return nil, false
	}
	if ix.snap != nil {
		return ix.snap.Func(name)
	}
	var fn *Func
	var ok bool
	if t := ix.table(); t != nil {
		fn, ok = t.Func(name) // the same BTF, keyed by its content: no need to load the spec
	} else {
		fn, ok = ix.live.Func(name)
	}
	if !ok {
		return nil, false
	}
	out := *fn
	out.Traceable = ix.Traceable(name)
	return &out, true
}

// Record returns a struct or union by name ("sock", "struct sock" or
// "union bpf_attr"), with anonymous members flattened. The result is
// shared: do not modify it.
func (ix *Index) Record(name string) (*Record, bool) {
	if ix == nil {
		return nil, false
	}
	if ix.snap != nil {
		return ix.snap.Record(name)
	}
	if t := ix.table(); t != nil {
		return t.Record(name)
	}
	return ix.live.Record(name)
}

// Typedef returns the type a typedef names: Typedef("size_t") has C
// "__kernel_size_t" and Kind KindInt, Size 8.
func (ix *Index) Typedef(name string) (Type, bool) {
	if ix == nil {
		return Type{}, false
	}
	if ix.snap != nil {
		return ix.snap.Typedef(name)
	}
	if t := ix.table(); t != nil {
		return t.Typedef(name)
	}
	return ix.live.Typedef(name)
}

// btfSources names the BTF files behind the live index.
func (ix *Index) btfSources() btfSources {
	src := btfSources{vmlinux: ix.live.path, syms: ix.syms}
	if ix.opts.ModulesDir != "" {
		src.modules = moduleFiles(ix.opts.ModulesDir)
	}
	return src
}

// Tracepoint returns category:event's format fields (common_* left out),
// from tracefs or the snapshot. The result is shared: do not modify it.
func (ix *Index) Tracepoint(category, event string) (*Tracepoint, bool) {
	if ix == nil {
		return nil, false
	}
	if ix.snap != nil {
		return ix.snap.Tracepoint(category, event)
	}
	if ix.tfs == nil {
		return nil, false
	}
	return ix.tfs.Tracepoint(category, event)
}

// Traceable says whether kprobe/fentry can attach to a function. It uses
// available_filter_functions when readable; otherwise (as for unprivileged
// users) it answers TraceUnknown for a function BTF knows, TraceNo for one
// it does not, and Stats carries a warning saying so.
func (ix *Index) Traceable(name string) Traceable {
	if ix == nil {
		return TraceUnknown
	}
	if ix.snap != nil {
		return ix.snap.Traceable(name)
	}
	names, err := ix.ff.load()
	if err != nil {
		ix.warnNoFilterFuncs(err)
		known := false
		if t := ix.table(); t != nil {
			_, known = t.find(secFuncs, name)
		} else {
			_, known = ix.live.Func(name)
		}
		if known {
			return TraceUnknown
		}
		return TraceNo
	}
	if containsSorted(names, name) {
		return TraceYes
	}
	return TraceNo
}

// table returns the on-disk index once it is ready, or nil.
func (ix *Index) table() *table {
	if ix.cache == nil {
		return nil
	}
	return ix.cache.table()
}

// WaitLoaded blocks until reading the on-disk index is over, or ctx is
// done: afterwards lookups come from the index when there was one, and a
// one-shot check need not load the kernel's BTF spec. It does not wait for
// a build.
func (ix *Index) WaitLoaded(ctx context.Context) error {
	if ix.cache == nil {
		return nil
	}
	select {
	case <-ix.cache.loaded:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// WaitReady blocks until the on-disk index is loaded or built (or has
// failed, or is disabled), or ctx is done. Listings do not need it: before
// the index is ready they are answered from a scan of the raw BTF.
func (ix *Index) WaitReady(ctx context.Context) error {
	if ix.cache == nil {
		return nil
	}
	return ix.cache.wait(ctx)
}
