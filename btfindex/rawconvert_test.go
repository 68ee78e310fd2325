package btfindex

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/cilium/ebpf/btf"
)

// ciliumCollect is the reference for the raw build: the whole-kernel walk
// through cilium/ebpf's decoded types and the live lookups' converters.
func ciliumCollect(t *testing.T, src btfSources, b *tableBuilder) {
	t.Helper()
	base, err := loadSpecFresh(src.vmlinux)
	if err != nil {
		t.Fatal(err)
	}
	walk := func(spec *btf.Spec, module string) {
		for typ, err := range spec.All() {
			if err != nil {
				t.Fatal(err)
			}
			switch u := typ.(type) {
			case *btf.Func:
				b.addFunc(convertFunc(u, module))
			case *btf.Struct, *btf.Union:
				if typ.TypeName() != "" {
					b.addRecord(convertRecord(typ))
				}
			case *btf.Enum:
				b.addEnumTag(u.Name)
				for _, v := range u.Values {
					b.addEnumConst(enumConstOf(u, v))
				}
			case *btf.Typedef:
				if u.Name != "" {
					b.addTypedef(u.Name, convertType(u.Type))
				}
			}
		}
	}
	walk(base, "")
	b.sources = append(b.sources, "btf:"+src.vmlinux)
	for _, m := range src.modules {
		spec, err := loadBTFFile(m, base)
		if err != nil {
			continue
		}
		walk(spec, filepath.Base(m))
		b.sources = append(b.sources, "module:"+m)
	}
}

// TestRawBuildMatchesCilium builds the index from raw BTF and from
// cilium/ebpf's decoded types and wants the same bytes: the build and the
// live lookups must describe every function, record, typedef and enum
// constant alike. It runs on the test BTF files and the running kernel.
func TestRawBuildMatchesCilium(t *testing.T) {
	t.Parallel()
	dir := fixtureDir(t)
	srcs := map[string]btfSources{
		"fixture": {vmlinux: filepath.Join(dir, "vmlinux"), modules: []string{filepath.Join(dir, "modules", "testmod")}},
	}
	if _, err := os.Stat(kernelBTFPath); err == nil {
		ix, err := Open(context.Background(), Options{CacheDir: "-", TracefsDir: "-", SymbolsPath: "-"})
		if err != nil {
			t.Fatal(err)
		}
		src := ix.btfSources()
		src.syms = nil
		srcs["running kernel"] = src
		ix.Close()
	} else {
		requireReal(t, "no kernel BTF at "+kernelBTFPath)
	}
	for name, src := range srcs {
		raw, ref := newTableBuilder(), newTableBuilder()
		if err := collectBTF(context.Background(), src, collector{b: raw}); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		ciliumCollect(t, src, ref)
		got, want := raw.bytes(), ref.bytes()
		if len(raw.sections[secFuncs].ents) == 0 || len(raw.sources) != 1+len(src.modules) {
			t.Errorf("%s: %d functions from %q", name, len(raw.sections[secFuncs].ents), raw.sources)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s: raw build differs from cilium/ebpf's (%d vs %d bytes)", name, len(got), len(want))
			diffTables(t, got, want)
		}
	}
}

// diffTables reports the first entries that differ between two indexes.
func diffTables(t *testing.T, got, want []byte) {
	g, err1 := decodeTable(got)
	w, err2 := decodeTable(want)
	if err1 != nil || err2 != nil {
		t.Fatalf("decoding: %v %v", err1, err2)
	}
	for _, sec := range []int{secFuncs, secRecords, secTypedefs, secEnums} {
		n := min(g.secs[sec].n(), w.secs[sec].n())
		if g.secs[sec].n() != w.secs[sec].n() {
			t.Errorf("section %d: %d vs %d entries", sec, g.secs[sec].n(), w.secs[sec].n())
		}
		shown := 0
		for i := 0; i < n && shown < 3; i++ {
			if gn, wn := g.entryName(sec, i), w.entryName(sec, i); gn != wn {
				t.Errorf("section %d entry %d: %q vs %q", sec, i, gn, wn)
				shown++
			}
		}
	}
}
