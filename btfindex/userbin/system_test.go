package userbin_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bpfls/bpfls/btfindex/userbin"
	"github.com/bpfls/bpfls/btfindex/userbin/usertest"
)

// libc resolves and reads the machine's libc with its Debian debug info
// (libc6-dbg), or skips (fails in CI).
func libc(t testing.TB) *userbin.Binary {
	t.Helper()
	var r userbin.Resolver
	res, err := r.Resolve("libc")
	if err != nil {
		usertest.RequireReal(t, "no libc found through ld.so.cache: "+err.Error())
	}
	b, err := userbin.Read(res.Path, userbin.DefaultLimits())
	if err != nil {
		t.Fatalf("reading %s: %v", res.Path, err)
	}
	return b
}

func TestResolveLikeBpftrace(t *testing.T) {
	var r userbin.Resolver
	res, err := r.Resolve("libc")
	if err != nil {
		usertest.RequireReal(t, "no /etc/ld.so.cache entry for libc")
	}
	if filepath.Base(res.Path) != "libc.so.6" || res.Via != "ld.so.cache" {
		t.Errorf("libc resolved to %+v, want libc.so.6 through ld.so.cache", res)
	}
	// bpftrace 0.17-0.26: "uprobe target file 'c' does not exist or is not
	// executable", and the same for "libc.so.6".
	for _, name := range []string{"c", "libc.so.6", "no-such-program-bpfls"} {
		if res, err := r.Resolve(name); !errors.Is(err, userbin.ErrNotFound) {
			t.Errorf("Resolve(%q) = %+v, %v; want ErrNotFound", name, res, err)
		}
	}
	res, err = r.Resolve("bash")
	if err != nil {
		usertest.RequireReal(t, "no bash on PATH")
	}
	if filepath.Base(res.Path) != "bash" || res.Via != "PATH" || !filepath.IsAbs(res.Path) {
		t.Errorf("bash resolved to %+v", res)
	}
	if res, err := r.Resolve("/bin/bash"); err != nil || res.Path != "/bin/bash" {
		t.Errorf("an absolute path resolved to %+v, %v", res, err)
	}
	// A program on a PATH of our own wins over ld.so.cache, and must be
	// executable.
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "tool"), []byte("x"), 0o755)
	os.WriteFile(filepath.Join(dir, "data"), []byte("x"), 0o644)
	own := userbin.Resolver{PATH: dir + ":/nonexistent", LibDirs: []string{dir}}
	if res, err := own.Resolve("tool"); err != nil || res.Path != filepath.Join(dir, "tool") || res.Matches != 1 {
		t.Errorf("Resolve(tool) = %+v, %v", res, err)
	}
	if _, err := own.Resolve("data"); !errors.Is(err, userbin.ErrNotFound) {
		t.Errorf("a non-executable file on PATH resolved: %v", err)
	}
	os.WriteFile(filepath.Join(dir, "libown.so.3"), []byte("x"), 0o644)
	if res, err := own.Resolve("libown"); err != nil || res.Via != "libdir" {
		t.Errorf("Resolve(libown) = %+v, %v; want the library directory", res, err)
	}
}

func TestBashReadline(t *testing.T) {
	var r userbin.Resolver
	res, err := r.Resolve("bash")
	if err != nil {
		usertest.RequireReal(t, "no bash on PATH")
	}
	b, err := userbin.Read(res.Path, userbin.DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := b.Func("readline"); !ok {
		t.Errorf("bash has no readline symbol (%d functions)", len(b.Funcs))
	}
	if got := b.Match("readline*", 0); len(got) < 2 {
		t.Errorf("readline* matched %d functions", len(got))
	}
}

func TestLibcDebugInfo(t *testing.T) {
	b := libc(t)
	m, ok := b.Func("malloc")
	if !ok || m.Versioned() != "malloc@@GLIBC_2.2.5" {
		t.Errorf("malloc = %+v (%s), want malloc@@GLIBC_2.2.5", m, m.Versioned())
	}
	if b.HasDWARF {
		t.Skip("this libc carries its own DWARF")
	}
	err := b.LoadDebug(context.Background(), userbin.DefaultLimits(), nil)
	if err != nil {
		usertest.RequireReal(t, "no debug info for libc (Debian: libc6-dbg): "+err.Error())
	}
	if want := "/usr/lib/debug/.build-id/" + b.BuildID[:2] + "/" + b.BuildID[2:] + ".debug"; b.DebugSource() != want {
		t.Errorf("debug source %q, want %q", b.DebugSource(), want)
	}
	p, ok := b.Prototype("malloc")
	if !ok {
		t.Fatal("no prototype for malloc")
	}
	if len(p.Params) != 1 || p.Params[0].Size != 8 || !strings.HasSuffix(p.Return.Type, "*") {
		t.Errorf("malloc prototype %q", p.String())
	}
	if p, ok := b.Prototype("calloc"); !ok || len(p.Params) != 2 {
		t.Errorf("calloc prototype %v %v", p, ok)
	}
	if _, ok := b.Func("__GI___libc_malloc"); !ok {
		t.Logf("no __GI___libc_malloc in the debug file's symbols (%d extra)", len(b.DebugFuncs()))
	}
	if len(b.DebugFuncs()) == 0 {
		t.Errorf("the debug file added no functions to the %d of libc's .dynsym", len(b.Funcs))
	}
}
