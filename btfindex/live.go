package btfindex

// This file implements lookups in BTF loaded lazily through cilium/ebpf: the
// kernel's (or a user-named file's) vmlinux BTF and module split BTF on top.

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"sync"

	"github.com/cilium/ebpf/btf"
)

// liveBTF answers single lookups from a lazily decoded BTF spec. Looking up
// one name costs microseconds after the spec is open; nothing here walks the
// whole kernel. It is safe for concurrent use.
type liveBTF struct {
	path       string // where vmlinux BTF came from
	modulesDir string

	specOnce sync.Once
	spec     *btf.Spec // vmlinux; use vmlinux()
	specErr  error

	modOnce sync.Once
	modules []moduleBTF
	modErrs []error

	mu    sync.Mutex
	funcs map[string]*Func // memoized conversions (nil: not found), shared read-only
	recs  map[string]*Record
}

// memoLimit bounds the memo maps: an editor asks for every prefix a user
// types, and misses must not accumulate for ever.
const memoLimit = 8192

type moduleBTF struct {
	name string
	path string
	spec *btf.Spec
}

// openLiveBTF opens path (raw BTF or an ELF file with a .BTF section).
// The running kernel's BTF is only checked for existence here and decoded
// on first use (about 12 ms, mostly building cilium/ebpf's name index), so
// that opening the Index and loading the on-disk index do not wait for it.
// A file the user names is decoded at once, so a bad one fails Open.
func openLiveBTF(path, modulesDir string) (*liveBTF, error) {
	l := &liveBTF{path: path, modulesDir: modulesDir, funcs: map[string]*Func{}, recs: map[string]*Record{}}
	if path == kernelBTFPath {
		if _, err := os.Stat(path); err != nil {
			return nil, fmt.Errorf("loading BTF from %s: %w", path, err)
		}
		return l, nil
	}
	if _, err := l.vmlinux(); err != nil {
		return nil, err
	}
	return l, nil
}

// vmlinux decodes the vmlinux BTF once, lazily.
func (l *liveBTF) vmlinux() (*btf.Spec, error) {
	l.specOnce.Do(func() {
		l.spec, l.specErr = loadSpecFresh(l.path)
		if l.specErr != nil {
			l.specErr = fmt.Errorf("loading BTF from %s: %w", l.path, l.specErr)
		}
	})
	return l.spec, l.specErr
}

// loadSpecFresh decodes the BTF at path (the running kernel's through
// cilium/ebpf's own loader).
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

// loadModules loads every module's split BTF once. Errors are kept for
// Stats; a module that does not load is left out.
func (l *liveBTF) loadModules() []moduleBTF {
	l.modOnce.Do(func() {
		base, err := l.vmlinux()
		if l.modulesDir == "" || err != nil {
			return
		}
		for _, path := range moduleFiles(l.modulesDir) {
			spec, err := loadBTFFile(path, base)
			if err != nil {
				l.modErrs = append(l.modErrs, fmt.Errorf("reading BTF for module %q: %w", filepath.Base(path), err))
				continue
			}
			l.modules = append(l.modules, moduleBTF{name: filepath.Base(path), path: path, spec: spec})
		}
	})
	return l.modules
}

// moduleFiles lists the split BTF files in dir: every regular file except
// vmlinux, sorted by name.
func moduleFiles(dir string) []string {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil
	}
	var out []string
	for _, e := range entries {
		if e.Name() == "vmlinux" || e.IsDir() {
			continue
		}
		out = append(out, filepath.Join(dir, e.Name()))
	}
	sort.Strings(out)
	return out
}

// lookupAll visits the types named name in vmlinux, then in the modules
// (loading them on first use), until visit returns true.
func (l *liveBTF) lookupAll(name string, visit func(t btf.Type, module string) bool) {
	base, err := l.vmlinux()
	if err != nil {
		return // reported by Stats
	}
	if l.lookupIn(base, name, "", visit) {
		return
	}
	for _, m := range l.loadModules() {
		if l.lookupIn(m.spec, name, m.name, visit) {
			return
		}
	}
}

func (l *liveBTF) lookupIn(spec *btf.Spec, name, module string, visit func(btf.Type, string) bool) bool {
	types, err := spec.AnyTypesByName(name)
	if err != nil {
		return false // ErrNotFound, or a corrupt entry: either way not here
	}
	for _, t := range types {
		if visit(t, module) {
			return true
		}
	}
	return false
}

// Func finds a function by name in vmlinux, then in the modules.
func (l *liveBTF) Func(name string) (*Func, bool) {
	l.mu.Lock()
	fn, ok := l.funcs[name]
	l.mu.Unlock()
	if ok {
		return fn, fn != nil
	}
	l.lookupAll(name, func(t btf.Type, module string) bool {
		if f, ok := t.(*btf.Func); ok {
			fn = convertFunc(f, module)
			return true
		}
		return false
	})
	l.mu.Lock()
	if len(l.funcs) >= memoLimit {
		clear(l.funcs)
	}
	l.funcs[name] = fn
	l.mu.Unlock()
	return fn, fn != nil
}

// Record finds a struct or union by name; "struct x" and "union x" narrow
// the kind. A definition with members wins over an empty one.
func (l *liveBTF) Record(name string) (*Record, bool) {
	l.mu.Lock()
	rec, ok := l.recs[name]
	l.mu.Unlock()
	if ok {
		return rec, rec != nil
	}
	bare, wantUnion, wantStruct := recordName(name)
	l.lookupAll(bare, func(t btf.Type, _ string) bool {
		r := convertRecord(t)
		if r == nil || wantUnion && !r.Union || wantStruct && r.Union {
			return false
		}
		if rec == nil || len(rec.Members) == 0 {
			rec = r
		}
		return len(rec.Members) > 0
	})
	l.mu.Lock()
	if len(l.recs) >= memoLimit {
		clear(l.recs)
	}
	l.recs[name] = rec
	l.mu.Unlock()
	return rec, rec != nil
}

// Typedef resolves a typedef name to the type it names.
func (l *liveBTF) Typedef(name string) (Type, bool) {
	var out Type
	found := false
	l.lookupAll(name, func(t btf.Type, _ string) bool {
		if td, ok := t.(*btf.Typedef); ok {
			out, found = convertType(td.Type), true
		}
		return found
	})
	return out, found
}

// loadErrors reports BTF (vmlinux or modules) that did not load.
func (l *liveBTF) loadErrors() error {
	l.loadModules()
	return errors.Join(append([]error{l.specErr}, l.modErrs...)...)
}
