package btfindex

import (
	"context"
	"encoding/binary"
	"path/filepath"
	"reflect"
	"testing"
)

// wrapELF puts raw BTF into a minimal little-endian ELF64 relocatable file
// with a .BTF section and an empty symbol table, the shape of a vmlinux.
func wrapELF(btfData []byte) []byte {
	le := binary.LittleEndian
	shstr := []byte("\x00.BTF\x00.symtab\x00.strtab\x00.shstrtab\x00")
	type sec struct {
		name, typ, link, info uint32
		data                  []byte
		entsize, align        uint64
		off                   uint64
	}
	secs := []sec{
		{},
		{name: 1, typ: 1, data: btfData, align: 4},                                         // .BTF, SHT_PROGBITS
		{name: 6, typ: 2, link: 3, info: 1, data: make([]byte, 24), entsize: 24, align: 8}, // .symtab: the null symbol
		{name: 14, typ: 3, data: []byte{0}, align: 1},                                      // .strtab
		{name: 22, typ: 3, data: shstr, align: 1},                                          // .shstrtab
	}
	out := make([]byte, 64)
	for i := range secs[1:] {
		s := &secs[i+1]
		for len(out)%8 != 0 {
			out = append(out, 0)
		}
		s.off = uint64(len(out))
		out = append(out, s.data...)
	}
	for len(out)%8 != 0 {
		out = append(out, 0)
	}
	shoff := uint64(len(out))
	for _, s := range secs {
		h := make([]byte, 64)
		le.PutUint32(h[0:], s.name)
		le.PutUint32(h[4:], s.typ)
		le.PutUint64(h[24:], s.off)
		le.PutUint64(h[32:], uint64(len(s.data)))
		le.PutUint32(h[40:], s.link)
		le.PutUint32(h[44:], s.info)
		le.PutUint64(h[48:], s.align)
		le.PutUint64(h[56:], s.entsize)
		out = append(out, h...)
	}
	copy(out, []byte{0x7f, 'E', 'L', 'F', 2, 1, 1})
	le.PutUint16(out[16:], 1)  // ET_REL
	le.PutUint16(out[18:], 62) // EM_X86_64
	le.PutUint32(out[20:], 1)
	le.PutUint64(out[40:], shoff)
	le.PutUint16(out[52:], 64) // e_ehsize
	le.PutUint16(out[58:], 64) // e_shentsize
	le.PutUint16(out[60:], uint16(len(secs)))
	le.PutUint16(out[62:], 4) // e_shstrndx
	return out
}

func TestELFVmlinux(t *testing.T) {
	t.Parallel()
	vmlinux, _ := buildFixtures(t)
	path := filepath.Join(t.TempDir(), "vmlinux.elf")
	writeFile(t, path, wrapELF(vmlinux))
	for _, cacheDir := range []string{"-", t.TempDir()} {
		ix, err := Open(context.Background(), Options{BTFPath: path, TracefsDir: "-", CacheDir: cacheDir})
		if err != nil {
			t.Fatal(err)
		}
		defer ix.Close()
		if err := ix.WaitReady(context.Background()); err != nil {
			t.Fatal(err)
		}
		fn, ok := ix.Func("vfs_read")
		if !ok || FormatFunc(fn) != "ssize_t vfs_read(struct file *file, char *buf, size_t count, loff_t *pos);" {
			t.Errorf("cache %q: vfs_read = %v, %v", cacheDir, fn, ok)
		}
		if got := ix.Match(NameFunc, "vfs_*"); !reflect.DeepEqual(got, []string{"vfs_read", "vfs_write"}) {
			t.Errorf("cache %q: Match(vfs_*) = %q", cacheDir, got)
		}
	}
}

func TestNilIndexFindsNothing(t *testing.T) {
	t.Parallel()
	var ix *Index
	if _, ok := ix.Func("vfs_read"); ok {
		t.Error("Func")
	}
	if _, ok := ix.Record("sock"); ok {
		t.Error("Record")
	}
	if _, ok := ix.Typedef("size_t"); ok {
		t.Error("Typedef")
	}
	if _, ok := ix.Tracepoint("sched", "sched_switch"); ok {
		t.Error("Tracepoint")
	}
	if ix.Match(NameFunc, "*") != nil || len(ix.Complete(NameFunc, "", 0)) != 0 || ix.Traceable("x") != TraceUnknown {
		t.Error("listings on a nil Index")
	}
}
