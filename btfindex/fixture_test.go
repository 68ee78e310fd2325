package btfindex

// This file builds the small BTF fixtures the tests use: a "vmlinux" with
// anonymous members, bitfields, typedef chains and function pointers, and a
// module's split BTF on top of it. The same blobs are kept in the top-level
// testdata/btf/kernel/ for other packages (go test -update rewrites them).

import (
	"bytes"
	"encoding/binary"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/cilium/ebpf/btf"
)

var update = flag.Bool("update", false, "rewrite golden files and testdata/btf fixtures")

// fixtureBase returns the types of the fixture vmlinux.
func fixtureBase() []btf.Type {
	i32 := &btf.Int{Name: "int", Size: 4, Encoding: btf.Signed}
	u32 := &btf.Int{Name: "unsigned int", Size: 4}
	u16 := &btf.Int{Name: "unsigned short", Size: 2}
	u64 := &btf.Int{Name: "unsigned long", Size: 8}
	i64 := &btf.Int{Name: "long", Size: 8, Encoding: btf.Signed}
	llong := &btf.Int{Name: "long long", Size: 8, Encoding: btf.Signed}
	char := &btf.Int{Name: "char", Size: 1, Encoding: btf.Char}
	ksize := &btf.Typedef{Name: "__kernel_size_t", Type: u64}
	size := &btf.Typedef{Name: "size_t", Type: ksize}
	ssize := &btf.Typedef{Name: "ssize_t", Type: &btf.Typedef{Name: "__kernel_ssize_t", Type: i64}}
	loff := &btf.Typedef{Name: "loff_t", Type: llong}
	be32 := &btf.Typedef{Name: "__be32", Type: u32}

	skb := &btf.Struct{Name: "sk_buff", Size: 8, Members: []btf.Member{{Name: "len", Type: u32}}}
	file := &btf.Struct{Name: "file", Size: 8, Members: []btf.Member{{Name: "f_flags", Type: u32}}}
	msghdr := &btf.Fwd{Name: "msghdr", Kind: btf.FwdStruct}

	// struct sock_common { union { u64 skc_addrpair; struct { __be32 skc_daddr; __be32 skc_rcv_saddr; }; }; unsigned short skc_family; }
	pair := &btf.Struct{Size: 8, Members: []btf.Member{
		{Name: "skc_daddr", Type: be32},
		{Name: "skc_rcv_saddr", Type: be32, Offset: 32},
	}}
	addr := &btf.Union{Size: 8, Members: []btf.Member{
		{Name: "skc_addrpair", Type: u64},
		{Type: pair},
	}}
	common := &btf.Struct{Name: "sock_common", Size: 16, Members: []btf.Member{
		{Type: addr},
		{Name: "skc_family", Type: u16, Offset: 64},
	}}
	sock := &btf.Struct{Name: "sock", Size: 56}
	destruct := &btf.Pointer{Target: &btf.FuncProto{Return: &btf.Void{}, Params: []btf.FuncParam{{Type: &btf.Pointer{Target: skb}}}}}
	sock.Members = []btf.Member{
		{Name: "__sk_common", Type: common},
		{Name: "sk_padding", Type: u32, Offset: 128, BitfieldSize: 1},
		{Name: "sk_kern_sock", Type: u32, Offset: 129, BitfieldSize: 1},
		{Name: "sk_protocol", Type: u32, Offset: 136, BitfieldSize: 8},
		{Name: "sk_destruct", Type: destruct, Offset: 192},
		{Name: "sk_prot_name", Type: &btf.Array{Type: char, Index: u32, Nelems: 16}, Offset: 256},
		{Name: "sk_next", Type: &btf.Pointer{Target: sock}, Offset: 384},
	}
	bpfAttr := &btf.Union{Name: "bpf_attr", Size: 8, Members: []btf.Member{
		{Name: "map_type", Type: u32},
		{Name: "prog_type", Type: u32},
	}}
	cb := &btf.Typedef{Name: "sk_cb_t", Type: destruct}

	vfsRead := &btf.Func{Name: "vfs_read", Linkage: btf.GlobalFunc, Type: &btf.FuncProto{Return: ssize, Params: []btf.FuncParam{
		{Name: "file", Type: &btf.Pointer{Target: file}},
		{Name: "buf", Type: &btf.Pointer{Target: char}},
		{Name: "count", Type: size},
		{Name: "pos", Type: &btf.Pointer{Target: loff}},
	}}}
	vfsWrite := &btf.Func{Name: "vfs_write", Linkage: btf.GlobalFunc, Type: &btf.FuncProto{Return: ssize, Params: []btf.FuncParam{
		{Name: "file", Type: &btf.Pointer{Target: file}},
		{Name: "buf", Type: &btf.Pointer{Target: &btf.Const{Type: char}}},
		{Name: "count", Type: size},
		{Name: "pos", Type: &btf.Pointer{Target: loff}},
	}}}
	tcpSendmsg := &btf.Func{Name: "tcp_sendmsg", Linkage: btf.GlobalFunc, Type: &btf.FuncProto{Return: i32, Params: []btf.FuncParam{
		{Name: "sk", Type: &btf.Pointer{Target: sock}},
		{Name: "msg", Type: &btf.Pointer{Target: msghdr}},
		{Name: "size", Type: size},
	}}}
	printk := &btf.Func{Name: "_printk", Linkage: btf.GlobalFunc, Type: &btf.FuncProto{Return: i32, Params: []btf.FuncParam{
		{Name: "fmt", Type: &btf.Pointer{Target: &btf.Const{Type: char}}},
		{Type: &btf.Void{}},
	}}}
	setCB := &btf.Func{Name: "sk_set_cb", Linkage: btf.StaticFunc, Type: &btf.FuncProto{Return: &btf.Void{}, Params: []btf.FuncParam{
		{Name: "sk", Type: &btf.Pointer{Target: sock}},
		{Name: "cb", Type: cb},
	}}}
	return []btf.Type{vfsRead, vfsWrite, tcpSendmsg, printk, setCB, sock, common, bpfAttr, skb, size}
}

