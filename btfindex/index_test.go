package btfindex

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"go.uber.org/zap/zaptest"
)

// openFixture opens the fixture BTF with the fixture tracefs. cacheDir "-"
// disables the cache.
func openFixture(t *testing.T, cacheDir string) *Index {
	t.Helper()
	dir := fixtureDir(t)
	ix, err := Open(context.Background(), Options{
		BTFPath:    filepath.Join(dir, "vmlinux"),
		ModulesDir: filepath.Join(dir, "modules"),
		TracefsDir: "testdata/tracefs",
		CacheDir:   cacheDir,
		Logger:     zaptest.NewLogger(t),
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(ix.Close)
	return ix
}

func TestFuncPrototype(t *testing.T) {
	t.Parallel()
	ix := openFixture(t, "-")
	fn, ok := ix.Func("vfs_read")
	if !ok {
		t.Fatal("vfs_read not found")
	}
	if got := FormatFunc(fn); got != "ssize_t vfs_read(struct file *file, char *buf, size_t count, loff_t *pos);" {
		t.Errorf("FormatFunc = %q", got)
	}
	if fn.Return.Kind != KindInt || fn.Return.Size != 8 || !fn.Return.Signed {
		t.Errorf("return type = %+v, want signed 8-byte int", fn.Return)
	}
	file := fn.Params[0].Type
	if file.Kind != KindPointer || file.Elem == nil || file.Elem.Kind != KindStruct || file.Elem.Record != "file" {
		t.Errorf("param file = %+v, want pointer to struct file", file)
	}
	if fn.Module != "" {
		t.Errorf("Module = %q, want vmlinux (\"\")", fn.Module)
	}
	if _, ok := ix.Func("no_such_function"); ok {
		t.Error("found a function that does not exist")
	}
}

func TestFuncVariadicAndFuncPointerParam(t *testing.T) {
	t.Parallel()
	ix := openFixture(t, "-")
	for name, want := range map[string]string{
		"_printk":   "int _printk(const char *fmt, ...);",
		"sk_set_cb": "void sk_set_cb(struct sock *sk, sk_cb_t cb);",
	} {
		fn, ok := ix.Func(name)
		if !ok {
			t.Fatalf("%s not found", name)
		}
		if got := FormatFunc(fn); got != want {
			t.Errorf("FormatFunc(%s) = %q, want %q", name, got, want)
		}
	}
	fn, _ := ix.Func("sk_set_cb")
	cb := fn.Params[1].Type
	if cb.Kind != KindPointer || cb.Elem == nil || cb.Elem.Kind != KindFunc || cb.Elem.C != "void (struct sk_buff *)" {
		t.Errorf("cb = %+v, want pointer to a function prototype", cb)
	}
}

func TestRecordAnonymousMembersFlattened(t *testing.T) {
	t.Parallel()
	ix := openFixture(t, "-")
	rec, ok := ix.Record("struct sock_common")
	if !ok {
		t.Fatal("sock_common not found")
	}
	want := []Member{
		{Name: "skc_addrpair", Type: Type{C: "unsigned long", Kind: KindInt, Size: 8}, Offset: 0},
		{Name: "skc_daddr", Type: Type{C: "__be32", Kind: KindInt, Size: 4}, Offset: 0},
		{Name: "skc_rcv_saddr", Type: Type{C: "__be32", Kind: KindInt, Size: 4}, Offset: 4},
		{Name: "skc_family", Type: Type{C: "unsigned short", Kind: KindInt, Size: 2}, Offset: 8},
	}
	if !reflect.DeepEqual(rec.Members, want) {
		t.Errorf("members:\n got %+v\nwant %+v", rec.Members, want)
	}
	if _, ok := ix.Record("union sock_common"); ok {
		t.Error(`"union sock_common" found a struct`)
	}
	u, ok := ix.Record("bpf_attr")
	if !ok || !u.Union || u.Size != 8 {
		t.Errorf("bpf_attr = %+v, %v; want an 8-byte union", u, ok)
	}
}

func TestRecordBitfieldsAndFunctionPointers(t *testing.T) {
	t.Parallel()
	ix := openFixture(t, "-")
	rec, ok := ix.Record("sock")
	if !ok {
		t.Fatal("sock not found")
	}
	tests := []struct {
		name                 string
		c                    string
		off, bitOff, bitSize uint32
		kind                 Kind
	}{
		{"__sk_common", "struct sock_common", 0, 0, 0, KindStruct},
		{"sk_padding", "unsigned int", 16, 0, 1, KindInt},
		{"sk_kern_sock", "unsigned int", 16, 1, 1, KindInt},
		{"sk_protocol", "unsigned int", 17, 0, 8, KindInt},
		{"sk_destruct", "void (*)(struct sk_buff *)", 24, 0, 0, KindPointer},
		{"sk_prot_name", "char [16]", 32, 0, 0, KindArray},
		{"sk_next", "struct sock *", 48, 0, 0, KindPointer},
	}
	if len(rec.Members) != len(tests) {
		t.Fatalf("sock has %d members, want %d: %+v", len(rec.Members), len(tests), rec.Members)
	}
	for i, tc := range tests {
		m := rec.Members[i]
		if m.Name != tc.name || m.Type.C != tc.c || m.Offset != tc.off || m.BitOffset != tc.bitOff || m.BitSize != tc.bitSize || m.Type.Kind != tc.kind {
			t.Errorf("member %d = %s %q off %d bit %d:%d kind %d; want %s %q off %d bit %d:%d kind %d",
				i, m.Name, m.Type.C, m.Offset, m.BitOffset, m.BitSize, m.Type.Kind, tc.name, tc.c, tc.off, tc.bitOff, tc.bitSize, tc.kind)
		}
	}
	arr, _ := rec.Field("sk_prot_name")
	if arr.Type.Len != 16 || arr.Type.Size != 16 || arr.Type.Elem == nil || arr.Type.Elem.C != "char" {
		t.Errorf("sk_prot_name type = %+v", arr.Type)
	}
}

func TestTypedefChain(t *testing.T) {
	t.Parallel()
	ix := openFixture(t, "-")
	tests := []struct {
		name string
		want Type
	}{
		{"size_t", Type{C: "__kernel_size_t", Kind: KindInt, Size: 8}},
		{"__kernel_size_t", Type{C: "unsigned long", Kind: KindInt, Size: 8}},
		{"ssize_t", Type{C: "__kernel_ssize_t", Kind: KindInt, Size: 8, Signed: true}},
	}
	for _, tc := range tests {
		got, ok := ix.Typedef(tc.name)
		if !ok || !reflect.DeepEqual(got, tc.want) {
			t.Errorf("Typedef(%q) = %+v, %v; want %+v", tc.name, got, ok, tc.want)
		}
	}
	cb, ok := ix.Typedef("sk_cb_t")
	if !ok || cb.C != "void (*)(struct sk_buff *)" || cb.Kind != KindPointer {
		t.Errorf("Typedef(sk_cb_t) = %+v, %v", cb, ok)
	}
	if _, ok := ix.Typedef("int"); ok {
		t.Error("int is not a typedef")
	}
}

func TestModuleSplitBTF(t *testing.T) {
	t.Parallel()
	ix := openFixture(t, "-")
	fn, ok := ix.Func("testmod_handle")
	if !ok {
		t.Fatal("module function not found")
	}
	if fn.Module != "testmod" {
		t.Errorf("Module = %q, want testmod", fn.Module)
	}
	if got := FormatFunc(fn); got != "int testmod_handle(struct testmod_state *st, struct sock *sk);" {
		t.Errorf("FormatFunc = %q", got)
	}
	st, ok := ix.Record("testmod_state")
	if !ok || len(st.Members) != 2 || st.Members[0].Type.C != "struct sock *" || st.Members[1].Offset != 8 {
		t.Errorf("testmod_state = %+v, %v", st, ok)
	}
	// vmlinux functions are still found first, and listings include modules.
	if got := ix.Match(NameFunc, "*_handle"); !reflect.DeepEqual(got, []string{"testmod_handle"}) {
		t.Errorf("Match(*_handle) = %q", got)
	}
}

func TestTraceableFromFilterFunctions(t *testing.T) {
	t.Parallel()
	ix := openFixture(t, "-")
	for name, want := range map[string]Traceable{
		"vfs_read":       TraceYes,
		"testmod_handle": TraceYes, // "[testmod]" suffix stripped
		"vfs_write":      TraceNo,  // in BTF, not in the list
		"not_anywhere":   TraceNo,
	} {
		if got := ix.Traceable(name); got != want {
			t.Errorf("Traceable(%s) = %d, want %d", name, got, want)
		}
	}
	fn, _ := ix.Func("vfs_read")
	if fn.Traceable != TraceYes {
		t.Errorf("Func(vfs_read).Traceable = %d", fn.Traceable)
	}
	if st := ix.Stats(); st.Traceable != 4 {
		t.Errorf("Stats().Traceable = %d, want 4 distinct names", st.Traceable)
	}
}

func TestTraceableWithoutFilterFunctions(t *testing.T) {
	t.Parallel()
	dir := fixtureDir(t)
	tfs := t.TempDir() // tracefs with events but no available_filter_functions
	copyTree(t, "testdata/tracefs/events", filepath.Join(tfs, "events"))
	ix, err := Open(context.Background(), Options{BTFPath: filepath.Join(dir, "vmlinux"), TracefsDir: tfs, CacheDir: "-"})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if got := ix.Traceable("vfs_read"); got != TraceUnknown {
		t.Errorf("Traceable(vfs_read) = %d, want TraceUnknown", got)
	}
	if got := ix.Traceable("not_anywhere"); got != TraceNo {
		t.Errorf("Traceable(not_anywhere) = %d, want TraceNo", got)
	}
	st := ix.Stats()
	if st.Traceable != -1 || len(st.Warnings) != 1 {
		t.Errorf("Stats: Traceable %d, warnings %q; want -1 and one warning", st.Traceable, st.Warnings)
	}
}

func TestTracepointFromTracefs(t *testing.T) {
	t.Parallel()
	ix := openFixture(t, "-")
	tp, ok := ix.Tracepoint("syscalls", "sys_enter_openat")
	if !ok {
		t.Fatal("sys_enter_openat not found")
	}
	var names []string
	for _, f := range tp.Fields {
		names = append(names, f.Name)
	}
	if want := []string{"__syscall_nr", "dfd", "filename", "flags", "mode"}; !reflect.DeepEqual(names, want) {
		t.Errorf("fields = %q, want %q", names, want)
	}
	if _, ok := ix.Tracepoint("syscalls", "../../etc"); ok {
		t.Error("a path escaping events/ was accepted")
	}
	if _, ok := ix.Tracepoint("syscalls", "sys_enter_nothing"); ok {
		t.Error("a missing tracepoint was found")
	}
	got := ix.Match(NameTracepoint, "s*:sys_*_openat")
	if want := []string{"syscalls:sys_enter_openat", "syscalls:sys_exit_openat"}; !reflect.DeepEqual(got, want) {
		t.Errorf("Match = %q, want %q", got, want)
	}
}

// copyTree copies a directory of regular files.
func copyTree(t *testing.T, from, to string) {
	t.Helper()
	err := filepath.WalkDir(from, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(from, path)
		dst := filepath.Join(to, rel)
		if d.IsDir() {
			return os.MkdirAll(dst, 0o755)
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		return os.WriteFile(dst, data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}
