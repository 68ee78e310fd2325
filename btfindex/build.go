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

// collectBTF walks the raw BTF (vmlinux, then each module) type by type,
// so that no more than the blobs and one offset per type are held besides
// the entries written so far. The builder copies every name it keeps, so
// the blobs are let go on return.
func collectBTF(ctx context.Context, src btfSources, c collector) error {
	return eachRawSpec(src, func(spec *rawSpec, path string) error {
		if path == src.vmlinux {
			c.b.sources = append(c.b.sources, "btf:"+path)
			return c.walk(ctx, spec, "")
		}
		c.b.sources = append(c.b.sources, "module:"+path)
		return c.walk(ctx, spec, filepath.Base(path))
	})
}

// eachRawSpec calls fn for vmlinux and then each module that loads, with
// the file's path and its raw BTF mapped; nothing fn is given may be kept after it
// returns without a copy. A module that does not load is skipped (the
// live lookups report it).
func eachRawSpec(src btfSources, fn func(spec *rawSpec, path string) error) error {
	data, release, err := mapRawBTF(src.vmlinux)
	if err != nil {
		return fmt.Errorf("loading BTF from %s: %w", src.vmlinux, err)
	}
	defer release()
	base, err := newRawSpec(data, nil)
	if err != nil {
		return fmt.Errorf("loading BTF from %s: %w", src.vmlinux, err)
	}
	if err := fn(base, src.vmlinux); err != nil {
		return err
	}
	for _, m := range src.modules {
		if err := eachModule(base, m, fn); err != nil {
			return err
		}
	}
	return nil
}

func eachModule(base *rawSpec, path string, fn func(spec *rawSpec, path string) error) error {
	data, release, err := mapRawBTF(path)
	if err != nil {
		return nil
	}
	defer release()
	spec, err := newRawSpec(data, base)
	if err != nil {
		return nil
	}
	return fn(spec, path)
}

func (c collector) walk(ctx context.Context, spec *rawSpec, module string) error {
	for i := range spec.offs {
		if i%4096 == 0 && ctx.Err() != nil {
			return ctx.Err()
		}
		t, _ := spec.typ(spec.firstID + uint32(i))
		switch t.kind {
		case rawFunc:
			fn := spec.convertFunc(t, module)
			if c.traceable != nil {
				fn.Traceable = c.traceable(fn.Name)
			}
			c.b.addFunc(fn)
		case rawStruct, rawUnion:
			if t.nameOff != 0 && spec.name(t) != "" {
				c.b.addRecord(spec.convertRecord(t))
			}
		case rawEnum, rawEnum64:
			c.b.addEnumTag(spec.name(t))
			for j := range t.vlen {
				name, v := spec.enumValue(t, j)
				c.b.addEnumConst(enumConstFrom(name, spec.name(t), t.sizeType, t.flag, v))
			}
		case rawTypedef:
			if name := spec.name(t); name != "" {
				c.b.addTypedef(name, spec.convertType(t.sizeType))
			}
		}
	}
	return nil
}
