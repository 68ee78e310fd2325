package btfindex

import (
	"context"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"hash/crc32"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
)

// readyFixture opens the fixture with a cache in dir and waits for it.
func readyFixture(t *testing.T, btfDir, cacheDir string) (*Index, Stats) {
	t.Helper()
	ix, err := Open(context.Background(), Options{
		BTFPath:    filepath.Join(btfDir, "vmlinux"),
		ModulesDir: filepath.Join(btfDir, "modules"),
		TracefsDir: "testdata/tracefs",
		CacheDir:   cacheDir,
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(ix.Close)
	if err := ix.WaitReady(context.Background()); err != nil {
		t.Fatal(err)
	}
	st := ix.Stats()
	if st.CacheState != CacheReady {
		t.Fatalf("cache state %q, want ready (warnings %q)", st.CacheState, st.Warnings)
	}
	return ix, st
}

func TestCacheBuiltThenLoaded(t *testing.T) {
	t.Parallel()
	btfDir, cacheDir := fixtureDir(t), t.TempDir()
	_, first := readyFixture(t, btfDir, cacheDir)
	if !first.CacheBuilt {
		t.Error("first open did not build the index")
	}
	if filepath.Dir(first.CachePath) != cacheDir || filepath.Base(first.CachePath) != first.Key+".idx" {
		t.Errorf("cache path %q, want %s/<key>.idx", first.CachePath, cacheDir)
	}
	_, second := readyFixture(t, btfDir, cacheDir)
	if second.CacheBuilt {
		t.Error("second open rebuilt a valid index")
	}
	if second.Funcs != first.Funcs || second.Funcs != 6 {
		t.Errorf("funcs: first %d, second %d, want 6", first.Funcs, second.Funcs)
	}
	// The index, and the file that finds its key from the BTF files'
	// identity without hashing them.
	entries, _ := os.ReadDir(cacheDir)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if len(names) != 3 || !slices.Contains(names, first.Key+".idx") || !slices.Contains(names, first.Key+".idx"+checkedSuffix) ||
		!slices.ContainsFunc(names, func(n string) bool { return strings.HasSuffix(n, ".key") }) {
		t.Errorf("cache dir holds %q, want the index, the marker of its checksum and its identity key", names)
	}
}

// TestCacheKeyByIdentity: once the content key is known, a later open
// finds the index through the BTF files' identity without hashing them; a
// BTF file rewritten in place (new mtime) is hashed again.
func TestCacheKeyByIdentity(t *testing.T) {
	t.Parallel()
	btfDir, cacheDir := fixtureDir(t), t.TempDir()
	ix, first := readyFixture(t, btfDir, cacheDir)
	src := ix.btfSources()
	id, err := src.identity()
	if err != nil {
		t.Fatal(err)
	}
	keyFile := filepath.Join(cacheDir, hex.EncodeToString(id[:])+".key")
	if data, err := os.ReadFile(keyFile); err != nil || string(data) != first.Key {
		t.Fatalf("identity file %s holds %q (%v), want %s", keyFile, data, err, first.Key)
	}
	// A wrong key in the identity file is believed (that is the point: no
	// hashing), so the index it names is what the next open loads.
	if err := os.WriteFile(keyFile, []byte(strings.Repeat("ab", 32)), 0o644); err != nil {
		t.Fatal(err)
	}
	if key, err := contentKey(cacheDir, src); err != nil || hex.EncodeToString(key[:]) != strings.Repeat("ab", 32) {
		t.Fatalf("contentKey = %x, %v; want the identity file's key", key, err)
	}
	// Touching the BTF file changes its identity: the key is hashed again.
	later := time.Now().Add(time.Hour)
	if err := os.Chtimes(src.vmlinux, later, later); err != nil {
		t.Fatal(err)
	}
	if key, err := contentKey(cacheDir, src); err != nil || hex.EncodeToString(key[:]) != first.Key {
		t.Fatalf("contentKey after touching the BTF = %x, %v; want %s", key, err, first.Key)
	}
}

// TestCacheBadFilesRebuilt damages the index file in several ways; each
// time the next open must detect it, rebuild it and answer correctly.
func TestCacheBadFilesRebuilt(t *testing.T) {
	t.Parallel()
	btfDir := fixtureDir(t)
	damages := []struct {
		name   string
		damage func(t *testing.T, data []byte) []byte
		want   error
	}{
		{"truncated", func(t *testing.T, d []byte) []byte { return d[:len(d)/2] }, ErrCorrupt},
		{"empty", func(t *testing.T, d []byte) []byte { return nil }, ErrCorrupt},
		{"bit flip", func(t *testing.T, d []byte) []byte { d[len(d)/2] ^= 0x10; return d }, ErrCorrupt},
		{"not an index", func(t *testing.T, d []byte) []byte { return []byte("hello, this is not an index file at all") }, ErrCorrupt},
		{"other schema", func(t *testing.T, d []byte) []byte {
			binary.LittleEndian.PutUint32(d[8:], schemaVersion+1)
			return reseal(d)
		}, ErrSchemaMismatch},
		{"other BTF", func(t *testing.T, d []byte) []byte { d[16] ^= 0xff; return reseal(d) }, ErrStale},
	}
	for _, tc := range damages {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			cacheDir := t.TempDir()
			_, st := readyFixture(t, btfDir, cacheDir)
			good, err := os.ReadFile(st.CachePath)
			if err != nil {
				t.Fatal(err)
			}
			bad := tc.damage(t, append([]byte(nil), good...))
			writeFile(t, st.CachePath, bad)
			key := parseKey(t, st.Key)
			if _, err := readTable(st.CachePath, &key); !errors.Is(err, tc.want) {
				t.Fatalf("readTable on damaged file: %v, want %v", err, tc.want)
			}
			ix, again := readyFixture(t, btfDir, cacheDir)
			if !again.CacheBuilt {
				t.Error("damaged index was not rebuilt")
			}
			if _, err := readTable(st.CachePath, &key); err != nil {
				t.Errorf("rebuilt file does not read back: %v", err)
			}
			if got := ix.Match(NameFunc, "vfs_*"); !reflect.DeepEqual(got, []string{"vfs_read", "vfs_write"}) {
				t.Errorf("Match after rebuild = %q", got)
			}
		})
	}
}

