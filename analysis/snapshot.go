package analysis

import (
	"context"
	"runtime"
	"sync"
	"sync/atomic"

	"github.com/bpfls/bpfls/analysis/cdecl"
	"github.com/bpfls/bpfls/analysis/syntax"
)

// Config is what an analysis targets.
type Config struct {
	Dialect syntax.Dialect
	Kernel  Kernel // nil: no kernel facts, kernel checks are skipped
	// Refactorer offers the fixes for conflicting attach points (package
	// fix); nil: none are offered.
	Refactorer Refactorer
	// User answers about user-space binaries (uprobe, usdt); nil: their
	// binaries are not looked at.
	User UserBinaries
	// IncludeDirs are searched for #include headers before the kernel's
	// and the system's (bpftrace's -I, the verify.includeDirs setting).
	IncludeDirs []string
	// SysIncludeDirs replaces the kernel headers and system include
	// directories; nil means the running machine's (cdecl.DefaultSysDirs).
	SysIncludeDirs []string
	// KernelHeaders is a kernel headers tree to search (bpftrace's
	// BPFTRACE_KERNEL_SOURCE); zero: the running kernel's, found as
	// bpftrace finds it, when SysIncludeDirs is nil.
	KernelHeaders cdecl.KernelHeaders
	// CHeaders remembers what the C parts of scripts define across
	// analyses; nil reads them each time.
	CHeaders *cdecl.Cache
}

// Snapshot is an immutable, analysed version of one document. Readers take
// no lock; a new edit makes a new Snapshot that shares unchanged parts.
type Snapshot struct {
	File        *syntax.File
	Config      Config
	Diagnostics []Diagnostic // sorted by position
	probes      *probeCache  // per-probe results for Reanalyze; owned by probecache.go
	env         *envCache    // per-probe walks of the file-level pass for Reanalyze; owned by envcache.go
	symbols     *SymbolIndex // from the file-level pass; owned by symbols_index.go; nil: rebuilt on demand
	inc         *incState    // file-level facts for the next Reanalyze; owned by incremental.go

	lazyOnce    sync.Once // builds lazySymbols for a snapshot made without symbols
	lazySymbols atomic.Pointer[SymbolIndex]
}

// Analyze parses nothing: it checks an already parsed file and returns its
// snapshot. It is the single entry point `bpfls check` and the server share.
func Analyze(ctx context.Context, f *syntax.File, cfg Config) *Snapshot {
	return analyze(ctx, f, cfg, nil, nil, false)
}

// NewSyntaxSnapshot wraps a parsed file without analysing it: its
// Diagnostics are the syntax errors alone. Features that need only the tree
// and the target (completion and signature help on every keystroke) use it,
// and the server falls back on it when an analysis fails.
func NewSyntaxSnapshot(f *syntax.File, cfg Config) *Snapshot {
	return &Snapshot{File: f, Config: cfg, Diagnostics: syntaxDiagnostics(f)}
}

func syntaxDiagnostics(f *syntax.File) []Diagnostic {
	ds := make([]Diagnostic, 0, len(f.Errors))
	for _, e := range f.Errors {
		ds = append(ds, Diagnostic{Span: e.Span, Severity: SeverityError, Code: e.Code, Message: e.Msg, Source: SourceBpfls})
	}
	return ds
}

// analyze runs the file-level pass and then the probe pass, reusing the
// results of probes that prev and prevEnv (either may be nil) already
// checked and walked. With record set, the file-level pass keeps its probe
// walks for a later Reanalyze.
func analyze(ctx context.Context, f *syntax.File, cfg Config, prev *probeCache, prevEnv *envCache, record bool) *Snapshot {
	s := NewSyntaxSnapshot(f, cfg)
	// The passes read the items one at a time, several times over, and a
	// syntax.File holds its probes weakly. A small file's items are held
	// until the passes end, so that each is parsed once; a large file's
	// are not, so that its tree (about ten times its text) is never all
	// in memory: a probe a collection dropped is parsed again, alone, when
	// the next pass reads it (limits.go).
	if f.Len() <= holdItemsMax {
		items := f.Items()
		defer runtime.KeepAlive(items)
	}
	env := newFileEnvFrom(ctx, f, cfg, prevEnv, record)
	s.symbols, s.env = env.symbols, env.cache
	s.Diagnostics = append(s.Diagnostics, env.diags...)
	diags, cache := runProbePass(ctx, envBody(env), f, cfg, newProbeCache(f, cfg, env), prev)
	s.Diagnostics = append(s.Diagnostics, diags...)
	if record {
		s.inc = newIncState(ctx, f, cfg, env, cache)
		if s.inc != nil {
			s.symbols = compactSymbols(s.symbols, f, s.inc.items, env.itemFacts)
		}
	}
	s.probes, cache.maps, cache.items, cache.volatile = cache, nil, nil, nil // the snapshot keeps no map table
	SortDiagnostics(s.Diagnostics)
	return s
}
