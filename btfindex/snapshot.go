package btfindex

// This file implements kernel snapshots: one self-contained file with every
// function prototype, record, typedef, tracepoint format and the traceable
// list of the machine it was exported on, so that scripts can be checked
// against kernels the checker does not run.

import (
	"context"
	"errors"
	"fmt"
	"io"

	"go.uber.org/zap"
)

// OpenSnapshot opens a file written by [Index.Export] as an Index. It needs
// no live BTF. A truncated or corrupt file is an error wrapping
// [ErrCorrupt]; one of another format version wraps [ErrSchemaMismatch].
func OpenSnapshot(path string) (*Index, error) {
	t, err := readTable(path, nil)
	if errors.Is(err, ErrSchemaMismatch) {
		// Snapshots are exported by users and kept; unlike the cache, they
		// are not rebuilt by themselves, so say how to get a readable one.
		return nil, fmt.Errorf("opening kernel snapshot %s: %w; export it again with this bpfls (bpfls btf export) on the machine it describes", path, err)
	}
	if err != nil {
		return nil, fmt.Errorf("opening kernel snapshot: %w", err)
	}
	return &Index{log: zap.NewNop(), opts: Options{Snapshot: path}, snap: t}, nil
}

// Export writes a snapshot of everything the index knows to path,
// atomically. For a live index it walks all BTF, reads every tracepoint
// format and available_filter_functions (when readable), so it takes a
// fraction of a second; ctx cancels it.
func (ix *Index) Export(ctx context.Context, path string) error {
	data, err := ix.snapshotBytes(ctx)
	if err != nil {
		return err
	}
	return writeFileAtomic(path, data)
}

func (ix *Index) snapshotBytes(ctx context.Context) ([]byte, error) {
	if ix.snap != nil {
		return ix.snap.raw, nil
	}
	src := ix.btfSources()
	b := newTableBuilder()
	b.flags |= flagSnapshot
	var err error
	if b.key, err = src.key(); err != nil {
		return nil, fmt.Errorf("exporting kernel snapshot: %w", err)
	}
	c := collector{b: b, traceable: func(string) Traceable { return TraceUnknown }}
	if names, err := ix.ff.load(); err == nil {
		b.setTraceable(names)
		c.traceable = func(name string) Traceable {
			if containsSorted(names, name) {
				return TraceYes
			}
			return TraceNo
		}
	} else {
		ix.warnNoFilterFuncs(err)
	}
	if err := collectBTF(ctx, src, c); err != nil {
		return nil, fmt.Errorf("exporting kernel snapshot: %w", err)
	}
	collectSymbols(src, b)
	if err := ix.collectTracepoints(ctx, b); err != nil {
		return nil, fmt.Errorf("exporting kernel snapshot: %w", err)
	}
	if b.flags&flagTraceableKnown != 0 {
		b.sources = append(b.sources, "available_filter_functions:"+ix.ff.path)
	}
	return b.bytes(), nil
}

// collectTracepoints reads every tracepoint format tracefs offers. Formats
// are parsed directly rather than through the lookup memo, which would
// keep thousands of them alive.
func (ix *Index) collectTracepoints(ctx context.Context, b *tableBuilder) error {
	if ix.tfs == nil {
		return nil
	}
	names, err := ix.tfs.list(ctx)
	if err != nil {
		return err
	}
	for _, name := range names {
		if err := ctx.Err(); err != nil {
			return err
		}
		cat, ev := splitTracepoint(name)
		if tp, ok := ix.tfs.read(cat, ev); ok {
			b.addTracepoint(tp)
		}
	}
	b.sources = append(b.sources, "tracefs:"+ix.tfs.dir)
	return nil
}

// splitTracepoint splits "category:event".
func splitTracepoint(name string) (cat, event string) {
	for i := 0; i < len(name); i++ {
		if name[i] == ':' {
			return name[:i], name[i+1:]
		}
	}
	return name, ""
}

// OpenKernel opens a kernel named on the command line (`--kernel FILE`):
// a snapshot written by [Index.Export], or else a BTF file (raw or ELF
// vmlinux) of that kernel, opened with opts (CacheDir, ModulesDir and
// Logger are used). A BTF file brings no tracepoints: the running
// machine's tracefs describes another kernel.
func OpenKernel(ctx context.Context, path string, opts Options) (*Index, error) {
	if isSnapshot(path) {
		return OpenSnapshot(path)
	}
	opts.BTFPath, opts.Snapshot, opts.TracefsDir = path, "", "-"
	return Open(ctx, opts)
}

// isSnapshot reports whether path starts like an index file.
func isSnapshot(path string) bool {
	f, _, err := openRegular(path)
	if err != nil {
		return false
	}
	defer f.Close()
	head := make([]byte, len(tableMagic))
	_, err = io.ReadFull(f, head)
	return err == nil && string(head) == tableMagic
}