// reseal recomputes the trailing checksum after an edit.
func reseal(d []byte) []byte {
	binary.LittleEndian.PutUint32(d[len(d)-4:], crc32.Checksum(d[:len(d)-4], castagnoli))
	return d
}

func parseKey(t *testing.T, hexKey string) [32]byte {
	t.Helper()
	var k [32]byte
	if len(hexKey) != 64 {
		t.Fatalf("key %q", hexKey)
	}
	for i := range k {
		var b byte
		for _, c := range hexKey[2*i : 2*i+2] {
			b <<= 4
			switch {
			case c >= '0' && c <= '9':
				b |= byte(c - '0')
			default:
				b |= byte(c-'a') + 10
			}
		}
		k[i] = b
	}
	return k
}

func TestCacheUnwritableDirStillServes(t *testing.T) {
	t.Parallel()
	btfDir := fixtureDir(t)
	blocker := filepath.Join(t.TempDir(), "file")
	writeFile(t, blocker, []byte("x")) // a file where the cache dir should be
	ix, st := readyFixture(t, btfDir, filepath.Join(blocker, "cache"))
	if !st.CacheBuilt || st.Funcs != 6 {
		t.Errorf("stats %+v", st)
	}
	if got := ix.Complete(NameRecord, "sock", 0); !reflect.DeepEqual(got, []string{"sock", "sock_common"}) {
		t.Errorf("Complete(sock) = %q", got)
	}
}

func TestWriteFileAtomic(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	path := filepath.Join(dir, "sub", "x.idx")
	for _, content := range []string{"first", "second, longer"} {
		if err := writeFileAtomic(path, []byte(content)); err != nil {
			t.Fatal(err)
		}
		if got, _ := os.ReadFile(path); string(got) != content {
			t.Errorf("content %q, want %q", got, content)
		}
	}
	// Renaming onto a directory fails; the temporary file must not linger.
	target := filepath.Join(dir, "sub", "isdir")
	if err := os.Mkdir(target, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := writeFileAtomic(target, []byte("x")); err == nil {
		t.Error("writing over a directory succeeded")
	}
	entries, _ := os.ReadDir(filepath.Join(dir, "sub"))
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".tmp-") {
			t.Errorf("temporary file %s left behind", e.Name())
		}
	}
}

// TestListingsSameBeforeAndAfterCache compares the names scan (cache
// disabled) with the index file.
func TestListingsSameBeforeAndAfterCache(t *testing.T) {
	t.Parallel()
	btfDir := fixtureDir(t)
	scan, err := Open(context.Background(), Options{
		BTFPath: filepath.Join(btfDir, "vmlinux"), ModulesDir: filepath.Join(btfDir, "modules"),
		TracefsDir: "-", CacheDir: "-",
	})
	if err != nil {
		t.Fatal(err)
	}
	defer scan.Close()
	cached, _ := readyFixture(t, btfDir, t.TempDir())
	for _, kind := range []NameKind{NameFunc, NameRecord, NameTypedef} {
		a, b := scan.Complete(kind, "", 0), cached.Complete(kind, "", 0)
		if len(a) == 0 || !reflect.DeepEqual(a, b) {
			t.Errorf("kind %d: scan %q, index %q", kind, a, b)
		}
	}
	if st := scan.Stats(); st.CacheState != CacheDisabled || st.Funcs != 6 || st.Records != 6 {
		t.Errorf("scan stats %+v", st)
	}
}