// fixtureModule returns the module's types, referring to base's types.
func fixtureModule(t testing.TB, base *btf.Spec) []btf.Type {
	t.Helper()
	var sock *btf.Struct
	if err := base.TypeByName("sock", &sock); err != nil {
		t.Fatal(err)
	}
	var i32 *btf.Int
	if err := base.TypeByName("int", &i32); err != nil {
		t.Fatal(err)
	}
	state := &btf.Struct{Name: "testmod_state", Size: 16, Members: []btf.Member{
		{Name: "sk", Type: &btf.Pointer{Target: sock}},
		{Name: "count", Type: i32, Offset: 64},
	}}
	fn := &btf.Func{Name: "testmod_handle", Linkage: btf.GlobalFunc, Type: &btf.FuncProto{Return: i32, Params: []btf.FuncParam{
		{Name: "st", Type: &btf.Pointer{Target: state}},
		{Name: "sk", Type: &btf.Pointer{Target: sock}},
	}}}
	return []btf.Type{fn}
}

// buildFixtures returns the raw vmlinux BTF and the module's split BTF.
// Split BTF is cut from a combined blob whose first part is byte-identical
// to the base: cilium/ebpf has no split encoder.
func buildFixtures(t testing.TB) (vmlinux, module []byte) {
	t.Helper()
	first := marshal(t, fixtureBase())
	spec0, err := btf.LoadSpecFromReader(bytes.NewReader(first))
	if err != nil {
		t.Fatal(err)
	}
	var base []btf.Type
	for typ, err := range spec0.All() {
		if err != nil {
			t.Fatal(err)
		}
		base = append(base, typ)
	}
	vmlinux = marshal(t, base)
	combined := marshal(t, append(base, fixtureModule(t, spec0)...))
	bh, ch := header(t, vmlinux), header(t, combined)
	bTypes, bStrs := sectionsOf(vmlinux, bh)
	cTypes, cStrs := sectionsOf(combined, ch)
	if !bytes.HasPrefix(cTypes, bTypes) || !bytes.HasPrefix(cStrs, bStrs) {
		t.Fatal("combined BTF does not start with the base: cannot cut split BTF")
	}
	splitTypes, splitStrs := cTypes[len(bTypes):], cStrs[len(bStrs):]
	module = make([]byte, 24)
	le := binary.LittleEndian
	le.PutUint16(module, btfMagic)
	module[2] = 1
	le.PutUint32(module[4:], 24)
	le.PutUint32(module[8:], 0)
	le.PutUint32(module[12:], uint32(len(splitTypes)))
	le.PutUint32(module[16:], uint32(len(splitTypes)))
	le.PutUint32(module[20:], uint32(len(splitStrs)))
	module = append(append(module, splitTypes...), splitStrs...)
	return vmlinux, module
}

func marshal(t testing.TB, types []btf.Type) []byte {
	t.Helper()
	b, err := btf.NewBuilder(types, nil)
	if err != nil {
		t.Fatal(err)
	}
	raw, err := b.Marshal(nil, &btf.MarshalOptions{Order: binary.LittleEndian})
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

type btfHeader struct{ typeOff, typeLen, strOff, strLen uint32 }

func header(t testing.TB, raw []byte) btfHeader {
	t.Helper()
	if len(raw) < 24 || binary.LittleEndian.Uint16(raw) != btfMagic || binary.LittleEndian.Uint32(raw[4:]) != 24 {
		t.Fatal("unexpected BTF header")
	}
	le := binary.LittleEndian
	return btfHeader{le.Uint32(raw[8:]), le.Uint32(raw[12:]), le.Uint32(raw[16:]), le.Uint32(raw[20:])}
}

func sectionsOf(raw []byte, h btfHeader) (types, strs []byte) {
	body := raw[24:]
	return body[h.typeOff : h.typeOff+h.typeLen], body[h.strOff : h.strOff+h.strLen]
}

// fixtureDir writes the fixtures as a BTF directory: dir/vmlinux and
// dir/modules/testmod, and returns dir.
func fixtureDir(t testing.TB) string {
	t.Helper()
	vmlinux, module := buildFixtures(t)
	dir := t.TempDir()
	mods := filepath.Join(dir, "modules")
	if err := os.MkdirAll(mods, 0o755); err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(dir, "vmlinux"), vmlinux)
	writeFile(t, filepath.Join(mods, "testmod"), module)
	return dir
}

func writeFile(t testing.TB, path string, data []byte) {
	t.Helper()
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestFixtureFiles keeps testdata/btf/kernel (laid out like
// /sys/kernel/btf, used by cmd/bpfls tests) equal to what the fixture
// builders produce.
func TestFixtureFiles(t *testing.T) {
	vmlinux, module := buildFixtures(t)
	for name, want := range map[string][]byte{"vmlinux": vmlinux, "testmod": module} {
		path := filepath.Join("..", "testdata", "btf", "kernel", name)
		if *update {
			if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
				t.Fatal(err)
			}
			writeFile(t, path, want)
			continue
		}
		got, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("%v (go test ./btfindex -run TestFixtureFiles -update writes it)", err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s is out of date (go test ./btfindex -run TestFixtureFiles -update)", path)
		}
	}
}
