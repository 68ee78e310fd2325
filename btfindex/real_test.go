package btfindex

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"testing"

	"go.uber.org/zap/zaptest"
)

// openReal opens the running kernel's BTF and tracefs, or skips (fails
// under BPFLS_REQUIRE_REAL=1) when there is none.
func openReal(t *testing.T, cacheDir string) *Index {
	t.Helper()
	if _, err := os.Stat(kernelBTFPath); err != nil {
		requireReal(t, "no kernel BTF at "+kernelBTFPath)
	}
	ix, err := Open(context.Background(), Options{CacheDir: cacheDir, Logger: zaptest.NewLogger(t)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(ix.Close)
	return ix
}

func requireTracefs(t *testing.T, ix *Index) {
	t.Helper()
	if ix.tfs == nil {
		requireReal(t, "tracefs is not mounted at /sys/kernel/tracing or /sys/kernel/debug/tracing")
	}
}

func TestRealTCPSendmsg(t *testing.T) {
	t.Parallel()
	ix := openReal(t, "-")
	fn, ok := ix.Func("tcp_sendmsg")
	if !ok {
		t.Fatal("tcp_sendmsg not in kernel BTF")
	}
	var names []string
	for _, p := range fn.Params {
		names = append(names, p.Name)
	}
	if !reflect.DeepEqual(names, []string{"sk", "msg", "size"}) {
		t.Errorf("params = %q, want sk, msg, size", names)
	}
	sk := fn.Params[0].Type
	if sk.C != "struct sock *" || sk.Kind != KindPointer || sk.Elem == nil || sk.Elem.Record != "sock" {
		t.Errorf("sk = %+v", sk)
	}
	if got := FormatFunc(fn); got != "int tcp_sendmsg(struct sock *sk, struct msghdr *msg, size_t size);" {
		t.Errorf("FormatFunc = %q", got)
	}
	vr, ok := ix.Func("vfs_read")
	if !ok || FormatFunc(vr) != "ssize_t vfs_read(struct file *file, char *buf, size_t count, loff_t *pos);" {
		t.Errorf("vfs_read = %q, %v", FormatFunc(vr), ok)
	}
}

// TestRealSockFamily follows args.sk->__sk_common.skc_family the way the
// analysis does. skc_family sits directly in struct sock_common;
// skc_daddr is reachable only by flattening anonymous unions and structs.
// (sk_family itself is a C macro for __sk_common.skc_family, not a member.)
func TestRealSockFamily(t *testing.T) {
	t.Parallel()
	ix := openReal(t, "-")
	sock, ok := ix.Record("sock")
	if !ok {
		t.Fatal("struct sock not in kernel BTF")
	}
	common, ok := sock.Field("__sk_common")
	if !ok || common.Offset != 0 || common.Type.Kind != KindStruct || common.Type.Record != "sock_common" {
		t.Fatalf("__sk_common = %+v, %v", common, ok)
	}
	sc, ok := ix.Record(common.Type.Record)
	if !ok {
		t.Fatal("struct sock_common not found")
	}
	fam, ok := sc.Field("skc_family")
	if !ok || fam.Type.Size != 2 || fam.Type.Kind != KindInt {
		t.Errorf("skc_family = %+v, %v", fam, ok)
	}
	daddr, ok := sc.Field("skc_daddr") // inside union { skc_addrpair; struct { skc_daddr; skc_rcv_saddr; }; }
	if !ok || daddr.Type.C != "__be32" {
		t.Errorf("skc_daddr = %+v, %v", daddr, ok)
	}
	rcv, _ := sc.Field("skc_rcv_saddr")
	if rcv.Offset != daddr.Offset+4 {
		t.Errorf("skc_rcv_saddr at %d, skc_daddr at %d: offsets not added through anonymous members", rcv.Offset, daddr.Offset)
	}
}

func TestRealTracepointOpenat(t *testing.T) {
	t.Parallel()
	ix := openReal(t, "-")
	requireTracefs(t, ix)
	tp, ok := ix.Tracepoint("syscalls", "sys_enter_openat")
	if !ok {
		t.Fatal("syscalls:sys_enter_openat not found")
	}
	var found bool
	for _, f := range tp.Fields {
		if f.Name == "filename" {
			found = true
			if f.Type.Kind != KindPointer || f.Type.Elem == nil || f.Type.Elem.Size != 1 {
				t.Errorf("filename type = %+v", f.Type)
			}
		}
		if f.Name == "common_pid" {
			t.Error("common_pid not omitted")
		}
	}
	if !found {
		t.Errorf("no filename field in %+v", tp.Fields)
	}
	got := ix.Match(NameTracepoint, "syscalls:sys_enter_open*")
	if !slices.Contains(got, "syscalls:sys_enter_openat") || slices.Contains(got, "syscalls:sys_exit_openat") {
		t.Errorf("Match(syscalls:sys_enter_open*) = %q", got)
	}
}

// TestRealIndexMatchesScan builds the on-disk index for the real kernel and
// checks it lists exactly what the raw names scan lists.
func TestRealIndexMatchesScan(t *testing.T) {
	if testing.Short() {
		t.Skip("walks the whole kernel BTF")
	}
	scan := openReal(t, "-")
	cached := openReal(t, t.TempDir())
	if err := cached.WaitReady(context.Background()); err != nil {
		t.Fatal(err)
	}
	if st := cached.Stats(); st.CacheState != CacheReady || st.Funcs < 10000 {
		t.Fatalf("stats %+v", st)
	}
	for _, kind := range []NameKind{NameFunc, NameRecord, NameTypedef} {
		a, b := scan.Complete(kind, "", 0), cached.Complete(kind, "", 0)
		if !reflect.DeepEqual(a, b) {
			t.Errorf("kind %d: scan has %d names, index %d", kind, len(a), len(b))
		}
	}
	vfs := cached.Match(NameFunc, "vfs_*")
	if !slices.Contains(vfs, "vfs_read") || !slices.IsSorted(vfs) {
		t.Errorf("Match(vfs_*) = %q", vfs)
	}
	a, _ := scan.Func("tcp_sendmsg")
	tab := cached.cache.table()
	b, _ := tab.Func("tcp_sendmsg")
	b.Traceable = a.Traceable
	if !reflect.DeepEqual(a, b) {
		t.Errorf("tcp_sendmsg: live %+v, index %+v", a, b)
	}
}

func TestRealExportSnapshot(t *testing.T) {
	if testing.Short() {
		t.Skip("walks the whole kernel BTF")
	}
	ix := openReal(t, "-")
	requireTracefs(t, ix)
	path := filepath.Join(t.TempDir(), "kernel.snap")
	if err := ix.Export(context.Background(), path); err != nil {
		t.Fatal(err)
	}
	snap, err := OpenSnapshot(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"tcp_sendmsg", "vfs_read", "do_sys_openat2"} {
		a, _ := ix.Func(name)
		b, ok := snap.Func(name)
		if !ok || !reflect.DeepEqual(a, b) {
			t.Errorf("Func(%s): live %+v, snapshot %+v", name, a, b)
		}
	}
	a, _ := ix.Record("sock")
	b, _ := snap.Record("sock")
	if !reflect.DeepEqual(a, b) {
		t.Error("struct sock differs between live and snapshot")
	}
	tp, ok := snap.Tracepoint("syscalls", "sys_enter_openat")
	if !ok || len(tp.Fields) == 0 {
		t.Errorf("snapshot tracepoint = %+v, %v", tp, ok)
	}
}