func TestSnapshotRoundTrip(t *testing.T) {
	t.Parallel()
	live := openFixture(t, "-")
	path := filepath.Join(t.TempDir(), "kernel.snap")
	if err := live.Export(context.Background(), path); err != nil {
		t.Fatal(err)
	}
	snap, err := OpenSnapshot(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"vfs_read", "_printk", "sk_set_cb", "testmod_handle", "tcp_sendmsg"} {
		a, _ := live.Func(name)
		b, ok := snap.Func(name)
		if !ok || !reflect.DeepEqual(a, b) {
			t.Errorf("Func(%s): live %+v, snapshot %+v", name, a, b)
		}
	}
	for _, name := range []string{"sock", "sock_common", "bpf_attr", "union bpf_attr", "testmod_state"} {
		a, _ := live.Record(name)
		b, ok := snap.Record(name)
		if !ok || !reflect.DeepEqual(a, b) {
			t.Errorf("Record(%s): live %+v, snapshot %+v", name, a, b)
		}
	}
	for _, name := range []string{"size_t", "sk_cb_t"} {
		a, _ := live.Typedef(name)
		b, ok := snap.Typedef(name)
		if !ok || !reflect.DeepEqual(a, b) {
			t.Errorf("Typedef(%s): live %+v, snapshot %+v", name, a, b)
		}
	}
	for _, tp := range live.Match(NameTracepoint, "*:*") {
		cat, ev := splitTracepoint(tp)
		a, _ := live.Tracepoint(cat, ev)
		b, ok := snap.Tracepoint(cat, ev)
		if !ok || !reflect.DeepEqual(a, b) {
			t.Errorf("Tracepoint(%s): live %+v, snapshot %+v", tp, a, b)
		}
	}
	for _, name := range []string{"vfs_read", "vfs_write", "nope"} {
		if a, b := live.Traceable(name), snap.Traceable(name); a != b {
			t.Errorf("Traceable(%s): live %d, snapshot %d", name, a, b)
		}
	}
	for _, kind := range []NameKind{NameFunc, NameRecord, NameTypedef, NameTracepoint} {
		if a, b := live.Complete(kind, "", 0), snap.Complete(kind, "", 0); !reflect.DeepEqual(a, b) {
			t.Errorf("kind %d: live %q, snapshot %q", kind, a, b)
		}
	}
	st := snap.Stats()
	if st.CacheState != CacheSnapshot || st.Traceable != 4 || st.Tracepoints != 6 {
		t.Errorf("snapshot stats %+v", st)
	}
	// Re-exporting a snapshot copies it.
	again := filepath.Join(t.TempDir(), "copy.snap")
	if err := snap.Export(context.Background(), again); err != nil {
		t.Fatal(err)
	}
	a, _ := os.ReadFile(path)
	b, _ := os.ReadFile(again)
	if !reflect.DeepEqual(a, b) {
		t.Error("re-exported snapshot differs")
	}
}

func TestOpenSnapshotRejectsBadFiles(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "bad.snap")
	writeFile(t, path, []byte("BPFLSIX\x00 but then nothing useful"))
	if _, err := OpenSnapshot(path); !errors.Is(err, ErrCorrupt) {
		t.Errorf("err = %v, want ErrCorrupt", err)
	}
	if _, err := OpenSnapshot(filepath.Join(t.TempDir(), "missing")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("err = %v, want not-exist", err)
	}
	// A snapshot of another format version says how to get a readable one.
	old := fixtureTable(t)
	binary.LittleEndian.PutUint32(old[8:], schemaVersion-1)
	writeFile(t, path, reseal(old))
	if _, err := OpenSnapshot(path); !errors.Is(err, ErrSchemaMismatch) || !strings.Contains(err.Error(), "bpfls btf export") {
		t.Errorf("err = %v, want ErrSchemaMismatch naming bpfls btf export", err)
	}
}

