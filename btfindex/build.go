package btfindex

// This file implements the whole-kernel walk that fills the on-disk index:
// every function, record and typedef of vmlinux and the modules, and, for
// a snapshot, every tracepoint format and available_filter_functions.

import (
	"context"
	"crypto/sha256"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/cilium/ebpf/btf"
)

// btfSources names the BTF files of one kernel.
type btfSources struct {
	vmlinux string
	modules []string      // split BTF files, sorted
	syms    *symbolSource // kernel symbols stored with the BTF; nil for none
}

// key is the SHA-256 of the BTF content: vmlinux, then each module's name
// and content. The same release can ship different builds, so the kernel
// version string is not a key.
func (s btfSources) key() ([32]byte, error) {
	h := sha256.New()
	if err := hashFile(h, s.vmlinux); err != nil {
		return [32]byte{}, err
	}
	for _, m := range s.modules {
		fmt.Fprintf(h, "\x00module %s\x00", filepath.Base(m))
		if err := hashFile(h, m); err != nil {
			return [32]byte{}, err
		}
	}
	if s.syms != nil && len(s.syms.paths) > 0 {
		// Symbols change when modules come and go, BTF may not: the loaded
		// modules are part of the key (reading them costs microseconds,
		// reading kallsyms tens of milliseconds).
		mods, _ := os.ReadFile(procModules)
		fmt.Fprintf(h, "\x00symbols %s\x00", strings.Join(s.syms.paths, "\x00"))
		for line := range strings.Lines(string(mods)) {
			name, _, _ := strings.Cut(line, " ")
			fmt.Fprintf(h, "%s\x00", name)
		}
	}
	var sum [32]byte
	h.Sum(sum[:0])
	return sum, nil
}

func hashFile(w io.Writer, path string) error {
	if err := copyRegular(w, path, MaxELFSize); err != nil {
		return fmt.Errorf("hashing BTF: %w", err)
	}
	return nil
}

// procModules lists the loaded modules of the running kernel.
const procModules = "/proc/modules"

// collectSymbols adds the kernel symbols, when there are any.
func collectSymbols(src btfSources, b *tableBuilder) {
	if src.syms == nil {
		return
	}
	if syms, err := src.syms.load(); err == nil {
		b.addSymbols(syms)
		b.sources = append(b.sources, "symbols:"+src.syms.path)
	}
}

// collector feeds a walk of the BTF into a tableBuilder.
type collector struct {
	b         *tableBuilder
	traceable func(string) Traceable // nil: TraceUnknown for all
}

// collectBTF walks a fresh copy of the BTF (vmlinux, then each module), so
// that inflating every type does not bloat the lazily used spec; the copy
// is garbage once this returns.
func collectBTF(ctx context.Context, src btfSources, c collector) error {
	base, err := loadSpecFresh(src.vmlinux)
	if err != nil {
		return err
	}
	if err := c.walk(ctx, base, ""); err != nil {
		return err
	}
	c.b.sources = append(c.b.sources, "btf:"+src.vmlinux)
	for _, m := range src.modules {
		spec, err := loadBTFFile(m, base)
		if err != nil {
			continue // reported by the live lookups; the index simply lacks it
		}
		if err := c.walk(ctx, spec, filepath.Base(m)); err != nil {
			return err
		}
		c.b.sources = append(c.b.sources, "module:"+m)
	}
	return nil
}

func loadSpecFresh(path string) (*btf.Spec, error) {
	if path == kernelBTFPath {
		return btf.LoadKernelSpec()
	}
	spec, err := loadBTFFile(path, nil)
	if err != nil {
		return nil, fmt.Errorf("loading BTF from %s: %w", path, err)
	}
	return spec, nil
}

func (c collector) walk(ctx context.Context, spec *btf.Spec, module string) error {
	n := 0
	for t, err := range spec.All() {
		if err != nil {
			return fmt.Errorf("walking BTF: %w", err)
		}
		if n++; n%4096 == 0 && ctx.Err() != nil {
			return ctx.Err()
		}
		switch u := t.(type) {
		case *btf.Func:
			fn := convertFunc(u, module)
			if c.traceable != nil {
				fn.Traceable = c.traceable(fn.Name)
			}
			c.b.addFunc(fn)
		case *btf.Struct, *btf.Union:
			if t.TypeName() != "" {
				c.b.addRecord(convertRecord(t))
			}
		case *btf.Enum:
			c.b.addEnum(u)
		case *btf.Typedef:
			if u.Name != "" {
				c.b.addTypedef(u.Name, convertType(u.Type))
			}
		}
	}
	return nil
}
