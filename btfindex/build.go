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

	"github.com/cilium/ebpf/btf"
)

// btfSources names the BTF files of one kernel.
type btfSources struct {
	vmlinux string
	modules []string // split BTF files, sorted
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
	var sum [32]byte
	h.Sum(sum[:0])
	return sum, nil
}

func hashFile(w io.Writer, path string) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("hashing BTF: %w", err)
	}
	defer f.Close()
	if _, err := io.Copy(w, f); err != nil {
		return fmt.Errorf("hashing BTF %s: %w", path, err)
	}
	return nil
}

// collector gathers kernelData, keeping the first function of a name and
// the most complete record of a name and kind.
type collector struct {
	d        kernelData
	funcs    map[string]bool
	records  map[recordKey]int // index into d.Records
	typedefs map[string]bool
}

type recordKey struct {
	name  string
	union bool
}

func newCollector() *collector {
	return &collector{funcs: map[string]bool{}, records: map[recordKey]int{}, typedefs: map[string]bool{}}
}

// walkBTF walks a fresh copy of the BTF, so that inflating every type does
// not bloat the lazily used spec; the copy is garbage once this returns.
func collectBTF(ctx context.Context, src btfSources) (*kernelData, error) {
	c := newCollector()
	base, err := loadSpecFresh(src.vmlinux)
	if err != nil {
		return nil, err
	}
	if err := c.walk(ctx, base, ""); err != nil {
		return nil, err
	}
	c.d.Sources = append(c.d.Sources, "btf:"+src.vmlinux)
	for _, m := range src.modules {
		spec, err := btf.LoadSplitSpec(m, base)
		if err != nil {
			continue // reported by the live lookups; the index simply lacks it
		}
		if err := c.walk(ctx, spec, filepath.Base(m)); err != nil {
			return nil, err
		}
		c.d.Sources = append(c.d.Sources, "module:"+m)
	}
	return &c.d, nil
}

func loadSpecFresh(path string) (*btf.Spec, error) {
	if path == kernelBTFPath {
		return btf.LoadKernelSpec()
	}
	spec, err := btf.LoadSpec(path)
	if err != nil {
		return nil, fmt.Errorf("loading BTF from %s: %w", path, err)
	}
	return spec, nil
}

func (c *collector) walk(ctx context.Context, spec *btf.Spec, module string) error {
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
			if !c.funcs[u.Name] {
				c.funcs[u.Name] = true
				c.d.Funcs = append(c.d.Funcs, convertFunc(u, module))
			}
		case *btf.Struct, *btf.Union:
			c.addRecord(t)
		case *btf.Typedef:
			if u.Name != "" && !c.typedefs[u.Name] {
				c.typedefs[u.Name] = true
				c.d.Typedefs = append(c.d.Typedefs, namedType{u.Name, convertType(u.Type)})
			}
		}
	}
	return nil
}

func (c *collector) addRecord(t btf.Type) {
	if t.TypeName() == "" {
		return
	}
	r := convertRecord(t)
	k := recordKey{r.Name, r.Union}
	if i, ok := c.records[k]; ok {
		if len(c.d.Records[i].Members) == 0 && len(r.Members) > 0 {
			c.d.Records[i] = r
		}
		return
	}
	c.records[k] = len(c.d.Records)
	c.d.Records = append(c.d.Records, r)
}