// fixtureTable encodes the fixture kernel as a snapshot, in memory.
func fixtureTable(t testing.TB) []byte {
	t.Helper()
	dir := fixtureDir(t)
	ix, err := Open(context.Background(), Options{
		BTFPath: filepath.Join(dir, "vmlinux"), ModulesDir: filepath.Join(dir, "modules"),
		TracefsDir: "testdata/tracefs", CacheDir: "-",
	})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	data, err := ix.snapshotBytes(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// exercise queries everything a table holds; it must never panic.
func exercise(tab *table) {
	for _, kind := range []NameKind{NameFunc, NameRecord, NameTypedef, NameTracepoint} {
		l := tab.names(kind)
		for i := range l.Len() {
			name := l.At(i)
			tab.Func(name)
			tab.Record(name)
			tab.Typedef(name)
			tab.Traceable(name)
			tab.Tracepoint(splitTracepoint(name))
		}
	}
	tab.stats()
}

func TestDecodeTableNeverPanics(t *testing.T) {
	t.Parallel()
	data := fixtureTable(t)
	for n := range len(data) {
		if _, err := decodeTable(data[:n]); err == nil {
			t.Fatalf("truncated to %d bytes: decoded", n)
		}
	}
	// Damage with a valid checksum reaches the structural checks.
	for i := 0; i < len(data)-4; i += 7 {
		d := append([]byte(nil), data...)
		d[i] ^= 0xa5
		if tab, err := decodeTable(reseal(d)); err == nil {
			exercise(tab)
		}
	}
}

func FuzzDecodeTable(f *testing.F) {
	f.Add(fixtureTable(f))
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) < 4 {
			return
		}
		d := append([]byte(nil), data...)
		if tab, err := decodeTable(reseal(d)); err == nil {
			exercise(tab)
		}
	})
}

func TestOpenKernelDetectsSnapshotOrBTF(t *testing.T) {
	t.Parallel()
	dir := fixtureDir(t)
	snapPath := filepath.Join(t.TempDir(), "k.snap")
	if err := openFixture(t, "-").Export(context.Background(), snapPath); err != nil {
		t.Fatal(err)
	}
	snap, err := OpenKernel(context.Background(), snapPath, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if st := snap.Stats(); st.CacheState != CacheSnapshot || st.Tracepoints != 6 {
		t.Errorf("snapshot stats %+v", st)
	}
	raw, err := OpenKernel(context.Background(), filepath.Join(dir, "vmlinux"), Options{CacheDir: "-"})
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	if _, ok := raw.Func("vfs_read"); !ok {
		t.Error("vfs_read not found in BTF file")
	}
	if _, ok := raw.Tracepoint("sched", "sched_switch"); ok {
		t.Error("a BTF file brought the running machine's tracepoints")
	}
	if _, err := OpenKernel(context.Background(), filepath.Join(dir, "nope"), Options{CacheDir: "-"}); !errors.Is(err, ErrNoBTF) {
		t.Errorf("missing file: %v, want ErrNoBTF", err)
	}
}

func TestUnusedIndexesPruned(t *testing.T) {
	t.Parallel()
	btfDir, cacheDir := fixtureDir(t), t.TempDir()
	old, recent := filepath.Join(cacheDir, "0000.idx"), filepath.Join(cacheDir, "1111.idx")
	writeFile(t, old, []byte("another kernel's index"))
	writeFile(t, recent, []byte("a recent kernel's index"))
	past := time.Now().Add(-40 * 24 * time.Hour)
	if err := os.Chtimes(old, past, past); err != nil {
		t.Fatal(err)
	}
	_, st := readyFixture(t, btfDir, cacheDir) // builds, then prunes
	if _, err := os.Stat(old); !errors.Is(err, os.ErrNotExist) {
		t.Error("an index unused for 40 days was kept")
	}
	if _, err := os.Stat(recent); err != nil {
		t.Error("a recently used index was removed")
	}
	// Loading marks the index used, so it survives later prunes.
	if err := os.Chtimes(st.CachePath, past, past); err != nil {
		t.Fatal(err)
	}
	readyFixture(t, btfDir, cacheDir)
	if info, err := os.Stat(st.CachePath); err != nil || time.Since(info.ModTime()) > time.Hour {
		t.Errorf("loaded index not marked used: %v", err)
	}
}

func TestStaleTempFilesRemoved(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	old, fresh := filepath.Join(dir, ".tmp-x.idx-1"), filepath.Join(dir, ".tmp-x.idx-2")
	writeFile(t, old, []byte("partial"))
	writeFile(t, fresh, []byte("being written"))
	past := time.Now().Add(-time.Hour)
	if err := os.Chtimes(old, past, past); err != nil {
		t.Fatal(err)
	}
	removeStaleTemps(dir)
	if _, err := os.Stat(old); !errors.Is(err, os.ErrNotExist) {
		t.Error("stale temporary file kept")
	}
	if _, err := os.Stat(fresh); err != nil {
		t.Error("a temporary file another process may be writing was removed")
	}
}
